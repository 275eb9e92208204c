"""Everything about a tool that follows from its catalog record: title, description, annotations,
``_meta``, arguments and output model. One function builds it for every operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp.types import ToolAnnotations

from scp_mcp.catalog import Operation
from scp_mcp.tools.arguments import ArgSpec, operation_args
from scp_mcp.tools.envelope import output_schema
from scp_mcp.tools.naming import humanize, title_of

META_KEY = "scp-mcp/operation"
RISK_META_KEY = "scp-mcp/risk"

_RISK_NOTE = {
    "read": "Read-only.",
    "write": "Changes the resource.",
    "disruptive": "Disruptive: interrupts service; confirmation required.",
    "destructive": "Destructive, irreversible: confirmation by the target's name required.",
}


@dataclass(frozen=True)
class ToolSpec:
    op: Operation
    args: tuple[ArgSpec, ...]
    output_schema: dict[str, Any]
    title: str
    description: str
    annotations: ToolAnnotations
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return self.op.tool_name


def _versions_note(op: Operation) -> str:
    if len(op.versions) < 2:
        return ""
    parts = []
    for key, ver in op.versions.items():
        until = f", until {ver.supported_until}" if ver.supported_until else ""
        parts.append(f"{key} ({ver.lifecycle.lower()}{until})")
    return " API versions: " + "; ".join(parts) + "."


def _async_note(op: Operation) -> str:
    if op.async_kind == "sync":
        return ""
    return " Asynchronous: pass wait_seconds to wait for the end."


def description_of(op: Operation) -> str:
    text = op.current.description.strip() or f"{humanize(op.name)}."
    if not text.endswith("."):
        text += "."
    return f"{text} {_RISK_NOTE[op.risk]}{_async_note(op)}{_versions_note(op)}"


def annotations_of(op: Operation) -> ToolAnnotations:
    read = op.risk == "read"
    return ToolAnnotations(
        title=title_of(op),
        read_only_hint=read,
        destructive_hint=op.risk in ("disruptive", "destructive"),
        idempotent_hint=op.idempotent,
        open_world_hint=True,
    )


def meta_of(op: Operation) -> dict[str, Any]:
    return {
        META_KEY: {
            "service": op.service,
            "operation": op.name,
            "method": op.method,
            "path": op.path,
            "versions": list(op.versions),
        },
        RISK_META_KEY: {"risk": op.risk, "async": op.async_kind},
    }


def build_spec(op: Operation) -> ToolSpec:
    return ToolSpec(
        op=op,
        args=operation_args(op),
        output_schema=output_schema(op),
        title=title_of(op),
        description=description_of(op),
        annotations=annotations_of(op),
        meta=meta_of(op),
    )
