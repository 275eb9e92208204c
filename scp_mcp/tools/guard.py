"""The confirmation guard: nothing disruptive or destructive is sent before a human could see it.

Two ways to confirm, chosen by the server's confirmation setting:
- elicitation: the server asks the human through the client (same preview); accept executes;
- the ``confirm`` argument: a first call returns ``confirmation_required`` with a preview and the
  value to confirm with (the target's name, or its id where it has none); calling again with the
  same arguments plus that value executes. A wrong or stale value sends nothing and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import NotFound, ScpError
from scp_mcp.tools.arguments import CONFIRM_ARG
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


async def fetch_target(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> Target | None:
    """The target as it is now, for the preview; raises NotFound when it does not exist."""
    op = spec.op
    if op.resource is None:
        return None
    kind = op.resource.kind
    rid = call.path.get(op.resource.id_param or "")
    show = load_catalog().sibling(op, "show")
    if show is None or rid is None:
        return Target(kind=kind, id=rid, note=f"its state cannot be fetched (no show operation for {kind})")
    version = call.version if call.version in show.versions else None
    try:
        result = await runtime.send(show, path={op.resource.id_param or "": rid}, version=version)
    except NotFound:
        raise  # nothing to confirm: the caller reports the missing target instead of a preview
    except ScpError as exc:
        return Target(kind=kind, id=rid, note=f"its state could not be fetched: {exc}")
    record = result.data if isinstance(result.data, Mapping) else {}
    prefixes = kind_prefixes(show)
    return Target(
        kind=kind,
        id=rid,
        name=record_name(record, prefixes, op.resource.name_field),
        state=record_state(record, prefixes),
    )


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


def elicitation_message(spec: ToolSpec, preview: Preview) -> str:
    target = f" on {describe_target(preview.target)}" if preview.target else ""
    return f"Allow {preview.action}{target}? It is {preview.risk}: {preview.effect}"


async def argument_verdict(spec: ToolSpec, call: PreparedCall, runtime: ToolRuntime) -> Verdict:
    target = await fetch_target(spec, call, runtime)
    expected = expected_value(target, call)
    preview = make_preview(spec, call, target)
    confirm_with = {CONFIRM_ARG: expected}
    key = call.digest(spec.name)
    reason: str | None = None
    if call.confirm is not None and call.confirm != expected:
        what = "name" if target is not None and target.name else "id"
        reason = f"confirm={call.confirm!r} does not match the target's {what} {expected!r}"
    elif call.confirm is not None:
        reason = runtime.previews.stale_reason(key, target.state if target else None)
        if reason is None:
            return Verdict(True, target, preview)
        reason = f"stale confirmation: {reason}; review the new preview"
    runtime.previews.remember(key, target.state if target else None)
    return Verdict(False, target, preview, confirm_with, reason)
