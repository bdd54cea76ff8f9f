"""Refuse UPDATE and DELETE on audit records at the database level."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from tacnghiep.core.db import install_audit_guard, remove_audit_guard


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_audit_guard(schema_editor.connection)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_audit_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
