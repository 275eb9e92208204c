"""In-memory state: tables of JSON-ready records whose future changes are scheduled on the clock.

A record is a plain dict. Keys starting with "_" are the sandbox's own (service, schedule) and never
reach a response. `_due` holds [at, changes] pairs; `settle(now)` applies the ones that are due, so
lifecycles progress lazily on the next request, with no background task.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from scp_mcp.sandbox import ids
from scp_mcp.sandbox.clock import iso

Record = dict[str, Any]
GONE = "_gone"  # a scheduled change with this key removes the record

# While set (a "fail" fault is firing), every change scheduled ends in failure instead.
_FAILING: ContextVar[bool] = ContextVar("scp_sandbox_failing", default=False)
_FAILED_STATES = {"service_state": "ERROR", "quick_query_state": "ERROR", "provisioning_state": "FAILED"}


@contextmanager
def failing(active: bool = True) -> Iterator[None]:
    """Within this block, scheduled changes end FAILED/ERROR and removals are dropped."""
    token = _FAILING.set(active)
    try:
        yield
    finally:
        _FAILING.reset(token)


def as_failure(changes: Record) -> Record | None:
    """The failed version of a scheduled change: requests end FAILED, resources ERROR; None drops it.

    A resource that fails to delete stays (in ERROR) instead of disappearing.
    """
    if changes.get(GONE):
        return None
    failed = {**changes, **{k: v for k, v in _FAILED_STATES.items() if k in changes}}
    if "state" in changes:  # a request (COMPLETED) or a Data Flow / Data Ops resource
        failed["state"] = "FAILED" if changes["state"] in ("COMPLETED", "FAILED") else "ERROR"
    return failed


# Asynchronous requests kept, newest first among the finished; a long-running sandbox must not grow without end.
REQUESTS_KEPT = 500


class Store:
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.counter = 0
        self.tables: dict[str, dict[str, Record]] = {}

    def table(self, kind: str) -> dict[str, Record]:
        return self.tables.setdefault(kind, {})

    def add(self, kind: str, key: str, record: Record) -> Record:
        table = self.table(kind)
        table[key] = record
        if kind == "request" and len(table) > REQUESTS_KEPT:
            _forget_finished(table, len(table) - REQUESTS_KEPT, keep=key)
        return record

    def get(self, kind: str, key: str) -> Record | None:
        return self.tables.get(kind, {}).get(key)

    def records(self, kind: str, service: str | None = None) -> Iterator[Record]:
        for record in list(self.tables.get(kind, {}).values()):
            if service is None or record.get("_service") == service:
                yield record

    def new_hex(self, *parts: object) -> str:
        self.counter += 1
        return ids.hex_id(self.seed, "new", self.counter, *parts)

    def new_uuid(self, *parts: object) -> str:
        self.counter += 1
        return ids.uuid_id(self.seed, "new", self.counter, *parts)

    def new_request_id(self) -> str:
        self.counter += 1
        return ids.request_id(self.seed, self.counter)

    @staticmethod
    def schedule(record: Record, at: float, changes: Record) -> None:
        if _FAILING.get():
            failed = as_failure(changes)
            if failed is None:
                return
            changes = failed
        record.setdefault("_due", []).append([at, changes])

    def settle(self, now: float) -> None:
        for kind, table in self.tables.items():
            for key, record in list(table.items()):
                if record.get("_due") and _apply_due(record, now):
                    del self.tables[kind][key]

    def dump(self) -> dict[str, Any]:
        return {"seed": self.seed, "counter": self.counter, "tables": self.tables}

    def load(self, data: dict[str, Any]) -> None:
        """Restore a dump (see state_file.py for reading one from disk)."""
        self.seed, self.counter, self.tables = data["seed"], data["counter"], data["tables"]


def _forget_finished(table: dict[str, Record], count: int, keep: str) -> None:
    """Drop the `count` oldest requests that have nothing left to happen (pending ones always stay)."""
    finished = [k for k, r in table.items() if not r.get("_due") and k != keep][:count]
    for key in finished:
        del table[key]


def _apply_due(record: Record, now: float) -> bool:
    """Apply due changes in time order; True when the record is gone."""
    due = sorted(record["_due"], key=lambda entry: entry[0])
    record["_due"] = [entry for entry in due if entry[0] > now]
    for at, changes in (entry for entry in due if entry[0] <= now):
        if changes.get(GONE):
            return True
        apply_changes(record, changes, at)
    return False


def apply_changes(record: Record, changes: Record, at: float | None = None) -> None:
    record.update(changes)
    state = changes.get("service_state")
    if state is not None:
        for group in record.get("instance_groups", ()):
            for instance in group.get("instances", ()):
                instance["service_state"] = state
    if at is not None and "_stamp" in record:
        record[record["_stamp"]] = iso(at)
