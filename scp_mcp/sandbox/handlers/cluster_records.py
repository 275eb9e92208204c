"""Building and finding DBaaS cluster records (Event Streams, Search Engine, Vertica)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from scp_mcp.sandbox import ids
from scp_mcp.sandbox.errors import ErrorReply, bad_request, not_found
from scp_mcp.sandbox.handlers.base import ACCOUNT_ID, USER_ID, stamped
from scp_mcp.sandbox.profiles import DBAAS, SERVER_TYPES, DbaasProfile, Engine
from scp_mcp.sandbox.store import Record, Store

SECRET_WORDS = ("password", "sasl_id")
GROUP_ROLE_FOR_INSTANCE = {"ACTIVE": "ACTIVE", "ACTIVE_STANDBY": "ACTIVE", "PRIMARY": "PRIMARY"}


def engine_id(service: str, engine: Engine) -> str:
    return ids.hex_id("engine", service, engine.key)


def find_engine(profile: DbaasProfile, version_id: str) -> Engine:
    for engine in profile.engines:
        if engine_id(profile.service, engine) == version_id:
            return engine
    known = ", ".join(engine_id(profile.service, e) for e in profile.engines if not e.end_of_service)
    raise ErrorReply(
        400,
        "ValidationError",
        f"dbaas_engine_version_id {version_id!r} is not a {profile.dbaas_engine} version; see List Engine Versions",
        [
            {
                "field": "dbaas_engine_version_id",
                "message": "unknown engine version",
                "allowed_values": known.split(", "),
            }
        ],
    )


def check_server_type(name: str, field: str = "server_type_name") -> None:
    names = [t.name for t in SERVER_TYPES]
    if name not in names:
        raise ErrorReply(
            400,
            "ValidationError",
            f"{field}: unknown server type {name!r} (allowed values: {', '.join(names)})",
            [{"field": field, "message": "unknown server type", "allowed_values": names}],
        )


def new_cluster(store: Store, service: str, body: Mapping[str, Any], now: str, *, key: str) -> Record:
    """A cluster record from a create (or restore) body; `key` seeds its ids."""
    profile = DBAAS[service]
    engine = find_engine(profile, str(body.get("dbaas_engine_version_id")))
    record: Record = {
        "_service": service,
        "id": ids.hex_id(store.seed, service, "cluster", key),
        "name": body["name"],
        "account_id": ACCOUNT_ID,
        "created_at": now,
        "created_by": USER_ID,
        "modified_by": USER_ID,
        "service_state": "CREATING",
        "role_type": "ORIGIN",
        "ha_enabled": False,
        "dbaas_engine": profile.dbaas_engine,
        "dbaas_engine_version_id": engine_id(service, engine),
        "dbaas_engine_version_name": engine.name,
        "software_version": engine.software_version,
        "product_type": profile.product_type,
        "product_image_type": profile.product_image_type,
        "subnet_id": body.get("subnet_id") or "",
        "timezone": body.get("timezone") or "Asia/Seoul",
        "nat_enabled": bool(body.get("nat_enabled")),
        "is_combined": bool(body.get("is_combined")),
        "console_included": service == "vertica",
        "allowable_ip_addresses": list(body.get("allowable_ip_addresses") or []),
        "init_config_option": public_config(body.get("init_config_option") or {}),
        "maintenance_option": maintenance_option(body.get("maintenance_option")),
        "instance_groups": [],
        "_parameters": {p.name: p.default_value for p in profile.parameters},
        "_backup_histories": [],
    }
    if service == "searchengine":
        record["license"] = {"license_expiry_date": "2027-12-31", "license_status": "VALID", "license_type": "BASIC"}
    record["database_name"] = record["init_config_option"].get("database_name")
    prefix = str(body.get("instance_name_prefix") or body["name"]).lower()
    for index, group in enumerate(body.get("instance_groups") or []):
        check_server_type(str(group.get("server_type_name", SERVER_TYPES[0].name)))
        record["instance_groups"].append(new_group(record, group, prefix, index))
    record["instance_count"] = count_instances(record)
    return stamped(record, "modified_at", now)


def new_group(cluster: Record, body: Mapping[str, Any], prefix: str, index: int) -> Record:
    group_id = ids.hex_id(cluster["id"], "group", index)
    group: Record = {
        "id": group_id,
        "role_type": body["role_type"],
        "server_type_name": body.get("server_type_name") or SERVER_TYPES[0].name,
        "block_storage_groups": [],
        "instances": [],
    }
    for storage in body.get("block_storage_groups") or []:
        add_storage(group, storage)
    for instance in body.get("instances") or [{"role_type": GROUP_ROLE_FOR_INSTANCE.get(body["role_type"], "DATA")}]:
        add_instance(cluster, group, prefix, instance)
    return group


def add_storage(group: Record, body: Mapping[str, Any]) -> Record:
    index = len(group["block_storage_groups"])
    storage = {
        "id": ids.hex_id(group["id"], "storage", index),
        "name": f"{body['role_type'].lower()}-{index}",
        "role_type": body["role_type"],
        "size_gb": int(body["size_gb"]),
        "volume_type": body.get("volume_type") or "SSD",
    }
    group["block_storage_groups"].append(storage)
    return storage


def add_instance(cluster: Record, group: Record, prefix: str, body: Mapping[str, Any]) -> Record:
    number = count_instances(cluster) + len(group["instances"]) + 1
    instance = {
        "name": f"{prefix}-{number:03d}",
        "role_type": body.get("role_type") or "DATA",
        "service_state": cluster["service_state"],
        "service_ip_address": body.get("service_ip_address") or f"10.20.{len(cluster['name']) % 250}.{10 + number}",
        "public_ip_id": body.get("public_ip_id") or None,
        "public_ip_address": None,
    }
    group["instances"].append(instance)
    return instance


def count_instances(cluster: Record) -> int:
    return sum(len(g["instances"]) for g in cluster.get("instance_groups", ()))


def public_config(option: Mapping[str, Any]) -> dict[str, Any]:
    """The init config option as shown back: never a password or SASL id."""
    shown = {k: v for k, v in option.items() if not any(word in k for word in SECRET_WORDS)}
    shown.setdefault("backup_option", None)
    return shown


def maintenance_option(option: Mapping[str, Any] | None) -> dict[str, Any]:
    if not option or not option.get("starting_day_of_week"):
        return {
            "use_maintenance_option": False,
            "period_hour": None,
            "starting_day_of_week": None,
            "starting_time": None,
        }
    return {
        "use_maintenance_option": True,
        "period_hour": option.get("period_hour"),
        "starting_day_of_week": option.get("starting_day_of_week"),
        "starting_time": option.get("starting_time"),
    }


def clusters(store: Store, service: str) -> Iterator[Record]:
    return store.records("cluster", service)


def get_cluster(store: Store, service: str, cluster_id: str) -> Record:
    record = store.get("cluster", cluster_id)
    if record is None or record["_service"] != service:
        raise not_found("cluster", cluster_id)
    return record


def find_group(store: Store, service: str, group_id: str) -> tuple[Record, Record]:
    for cluster in clusters(store, service):
        for group in cluster["instance_groups"]:
            if group["id"] == group_id:
                return cluster, group
    raise not_found("instance group", group_id)


def find_storage(store: Store, service: str, storage_id: str) -> tuple[Record, Record]:
    for cluster in clusters(store, service):
        for group in cluster["instance_groups"]:
            for storage in group["block_storage_groups"]:
                if storage["id"] == storage_id:
                    return cluster, storage
    raise not_found("block storage group", storage_id)


def require_unique_name(store: Store, service: str, name: str) -> None:
    for cluster in clusters(store, service):
        if cluster["name"] == name and cluster["service_state"] != "TERMINATED":
            raise bad_request(f"a cluster named {name!r} already exists", "name")
