"""Pages for agency staff: the provision review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exams.errors import DomainError
from exams.models import Provision
from exams.services import provisions

from .forms import ReviewForm

planner_required = user_passes_test(lambda user: user.is_authenticated and user.is_planner)


@planner_required
def provision_queue(request: HttpRequest) -> HttpResponse:
    waiting = Provision.objects.filter(status=Provision.Status.REQUESTED).select_related("candidate", "family")
    decided = Provision.objects.exclude(status=Provision.Status.REQUESTED).select_related(
        "candidate", "family", "reviewed_by").order_by("-reviewed_at")[:20]
    return render(request, "portal/staff/provisions.html", {"waiting": waiting.order_by("created_at"),
                                                            "decided": decided})


@require_http_methods(["GET", "POST"])
@planner_required
def provision_review(request: HttpRequest, provision_id: int) -> HttpResponse:
    provision = get_object_or_404(Provision.objects.select_related("candidate", "family"), pk=provision_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provisions.provision_review(provision=provision, reviewer=request.user,
                                        decision=form.cleaned_data["decision"], note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Decision saved; the candidate gets an e-mail."))
        return redirect("portal:provision_queue")
    return render(request, "portal/staff/provision_review.html", {"provision": provision, "form": form})


@require_http_methods(["GET", "POST"])
@planner_required
def print_batches(request: HttpRequest) -> HttpResponse:
    """Batches for the security-paper printer, with their progress; a new batch takes every valid document
    not yet printed."""
    from certificates.models import Document, PrintBatch
    from certificates.printing import print_batch_create

    unprinted = Document.objects.filter(status=Document.Status.VALID, print_items__isnull=True)
    if request.method == "POST":
        family = request.POST.get("family", "")
        chosen = unprinted.filter(family=family) if family else unprinted
        if not chosen.exists():
            messages.error(request, _("There is nothing new to print."))
        else:
            batch = print_batch_create(documents=chosen, created_by=request.user)
            messages.success(request, _("Batch %(id)s with %(n)d documents is being prepared.")
                             % {"id": batch.pk, "n": batch.total})
        return redirect("portal:print_batches")
    batches = PrintBatch.objects.all()[:20]
    return render(request, "portal/staff/print_batches.html", {
        "batches": batches, "unprinted": unprinted.count(),
        "running": any(b.status in ("queued", "running") for b in batches),
    })


@planner_required
def print_batch_download(request: HttpRequest, batch_id: int):
    from django.http import FileResponse, Http404

    from certificates.models import PrintBatch

    batch = get_object_or_404(PrintBatch, pk=batch_id)
    if not batch.output:
        raise Http404
    return FileResponse(batch.output.open("rb"), as_attachment=True, filename=f"print-batch-{batch.pk}.pdf")
