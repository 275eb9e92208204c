"""The seeded fleet: small, realistic, deterministic for a seed, with faults to troubleshoot.

See README.md for the table. Names are fixed; ids derive from the seed and the name.
"""

from __future__ import annotations

from typing import Any

from scp_mcp.sandbox import ids
from scp_mcp.sandbox.handlers.cluster_records import engine_id, new_cluster
from scp_mcp.sandbox.handlers.flow_records import FLOWS
from scp_mcp.sandbox.handlers.flow_services import new_sub
from scp_mcp.sandbox.handlers.flows import flow_base, new_main
from scp_mcp.sandbox.handlers.quick_query import image_list, new_engine, new_query
from scp_mcp.sandbox.lifecycle import REQUEST_COMPLETED, REQUEST_FAILED
from scp_mcp.sandbox.profiles import DBAAS
from scp_mcp.sandbox.store import Record, Store

SEEDED_AT = "2026-09-01T01:00:00.000Z"

# (service, name, state, engine index, groups [(role, instance roles, server type, data GB)], backup)
CLUSTERS: tuple[tuple[str, str, str, int, tuple[tuple[str, tuple[str, ...], str, int], ...], bool], ...] = (
    (
        "eventstreams",
        "orders-kafka",
        "RUNNING",
        0,
        (("BROKER", ("BROKER",) * 3, "db1v4m8", 256), ("ZOOKEEPER", ("ZOOKEEPER",) * 3, "db1v2m4", 32)),
        False,
    ),
    (
        "eventstreams",
        "legacy-kafka",
        "STOPPED",
        1,
        (("ZOOKEEPER_BROKER", ("ZOOKEEPER_BROKER",) * 3, "db1v2m4", 128),),
        False,
    ),
    (
        "searchengine",
        "search-logs",
        "ERROR",
        0,
        (("MASTER_DATA", ("MASTER_DATA",) * 3, "db1v8m16", 512), ("DASHBOARDS", ("DASHBOARDS",), "db1v2m4", 32)),
        True,
    ),
    ("searchengine", "search-products", "RUNNING", 0, (("MASTER_DATA", ("MASTER_DATA",) * 3, "db1v4m8", 256),), True),
    ("vertica", "analytics-vertica", "RUNNING", 0, (("PRIMARY_NODE", ("PRIMARY",) * 3, "db1v16m64", 1024),), False),
    ("vertica", "finance-vertica", "RUNNING", 1, (("PRIMARY_NODE", ("PRIMARY",) * 3, "db1v8m16", 512),), True),
)

K8S: tuple[tuple[str, int, int, tuple[tuple[str, str], ...]], ...] = (
    ("analytics-k8s", 32, 64, (("nginx-ingress", "nginx"), ("internal-ingress", "nginx-internal"))),
    ("edge-k8s", 4, 8, (("edge-ingress", "nginx"),)),
)

# (service, name, state, k8s cluster, services [(name, state)])
FLOW_FLEET = (
    ("data-flow", "orders-nifi", "RUNNING", "analytics-k8s", (("orders-flow-svc", "RUNNING"),)),
    ("data-flow", "ingest-nifi", "CREATING", "analytics-k8s", ()),
    ("data-ops", "etl-airflow", "RUNNING", "analytics-k8s", (("etl-airflow-svc", "RUNNING"),)),
    ("data-ops", "reports-airflow", "ERROR", "edge-k8s", ()),
)


def seed_fleet(store: Store) -> None:
    for row in CLUSTERS:
        _cluster(store, *row)
    _requests(store)
    engines = {name: _k8s(store, name, cpu, mem, ics) for name, cpu, mem, ics in K8S}
    for service, name, state, k8s, services in FLOW_FLEET:
        _flow(store, service, name, state, engines[k8s], services)
    _quick_query(store)


def cluster_id(seed: int, service: str, name: str) -> str:
    return ids.hex_id(seed, service, "cluster", "seed:" + name)


def _cluster(store: Store, service: str, name: str, state: str, engine: int, groups: Any, backup: bool) -> None:
    profile = DBAAS[service]
    body = {
        "name": name,
        "dbaas_engine_version_id": engine_id(service, profile.engines[engine]),
        "instance_name_prefix": name.split("-")[0],
        "subnet_id": ids.hex_id(store.seed, "subnet", "analytics"),
        "timezone": "Asia/Seoul",
        "allowable_ip_addresses": ["10.10.0.0/16"],
        "maintenance_option": {"starting_day_of_week": "SUN", "starting_time": "0300", "period_hour": "2"}
        if state == "RUNNING"
        else None,
        "init_config_option": _init_config(service, name, backup),
        "instance_groups": [
            {
                "role_type": role,
                "server_type_name": stype,
                "instances": [{"role_type": r} for r in roles],
                "block_storage_groups": [{"role_type": "DATA", "size_gb": gb, "volume_type": "SSD"}],
            }
            for role, roles, stype, gb in groups
        ],
    }
    record = new_cluster(store, service, body, SEEDED_AT, key="seed:" + name)
    record.update({"service_state": state})
    for group in record["instance_groups"]:
        for instance in group["instances"]:
            instance["service_state"] = state
    if backup:
        record["_backup_histories"] = _histories(store.seed, record, 3)
    store.add("cluster", record["id"], record)


def _init_config(service: str, name: str, backup: bool) -> dict[str, Any]:
    option = {"retention_period_day": "7", "starting_time_hour": "2"} if backup else None
    if service == "eventstreams":
        return {"broker_port": 9092, "zookeeper_port": 2181}
    if service == "searchengine":
        return {"database_user_name": "admin", "database_port": 9200, "dashboards_port": 5601, "backup_option": option}
    return {
        "database_name": name.split("-")[0].upper() + "DB",
        "database_user_name": "dbadmin",
        "database_port": 5433,
        "mc_port": 5450,
        "backup_option": option,
    }


def _histories(seed: int, cluster: Record, count: int) -> list[dict[str, Any]]:
    return [
        {
            "backup_history_number": ids.hex_id(seed, cluster["id"], "backup", day)[:12],
            "backup_start_at": f"2026-11-{24 + day:02d}T02:00:00.000Z",
            "backup_end_at": f"2026-11-{24 + day:02d}T02:18:00.000Z",
            "backup_size_gb": 40.5 + 3 * day,
            "backup_state": "COMPLETED",
            "backup_state_detail": None,
            "software_version": cluster["software_version"],
        }
        for day in range(count)
    ]


def _requests(store: Store) -> None:
    """The failed restart that left search-logs in ERROR, and completed ones elsewhere."""
    for service, name, state in (
        ("searchengine", "search-logs", REQUEST_FAILED),
        ("eventstreams", "orders-kafka", REQUEST_COMPLETED),
        ("vertica", "finance-vertica", REQUEST_COMPLETED),
    ):
        request_id = ids.request_id(store.seed, "seed", name)
        record = {
            "request_id": request_id,
            "state": state,
            "resource_id": cluster_id(store.seed, service, name),
            "_service": service,
        }
        store.add("request", request_id, record)


def _k8s(store: Store, name: str, cpu: int, memory: int, controllers: Any) -> Record:
    engine: Record = {
        "id": ids.uuid_id(store.seed, "k8s", name),
        "name": name,
        "k8s_version": "1.30",
        "cpu_millicores": cpu * 1000,
        "memory_mib": memory * 1024,
        "ingress_controllers": [
            {"ingress_controller_name": ic, "ingress_class_name": cls, "namespace": "ingress-nginx"}
            for ic, cls in controllers
        ],
        "node_pools": [{"name": f"{name}-pool", "scale_name": f"s1v{cpu // 4}m{memory // 4}", "node_count": 4}],
    }
    return store.add("kubernetes_engine", engine["id"], engine)


def _flow(store: Store, service: str, name: str, state: str, engine: Record, services: Any) -> None:
    fam = FLOWS[service]
    image = fam.image_list()[0]
    body = {
        fam.main_name: name,
        "image_id": image["image_id"],
        "domain": f"{name}.example.internal",
        "description": f"{fam.product} for {name.split('-')[0]}",
        "host_alias_list": [],
        "storage_class_name": "nfs-sc",
    }
    base = flow_base(engine, body, SEEDED_AT)
    record = new_main(
        store, fam, engine, body, base, engine["ingress_controllers"][0], ids.uuid_id(store.seed, service, name)
    )
    record["state"] = state
    for sub_name, sub_state in services:
        workload = {
            k: {"cpu": "1000", "memory": "2048", "replica": "1", "version": v} for k, v in fam.sub_versions.items()
        }
        sub_body = {
            fam.sub_name: sub_name,
            "domain": f"{sub_name}.example.internal",
            "service_workload": workload,
            "storage_class_name": "nfs-sc",
            "host_alias": {"enabled": "false"},
        }
        sub = new_sub(
            store, fam, record, engine, sub_body, SEEDED_AT, ids.uuid_id(store.seed, service, "svc", sub_name)
        )
        sub["state"] = sub_state


def _quick_query(store: Store) -> None:
    engine = new_engine(
        store,
        {"kubernetes_engine_name": "trino-k8s", "k8s_version": "1.30"},
        [{"name": "trino-pool", "scale_name": "s1v8m32", "desired_node_count": 3}],
    )
    spec = {
        "quick_query_name": "sales-trino",
        "image_id": image_list()[0]["image_id"],
        "domain": "sales-trino.example.internal",
        "dsc_domain": "dsc.example.internal",
        "is_engine_type_private": False,
        "max_query": "32",
        "description": "Ad hoc SQL over the sales lake",
        "query_engine_spec": {"auto_scale": False, "cpu": "8", "memory": "32", "replica": "2", "cluster_size": None},
    }
    record = new_query(store, spec, engine, SEEDED_AT)
    record.update({"quick_query_state": "RUNNING", "provisioning_state": "COMPLETED"})
