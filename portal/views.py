"""Portal pages. Views parse input, call a selector or service, and render."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exams import selectors
from exams.health import health_report
from exams.models import ExamFamily, ExamPart, Location


def home(request: HttpRequest) -> HttpResponse:
    families = ExamFamily.objects.prefetch_related("programmes").all()
    return render(request, "portal/home.html", {"families": families})


class SessionFilterForm(forms.Form):
    family = forms.ChoiceField(label=_("Exam"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["family"].choices = everything + [(f.code, f.name) for f in ExamFamily.objects.all()]
        parts = ExamPart.objects.filter(active=True).exclude(mode=ExamPart.Mode.ORAL).select_related("programme")
        self.fields["part"].choices = everything + [(p.code, f"{p.programme.name} – {p.name}") for p in parts]
        self.fields["location"].choices = everything + [
            (loc.code, loc.name) for loc in Location.objects.filter(active=True)
        ]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None)
    sessions = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sessions = selectors.sessions_bookable(
            family=data["family"] or None,
            part=data["part"] or None,
            location=data["location"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )[:100]
    elif not form.is_bound:
        sessions = selectors.sessions_bookable(date_from=date.today())[:30]
    return render(request, "portal/sessions.html", {"form": form, "sessions": sessions})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
