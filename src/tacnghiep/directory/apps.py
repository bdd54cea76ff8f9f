from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tacnghiep.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # Domain events this app listens to, connected explicitly (docs/development/events.md).
        from tacnghiep.directory import receivers
        from tacnghiep.directory.api import schema  # noqa: F401 - registers the OpenAPI auth extensions

        receivers.connect()
