"""Fault injection: latency, 429 with Retry-After, 5xx, dropped connections, malformed JSON."""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import httpx
import pytest

from scp_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_429_with_retry_after_then_recovers(scp: Any, sandbox: Sandbox) -> None:
    sandbox.faults.add("eventstreams_list_clusters", kind="429", times=2, retry_after=3)
    for _ in range(2):
        response = await scp.call("eventstreams", "GET", "/v1/clusters")
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert response.json()["errors"][0]["code"] == "TooManyRequests"
    assert (await scp.call("eventstreams", "GET", "/v1/clusters")).status_code == 200
    assert (await scp.call("vertica", "GET", "/v1/clusters")).status_code == 200  # other routes untouched


async def test_5xx_targets_an_operation_by_name_and_leaves_state_alone(scp: Any, sandbox: Sandbox) -> None:
    sandbox.faults.add("Stop Cluster", kind="5xx", status=502)
    cluster = sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    response = await scp.call("eventstreams", "POST", f"/v1/clusters/{cluster['id']}/stop")
    assert response.status_code == 502
    assert sandbox.find_cluster("orders-kafka")["service_state"] == "RUNNING"  # type: ignore[index]


async def test_dropped_connection(scp: Any, sandbox: Sandbox) -> None:
    sandbox.faults.add("*", kind="drop")
    with pytest.raises(httpx.RemoteProtocolError):
        await scp.call("vertica", "GET", "/v1/clusters")
    assert (await scp.call("vertica", "GET", "/v1/clusters")).status_code == 200


async def test_malformed_json_body(scp: Any, sandbox: Sandbox) -> None:
    sandbox.faults.add("GET /v1/server-types", kind="malformed")
    response = await scp.call("vertica", "GET", "/v1/server-types")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_latency(scp: Any, sandbox: Sandbox) -> None:
    sandbox.faults.add("quick-query", kind="latency", seconds=0.05)
    started = time.perf_counter()
    with anyio.fail_after(5):
        assert (
            await scp.call("quick-query", "GET", "/v1/quick-query", query={"page": 0, "size": 5})
        ).status_code == 200
    assert time.perf_counter() - started >= 0.05


async def test_random_faults_are_reproducible_for_a_seed(make_scp: Any) -> None:
    async def statuses(seed: int) -> list[int]:
        box = Sandbox()
        box.faults.random(seed=seed, rate=0.5, kinds=("429", "5xx"))
        async with httpx.AsyncClient(transport=box.transport()) as http:
            scp = make_scp(http)
            return [(await scp.call("vertica", "GET", "/v1/clusters")).status_code for _ in range(20)]

    first, again = await statuses(7), await statuses(7)
    assert first == again
    assert {200, 429, 503} >= set(first)
    assert len(set(first)) > 1


def test_unknown_fault_kind_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sandbox.faults.add("*", kind="boom")  # type: ignore[arg-type]
