"""The confirmation guard: nothing disruptive or destructive is sent before a human could see it.

Every guarded call is previewed first, and the preview reads the target (its name and state) through
its ``show`` sibling (a part, through its owner's); a target that cannot be read (missing, or any error)
leaves nothing to confirm, and neither does a change its state forbids or one that changes nothing
(precheck.py). The preview says what changes: current → target, and what a removal takes away.
Two ways to confirm, chosen by the server's confirmation setting:
- elicitation: the server asks the human through the client, with a preview of this exact request;
  accept executes that request, once;
- the arguments: a first call returns ``confirmation_required`` with a preview and ``confirm_with``:
  ``confirm`` (the target's name, or its id where it has none) and ``confirm_token``, which seals the
  exact request (method, path, version, query, body) and the target's state (see confirmations.py).
  Calling again with the same arguments plus both executes, once, within the time to live. Anything
  else (another value, another request, a changed target, a used or expired token) sends nothing and
  says why, with a fresh preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from scp_mcp.tools.arguments import CONFIRM_ARG, CONFIRM_TOKEN_ARG
from scp_mcp.tools.confirmations import TokenProblem
from scp_mcp.tools.envelope import Preview, Target
from scp_mcp.tools.naming import humanize
from scp_mcp.tools.precheck import changes, check, read_target, removed
from scp_mcp.tools.prepare import PreparedCall
from scp_mcp.tools.redact import redact
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.summary import describe_target
from scp_mcp.tools.surface import ToolSpec

_EFFECT = {
    "destructive": "it removes the target or its data for good and cannot be undone.",
    "disruptive": "it interrupts the service (nodes stop or restart) while it runs.",
}


class Confirmation(BaseModel):
    """What the elicitation dialog asks."""

    confirm: bool = Field(description="Yes, go ahead")


class UseArgument(BaseModel):
    """Resolver outcome: confirm through the ``confirm`` argument round trip."""


class NoDialog(BaseModel):
    """Resolver outcome: elicitation is required but the client cannot show a dialog."""


@dataclass(frozen=True)
class Verdict:
    proceed: bool
    target: Target | None
    preview: Preview | None = None
    confirm_with: dict[str, str] | None = None
    reason: str | None = None
    status: Literal["confirmation_required", "declined", "error"] = "confirmation_required"
    method: Literal["elicitation", "argument", "none"] = "none"  # how it was confirmed (or refused)


async def look_before(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> tuple[Target | None, Preview]:
    """The target as it is now, checked (precheck.py), and the preview of this request on it.

    Raises the client's error when the target cannot be read (then there is nothing to confirm), and
    ``Refusal`` when its state forbids the change or the change would change nothing."""
    op = spec.op
    look = await read_target(op, call, runtime)
    check(op, call, look)
    shown = changes(op, call, look)
    gone = await removed(op, call, runtime)
    if gone:
        shown.append(f"removes {len(gone)}: {'; '.join(gone)}")
    return look.target, make_preview(spec, call, look.target, shown)


def expected_value(target: Target | None, call: PreparedCall) -> str:
    if target is not None and (target.name or target.id):
        return target.name or target.id or ""
    return next(iter(call.path.values()), "yes")


def make_preview(spec: ToolSpec, call: PreparedCall, target: Target | None, shown: list[str] | None = None) -> Preview:
    """The preview; ``shown`` are the changes it makes (current → target, what it removes), said first."""
    op = spec.op
    request: dict[str, object] = {"method": op.method, "path": call.filled_path(op.path), "api_version": call.version}
    if call.query:
        request["query"] = redact(call.query)
    if call.body is not None:
        request["body"] = redact(call.body)
    risk: Literal["disruptive", "destructive"] = "destructive" if op.risk == "destructive" else "disruptive"
    return Preview(
        action=f"{humanize(op.name)} ({op.method} {op.path})",
        risk=risk,
        effect="; ".join([*(shown or []), _EFFECT[risk]]),
        target=target,
        request=request,
    )


def elicitation_message(spec: ToolSpec, preview: Preview, digest: str) -> str:
    """The dialog's text. It names the exact request (its reference is the request's digest), so an
    answer given to one request is never taken for another: the SDK re-asks when the text changes."""
    target = f" on {describe_target(preview.target)}" if preview.target else ""
    return f"Allow {preview.action}{target}? It is {preview.risk}: {preview.effect} (request {digest[:12]})"


def request_digest(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> str:
    return runtime.sealer.request_digest(spec.name, call.request(spec.op.method, spec.op.path))


async def argument_verdict(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> Verdict:
    target, preview = await look_before(spec, call, runtime)
    expected = expected_value(target, call)
    state = target.state if target else None
    digest = request_digest(spec, call, runtime)
    now = runtime.wall_clock()
    token = runtime.sealer.seal(digest, expected, state, now + runtime.settings.preview_ttl_s)
    confirm_with = {CONFIRM_ARG: expected, CONFIRM_TOKEN_ARG: token}
    if call.confirm is None and call.confirm_token is None:
        return Verdict(False, target, preview, confirm_with)
    reason = _refusal(call, target, expected, state, digest, runtime, now)
    if reason is None:
        return Verdict(True, target, preview, method="argument")
    return Verdict(False, target, preview, confirm_with, reason, method="argument")


def _refusal(
    call: PreparedCall,
    target: Target | None,
    expected: str,
    state: str | None,
    digest: str,
    runtime: ToolRuntime,
    now: float,
) -> str | None:
    """Why this confirmation cannot run the request; None when it can (its token is then spent)."""
    what = "name" if target is not None and target.name else "id"
    if call.confirm != expected:
        return f"confirm={call.confirm!r} does not match the target's {what} {expected!r}"
    if call.confirm_token is None:
        return "a confirmation needs the confirm_token of a preview of this exact request; review the new preview"
    try:
        sealed = runtime.sealer.open(call.confirm_token, now)
    except TokenProblem as exc:
        return f"{exc}; review the new preview"
    if sealed.request != digest:
        return (
            "the request differs from the previewed one (method, path, api_version, query or body); "
            "review the new preview"
        )
    if sealed.name != expected:
        return f"the preview was for {sealed.name!r}, not {expected!r}; review the new preview"
    if sealed.state != state:
        return f"stale confirmation: the target's state changed from {sealed.state} to {state} since the preview"
    if not runtime.store.use_confirmation(sealed.token_id, sealed.expires_at, now):
        return "this confirmation was already used; review the new preview"
    return None
