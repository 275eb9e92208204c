"""The guard's memory: which previews were shown, when, and the target's state at the time.

A confirmation is checked against it: a preview older than the time to live, or a target whose state
changed since, makes the confirmation stale. Bounded in size; the oldest preview is forgotten first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Seen:
    state: str | None
    at: float


class PreviewBook:
    def __init__(self, *, ttl_s: float, clock: Callable[[], float], limit: int = 500) -> None:
        self._seen: OrderedDict[str, _Seen] = OrderedDict()
        self._ttl_s = ttl_s
        self._clock = clock
        self._limit = limit

    def remember(self, key: str, state: str | None) -> None:
        self._seen.pop(key, None)
        self._seen[key] = _Seen(state, self._clock())
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)

    def stale_reason(self, key: str, state: str | None) -> str | None:
        """Why a confirmation of the preview ``key`` no longer holds (it is used up either way)."""
        seen = self._seen.pop(key, None)
        if seen is None:
            return None
        if self._clock() - seen.at > self._ttl_s:
            return f"the preview is older than {self._ttl_s / 60:.0f} minutes"
        if seen.state != state:
            return f"the target's state changed from {seen.state} to {state} since the preview"
        return None

    def clear(self) -> None:
        self._seen.clear()

    def __len__(self) -> int:
        return len(self._seen)
