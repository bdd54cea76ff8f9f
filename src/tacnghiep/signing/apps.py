from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "tacnghiep.signing"
    label = "signing"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        from tacnghiep.signing.services import checks

        checks.install()
