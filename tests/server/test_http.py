"""`scp-mcp serve --transport http --port N`: streamable HTTP on loopback, in both protocol eras,
with progress notifications arriving over the event stream."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest
from mcp import Client

from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.http_server import http_server

pytestmark = pytest.mark.anyio


@pytest.fixture
async def http_url(scp_mcp_exe: str, clean_env: dict[str, str]) -> AsyncIterator[str]:
    async with http_server(scp_mcp_exe, clean_env) as port:
        yield f"http://127.0.0.1:{port}/mcp"


async def test_serve_over_streamable_http(http_url: str, mode: str) -> None:
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    with anyio.fail_after(30):
        async with Client(http_url, mode=mode) as client:
            tools = (await client.list_tools()).tools
            listed = await client.call_tool("eventstreams_list_clusters", {})
            assert listed.structured_content is not None
            legacy = next(c for c in listed.structured_content["data"]["contents"] if c["name"] == "legacy-kafka")
            args = {"cluster_id": legacy["id"], "wait_seconds": 900}
            started = await client.call_tool("eventstreams_start_cluster", args, progress_callback=on_progress)
    assert len(tools) == 116 + len(OPERATOR_TOOLS)
    assert started.structured_content is not None
    assert started.structured_content["status"] == "succeeded"
    assert progress
