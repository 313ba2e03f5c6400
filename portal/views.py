"""Portal pages. Views parse input, call a selector or service, and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exams.health import health_report
from exams.models import ExamFamily


def home(request: HttpRequest) -> HttpResponse:
    families = ExamFamily.objects.prefetch_related("programmes").all()
    return render(request, "portal/home.html", {"families": families})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
