"""The confirmation guard: nothing disruptive or destructive is sent before a human could see it.

Every guarded call is previewed first, and the preview reads the target (its name and state) through
its ``show`` sibling; a target that cannot be read (missing, or any error) leaves nothing to confirm.
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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import ScpError
from scp_mcp.tools.arguments import CONFIRM_ARG, CONFIRM_TOKEN_ARG
from scp_mcp.tools.confirmations import TokenProblem
from scp_mcp.tools.envelope import Preview, Target
from scp_mcp.tools.naming import humanize
from scp_mcp.tools.prepare import PreparedCall
from scp_mcp.tools.records import kind_prefixes, record_name, record_state
from scp_mcp.tools.redact import redact
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.summary import describe_target
from scp_mcp.tools.surface import ToolSpec

_EFFECT = {
    "destructive": "it removes the target or its data for good and cannot be undone.",
    "disruptive": "it interrupts the service (nodes stop or restart) while it runs.",
}


class UnreadableTarget(ScpError):
    """The show call answered, but not with a record that names the target or gives its state."""


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


async def fetch_target(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> Target | None:
    """The target as it is now, for the preview. Raises the client's error (NotFound, or any other)
    when it cannot be read: then there is nothing to confirm."""
    op = spec.op
    if op.resource is None:
        return None
    kind = op.resource.kind
    rid = call.path.get(op.resource.id_param or "")
    show = load_catalog().sibling(op, "show")
    if show is None or rid is None:
        return Target(kind=kind, id=rid, note=f"its state cannot be fetched (no show operation for {kind})")
    version = call.version if call.version in show.versions else None
    result = await runtime.send(show, path={op.resource.id_param or "": rid}, version=version)
    record = result.data if isinstance(result.data, Mapping) else {}
    prefixes = kind_prefixes(show)
    name, state = record_name(record, prefixes, op.resource.name_field), record_state(record, prefixes)
    if name is None and state is None:
        raise UnreadableTarget(
            f"{show.service} {show.name} answered without the {kind}'s name or state",
            operation=f"{show.service} {show.name}",
            status=result.status,
            request_id=result.request_id,
        )
    return Target(kind=kind, id=rid, name=name, state=state)


def expected_value(target: Target | None, call: PreparedCall) -> str:
    if target is not None and (target.name or target.id):
        return target.name or target.id or ""
    return next(iter(call.path.values()), "yes")


def make_preview(spec: ToolSpec, call: PreparedCall, target: Target | None) -> Preview:
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
        effect=_EFFECT[risk],
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
    target = await fetch_target(spec, call, runtime)
    expected = expected_value(target, call)
    state = target.state if target else None
    preview = make_preview(spec, call, target)
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
