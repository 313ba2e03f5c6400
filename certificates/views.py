"""Public verification pages and the holder's downloads."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from exams.identity import EARLIEST_BIRTH_DATE

from .models import Document
from .numbers import InvalidDocumentNumber, normalise
from .pdfs import document_pdf
from .verification import NUMBER_MISTYPED, TooManyChecks, verify, verify_number, without_spaces


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=300,
                           help_text=_("Printed under the QR code on the document."))

    def clean_code(self) -> str:
        return without_spaces(self.cleaned_data["code"])


class NumberForm(forms.Form):
    """The check without the code: the document number from the paper and the birth date the holder gives."""

    number = forms.CharField(label=_("Document number"), max_length=40,
                             help_text=_("At the top of the document, for example NT2D-7K3M-Q9XW-2P."))
    birth_date = forms.DateField(label=_("Holder's date of birth"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Ask the holder; it is not printed on the document."))

    def clean_number(self) -> str:
        try:
            return normalise(self.cleaned_data["number"])
        except InvalidDocumentNumber:
            raise forms.ValidationError(NUMBER_MISTYPED) from None

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date < EARLIEST_BIRTH_DATE or birth_date > timezone.localdate():
            raise forms.ValidationError(_("Give the date of birth as it is in the holder's passport."))
        return birth_date


def _page(request: HttpRequest, verdict=None, *, code_form=None, number_form=None, by: str = "code",
          status: int = 200) -> HttpResponse:
    return render(request, "certificates/verify.html", {
        "form": code_form or CodeForm(), "number_form": number_form or NumberForm(), "verdict": verdict,
        "by": by}, status=status)


@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    """By code (a GET, so the address can be shared) or by number and birth date (a POST, so the birth date
    stays out of addresses, browser histories and logs)."""
    if request.method == "POST":
        number_form = NumberForm(request.POST)
        if not number_form.is_valid():
            return _page(request, number_form=number_form, by="number", status=422)
        try:
            verdict = verify_number(number_form.cleaned_data["number"], number_form.cleaned_data["birth_date"])
        except TooManyChecks as error:
            number_form.add_error(None, error.message)
            return _page(request, number_form=number_form, by="number", status=429)
        return _page(request, verdict, number_form=number_form, by="number",
                     status=200 if verdict.status != "unknown" else 404)
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return _page(request, code_form=form)


def verify_code_page(request: HttpRequest, code: str) -> HttpResponse:
    code = without_spaces(code)
    verdict = verify(code)
    return _page(request, verdict, code_form=CodeForm(initial={"code": code}),
                 status=200 if verdict.status != "unknown" else 404)


@login_required
def download(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    if language not in ("nl", "en"):
        language = "nl"
    document = get_object_or_404(Document.objects.filter(candidate__user=request.user), pk=document_id)
    response = HttpResponse(document_pdf(document, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}-{language}.pdf"'
    return response
