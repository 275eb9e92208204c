"""Data Flow and Data Ops: resources followed through their own state, checks answered from state."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.sandbox import Sandbox
from scp_mcp.sandbox.handlers.flow_records import FLOWS
from scp_mcp.sandbox.profiles import FLOW_DURATIONS

pytestmark = pytest.mark.anyio

# (service, main path, services path, the RUNNING product with a service)
FAMILIES = [
    pytest.param("data-flow", "/v1/data-flows", "/v1/data-flow-services", "orders-nifi", id="data-flow"),
    pytest.param("data-ops", "/v1/data-ops", "/v1/data-ops-services", "etl-airflow", id="data-ops"),
]


def engine_id(sandbox: Sandbox, name: str) -> str:
    engine = sandbox.find("kubernetes_engine", name)
    assert engine is not None
    return str(engine["id"])


def create_body(sandbox: Sandbox, service: str, name: str) -> dict[str, Any]:
    fam = FLOWS[service]
    return {
        fam.main_name: name,
        "cluster_id": engine_id(sandbox, "analytics-k8s"),
        "domain": f"{name}.example.internal",
        "host_alias_list": [],
        "image_id": fam.image_list()[0]["image_id"],
        "ingress_controller_name": "nginx-ingress",
        "storage_class_name": "nfs-sc",
    }


def workload(service: str, cpu: str) -> dict[str, Any]:
    return {part: {"cpu": cpu, "memory": "1024", "replica": "1"} for part in FLOWS[service].sub_versions}


@pytest.mark.parametrize(("service", "main", "subs", "running"), FAMILIES)
async def test_create_update_delete_follow_the_resource_state(
    scp: Any, sandbox: Sandbox, service: str, main: str, subs: str, running: str
) -> None:
    fam = FLOWS[service]
    with anyio.fail_after(5):
        free = await scp.ok(service, "GET", f"{main}/new-flow/check-duplication")
        assert free == {"result": False}
        created = await scp.ok(service, "POST", main, body=create_body(sandbox, service, "new-flow"))
        key = created[fam.main_id]
        assert (await scp.ok(service, "GET", f"{main}/{key}"))["state"] == "CREATING"
        assert (await scp.ok(service, "GET", f"{main}/new-flow/check-duplication")) == {"result": True}
        early = await scp.call(service, "PUT", f"{main}/{key}", body={"description": "too early"})
        assert early.status_code == 400
        sandbox.advance(FLOW_DURATIONS["create"])
        assert (await scp.ok(service, "GET", f"{main}/{key}"))["state"] == "RUNNING"
        await scp.ok(service, "PUT", f"{main}/{key}", body={"description": "nightly loads"})
        shown = await scp.ok(service, "GET", f"{main}/{key}")
        assert shown["state"] == "UPDATING"
        assert shown["description"] == "nightly loads"
        sandbox.advance(FLOW_DURATIONS["update"])
        assert (await scp.ok(service, "GET", f"{main}/{key}"))["state"] == "RUNNING"
        await scp.ok(service, "DELETE", f"{main}/{key}")
        assert (await scp.ok(service, "GET", f"{main}/{key}"))["state"] == "TERMINATING"
        assert key not in [r[fam.main_id] for r in (await scp.ok(service, "GET", main))["contents"]]
        sandbox.advance(FLOW_DURATIONS["delete"])
        assert (await scp.ok(service, "GET", f"{main}/{key}"))["state"] == "DELETED"
        sandbox.advance(FLOW_DURATIONS["linger"])
        assert (await scp.call(service, "GET", f"{main}/{key}")).status_code == 400  # as these services answer


@pytest.mark.parametrize(("service", "main", "subs", "running"), FAMILIES)
async def test_services_capacity_and_parent_rules(
    scp: Any, sandbox: Sandbox, service: str, main: str, subs: str, running: str
) -> None:
    fam = FLOWS[service]
    parent = sandbox.find(fam.main, running)
    assert parent is not None
    k8s = engine_id(sandbox, "analytics-k8s")
    with anyio.fail_after(5):
        too_big = await scp.ok(
            service,
            "POST",
            f"{subs}/clusters/{k8s}/validate-resources",
            body={"service_workload": workload(service, "40000")},
        )
        assert too_big["result"] is False
        assert too_big["err_code"] == "INSUFFICIENT_CPU"
        fits = await scp.ok(
            service,
            "POST",
            f"{subs}/clusters/{k8s}/validate-resources",
            body={"service_workload": workload(service, "500")},
        )
        assert fits["result"] is True
        blocked = await scp.call(service, "DELETE", f"{main}/{parent[fam.main_id]}")
        assert blocked.status_code == 400
        assert "delete them first" in blocked.json()["errors"][0]["message"]
        sub = next(sandbox.state.records(fam.sub))
        await scp.ok(service, "DELETE", f"{subs}/{sub[fam.sub_id]}")
        sandbox.advance(FLOW_DURATIONS["delete"] + FLOW_DURATIONS["linger"])
        versions = await scp.ok(service, "GET", f"{subs}/{main.split('/')[-1]}/{parent[fam.main_id]}/sub-versions")
        assert versions[f"{fam.sub}_count"] == 0
        await scp.ok(service, "DELETE", f"{main}/{parent[fam.main_id]}")


async def test_stuck_data_flow_stays_creating_and_can_be_deleted(scp: Any, sandbox: Sandbox) -> None:
    stuck = sandbox.find("data_flow", "ingest-nifi")
    assert stuck is not None
    sandbox.advance(7 * 86400)
    shown = await scp.ok("data-flow", "GET", f"/v1/data-flows/{stuck['data_flow_id']}")
    assert shown["state"] == "CREATING"
    service_body = {
        "data_flow_id": stuck["data_flow_id"],
        "data_flow_service_name": "late-svc",
        "domain": "late.example.internal",
        "host_alias": {},
        "service_workload": workload("data-flow", "100"),
        "storage_class_name": "nfs-sc",
    }
    refused = await scp.call("data-flow", "POST", "/v1/data-flow-services", body=service_body)
    assert refused.status_code == 400
    assert "CREATING" in refused.json()["errors"][0]["message"]
    await scp.ok("data-flow", "DELETE", f"/v1/data-flows/{stuck['data_flow_id']}")


async def test_create_checks_references_from_state(scp: Any, sandbox: Sandbox) -> None:
    body = create_body(sandbox, "data-flow", "other-flow")
    bad_ingress = await scp.call(
        "data-flow", "POST", "/v1/data-flows", body={**body, "ingress_controller_name": "nope"}
    )
    assert bad_ingress.status_code == 400
    assert "nginx-ingress" in bad_ingress.json()["errors"][0]["detail"][0]["allowed_values"]
    duplicate = await scp.call("data-flow", "POST", "/v1/data-flows", body={**body, "data_flow_name": "orders-nifi"})
    assert duplicate.status_code == 400
    controllers = await scp.ok("data-flow", "GET", f"/v1/data-flows/clusters/{body['cluster_id']}/ingress-controllers")
    assert [c["ingress_controller_name"] for c in controllers["contents"]] == ["nginx-ingress", "internal-ingress"]


async def test_list_filters_by_state(scp: Any) -> None:
    creating = await scp.ok("data-flow", "GET", "/v1/data-flows", query={"state": "CREATING"})
    assert [r["data_flow_name"] for r in creating["contents"]] == ["ingest-nifi"]
    errors = await scp.ok("data-ops", "GET", "/v1/data-ops", query={"state": "ERROR"})
    assert [r["data_ops_name"] for r in errors["contents"]] == ["reports-airflow"]


async def test_account_passwords_are_never_shown_back(scp: Any, sandbox: Sandbox) -> None:
    body = {
        **create_body(sandbox, "data-flow", "secret-flow"),
        "account": {"account_id": "nifi", "account_password": "hunter22"},
    }
    created = await scp.call("data-flow", "POST", "/v1/data-flows", body=body)
    assert created.status_code == 202
    assert "hunter22" not in created.text
    shown = await scp.call("data-flow", "GET", f"/v1/data-flows/{created.json()['data_flow_id']}")
    assert "hunter22" not in shown.text
    assert shown.json()["account"] == {"account_id": "nifi"}
