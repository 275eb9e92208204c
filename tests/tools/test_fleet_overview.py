"""fleet_overview: one read over every exposed service, worst first, one service's failure not fatal."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.server import ServerSettings
from scp_mcp.tools import ToolPolicy
from scp_mcp.tools.callers import caller_id
from scp_mcp.tools.inventory import age_seconds, humanize_age
from tests.support.confirm import confirmed
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


async def _overview(client: Client, **args: Any) -> types.CallToolResult:
    with anyio.fail_after(10):
        result = await client.call_tool("fleet_overview", args)
    assert not result.is_error, _text(result)
    assert result.structured_content is not None
    return result


async def test_it_is_a_read_tool_with_an_output_schema(listed: dict[str, types.Tool]) -> None:
    tool = listed["fleet_overview"]
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tool.annotations.destructive_hint is False
    assert tool.output_schema is not None
    assert {"services", "attention", "resources", "truncated"} <= set(tool.output_schema["properties"])


async def test_counts_by_state_and_the_broken_resources_first(stack: Stack, client: Client) -> None:
    result = await _overview(client)
    content = result.structured_content
    assert content is not None
    assert content["status"] == "ok"
    by_service = {s["service"]: s for s in content["services"]}
    assert set(by_service) == {"data-flow", "data-ops", "eventstreams", "quick-query", "searchengine", "vertica"}
    assert by_service["eventstreams"]["by_state"] == {"RUNNING": 1, "STOPPED": 1}
    assert by_service["data-flow"]["by_state"] == {"CREATING": 1, "RUNNING": 2}  # flows and their services
    names = [(r["name"], r["health"]) for r in content["attention"]]
    assert names[:2] == [("reports-airflow", "unhealthy"), ("search-logs", "unhealthy")]
    assert names[2:] == [("ingest-nifi", "transition"), ("legacy-kafka", "stopped")]
    stuck = content["attention"][2]
    age = humanize_age(age_seconds("2026-09-01T01:00:00.000Z", stack.sandbox.clock.now()))
    assert stuck["age"] == age  # from its created date, on the sandbox's clock
    assert stuck["reason"].startswith(f"CREATING for {age}")
    assert stuck["next_call"] == "diagnose(service='data-flow', resource='ingest-nifi')"
    assert len(content["resources"]) == 13
    assert content["truncated"] is False
    text = _text(result)
    assert text.startswith("Fleet: 13 resources in 6 services (2 unhealthy, 1 transition, 1 stopped, 9 healthy).")
    assert "eventstreams: 2 — RUNNING 1, STOPPED 1" in text
    assert text.index("reports-airflow") < text.index("ingest-nifi") < text.index("Healthy:")


async def test_a_failing_service_is_reported_and_not_fatal(stack: Stack, client: Client) -> None:
    stack.sandbox.faults.add("searchengine", kind="5xx", times=None)
    result = await _overview(client)
    content = result.structured_content
    assert content is not None
    assert content["status"] == "partial"
    search = next(s for s in content["services"] if s["service"] == "searchengine")
    assert search["ok"] is False
    assert "503" in search["error"]
    assert "searchengine: FAILED" in _text(result)
    assert any(r["name"] == "orders-kafka" for r in content["resources"])


async def test_a_failed_request_in_the_ledger_is_the_reason(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("finance-vertica")
    assert cluster is not None
    stack.sandbox.faults.add("vertica_restart_cluster", kind="fail")
    with anyio.fail_after(10):
        restarted = await confirmed(
            client, "vertica_restart_cluster", {"cluster_id": cluster["id"], "wait_seconds": 600}
        )
    assert restarted.structured_content is not None
    result = await _overview(client, services=["vertica"])
    content = result.structured_content
    assert content is not None
    [broken] = content["attention"]
    assert broken["name"] == "finance-vertica"
    assert broken["reason"].startswith("last vertica_restart_cluster (request ")
    assert "FAILED" in broken["reason"]


async def test_only_the_services_the_policy_exposes() -> None:
    stack = make_stack(ServerSettings(policy=ToolPolicy(toolsets=frozenset({"vertica", "quickquery"}))))
    async with Client(stack.server) as client:
        result = await _overview(client)
    content = result.structured_content
    assert content is not None
    assert [s["service"] for s in content["services"]] == ["quick-query", "vertica"]


async def test_work_that_failed_since_it_was_last_read_is_the_reason(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("finance-vertica")
    assert cluster is not None
    stack.sandbox.faults.add("vertica_restart_cluster", kind="fail")
    with anyio.fail_after(10):
        started = await confirmed(client, "vertica_restart_cluster", {"cluster_id": cluster["id"], "wait_seconds": 0})
    assert started.structured_content is not None
    [entry] = stack.server.runtime.store.operations(caller_id(), target=cluster["id"], limit=1)
    assert entry.status == "in_progress"
    stack.sandbox.advance(900)  # SCP fails it meanwhile; nobody is waiting
    result = await _overview(client, services=["vertica"])
    content = result.structured_content
    assert content is not None
    [broken] = content["attention"]
    assert broken["reason"].startswith("last vertica_restart_cluster (request ")
    assert "FAILED" in broken["reason"]
    [entry] = stack.server.runtime.store.operations(caller_id(), target=cluster["id"], limit=1)
    assert entry.status == "failed"
