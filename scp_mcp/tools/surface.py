"""Everything about a tool that follows from its catalog record: title, description, annotations,
``_meta``, arguments and output model. One function builds it for every operation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mcp.types import ToolAnnotations

from scp_mcp.catalog import Operation
from scp_mcp.tools.arguments import ArgSpec, operation_args
from scp_mcp.tools.envelope import output_schema
from scp_mcp.tools.naming import title_of

META_KEY = "scp-mcp/operation"


@dataclass(frozen=True)
class ToolSpec:
    op: Operation
    output_schema: dict[str, Any]
    title: str
    description: str
    annotations: ToolAnnotations
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return self.op.tool_name

    @cached_property
    def args(self) -> tuple[ArgSpec, ...]:
        """Made when first needed (the first call): they load the body models, which the listing does not need."""
        return operation_args(self.op)


def description_of(op: Operation) -> str:
    """What the tool does in operator words, and when to use it rather than a look-alike.

    Both come from the catalog's glossary. Risk, idempotency, versions, method and path are in the
    annotations and ``_meta``; how to wait and how to confirm are said once, in the arguments and in
    the server instructions."""
    return f"{op.summary} {op.choose}" if op.choose else op.summary


def annotations_of(op: Operation) -> ToolAnnotations:
    read = op.risk == "read"
    return ToolAnnotations(  # no title: the tool's own title says it
        read_only_hint=read,
        destructive_hint=op.risk in ("disruptive", "destructive"),
        idempotent_hint=op.idempotent,
        open_world_hint=True,
    )


def meta_of(op: Operation) -> dict[str, Any]:
    """Where the tool leads in the API reference, and its risk class and asynchronous kind. The versions
    are the ``api_version`` argument's choices; the reference's own phrase is in docs/operations.md."""
    meta = {"service": op.service, "operation": op.name, "method": op.method, "path": op.path}
    return {META_KEY: {**meta, "risk": op.risk, "async": op.async_kind}}


def build_spec(op: Operation) -> ToolSpec:
    return ToolSpec(
        op=op,
        output_schema=output_schema(op),
        title=title_of(op),
        description=description_of(op),
        annotations=annotations_of(op),
        meta=meta_of(op),
    )
