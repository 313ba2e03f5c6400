from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "exams.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from celery.signals import task_failure

        from .deadletters import record_failure

        task_failure.connect(record_failure, dispatch_uid="jobs-dead-letter", weak=False)
