"""A user's authenticator (a TOTP secret) and their single-use recovery codes."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


class TotpDevice(models.Model):
    """The shared secret of an authenticator app (RFC 6238: six digits, 30-second steps, SHA-1).

    ``last_step`` is the time step of the last code accepted: a code is accepted once, and never one older.
    ``failures`` counts wrong codes in a row; at the limit the device is locked until ``locked_until``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64, help_text="Base32. Needed in clear to check codes.")
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Empty until a first code was right.")
    last_step = models.BigIntegerField(default=0)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"authenticator of {self.user}"


class RecoveryCode(models.Model):
    """One code for when the authenticator is lost. Only its hash is stored; it works once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]

    @staticmethod
    def hash_code(code: str) -> str:
        return hashlib.sha256(normalise(code).encode()).hexdigest()


def normalise(code: str) -> str:
    """What a person types, without spaces, hyphens or capitals."""
    return "".join(ch for ch in code.lower() if ch.isalnum())
