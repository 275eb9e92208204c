"""The confirmation guard through the argument round trip: wrong and stale confirmations, targets
without a name, and that nothing but reads reaches SCP before a confirmation is accepted."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


def _writes(stack: Stack, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in stack.sandbox.received[since:] if r.method != "GET"]


def _cluster(stack: Stack, name: str, service: str = "eventstreams") -> dict[str, Any]:
    record = stack.sandbox.find_cluster(name, service)
    assert record is not None
    return record


async def test_destructive_preview_names_the_target_and_its_live_state(stack: Stack, client: Client) -> None:
    cluster = _cluster(stack, "orders-kafka")
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_terminate_cluster", {"cluster_id": cluster["id"]})
    content = result.structured_content
    assert content is not None
    assert not result.is_error
    assert content["status"] == "confirmation_required"
    assert content["confirm_with"]["confirm"] == "orders-kafka"
    assert content["confirm_with"]["confirm_token"].startswith("c1.")
    target = content["preview"]["target"]
    assert (target["kind"], target["id"], target["name"], target["state"]) == (
        "cluster",
        cluster["id"],
        "orders-kafka",
        "RUNNING",
    )
    assert content["preview"]["request"] == {
        "method": "DELETE",
        "path": f"/v1/clusters/{cluster['id']}",
        "api_version": "1.0",
    }
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith("Nothing was sent yet.")
    assert "confirm='orders-kafka', confirm_token='c1." in text


async def test_wrong_confirmation_sends_nothing_and_says_why(stack: Stack, client: Client) -> None:
    cluster = _cluster(stack, "orders-kafka")
    before = len(stack.sandbox.received)
    args = {"cluster_id": cluster["id"]}
    with anyio.fail_after(5):
        preview = await client.call_tool("eventstreams_terminate_cluster", args)
        assert preview.structured_content is not None
        token = preview.structured_content["confirm_with"]["confirm_token"]
        args |= {"confirm": "legacy-kafka", "confirm_token": token}
        result = await client.call_tool("eventstreams_terminate_cluster", args)
    content = result.structured_content
    assert content is not None
    assert content["status"] == "confirmation_required"
    assert "does not match the target's name 'orders-kafka'" in content["reason"]
    assert _writes(stack, before) == []
    assert _cluster(stack, "orders-kafka")["service_state"] == "RUNNING"


async def test_stale_confirmation_sends_nothing_then_a_fresh_one_executes(stack: Stack, client: Client) -> None:
    cluster = _cluster(stack, "orders-kafka")
    args = {"cluster_id": cluster["id"]}
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        first = await client.call_tool("eventstreams_restart_cluster", args)
        assert first.structured_content is not None
        cluster["service_state"] = "ERROR"  # it changes between the preview and the confirmation
        confirmed = {**args, **first.structured_content["confirm_with"]}
        stale = await client.call_tool("eventstreams_restart_cluster", confirmed)
        assert stale.structured_content is not None
        assert stale.structured_content["status"] == "confirmation_required"
        assert "stale confirmation" in stale.structured_content["reason"]
        assert "from RUNNING to ERROR" in stale.structured_content["reason"]
        assert _writes(stack, before) == []
        cluster["service_state"] = "RUNNING"
        await client.call_tool("eventstreams_restart_cluster", args)
        done = await client.call_tool("eventstreams_restart_cluster", confirmed)
    assert done.structured_content is not None
    assert done.structured_content["status"] == "accepted"
    assert _writes(stack, before) == [f"POST /eventstreams/v1/clusters/{cluster['id']}/restart"]


async def test_an_instance_group_is_named_by_its_cluster_and_role(stack: Stack, client: Client) -> None:
    group = _cluster(stack, "orders-kafka")["instance_groups"][0]
    args = {"instance_group_id": group["id"], "server_type_name": "db1v16m64"}
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_set_server_type", args)
    content = result.structured_content
    assert content is not None
    assert content["preview"]["risk"] == "disruptive"
    assert content["preview"]["target"]["name"] == "broker of cluster orders-kafka (3 × db1v4m8)"
    assert content["preview"]["target"]["state"] == "RUNNING"
    assert content["confirm_with"]["confirm"] == "broker of cluster orders-kafka (3 × db1v4m8)"


async def test_a_confirmation_without_a_preview_sends_nothing(stack: Stack, client: Client) -> None:
    """The right name alone is not enough: a confirmation needs the token of a preview."""
    cluster = _cluster(stack, "legacy-kafka")
    before = len(stack.sandbox.received)
    args = {"cluster_id": cluster["id"], "confirm": "legacy-kafka"}
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_terminate_cluster", args)
    assert result.structured_content is not None
    assert result.structured_content["status"] == "confirmation_required"
    assert "needs the confirm_token of a preview" in result.structured_content["reason"]
    assert _writes(stack, before) == []
