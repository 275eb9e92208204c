"""Asynchronous work: recorded in the ledger, waited on with progress (time moved by the injected sleep,
never by sleeping), bounded, and summarized."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client

from scp_mcp.server.resources import LEDGER_URI
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


async def _progress_of(client: Client, tool: str, args: dict[str, object]) -> tuple[dict[str, object], list[float]]:
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    with anyio.fail_after(10):
        result = await client.call_tool(tool, args, progress_callback=on_progress)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content, seen


async def test_request_work_is_waited_on_with_progress(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    content, progress = await _progress_of(
        client, "eventstreams_start_cluster", {"cluster_id": cluster["id"], "wait_seconds": 900}
    )
    assert content["status"] == "succeeded"
    work = content["async_request"]
    assert work["kind"] == "request"
    assert work["done"] is True
    assert work["state"] == "COMPLETED"
    assert work["resource_name"] is None or work["resource_name"] == "legacy-kafka"
    assert len(progress) >= 2
    assert progress == sorted(progress)
    assert stack.sandbox.find_cluster("legacy-kafka", "eventstreams")["service_state"] == "RUNNING"  # type: ignore[index]


async def test_a_delete_followed_through_the_resource_ends_when_it_is_gone(stack: Stack, client: Client) -> None:
    flow = stack.sandbox.find("data_flow", "ingest-nifi")
    assert flow is not None
    args: dict[str, Any] = {"data_flow_id": flow["data_flow_id"], "wait_seconds": 900}
    preview = await client.call_tool("dataflow_delete_data_flow", args)
    assert preview.structured_content is not None
    args |= preview.structured_content["confirm_with"]
    assert args["confirm"] == "ingest-nifi"
    content, _ = await _progress_of(client, "dataflow_delete_data_flow", args)
    assert content["status"] == "succeeded", content
    assert content["async_request"]["kind"] == "resource"
    assert content["async_request"]["state"] == "DELETED"


async def test_waiting_is_bounded(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    content, _ = await _progress_of(
        client, "eventstreams_start_cluster", {"cluster_id": cluster["id"], "wait_seconds": 1}
    )
    assert content["status"] == "still_running"
    assert content["async_request"]["done"] is False
    assert content["async_request"]["waited_s"] <= 1.0


async def test_work_is_recorded_in_the_ledger(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_start_cluster", {"cluster_id": cluster["id"]})
        assert result.structured_content is not None
        request_id = result.structured_content["async_request"]["request_id"]
        text = result.content[0].text  # type: ignore[union-attr]
        assert f"eventstreams_show_request(request_id='{request_id}')" in text
        ledger = await client.read_resource(LEDGER_URI)
    entries = json.loads(ledger.contents[0].text)["entries"]  # type: ignore[union-attr]
    assert any(e["request_id"] == request_id and e["tool"] == "eventstreams_start_cluster" for e in entries)


async def test_a_resize_is_reported_on_the_block_storage_group_it_changes(stack: Stack, client: Client) -> None:
    """The answer's "resource" is the cluster; the summary names the group the call targeted."""
    cluster = stack.sandbox.find_cluster("analytics-vertica", "vertica")
    assert cluster is not None
    group_id = cluster["instance_groups"][0]["block_storage_groups"][0]["id"]
    args = {"block_storage_group_id": group_id, "size_gb": 2048, "wait_seconds": 900}
    content, _ = await _progress_of(client, "vertica_set_block_storage_size", args)
    assert content["status"] == "succeeded"
    assert content["async_request"]["resource_id"] == group_id
    assert content["async_request"]["resource_kind"] == "block_storage_group"
    group = stack.sandbox.find_cluster("analytics-vertica", "vertica")["instance_groups"][0]["block_storage_groups"][0]  # type: ignore[index]
    assert group["size_gb"] == 2048


async def test_a_finished_change_points_to_the_resource(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("analytics-vertica", "vertica")
    assert cluster is not None
    args = {"cluster_id": cluster["id"], "retention_period_day": "7", "starting_time_hour": "3", "wait_seconds": 900}
    with anyio.fail_after(10):
        result = await client.call_tool("vertica_set_backup", args)
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith(f"Set Backup on cluster {cluster['id']} finished after ")
    assert text.endswith(f"See it with vertica_show_cluster(cluster_id='{cluster['id']}').")
    shown = await client.call_tool("vertica_show_cluster", {"cluster_id": cluster["id"]})
    assert shown.structured_content is not None
    assert shown.structured_content["data"]["init_config_option"]["backup_option"]["retention_period_day"] == "7"
