"""Quick Query (Trino on its own Kubernetes Engine and node pools)."""

from __future__ import annotations

import re
from typing import Any

from scp_mcp.sandbox import ids, lifecycle
from scp_mcp.sandbox.errors import ErrorReply, bad_request, not_found
from scp_mcp.sandbox.handlers.base import ACCOUNT_ID, Ctx, Reply, as_int, handles, hosted_on, stamped
from scp_mcp.sandbox.handlers.clusters import page
from scp_mcp.sandbox.profiles import QUICK_QUERY_DURATIONS as DURATIONS
from scp_mcp.sandbox.store import Record, Store

Q = "quick-query"
IMAGES = (("Trino", "435", "1.30"), ("Trino", "414", "1.29"))
_SCALE = re.compile(r"v(\d+)m(\d+)")


def image_list() -> list[dict[str, Any]]:
    return [
        {
            "image_id": ids.uuid_id("image", "quick-query", name, version),
            "image_name": name,
            "version": version,
            "image_attr": {"k8s.version": k8s, "os.type": "Ubuntu"},
        }
        for name, version, k8s in IMAGES
    ]


def get_query(store: Store, key: str) -> Record:
    record = store.get("quick_query", key)
    if record is None:
        raise not_found("quick query", key, status=400)
    return record


def _alive(store: Store) -> list[Record]:
    return [r for r in store.records("quick_query") if r["quick_query_state"] in lifecycle.ALIVE_STATES]


def _async(ctx: Ctx, record: Record) -> Reply:
    return Reply(
        202,
        {"project_id": ACCOUNT_ID, "request_id": ctx.store.new_request_id(), "resource_id": record["quick_query_id"]},
    )


def _move(ctx: Ctx, record: Record, transient: str, final: str, allowed: tuple[str, ...], duration: str) -> None:
    move = lifecycle.Transition(transient.lower(), frozenset(allowed), transient, final, duration)
    start = lifecycle.check(
        record, move, kind="quick query", state_field="quick_query_state", name_field="quick_query_name"
    )
    lifecycle.run(
        record, move, state_field="quick_query_state", now=ctx.now, duration=DURATIONS[duration], start_state=start
    )


@handles(Q, "POST", "/v1/quick-query")
def create(ctx: Ctx) -> Reply:
    body = ctx.payload()
    spec, k8s, pools = (
        body["quick_query_create_request"],
        body["kubernetes_engine_create_request"],
        body["node_pool_create_requests"],
    )
    if any(r["quick_query_name"] == spec["quick_query_name"] for r in _alive(ctx.store)):
        raise bad_request(
            f"quick_query_name {spec['quick_query_name']!r} is already in use",
            "quick_query_create_request.quick_query_name",
        )
    images = {i["image_id"] for i in image_list()}
    if spec["image_id"] not in images:
        raise ErrorReply(
            400,
            "ValidationError",
            f"image_id {spec['image_id']!r} is not a Quick Query image",
            [
                {
                    "field": "quick_query_create_request.image_id",
                    "message": "unknown image",
                    "allowed_values": sorted(images),
                }
            ],
        )
    have_cpu = sum(_scale(p["scale_name"])[0] * int(p.get("desired_node_count") or 1) for p in pools)
    have_mem = sum(_scale(p["scale_name"])[1] * int(p.get("desired_node_count") or 1) for p in pools)
    check_engine_fits(spec["query_engine_spec"], have_cpu, have_mem, "quick_query_create_request.query_engine_spec")
    engine = new_engine(ctx.store, k8s, pools)
    record = new_query(ctx.store, spec, engine, ctx.world.stamp())
    ctx.store.schedule(
        record, ctx.now + DURATIONS["create"], {"quick_query_state": "RUNNING", "provisioning_state": "COMPLETED"}
    )
    return _async(ctx, record)


def check_engine_fits(spec: dict[str, Any], have_cpu: int, have_mem: int, field: str) -> None:
    """The query engine (cpu and memory per replica, times replicas) must fit its Kubernetes cluster's
    node pools (vCPU, GB); otherwise 400 naming the field and the largest value that fits."""
    replica = max(as_int(spec.get("replica"), 1), 1)
    for name, have, unit in (("cpu", have_cpu, "vCPU"), ("memory", have_mem, "GB")):
        need = as_int(spec.get(name), 0) * replica
        if need > have:
            most = have // replica
            message = (
                f"{name} {spec.get(name)} x replica {replica} = {need} {unit}, more than the cluster's {have} {unit}"
            )
            raise ErrorReply(
                400,
                "ValidationError",
                f"{field}.{name}: {message} (allowed values: 1..{most})",
                [{"field": f"{field}.{name}", "message": message, "allowed_values": [f"1..{most}"]}],
            )


def new_engine(store: Store, k8s: dict[str, Any], pools: list[dict[str, Any]]) -> Record:
    engine_id = store.new_uuid("k8s", k8s["kubernetes_engine_name"])
    cpu = sum(_scale(p["scale_name"])[0] * int(p.get("desired_node_count") or 1) for p in pools)
    memory = sum(_scale(p["scale_name"])[1] * int(p.get("desired_node_count") or 1) for p in pools)
    engine = {
        "id": engine_id,
        "name": k8s["kubernetes_engine_name"],
        "k8s_version": k8s["k8s_version"],
        "cpu_millicores": cpu * 1000,
        "memory_mib": memory * 1024,
        "ingress_controllers": [],
        "node_pools": [
            {"name": p["name"], "scale_name": p["scale_name"], "node_count": int(p.get("desired_node_count") or 1)}
            for p in pools
        ],
    }
    return store.add("kubernetes_engine", engine_id, engine)


def new_query(store: Store, spec: dict[str, Any], engine: Record, now: str) -> Record:
    name = spec["quick_query_name"]
    version = next((i["version"] for i in image_list() if i["image_id"] == spec["image_id"]), "435")
    record = {
        "_service": "quick-query",
        "quick_query_id": store.new_uuid("quick-query", name),
        "quick_query_name": name,
        "quick_query_state": "CREATING",
        "provisioning_state": "IN_PROGRESS",
        "quick_query_version": version,
        "image_id": spec["image_id"],
        **hosted_on(engine, now),
        "description": spec.get("description"),
        "domain": spec["domain"],
        "dsc_domain": spec["dsc_domain"],
        "dsc_console_domain": f"console.{spec['dsc_domain']}",
        "dsc_oidc_domain": f"oidc.{spec['dsc_domain']}",
        "host_alias_list": list(spec.get("host_alias_list") or []),
        "hosts_file": None,
        "is_active_image": True,
        "is_engine_type_private": spec["is_engine_type_private"],
        "max_query": spec["max_query"],
        "namespace_name": f"{name}-ns",
        "node_information": [node_summary(engine, pool, now) for pool in engine["node_pools"]],
        "query_engine_spec": dict(spec["query_engine_spec"]),
    }
    return store.add("quick_query", record["quick_query_id"], stamped(record, "modified_dt", now))


def node_summary(engine: Record, pool: dict[str, Any], now: str) -> dict[str, Any]:
    cpu, memory = _scale(pool["scale_name"])
    capacity = {
        "cpu": str(cpu),
        "memory": f"{memory}Gi",
        "ephemeral_storage": "100Gi",
        "hugepages_1Gi": "0",
        "hugepages_2Mi": "0",
        "pod_count": "110",
        "node_capacity_type": "CAPACITY",
    }
    return {
        "name": f"{pool['name']}-node-1",
        "uid": ids.uuid_id("node", engine["id"], pool["name"]),
        "cluster_id": engine["id"],
        "age": "0d",
        "created_at": now,
        "node_status": "Ready",
        "number_of_allocated_pods": "12",
        "kubernetes_version": engine["k8s_version"],
        "node_capacities": [capacity],
        "ip": "10.30.0.11",
    }


def _scale(scale_name: str) -> tuple[int, int]:
    """(vCPU, GB) from a server type name such as s1v8m32; 8/32 when it does not say."""
    found = _SCALE.search(scale_name or "")
    return (int(found.group(1)), int(found.group(2))) if found else (8, 32)


@handles(Q, "GET", "/v1/quick-query")
def list_queries(ctx: Ctx) -> Reply:
    state = ctx.query.get("quick_query_state")
    rows = (
        _alive(ctx.store)
        if not state
        else [r for r in ctx.store.records("quick_query") if r["quick_query_state"] == state]
    )
    for field in ("cluster_name", "created_by", "version", "quick_query_name"):
        wanted = ctx.query.get(field)
        key = "quick_query_version" if field == "version" else field
        if wanted:
            rows = [r for r in rows if str(wanted).lower() in str(r.get(key, "")).lower()]
    return Reply(200, page(rows, ctx.query, default_sort="created_dt:desc"))


@handles(Q, "GET", "/v1/quick-query/{quick_query_id}")
def show(ctx: Ctx) -> Reply:
    return Reply(200, get_query(ctx.store, ctx.param()))


@handles(Q, "DELETE", "/v1/quick-query/{quick_query_id}")
def delete(ctx: Ctx) -> Reply:
    record = get_query(ctx.store, ctx.param())
    _move(ctx, record, "TERMINATING", "DELETED", ("RUNNING", "ACTIVE", "ERROR", "CREATING"), "delete")
    gone = ctx.now + DURATIONS["delete"] + DURATIONS["linger"]
    lifecycle.schedule_removal(record, gone)
    engine = ctx.store.get("kubernetes_engine", record["cluster_id"])
    if engine is not None:
        lifecycle.schedule_removal(engine, gone)
    return _async(ctx, record)


@handles(Q, "GET", "/v1/quick-query/{quick_query_name}/check-duplication")
def check_name(ctx: Ctx) -> Reply:
    return Reply(200, {"result": any(r["quick_query_name"] == ctx.param() for r in _alive(ctx.store))})


@handles(Q, "GET", "/v1/quick-query/image-versions")
def list_images(ctx: Ctx) -> Reply:
    images = image_list()
    return Reply(200, {"contents": images, "total_count": len(images)})


@handles(Q, "POST", "/v1/quick-query/validate-resources")
def check_resources(ctx: Ctx) -> Reply:
    body = ctx.payload()
    pools, engine = body["node_pool_validation_request"], body["quick_query_engine_request"]
    have_cpu = sum(_scale(p["scale_name"])[0] * int(p["desired_node_count"]) for p in pools)
    have_mem = sum(_scale(p["scale_name"])[1] * int(p["desired_node_count"]) for p in pools)
    replica = as_int(engine.get("replica"), 1)
    need_cpu, need_mem = as_int(engine.get("cpu"), 0) * replica, as_int(engine.get("memory"), 0) * replica
    ok = need_cpu <= have_cpu and need_mem <= have_mem
    spec = {
        "cpu": str(max(need_cpu, 1)),
        "memory": str(max(need_mem, 1)),
        "replica": str(replica),
        "is_node_pool_auto_scalable": bool(pools and pools[0]["auto_scale"]),
    }
    return Reply(200, {"result": ok, "min_spec_node_pool": [spec]})


@handles(Q, "PUT", "/v1/quick-query/{quick_query_id}/description")
def update_description(ctx: Ctx) -> Reply:
    record = get_query(ctx.store, ctx.param())
    record["description"] = ctx.payload()["description"]
    record["modified_dt"] = ctx.world.stamp()
    return Reply(202, record)


def _updater(fields: dict[str, str]) -> Any:
    def handler(ctx: Ctx) -> Reply:
        record = get_query(ctx.store, ctx.param())
        body = ctx.payload()
        if "query_engine_spec" in fields.values():
            _check_engine_update(ctx.store, record, body)
        _move(ctx, record, "UPDATING", "RUNNING", ("RUNNING", "ACTIVE"), "update")
        for source, target in fields.items():
            if body.get(source) is not None:
                record[target] = body[source] if target != "query_engine_spec" else {**record[target], **body}
        return _async(ctx, record)

    return handler


def _check_engine_update(store: Store, record: Record, body: dict[str, Any]) -> None:
    engine = store.get("kubernetes_engine", record["cluster_id"])
    if engine is not None:
        spec = {**record["query_engine_spec"], **{k: v for k, v in body.items() if v not in (None, "")}}
        check_engine_fits(spec, engine["cpu_millicores"] // 1000, engine["memory_mib"] // 1024, "body")


for _tail, _fields in (
    ("domain", {"domain": "domain"}),
    ("dsc-domain", {"dsc_domain": "dsc_domain"}),
    ("host-alias", {"host_alias_list": "host_alias_list"}),
    ("engine", {"cpu": "query_engine_spec"}),
):
    handles(Q, "PUT", f"/v1/quick-query/{{quick_query_id}}/{_tail}")(_updater(_fields))
