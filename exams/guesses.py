"""Limits on guessing: wrong answers counted per key (a document number, an account) in the cache, for a
window of time. After ``limit`` of them within the window every answer is refused until it ends, the right
one included, so trying every value is no way to find the right one."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class GuessLimit:
    name: str
    limit: int
    window: int  # seconds

    def exhausted(self, key: object) -> bool:
        """Whether ``key`` has used up its wrong answers for now."""
        return cache.get(self._counter(key), 0) >= self.limit

    def missed(self, key: object) -> None:
        """Count a wrong answer for ``key``; the window starts at its first."""
        counter = self._counter(key)
        if not cache.add(counter, 1, timeout=self.window):
            try:
                cache.incr(counter)
            except ValueError:  # the window ended between the two calls
                cache.set(counter, 1, timeout=self.window)

    def _counter(self, key: object) -> str:
        return f"{self.name}:{key}"
