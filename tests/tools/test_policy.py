"""Which tools a server exposes: --read-only, --no-destructive, --toolsets, --allow, --deny (deny wins),
and a hidden tool cannot be called."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings
from scp_mcp.tools.operator import OPERATOR_TOOLS
from scp_mcp.tools.policy import ToolPolicy
from tests.support.stack import make_stack

pytestmark = pytest.mark.anyio

OPS = load_catalog().operations


def _exposed(policy: ToolPolicy) -> set[str]:
    return {op.tool_name for op in OPS if policy.allows(op)}


def test_read_only_exposes_only_reads() -> None:
    assert _exposed(ToolPolicy(read_only=True)) == {op.tool_name for op in OPS if op.risk == "read"}


def test_no_destructive_hides_destructive_tools_only() -> None:
    assert _exposed(ToolPolicy(no_destructive=True)) == {op.tool_name for op in OPS if op.risk != "destructive"}


def test_toolsets_take_host_or_tool_prefixes() -> None:
    expected = {op.tool_name for op in OPS if op.service in ("data-flow", "vertica")}
    assert _exposed(ToolPolicy(toolsets=frozenset({"data-flow", "vertica"}))) == expected
    assert _exposed(ToolPolicy(toolsets=frozenset({"dataflow", "VERTICA"}))) == expected
    assert ToolPolicy(toolsets=frozenset({"kafka"})).unknown_toolsets() == ["kafka"]


def test_deny_wins_over_allow() -> None:
    policy = ToolPolicy(allow=("eventstreams_*",), deny=("*_terminate_*",))
    exposed = _exposed(policy)
    assert "eventstreams_list_clusters" in exposed
    assert "eventstreams_terminate_cluster" not in exposed
    assert all(name.startswith("eventstreams_") for name in exposed)
    refusal = policy.refusal(load_catalog().by_tool_name("eventstreams_terminate_cluster"))
    assert refusal == "eventstreams_terminate_cluster is denied by --deny"


async def test_a_hidden_tool_is_neither_listed_nor_callable(mode: str) -> None:
    stack = make_stack(ServerSettings(policy=ToolPolicy(read_only=True, deny=("vertica_*",))))
    cluster = stack.sandbox.find_cluster("orders-kafka", "eventstreams")
    assert cluster is not None
    with anyio.fail_after(10):
        async with Client(stack.server, mode=mode) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            stopped = await client.call_tool("eventstreams_stop_cluster", {"cluster_id": cluster["id"]})
            denied = await client.call_tool("vertica_list_clusters", {})
            allowed = await client.call_tool("eventstreams_list_clusters", {})
    assert names == {op.tool_name for op in OPS if op.risk == "read" and op.service != "vertica"} | set(OPERATOR_TOOLS)
    for result, why in ((stopped, "--read-only"), (denied, "--deny")):
        assert result.is_error
        assert isinstance(result.content[0], types.TextContent)
        assert "not available on this server" in result.content[0].text
        assert why in result.content[0].text
    assert not allowed.is_error
    assert [r.method for r in stack.sandbox.received] == ["GET"]
