"""The async-operation ledger and the bounded, clock-injected polling loop that waits on it."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

_REQUEST_DONE = frozenset({"COMPLETED", "COMPLETE", "SUCCEEDED", "SUCCESS", "SUCCESSFUL", "DONE", "FINISHED"})
_SETTLED_ING = frozenset({"RUNNING"})  # an "…ING" state that is not a transition
_FAILED = frozenset({"FAILED", "FAIL", "ERROR", "CANCELLED", "CANCELED", "ABORTED", "REJECTED"})


@dataclass(frozen=True)
class Observation:
    """One look at asynchronous work."""

    state: str | None
    done: bool
    failed: bool = False
    gone: bool = False  # the resource no longer exists (a delete finished)


def request_observation(state: str | None) -> Observation:
    """Classify a Show Request state."""
    upper = (state or "").upper()
    if upper in _FAILED:
        return Observation(state, done=True, failed=True)
    return Observation(state, done=upper in _REQUEST_DONE)


def resource_observation(state: str | None) -> Observation:
    """Classify a resource state: ``…ING`` (but RUNNING) is still moving; ERROR/FAILED failed; else settled."""
    upper = (state or "").upper()
    if not upper or (upper.endswith("ING") and upper not in _SETTLED_ING) or upper == "UNKNOWN":
        return Observation(state, done=False)
    return Observation(state, done=True, failed=upper in _FAILED)


Progress = Callable[[float, float, str], Awaitable[None]]


async def poll(
    check: Callable[[], Awaitable[Observation]],
    *,
    timeout_s: float,
    interval_s: float,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
    progress: Progress,
) -> tuple[Observation, float]:
    """Check until done or out of time; returns the last observation and the time waited.

    Bounded twice: by the clock, and by a poll count, so a clock that never moves cannot hang it.
    """
    start = clock()
    observation = await check()
    max_polls = math.ceil(timeout_s / max(interval_s, 1e-3)) + 1
    for _ in range(max_polls):
        elapsed = clock() - start
        if observation.done or elapsed >= timeout_s:
            break
        await progress(elapsed, timeout_s, f"state {observation.state or 'unknown'} after {elapsed:.0f}s")
        await sleep(min(interval_s, timeout_s - elapsed))
        observation = await check()
    waited = clock() - start
    await progress(min(waited, timeout_s), timeout_s, f"state {observation.state or 'unknown'}")
    return observation, waited


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
    """Recent asynchronous work, newest last, bounded in size."""

    def __init__(self, limit: int = 200) -> None:
        self._entries: OrderedDict[str, LedgerEntry] = OrderedDict()
        self._limit = limit

    def record(self, entry: LedgerEntry) -> None:
        self._entries.pop(entry.key, None)
        self._entries[entry.key] = entry
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def update(self, key: str, observation: Observation, now: str) -> LedgerEntry | None:
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

    def __len__(self) -> int:
        return len(self._entries)
