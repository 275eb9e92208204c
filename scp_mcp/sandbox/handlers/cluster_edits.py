"""DBaaS cluster changes: instances, storage, server types, maintenance, security rules, backups."""

from __future__ import annotations

from scp_mcp.sandbox.errors import bad_request
from scp_mcp.sandbox.handlers.base import Ctx, Reply, handles
from scp_mcp.sandbox.handlers.cluster_records import (
    add_instance,
    add_storage,
    check_server_type,
    count_instances,
    find_group,
    find_storage,
    get_cluster,
    maintenance_option,
)
from scp_mcp.sandbox.handlers.clusters import transition
from scp_mcp.sandbox.lifecycle import CLUSTER
from scp_mcp.sandbox.store import Record

D = "dbaas"
SIDE_ROLES = ("KIBANA", "DASHBOARDS", "AKHQ", "ZOOKEEPER", "CONSOLE")


def _cluster(ctx: Ctx) -> Record:
    return get_cluster(ctx.store, ctx.service, ctx.param())


@handles(D, "POST", "/v1/clusters/{cluster_id}/add-instances")
def add_instances(ctx: Ctx) -> Reply:
    cluster, body = _cluster(ctx), ctx.payload()
    count, addresses = int(body["instance_count"]), list(body["service_ip_addresses"])
    if count < 1:
        raise bad_request("instance_count must be at least 1", "instance_count")
    if len(addresses) != count:
        raise bad_request(
            f"service_ip_addresses has {len(addresses)} address(es) for {count} instance(s)", "service_ip_addresses"
        )
    reply = transition(ctx, cluster, CLUSTER["edit"])
    groups = [g for g in cluster["instance_groups"] if g["role_type"] not in SIDE_ROLES] or cluster["instance_groups"]
    group = max(groups, key=lambda g: len(g["instances"]))
    prefix = group["instances"][0]["name"].rsplit("-", 1)[0] if group["instances"] else cluster["name"].lower()
    role = group["instances"][0]["role_type"] if group["instances"] else "DATA"
    for address in addresses:
        add_instance(cluster, group, prefix, {"role_type": role, "service_ip_address": address})
    cluster["instance_count"] = count_instances(cluster)
    return reply


@handles(D, "POST", "/v1/instance-groups/{instance_group_id}/resize")
def set_server_type(ctx: Ctx) -> Reply:
    cluster, group = find_group(ctx.store, ctx.service, ctx.param())
    wanted = str(ctx.payload()["server_type_name"])
    check_server_type(wanted)
    if wanted == group["server_type_name"]:
        raise bad_request(f"instance group already uses server type {wanted!r}", "server_type_name")
    reply = transition(ctx, cluster, CLUSTER["edit"])
    group["server_type_name"] = wanted
    return reply


@handles(D, "POST", "/v1/block-storage-groups/{block_storage_group_id}/resize")
def set_block_storage_size(ctx: Ctx) -> Reply:
    cluster, storage = find_storage(ctx.store, ctx.service, ctx.param())
    size = int(ctx.payload()["size_gb"])
    if size <= storage["size_gb"]:
        raise bad_request(
            f"size_gb must be larger than the current {storage['size_gb']} GB (storage only grows)", "size_gb"
        )
    reply = transition(ctx, cluster, CLUSTER["edit"])
    storage["size_gb"] = size
    return reply


@handles(D, "POST", "/v1/instance-groups/{instance_group_id}/block-storage-groups")
def add_block_storages(ctx: Ctx) -> Reply:
    cluster, group = find_group(ctx.store, ctx.service, ctx.param())
    reply = transition(ctx, cluster, CLUSTER["edit"])
    add_storage(group, ctx.payload())
    return reply


@handles(D, "POST", "/v1/clusters/{cluster_id}/maintenance")
def set_maintenance(ctx: Ctx) -> Reply:
    cluster, body = _cluster(ctx), ctx.payload()
    reply = transition(ctx, cluster, CLUSTER["settings"])
    option = {
        "starting_day_of_week": body["start_day_of_week"],
        "starting_time": f"{body['start_time']}{body['start_minute']}",
        "period_hour": body["term_hour"],
    }
    cluster["maintenance_option"] = maintenance_option(option)
    return reply


@handles(D, "DELETE", "/v1/clusters/{cluster_id}/maintenance")
def unset_maintenance(ctx: Ctx) -> Reply:
    cluster = _cluster(ctx)
    if not cluster["maintenance_option"]["use_maintenance_option"]:
        raise bad_request(f"cluster '{cluster['name']}' has no maintenance window set")
    reply = transition(ctx, cluster, CLUSTER["settings"])
    cluster["maintenance_option"] = maintenance_option(None)
    return reply


@handles(D, "POST", "/v1/clusters/{cluster_id}/security-group-rules")
def set_security_group_rules(ctx: Ctx) -> Reply:
    cluster, body = _cluster(ctx), ctx.payload()
    current = list(cluster["allowable_ip_addresses"])
    missing = [ip for ip in body.get("del_ip_addresses") or [] if ip not in current]
    if missing:
        raise bad_request(f"not in the allowed addresses: {', '.join(missing)}", "del_ip_addresses")
    reply = transition(ctx, cluster, CLUSTER["settings"])
    kept = [ip for ip in current if ip not in (body.get("del_ip_addresses") or [])]
    cluster["allowable_ip_addresses"] = kept + [ip for ip in body.get("add_ip_addresses") or [] if ip not in kept]
    return reply


@handles(D, "POST", "/v1/clusters/{cluster_id}/backups")
def set_backup(ctx: Ctx) -> Reply:
    cluster = _cluster(ctx)
    reply = transition(ctx, cluster, CLUSTER["settings"])
    body = ctx.payload()
    cluster["init_config_option"]["backup_option"] = {
        "retention_period_day": body["retention_period_day"],
        "starting_time_hour": body["starting_time_hour"],
    }
    return reply


@handles(D, "DELETE", "/v1/clusters/{cluster_id}/backups")
def unset_backup(ctx: Ctx) -> Reply:
    cluster = _cluster(ctx)
    if not cluster["init_config_option"].get("backup_option"):
        raise bad_request(f"cluster '{cluster['name']}' has no backup configured")
    reply = transition(ctx, cluster, CLUSTER["settings"])
    cluster["init_config_option"]["backup_option"] = None
    return reply


@handles(D, "GET", "/v1/clusters/{cluster_id}/backup-histories")
def list_backup_histories(ctx: Ctx) -> Reply:
    histories = list(reversed(_cluster(ctx)["_backup_histories"]))
    limit, number = int(ctx.query.get("limit") or 20), int(ctx.query.get("page") or 0)
    chunk = histories[number * limit : (number + 1) * limit]
    return Reply(200, {"contents": chunk, "total_count": len(histories)})


@handles(D, "PUT", "/v1/clusters/{cluster_id}/backup-histories")
def remove_backup_histories(ctx: Ctx) -> Reply:
    cluster = _cluster(ctx)
    wanted = list(ctx.payload()["backup_history_number"])
    known = {h["backup_history_number"] for h in cluster["_backup_histories"]}
    missing = [n for n in wanted if n not in known]
    if missing or not wanted:
        raise bad_request(
            f"unknown backup history number(s): {', '.join(missing) or '(none given)'}", "backup_history_number"
        )
    reply = transition(ctx, cluster, CLUSTER["settings"])
    cluster["_backup_histories"] = [h for h in cluster["_backup_histories"] if h["backup_history_number"] not in wanted]
    return reply
