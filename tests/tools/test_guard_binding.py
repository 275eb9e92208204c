"""A confirmation is bound to the request it previewed (red-team findings a-e): no preview, no
confirmation; an unreadable target has nothing to confirm; the token covers method, path, version,
query and body, the target's name and state; it is single use (so concurrent confirmations run once),
expires, and cannot be pushed out by other previews; ids that are not one path segment are argument
errors before any preview."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from scp_mcp.server import ServerSettings
from scp_mcp.store import SqliteStore
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio
TERMINATE = "eventstreams_terminate_cluster"


def _writes(stack: Stack, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in stack.sandbox.received[since:] if r.method != "GET"]


def _id(stack: Stack, name: str, service: str = "eventstreams") -> str:
    record = stack.sandbox.find_cluster(name, service)
    assert record is not None
    return str(record["id"])


async def _preview(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    content = result.structured_content
    assert content is not None, result
    assert content["status"] == "confirmation_required", content
    confirm_with: dict[str, Any] = content["confirm_with"]
    return confirm_with


@pytest.mark.parametrize("fault", ["5xx", "malformed", "drop"])
async def test_a_target_that_cannot_be_read_has_nothing_to_confirm(stack: Stack, client: Client, fault: str) -> None:
    """(a) Not only a 404: any failure to read the target is an error, and its id confirms nothing."""
    cluster_id = _id(stack, "orders-kafka")
    stack.sandbox.faults.add("eventstreams_show_cluster", kind=fault, times=None)  # type: ignore[arg-type]
    before = len(stack.sandbox.received)
    with anyio.fail_after(10):
        first = await client.call_tool(TERMINATE, {"cluster_id": cluster_id})
        confirmed = await client.call_tool(TERMINATE, {"cluster_id": cluster_id, "confirm": cluster_id})
    for result in (first, confirmed):
        assert result.is_error
        assert result.structured_content is not None
        assert result.structured_content.get("confirm_with") is None
        assert "nothing to confirm" in result.content[0].text  # type: ignore[union-attr]
    assert _writes(stack, before) == []


async def test_an_oversized_id_is_not_confirmed_by_itself(stack: Stack, client: Client) -> None:
    """(a) An id the show call rejects (whatever the status) is no target to confirm."""
    long_id = "x" * 5000
    before = len(stack.sandbox.received)
    with anyio.fail_after(10):
        result = await client.call_tool(TERMINATE, {"cluster_id": long_id, "confirm": long_id})
    assert result.is_error
    assert _writes(stack, before) == []


async def test_the_name_alone_without_a_preview_sends_nothing(stack: Stack, client: Client) -> None:
    """(b) A confirmation needs the token of a preview."""
    cluster_id = _id(stack, "orders-kafka")
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool(TERMINATE, {"cluster_id": cluster_id, "confirm": "orders-kafka"})
    assert result.structured_content is not None
    assert "needs the confirm_token of a preview" in result.structured_content["reason"]
    assert _writes(stack, before) == []


async def test_a_token_expires_after_the_time_to_live(stack: Stack, client: Client) -> None:
    """(b) A preview 16 minutes old confirms nothing, whatever api_version is passed."""
    runtime = stack.server.runtime
    flow = stack.sandbox.find("data_flow", "ingest-nifi")
    assert flow is not None
    args = {"data_flow_id": flow["data_flow_id"], "api_version": "1.1"}
    before = len(stack.sandbox.received)
    real = runtime.wall_clock
    try:
        with anyio.fail_after(5):
            confirm_with = await _preview(client, "dataflow_delete_data_flow", args)
            runtime.wall_clock = lambda: real() + 16 * 60
            for version in ("1.1", "1.0"):
                late = await client.call_tool(
                    "dataflow_delete_data_flow", {**args, "api_version": version, **confirm_with}
                )
                assert late.structured_content is not None
                assert late.structured_content["status"] == "confirmation_required"
                reason = late.structured_content["reason"]
                assert "the preview has expired" in reason
    finally:
        runtime.wall_clock = real
    assert _writes(stack, before) == []


async def test_another_api_version_needs_a_new_preview(stack: Stack, client: Client) -> None:
    """(b) The version is part of the request the token covers."""
    flow = stack.sandbox.find("data_flow", "ingest-nifi")
    assert flow is not None
    args = {"data_flow_id": flow["data_flow_id"], "api_version": "1.1"}
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        confirm_with = await _preview(client, "dataflow_delete_data_flow", args)
        other = await client.call_tool("dataflow_delete_data_flow", {**args, "api_version": "1.0", **confirm_with})
    assert other.structured_content is not None
    assert "differs from the previewed one" in other.structured_content["reason"]
    assert _writes(stack, before) == []


async def test_other_previews_cannot_push_a_stale_one_out(stack: Stack, client: Client) -> None:
    """(b) The target's state is sealed in the token itself: no bounded memory to flood."""
    cluster_id = _id(stack, "orders-kafka")
    other_id = _id(stack, "legacy-kafka")
    before = len(stack.sandbox.received)
    with anyio.fail_after(60):
        confirm_with = await _preview(client, "eventstreams_restart_cluster", {"cluster_id": cluster_id})
        cluster = stack.sandbox.find_cluster("orders-kafka", "eventstreams")
        assert cluster is not None
        cluster["service_state"] = "ERROR"
        for _ in range(501):
            await client.call_tool(TERMINATE, {"cluster_id": other_id})
        stale = await client.call_tool("eventstreams_restart_cluster", {"cluster_id": cluster_id, **confirm_with})
    assert stale.structured_content is not None
    assert "from RUNNING to ERROR" in stale.structured_content["reason"]
    assert _writes(stack, before) == []


@pytest.mark.parametrize("tool", ["searchengine_remove_backup_histories", "vertica_remove_backup_histories"])
async def test_the_confirmation_covers_the_body(stack: Stack, client: Client, tool: str) -> None:
    """(c) Previewed for one backup history, the token does not remove all three."""
    service = tool.split("_", 1)[0]
    name = "search-products" if service == "searchengine" else "finance-vertica"
    cluster = stack.sandbox.find_cluster(name, service)
    assert cluster is not None
    numbers = [h["backup_history_number"] for h in cluster["_backup_histories"]]
    assert len(numbers) == 3
    one = {"cluster_id": cluster["id"], "backup_history_number": numbers[:1]}
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        confirm_with = await _preview(client, tool, one)
        assert confirm_with["confirm"] == name
        all_three = await client.call_tool(tool, {**one, "backup_history_number": numbers, **confirm_with})
        assert all_three.structured_content is not None
        assert "differs from the previewed one" in all_three.structured_content["reason"]
        assert _writes(stack, before) == []
        done = await client.call_tool(tool, {**one, **confirm_with})
    assert done.structured_content is not None
    assert not done.is_error, done
    assert len(_writes(stack, before)) == 1
    assert len(cluster["_backup_histories"]) == 2


async def test_a_token_is_single_use(stack: Stack, client: Client) -> None:
    cluster_id = _id(stack, "orders-kafka")
    args = {"cluster_id": cluster_id}
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        confirm_with = await _preview(client, "eventstreams_stop_cluster", args)
        first = await client.call_tool("eventstreams_stop_cluster", {**args, **confirm_with})
        assert first.structured_content is not None
        assert first.structured_content["status"] == "accepted"
        cluster = stack.sandbox.find_cluster("orders-kafka", "eventstreams")
        assert cluster is not None
        cluster["service_state"] = "RUNNING"  # even with the target as it was, the token is spent
        again = await client.call_tool("eventstreams_stop_cluster", {**args, **confirm_with})
    assert again.structured_content is not None
    assert "already used" in again.structured_content["reason"]
    assert len(_writes(stack, before)) == 1


async def test_concurrent_confirmations_send_one_delete(stack: Stack, client: Client) -> None:
    """(d) Ten confirmed terminates at once: exactly one DELETE reaches SCP."""
    cluster_id = _id(stack, "orders-kafka")
    args = {"cluster_id": cluster_id}
    results: list[Any] = []
    with anyio.fail_after(20):
        confirm_with = await _preview(client, TERMINATE, args)
        before = len(stack.sandbox.received)

        async def confirm() -> None:
            results.append(await client.call_tool(TERMINATE, {**args, **confirm_with}))

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(confirm)
    deletes = [r for r in stack.sandbox.received[before:] if r.method == "DELETE"]
    assert len(deletes) == 1
    statuses = [r.structured_content["status"] for r in results]
    assert statuses.count("accepted") == 1
    reasons = [r.structured_content["reason"] for r in results if r.structured_content["status"] != "accepted"]
    # Spent, or (read after the DELETE) refused for the state: the target is terminating now.
    assert all("already used" in reason or "is TERMINATING: wait" in reason for reason in reasons), reasons


@pytest.mark.parametrize("bad", [".", "..", "", "a/b", "../clusters"])
async def test_ids_that_are_not_one_path_segment_are_argument_errors(stack: Stack, client: Client, bad: str) -> None:
    """(e) Before any preview: nothing is read, nothing confirmed, nothing sent."""
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool(TERMINATE, {"cluster_id": bad, "confirm": bad})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "invalid_arguments"
    assert "is not an id" in result.content[0].text  # type: ignore[union-attr]
    assert stack.sandbox.received[before:] == []


async def test_replicas_sharing_the_key_and_store_honour_a_token_once(tmp_path: Any) -> None:
    """A preview answered by one replica is confirmed by another, exactly once; a replica with
    another key refuses the token."""
    key_file = tmp_path / "seal.key"
    key_file.write_text("0123456789abcdef0123456789abcdef")
    settings = ServerSettings(seal_key_file=key_file)
    store = SqliteStore(tmp_path / "shared.sqlite3")
    one, two = make_stack(settings, store=store), make_stack(settings, store=SqliteStore(tmp_path / "shared.sqlite3"))
    stranger = make_stack()
    cluster_id = _id(one, "orders-kafka")
    args = {"cluster_id": cluster_id}
    with anyio.fail_after(10):
        async with Client(one.server) as a, Client(two.server) as b, Client(stranger.server) as c:
            confirm_with = await _preview(a, TERMINATE, args)
            refused = await c.call_tool(TERMINATE, {**args, **confirm_with})
            assert refused.structured_content is not None
            assert "not issued by this server" in refused.structured_content["reason"]
            done = await b.call_tool(TERMINATE, {**args, **confirm_with})
            assert done.structured_content is not None
            assert done.structured_content["status"] == "accepted"
            again = await a.call_tool(TERMINATE, {**args, **confirm_with})
            assert again.structured_content is not None
            assert "already used" in again.structured_content["reason"]
    assert [r.method for r in two.sandbox.received if r.method != "GET"] == ["DELETE"]
    assert [r.method for r in one.sandbox.received if r.method != "GET"] == []
