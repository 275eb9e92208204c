"""DBaaS read-only catalogs (engine versions, server types, parameter groups) and cluster parameters."""

from __future__ import annotations

from typing import Any

from scp_mcp.sandbox import ids
from scp_mcp.sandbox.errors import ErrorReply, bad_request, not_found
from scp_mcp.sandbox.handlers.base import Ctx, Reply, handles
from scp_mcp.sandbox.handlers.cluster_records import engine_id, get_cluster
from scp_mcp.sandbox.handlers.clusters import page, transition
from scp_mcp.sandbox.lifecycle import CLUSTER
from scp_mcp.sandbox.profiles import DBAAS, SERVER_TYPES, DbaasProfile

D = "dbaas"


def _engines(profile: DbaasProfile) -> list[dict[str, Any]]:
    return [
        {
            "id": engine_id(profile.service, e),
            "name": e.name,
            "major_version": e.major_version,
            "software_version": e.software_version,
            "os_type": "RHEL",
            "os_version": "8.10",
            "product_image_type": profile.product_image_type,
            "end_of_service": e.end_of_service,
        }
        for e in profile.engines
    ]


@handles(D, "GET", "/v1/engine-versions")
def list_engine_versions(ctx: Ctx) -> Reply:
    profile = DBAAS[ctx.service]
    wanted_id, image = ctx.query.get("id"), ctx.query.get("product_image_type")
    found = [
        e
        for e in _engines(profile)
        if (ctx.query.get("eos_included") or not e["end_of_service"])
        and (not wanted_id or e["id"] == wanted_id)
        and (not image or image == profile.product_image_type)
    ]
    return Reply(200, {"contents": found})


@handles(D, "GET", "/v1/engine-versions/{dbaas_engine_version_id}/properties")
def list_engine_version_properties(ctx: Ctx) -> Reply:
    profile = DBAAS[ctx.service]
    engine = next((e for e in _engines(profile) if e["id"] == ctx.param()), None)
    if engine is None:
        raise not_found("engine version", ctx.param())
    properties = {
        "software_version": engine["software_version"],
        "os_type": engine["os_type"],
        "max_instance_count": "10",
        "min_block_storage_size_gb": "16",
        "max_block_storage_size_gb": "5120",
    }
    return Reply(200, {"contents": [{"name": k, "value": v} for k, v in properties.items()]})


@handles(D, "GET", "/v1/server-types")
def list_server_types(ctx: Ctx) -> Reply:
    profile = DBAAS[ctx.service]
    name, image = ctx.query.get("name"), ctx.query.get("product_image_type")
    found = [
        {
            "name": t.name,
            "cpu_core": t.cpu_core,
            "memory_gb": t.memory_gb,
            "description": f"{t.cpu_core} vCPU, {t.memory_gb} GB memory",
            "product_image_type": profile.product_image_type,
            "product_type": profile.product_type,
            "purpose": "DBaaS",
            "type": "Standard",
        }
        for t in SERVER_TYPES
        if (not name or name == t.name) and (not image or image == profile.product_image_type)
    ]
    return Reply(200, {"contents": found})


def _groups(profile: DbaasProfile) -> list[dict[str, Any]]:
    majors = dict.fromkeys(e.major_version for e in profile.engines)
    return [
        {
            "id": ids.hex_id("parameter-group", profile.service, major),
            "name": f"{profile.product_image_type} {major} default",
            "major_version": major,
            "product_image_type": profile.product_image_type,
            "product_type": profile.product_type,
        }
        for major in majors
    ]


@handles(D, "GET", "/v1/parameter-groups")
def list_parameter_groups(ctx: Ctx) -> Reply:
    major, image = ctx.query.get("major_version"), ctx.query.get("product_image_type")
    groups = [
        g
        for g in _groups(DBAAS[ctx.service])
        if (not major or g["major_version"] == major) and (not image or g["product_image_type"] == image)
    ]
    return Reply(200, {"contents": groups, "sort": [ctx.query.get("sort") or "name:asc"]})


@handles(D, "GET", "/v1/parameters")
def list_parameters(ctx: Ctx) -> Reply:
    profile, group_id = DBAAS[ctx.service], ctx.query["dbaas_parameter_group_id"]
    if group_id not in {g["id"] for g in _groups(profile)}:
        raise bad_request(
            f"unknown parameter group {group_id!r}; see List Parameter Groups", "dbaas_parameter_group_id"
        )
    rows = [
        {
            "id": ids.hex_id("parameter", profile.service, p.name),
            "name": p.name,
            "dbaas_parameter_group_id": group_id,
            "default_value": p.default_value,
            "description": f"{p.name} ({p.data_type}, {p.allows_value})",
            "software_type": profile.dbaas_engine,
        }
        for p in profile.parameters
    ]
    return Reply(200, page(rows, ctx.query, default_sort="name:asc"))


def _values(ctx: Ctx, applied: dict[str, str]) -> list[dict[str, Any]]:
    profile = DBAAS[ctx.service]
    return [
        {
            "id": ids.hex_id("parameter", profile.service, p.name),
            "name": p.name,
            "applied_value": applied.get(p.name, p.default_value),
            "default_value": p.default_value,
            "allows_value": p.allows_value,
            "apply_type": p.apply_type,
            "data_type": p.data_type,
            "description": f"{p.name} ({p.data_type})",
            "is_modifiable": True,
            "software_type": profile.dbaas_engine,
        }
        for p in profile.parameters
    ]


@handles(D, "GET", "/v1/clusters/{cluster_id}/parameters")
def list_parameter_values(ctx: Ctx) -> Reply:
    cluster = get_cluster(ctx.store, ctx.service, ctx.param())
    rows = _values(ctx, cluster["_parameters"])
    return Reply(200, {"contents": rows, "count": len(rows), "modified_at": cluster["modified_at"]})


@handles(D, "PUT", "/v1/clusters/{cluster_id}/parameters")
def set_parameter_values(ctx: Ctx) -> Reply:
    cluster = get_cluster(ctx.store, ctx.service, ctx.param())
    by_id = {row["id"]: row for row in _values(ctx, cluster["_parameters"])}
    changes: dict[str, str] = {}
    for index, change in enumerate(ctx.payload()["parameters"]):
        row = by_id.get(change["id"])
        if row is None:
            raise bad_request(f"unknown parameter id {change['id']!r}", f"parameters[{index}].id")
        if change["old_value"] != row["applied_value"]:
            raise bad_request(
                f"{row['name']} is {row['applied_value']!r}, not {change['old_value']!r}",
                f"parameters[{index}].old_value",
            )
        _check_allowed(row, str(change["new_value"]), f"parameters[{index}].new_value")
        changes[row["name"]] = str(change["new_value"])
    reply = transition(ctx, cluster, CLUSTER["edit"])
    cluster["_parameters"].update(changes)
    return reply


def _check_allowed(row: dict[str, Any], value: str, field: str) -> None:
    allows = str(row["allows_value"])
    if row["data_type"] == "INTEGER" and "-" in allows:
        low, high = (int(x) for x in allows.split("-", 1))
        if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
            raise ErrorReply(
                400,
                "ValidationError",
                f"{field}: {row['name']} must be an integer in {allows}",
                [{"field": field, "message": f"range {allows}"}],
            )
    elif "," in allows and value not in allows.split(","):
        raise ErrorReply(
            400,
            "ValidationError",
            f"{field}: {row['name']} must be one of {allows}",
            [{"field": field, "message": "not allowed", "allowed_values": allows.split(",")}],
        )


@handles(D, "POST", "/v1/clusters/{cluster_id}/parameters/sync")
def synchronize_parameter_values(ctx: Ctx) -> Reply:
    return transition(ctx, get_cluster(ctx.store, ctx.service, ctx.param()), CLUSTER["sync"])
