"""The one call pipeline every generated tool runs: policy, arguments, guard, send, shape.

Validation of argument types happens before this, in the SDK, against the same schema the tool
advertises; everything that fails here becomes an ``isError`` result or, for the guard, a non-error
``confirmation_required`` result. Nothing is sent before the guard lets it through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.elicitation import AcceptedElicitation, CancelledElicitation
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import NotFound, ScpError
from scp_mcp.tools.answer import shape
from scp_mcp.tools.envelope import Reply, Target
from scp_mcp.tools.errors import ArgumentProblem, api_error_text
from scp_mcp.tools.guard import Confirmation, NoDialog, UseArgument, Verdict, argument_verdict, fetch_target
from scp_mcp.tools.naming import title_of
from scp_mcp.tools.prepare import PreparedCall, prepare
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.summary import summarize_preview
from scp_mcp.tools.surface import ToolSpec

_NO_DIALOG = (
    "this server confirms {risk} operations only through an elicitation dialog, and this client cannot "
    "show one; nothing was sent. Use a client that supports elicitation, or start the server with "
    "--confirm either"
)


async def run_tool(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], arguments: Mapping[str, Any], outcome: Any
) -> CallToolResult:
    refusal = runtime.settings.policy.refusal(spec.op)
    if refusal is not None:
        return reply_for(spec, runtime).error(f"Refused: {refusal}; nothing was sent.", "policy")
    try:
        call = prepare(spec, runtime, arguments)
    except ArgumentProblem as exc:
        text = f"Invalid arguments for {spec.name}: {exc}. Nothing was sent; fix them and call again."
        return reply_for(spec, runtime).error(text, "invalid_arguments")
    target = None
    if spec.op.guarded:
        try:
            verdict = await _guard(spec, runtime, call, outcome)
        except NotFound as exc:
            return _missing_target(spec, runtime, call, exc)
        if not verdict.proceed:
            return _not_sent(spec, runtime, call, verdict)
        target = verdict.target
    return await _send(spec, runtime, ctx, call, target)


async def _guard(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, outcome: Any) -> Verdict:
    if outcome is None or (isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, UseArgument)):
        return await argument_verdict(spec, call, runtime)
    if isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, NoDialog):
        return Verdict(False, None, reason=_NO_DIALOG.format(risk=spec.op.risk), status="error")
    target = await fetch_target(spec, call, runtime)
    if isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, Confirmation) and outcome.data.confirm:
        return Verdict(True, target)
    how = "cancelled the confirmation dialog" if isinstance(outcome, CancelledElicitation) else "declined"
    return Verdict(False, target, reason=f"the user {how}; nothing was sent", status="declined")


def reply_for(spec: ToolSpec, runtime: ToolRuntime) -> Reply:
    return Reply(spec.name, spec.op.name, runtime.backend, runtime.settings.secrets)


def _not_sent(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, verdict: Verdict) -> CallToolResult:
    reply = reply_for(spec, runtime)
    if verdict.status == "error":
        return reply.error(f"Not sent: {verdict.reason}.", "confirmation_unavailable")
    if verdict.status == "declined" or verdict.preview is None or verdict.confirm_with is None:
        text = f"{spec.title}: {verdict.reason or 'not confirmed'}."
        return reply.result(text, reply.content("declined", reason=verdict.reason, api_version=call.version))
    text = summarize_preview(spec.name, verdict.preview, verdict.confirm_with, verdict.reason)
    content = reply.content(
        "confirmation_required",
        api_version=call.version,
        preview=verdict.preview.model_dump(),
        confirm_with=verdict.confirm_with,
        reason=verdict.reason,
    )
    return reply.result(text, content)


async def _send(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], call: PreparedCall, target: Target | None
) -> CallToolResult:
    try:
        answer = await runtime.send(
            spec.op, path=call.path, query=call.query or None, body=call.body, version=call.version
        )
    except ScpError as exc:
        return _api_error(spec, runtime, call, exc)
    return await shape(spec, runtime, ctx, call, answer, target)


def _api_error(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, exc: ScpError) -> CallToolResult:
    return reply_for(spec, runtime).error(
        api_error_text(spec.title, spec.op, exc),
        type(exc).__name__,
        http_status=exc.status,
        request_id=exc.request_id,
        api_version=call.version,
    )


def _missing_target(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, exc: NotFound) -> CallToolResult:
    """The guard's look at the target found nothing: there is nothing to confirm, and nothing was sent."""
    show = load_catalog().sibling(spec.op, "show") or spec.op
    text = "Nothing was sent. " + api_error_text(title_of(show), show, exc)
    return reply_for(spec, runtime).error(
        text, "NotFound", http_status=exc.status, request_id=exc.request_id, api_version=call.version
    )
