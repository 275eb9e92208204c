"""`scp-mcp call TOOL key=value ...`: one tool through the same MCP pipeline, from the shell.

The server runs in process and is called through an in-memory MCP client, so validation, policy,
the confirmation guard and the summaries are exactly what an assistant gets. Values are read as the
tool's input schema types them: strings stay strings; numbers, booleans, lists and objects are JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from mcp import Client, types

from scp_mcp.server.app import ScpMcpServer

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_SENT = 0, 1, 2, 3


class UsageError(ValueError):
    """The command line cannot become a tool call."""


def _is_string(schema: Mapping[str, Any]) -> bool:
    if schema.get("type") == "string":
        return True
    arms = [a for a in schema.get("anyOf", []) if a.get("type") != "null"]
    return len(arms) == 1 and _is_string(arms[0])


def parse_assignments(pairs: Sequence[str], schema: Mapping[str, Any]) -> dict[str, Any]:
    props: Mapping[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{pair!r} is not key=value")
        if key not in props:
            raise UsageError(f"unknown argument {key!r}; this tool takes: {', '.join(props) or 'nothing'}")
        out[key] = raw if _is_string(props[key]) else _json_or_text(raw)
    return out


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def call_once(server: ScpMcpServer, tool: str, pairs: Sequence[str]) -> types.CallToolResult:
    listed = {t.name: t for t in await server.list_tools()}
    if tool not in listed:
        close = sorted(n for n in listed if tool.split("_")[0] in n)[:8]
        hint = f"; similar: {', '.join(close)}" if close else "; run `scp-mcp tools` to list them"
        raise UsageError(f"no tool {tool!r} on this server{hint}")
    arguments = parse_assignments(pairs, listed[tool].input_schema)
    async with Client(server) as client:
        return await client.call_tool(tool, arguments)


def exit_code(result: types.CallToolResult) -> int:
    if result.is_error:
        return EXIT_ERROR
    status = (result.structured_content or {}).get("status")
    return EXIT_NOT_SENT if status in ("confirmation_required", "declined") else EXIT_OK


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))
