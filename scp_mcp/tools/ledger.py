"""The ledger: recent asynchronous work started through the server, newest last, bounded in size."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


class Seen(Protocol):
    """One look at the work (a ``follow.Observation``)."""

    @property
    def state(self) -> str | None: ...

    @property
    def done(self) -> bool: ...

    @property
    def failed(self) -> bool: ...


@dataclass
class LedgerEntry:
    key: str  # the request id, or "<kind>:<id>" for work followed through the resource's state
    tool: str
    service: str
    kind: str  # "request" | "resource"
    request_id: str | None
    resource_kind: str | None
    resource_id: str | None
    resource_name: str | None
    state: str | None
    done: bool
    failed: bool
    started_at: str  # UTC, ISO 8601
    updated_at: str


class Ledger:
    """Recent asynchronous work, keyed by request id (or resource), the oldest forgotten first."""

    def __init__(self, limit: int = 200) -> None:
        self._entries: OrderedDict[str, LedgerEntry] = OrderedDict()
        self._limit = limit

    def record(self, entry: LedgerEntry) -> None:
        self._entries.pop(entry.key, None)
        self._entries[entry.key] = entry
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def update(self, key: str, observation: Seen, now: str) -> LedgerEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            entry.state = observation.state
            entry.done = observation.done
            entry.failed = observation.failed
            entry.updated_at = now
        return entry

    def get(self, key: str) -> LedgerEntry | None:
        return self._entries.get(key)

    def recent(self, limit: int = 20) -> list[LedgerEntry]:
        return list(self._entries.values())[-limit:]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
