"""Where a logged-in person belongs when the page they came to is not theirs: one rule for the login, My
exams and the profile."""

from __future__ import annotations

from django.urls import reverse


def staff_page(user) -> str | None:
    """The examiner's page for an exam staff member who is not also a candidate: they book nothing, their
    page is their duties (and the candidate's profile form would make them a candidate). None for anyone
    else, a staff member who also sits exams included."""
    if user.is_authenticated and user.role == user.Role.EXAMINER and not hasattr(user, "candidate"):
        return reverse("portal:examiner")
    return None
