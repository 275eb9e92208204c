"""SCP's error body and the exception that carries it out of a handler."""

from __future__ import annotations

from typing import Any


class ScpError(Exception):
    """An answer SCP gives with an error body: {"errors": [{code, message, detail, global_request_id}]}."""

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


def not_found(kind: str, ident: str, *, status: int = 404) -> ScpError:
    """Missing ids: 404 for the cluster services, 400 for Data Flow, Data Ops and requests (see notes)."""
    return ScpError(status, "ResourceNotFound", f"{kind} '{ident}' does not exist")


def invalid_state(kind: str, name: str, state: str, action: str, allowed: list[str]) -> ScpError:
    allowed_text = ", ".join(allowed) if allowed else "none"
    message = f"cannot {action} {kind} '{name}' while it is {state}; allowed from: {allowed_text}"
    return ScpError(400, "InvalidState", message)


def bad_request(message: str, field: str | None = None) -> ScpError:
    detail: list[Any] = [{"field": field, "message": message}] if field else [message]
    return ScpError(400, "ValidationError", message, detail)
