"""diagnose finds every fault seeded in the sandbox, with evidence and the exact next calls."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import pytest
from mcp import Client, types

from tests.support.confirm import confirmed
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


async def _diagnose(client: Client, service: str, resource: str) -> dict[str, Any]:
    with anyio.fail_after(10):
        result = await client.call_tool("diagnose", {"service": service, "resource": resource})
    assert not result.is_error, _text(result)
    assert result.structured_content is not None
    content: dict[str, Any] = result.structured_content
    content["text"] = _text(result)
    return content


async def test_search_logs_in_error_is_critical_with_sync_and_restart(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "searchengine", "search-logs")
    first = d["findings"][0]
    assert first["severity"] == "critical"
    assert first["title"].startswith("service_state ERROR since 2026-09-01T01:00:00.000Z")
    assert "instance search-004 (DASHBOARDS) ERROR" in first["evidence"]
    cid = d["id"]
    assert first["next_calls"] == [
        f"searchengine_synchronize_cluster_state(cluster_id={cid!r})",
        f"searchengine_restart_cluster(cluster_id={cid!r})",
    ]
    assert "1. [critical] service_state ERROR" in d["text"]


async def test_a_failed_restart_request_is_found(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("search-logs")
    assert cluster is not None
    stack.sandbox.faults.add("searchengine_restart_cluster", kind="fail")
    with anyio.fail_after(10):
        await confirmed(client, "searchengine_restart_cluster", {"cluster_id": cluster["id"], "wait_seconds": 600})
    stack.sandbox.advance(600)
    d = await _diagnose(client, "searchengine", cluster["id"])
    titles = [f["title"] for f in d["findings"]]
    assert any(t.startswith("last searchengine_restart_cluster request FAILED 1") for t in titles), titles
    failed = next(f for f in d["findings"] if "request FAILED" in f["title"])
    assert failed["next_calls"][0].startswith("searchengine_show_request(request_id=")
    assert d["requests"][0]["state"] == "FAILED"


async def test_analytics_vertica_has_no_backup(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "vertica", "analytics-vertica")
    [finding] = d["findings"]
    assert finding["title"] == "no backup configured"
    assert finding["next_calls"] == [f"vertica_set_backup(cluster_id={d['id']!r})"]


async def test_finance_vertica_shows_its_last_backup(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "vertica", "finance-vertica")
    assert [f["title"] for f in d["findings"]] == ["last backup COMPLETED at 2026-11-26T02:18:00.000Z"]
    assert "vertica_list_backup_histories" in d["reads"]


async def test_legacy_kafka_is_stopped_and_start_is_the_next_call(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "eventstreams", "legacy-kafka")
    first = d["findings"][0]
    assert first["severity"] == "warning"
    assert first["title"].startswith("service_state STOPPED since")
    assert first["next_calls"] == [f"eventstreams_start_cluster(cluster_id={d['id']!r})"]
    assert any(f["title"] == "no maintenance window set" for f in d["findings"])


async def test_ingest_nifi_is_stuck_creating(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "data-flow", "ingest-nifi")
    [finding] = d["findings"]
    assert finding["severity"] == "critical"
    assert finding["title"].endswith("it should have finished long ago: stuck")
    assert finding["title"].startswith("state CREATING since 2026-09-01T01:00:00.000Z (")


async def test_reports_airflow_is_in_error(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "data-ops", "reports-airflow")
    [finding] = d["findings"]
    assert finding["severity"] == "critical"
    assert finding["title"].startswith("state ERROR since")
    assert finding["next_calls"] == [f"dataops_show_data_ops(data_ops_id={d['id']!r})"]


async def test_inside_the_maintenance_window_now(stack: Stack, client: Client) -> None:
    # orders-kafka: SUN 03:00 for 2 h, Asia/Seoul; move the (manual, never reset) clock to the next Sun 03:30.
    now = datetime.fromtimestamp(stack.sandbox.clock.now(), ZoneInfo("Asia/Seoul"))
    target = now.replace(hour=3, minute=30, second=0, microsecond=0) + timedelta(days=(6 - now.weekday()) % 7)
    if target <= now:
        target += timedelta(days=7)
    stack.sandbox.advance((target - now).total_seconds())
    d = await _diagnose(client, "eventstreams", "orders-kafka")
    stack.sandbox.advance(3 * 3600)  # out of the window again, for the tests that follow
    assert [f["title"] for f in d["findings"]] == ["inside the maintenance window now"]
    assert d["maintenance"]["day"] == "SUN"


async def test_a_healthy_cluster_has_no_findings(stack: Stack, client: Client) -> None:
    d = await _diagnose(client, "eventstreams", "orders-kafka")
    assert d["findings"] == []
    assert "No problems found." in d["text"]
    assert "orders-004 ZOOKEEPER db1v2m4 RUNNING" in d["text"]


async def test_an_unknown_resource_says_where_to_look(stack: Stack, client: Client) -> None:
    with anyio.fail_after(10):
        result = await client.call_tool("diagnose", {"service": "vertica", "resource": "nope"})
    assert result.is_error
    assert "fleet_overview" in _text(result)


async def test_parameters_changed_from_their_defaults_are_listed(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    cluster["_parameters"]["num.partitions"] = "12"  # as if set earlier through eventstreams_set_parameter_values
    d = await _diagnose(client, "eventstreams", "orders-kafka")
    [finding] = d["findings"]
    assert finding["title"] == "1 parameter(s) differ from their defaults"
    assert finding["evidence"] == ["num.partitions=12 (default 3)"]
