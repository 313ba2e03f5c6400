"""Evidence uploads: checked by their content, not their name, and stored under names we make up."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

#: What the first bytes of each accepted kind of file look like, and the names it may carry.
SIGNATURES = {
    "pdf": (b"%PDF-", {".pdf"}),
    "jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
    "png": (b"\x89PNG\r\n\x1a\n", {".png"}),
}


def sniff(head: bytes) -> str | None:
    for kind, (magic, _names) in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def validate_evidence(upload) -> None:
    """Refuse files that are too big, of another type, or whose name lies about their content."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(_("Only PDF, JPEG and PNG files are accepted."), code="wrong_type")
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in SIGNATURES[kind][1]:
        raise ValidationError(_("The file's name does not match its content."), code="disguised")


def evidence_path(instance, filename: str) -> str:
    """A generated name: nothing of the uploaded name (which could hold ../ or personal data) is kept."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".pdf", ".jpg", ".jpeg", ".png"}:
        suffix = ""
    return f"evidence/{uuid.uuid4().hex}{suffix}"
