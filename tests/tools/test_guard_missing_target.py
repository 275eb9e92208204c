"""A guarded call on a target that does not exist asks nobody to confirm anything: it says the target
is missing, which tool lists the right ids, and sends nothing."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, types

from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


@pytest.mark.parametrize(
    ("tool", "args", "lister"),
    [
        ("eventstreams_terminate_cluster", {"cluster_id": "no-such-cluster"}, "eventstreams_list_clusters"),
        ("dataflow_delete_data_flow", {"data_flow_id": "no-such-flow"}, "dataflow_list_data_flows"),
        ("vertica_stop_cluster", {"cluster_id": "no-such-cluster"}, "vertica_list_clusters"),
    ],
)
async def test_missing_target_is_an_error_not_a_preview(
    stack: Stack, client: Client, tool: str, args: dict[str, Any], lister: str
) -> None:
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool(tool, args)
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "NotFound"
    text = _text(result)
    assert "does not exist" in text
    assert lister in text
    assert "confirm" not in text
    assert [r.method for r in stack.sandbox.received[before:]] == ["GET"]


async def test_missing_target_opens_no_dialog(stack: Stack, mode: str) -> None:
    asked: list[str] = []

    async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append("asked")
        return types.ElicitResult(action="accept", content={"confirm": True})

    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        async with Client(stack.server, mode=mode, elicitation_callback=on_elicit) as client:
            result = await client.call_tool("searchengine_terminate_cluster", {"cluster_id": "gone"})
    assert result.is_error
    assert asked == []
    assert all(r.method == "GET" for r in stack.sandbox.received[before:])
