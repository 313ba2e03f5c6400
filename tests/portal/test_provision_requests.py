"""Special provisions from the candidate's side: at most a few requests waiting at once, a waiting request
can be withdrawn, and evidence can follow the request (staff approve once it is there)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exams.models import Provision

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _ask(client, catalogue, kind="large_print", **extra):
    return client.post("/my/provisions/", {"family": catalogue["nt2"].pk, "kind": kind, "motivation": "Low vision",
                                           **extra}, follow=True).content.decode()


def test_evidence_can_follow_and_staff_approve_only_once_it_is_there(candidate, planner, catalogue, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(candidate.user)
    page = _ask(client, catalogue)
    assert "Add the evidence below" in page and "Evidence is missing" in page
    provision = Provision.objects.get()
    staff = client_for(planner)
    refused = staff.post(f"/staff/provisions/{provision.pk}/", {"decision": "approved"}, follow=True)
    assert "has not sent the evidence yet" in refused.content.decode()
    assert Provision.objects.get().status == "requested"
    bad = client.post(f"/my/provisions/{provision.pk}/evidence/add/",
                      {"evidence": SimpleUploadedFile("notes.txt", b"plain")}, follow=True).content.decode()
    assert "Only PDF, JPEG and PNG" in bad and not Provision.objects.get().evidence
    done = client.post(f"/my/provisions/{provision.pk}/evidence/add/",
                       {"evidence": SimpleUploadedFile("letter.pdf", PDF)}, follow=True).content.decode()
    assert "Your evidence is added" in done and Provision.objects.get().evidence
    staff.post(f"/staff/provisions/{provision.pk}/", {"decision": "approved"})
    assert Provision.objects.get().status == "approved"
    late = client.post(f"/my/provisions/{provision.pk}/evidence/add/",
                       {"evidence": SimpleUploadedFile("other.pdf", PDF)}, follow=True).content.decode()
    assert "already decided or withdrawn" in late


def test_a_waiting_request_can_be_withdrawn_by_its_owner_only(candidate, other_candidate, catalogue):
    client = client_for(candidate.user)
    _ask(client, catalogue, evidence=SimpleUploadedFile("letter.pdf", PDF))
    provision = Provision.objects.get()
    assert client_for(other_candidate.user).post(f"/my/provisions/{provision.pk}/withdraw/").status_code == 404
    page = client.post(f"/my/provisions/{provision.pk}/withdraw/", follow=True).content.decode()
    assert "Your request is withdrawn." in page and Provision.objects.get().status == "withdrawn"
    again = client.post(f"/my/provisions/{provision.pk}/withdraw/", follow=True).content.decode()
    assert "already decided or withdrawn" in again


def test_at_most_the_limit_of_requests_wait_at_once(candidate, catalogue, settings):
    settings.EXAMS = {**settings.EXAMS, "MAX_PENDING_PROVISIONS": 2}
    client = client_for(candidate.user)
    _ask(client, catalogue, "large_print")
    page = _ask(client, catalogue, "separate_room")
    assert "You have 2 requests waiting for a decision" in page and 'name="motivation"' not in page
    refused = _ask(client, catalogue, "assistance")
    assert "You have 2 requests waiting for a decision already" in refused
    assert Provision.objects.count() == 2
    client.post(f"/my/provisions/{Provision.objects.first().pk}/withdraw/")
    _ask(client, catalogue, "assistance")
    assert Provision.objects.filter(status="requested").count() == 2
