"""A guarded call the way an assistant makes it: preview first, then the same arguments plus confirm_with."""

from __future__ import annotations

from typing import Any

from mcp import Client, types


async def confirmed(client: Client, tool: str, args: dict[str, Any]) -> types.CallToolResult:
    preview = await client.call_tool(tool, args)
    content = preview.structured_content
    assert content is not None
    assert content.get("status") == "confirmation_required", content
    return await client.call_tool(tool, {**args, **content["confirm_with"]})
