"""Structured content of every tool result: one envelope, with ``data`` typed by the response model.

The output schema is assembled, not generated per tool: the envelope's schema once, each response
model's schema once (cached, many tools share them), titles and examples dropped to keep
``tools/list`` small. Fields a tool can never return (a preview on a read tool) are left out.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scp_mcp.catalog import Operation, load_catalog

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


_DROP = frozenset({"title", "examples", "default"})


def slim(node: Any) -> Any:
    """An output schema without what validating a result does not need: titles, examples and defaults
    (not properties that happen to be called so), and ``anyOf [X, null]`` folded into ``type: [X, "null"]``."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP and not isinstance(value, dict):
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                out[key] = {name: slim(sub) for name, sub in value.items()}
            else:
                out[key] = slim(value)
        return _fold_nullable(out)
    if isinstance(node, list):
        return [slim(v) for v in node]
    return node


def _fold_nullable(node: dict[str, Any]) -> dict[str, Any]:
    arms = node.get("anyOf")
    if not isinstance(arms, list) or len(arms) != 2 or {"type": "null"} not in arms:
        return node
    other = next(a for a in arms if a != {"type": "null"})
    kind = other.get("type") if isinstance(other, dict) else None
    if not isinstance(kind, str) or "$ref" in other or set(node) & set(other) - {"description"}:
        return node
    rest = {k: v for k, v in node.items() if k != "anyOf"}
    folded = {**other, **rest, "type": [kind, "null"]}
    if "enum" in folded:  # an enum constrains the value whatever its type: null must be listed too
        folded["enum"] = [*folded["enum"], None]
    return folded


@cache
def _envelope_schema() -> dict[str, Any]:
    schema: dict[str, Any] = slim(Envelope.model_json_schema())
    schema.pop("description", None)
    # Results leave out the top-level fields that are None: a field that is present is never null.
    schema["properties"] = {k: _non_null(v) for k, v in schema["properties"].items()}
    return schema


def _non_null(prop: dict[str, Any]) -> dict[str, Any]:
    kind = prop.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return {**prop, "type": rest[0] if len(rest) == 1 else rest}
    arms = prop.get("anyOf")
    if isinstance(arms, list) and {"type": "null"} in arms:
        kept = [a for a in arms if a != {"type": "null"}]
        base = {k: v for k, v in prop.items() if k != "anyOf"}
        return {**kept[0], **base} if len(kept) == 1 else {**base, "anyOf": kept}
    return prop


@cache
def _model_schema(service: str, model: str) -> dict[str, Any]:
    """A response model's schema for validation: its field descriptions stay on the models and in the API
    reference; repeated in every tool's outputSchema they were a third of tools/list."""
    schema: dict[str, Any] = _undescribed(slim(load_catalog().services[service].model(model).model_json_schema()))
    return schema


def _undescribed(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                out[key] = {name: _undescribed(sub) for name, sub in value.items()}
            else:
                out[key] = _undescribed(value)
        return out
    if isinstance(node, list):
        return [_undescribed(v) for v in node]
    return node


def success_models(op: Operation) -> list[str]:
    names: list[str] = []
    for ver in op.versions.values():
        model = ver.success.model
        if model and model not in names:
            names.append(model)
    return names


def _data_schema(op: Operation, defs: dict[str, Any]) -> dict[str, Any]:
    arms: list[dict[str, Any]] = []
    for name in success_models(op):
        schema = copy.deepcopy(_model_schema(op.service, name))
        defs.update(schema.pop("$defs", {}))
        defs[name] = schema
        arms.append({"$ref": f"#/$defs/{name}"})
    if not arms:
        arms.append({"type": "object", "additionalProperties": True})
    # Results leave out fields that are None, so a field that is present is never null.
    schema = arms[0] if len(arms) == 1 else {"anyOf": arms}
    return {**schema, "description": "The response body"}


def output_schema(op: Operation) -> dict[str, Any]:
    """The tool's outputSchema: the envelope, with only the fields this tool can return."""
    schema = copy.deepcopy(_envelope_schema())
    defs: dict[str, Any] = schema.pop("$defs", {})
    props: dict[str, Any] = schema["properties"]
    if op.async_kind == "sync":
        props.pop("async_request")
        defs.pop("AsyncState")
    if not op.guarded:
        props.pop("preview")
        props.pop("confirm_with")
        defs.pop("Preview")
        defs.pop("Target")
    props["data"] = _data_schema(op, defs)
    schema["$defs"] = defs
    schema["description"] = f"Result of {op.name}; data is the documented response body."
    return schema
