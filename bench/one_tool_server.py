"""The baseline for bench/perf.py: a one-tool MCP SDK server doing the same GET as scp-mcp's
`eventstreams_list_clusters`.

    BENCH_STUB_URL=http://127.0.0.1:PORT python bench/one_tool_server.py [stdio | http PORT]
"""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
import httpx
from mcp.server.mcpserver import MCPServer

server = MCPServer("one-tool", log_level="WARNING")
http = httpx.AsyncClient(base_url=os.environ["BENCH_STUB_URL"])


@server.tool()
async def list_clusters(size: int = 1) -> dict[str, Any]:
    """List the Event Streams clusters."""
    response = await http.get("/v1/clusters", params={"size": size})
    response.raise_for_status()
    page: dict[str, Any] = response.json()
    return page


if __name__ == "__main__":
    if sys.argv[1:2] == ["http"]:
        anyio.run(lambda: server.run_streamable_http_async(host="127.0.0.1", port=int(sys.argv[2])))
    else:
        anyio.run(server.run_stdio_async)
