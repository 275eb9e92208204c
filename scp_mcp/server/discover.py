"""The `discover` profile: three meta tools that reach every exposed tool in a small tools/list: every
catalog operation, and every operator tool the server lists next to them (``operator_tools``).

- ``search_operations``: operator words -> ranked tools (``tools/search.py``, lexical, no model);
- ``describe_operation``: one tool's input schema, risk, asynchronous kind and description;
- ``call_operation``: runs a tool by name. The server dispatches it to its own ``call_tool``
  (``ScpMcpServer.call_tool``), so the typed tool's argument checks, policy, confirmation guard,
  ledger and result are the same as in the `full` profile; this module only lists the tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from scp_mcp.catalog import Operation, load_catalog

if TYPE_CHECKING:  # the ranker loads with the discover profile, not with every server
    from scp_mcp.tools.search import Entry, SearchIndex

SEARCH = "search_operations"
DESCRIBE = "describe_operation"
CALL = "call_operation"
META_TOOLS = (SEARCH, DESCRIBE, CALL)


def hit_line(entry: Entry) -> dict[str, Any]:
    return {
        "tool": entry.tool,
        "title": entry.title,
        "summary": entry.summary,
        "risk": entry.risk,
        "async": entry.async_kind,
    }


def listed_entry(tool: Tool) -> Entry:
    """A listed tool as search sees it: its catalog operation's entry, else its own name, title and text."""
    from scp_mcp.tools.search import operation_entry, tool_entry

    op = load_catalog().get(tool.name)
    if op is not None:
        return operation_entry(op)
    read_only = bool(tool.annotations and tool.annotations.read_only_hint)
    return tool_entry(tool.name, tool.title or tool.name, tool.description or "", read_only=read_only)


def search_index(operations: Iterable[Operation], others: Iterable[Tool]) -> SearchIndex:
    """The exposed operations, and the other tools the server lists (the operator tools), whatever they are."""
    from scp_mcp.tools.search import SearchIndex

    return SearchIndex(operations, [listed_entry(tool) for tool in others])


def _result(text: str, content: dict[str, Any], *, error: bool = False) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content, is_error=error)


def meta_tools(index: SearchIndex, describe: Callable[[str], CallToolResult]) -> list[Tool]:
    """The three tools; ``describe(name)`` answers describe_operation (the server knows the schemas)."""

    def search_operations(
        query: Annotated[str, Field(description="What to do, in your words (English or Korean).")],
        limit: Annotated[int, Field(ge=1, le=20, description="How many to return.")] = 5,
    ) -> CallToolResult:
        hits = [hit_line(h.entry) for h in index.search(query, limit)]
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
            "Find the tool for a task: SCP Data Analytics operations (Kafka, OpenSearch, Vertica, NiFi, "
            "Airflow, Trino) and the fleet-wide operator tools; returns tool names, risk and async kind.",
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


def description_record(tool: Tool) -> dict[str, Any]:
    """What describe_operation says of an exposed tool: the same input schema the full profile lists; for
    a catalog operation also its service and whether it is guarded."""
    record = {**hit_line(listed_entry(tool)), "description": tool.description, "input_schema": tool.parameters}
    op = load_catalog().get(tool.name)
    if op is None:
        return {**record, "guarded": False}
    return {**record, "guarded": op.guarded, "service": load_catalog().services[op.service].title}
