"""What both stores write and read, in SQL either of them runs: the columns, the values of an entry, the
ledger's filter and update, and rows back to entries. Each store passes its placeholder (``?`` for
SQLite, ``%s`` for PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

from scp_mcp.store.base import AuditEntry, OperationEntry, OperationStatus

AUDIT_COLUMNS = tuple(AuditEntry.__dataclass_fields__)
OPERATION_COLUMNS = tuple(OperationEntry.__dataclass_fields__)
AUDIT_SELECT = f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit"
OPERATION_SELECT = f"SELECT {', '.join(OPERATION_COLUMNS)} FROM operations"


def insert(table: str, columns: tuple[str, ...], mark: str, json_mark: str | None = None) -> str:
    """``INSERT INTO table (columns) VALUES (…)``; ``json_mark`` is the placeholder of the arguments column."""
    marks = ", ".join(json_mark if json_mark and name == "arguments" else mark for name in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def values(entry: AuditEntry | OperationEntry, columns: tuple[str, ...]) -> list[Any]:
    """The entry's values in column order, its arguments as JSON text."""
    fields = entry.as_dict()
    fields["arguments"] = json.dumps(entry.arguments, sort_keys=True, default=str)
    return [fields[name] for name in columns]


def update_operation(mark: str) -> str:
    """The ledger's update: it never touches an entry that has finished (a finished entry is final)."""
    return (
        f"UPDATE operations SET target_id = {mark}, target_name = {mark}, status = {mark}, state = {mark}, "
        f"updated_at = {mark}, finished_at = {mark} WHERE caller = {mark} AND key = {mark} AND finished_at IS NULL"
    )


def update_values(entry: OperationEntry) -> tuple[Any, ...]:
    return (entry.target_id, entry.target_name, entry.status, entry.state, entry.updated_at, entry.finished_at,
            entry.caller, entry.key)  # fmt: skip


def operations_query(
    mark: str,
    caller: str,
    statuses: tuple[OperationStatus, ...],
    service: str | None,
    target: str | None,
    limit: int,
) -> tuple[str, list[Any]]:
    """The caller's entries, filtered, newest first: the query and its parameters."""
    where, params = [f"caller = {mark}"], [caller]
    if statuses:
        where.append(f"status IN ({', '.join(mark for _ in statuses)})")
        params.extend(statuses)
    if service:
        where.append(f"service = {mark}")
        params.append(service)
    if target:
        where.append(f"(target_id = {mark} OR target_name = {mark})")
        params.extend((target, target))
    query = f"{OPERATION_SELECT} WHERE {' AND '.join(where)} ORDER BY started_at DESC, id DESC LIMIT {mark}"
    return query, [*params, limit]


def _arguments(value: Any) -> dict[str, Any]:
    """JSON text (SQLite) or already decoded (PostgreSQL's jsonb)."""
    decoded = json.loads(value) if isinstance(value, str) else value
    return dict(decoded)


def audit_entry(row: tuple[Any, ...]) -> AuditEntry:
    fields = dict(zip(AUDIT_COLUMNS, row, strict=True))
    fields["arguments"] = _arguments(fields["arguments"])
    return AuditEntry(**fields)


def operation_entry(row: tuple[Any, ...]) -> OperationEntry:
    fields = dict(zip(OPERATION_COLUMNS, row, strict=True))
    fields["arguments"] = _arguments(fields["arguments"])
    return OperationEntry(**fields)
