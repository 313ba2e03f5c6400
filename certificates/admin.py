"""Documents, imports, requests and print batches in the admin: the staff's queues."""

from django.contrib import admin

from . import models


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "family", "candidate", "issued_on", "status"]
    list_filter = ["status", "kind", "family"]
    search_fields = ["number", "candidate__last_name", "candidate__email"]
    readonly_fields = [f.name for f in models.Document._meta.fields]
    list_select_related = ["candidate"]


@admin.register(models.ResultImport)
class ResultImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "rows", "created", "changed", "imported_by"]
    readonly_fields = [f.name for f in models.ResultImport._meta.fields]


@admin.register(models.ResultRequest)
class ResultRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "status", "result", "decided_by"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["result"]


@admin.register(models.PrintBatch)
class PrintBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "status", "total", "done", "finished_at"]
    readonly_fields = ["status", "total", "done", "output", "error", "finished_at"]
