"""Failures as messages that say what to change: argument problems and API errors."""

from __future__ import annotations

import re

from pydantic import ValidationError

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client.errors import BadRequest, NotFound, ScpError
from scp_mcp.tools.inventory import Collection, action, state_holder


class ArgumentProblem(Exception):
    """The arguments cannot become a request; nothing was sent."""


def _loc(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "arguments"


def echoed(value: str, limit: int = 80) -> str:
    """A caller's value quoted back in a message, cut to ``limit`` characters: an error stays short
    whatever was passed."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def validation_message(exc: ValidationError, limit: int = 8) -> str:
    """One line per problem, naming the argument, without echoing values back."""
    problems = []
    for err in exc.errors(include_url=False, include_input=False)[:limit]:
        loc = tuple(p for p in err["loc"] if p not in ("function-after", "union_tag"))
        problems.append(f"{_loc(loc)}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        problems.append(f"(and {more} more)")
    return "; ".join(problems)


def api_error_text(title: str, op: Operation, exc: ScpError) -> str:
    """'<title> failed: <status — detail>. <what to do>', with operations named by their tool names
    (what the assistant can call) and a pointer to the listing tool when an id was not found."""
    message = str(exc)
    if exc.operation:
        message = message.removeprefix(f"{exc.operation}: ")
    for other in load_catalog().services[op.service].operations:
        message = message.replace(f"{other.service} {other.name}", other.tool_name)
    return f"{title} failed: {message}{_listing_hint(op, exc, message)}{state_hint(op, exc)}"


_STATE_REFUSAL = re.compile(r"(\w+) '([^']+)' while it is ([A-Z_]+)(?:; allowed from: ([A-Z_, ]+))?")


def state_hint(op: Operation, exc: ScpError) -> str:
    """For a refusal because of the resource's state: that state, and the tool that changes it."""
    if not isinstance(exc, BadRequest) or not any(d.code == "InvalidState" for d in exc.errors):
        return ""
    found = _STATE_REFUSAL.search(str(exc))
    collection = state_holder(op)
    if found is None or collection is None:
        return ""
    kind, name, state, allowed = found.groups()
    return " " + state_advice(op, collection, kind, name, state, [s.strip() for s in (allowed or "").split(",")])


def state_advice(op: Operation, collection: Collection, kind: str, name: str, state: str, allowed: list[str]) -> str:
    """'The <kind> '<name>' is <state>' and what to do: wait, nothing, or the tool that changes the state
    (looked up among the changes on ``collection``, the resource whose state it is)."""
    subject = f"The {kind} '{name}' is {state}"
    states = load_catalog().states(op)
    if states.is_moving(state):
        return f"{subject}: wait until it settles (check with {collection.show.tool_name}), then retry."
    if states.change_to(state, "STOPPED") == op.name.lower().split()[0]:
        return f"{subject} already: there is nothing to do."
    allowed = [s for s in allowed if s]
    for target in allowed:
        verb = states.change_to(target, state)
        change = action(collection, verb) if verb else None
        if change is not None and change.tool_name != op.tool_name:
            return f"{subject}; {verb} it first with {change.tool_name}, then retry."
    return f"{subject}; it allows this only from {', '.join(allowed) or 'no state'}."


def _listing_hint(op: Operation, exc: ScpError, message: str) -> str:
    if not isinstance(exc, NotFound):
        return ""
    listing = load_catalog().sibling(op, "list")
    if listing is None or listing.tool_name in message:
        return ""
    return f" To find the right id, call {listing.tool_name}."
