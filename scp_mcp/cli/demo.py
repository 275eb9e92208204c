"""What bare `scp-mcp` shows in a terminal: the server working on the embedded sandbox."""

from __future__ import annotations

from collections.abc import Callable

from mcp import Client

from scp_mcp.cli.oneshot import text_of
from scp_mcp.server.app import build_server
from scp_mcp.server.backend import choose_backend
from scp_mcp.server.settings import ServerSettings

NEXT = """Next:
  scp-mcp serve                     run it for an MCP client (stdio; --transport http for HTTP)
  scp-mcp config claude-code        connection settings (also claude-desktop, cursor, vscode)
  scp-mcp tools                     every tool with its risk class
  scp-mcp call TOOL key=value ...   one tool from the shell, e.g. the two calls above
With SCP_ACCESS_KEY and SCP_SECRET_KEY set (or ~/.scpconf), serve talks to real SCP instead."""


async def demo(settings: ServerSettings, out: Callable[[str], None]) -> int:
    server = build_server(settings, choose_backend(settings))
    count = len(await server.list_tools())
    out(f"scp-mcp: {count} MCP tools for SCP Data Analytics, shown here on {server.backend.where}.\n")
    try:
        async with Client(server) as client:
            listed = await client.call_tool("eventstreams_list_clusters", {})
            out("$ scp-mcp call eventstreams_list_clusters")
            out(text_of(listed) + "\n")
            data = (listed.structured_content or {}).get("data") or {}
            running = next((c for c in data.get("contents", []) if c.get("service_state") == "RUNNING"), None)
            if running is not None:
                args = {"cluster_id": running["id"]}
                preview = await client.call_tool("eventstreams_terminate_cluster", args)
                out(f"$ scp-mcp call eventstreams_terminate_cluster cluster_id={running['id']}")
                out(text_of(preview) + "\n")
    finally:
        await server.backend.aclose()
    out(NEXT)
    return 0
