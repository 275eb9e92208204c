"""The installed `scp-mcp serve` over stdio, driven by the SDK's stdio client in both protocol eras:
list tools, a read, a write, and a guarded destructive call."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters, types

from scp_mcp.tools.operator import OPERATOR_TOOLS

pytestmark = pytest.mark.anyio


def _content(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert result.structured_content["backend"] == "sandbox"
    return result.structured_content


async def test_serve_over_stdio(scp_mcp_exe: str, clean_env: dict[str, str], mode: str) -> None:
    params = StdioServerParameters(command=scp_mcp_exe, args=["serve", "--sandbox"], env=clean_env)
    with anyio.fail_after(30):
        async with Client(params, mode=mode) as client:
            tools = (await client.list_tools()).tools
            assert len(tools) == 116 + len(OPERATOR_TOOLS)
            listed = _content(await client.call_tool("eventstreams_list_clusters", {}))
            clusters = {c["name"]: c["id"] for c in listed["data"]["contents"]}
            started = _content(
                await client.call_tool("eventstreams_start_cluster", {"cluster_id": clusters["legacy-kafka"]})
            )
            assert started["status"] == "accepted"
            target = {"cluster_id": clusters["orders-kafka"]}
            preview = _content(await client.call_tool("eventstreams_terminate_cluster", target))
            assert preview["status"] == "confirmation_required"
            assert preview["confirm_with"]["confirm"] == "orders-kafka"
            confirmed = {**target, **preview["confirm_with"]}
            done = _content(await client.call_tool("eventstreams_terminate_cluster", confirmed))
            assert done["status"] == "accepted"
            assert done["async_request"]["resource_name"] == "orders-kafka"


async def test_instructions_say_which_backend(scp_mcp_exe: str, clean_env: dict[str, str]) -> None:
    params = StdioServerParameters(command=scp_mcp_exe, args=["serve", "--read-only"], env=clean_env)
    with anyio.fail_after(30):
        async with Client(params, mode="legacy") as client:
            instructions = client.instructions
            tools = (await client.list_tools()).tools
    assert instructions is not None
    assert "embedded SCP sandbox" in instructions
    assert "read-only" in instructions
    assert {t.annotations.read_only_hint for t in tools if t.annotations} == {True}
