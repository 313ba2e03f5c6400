"""Every model field is classified (personal or not, with a retention class); a new field must be added."""

from __future__ import annotations

from django.apps import apps

from exams.privacy_fields import FIELDS

CLASSES = {"reference", "account", "candidate", "staff", "exam-record", "financial", "audit", "operational",
           "test-only"}


def project_apps() -> list[str]:
    """Every app whose code lives in this repository: a new app is checked without being listed here."""
    from django.conf import settings

    root = str(settings.BASE_DIR)
    return [config.label for config in apps.get_app_configs()
            if str(config.path).startswith(root) and "site-packages" not in str(config.path)]


def test_the_check_covers_every_app_of_the_project():
    assert {"exams", "payments", "certificates", "jobs", "twofactor"} <= set(project_apps())


def test_every_field_of_every_model_is_classified():
    missing, stale = [], []
    for label in project_apps():
        for model in apps.get_app_config(label).get_models():
            names = {f.name for f in model._meta.get_fields() if f.concrete}
            personal, other, retention = FIELDS.get(model._meta.label, ((), (), ""))
            assert retention in CLASSES, f"{model._meta.label} has no retention class"
            listed = set(personal) | set(other)
            missing += [f"{model._meta.label}.{n}" for n in sorted(names - listed)]
            stale += [f"{model._meta.label}.{n}" for n in sorted(listed - names)]
    assert not missing, f"classify these fields in exams/privacy_fields.py: {missing}"
    assert not stale, f"these fields no longer exist: {stale}"


def test_personal_data_of_candidates_is_marked_personal():
    personal = set(FIELDS["exams.Candidate"][0])
    assert {"first_name", "last_name", "birth_date", "email", "national_id", "street", "postcode"} <= personal
