"""Every documented operation-version is served, with bodies generated from the catalog's schemas.

Each case runs against a fresh seeded sandbox: path ids point at seeded resources in a state that
allows the operation, bodies come from `sample_body` with ids of seeded things as hints, and the
answer must be the documented success status with a body the documented model accepts.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.catalog import Operation, OperationVersion, load_catalog
from scp_mcp.sandbox import Sandbox, sample_body
from scp_mcp.sandbox.handlers.cluster_records import engine_id
from scp_mcp.sandbox.handlers.flow_records import FLOWS
from scp_mcp.sandbox.handlers.quick_query import image_list
from scp_mcp.sandbox.profiles import DBAAS

pytestmark = pytest.mark.anyio

CASES = [
    pytest.param(op, version, id=f"{op.tool_name}@{version.version}")
    for op in load_catalog().operations
    for version in op.versions.values()
]


def test_there_are_162_operation_versions() -> None:
    assert len(CASES) == 162


def _first(sandbox: Sandbox, kind: str, name: str, service: str | None = None) -> dict[str, Any]:
    record = sandbox.find(kind, name, service)
    assert record is not None, name
    return record


def path_params(sandbox: Sandbox, op: Operation) -> dict[str, str]:
    cluster_name = (
        "search-products"
        if op.service == "searchengine"
        else f"{'orders-kafka' if op.service == 'eventstreams' else 'finance-vertica'}"
    )
    values: dict[str, str] = {}
    if op.service in DBAAS:
        cluster = _first(sandbox, "cluster", cluster_name, op.service)
        if op.name == "Start Cluster":
            cluster["service_state"] = "STOPPED"  # the seeded clusters that are stopped differ per service
        group = cluster["instance_groups"][0]
        request = next(r for r in sandbox.state.records("request", op.service))
        values = {
            "cluster_id": cluster["id"],
            "instance_group_id": group["id"],
            "block_storage_group_id": group["block_storage_groups"][0]["id"],
            "request_id": request["request_id"],
            "dbaas_engine_version_id": engine_id(op.service, DBAAS[op.service].engines[0]),
        }
    elif op.service in FLOWS:
        fam = FLOWS[op.service]
        main = _first(sandbox, fam.main, "orders-nifi" if op.service == "data-flow" else "etl-airflow")
        sub = next(r for r in sandbox.state.records(fam.sub) if r[fam.main_id] == main[fam.main_id])
        values = {
            "cluster_id": _first(sandbox, "kubernetes_engine", "analytics-k8s")["id"],
            fam.main_id: main[fam.main_id],
            fam.sub_id: sub[fam.sub_id],
            fam.main_name: "brand-new-name",
            fam.sub_name: "brand-new-name",
        }
        if op.method == "DELETE" and op.path.endswith(f"{{{fam.main_id}}}"):
            values[fam.main_id] = _first(
                sandbox, fam.main, "ingest-nifi" if op.service == "data-flow" else "reports-airflow"
            )[fam.main_id]
    else:
        values = {
            "quick_query_id": _first(sandbox, "quick_query", "sales-trino")["quick_query_id"],
            "quick_query_name": "new-query",
        }
    return {p.name: values[p.name] for p in op.current.params_in("path")}


def hints(sandbox: Sandbox, op: Operation) -> dict[str, Any]:
    if op.service in DBAAS:
        source = (
            _first(
                sandbox, "cluster", "search-products" if op.service == "searchengine" else "finance-vertica", op.service
            )
            if op.service != "eventstreams"
            else None
        )
        histories = source["_backup_histories"] if source else []
        found = {
            "dbaas_engine_version_id": engine_id(op.service, DBAAS[op.service].engines[0]),
            "server_type_name": "db1v16m64",
            "name": "contractcluster",
            "size_gb": 5120,
            "backup_history_number": histories[0]["backup_history_number"] if histories else "x",
        }
        if op.name == "Remove Backup Histories":
            found["backup_history_number"] = [histories[0]["backup_history_number"]]
        if op.name == "Set Parameter Values":
            found["parameters"] = []
        return found
    if op.service in FLOWS:
        fam = FLOWS[op.service]
        engine = _first(sandbox, "kubernetes_engine", "analytics-k8s")
        main = _first(sandbox, fam.main, "orders-nifi" if op.service == "data-flow" else "etl-airflow")
        return {
            "cluster_id": engine["id"],
            "image_id": fam.image_list()[0]["image_id"],
            "ingress_controller_name": "nginx-ingress",
            fam.main_id: main[fam.main_id],
        }
    return {"image_id": image_list()[0]["image_id"], "scale_name": "s1v8m32"}


def request_for(sandbox: Sandbox, op: Operation, version: OperationVersion) -> dict[str, Any]:
    path = op.path.format(**path_params(sandbox, op))
    query = {p.name: 20 if p.name == "size" else 0 for p in version.params_in("query") if p.required}
    body = sample_body(op.service, version.body_model, hints=hints(sandbox, op)) if version.body_model else None
    return {"path": path, "query": query, "body": body}


@pytest.mark.parametrize(("op", "version"), CASES)
async def test_operation_version_is_served(
    scp: Any, sandbox: Sandbox, op: Operation, version: OperationVersion
) -> None:
    req = request_for(sandbox, op, version)
    if op.name == "List Parameters":
        groups = await scp.ok(op.service, "GET", "/v1/parameter-groups", version=version.api_version)
        req["query"]["dbaas_parameter_group_id"] = groups["contents"][0]["id"]
    with anyio.fail_after(5):
        response = await scp.call(
            op.service, op.method, req["path"], query=req["query"], body=req["body"], version=version.api_version
        )
    assert response.status_code == version.success.status, response.text
    if version.success.model is not None:
        load_catalog().services[op.service].model(version.success.model).model_validate(response.json())
    assert sandbox.received[-1].operation == op.tool_name
