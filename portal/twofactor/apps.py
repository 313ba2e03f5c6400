from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "portal.twofactor"
    label = "twofactor"
    verbose_name = "Two-step login"
    default_auto_field = "django.db.models.BigAutoField"
