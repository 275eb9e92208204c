"""The `discover` profile: three meta tools that reach every exposed operation in a small tools/list.

- ``search_operations``: operator words -> ranked operations (``tools/search.py``, lexical, no model);
- ``describe_operation``: one tool's input schema, risk, asynchronous kind and description;
- ``call_operation``: runs a tool by name. The server dispatches it to its own ``call_tool``
  (``ScpMcpServer.call_tool``), so the typed tool's argument checks, policy, confirmation guard,
  ledger and result are the same as in the `full` profile; this module only lists the tools.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.naming import title_of
from scp_mcp.tools.search import SearchIndex

SEARCH = "search_operations"
DESCRIBE = "describe_operation"
CALL = "call_operation"
META_TOOLS = (SEARCH, DESCRIBE, CALL)


def hit_line(op: Operation) -> dict[str, Any]:
    return {"tool": op.tool_name, "title": title_of(op), "summary": op.summary, "risk": op.risk, "async": op.async_kind}


def _result(text: str, content: dict[str, Any], *, error: bool = False) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content, is_error=error)


def meta_tools(index: SearchIndex, describe: Callable[[str], CallToolResult]) -> list[Tool]:
    """The three tools; ``describe(name)`` answers describe_operation (the server knows the schemas)."""

    def search_operations(
        query: Annotated[str, Field(description="What to do, in your words (English or Korean).")],
        limit: Annotated[int, Field(ge=1, le=20, description="How many to return.")] = 5,
    ) -> CallToolResult:
        hits = [hit_line(h.op) for h in index.search(query, limit)]
        lines = [f"{h['tool']} ({h['risk']}, {h['async']}): {h['summary']}" for h in hits]
        text = "\n".join(lines) if lines else f"No operation matches {query!r}; try other words."
        return _result(text, {"query": query, "results": hits})

    def describe_operation(
        tool: Annotated[str, Field(description="A tool name from search_operations.")],
    ) -> CallToolResult:
        return describe(tool)

    async def call_operation(
        tool: Annotated[str, Field(description="The tool name.")],
        arguments: Annotated[
            dict[str, Any] | None, Field(description="Its arguments (see describe_operation).")
        ] = None,
    ) -> CallToolResult:  # pragma: no cover - the server dispatches call_operation itself
        raise RuntimeError("call_operation is dispatched by the server")

    read = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
    act = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True)
    specs: list[tuple[Callable[..., Any], str, str, ToolAnnotations]] = [
        (
            search_operations,
            SEARCH,
            "Find SCP Data Analytics operations (Kafka, OpenSearch, Vertica, NiFi, "
            "Airflow, Trino) for a task; returns tool names, risk and async kind.",
            read,
        ),
        (describe_operation, DESCRIBE, "A tool's input schema, risk, async kind and description.", read),
        (
            call_operation,
            CALL,
            "Run a tool by name. Guarded tools first return confirmation_required: show the "
            "preview, then call again with the same arguments plus confirm_with.",
            act,
        ),
    ]
    return [Tool.from_function(fn, name=name, description=desc, annotations=ann) for fn, name, desc, ann in specs]


def description_record(op: Operation, tool: Tool) -> dict[str, Any]:
    """What describe_operation says of an exposed tool: the same input schema the full profile lists."""
    return {
        **hit_line(op),
        "description": tool.description,
        "input_schema": tool.parameters,
        "guarded": op.guarded,
        "service": load_catalog().services[op.service].title,
    }
