"""Public verification pages and the holder's downloads."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from .models import Document
from .pdfs import document_pdf
from .verification import verify


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=300,
                           help_text=_("Printed under the QR code on the document."))


def verify_form(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"].strip())
    return render(request, "certificates/verify.html", {"form": form, "verdict": None})


def verify_code_page(request: HttpRequest, code: str) -> HttpResponse:
    verdict = verify(code)
    return render(request, "certificates/verify.html", {"form": CodeForm(initial={"code": code}), "verdict": verdict},
                  status=200 if verdict.status != "unknown" else 404)


@login_required
def download(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    if language not in ("nl", "en"):
        language = "nl"
    document = get_object_or_404(Document.objects.filter(candidate__user=request.user), pk=document_id)
    response = HttpResponse(document_pdf(document, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}-{language}.pdf"'
    return response
