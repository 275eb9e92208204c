"""One error hierarchy for the client.

Every error carries the operation it belongs to ("<host prefix> <operation name>"), the HTTP status
when there was an answer, SCP's request id when one was found, and a message an operator can act
on. ``str(exc)`` is that message on one line; the MCP tools layer shows it as the tool result.
No error ever holds request headers, the secret key or the signature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of SCP's error body ``{"errors": [{"code", "detail", "global_request_id"}]}``."""

    code: str | None
    detail: Any
    global_request_id: str | None


class ScpError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(operation={self.operation!r}, status={self.status!r}, "
            f"request_id={self.request_id!r}, message={self.message!r})"
        )


class ConfigError(ScpError):
    """Settings are missing or invalid (credentials, region, endpoint template, version)."""


class ArgumentError(ScpError):
    """The call's arguments cannot be turned into a request; nothing was sent."""


class AuthError(ScpError):
    """401 or 403: credentials, signature, clock or permissions."""


class NotFound(ScpError):
    """404."""


class BadRequest(ScpError):
    """400 (and 406/422): SCP rejected the arguments; ``errors`` holds its parsed error body."""

    def __init__(self, message: str, *, errors: Sequence[ErrorDetail] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.errors: tuple[ErrorDetail, ...] = tuple(errors)


class Conflict(ScpError):
    """409: the resource is not in a state that allows the operation."""


class RateLimited(ScpError):
    """429 after the retry budget ran out."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ScpError):
    """5xx after the retry budget ran out."""


class TransportError(ScpError):
    """No usable answer: connection refused or reset, TLS or protocol failure."""


class Timeout(TransportError):
    """No answer within the configured timeout."""


class OutcomeUnknown(ScpError):
    """A request that is not safe to repeat may have reached SCP, and its answer was lost.

    It was deliberately not sent again: check the resource before retrying.
    """


def parse_error_details(body: Any) -> tuple[ErrorDetail, ...]:
    """SCP's ``{"errors": [...]}`` body as records; anything else gives ``()``."""
    if not isinstance(body, Mapping):
        return ()
    errors = body.get("errors")
    if not isinstance(errors, list):
        return ()
    return tuple(_detail(e) for e in errors if isinstance(e, Mapping))


def _detail(entry: Mapping[str, Any]) -> ErrorDetail:
    code = entry.get("code")
    rid = entry.get("global_request_id")
    return ErrorDetail(
        code=code if isinstance(code, str) else None,
        detail=entry.get("detail"),
        global_request_id=rid if isinstance(rid, str) else None,
    )
