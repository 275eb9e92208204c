"""The real ScpClient against the sandbox: over loopback HTTP for every service, and in process."""

from __future__ import annotations

import logging

import anyio
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.client import BadRequest, ClientSettings, RateLimited, ScpClient
from scp_mcp.sandbox import (
    ENDPOINT_TEMPLATE_IN_PROCESS,
    SANDBOX_ACCESS_KEY,
    SANDBOX_SECRET_KEY,
    Sandbox,
    SandboxClock,
)

pytestmark = pytest.mark.anyio


def settings(template: str) -> ClientSettings:
    return ClientSettings(access_key=SANDBOX_ACCESS_KEY, secret_key=SANDBOX_SECRET_KEY, endpoint_template=template)


def op(service: str, name: str):  # type: ignore[no-untyped-def]
    return load_catalog().services[service].operation(name)


async def test_real_client_over_loopback_one_call_per_service(loopback: tuple[Sandbox, str]) -> None:
    box, base = loopback
    orders = box.find_cluster("orders-kafka")
    logs = box.find_cluster("search-logs")
    etl = box.find("data_ops", "etl-airflow")
    assert orders
    assert logs
    assert etl
    with anyio.fail_after(15):
        async with ScpClient(settings(base + "/{service}")) as client:
            kafka = await client.call(op("eventstreams", "List Clusters"), query={"name": "orders"})
            assert [c["name"] for c in kafka.data["contents"]] == ["orders-kafka"]
            search = await client.call(op("searchengine", "Show Cluster"), path={"cluster_id": logs["id"]})
            assert search.data["service_state"] == "ERROR"
            vertica = await client.call(op("vertica", "List Server Types"))
            assert {t["name"] for t in vertica.data["contents"]} >= {"db1v2m4"}
            flows = await client.call(op("data-flow", "ListDataFlows"), query={"state": "CREATING"})
            assert [f["data_flow_name"] for f in flows.data["contents"]] == ["ingest-nifi"]
            ops = await client.call(op("data-ops", "ShowDataOps"), path={"data_ops_id": etl["data_ops_id"]})
            assert ops.data["state"] == "RUNNING"
            queries = await client.call(op("quick-query", "ListQuickQuery"), query={"page": 0, "size": 10})
            assert queries.data["total_count"] == 1
            stopped = await client.call(op("eventstreams", "Stop Cluster"), path={"cluster_id": orders["id"]})
            request = await client.call(
                op("eventstreams", "Show Request"), path={"request_id": stopped.data["request_id"]}
            )
            assert request.data["state"] == "IN_PROGRESS"


async def test_real_client_in_process_sees_sandbox_errors_and_faults() -> None:
    box = Sandbox(clock=SandboxClock.manual())
    running = box.find_cluster("orders-kafka")
    assert running is not None
    box.faults.add("vertica_list_clusters", kind="429", times=10, retry_after=0)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    with anyio.fail_after(10):
        async with ScpClient(settings(ENDPOINT_TEMPLATE_IN_PROCESS), transport=box.transport(), sleep=sleep) as client:
            with pytest.raises(BadRequest, match="RUNNING"):
                await client.call(op("eventstreams", "Start Cluster"), path={"cluster_id": running["id"]})
            with pytest.raises(RateLimited):
                await client.call(op("vertica", "List Clusters"))
    assert slept == [0.0, 0.0, 0.0]  # Retry-After: 0 honoured between the four attempts
    assert [r.operation for r in box.received].count("vertica_list_clusters") == 4


async def test_over_loopback_one_pooled_connection_and_no_secret_in_debug_logs(
    loopback: tuple[Sandbox, str], caplog: pytest.LogCaptureFixture
) -> None:
    """httpx and httpcore log at DEBUG; nothing they log may carry the secret key."""
    box, base = loopback
    caplog.set_level(logging.DEBUG)
    with anyio.fail_after(15):
        async with ScpClient(settings(base + "/{service}")) as client:
            for service, name in (
                ("vertica", "List Clusters"),
                ("data-flow", "ListDataFlows"),
                ("vertica", "List Server Types"),
            ):
                await client.call(op(service, name))
    assert len(box.received) == 3
    assert caplog.text.count("connect_tcp.started") == 1  # one connection, reused by every call
    assert "HTTP Request: GET" in caplog.text  # httpx's own logging was captured
    assert SANDBOX_SECRET_KEY not in caplog.text
