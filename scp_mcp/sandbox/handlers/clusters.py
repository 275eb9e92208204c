"""DBaaS clusters: create, list, show, lifecycle actions, restore, and Show Request."""

from __future__ import annotations

from typing import Any

from scp_mcp.sandbox import lifecycle
from scp_mcp.sandbox.errors import not_found
from scp_mcp.sandbox.handlers.base import Ctx, Reply, handles
from scp_mcp.sandbox.handlers.cluster_records import (
    clusters,
    get_cluster,
    new_cluster,
    require_unique_name,
)
from scp_mcp.sandbox.lifecycle import CLUSTER, Transition
from scp_mcp.sandbox.profiles import DBAAS
from scp_mcp.sandbox.store import Record
from scp_mcp.sandbox.topology import check_groups

D = "dbaas"


def async_reply(request_id: str, resource_id: str) -> Reply:
    return Reply(202, {"request_id": request_id, "resource": {"id": resource_id}, "resource_id": resource_id})


def transition(ctx: Ctx, cluster: Record, move: Transition, final_changes: dict[str, Any] | None = None) -> Reply:
    """Check the move is legal, run it, and answer with a request that ends when it does."""
    start = lifecycle.check(cluster, move, kind="cluster", state_field="service_state", name_field="name")
    duration = DBAAS[ctx.service].durations[move.duration]
    ends = lifecycle.run(
        cluster,
        move,
        state_field="service_state",
        now=ctx.now,
        duration=duration,
        start_state=start,
        final_changes=final_changes,
    )
    return async_reply(lifecycle.open_request(ctx.store, ctx.service, cluster["id"], ends), cluster["id"])


def create(ctx: Ctx, body: dict[str, Any]) -> Reply:
    check_groups(ctx.service, body.get("instance_groups") or [])
    require_unique_name(ctx.store, ctx.service, str(body["name"]))
    cluster = new_cluster(ctx.store, ctx.service, body, ctx.world.stamp(), key=ctx.store.new_hex("cluster"))
    ctx.store.add("cluster", cluster["id"], cluster)
    ends = ctx.now + DBAAS[ctx.service].durations["create"]
    ctx.store.schedule(cluster, ends, {"service_state": "RUNNING"})
    return async_reply(lifecycle.open_request(ctx.store, ctx.service, cluster["id"], ends), cluster["id"])


@handles(D, "POST", "/v1/clusters")
def create_cluster(ctx: Ctx) -> Reply:
    return create(ctx, ctx.payload())


@handles(D, "GET", "/v1/clusters")
def list_clusters(ctx: Ctx) -> Reply:
    name, state = ctx.query.get("name"), ctx.query.get("service_state")
    found = [
        c
        for c in clusters(ctx.store, ctx.service)
        if c["service_state"] not in lifecycle.DEAD
        and (not name or str(name).lower() in c["name"].lower())
        and (not state or c["service_state"] == state)
    ]
    return Reply(200, page(found, ctx.query, default_sort="name:asc"))


def page(records: list[Record], query: Any, *, default_sort: str) -> dict[str, Any]:
    sort = str(query.get("sort") or default_sort)
    key, _, direction = sort.partition(":")
    records = sorted(records, key=lambda r: str(r.get(key, r.get("name", ""))), reverse=direction == "desc")
    size, number = int(query.get("size") or 20), int(query.get("page") or 0)
    chunk = records[number * size : (number + 1) * size] if size > 0 else records
    return {
        "contents": chunk,
        "count": len(records),
        "total_count": len(records),
        "page": number,
        "size": size,
        "sort": [sort],
    }


@handles(D, "GET", "/v1/clusters/{cluster_id}")
def show_cluster(ctx: Ctx) -> Reply:
    return Reply(200, get_cluster(ctx.store, ctx.service, ctx.param()))


@handles(D, "DELETE", "/v1/clusters/{cluster_id}")
def terminate_cluster(ctx: Ctx) -> Reply:
    cluster = get_cluster(ctx.store, ctx.service, ctx.param())
    reply = transition(ctx, cluster, CLUSTER["terminate"])
    durations = DBAAS[ctx.service].durations
    lifecycle.schedule_removal(cluster, ctx.now + durations["terminate"] + durations["linger"])
    return reply


def _action(name: str) -> Any:
    def handler(ctx: Ctx) -> Reply:
        return transition(ctx, get_cluster(ctx.store, ctx.service, ctx.param()), CLUSTER[name])

    handler.__name__ = f"{name}_cluster"
    return handler


for _verb, _move in (("start", "start"), ("stop", "stop"), ("restart", "restart"), ("sync-state", "sync")):
    handles(D, "POST", f"/v1/clusters/{{cluster_id}}/{_verb}")(_action(_move))


@handles(D, "POST", "/v1/clusters/{cluster_id}/restore")
def restore_cluster(ctx: Ctx) -> Reply:
    source = get_cluster(ctx.store, ctx.service, ctx.param())
    body = ctx.payload()
    numbers = [h["backup_history_number"] for h in source["_backup_histories"]]
    if body["backup_history_number"] not in numbers:
        raise not_found("backup history", str(body["backup_history_number"]), status=400)
    groups = [
        {**group, "server_type_name": group.get("server_type_name") or source["instance_groups"][0]["server_type_name"]}
        for group in body["instance_groups"]
    ]
    clone = {
        **body,
        "instance_groups": groups,
        "dbaas_engine_version_id": source["dbaas_engine_version_id"],
        "subnet_id": source["subnet_id"],
        "timezone": source["timezone"],
        "init_config_option": source["init_config_option"],
    }
    return create(ctx, clone)


@handles(D, "GET", "/v1/requests/{request_id}")
def show_request(ctx: Ctx) -> Reply:
    request = ctx.store.get("request", ctx.param())
    if request is None or request["_service"] != ctx.service:
        raise not_found("request", ctx.param(), status=400)
    return Reply(200, request)
