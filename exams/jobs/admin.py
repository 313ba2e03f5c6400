"""Background jobs in the admin: what waits for the broker, and what failed for good (to queue again)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .deadletters import dead_letter_requeue
from .models import DeadLetter, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "args", "created_at", "published_at", "attempts", "last_error"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "task"]
    search_fields = ["task", "task_id"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "args", "exception", "retries", "failed_at", "requeued_at"]
    list_filter = ["task", ("requeued_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "task_id", "exception"]
    readonly_fields = [f.name for f in DeadLetter._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Queue the selected tasks again"))
    def requeue(self, request, queryset) -> None:
        fresh = [letter.pk for letter in queryset if letter.requeued_at is None]
        for pk in fresh:
            dead_letter_requeue(dead_letter_id=pk)
        queued = ngettext("%(count)d task queued again.", "%(count)d tasks queued again.", len(fresh))
        self.message_user(request, queued % {"count": len(fresh)}, messages.SUCCESS)
