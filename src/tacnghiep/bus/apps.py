from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusConfig(AppConfig):
    name = "tacnghiep.bus"
    label = "bus"
    verbose_name = _("Integration hub")

    def ready(self) -> None:
        from tacnghiep.core.db import APPEND_ONLY_TABLES

        if "bus_logrecord" not in APPEND_ONLY_TABLES:
            APPEND_ONLY_TABLES.append("bus_logrecord")
