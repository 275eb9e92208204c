"""From SCP's answer to the tool's result: typed data, secrets redacted, a summary, and asynchronous work
recorded in the ledger and optionally waited on."""

from __future__ import annotations

import logging
from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from scp_mcp.client.errors import ScpError
from scp_mcp.store import OperationEntry
from scp_mcp.tools import ledger
from scp_mcp.tools.envelope import AsyncState, Reply, Status, Target
from scp_mcp.tools.follow import Observation, Work, follow_hint, observer, started_work, wait_for
from scp_mcp.tools.prepare import PreparedCall
from scp_mcp.tools.redact import redact, redact_model
from scp_mcp.tools.runtime import ApiResultLike, ToolRuntime
from scp_mcp.tools.summary import has_more, summarize_async, summarize_data, within_budget
from scp_mcp.tools.surface import ToolSpec

log = logging.getLogger(__name__)


def typed_data(spec: ToolSpec, answer: ApiResultLike) -> Any:
    """The body as the client typed it (validated once, there, against the documented model), redacted.

    None when it does not fit the model: the client's warning says why, and the body goes out untyped."""
    if answer.model is not None:
        return redact_model(answer.model)
    op = spec.op
    documented = answer.version in op.versions and op.version(answer.version).success.model is not None
    if documented or not isinstance(answer.data, dict):
        return None
    return redact(answer.data)


async def shape(
    spec: ToolSpec,
    runtime: ToolRuntime,
    ctx: Context[Any, Any],
    call: PreparedCall,
    answer: ApiResultLike,
    target: Target | None = None,
) -> CallToolResult:
    warnings = list(answer.warnings)
    data = typed_data(spec, answer)
    reply = Reply(spec.name, spec.op.name, runtime.backend, runtime.settings.secrets)
    # SCP answers that drift from the reference (a new enum value, a missing field) are still the
    # answer: the assistant gets them untyped, with a warning, rather than an error.
    raw = redact(answer.data) if data is None and isinstance(answer.data, dict | list) else None
    if spec.op.risk == "read" and data is None and raw is None and _documents_a_body(spec, answer):
        text = (
            f"{spec.title} failed: SCP answered HTTP {answer.status} but the body could not be read "
            f"({warnings[0] if warnings else 'no body'}). Nothing was changed; retry, and if it persists report "
            f"the SCP request id ({answer.request_id or 'none given'}) to Samsung support."
        )
        return reply.error(
            text,
            "UnreadableResponse",
            http_status=answer.status,
            request_id=answer.request_id,
            api_version=answer.version,
            warnings=warnings,
        )
    common: dict[str, Any] = {
        "api_version": answer.version,
        "http_status": answer.status,
        "request_id": answer.request_id,
        "data": data,
        "raw_data": raw,
        "warnings": warnings,
    }
    if spec.op.async_kind == "sync" or answer.status >= 300:
        body = data if data is not None else raw
        text, cut = within_budget(summarize_data(spec.op, body))
        content = reply.content("ok", truncated=(cut or has_more(body)) or None, **common)
        return reply.result(_with_warnings(text, warnings), content)
    work = started_work(spec.op, call, answer.data)
    if work.resource_name is None and target is not None:
        work.resource_name = target.name
    state, status = await _follow(spec, runtime, ctx, call, work, warnings)
    hint = follow_hint(spec.op, work, done=state.done, failed=state.failed)
    text = summarize_async(spec.op, state, spec.name, hint)
    content = reply.content(status, async_request=state.model_dump(), **common)
    return reply.result(_with_warnings(text, warnings), content, is_error=status == "failed")


def sent_arguments(call: PreparedCall) -> dict[str, Any]:
    """What was sent, as the ledger keeps it: path, query and body fields, secrets masked."""
    body = call.body if isinstance(call.body, dict) else {}
    return dict(redact({**call.path, **call.query, **body}))


def _documents_a_body(spec: ToolSpec, answer: ApiResultLike) -> bool:
    """Whether the answer should have had a body: a read without one is an answer nobody can use."""
    op = spec.op
    return answer.version in op.versions and op.version(answer.version).success.model is not None


def _with_warnings(text: str, warnings: list[str]) -> str:
    return text + "".join(f"\nWarning: {w}" for w in warnings)


async def _follow(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], call: PreparedCall, work: Work, warnings: list[str]
) -> tuple[AsyncState, Status]:
    entry = _record(spec, runtime, call, work, warnings)
    look = observer(spec.op, work, runtime)
    seen = Observation(None, done=False)
    waited = 0.0
    if call.wait_s > 0 and look is not None:
        problems: list[str] = []
        seen, waited = await _wait(runtime, ctx, look, min(call.wait_s, runtime.settings.max_wait_s), problems)
        if problems:
            warnings.append(f"Progress could not be checked {len(problems)} time(s); last: {problems[-1]}")
        if entry is not None:
            ledger.settle(runtime, entry, seen, work.resource_id)
    state = AsyncState(
        kind=work.kind,
        request_id=work.request_id,
        resource_kind=work.resource_kind,
        resource_id=work.resource_id,
        resource_name=work.resource_name,
        state=seen.state,
        done=seen.done,
        failed=seen.failed,
        waited_s=round(waited, 3),
    )
    status: Status = "accepted"
    if call.wait_s > 0:
        status = "failed" if seen.failed else "succeeded" if seen.done else "still_running"
    return state, status


def _record(
    spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, work: Work, warnings: list[str]
) -> OperationEntry | None:
    """Recorded before any wait: a cancelled wait (a client gone) leaves the work known, still in progress.
    SCP accepted the work, so a store that fails is a warning, never the call's failure."""
    try:
        return ledger.start(runtime, spec.op, spec.name, work, sent_arguments(call))
    except Exception as exc:
        log.exception("could not record %s in the ledger", spec.name)
        warnings.append(f"Not recorded in the ledger ({type(exc).__name__}); follow it with the call named here.")
        return None


async def _wait(
    runtime: ToolRuntime, ctx: Context[Any, Any], look: Any, timeout_s: float, problems: list[str]
) -> tuple[Observation, float]:
    async def safe_look() -> Observation:
        try:
            observation: Observation = await look()
        except ScpError as exc:
            problems.append(str(exc))
            return Observation("UNKNOWN", done=False)
        return observation

    return await wait_for(runtime, safe_look, timeout_s, ctx.report_progress)
