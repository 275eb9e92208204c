"""The audit log: every write, disruptive and destructive call, confirmed, declined or refused, and
whether it executed, failed or ended with an unknown outcome. Arguments are redacted and the
confirmation token left out: nothing secret reaches the store."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scp_mcp.client.errors import OutcomeUnknown, ScpError
from scp_mcp.store import AuditEntry
from scp_mcp.store.base import ConfirmationMethod, Decision, Outcome
from scp_mcp.tools.arguments import CONFIRM_TOKEN_ARG
from scp_mcp.tools.callers import with_caller
from scp_mcp.tools.envelope import Target
from scp_mcp.tools.redact import redact
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.surface import ToolSpec

log = logging.getLogger(__name__)


def client_name(ctx: Any) -> str:
    """The MCP client's name from its client info, when it gave one."""
    try:
        params = ctx.session.client_params
        name = params.client_info.name if params is not None else None
    except (AttributeError, LookupError, ValueError):
        name = None
    return name if isinstance(name, str) and name else "unknown"


def outcome_of(exc: ScpError | None) -> Outcome:
    if exc is None:
        return "executed"
    return "unknown" if isinstance(exc, OutcomeUnknown) else "failed"


def record(
    spec: ToolSpec,
    runtime: ToolRuntime,
    ctx: Any,
    arguments: Mapping[str, Any],
    target: Target | None,
    *,
    confirmation: ConfirmationMethod,
    decision: Decision,
    outcome: Outcome,
    request_id: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one entry; a store that fails is logged, never turned into the call's failure."""
    op = spec.op
    if op.risk == "read":
        return
    kind = target.kind if target else (op.resource.kind if op.resource else None)
    entry = AuditEntry(
        at=runtime.timestamp(),
        client=with_caller(client_name(ctx)),
        tool=spec.name,
        risk=op.risk,
        target_kind=kind,
        target_id=target.id if target else _id_argument(spec, arguments),
        target_name=target.name if target else None,
        arguments=redact({k: v for k, v in _plain(arguments).items() if k != CONFIRM_TOKEN_ARG}),
        confirmation=confirmation,
        decision=decision,
        outcome=outcome,
        request_id=request_id,
        detail=detail,
    )
    try:
        runtime.store.append_audit(entry)
    except Exception:
        log.exception("could not append to the audit log: %s %s", spec.name, decision)


def _id_argument(spec: ToolSpec, arguments: Mapping[str, Any]) -> str | None:
    resource = spec.op.resource
    if resource is None or resource.id_param is None:
        return None
    for arg in spec.args:
        if arg.wire_name == resource.id_param and arguments.get(arg.name) is not None:
            return str(arguments[arg.name])
    return None


def _plain(arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key): _value(value) for key, value in arguments.items()}


def _value(value: Any) -> Any:
    """Models as the JSON they are sent as, so that redaction sees every field name."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _value(dump(mode="json", by_alias=True, exclude_unset=True))
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
