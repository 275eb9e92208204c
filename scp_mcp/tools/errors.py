"""Failures as messages that say what to change: argument problems and API errors."""

from __future__ import annotations

from pydantic import ValidationError

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client.errors import NotFound, ScpError


class ArgumentProblem(Exception):
    """The arguments cannot become a request; nothing was sent."""


def _loc(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "arguments"


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


def api_error_hint(op: Operation, exc: ScpError) -> str:
    """The client's message already says what to do; add only what is MCP-specific: which tool finds ids."""
    if isinstance(exc, NotFound) and "{" in op.path:
        collection = op.path[: op.path.index("{")].rstrip("/")
        listing = load_catalog().services[op.service].find("GET", collection)
        if listing is not None:
            return f" To find the right id, call {listing.tool_name}."
    return ""
