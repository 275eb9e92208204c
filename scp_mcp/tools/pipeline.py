"""The one call pipeline every generated tool runs: policy, arguments, guard, send, shape.

Validation of argument types happens before this, in the SDK, against the same schema the tool
advertises; everything that fails here becomes an ``isError`` result or, for the guard, a non-error
``confirmation_required`` result. Nothing is sent before the guard lets it through.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, Literal

from mcp.server.elicitation import AcceptedElicitation, CancelledElicitation
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, TextContent

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client.errors import NotFound, OutcomeUnknown, ScpError
from scp_mcp.tools import audit, ledger
from scp_mcp.tools.answer import sent_arguments, shape
from scp_mcp.tools.envelope import Reply, Target
from scp_mcp.tools.errors import ArgumentProblem, api_error_text
from scp_mcp.tools.guard import Confirmation, NoDialog, UseArgument, Verdict, argument_verdict, request_digest
from scp_mcp.tools.naming import title_of
from scp_mcp.tools.precheck import Look, Refusal, check, dry_runs, read_target
from scp_mcp.tools.prepare import PreparedCall, prepare
from scp_mcp.tools.redact import error_text, secret_values
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
        audit.record(spec, runtime, ctx, arguments, None, confirmation="none", decision="refused", outcome="not_sent")
        return reply_for(spec, runtime).error(f"Refused: {refusal}; nothing was sent.", "policy")
    try:
        call = prepare(spec, runtime, arguments)
    except ArgumentProblem as exc:
        text = f"Invalid arguments for {spec.name}: {exc}. Nothing was sent; fix them and call again."
        return reply_for(spec, runtime).error(text, "invalid_arguments")
    if not spec.op.guarded:
        return await _checked_send(spec, runtime, ctx, call, arguments)
    try:
        verdict = await _guard(spec, runtime, ctx, call, outcome)
    except Refusal as exc:
        return _refused(spec, runtime, ctx, call, arguments, exc)
    except ScpError as exc:
        detail = f"the target could not be read: {exc}"
        audit.record(
            spec,
            runtime,
            ctx,
            arguments,
            None,
            confirmation="none",
            decision="refused",
            outcome="not_sent",
            detail=detail,
        )
        return _unreadable_target(spec, runtime, call, exc)
    if not verdict.proceed:
        if verdict.reason is not None:  # a confirmation was tried (a first preview is not a call yet)
            decision: Literal["declined", "refused"] = "declined" if verdict.status == "declined" else "refused"
            audit.record(
                spec, runtime, ctx, arguments, verdict.target,
                confirmation=verdict.method, decision=decision, outcome="not_sent", detail=verdict.reason,
            )  # fmt: skip
        return _not_sent(spec, runtime, call, verdict)
    return await _send(spec, runtime, ctx, call, arguments, verdict.target, verdict.method)


async def _checked_send(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], call: PreparedCall, arguments: Mapping[str, Any]
) -> CallToolResult:
    """An unguarded change, checked first (precheck.py) where the catalog says what to check; a target
    that cannot be read is left to SCP to answer."""
    op = spec.op
    try:
        if op.precheck.allowed_states is not None or op.precheck.same_value:
            check(op, call, await _look(op, call, runtime))
        notes = await dry_runs(op, call, runtime)
    except Refusal as exc:
        return _refused(spec, runtime, ctx, call, arguments, exc)
    result = await _send(spec, runtime, ctx, call, arguments, None, "none")
    return _noted(result, notes)


async def _look(op: Operation, call: PreparedCall, runtime: ToolRuntime) -> Look:
    try:
        return await read_target(op, call, runtime)
    except ScpError:
        return Look(None)  # nothing to check against: SCP answers for the target


def _noted(result: CallToolResult, notes: list[str]) -> CallToolResult:
    """The dry runs that passed, said briefly before the answer."""
    first = result.content[0] if result.content else None
    if notes and isinstance(first, TextContent):
        result.content[0] = TextContent(type="text", text=f"Dry run passed ({'; '.join(notes)}). {first.text}")
    return result


def _refused(
    spec: ToolSpec,
    runtime: ToolRuntime,
    ctx: Context[Any, Any],
    call: PreparedCall,
    arguments: Mapping[str, Any],
    exc: Refusal,
) -> CallToolResult:
    """A check failed before anything was asked or sent: an error that says what to change."""
    text = f"Not sent{', nothing to confirm' if spec.op.guarded else ''}: {exc}"
    audit.record(
        spec, runtime, ctx, arguments, None,
        confirmation="none", decision="refused", outcome="not_sent", detail=text,
    )  # fmt: skip
    return reply_for(spec, runtime).error(text, exc.kind, api_version=call.version)


_ELICITED_LIMIT = 1000


def elicited_key(ctx: Context[Any, Any]) -> str:
    """One request on one connection: where the resolver leaves its preview for the tool body."""
    return f"{id(ctx.session)}:{ctx.request_id}"


def remember_elicited(runtime: ToolRuntime, ctx: Context[Any, Any], digest: str, target: Target | None) -> None:
    runtime.elicited[elicited_key(ctx)] = (digest, target)
    while len(runtime.elicited) > _ELICITED_LIMIT:  # forgotten previews only refuse (fail closed)
        runtime.elicited.pop(next(iter(runtime.elicited)))


async def _guard(
    spec: ToolSpec, runtime: ToolRuntime, ctx: Context[Any, Any], call: PreparedCall, outcome: Any
) -> Verdict:
    if outcome is None or (isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, UseArgument)):
        return await argument_verdict(spec, call, runtime)
    if isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, NoDialog):
        return Verdict(False, None, reason=_NO_DIALOG.format(risk=spec.op.risk), status="error")
    shown = runtime.elicited.pop(elicited_key(ctx), None)
    target = shown[1] if shown else None
    if not (
        isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, Confirmation) and outcome.data.confirm
    ):
        how = "cancelled the confirmation dialog" if isinstance(outcome, CancelledElicitation) else "declined"
        return Verdict(
            False, target, reason=f"the user {how}; nothing was sent", status="declined", method="elicitation"
        )
    if shown is None or shown[0] != request_digest(spec, call, runtime):
        reason = "the confirmed dialog did not show this exact request; nothing was sent, call again to be asked"
        return Verdict(False, target, reason=reason, status="error", method="elicitation")
    now = runtime.wall_clock()
    # A dialog answered mid-call (<= 2025-11-25) cannot be replayed; an answer carried in request_state
    # (>= 2026-07-28) could be, so it is spent: the same answer never runs the request twice.
    round_id = ctx.request_state if ctx.request_state is not None else secrets.token_hex(16)
    token_id = "elicitation:" + hashlib.sha256(f"{shown[0]}\0{round_id}".encode()).hexdigest()
    if not runtime.store.use_confirmation(token_id, now + runtime.settings.preview_ttl_s, now):
        reason = "this confirmation was already used; nothing was sent, call again to be asked"
        return Verdict(False, target, reason=reason, status="error", method="elicitation")
    return Verdict(True, target, method="elicitation")


def reply_for(spec: ToolSpec, runtime: ToolRuntime) -> Reply:
    return Reply(spec.name, spec.op.name, runtime.backend, runtime.settings.secrets)


def _not_sent(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, verdict: Verdict) -> CallToolResult:
    reply = reply_for(spec, runtime)
    if verdict.status == "error":
        return reply.error(f"Not sent: {verdict.reason}.", "confirmation_unavailable", api_version=call.version)
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
    spec: ToolSpec,
    runtime: ToolRuntime,
    ctx: Context[Any, Any],
    call: PreparedCall,
    arguments: Mapping[str, Any],
    target: Target | None,
    method: Literal["elicitation", "argument", "none"],
) -> CallToolResult:
    decision: Literal["confirmed", "not_required"] = "confirmed" if spec.op.guarded else "not_required"
    try:
        answer = await runtime.send(
            spec.op, path=call.path, query=call.query or None, body=call.body, version=call.version
        )
    except ScpError as exc:
        if isinstance(exc, OutcomeUnknown):  # the work may be running: the ledger follows its resource
            ledger.lost(runtime, spec.op, spec.name, call.path, call.body, sent_arguments(call))
        hidden = runtime.settings.secrets + secret_values(call.body, call.query)  # an API may quote the body
        audit.record(
            spec, runtime, ctx, arguments, target, confirmation=method, decision=decision,
            outcome=audit.outcome_of(exc), request_id=exc.request_id, detail=error_text(str(exc), hidden),
        )  # fmt: skip
        return _api_error(spec, runtime, call, exc, hidden)
    audit.record(
        spec, runtime, ctx, arguments, target, confirmation=method, decision=decision,
        outcome="executed", request_id=answer.request_id, detail=f"HTTP {answer.status}",
    )  # fmt: skip
    return await shape(spec, runtime, ctx, call, answer, target)


def _api_error(
    spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, exc: ScpError, hidden: tuple[str, ...]
) -> CallToolResult:
    return Reply(spec.name, spec.op.name, runtime.backend, hidden).error(
        api_error_text(spec.title, spec.op, exc),
        type(exc).__name__,
        http_status=exc.status,
        request_id=exc.request_id,
        api_version=call.version,
    )


def _unreadable_target(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, exc: ScpError) -> CallToolResult:
    """The guard could not read the target: nothing to show, so nothing to confirm, and nothing was sent."""
    if isinstance(exc, NotFound):
        return _missing_target(spec, runtime, call, exc)
    show = load_catalog().sibling(spec.op, "show") or spec.op
    text = (
        f"Nothing was sent: {spec.title} needs a preview of its target, and reading it failed, so there is "
        f"nothing to confirm. {api_error_text(title_of(show), show, exc)}"
    )
    return reply_for(spec, runtime).error(
        text, type(exc).__name__, http_status=exc.status, request_id=exc.request_id, api_version=call.version
    )


def _missing_target(spec: ToolSpec, runtime: ToolRuntime, call: PreparedCall, exc: NotFound) -> CallToolResult:
    """The guard's look at the target found nothing: there is nothing to confirm, and nothing was sent."""
    show = load_catalog().sibling(spec.op, "show") or spec.op
    text = "Nothing was sent. " + api_error_text(title_of(show), show, exc)
    return reply_for(spec, runtime).error(
        text, "NotFound", http_status=exc.status, request_id=exc.request_id, api_version=call.version
    )
