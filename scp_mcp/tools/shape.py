"""Shape an answer: typed data, secrets redacted, a summary, async work recorded and optionally waited on."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import ValidationError

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import ScpError
from scp_mcp.tools.errors import validation_message
from scp_mcp.tools.follow import Work, follow_hint, observer, started_work
from scp_mcp.tools.ledger import LedgerEntry, Observation, poll
from scp_mcp.tools.output import AsyncState, Status, Target
from scp_mcp.tools.redact import redact
from scp_mcp.tools.request import PreparedCall
from scp_mcp.tools.results import envelope, error_result, result
from scp_mcp.tools.runtime import ApiResultLike, ToolRuntime
from scp_mcp.tools.spec import ToolSpec
from scp_mcp.tools.summary import summarize_async, summarize_data


def typed_data(spec: ToolSpec, version: str, data: Any, warnings: list[str]) -> Any:
    """The body checked against the documented model; off-model bodies are passed as is, with a warning."""
    op = spec.op
    model_name = op.version(version).success.model if version in op.versions else None
    if data is None or model_name is None:
        return redact(data) if isinstance(data, dict) else None
    model = load_catalog().services[op.service].model(model_name)
    try:
        typed = model.model_validate(data)
    except ValidationError as exc:
        warnings.append(f"The response does not match the documented {model_name}: {validation_message(exc, 3)}")
        return None
    return redact(typed.model_dump(mode="json", by_alias=True))


async def shape(
    spec: ToolSpec,
    runtime: ToolRuntime,
    ctx: Context[Any, Any],
    call: PreparedCall,
    answer: ApiResultLike,
    target: Target | None = None,
) -> CallToolResult:
    warnings = list(answer.warnings)
    data = typed_data(spec, answer.version, answer.data, warnings)
    # SCP answers that drift from the reference (a new enum value, a missing field) are still the
    # answer: the assistant gets them untyped, with a warning, rather than an error.
    raw = redact(answer.data) if data is None and isinstance(answer.data, dict | list) else None
    if spec.op.risk == "read" and data is None and raw is None and _documents_a_body(spec, answer):
        text = (
            f"{spec.title} failed: SCP answered HTTP {answer.status} but the body could not be read "
            f"({warnings[0] if warnings else 'no body'}). Nothing was changed; retry, and if it persists report "
            f"the SCP request id ({answer.request_id or 'none given'}) to Samsung support."
        )
        return error_result(
            spec,
            runtime,
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
        text = summarize_data(spec.op, data if data is not None else raw)
        return result(spec, runtime, _with_warnings(text, warnings), envelope(spec, runtime, "ok", **common))
    work = started_work(spec.op, call, answer.data)
    if work.resource_name is None and target is not None:
        work.resource_name = target.name
    state, status = await _follow(spec, runtime, ctx, call, work, warnings)
    hint = follow_hint(spec.op, work, done=state.done, failed=state.failed)
    text = summarize_async(spec.op, state, spec.name, hint)
    content = envelope(spec, runtime, status, async_request=state.model_dump(), **common)
    return result(spec, runtime, _with_warnings(text, warnings), content, is_error=status == "failed")


def _documents_a_body(spec: ToolSpec, answer: ApiResultLike) -> bool:
    """Whether the answer should have had a body: a read without one is an answer nobody can use."""
    op = spec.op
    return answer.version in op.versions and op.version(answer.version).success.model is not None


def _with_warnings(text: str, warnings: list[str]) -> str:
    return text + "".join(f"\nWarning: {w}" for w in warnings)


async def _follow(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], call: PreparedCall, work: Work, warnings: list[str]
) -> tuple[AsyncState, Status]:
    now = runtime.timestamp()
    runtime.ledger.record(
        LedgerEntry(
            key=work.key,
            tool=spec.name,
            service=spec.op.service,
            kind=work.kind,
            request_id=work.request_id,
            resource_kind=work.resource_kind,
            resource_id=work.resource_id,
            resource_name=work.resource_name,
            state=None,
            done=False,
            failed=False,
            started_at=now,
            updated_at=now,
        )
    )
    look = observer(spec.op, work, runtime)
    seen = Observation(None, done=False)
    waited = 0.0
    if call.wait_s > 0 and look is not None:
        problems: list[str] = []
        seen, waited = await _wait(runtime, ctx, look, min(call.wait_s, runtime.max_wait_s), problems)
        if problems:
            warnings.append(f"Progress could not be checked {len(problems)} time(s); last: {problems[-1]}")
        runtime.ledger.update(work.key, seen, runtime.timestamp())
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


async def _wait(
    runtime: ToolRuntime, ctx: Context[Any, Any], look: Any, timeout_s: float, problems: list[str]
) -> tuple[Observation, float]:
    async def progress(done: float, total: float, message: str) -> None:
        await ctx.report_progress(done, total, message)

    async def safe_look() -> Observation:
        try:
            observation: Observation = await look()
        except ScpError as exc:
            problems.append(str(exc))
            return Observation("UNKNOWN", done=False)
        return observation

    return await poll(
        safe_look,
        timeout_s=timeout_s,
        interval_s=runtime.poll_interval_s,
        clock=runtime.clock,
        sleep=runtime.sleep,
        progress=progress,
    )
