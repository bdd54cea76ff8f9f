"""Refuse UPDATE, DELETE and TRUNCATE on the hub's message log at the database level."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from tacnghiep.core.db import install_append_only, remove_append_only

TABLE = "bus_logrecord"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_append_only(schema_editor.connection, TABLE)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_append_only(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [("bus", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
