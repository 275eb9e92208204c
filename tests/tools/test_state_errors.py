"""An operation SCP itself refuses for the resource's state says that state and the tool that changes it,
not 'fix the arguments'.

The server's own precheck refuses these before sending (test_prechecks.py); SCP answers them when the
state changes after the check (a human takes a while to confirm) or when the check could not read the
target. Both are made to happen here.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.server import ServerSettings
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio


def _scp_refusal(result: types.CallToolResult) -> str:
    assert result.is_error
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    assert "Fix the arguments" not in block.text
    assert result.structured_content is not None
    assert result.structured_content["http_status"] == 400  # SCP answered: the request was sent
    return block.text


@pytest.fixture(scope="module")
def elicit_only() -> Stack:
    return make_stack(ServerSettings(confirmation="elicit"))


async def test_a_cluster_stopped_while_the_human_confirms_a_restart_says_start_it_first(
    elicit_only: Stack, mode: str
) -> None:
    elicit_only.sandbox.reset()
    cluster = elicit_only.sandbox.find_cluster("orders-kafka", "eventstreams")
    assert cluster is not None

    async def stopped_meanwhile(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        cluster["service_state"] = "STOPPED"  # someone else stops it while the dialog is open
        return types.ElicitResult(action="accept", content={"confirm": True})

    with anyio.fail_after(10):
        async with Client(elicit_only.server, mode=mode, elicitation_callback=stopped_meanwhile) as client:
            result = await client.call_tool("eventstreams_restart_cluster", {"cluster_id": cluster["id"]})
    if mode == "auto":
        # The answer comes back in a second round (request_state), which checks the target again first.
        assert result.is_error
        assert result.structured_content is not None
        assert result.structured_content["error"] == "invalid_state"
        assert result.content[0].text.endswith(  # type: ignore[union-attr]
            "The cluster 'orders-kafka' is STOPPED; start it first with eventstreams_start_cluster, then retry."
        )
        return
    text = _scp_refusal(result)
    assert text.endswith(
        "The cluster 'orders-kafka' is STOPPED; start it first with eventstreams_start_cluster, then retry."
    )
    assert "not the arguments" in text


async def test_starting_a_running_cluster_scp_refuses_says_there_is_nothing_to_do(stack: Stack, client: Client) -> None:
    stack.sandbox.faults.add("eventstreams_show_cluster", kind="5xx", times=None)  # the precheck cannot read it
    cluster = stack.sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_start_cluster", {"cluster_id": cluster["id"]})
    assert _scp_refusal(result).endswith("The cluster 'orders-kafka' is RUNNING already: there is nothing to do.")


async def test_resizing_storage_of_a_stopped_cluster_scp_refuses_names_the_cluster_and_start(
    stack: Stack, client: Client
) -> None:
    """A block storage group has no show of its own: SCP's refusal is about its cluster's state."""
    stack.sandbox.faults.add("vertica_list_clusters", kind="5xx", times=None)
    cluster = stack.sandbox.find_cluster("finance-vertica")
    assert cluster is not None
    cluster["service_state"] = "STOPPED"
    storage = cluster["instance_groups"][0]["block_storage_groups"][0]
    args = {"block_storage_group_id": storage["id"], "size_gb": storage["size_gb"] + 128}
    with anyio.fail_after(10):
        result = await client.call_tool("vertica_set_block_storage_size", args)
    assert _scp_refusal(result).endswith(
        "The cluster 'finance-vertica' is STOPPED; start it first with vertica_start_cluster, then retry."
    )
