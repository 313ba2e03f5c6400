from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "portal.twofactor"
    label = "twofactor"
    verbose_name = _("Two-step login")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from exams.labels import translate_derived_labels

        translate_derived_labels(self)
