from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import audit, checks  # noqa: F401 - registers the deployment checks
        from .labels import translate_derived_labels

        translate_derived_labels()  # every app's models are loaded by now

        def logged_in(sender, request, user, **kwargs) -> None:
            audit.record("login", actor=user, request=request)

        def login_failed(sender, credentials, request=None, **kwargs) -> None:
            import hashlib

            name = str(credentials.get("username") or credentials.get("email") or "").lower()
            # The account name is personal data: the log keeps a short hash, enough to see repeats.
            audit.record("login_failed", request=request, account=hashlib.sha256(name.encode()).hexdigest()[:16])

        user_logged_in.connect(logged_in, dispatch_uid="audit-login", weak=False)
        user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed", weak=False)
