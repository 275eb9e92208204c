"""What only the seeded sandbox knows: ids of things that exist, in a state that allows each operation.

Used as hints for the schema-driven argument generator (see tests/support/schema_args.py).
"""

from __future__ import annotations

from typing import Any

from scp_mcp.catalog import Operation
from scp_mcp.sandbox import Sandbox
from scp_mcp.sandbox.handlers.cluster_records import engine_id
from scp_mcp.sandbox.handlers.flow_records import FLOWS
from scp_mcp.sandbox.handlers.quick_query import image_list
from scp_mcp.sandbox.profiles import DBAAS
from scp_mcp.sandbox.topology import TOPOLOGIES, example_groups

CLUSTER_FOR = {"eventstreams": "orders-kafka", "searchengine": "search-products", "vertica": "finance-vertica"}
MAIN_FOR = {"data-flow": "orders-nifi", "data-ops": "etl-airflow"}
DELETABLE_MAIN_FOR = {"data-flow": "ingest-nifi", "data-ops": "reports-airflow"}


def _find(sandbox: Sandbox, kind: str, name: str, service: str | None = None) -> dict[str, Any]:
    record = sandbox.find(kind, name, service)
    assert record is not None, f"seeded {kind} {name} is missing"
    return record


def hints(sandbox: Sandbox, op: Operation) -> dict[str, Any]:
    if op.service in DBAAS:
        return _dbaas(sandbox, op)
    if op.service in FLOWS:
        return _flows(sandbox, op)
    query = _find(sandbox, "quick_query", "sales-trino")
    return {
        "quick_query_id": query["quick_query_id"],
        "quick_query_name": "newquery",
        "image_id": image_list()[0]["image_id"],
        "scale_name": "s1v8m32",
        "page": 0,
        "size": 20,
    }


def _dbaas(sandbox: Sandbox, op: Operation) -> dict[str, Any]:
    cluster = _find(sandbox, "cluster", CLUSTER_FOR[op.service], op.service)
    if op.name == "Start Cluster":
        cluster["service_state"] = "STOPPED"  # not every service has a stopped cluster seeded
    group = cluster["instance_groups"][0]
    request = next(iter(sandbox.state.records("request", op.service)))
    histories = cluster.get("_backup_histories") or []
    number = histories[0]["backup_history_number"] if histories else "none"
    found: dict[str, Any] = {
        "cluster_id": cluster["id"],
        "instance_group_id": group["id"],
        "block_storage_group_id": group["block_storage_groups"][0]["id"],
        "request_id": request["request_id"],
        "dbaas_engine_version_id": engine_id(op.service, DBAAS[op.service].engines[0]),
        "server_type_name": "db1v16m64",
        "size_gb": 5120,
        "backup_history_number": [number] if op.name == "Remove Backup Histories" else number,
    }
    if op.name == "Set Parameter Values":
        found["parameters"] = []
    if op.name == "Create Cluster" and op.service in TOPOLOGIES:  # Kafka roles, not the schema's first (ACTIVE)
        found["instance_groups"] = example_groups(op.service, "db1v16m64")
    return found


def _flows(sandbox: Sandbox, op: Operation) -> dict[str, Any]:
    fam = FLOWS[op.service]
    engine = _find(sandbox, "kubernetes_engine", "analytics-k8s")
    main = _find(sandbox, fam.main, MAIN_FOR[op.service])
    sub = next(r for r in sandbox.state.records(fam.sub) if r[fam.main_id] == main[fam.main_id])
    if op.method == "DELETE" and op.path.endswith(f"{{{fam.main_id}}}"):
        main = _find(sandbox, fam.main, DELETABLE_MAIN_FOR[op.service])
    return {
        "cluster_id": engine["id"],
        fam.main_id: main[fam.main_id],
        fam.sub_id: sub[fam.sub_id],
        fam.main_name: "brandnewname",
        fam.sub_name: "brandnewname",
        "image_id": fam.image_list()[0]["image_id"],
        "ingress_controller_name": "nginx-ingress",
    }
