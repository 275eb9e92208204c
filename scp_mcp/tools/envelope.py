"""Every tool result: one envelope (its model, its schema, and the one way results are built).

A result is the summary text first, then the envelope as structured content, with ``data`` typed
by the documented response model.

The output schema is assembled, not generated per tool, and kept loose on purpose: the envelope's
required fields, and ``data`` as the response model's name and required fields (each response model
once, cached). The server builds every result from these models, so the detail is
checked here; the schema gives a client the shape it can use, cheaply (``tools/list`` stays small and
checking a result costs little).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, ConfigDict, Field

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.redact import error_text, redact_text

Status = Literal[
    "ok",
    "accepted",
    "succeeded",
    "failed",
    "still_running",
    "confirmation_required",
    "declined",
    "error",
]
Backend = Literal["scp", "sandbox"]


class Target(BaseModel):
    """The resource an operation acts on, as found live before asking."""

    kind: str = Field(description="Resource kind, e.g. cluster")
    id: str | None = Field(default=None, description="Resource id")
    name: str | None = Field(default=None, description="Resource name, when it has one")
    state: str | None = Field(default=None, description="Current state, fetched live where a show operation exists")
    note: str | None = Field(default=None, description="Why some of the above could not be fetched")


class Preview(BaseModel):
    """What a guarded operation will do, shown before anything is sent."""

    action: str = Field(description="The operation, its HTTP method and path")
    risk: Literal["disruptive", "destructive"]
    effect: str = Field(description="What will happen")
    target: Target | None = None
    request: dict[str, Any] = Field(description="The request that will be sent, secrets redacted")


class AsyncState(BaseModel):
    """Asynchronous work started by the call and recorded in the server's ledger."""

    kind: Literal["request", "resource"] = Field(description="Followed by Show Request, or by the resource's state")
    request_id: str | None = None
    resource_kind: str | None = None
    resource_id: str | None = None
    resource_name: str | None = None
    state: str | None = Field(default=None, description="Last state seen")
    done: bool = False
    failed: bool = False
    waited_s: float = 0.0


class Envelope(BaseModel):
    """Fields every result may carry; ``data`` is checked against the response model separately."""

    model_config = ConfigDict(extra="forbid")

    status: Status = Field(description="What happened")
    backend: Backend = Field(description="Which backend answered: real SCP or the embedded sandbox")
    tool: str
    operation: str = Field(description="The operation's name in the SCP API reference")
    api_version: str | None = None
    http_status: int | None = None
    request_id: str | None = Field(default=None, description="SCP's request id, to quote to support")
    data: Any = Field(default=None, description="The response body")
    raw_data: Any = Field(
        default=None,
        description="The response body as received when it does not match the documented model (see warnings)",
    )
    async_request: AsyncState | None = None
    preview: Preview | None = None
    confirm_with: dict[str, str] | None = Field(
        default=None, description="Call the tool again with the same arguments plus these to execute"
    )
    reason: str | None = Field(default=None, description="Why nothing was sent, when that is the case")
    error: str | None = Field(default=None, description="Error class, when the call failed")
    warnings: list[str] = Field(default_factory=list)
    truncated: bool | None = Field(
        default=None, description="True when the summary text left parts out; structured content has them all"
    )


@cache
def _envelope_required() -> tuple[str, ...]:
    return tuple(Envelope.model_json_schema()["required"])


@cache
def _model_schema(service: str, model: str) -> dict[str, Any]:
    """A response model as a client can use it: its name and the fields it always carries. Field types,
    descriptions and nested detail stay on the models (the server checks every answer against them) and
    in the API reference; repeated in every tool's outputSchema they were most of tools/list, and most of
    a client's time checking a result. Read from the compiled spec's component schema (the one the
    model was generated from), so listing the tools imports no response model."""
    schema = load_catalog().services[service].schemas[model]
    out: dict[str, Any] = {"title": model, "type": "object"}
    if schema.get("required"):
        out["required"] = list(schema["required"])
    return out


def success_models(op: Operation) -> list[str]:
    names: list[str] = []
    for ver in op.versions.values():
        model = ver.success.model
        if model and model not in names:
            names.append(model)
    return names


def _data_schema(op: Operation) -> dict[str, Any]:
    arms = [_model_schema(op.service, name) for name in success_models(op)] or [{"type": "object"}]
    return copy.deepcopy(arms[0] if len(arms) == 1 else {"anyOf": arms})


def output_schema(op: Operation) -> dict[str, Any]:
    """The tool's outputSchema: the envelope's required fields and ``data`` as the response model (its
    name and required fields). Other envelope fields (a preview, the asynchronous work) are allowed, and
    never null; the arguments (``confirm``, ``wait_seconds``) already say which tools return them."""
    return {"type": "object", "required": list(_envelope_required()), "properties": {"data": _data_schema(op)}}


# The bodies are JSON already (the documented model's dump, or the parsed body; secrets masked): the
# envelope's check does not walk them again.
_BODIES = ("data", "raw_data")


@dataclass(frozen=True)
class Reply:
    """Builds the results of one tool: every field the envelope always carries is given once, here."""

    tool: str
    operation: str | None
    backend: Backend
    secrets: tuple[str, ...] = ()

    def content(self, status: Status, **fields: Any) -> dict[str, Any]:
        base: dict[str, Any] = {"status": status, "backend": self.backend, "tool": self.tool}
        base["operation"] = self.operation
        base.update(fields)
        return {k: v for k, v in base.items() if v is not None}

    def result(self, text: str, content: dict[str, Any], *, is_error: bool = False) -> CallToolResult:
        """A result with the full envelope; ``data`` was checked against its model already. ``is_error``
        marks work that was accepted but then failed: the call went through, the change did not."""
        bodies = {k: content[k] for k in _BODIES if content.get(k) is not None}
        checked = Envelope.model_validate({k: v for k, v in content.items() if k not in bodies})
        dumped = checked.model_dump(mode="json", by_alias=True)
        structured = {k: bodies.get(k, v) for k, v in dumped.items() if k in bodies or v is not None}
        return CallToolResult(
            content=[TextContent(type="text", text=redact_text(text, self.secrets))],
            structured_content=structured,
            is_error=is_error,
        )

    def error(self, text: str, error: str, **fields: Any) -> CallToolResult:
        """An ``isError`` result: the message says what to change; nothing here is a traceback."""
        message = error_text(text, self.secrets)
        content = self.content("error", error=error, reason=message, **fields)
        # Not validated: an error may come before the tool is known (an unknown tool has no operation).
        return CallToolResult(
            content=[TextContent(type="text", text=message)], structured_content=content, is_error=True
        )
