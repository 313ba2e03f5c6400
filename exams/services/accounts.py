"""Accounts: sign-up with e-mail and password, and e-mail verification.

An account works without the national eID (which works badly abroad); an OpenID Connect login can be
added by configuration.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import Candidate, User
from .notifications import send_once

VERIFY_SALT = "exams.email-verification"
VERIFY_MAX_AGE = 3 * 24 * 3600


class VerificationFailed(DomainError):
    code = "verification_failed"


def candidate_signup(*, email: str, password: str, first_name: str, last_name: str, birth_date: date,
                     language: str, verify_url: str) -> User:
    """Create a candidate's account and profile, and send the verification e-mail after the commit.
    ``verify_url`` holds ``{token}`` where the token goes."""
    with transaction.atomic():
        user = User.objects.create_user(email, password, role=User.Role.CANDIDATE, language=language)
        Candidate.objects.create(user=user, first_name=first_name, last_name=last_name, birth_date=birth_date,
                                 email=user.email, language=language)
        transaction.on_commit(lambda: verification_send(user=user, verify_url=verify_url))
    return user


def candidate_signup_neutral(*, email: str, password: str, verify_url: str, reset_url: str, **profile) -> None:
    """A sign-up that does not tell whether the address has an account: a new address gets its account
    and the verification link; an address with an account gets (at most once a day) a note that someone
    tried to sign up with it and how to reset the password. The caller shows the same page either way."""
    email = email.strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            candidate_signup(email=email, password=password, verify_url=verify_url, **profile)
            return
        except IntegrityError:  # signed up at this very moment by another request
            existing = User.objects.get(email=email)
    else:
        make_password(password)  # the same work as a new account, so the answer takes as long
    signup_attempt_notify(user=existing, reset_url=reset_url)


def signup_attempt_notify(*, user: User, reset_url: str) -> bool:
    def build():
        return _("Someone tried to sign up with your e-mail address"), "\n".join([
            _("Someone tried to make a new exam account with this e-mail address, but you already have one."),
            "", _("Was it you? Log in with this address. Forgot your password? Choose a new one here:"), "",
            reset_url, "", _("Was it not you? Then you need not do anything: nothing has changed."), ""]), []

    return send_once(key=f"user-{user.pk}-signup-attempt-{timezone.localdate().isoformat()}",
                     kind="signup_attempt", email=user.email, language=user.language, build=build)


def verification_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT)


def verification_send(*, user: User, verify_url: str, attempt: int = 0) -> bool:
    url = verify_url.format(token=verification_token(user))

    def build():
        body = "\n".join([
            _("Welcome! Confirm your e-mail address to book exams:"), "", url, "",
            _("The link works for three days. Did you not sign up? Then ignore this e-mail."),
        ])
        return _("Confirm your e-mail address"), body, []

    return send_once(key=f"user-{user.pk}-verify-{attempt}", kind="email_verification", email=user.email,
                     language=user.language, build=build)


def _link_data(token: str, *, salt: str, expired: str) -> dict:
    """What a signed e-mail link carries, or why it no longer works (``expired``: what to do then)."""
    try:
        return signing.loads(token, salt=salt, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise VerificationFailed(expired) from exc
    except signing.BadSignature as exc:
        raise VerificationFailed(_("This link is not valid.")) from exc


def email_verify(token: str) -> User:
    """The account a verification link names, its address confirmed (again, on a later use)."""
    data = _link_data(token, salt=VERIFY_SALT, expired=_("This link has expired. Log in to get a new one."))
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise VerificationFailed(_("This link is not valid."))
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


EMAIL_CHANGE_SALT = "exams.email-change"


def email_change_request(*, user: User, new_email: str, confirm_url: str) -> None:
    """Start moving an account to ``new_email``: the new address gets a link (``confirm_url`` holds
    ``{token}``), the old one is told. Nothing changes until the link is opened, so logging in keeps
    working with the old address. When the new address has an account already, it gets a note saying so
    instead of a link; the page says the same either way."""
    new_email = new_email.strip().lower()
    stamp = signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    key = f"user-{user.pk}-email-change-{stamp[-16:]}"
    taken = User.objects.filter(email=new_email).exclude(pk=user.pk).exists()

    def to_new():
        if taken:
            return _("Change of e-mail address"), "\n".join([
                _("Someone asked to use this e-mail address for an account with us, but it already has an "
                  "account. Log in with it, or reset its password if you forgot it."), ""]), []
        return _("Confirm your new e-mail address"), "\n".join([
            _("Open this link to use this address for your exam account from now on:"), "",
            confirm_url.format(token=stamp), "",
            _("The link works for three days. Until then you log in with your old address. Did you not ask "
              "for this? Then ignore this e-mail."), ""]), []

    def to_old():
        return _("Change of e-mail address"), "\n".join([
            _("Someone asked to change the e-mail address of your exam account to %(email)s. It changes once "
              "the link sent there is opened.") % {"email": new_email}, "",
            _("Was this not you? Then change your password now; your address stays as it is."), ""]), []

    send_once(key=f"{key}-new", kind="email_change", email=new_email, language=user.language, build=to_new)
    send_once(key=f"{key}-old", kind="email_change_notice", email=user.email, language=user.language,
              build=to_old)


def email_change_confirm(token: str) -> User:
    """Move the account (and its candidate profile) to the new address of a valid, unused link."""
    data = _link_data(token, salt=EMAIL_CHANGE_SALT, expired=_(
        "This link has expired. Ask for the change of e-mail address again from your profile."))
    taken = VerificationFailed(_("This e-mail address already has an account."))
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=data.get("user"), email=data.get("old")).first()
            if user is None:  # used already, or the address changed meanwhile
                raise VerificationFailed(_("This link is not valid."))
            if User.objects.filter(email=data["new"]).exclude(pk=user.pk).exists():
                raise taken
            user.email, user.email_verified = data["new"], True
            user.save(update_fields=["email", "email_verified"])
            Candidate.objects.filter(user=user).update(email=user.email)
    except IntegrityError as exc:  # someone took the address at this very moment
        raise taken from exc
    return user


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))
