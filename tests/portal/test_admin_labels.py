"""The admin site names apps, models and fields in the reader's language, not only Django's own words."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from exams.labels import project_apps
from exams.models import User

# Apps from elsewhere that the admin shows, whose Dutch this project's catalogue supplies (their names,
# such as "Axes", are product names).
SUPPLIED = ("axes",)


def _labels():
    """(where, label) for every app, model (singular and plural) and field of this project, and the models
    and fields of the apps it supplies the Dutch for."""
    ours = project_apps()
    assert {config.label for config in ours} == {"exams", "payments", "jobs", "certificates", "twofactor",
                                                  "portal"}
    for config in ours + [apps.get_app_config(name) for name in SUPPLIED]:
        if config in ours:
            yield f"app {config.label}", config.verbose_name
        for model in config.get_models():
            opts = model._meta
            yield opts.label, opts.verbose_name
            yield f"{opts.label} (plural)", opts.verbose_name_plural
            for field in [*opts.local_fields, *opts.local_many_to_many]:
                if not field.auto_created:  # the automatic primary key, "ID" in every language
                    yield f"{opts.label}.{field.name}", field.verbose_name


def test_every_app_model_and_field_name_is_translated_into_dutch():
    catalogue = trans_real.translation("nl")._catalog  # this project's catalogues and Django's own
    labels = list(_labels())
    assert len(labels) > 500
    fixed = [f"{where}: {label!r}" for where, label in labels if not isinstance(label, Promise)]
    assert fixed == [], "labels fixed in English (see exams/labels.py):\n" + "\n".join(fixed)
    with translation.override(None):
        missing = [f"{where}: {str(label)!r}" for where, label in labels if str(label) not in catalogue]
    assert missing == [], "add their Dutch to portal/locale/nl/LC_MESSAGES/django.po:\n" + "\n".join(missing)


def test_a_label_given_in_the_code_stays_as_given():
    from exams.models import ExamFamily, OpeningHours

    with translation.override("en"):
        assert str(OpeningHours._meta.verbose_name_plural) == "opening hours"
        assert str(ExamFamily._meta.get_field("name_nl").verbose_name) == "name (Dutch)"
        derived = ExamFamily._meta.get_field("registration_closes_days").verbose_name
        assert str(derived) == "registration closes days"
    with translation.override("nl"):
        assert str(ExamFamily._meta.get_field("name_nl").verbose_name) == "naam (Nederlands)"


@pytest.mark.django_db
def test_the_dutch_admin_names_models_and_fields_in_dutch(client):
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password"))
    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Examenonderdelen" in index and "Achtergrondtaken" in index and "Drukopdrachten" in index
    assert "Exam parts" not in index and "Background jobs" not in index
    form = client.get("/admin/exams/examfamily/add/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Max. pogingen per onderdeel per jaar" in form and "Bezwaartermijn (dagen)" in form
    assert "Objection days" not in form
