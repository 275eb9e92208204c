"""Real SCP can drift from its reference (a new state, a missing field): such answers still reach the
assistant, untyped and with a warning, instead of becoming errors."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, types

from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


async def test_an_undocumented_state_is_shown_with_a_warning(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find("cluster", "orders-kafka", "eventstreams")
    assert cluster is not None
    cluster["service_state"] = "MIGRATING_ZONES"  # not one of the documented states
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_list_clusters", {})
    assert not result.is_error
    content = result.structured_content
    assert content is not None
    assert content["status"] == "ok"
    assert "data" not in content
    names = [c["name"] for c in content["raw_data"]["contents"]]
    assert names == ["legacy-kafka", "orders-kafka"]
    off_model = [w for w in content["warnings"] if "does not match" in w]
    assert len(off_model) == 1  # validated once, by the client: one warning, not one per layer
    assert "does not match ClusterPageResponse" in off_model[0]
    assert "contents.1.service_state" in off_model[0]
    text = _text(result)
    assert "orders-kafka" in text
    assert "MIGRATING_ZONES" in text
    assert f"Warning: {off_model[0]}" in text
    assert text.count("does not match") == 1
