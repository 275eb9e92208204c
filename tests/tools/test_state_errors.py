"""An operation refused for the resource's state says that state and the tool that changes it, not
'fix the arguments'."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, types

from tests.support.confirm import confirmed
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


async def _refused(client: Client, tool: str, args: dict[str, str], *, guarded: bool = False) -> str:
    with anyio.fail_after(10):
        result = await (confirmed(client, tool, args) if guarded else client.call_tool(tool, args))
    assert result.is_error
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    assert "Fix the arguments" not in block.text
    assert result.structured_content is not None
    assert result.structured_content["http_status"] == 400
    return block.text


async def test_restarting_a_stopped_cluster_says_start_it_first(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka")
    assert cluster is not None
    text = await _refused(client, "eventstreams_restart_cluster", {"cluster_id": cluster["id"]}, guarded=True)
    assert text.endswith(
        "The cluster 'legacy-kafka' is STOPPED; start it first with eventstreams_start_cluster, then retry."
    )
    assert "not the arguments" in text


async def test_starting_a_running_cluster_says_there_is_nothing_to_do(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    text = await _refused(client, "eventstreams_start_cluster", {"cluster_id": cluster["id"]})
    assert text.endswith("The cluster 'orders-kafka' is RUNNING already: there is nothing to do.")


async def test_stopping_a_stopped_cluster_says_it_is_stopped(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka")
    assert cluster is not None
    text = await _refused(client, "eventstreams_stop_cluster", {"cluster_id": cluster["id"]}, guarded=True)
    assert text.endswith("The cluster 'legacy-kafka' is STOPPED already: there is nothing to do.")
