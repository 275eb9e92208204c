"""Data Flow and Data Ops routes: one set of handlers, the two services' names come from FlowFamily."""

from __future__ import annotations

from typing import Any

from scp_mcp.sandbox import lifecycle
from scp_mcp.sandbox.errors import ErrorReply, bad_request, invalid_state
from scp_mcp.sandbox.handlers.base import Ctx, Reply, handles, hosted_on, stamped
from scp_mcp.sandbox.handlers.clusters import page
from scp_mcp.sandbox.handlers.flow_records import (
    FLOWS,
    FlowFamily,
    get_engine,
    get_live,
    ingress_controllers,
    resource_check,
)
from scp_mcp.sandbox.lifecycle import ALIVE_STATES
from scp_mcp.sandbox.profiles import FLOW_DURATIONS
from scp_mcp.sandbox.store import Record, Store

F = "flow"
UPDATABLE = (
    "account",
    "description",
    "domain",
    "host_alias_list",
    "host_alias",
    "node_selector",
    "service_workload",
    "worker_type",
)


def family_of(ctx: Ctx) -> FlowFamily:
    return FLOWS[ctx.service]


def alive(ctx: Ctx, kind: str) -> list[Record]:
    return [r for r in ctx.store.records(kind) if r["state"] in ALIVE_STATES]


def updates(body: dict[str, Any]) -> dict[str, Any]:
    """The updatable fields a body sets; account passwords are never kept (nor shown back)."""
    found = {k: v for k, v in body.items() if k in UPDATABLE and v is not None}
    if isinstance(found.get("account"), dict):
        found["account"] = {k: v for k, v in found["account"].items() if "password" not in k}
    return found


def apply_update(record: Record, body: dict[str, Any]) -> None:
    """Apply an update body; a new domain moves the web URLs built from it."""
    changes, old = updates(body), record.get("domain")
    record.update(changes)
    new = changes.get("domain")
    if old and new and new != old:
        for key, value in list(record.items()):
            if key.startswith("web_url") and isinstance(value, str):
                record[key] = value.replace(f"https://{old}/", f"https://{new}/", 1)


def flow_base(engine: Record, body: dict[str, Any], now: str) -> Record:
    """Fields every Data Flow / Data Ops record and service record shares."""
    record: Record = {
        **hosted_on(engine, now),
        "state": "CREATING",
        "hosts_file": None,
        "http_port": 80,
        "https_port": 443,
        "is_active_image": True,
        **updates(body),
        "storage_class_name": body.get("storage_class_name"),
    }
    return stamped(record, "modified_dt", now)


def begin(
    ctx: Ctx, record: Record, transient: str, final: str, duration: str, allowed: tuple[str, ...], kind: str
) -> None:
    if record["state"] not in allowed:
        action = {"UPDATING": "update", "TERMINATING": "delete"}.get(transient, transient.lower())
        raise invalid_state(
            kind.replace("_", " "), str(record.get(f"{kind}_name")), record["state"], action, list(allowed)
        )
    lifecycle.run(
        record,
        lifecycle.Transition(transient.lower(), frozenset(allowed), transient, final, duration),
        state_field="state",
        now=ctx.now,
        duration=FLOW_DURATIONS[duration],
        start_state=record["state"],
    )
    if transient == "TERMINATING":
        lifecycle.schedule_removal(record, ctx.now + FLOW_DURATIONS["delete"] + FLOW_DURATIONS["linger"])


@handles(F, "POST", "/v1/data-flows")
def create_main(ctx: Ctx) -> Reply:
    fam, body = family_of(ctx), ctx.payload()
    name = body[fam.main_name]
    if any(r[fam.main_name] == name for r in alive(ctx, fam.main)):
        raise bad_request(f"{fam.main_name} {name!r} is already in use", fam.main_name)
    engine = get_engine(ctx.store, body["cluster_id"])
    images = {i["image_id"]: i for i in fam.image_list()}
    if body["image_id"] not in images:
        raise ErrorReply(
            400,
            "ValidationError",
            f"image_id {body['image_id']!r} is not a {fam.product} image",
            [{"field": "image_id", "message": "unknown image", "allowed_values": list(images)}],
        )
    controllers = {ic["ingress_controller_name"]: ic for ic in ingress_controllers(engine)}
    if body["ingress_controller_name"] not in controllers:
        raise ErrorReply(
            400,
            "ValidationError",
            f"cluster {engine['name']} has no ingress controller {body['ingress_controller_name']!r}",
            [{"field": "ingress_controller_name", "message": "unknown", "allowed_values": list(controllers)}],
        )
    record = new_main(
        ctx.store,
        fam,
        engine,
        body,
        flow_base(engine, body, ctx.world.stamp()),
        controllers[body["ingress_controller_name"]],
        ctx.store.new_uuid(fam.main, body[fam.main_name]),
    )
    ctx.store.schedule(record, ctx.now + FLOW_DURATIONS["create"], {"state": "RUNNING"})
    return Reply(202, record)


def new_main(
    store: Store, fam: FlowFamily, engine: Record, body: dict[str, Any], base: Record, ingress: dict[str, Any], key: str
) -> Record:
    name = body[fam.main_name]
    image = next(i for i in fam.image_list() if i["image_id"] == body["image_id"])
    record = {
        **base,
        "_service": fam.service,
        fam.main_id: key,
        fam.main_name: name,
        "image_id": image["image_id"],
        "version": image["version"],
        "instance_id": body.get("instance_id"),
        "namespace_name": f"{name}-ns",
        "ingress_class_name": ingress.get("ingress_class_name"),
        "web_url": f"https://{body.get('domain') or name}/",
        "count_data_flow_service": 0,
    }
    return store.add(fam.main, record[fam.main_id], record)


@handles(F, "GET", "/v1/data-flows")
def list_main(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    rows = [
        _with_count(ctx, r)
        for r in filtered(
            ctx, fam.main, ("cluster_id", "cluster_name", "created_by", "state", "version", fam.main_name)
        )
    ]
    return Reply(200, page(rows, ctx.query, default_sort="created_dt:desc"))


def filtered(ctx: Ctx, kind: str, fields: tuple[str, ...]) -> list[Record]:
    rows = alive(ctx, kind) if not ctx.query.get("state") else list(ctx.store.records(kind))
    for field in fields:
        wanted = ctx.query.get(field)
        if wanted:
            rows = (
                [r for r in rows if str(wanted).lower() in str(r.get(field, "")).lower()]
                if field.endswith("name")
                else [r for r in rows if r.get(field) == wanted]
            )
    return rows


def _with_count(ctx: Ctx, record: Record) -> Record:
    fam = family_of(ctx)
    record["count_data_flow_service"] = sum(1 for s in alive(ctx, fam.sub) if s[fam.main_id] == record[fam.main_id])
    return record


@handles(F, "GET", "/v1/data-flows/{data_flow_id}")
def show_main(ctx: Ctx) -> Reply:
    return Reply(200, _with_count(ctx, get_live(ctx.store, family_of(ctx).main, ctx.param())))


@handles(F, "PUT", "/v1/data-flows/{data_flow_id}")
def update_main(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    record = get_live(ctx.store, fam.main, ctx.param())
    begin(ctx, record, "UPDATING", "RUNNING", "update", ("RUNNING", "ACTIVE", "ERROR"), fam.main)
    apply_update(record, ctx.payload())
    return Reply(202, _with_count(ctx, record))


@handles(F, "DELETE", "/v1/data-flows/{data_flow_id}")
def delete_main(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    record = get_live(ctx.store, fam.main, ctx.param())
    services = [s[fam.sub_name] for s in alive(ctx, fam.sub) if s[fam.main_id] == record[fam.main_id]]
    if services:
        label = fam.main.replace("_", " ")
        raise bad_request(
            f"{label} '{record[fam.main_name]}' still has services: {', '.join(services)}; delete them first"
        )
    begin(ctx, record, "TERMINATING", "DELETED", "delete", ("RUNNING", "ACTIVE", "ERROR", "CREATING"), fam.main)
    return Reply(202)


@handles(F, "GET", "/v1/data-flows/{data_flow_name}/check-duplication")
def check_main_name(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    return Reply(200, {"result": any(r[fam.main_name] == ctx.param() for r in alive(ctx, fam.main))})


@handles(F, "GET", "/v1/data-flows/image-versions")
def list_images(ctx: Ctx) -> Reply:
    images = family_of(ctx).image_list()
    return Reply(200, {"contents": images, "total_count": len(images)})


@handles(F, "GET", "/v1/data-flows/clusters/{cluster_id}/ingress-controllers")
def list_ingress_controllers(ctx: Ctx) -> Reply:
    controllers = ingress_controllers(get_engine(ctx.store, ctx.param()))
    return Reply(200, {"contents": controllers, "total_count": len(controllers)})


@handles(F, "POST", "/v1/data-flow-services/clusters/{cluster_id}/validate-resources")
def check_create_resources(ctx: Ctx) -> Reply:
    return Reply(200, resource_check(ctx.store, ctx.param(), ctx.payload()["service_workload"]))


@handles(F, "POST", "/v1/data-flow-services/{data_flow_service_id}/validate-resources")
def check_update_resources(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    record = get_live(ctx.store, fam.sub, ctx.param())
    workload = ctx.payload()["service_workload"]
    return Reply(200, resource_check(ctx.store, record["cluster_id"], workload, excluding=record[fam.sub_id]))


@handles(F, "GET", "/v1/data-flow-services/data-flows/{data_flow_id}/sub-versions")
def list_sub_versions(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    record = get_live(ctx.store, fam.main, ctx.param())
    count = sum(1 for s in alive(ctx, fam.sub) if s[fam.main_id] == record[fam.main_id])
    return Reply(200, {"versions": dict(fam.sub_versions), f"{fam.sub}_count": count})


@handles(F, "GET", "/v1/data-flow-services/{data_flow_service_name}/check-duplication")
def check_sub_name(ctx: Ctx) -> Reply:
    fam = family_of(ctx)
    return Reply(200, {"result": any(r[fam.sub_name] == ctx.param() for r in alive(ctx, fam.sub))})
