"""Build the CallToolResult of every outcome: summary text first, then typed structured content."""

from __future__ import annotations

from typing import Any

from mcp.types import CallToolResult, TextContent

from scp_mcp.tools.output import Envelope, Status
from scp_mcp.tools.redact import redact_text
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.spec import ToolSpec


def envelope(spec: ToolSpec, runtime: ToolRuntime, status: Status, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status": status,
        "backend": runtime.backend,
        "tool": spec.name,
        "operation": spec.op.name,
    }
    base.update({k: v for k, v in fields.items() if v is not None})
    return base


def result(
    spec: ToolSpec, runtime: ToolRuntime, text: str, content: dict[str, Any], *, is_error: bool = False
) -> CallToolResult:
    """A result with the full envelope; ``data`` was checked against its model already. ``is_error`` marks
    work that was accepted but then failed: the call went through, the change did not."""
    validated = Envelope.model_validate(content)
    dumped = validated.model_dump(mode="json", by_alias=True)
    structured = {k: v for k, v in dumped.items() if v is not None}
    return CallToolResult(
        content=[TextContent(type="text", text=redact_text(text, runtime.secrets))],
        structured_content=structured,
        is_error=is_error,
    )


def error_result(spec: ToolSpec, runtime: ToolRuntime, text: str, error: str, **fields: Any) -> CallToolResult:
    """An ``isError`` result: the message says what to change; nothing here is a traceback."""
    message = redact_text(text, runtime.secrets)
    content = envelope(spec, runtime, "error", error=error, reason=message, **fields)
    return CallToolResult(
        content=[TextContent(type="text", text=message)],
        structured_content=content,
        is_error=True,
    )
