"""Data Flow (NiFi) and Data Ops (Airflow) as data: names of things, images, and Kubernetes capacity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scp_mcp.sandbox import ids
from scp_mcp.sandbox.errors import ErrorReply, not_found
from scp_mcp.sandbox.handlers.base import as_int
from scp_mcp.sandbox.lifecycle import ALIVE_STATES
from scp_mcp.sandbox.store import Record, Store


@dataclass(frozen=True)
class FlowFamily:
    service: str
    main: str  # record kind of the product: data_flow, data_ops
    sub: str  # record kind of its services
    product: str
    images: tuple[tuple[str, str], ...]  # (image name, version)
    sub_versions: Mapping[str, str]
    k8s_version: str = "1.30"

    @property
    def main_id(self) -> str:
        return f"{self.main}_id"

    @property
    def main_name(self) -> str:
        return f"{self.main}_name"

    @property
    def sub_id(self) -> str:
        return f"{self.sub}_id"

    @property
    def sub_name(self) -> str:
        return f"{self.sub}_name"

    def image_id(self, name: str, version: str) -> str:
        return ids.uuid_id("image", self.service, name, version)

    def image_list(self) -> list[dict[str, Any]]:
        return [
            {
                "image_id": self.image_id(name, version),
                "image_name": name,
                "version": version,
                "image_attr": {"k8s.version": self.k8s_version, "os.type": "Ubuntu"},
            }
            for name, version in self.images
        ]


FLOWS = {
    "data-flow": FlowFamily(
        service="data-flow",
        main="data_flow",
        sub="data_flow_service",
        product="NiFi",
        images=(("Apache NiFi", "1.27.1"), ("Apache NiFi", "1.23.2")),
        sub_versions={"nifi": "1.27.1", "nifiregistry": "1.27.1", "zookeeper": "3.9.2"},
    ),
    "data-ops": FlowFamily(
        service="data-ops",
        main="data_ops",
        sub="data_ops_service",
        product="Airflow",
        images=(("Apache Airflow", "2.9.3"), ("Apache Airflow", "2.7.3")),
        sub_versions={"scheduler": "2.9.3", "webserver": "2.9.3", "worker": "2.9.3"},
    ),
}


def get_engine(store: Store, cluster_id: str, *, status: int = 400) -> Record:
    engine = store.get("kubernetes_engine", cluster_id)
    if engine is None:
        raise not_found("Kubernetes cluster", cluster_id, status=status)
    return engine


def get_live(store: Store, kind: str, key: str) -> Record:
    """A Data Flow / Data Ops record; missing ids are answered 400 by these services (see notes)."""
    record = store.get(kind, key)
    if record is None:
        raise not_found(kind.replace("_", " "), key, status=400)
    return record


def workload_need(workload: Mapping[str, Any] | None) -> tuple[int, int]:
    """(millicores, MiB) that a service_workload asks for: the sum of cpu x replica and memory x replica."""
    cpu = memory = 0
    for part in (workload or {}).values():
        if isinstance(part, Mapping):
            replica = as_int(part.get("replica"), 1)
            cpu += as_int(part.get("cpu"), 0) * replica
            memory += as_int(part.get("memory"), 0) * replica
    return cpu, memory


def used_by_services(store: Store, cluster_id: str, *, excluding: str | None = None) -> tuple[int, int]:
    cpu = memory = 0
    for kind in ("data_flow_service", "data_ops_service"):
        for record in store.records(kind):
            key = record.get(f"{kind}_id")
            if record["cluster_id"] == cluster_id and key != excluding and record["state"] in ALIVE_STATES:
                need = workload_need(record.get("service_workload"))
                cpu, memory = cpu + need[0], memory + need[1]
    return cpu, memory


def resource_check(store: Store, cluster_id: str, workload: Any, *, excluding: str | None = None) -> dict[str, Any]:
    engine = get_engine(store, cluster_id)
    used = used_by_services(store, cluster_id, excluding=excluding)
    need = workload_need(workload)
    free = (engine["cpu_millicores"] - used[0], engine["memory_mib"] - used[1])
    err = "INSUFFICIENT_CPU" if need[0] > free[0] else "INSUFFICIENT_MEMORY" if need[1] > free[1] else ""
    return {
        "result": not err,
        "err_code": err,
        "cpu": {"requested": need[0], "available": free[0], "unit": "millicores"},
        "memory": {"requested": need[1], "available": free[1], "unit": "MiB"},
    }


def require_capacity(store: Store, cluster_id: str, workload: Any, *, excluding: str | None = None) -> None:
    check = resource_check(store, cluster_id, workload, excluding=excluding)
    if not check["result"]:
        raise ErrorReply(
            400,
            "ResourceInsufficient",
            f"cluster {cluster_id} lacks resources ({check['err_code']}): needs {check['cpu']['requested']}m CPU"
            f" / {check['memory']['requested']}Mi, has {check['cpu']['available']}m"
            f" / {check['memory']['available']}Mi free",
        )


def ingress_controllers(engine: Record) -> list[dict[str, Any]]:
    return [dict(ic) for ic in engine.get("ingress_controllers", [])]
