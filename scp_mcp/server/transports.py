"""Run the server: stdio (what MCP clients launch) or streamable HTTP on loopback."""

from __future__ import annotations

import sys
from typing import Literal

from scp_mcp.server.app import ScpMcpServer

Transport = Literal["stdio", "http"]


async def serve(server: ScpMcpServer, transport: Transport, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP); then close."""
    try:
        if transport == "stdio":
            await server.run_stdio_async()
        else:
            print(
                f"scp-mcp: MCP over streamable HTTP at http://{host}:{port}/mcp ({server.backend.where})",
                file=sys.stderr,
            )
            await server.run_streamable_http_async(host=host, port=port)
    finally:
        await server.backend.aclose()
