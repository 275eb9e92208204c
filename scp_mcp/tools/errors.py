"""Failures as messages that say what to change: argument problems and API errors."""

from __future__ import annotations

from pydantic import ValidationError

from scp_mcp.client.errors import (
    AuthError,
    BadRequest,
    ConfigError,
    Conflict,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ScpError,
    ServerError,
    TransportError,
)


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


_HINTS: tuple[tuple[type[ScpError], str], ...] = (
    (ConfigError, "Fix the server's configuration (run `scp-mcp doctor`)."),
    (AuthError, "Check the access key, secret key, the machine's clock and the key's permissions."),
    (NotFound, "Check the id: list the resources to find the right one."),
    (BadRequest, "Change the arguments as the message says, then call again."),
    (Conflict, "The resource's current state does not allow this; show it, and wait until it settles."),
    (RateLimited, "SCP is rate limiting: wait a little, then call again."),
    (ServerError, "SCP failed to answer; try again later."),
    (OutcomeUnknown, "It may have been applied: show the resource before trying again."),
    (TransportError, "SCP could not be reached; check the network and the endpoint (`scp-mcp doctor`)."),
)


def api_error_hint(exc: ScpError) -> str:
    for cls, hint in _HINTS:
        if isinstance(exc, cls):
            return hint
    return "Check the message, then try again."
