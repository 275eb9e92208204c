"""Fault injection: latency, 429 with Retry-After, 5xx, dropped connections, malformed JSON, failed work."""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import httpx
import pytest

from scp_mcp.sandbox import Sandbox
from scp_mcp.sandbox.handlers.flow_records import FLOWS
from scp_mcp.sandbox.profiles import DBAAS, FLOW_DURATIONS, QUICK_QUERY_DURATIONS

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


async def test_fail_makes_the_next_accepted_change_end_failed_and_its_cluster_error(scp: Any, sandbox: Sandbox) -> None:
    cluster = sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    cid = cluster["id"]
    sandbox.faults.add("eventstreams", kind="fail")
    with anyio.fail_after(5):
        assert (await scp.call("eventstreams", "GET", f"/v1/clusters/{cid}")).status_code == 200  # reads pass by
        refused = await scp.call("eventstreams", "POST", f"/v1/clusters/{cid}/start")  # illegal: gives it back
        assert refused.status_code == 400
        accepted = await scp.ok("eventstreams", "POST", f"/v1/clusters/{cid}/stop")
        rid = accepted["request_id"]
        assert (await scp.ok("eventstreams", "GET", f"/v1/requests/{rid}"))["state"] == "IN_PROGRESS"
        assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "STOPPING"
        sandbox.advance(DBAAS["eventstreams"].durations["stop"])
        assert (await scp.ok("eventstreams", "GET", f"/v1/requests/{rid}"))["state"] == "FAILED"
        shown = await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}")
        assert shown["service_state"] == "ERROR"
        assert {i["service_state"] for g in shown["instance_groups"] for i in g["instances"]} == {"ERROR"}
        # used up: the way out (restart) now succeeds
        again = await scp.ok("eventstreams", "POST", f"/v1/clusters/{cid}/restart")
        sandbox.advance(DBAAS["eventstreams"].durations["restart"])
        assert (await scp.ok("eventstreams", "GET", f"/v1/requests/{again['request_id']}"))["state"] == "COMPLETED"
        assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "RUNNING"
    assert list(sandbox.faults.fired) == [("eventstreams_stop_cluster", "fail")]


async def test_a_failed_terminate_leaves_the_cluster_in_error_instead_of_gone(scp: Any, sandbox: Sandbox) -> None:
    cluster = sandbox.find_cluster("finance-vertica")
    assert cluster is not None
    sandbox.faults.add("Terminate Cluster", kind="fail")
    await scp.ok("vertica", "DELETE", f"/v1/clusters/{cluster['id']}")
    durations = DBAAS["vertica"].durations
    sandbox.advance(durations["terminate"] + durations["linger"])
    listed = await scp.ok("vertica", "GET", "/v1/clusters")
    assert {c["name"]: c["service_state"] for c in listed["contents"]}["finance-vertica"] == "ERROR"


async def test_fail_on_a_data_flow_create_ends_in_error(scp: Any, sandbox: Sandbox) -> None:
    engine = sandbox.find("kubernetes_engine", "analytics-k8s")
    assert engine is not None
    body = {
        "data_flow_name": "doomed-flow",
        "cluster_id": engine["id"],
        "domain": "doomed.example.internal",
        "host_alias_list": [],
        "image_id": FLOWS["data-flow"].image_list()[0]["image_id"],
        "ingress_controller_name": "nginx-ingress",
        "storage_class_name": "nfs-sc",
    }
    sandbox.faults.add("dataflow_create_data_flow", kind="fail")
    created = await scp.ok("data-flow", "POST", "/v1/data-flows", body=body)
    assert created["state"] == "CREATING"
    sandbox.advance(FLOW_DURATIONS["create"])
    shown = await scp.ok("data-flow", "GET", f"/v1/data-flows/{created['data_flow_id']}")
    assert shown["state"] == "ERROR"


async def test_fail_on_a_quick_query_delete_leaves_it_in_error(scp: Any, sandbox: Sandbox) -> None:
    query = sandbox.find("quick_query", "sales-trino")
    assert query is not None
    sandbox.faults.add("DeleteQuickQuery", kind="fail")
    await scp.ok("quick-query", "DELETE", f"/v1/quick-query/{query['quick_query_id']}")
    sandbox.advance(QUICK_QUERY_DURATIONS["delete"] + QUICK_QUERY_DURATIONS["linger"])
    shown = await scp.ok("quick-query", "GET", f"/v1/quick-query/{query['quick_query_id']}")
    assert shown["quick_query_state"] == "ERROR"
    assert sandbox.state.get("kubernetes_engine", shown["cluster_id"]) is not None


def test_fail_never_matches_a_read(sandbox: Sandbox) -> None:
    catalog = sandbox.catalog
    rule = sandbox.faults.add("*", kind="fail", times=None)
    assert all(not rule.matches(op) for op in catalog.operations if op.risk == "read")
    assert all(rule.matches(op) for op in catalog.operations if op.risk != "read")
