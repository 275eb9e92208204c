"""Simulator fidelity where the reference is specific: an id in the path that names nothing gets the
status the catalog documents for that operation, on every operation that takes one."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.sandbox import Sandbox, sample_body
from scp_mcp.sandbox.handlers.quick_query import image_list
from tests.sandbox.test_sandbox_contract import hints

pytestmark = pytest.mark.anyio

UNKNOWN = "0" * 32
# A name check's path holds a name, not an id: an unknown name is the answer "not taken", not an error.
WITH_PATH_IDS = [
    op
    for op in load_catalog().operations
    if op.missing_id_status is not None and all(p.name.endswith("_id") for p in op.current.params_in("path"))
]


@pytest.mark.parametrize("op", WITH_PATH_IDS, ids=lambda op: op.tool_name)
async def test_an_unknown_id_in_the_path_gets_the_documented_status(scp: Any, sandbox: Sandbox, op: Operation) -> None:
    version = op.current
    names = [p.name for p in version.params_in("path")]
    path = op.path.format(**dict.fromkeys(names, UNKNOWN))
    query = {p.name: 20 if p.name == "size" else 0 for p in version.params_in("query") if p.required}
    body = sample_body(op.service, version.body_model, hints=hints(sandbox, op)) if version.body_model else None
    with anyio.fail_after(5):
        response = await scp.call(op.service, op.method, path, query=query, body=body, version=version.api_version)
    assert response.status_code == op.missing_id_status, response.text
    assert response.json()["errors"][0]["code"] == "ResourceNotFound", response.text


def _kafka_body(sandbox: Sandbox, groups: list[dict[str, Any]]) -> dict[str, Any]:
    op = next(o for o in load_catalog().services["eventstreams"].operations if o.name == "Create Cluster")
    body = sample_body("eventstreams", op.current.body_model or "", hints={**hints(sandbox, op), "name": "newKafka"})
    body["instance_groups"] = groups
    return body


def _group(role: str, count: int) -> dict[str, Any]:
    storage = [{"role_type": "DATA", "size_gb": 104, "volume_type": "SSD"}]
    return {
        "role_type": role,
        "server_type_name": "db1v2m4",
        "block_storage_groups": storage,
        "instances": [{"role_type": role}] * count,
    }


async def _refused(scp: Any, sandbox: Sandbox, groups: list[dict[str, Any]]) -> dict[str, Any]:
    with anyio.fail_after(5):
        response = await scp.call("eventstreams", "POST", "/v1/clusters", body=_kafka_body(sandbox, groups))
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "ValidationError"
    [problem] = error["detail"]
    return dict(problem)


@pytest.mark.parametrize(
    "groups",
    [
        [_group("BROKER", 3), _group("ZOOKEEPER", 3)],
        [_group("ZOOKEEPER_BROKER", 1)],
        [_group("BROKER", 10), _group("ZOOKEEPER", 1), _group("AKHQ", 1)],
    ],
    ids=["brokers-and-zookeeper", "combined", "ten-brokers-with-akhq"],
)
async def test_event_streams_create_accepts_the_kafka_topologies(
    scp: Any, sandbox: Sandbox, groups: list[dict[str, Any]]
) -> None:
    with anyio.fail_after(5):
        response = await scp.call("eventstreams", "POST", "/v1/clusters", body=_kafka_body(sandbox, groups))
    assert response.status_code == 202, response.text


async def test_event_streams_create_refuses_a_role_that_is_not_kafkas(scp: Any, sandbox: Sandbox) -> None:
    problem = await _refused(scp, sandbox, [_group("ACTIVE", 1)])
    assert problem["field"] == "instance_groups[0].role_type"
    assert problem["allowed_values"] == ["BROKER", "ZOOKEEPER_BROKER", "ZOOKEEPER", "AKHQ"]


async def test_event_streams_create_bounds_the_broker_and_zookeeper_counts(scp: Any, sandbox: Sandbox) -> None:
    brokers = await _refused(scp, sandbox, [_group("BROKER", 11), _group("ZOOKEEPER", 3)])
    assert brokers["field"] == "instance_groups[0].instances"
    assert brokers["allowed_values"] == [str(n) for n in range(1, 11)]
    zookeepers = await _refused(scp, sandbox, [_group("BROKER", 3), _group("ZOOKEEPER", 2)])
    assert zookeepers["field"] == "instance_groups[1].instances"
    assert zookeepers["allowed_values"] == ["1", "3"]


async def test_event_streams_create_needs_exactly_one_broker_group_and_its_zookeeper(
    scp: Any, sandbox: Sandbox
) -> None:
    none = await _refused(scp, sandbox, [_group("ZOOKEEPER", 3)])
    assert none["field"] == "instance_groups"
    assert none["allowed_values"] == ["BROKER", "ZOOKEEPER_BROKER"]
    alone = await _refused(scp, sandbox, [_group("BROKER", 3)])
    assert alone["allowed_values"] == ["ZOOKEEPER"]
    both = await _refused(scp, sandbox, [_group("ZOOKEEPER_BROKER", 3), _group("ZOOKEEPER", 3)])
    assert "drop the ZOOKEEPER group" in both["message"]
    assert sandbox.find_cluster("newKafka") is None, "nothing refused was created"


def _query_body(cpu: str, memory: str, replica: str, nodes: int) -> dict[str, Any]:
    body = sample_body(
        "quick-query",
        "QuickQueryTotalCreateRequest",
        hints={"image_id": image_list()[0]["image_id"], "scale_name": "s1v8m32", "desired_node_count": nodes},
    )
    body["quick_query_create_request"]["quick_query_name"] = "bounded-trino"
    body["quick_query_create_request"]["query_engine_spec"].update(cpu=cpu, memory=memory, replica=replica)
    return body


async def test_quick_query_engine_must_fit_the_node_pools_it_creates(scp: Any) -> None:
    with anyio.fail_after(5):
        too_big = await scp.call("quick-query", "POST", "/v1/quick-query", body=_query_body("8", "16", "3", 2))
        fits = await scp.call("quick-query", "POST", "/v1/quick-query", body=_query_body("8", "16", "2", 2))
    assert too_big.status_code == 400, too_big.text
    [problem] = too_big.json()["errors"][0]["detail"]
    assert problem["field"] == "quick_query_create_request.query_engine_spec.cpu"
    assert problem["allowed_values"] == ["1..5"]  # 2 nodes x 8 vCPU, over 3 replicas
    assert fits.status_code == 202, fits.text


async def test_quick_query_engine_update_is_bounded_by_its_cluster(scp: Any, sandbox: Sandbox) -> None:
    trino = next(r for r in sandbox.state.records("quick_query") if r["quick_query_name"] == "sales-trino")
    path = f"/v1/quick-query/{trino['quick_query_id']}/engine"
    with anyio.fail_after(5):
        too_much = await scp.call("quick-query", "PUT", path, body={"cpu": "8", "memory": "64", "replica": "3"})
        fits = await scp.call("quick-query", "PUT", path, body={"cpu": "8", "memory": "32", "replica": "3"})
    assert too_much.status_code == 400, too_much.text
    [problem] = too_much.json()["errors"][0]["detail"]
    assert problem["field"] == "body.memory"  # trino-k8s: 3 nodes x 32 GB
    assert problem["allowed_values"] == ["1..32"]
    assert fits.status_code == 202, fits.text
