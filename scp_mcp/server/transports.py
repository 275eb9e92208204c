"""Run the server: stdio (what MCP clients launch) or streamable HTTP on loopback."""

from __future__ import annotations

import sys
from typing import Literal

from scp_mcp.server.app import ScpMcpServer
from scp_mcp.server.stdio import serve_stdio

Transport = Literal["stdio", "http"]


async def serve(server: ScpMcpServer, transport: Transport, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP); then close."""
    try:
        if transport == "stdio":
            await serve_stdio(server)
        else:
            if host not in ("127.0.0.1", "localhost", "::1"):
                print(
                    f"scp-mcp: warning: serving on {host} without authentication; anyone who can reach it can use "
                    "your SCP credentials. Put it behind an authenticating proxy.",
                    file=sys.stderr,
                )
            print(
                f"scp-mcp: MCP over streamable HTTP at http://{host}:{port}/mcp ({server.backend.where})",
                file=sys.stderr,
            )
            await server.run_streamable_http_async(host=host, port=port)
    finally:
        await server.backend.aclose()
