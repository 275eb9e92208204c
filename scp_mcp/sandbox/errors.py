"""SCP's error body and the exception that carries it out of a handler.

`ErrorReply` is the simulated SCP's answer, the sandbox-side counterpart of a handler's `Reply`; it is
not the client's `scp_mcp.client.errors.ScpError`, which is what a client makes of such an answer.
"""

from __future__ import annotations

from typing import Any


class ErrorReply(Exception):
    """An error response the simulated SCP sends: {"errors": [{code, message, detail, global_request_id}]}."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail if detail is not None else [message]
        self.headers = headers or {}

    def body(self, global_request_id: str) -> dict[str, Any]:
        error = {
            "code": self.code,
            "message": self.message,
            "detail": self.detail,
            "global_request_id": global_request_id,
        }
        return {"errors": [error]}


class NotFound(ErrorReply):
    """A missing resource; ``missing`` is the id that names nothing (see ``handlers.base.handler_for``)."""

    def __init__(self, status: int, kind: str, ident: str) -> None:
        super().__init__(status, "ResourceNotFound", f"{kind} '{ident}' does not exist")
        self.missing = ident


def not_found(kind: str, ident: str, *, status: int = 404) -> ErrorReply:
    """A missing resource. For an id in the path, the status is the operation's documented
    ``missing_id_status`` (applied by ``handler_for``); ``status`` is for ids in a body or query."""
    return NotFound(status, kind, ident)


def invalid_state(kind: str, name: str, state: str, action: str, allowed: list[str]) -> ErrorReply:
    allowed_text = ", ".join(allowed) if allowed else "none"
    message = f"cannot {action} {kind} '{name}' while it is {state}; allowed from: {allowed_text}"
    return ErrorReply(400, "InvalidState", message)


def bad_request(message: str, field: str | None = None) -> ErrorReply:
    detail: list[Any] = [{"field": field, "message": message}] if field else [message]
    return ErrorReply(400, "ValidationError", message, detail)
