"""Exam parts are named with their programme wherever one is picked, and the admin's part pickers search."""

from __future__ import annotations

import pytest
from django.utils import translation

from exams.models import ExamPart, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password"))
    return client


def test_a_parts_name_says_its_programme(catalogue):
    with translation.override("nl"):
        names = {str(part) for part in ExamPart.objects.filter(name_nl="Lezen", programme__family__code="nt2")}
    assert len(names) == 2 and all(name.endswith(" – Lezen") and name != "Lezen" for name in names)


@pytest.mark.parametrize("model, field", [("examsession", "parts"), ("wftqualification", "modules"),
                                          ("exampart", "requires"), ("placementrequest", "part")])
def test_the_admins_part_pickers_search_by_programme(admin_client, catalogue, model, field):
    page = admin_client.get(f"/admin/exams/{model}/add/").content.decode()
    assert f'name="{field}"' in page and "admin-autocomplete" in page
    found = admin_client.get("/admin/autocomplete/", {"app_label": "exams", "model_name": model,
                                                      "field_name": field, "term": "programma II"}).json()
    texts = [item["text"] for item in found["results"]]
    assert texts and all("programma II" in text or "programme II" in text for text in texts)


def test_an_examiners_qualification_picks_its_part_by_search(admin_client, catalogue):
    page = admin_client.get("/admin/exams/examiner/add/").content.decode()
    assert 'name="qualifications-__prefix__-part"' in page
    assert 'data-field-name="part"' in page and 'data-model-name="qualification"' in page
