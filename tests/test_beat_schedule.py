"""Every periodic job the beat schedule names is a task the workers know."""

from __future__ import annotations

from django.conf import settings

from config.celery import app


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "exams.tasks.qualification_reminders" in scheduled
    assert scheduled - set(app.tasks) == set()
