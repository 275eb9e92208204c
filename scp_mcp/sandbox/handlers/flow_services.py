"""Data Flow services and Data Ops services: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

from scp_mcp.sandbox.errors import bad_request, invalid_state
from scp_mcp.sandbox.handlers.base import Ctx, Reply, handles
from scp_mcp.sandbox.handlers.clusters import page
from scp_mcp.sandbox.handlers.flow_records import FlowFamily, get_engine, get_live, require_capacity
from scp_mcp.sandbox.handlers.flows import alive, apply_update, begin, family_of, filtered, flow_base
from scp_mcp.sandbox.profiles import FLOW_DURATIONS
from scp_mcp.sandbox.store import Record, Store

F = "flow"


@handles(F, "POST", "/v1/data-flow-services")
def create_sub(ctx: Ctx) -> Reply:
    fam, body = family_of(ctx), ctx.payload()
    name = body[fam.sub_name]
    if any(r[fam.sub_name] == name for r in alive(ctx, fam.sub)):
        raise bad_request(f"{fam.sub_name} {name!r} is already in use", fam.sub_name)
    parent = get_live(ctx.store, fam.main, body[fam.main_id])
    if parent["state"] not in ("RUNNING", "ACTIVE"):
        raise invalid_state(
            fam.main.replace("_", " "),
            parent[fam.main_name],
            parent["state"],
            "add a service to",
            ["RUNNING", "ACTIVE"],
        )
    engine = get_engine(ctx.store, parent["cluster_id"])
    require_capacity(ctx.store, engine["id"], body["service_workload"])
    record = new_sub(ctx.store, fam, parent, engine, body, ctx.world.stamp(), ctx.store.new_uuid(fam.sub, name))
    ctx.store.schedule(record, ctx.now + FLOW_DURATIONS["create"], {"state": "RUNNING"})
    return Reply(202, record)


def new_sub(
    store: Store, fam: FlowFamily, parent: Record, engine: Record, body: dict[str, Any], now: str, key: str
) -> Record:
    name, domain = body[fam.sub_name], body["domain"]
    record = {
        **flow_base(engine, body, now),
        "_service": fam.service,
        fam.sub_id: key,
        fam.sub_name: name,
        fam.main_id: parent[fam.main_id],
        fam.main_name: parent[fam.main_name],
        "image_id": parent["image_id"],
        "version": parent["version"],
        "instance_id": parent.get("instance_id"),
        "namespace_name": f"{name}-ns",
        "ingress_class_name": parent.get("ingress_class_name"),
        "web_url": f"https://{domain}/",
        "web_url_nifi": f"https://{domain}/nifi",
        "web_url_registry": f"https://{domain}/nifi-registry",
        "host_file_registry": None,
    }
    return store.add(fam.sub, key, record)


@handles(F, "GET", "/v1/data-flow-services")
def list_sub(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    rows = filtered(ctx, fam.sub, ("created_by", "state", fam.sub_name, fam.main_name))
    return Reply(200, page(rows, ctx.query, default_sort="created_dt:desc"))


@handles(F, "GET", "/v1/data-flow-services/{data_flow_service_id}")
def show_sub(ctx: Ctx) -> Reply:
    return Reply(200, get_live(ctx.store, family_of(ctx).sub, ctx.param()))


@handles(F, "PUT", "/v1/data-flow-services/{data_flow_service_id}")
def update_sub(ctx: Ctx) -> Reply:
    fam, body = family_of(ctx), ctx.payload()
    record = get_live(ctx.store, fam.sub, ctx.param())
    if body.get("service_workload"):
        require_capacity(ctx.store, record["cluster_id"], body["service_workload"], excluding=record[fam.sub_id])
    begin(ctx, record, "UPDATING", "RUNNING", "update", ("RUNNING", "ACTIVE", "ERROR"), fam.sub)
    apply_update(record, body)
    return Reply(202, record)


@handles(F, "DELETE", "/v1/data-flow-services/{data_flow_service_id}")
def delete_sub(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    record = get_live(ctx.store, fam.sub, ctx.param())
    begin(ctx, record, "TERMINATING", "DELETED", "delete", ("RUNNING", "ACTIVE", "ERROR", "CREATING"), fam.sub)
    return Reply(202)
