"""The ledger: asynchronous work started through the server, kept in the store (it outlives the process
and is shared by the replicas on the store), scoped to the caller who started it, and refreshed from SCP
whenever it is read, so work nobody waited on still ends COMPLETED or FAILED once SCP says so."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import anyio

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client.errors import ScpError
from scp_mcp.store import OperationEntry, OperationStatus
from scp_mcp.tools.follow import Observation, Work, observer
from scp_mcp.tools.records import kind_prefixes, record_name
from scp_mcp.tools.runtime import ToolRuntime

log = logging.getLogger(__name__)

REFRESH_CONCURRENCY = 4  # SCP reads at once when a read refreshes several entries
UNFINISHED: tuple[OperationStatus, ...] = ("in_progress", "unknown")


@dataclass(frozen=True)
class Refreshed:
    """An entry as read: refreshed from SCP, or as last known with the reason the refresh failed."""

    entry: OperationEntry
    error: str | None = None


def status_of(seen: Observation) -> OperationStatus:
    if seen.failed:
        return "failed"
    return "completed" if seen.done else "in_progress"


def start(runtime: ToolRuntime, op: Operation, tool: str, work: Work, arguments: Mapping[str, Any]) -> OperationEntry:
    """Record work SCP accepted, before anybody waits on it: in progress, or unknown when there is no
    way to look at it."""
    status: OperationStatus = "in_progress" if observer(op, work, runtime) is not None else "unknown"
    return _record(runtime, op, tool, work, arguments, status)


def lost(
    runtime: ToolRuntime, op: Operation, tool: str, path: Mapping[str, Any], body: Any, arguments: Mapping[str, Any]
) -> OperationEntry | None:
    """Record asynchronous work whose answer was lost (OutcomeUnknown) as unknown, followed by its
    resource's state (no request id came back), so that a read of it says what became of it. None for
    synchronous work, or when the call names no resource; a store that fails is logged, never raised."""
    if op.async_kind == "sync" or op.resource is None:
        return None
    rid = path.get(op.resource.id_param or "")
    name = body.get(op.resource.name_field) if isinstance(body, Mapping) and op.resource.name_field else None
    if rid is None and not isinstance(name, str):
        return None
    work = Work("resource", None, op.resource.kind, str(rid) if rid is not None else None, name)
    try:
        return _record(runtime, op, tool, work, arguments, "unknown")
    except Exception:
        log.exception("could not record the lost answer of %s in the ledger", tool)
        return None


def _record(
    runtime: ToolRuntime, op: Operation, tool: str, work: Work, arguments: Mapping[str, Any], status: OperationStatus
) -> OperationEntry:
    now = runtime.timestamp()
    entry = OperationEntry(
        key=work.key,
        caller=runtime.principal(),
        tool=tool,
        service=op.service,
        follow=work.kind,
        request_id=work.request_id,
        target_kind=work.resource_kind,
        target_id=work.resource_id,
        target_name=work.resource_name,
        arguments=dict(arguments),
        status=status,
        state=None,
        started_at=now,
        updated_at=now,
    )
    runtime.store.record_operation(entry)
    return entry


def settle(
    runtime: ToolRuntime,
    entry: OperationEntry,
    seen: Observation,
    target_id: str | None,
    target_name: str | None = None,
) -> OperationEntry:
    """Write what was seen, when it changed anything: ``updated_at`` is when the entry last changed, and a
    poll that sees the same state writes nothing. An entry another call finished meanwhile stays as that
    call left it."""
    status = status_of(seen)
    ident, name = target_id or entry.target_id, entry.target_name or target_name
    if (ident, name, status, seen.state) == (entry.target_id, entry.target_name, entry.status, entry.state):
        return entry
    now = runtime.timestamp()
    updated = replace(
        entry,
        target_id=ident,
        target_name=name,
        status=status,
        state=seen.state,
        updated_at=now,
        finished_at=now if status in ("completed", "failed") else None,
    )
    if runtime.store.update_operation(updated):
        return updated
    return runtime.store.operation(entry.caller, entry.key) or updated


def work_of(entry: OperationEntry) -> Work:
    kind: Literal["request", "resource"] = "request" if entry.follow == "request" else "resource"
    return Work(kind, entry.request_id, entry.target_kind, entry.target_id, entry.target_name)


def operation_of(entry: OperationEntry) -> Operation | None:
    return load_catalog().get(entry.tool)


async def refresh(runtime: ToolRuntime, entry: OperationEntry) -> Refreshed:
    """Look once at unfinished work and record what SCP says; finished work is final."""
    op = operation_of(entry)
    if entry.finished or op is None:
        return Refreshed(entry)
    work = work_of(entry)
    look = observer(op, work, runtime)
    if look is None:
        return Refreshed(entry)
    try:
        seen = await look()
    except ScpError as exc:
        return Refreshed(entry, error=f"could not check it: {exc}")
    name = entry.target_name or await _name_of(runtime, op, work)
    return Refreshed(settle(runtime, entry, seen, work.resource_id, name))


async def _name_of(runtime: ToolRuntime, op: Operation, work: Work) -> str | None:
    """The target's name, read once through its show sibling when the call that started the work did
    not name it (so that operators can find their work by name); None when it cannot be read."""
    show = load_catalog().sibling(op, "show")
    if show is None or work.resource_id is None or "{" not in show.path:
        return None
    param = show.path[show.path.rindex("{") + 1 : show.path.rindex("}")]
    try:
        result = await runtime.send(show, path={param: work.resource_id})
    except ScpError:
        return None
    data = result.data if isinstance(result.data, Mapping) else {}
    return record_name(data, kind_prefixes(show), op.resource.name_field if op.resource else None)


async def refresh_all(runtime: ToolRuntime, entries: Sequence[OperationEntry]) -> list[Refreshed]:
    """Every entry refreshed, at most REFRESH_CONCURRENCY at a time, in the order given."""
    out: list[Refreshed] = [Refreshed(e) for e in entries]
    limiter = anyio.CapacityLimiter(REFRESH_CONCURRENCY)

    async def one(i: int) -> None:
        async with limiter:
            out[i] = await refresh(runtime, entries[i])

    async with anyio.create_task_group() as tg:
        for i, entry in enumerate(entries):
            if not entry.finished:
                tg.start_soon(one, i)
    return out


async def read(
    runtime: ToolRuntime,
    *,
    statuses: tuple[OperationStatus, ...] = (),
    service: str | None = None,
    target: str | None = None,
    limit: int = 20,
) -> list[Refreshed]:
    """The caller's entries, newest first, refreshed. A status filter applies to the refreshed status, so
    work that finished since it was last seen is not listed as still running (unfinished entries are
    read whatever the filter: they may have become what it asks for)."""
    wanted = (*statuses, *UNFINISHED) if statuses else ()
    entries = runtime.store.operations(
        runtime.principal(), statuses=wanted, service=service, target=target, limit=limit
    )
    refreshed = await refresh_all(runtime, entries)
    return [r for r in refreshed if not statuses or r.entry.status in statuses]


async def read_one(runtime: ToolRuntime, key: str) -> Refreshed | None:
    entry = runtime.store.operation(runtime.principal(), key)
    return await refresh(runtime, entry) if entry is not None else None


def last_known(runtime: ToolRuntime, target_id: str, limit: int = 10) -> list[OperationEntry]:
    """The caller's latest entries on one target, newest first, as last recorded (no SCP reads)."""
    return runtime.store.operations(runtime.principal(), target=target_id, limit=limit)
