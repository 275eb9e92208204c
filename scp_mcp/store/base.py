"""The store's interface and the records it keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

ConfirmationMethod = Literal["elicitation", "argument", "none"]
Decision = Literal["confirmed", "declined", "refused", "not_required"]
Outcome = Literal["executed", "failed", "unknown", "not_sent"]
OperationStatus = Literal["in_progress", "completed", "failed", "unknown"]
FINISHED: tuple[OperationStatus, ...] = ("completed", "failed")


@dataclass(frozen=True)
class AuditEntry:
    """One write, disruptive or destructive call, whatever became of it. Holds nothing secret:
    the arguments are redacted by the caller before they get here."""

    at: str  # UTC, ISO 8601
    client: str
    tool: str
    risk: str
    target_kind: str | None
    target_id: str | None
    target_name: str | None
    arguments: dict[str, Any]
    confirmation: ConfirmationMethod
    decision: Decision
    outcome: Outcome
    request_id: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OperationEntry:
    """One piece of asynchronous work in the ledger, scoped to the caller who started it. ``key`` is
    SCP's request id, or ``<kind>:<id or name>`` for work followed through the resource's state.
    The arguments are redacted by the caller before they get here."""

    key: str
    caller: str
    tool: str
    service: str
    follow: str  # "request" (Show Request) | "resource" (the resource's own state)
    request_id: str | None
    target_kind: str | None
    target_id: str | None
    target_name: str | None
    arguments: dict[str, Any]
    status: OperationStatus
    state: str | None  # the last state SCP reported
    started_at: str  # UTC, ISO 8601
    updated_at: str
    finished_at: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Store(Protocol):
    """What the tools keep beyond one call. Every method is safe to call from several tasks and
    threads at once; ``use_confirmation`` is atomic across every process sharing the store."""

    def use_confirmation(self, token_id: str, expires_at: float, now: float) -> bool:
        """Mark a confirmation used; False when it was used before (then nothing may run)."""
        ...

    def append_audit(self, entry: AuditEntry) -> None: ...

    def audit_entries(self, since: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """Entries at or after ``since`` (UTC ISO 8601), oldest first, the most recent ``limit``."""
        ...

    def close(self) -> None: ...
