"""Documented state machines and the requests that follow them.

A transition names the states it may start from, the transient state shown while it runs and the
state it ends in (None: back to where it started). Durations are per service (profiles.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scp_mcp.sandbox.errors import invalid_state
from scp_mcp.sandbox.store import GONE, Record, Store, apply_changes

REQUEST_IN_PROGRESS, REQUEST_COMPLETED, REQUEST_FAILED = "IN_PROGRESS", "COMPLETED", "FAILED"
REQUEST_TERMINAL = (REQUEST_COMPLETED, REQUEST_FAILED)

# cluster service_state values
SETTLED = frozenset({"RUNNING", "STOPPED", "ERROR", "FAILED", "UNKNOWN"})
DEAD = frozenset({"TERMINATED"})
# Data Flow, Data Ops and Quick Query states in which the resource still exists (lists, names, capacity)
ALIVE_STATES = ("ACTIVE", "CREATING", "RUNNING", "ERROR", "UPDATING")


@dataclass(frozen=True)
class Transition:
    action: str  # verb used in messages
    allowed: frozenset[str]
    transient: str
    final: str | None  # None: return to the state it started from
    duration: str  # key into the service's durations


CLUSTER = {
    "start": Transition("start", frozenset({"STOPPED"}), "STARTING", "RUNNING", "start"),
    "stop": Transition("stop", frozenset({"RUNNING"}), "STOPPING", "STOPPED", "stop"),
    "restart": Transition("restart", frozenset({"RUNNING", "ERROR"}), "RESTARTING", "RUNNING", "restart"),
    "terminate": Transition("terminate", SETTLED, "TERMINATING", "TERMINATED", "terminate"),
    "sync": Transition("synchronize", SETTLED, "SYNCHRONIZING", None, "sync"),
    "edit": Transition("modify", frozenset({"RUNNING"}), "EDITING", None, "edit"),
    "settings": Transition("change settings of", frozenset({"RUNNING", "STOPPED"}), "EDITING", None, "edit"),
}


def check(record: Record, transition: Transition, *, kind: str, state_field: str, name_field: str) -> str:
    state = str(record[state_field])
    if state not in transition.allowed:
        raise invalid_state(kind, str(record.get(name_field)), state, transition.action, sorted(transition.allowed))
    return state


def run(
    record: Record,
    transition: Transition,
    *,
    state_field: str,
    now: float,
    duration: float,
    start_state: str,
    final_changes: dict[str, Any] | None = None,
) -> float:
    """Enter the transient state now and schedule the final one; returns when it ends."""
    apply_changes(record, {state_field: transition.transient}, now)
    ends = now + duration
    final = transition.final or start_state
    Store.schedule(record, ends, {state_field: final, **(final_changes or {})})
    return ends


def open_request(store: Store, service: str, resource_id: str, ends: float) -> str:
    """A request that Show Request reports IN_PROGRESS until `ends`, then COMPLETED (FAILED under `failing`)."""
    request_id = store.new_request_id()
    record: Record = {
        "request_id": request_id,
        "state": REQUEST_IN_PROGRESS,
        "resource_id": resource_id,
        "_service": service,
    }
    Store.schedule(record, ends, {"state": REQUEST_COMPLETED})
    store.add("request", request_id, record)
    return request_id


def schedule_removal(record: Record, at: float) -> None:
    Store.schedule(record, at, {GONE: True})
