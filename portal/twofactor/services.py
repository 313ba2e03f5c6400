"""Who needs a second factor, enrolment, checking a code (throttled, audited), recovery codes.

A verified second factor is remembered in the session (``SESSION_KEY`` holds the user's id), so it ends
with the session: at logout, or when someone else logs in on the same browser."""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from datetime import timedelta

import pyotp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import audit
from exams.errors import DomainError

from .models import RecoveryCode, TotpDevice, normalise

SESSION_KEY = "second_factor_user"
ISSUER = "Examenplanning"
FAILURE_LIMIT = 5  # wrong codes in a row ...
LOCK_MINUTES = 15  # ... lock the second factor this long
RECOVERY_CODES = 10
STEP_SECONDS = 30


class SecondFactorWrong(DomainError):
    status = 401
    code = "second_factor_wrong"


class SecondFactorLocked(DomainError):
    status = 429
    code = "second_factor_locked"


class SecondFactorMissing(DomainError):
    status = 401
    code = "second_factor_required"


def requires_second_factor(user) -> bool:
    """Planners, administrators and everyone who may reach the admin site."""
    return bool(user.is_authenticated and (user.is_planner or user.is_staff or user.is_superuser))


def is_verified(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.session.get(SESSION_KEY) == request.user.pk


def session_mark_verified(request: HttpRequest) -> None:
    """A new session key for the more powerful session (no fixation), then remember the second factor."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk


def device_confirmed(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def enrolment_start(*, user) -> TotpDevice:
    """The unconfirmed device to show as a QR code; the same one on a reload, so a scanned code stays valid."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    if device.confirmed_at is not None:
        raise DomainError(_("Two-step login is already set up for this account."),
                          code="second_factor_enrolled")
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI, drawn here: no script and no outside service sees the secret."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def enrolment_confirm(*, user, code: str, request: HttpRequest | None = None) -> list[str]:
    """The first right code confirms the device; returns fresh recovery codes (shown once)."""
    _check(user=user, code=code, request=request, enrolling=True)
    codes = recovery_codes_issue(user=user)
    audit.record("second_factor_enrolled", actor=user, obj=user, request=request)
    return codes


def second_factor_verify(*, user, code: str, request: HttpRequest | None = None, channel: str = "web") -> str:
    """Checks an authenticator code or a recovery code; returns "totp" or "recovery" and logs the login."""
    method = _check(user=user, code=code, request=request, enrolling=False)
    audit.record("login_second_factor", actor=user, obj=user, request=request, method=method, channel=channel)
    return method


def _check(*, user, code: str, request: HttpRequest | None, enrolling: bool) -> str:
    """Counts wrong codes under a row lock, so parallel guesses cannot exceed the limit."""
    code = normalise(code or "")[:40]
    now = timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or (device.confirmed_at is None) != enrolling:
            raise SecondFactorMissing(_("Set up two-step login first."))
        if device.locked_until and device.locked_until > now:
            outcome = "locked"
        else:
            step = _totp_step(device, code)
            method = "totp" if step is not None else (None if enrolling else _recovery_use(user, code, now))
            if method:
                device.failures, device.locked_until = 0, None
                if step is not None:
                    device.last_step = step
                if enrolling:
                    device.confirmed_at = now
                outcome = method
            else:
                device.failures += 1
                outcome = "wrong"
                if device.failures >= FAILURE_LIMIT:
                    device.failures, device.locked_until, outcome = 0, now + timedelta(minutes=LOCK_MINUTES), "lock"
            device.save(update_fields=["failures", "locked_until", "last_step", "confirmed_at"])
    if outcome in ("totp", "recovery"):
        return outcome
    audit.record("second_factor_failed", actor=user, obj=user, request=request, locked=outcome != "wrong")
    if outcome == "wrong":
        raise SecondFactorWrong(
            _("That code is not right. Check the time on your phone and try the newest code."))
    raise SecondFactorLocked(
        _("Too many wrong codes: try again in %(minutes)s minutes.") % {"minutes": LOCK_MINUTES})


def _totp_step(device: TotpDevice, code: str) -> int | None:
    """The time step whose code this is (now, or one step either side for a slow typist or clock), if it is
    newer than the last code used."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(device.secret)
    current = int(time.time()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if step > device.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_use(user, code: str, now) -> str | None:
    if not code:
        return None
    used = RecoveryCode.objects.filter(user=user, code_hash=RecoveryCode.hash_code(code), used_at__isnull=True
                                       ).update(used_at=now)
    return "recovery" if used else None


def recovery_codes_issue(*, user) -> list[str]:
    """Replaces all recovery codes of the user with new ones: ten groups of 5+5 hexadecimal characters."""
    codes = [f"{secrets.token_hex(3)[:5]}-{secrets.token_hex(3)[:5]}" for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=RecoveryCode.hash_code(c)) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def second_factor_reset(*, user, actor=None) -> None:
    """Removes the authenticator and recovery codes: the user enrols again at the next login."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    audit.record("second_factor_reset", actor=actor, obj=user)
