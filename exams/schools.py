"""Schools as candidates name them: one school however its name is capitalised or spaced."""

from __future__ import annotations

from collections import defaultdict


def school_key(name: str) -> str:
    """What two spellings of one school share: "Amstel  lyceum" and "Amstel Lyceum" are the same school."""
    return " ".join(name.split()).casefold()


def known_schools() -> dict[str, list[str]]:
    """Every school candidates come from, by its key, with the spellings they gave of it (sorted)."""
    from .models import Candidate

    spellings: dict[str, set[str]] = defaultdict(set)
    for name in Candidate.objects.exclude(school="").values_list("school", flat=True).distinct():
        spellings[school_key(name)].add(name)
    return {key: sorted(names) for key, names in spellings.items() if key}
