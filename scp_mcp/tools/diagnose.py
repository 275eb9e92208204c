"""``diagnose``: one resource's detail, instance states, recent requests (the ledger, refreshed
through Show Request), maintenance window, backups and parameters, read through ``ToolRuntime.send``; ranked
findings with evidence and the exact next tool calls. Which operations to read and to suggest comes from
the catalog: the operations whose ``show`` sibling is the resource's show operation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client.errors import ScpError
from scp_mcp.tools import ledger
from scp_mcp.tools.envelope import Backend
from scp_mcp.tools.errors import echoed
from scp_mcp.tools.fleet import CONCURRENCY, READ_ANNOTATIONS, TEXT_BUDGET, exposed
from scp_mcp.tools.inventory import (
    Collection,
    action,
    age_seconds,
    health_of,
    humanize_age,
    list_query,
    read_member,
    related,
    show_call,
)
from scp_mcp.tools.records import list_items
from scp_mcp.tools.redact import redact, redact_text
from scp_mcp.tools.runtime import ToolRuntime

NAME = "diagnose"
Severity = Literal["critical", "warning", "info"]
_RANK = {"critical": 0, "warning": 1, "info": 2}
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


class Finding(BaseModel):
    severity: Severity
    title: str = Field(description="What is wrong, in a line")
    evidence: list[str] = Field(default_factory=list, description="The fields and answers that show it")
    next_calls: list[str] = Field(default_factory=list, description="The exact tool calls to make next")


class RequestSeen(BaseModel):
    tool: str
    request_id: str | None = None
    state: str | None = None
    started_at: str | None = None
    updated_at: str | None = None


class Diagnosis(BaseModel):
    status: Literal["ok", "not_found"]
    backend: Backend
    tool: str = NAME
    service: str
    kind: str | None = None
    id: str | None = None
    name: str | None = None
    state: str | None = None
    findings: list[Finding] = Field(description="Worst first")
    instances: list[dict[str, Any]] = Field(default_factory=list, description="name, role_type, service_state, ip")
    requests: list[RequestSeen] = Field(default_factory=list, description="Recent work on it, newest first")
    maintenance: dict[str, Any] | None = None
    reads: dict[str, Any] = Field(default_factory=dict, description="Backups, parameters…, by the tool that read them")
    errors: list[str] = Field(default_factory=list, description="Reads that failed (the diagnosis is partial)")
    truncated: bool = False


def detail_reads(collection: Collection) -> list[Operation]:
    """The reads that take only the member's id: backup histories, parameter values…"""
    return [
        op
        for op in related(collection)
        if op.risk == "read" and op.method == "GET" and op.path.count("{") == 1 and collection.id_param in op.path
    ]


def _call(collection: Collection, op: Operation | None, rid: str) -> list[str]:
    return [f"{op.tool_name}({collection.id_param}={rid!r})"] if op is not None else []


async def find(runtime: ToolRuntime, service: str, resource: str) -> tuple[Collection, dict[str, Any]] | None:
    """The member of one of the service's collections whose id or name is ``resource``."""
    for collection in exposed(runtime, [service]):
        result = await runtime.send(collection.listing, query=list_query(collection.listing) or None)
        for record in list_items(result.data) or []:
            member = read_member(collection, record)
            if resource in (member.id, member.name):
                return collection, dict(record)
    return None


def _instances(detail: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for group in detail.get("instance_groups") or []:
        for inst in group.get("instances") or [] if isinstance(group, Mapping) else []:
            out.append(
                {
                    "name": inst.get("name"),
                    "group_id": group.get("id"),
                    "role_type": inst.get("role_type"),
                    "server_type": group.get("server_type_name"),
                    "service_state": inst.get("service_state"),
                    "ip": inst.get("service_ip_address"),
                }
            )
    return out


def _window(detail: Mapping[str, Any], now: float) -> tuple[dict[str, Any] | None, bool]:
    """The maintenance window (None when none is set) and whether ``now`` is inside it."""
    option = detail.get("maintenance_option")
    if not isinstance(option, Mapping) or not option.get("starting_day_of_week") or not option.get("starting_time"):
        return None, False
    try:
        zone = ZoneInfo(str(detail.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    day, start = str(option["starting_day_of_week"]).upper(), str(option["starting_time"])
    hours = float(option.get("period_hour") or 1)
    local = datetime.fromtimestamp(now, zone)
    inside = False
    if day in _DAYS and len(start) == 4 and start.isdigit():
        for back in (0, 7):  # this week's window, or last week's running over the week's end
            begin = local.replace(hour=int(start[:2]), minute=int(start[2:]), second=0, microsecond=0)
            begin -= timedelta(days=(local.weekday() - _DAYS.index(day)) % 7 + back)
            inside = inside or begin <= local < begin + timedelta(hours=hours)
    window = {"day": day, "starting_time": start, "period_hour": hours, "timezone": str(zone)}
    return window, inside


def state_findings(collection: Collection, d: Diagnosis, detail: Mapping[str, Any], now: float) -> list[Finding]:
    rid = d.id or ""
    member = read_member(collection, detail)
    health = health_of(collection.service, d.state)
    since = member.modified or member.created
    ago = humanize_age(age_seconds(since, now))
    when = f" since {since} ({ago})" if since and ago else ""
    field = next((k for k in detail if k.endswith("state") and detail.get(k) == d.state), "state")
    evidence = [f"{field}={d.state}"]
    bad = [i for i in d.instances if i.get("service_state") and i["service_state"] != "RUNNING"]
    evidence += [f"instance {i['name']} ({i['role_type']}) {i['service_state']}" for i in bad]
    show = [show_call(collection, rid) or ""]
    if health == "unhealthy":
        fix = _call(collection, action(collection, "synchronize"), rid) + _call(
            collection, action(collection, "restart"), rid
        )
        return [
            Finding(severity="critical", title=f"{field} {d.state}{when}", evidence=evidence, next_calls=fix or show)
        ]
    if health == "transition":
        stuck = (age_seconds(since, now) or 0) > 3600
        title = f"{field} {d.state}{when}" + ("; it should have finished long ago: stuck" if stuck else "")
        return [Finding(severity="critical" if stuck else "info", title=title, evidence=evidence, next_calls=show)]
    if health == "stopped":
        start = _call(collection, action(collection, "start"), rid)
        return [
            Finding(severity="warning", title=f"{field} {d.state}{when}", evidence=evidence, next_calls=start or show)
        ]
    if bad:
        return [
            Finding(severity="warning", title=f"{len(bad)} instance(s) not RUNNING", evidence=evidence, next_calls=show)
        ]
    return []


def request_findings(collection: Collection, d: Diagnosis, now: float) -> list[Finding]:
    last = d.requests[0] if d.requests else None
    if last is None or (last.state or "").upper() not in load_catalog().services[d.service].states.failed:
        return []
    ago = humanize_age(age_seconds(last.updated_at, now))
    status = load_catalog().sibling(load_catalog().by_tool_name(last.tool), "request_status")
    calls = [f"{status.tool_name}(request_id={last.request_id!r})"] if status and last.request_id else []
    return [
        Finding(
            severity="critical",
            title=f"last {last.tool} request {last.state}" + (f" {ago} ago" if ago else ""),
            evidence=[f"request {last.request_id} state={last.state}, started {last.started_at}"],
            next_calls=[*calls, *(_call(collection, collection.show, d.id or ""))],
        )
    ]


def maintenance_findings(collection: Collection, d: Diagnosis, inside: bool) -> list[Finding]:
    setter = action(collection, "set maintenance")
    if setter is None:
        return []
    if d.maintenance is None:
        return [
            Finding(
                severity="info",
                title="no maintenance window set",
                evidence=["maintenance_option has no starting day/time"],
                next_calls=_call(collection, setter, d.id or ""),
            )
        ]
    if inside:
        m = d.maintenance
        window = f"{m['day']} {m['starting_time']} for {m['period_hour']:g}h ({m['timezone']})"
        return [Finding(severity="warning", title="inside the maintenance window now", evidence=[window])]
    return []


def backup_findings(collection: Collection, d: Diagnosis, detail: Mapping[str, Any]) -> list[Finding]:
    setter = action(collection, "set backup")
    if setter is None:
        return []
    option = (detail.get("init_config_option") or {}).get("backup_option")
    histories = next((v for k, v in d.reads.items() if "backup" in k), None)
    items = list_items(histories) or []
    if not option:
        return [
            Finding(
                severity="warning",
                title="no backup configured",
                evidence=["init_config_option.backup_option is empty", f"{len(items)} backup histories"],
                next_calls=_call(collection, setter, d.id or ""),
            )
        ]
    latest = max(items, key=lambda b: str(b.get("backup_start_at") or ""), default=None)
    if latest is None:
        return [Finding(severity="warning", title="backup configured but no backup taken yet", evidence=[str(option)])]
    state = str(latest.get("backup_state") or "")
    if state.upper() in load_catalog().services[d.service].states.failed:
        return [Finding(severity="critical", title=f"last backup {state}", evidence=[str(latest)])]
    return [
        Finding(
            severity="info",
            title=f"last backup {state} at {latest.get('backup_end_at') or latest.get('backup_start_at')}",
            evidence=[f"{len(items)} backup histories; retention {option.get('retention_period_day')} days"],
        )
    ]


def parameter_findings(d: Diagnosis) -> list[Finding]:
    """Parameter values that differ from their defaults (where the service has parameter values)."""
    values = next((v for k, v in d.reads.items() if "parameter" in k), None)
    items = list_items(values) or []
    changed = [
        f"{p.get('parameter_name') or p.get('name')}={p.get('applied_value')} (default {p.get('default_value')})"
        for p in items
        if p.get("applied_value") is not None and str(p.get("applied_value")) != str(p.get("default_value"))
    ]
    if not changed:
        return []
    return [Finding(severity="info", title=f"{len(changed)} parameter(s) differ from their defaults", evidence=changed)]


async def _reads(runtime: ToolRuntime, collection: Collection, d: Diagnosis) -> None:
    limiter = anyio.CapacityLimiter(CONCURRENCY)

    async def one(op: Operation) -> None:
        try:
            async with limiter:
                result = await runtime.send(op, path={collection.id_param: d.id or ""}, query=list_query(op) or None)
        except ScpError as exc:
            d.errors.append(f"{op.tool_name}: {exc}")
            return
        d.reads[op.tool_name] = redact(result.data)

    async with anyio.create_task_group() as tg:
        for op in detail_reads(collection):
            if runtime.settings.policy.allows(op):
                tg.start_soon(one, op)
        tg.start_soon(_requests, runtime, d)


async def _requests(runtime: ToolRuntime, d: Diagnosis) -> None:
    """The caller's recent work on the resource, from the ledger, each refreshed from SCP."""
    if not d.id:
        return
    for seen in await ledger.read(runtime, target=d.id, limit=10):
        e = seen.entry
        if seen.error:
            d.errors.append(f"{e.tool} request {e.request_id or e.key}: {seen.error}")
        d.requests.append(
            RequestSeen(
                tool=e.tool, request_id=e.request_id, state=e.state, started_at=e.started_at, updated_at=e.updated_at
            )
        )


async def diagnosis(runtime: ToolRuntime, service: str, resource: str) -> Diagnosis:
    found = await find(runtime, service, resource)
    if found is None:
        return Diagnosis(status="not_found", backend=runtime.backend, service=service, name=resource, findings=[])
    collection, listed = found
    member = read_member(collection, listed)
    shown = await runtime.send(collection.show, path={collection.id_param: member.id or ""})
    detail: Mapping[str, Any] = shown.data if isinstance(shown.data, Mapping) else listed
    now = runtime.wall_clock()
    window, inside = _window(detail, now)
    d = Diagnosis(
        status="ok",
        backend=runtime.backend,
        service=collection.service,
        kind=collection.kind,
        id=member.id,
        name=member.name,
        state=read_member(collection, detail).state or member.state,
        findings=[],
        instances=_instances(detail),
        maintenance=window,
    )
    await _reads(runtime, collection, d)
    findings = [
        *state_findings(collection, d, detail, now),
        *request_findings(collection, d, now),
        *maintenance_findings(collection, d, inside),
        *backup_findings(collection, d, detail),
        *parameter_findings(d),
    ]
    d.findings = sorted(findings, key=lambda f: _RANK[f.severity])
    return d


def summary_text(d: Diagnosis) -> tuple[str, bool]:
    if d.status == "not_found":
        named = echoed(d.name or "")
        return f"No {d.service} resource has the id or name {named}. Call fleet_overview to see what exists.", False
    lines = [f"Diagnosis of {d.service} {(d.kind or '').replace('_', ' ')} '{d.name or d.id}' (id {d.id}): {d.state}."]
    if not d.findings:
        lines.append("No problems found.")
    for i, f in enumerate(d.findings, 1):
        lines.append(f"{i}. [{f.severity}] {f.title}" + (f" — {'; '.join(f.evidence)}" if f.evidence else ""))
        if f.next_calls:
            lines.append(f"   Next: {' then '.join(f.next_calls)}")
    if d.instances:
        rows = [f"{i['name']} {i['role_type']} {i['server_type']} {i['service_state']} {i['ip']}" for i in d.instances]
        lines.append("Instances: " + "; ".join(rows) + ".")
    if d.errors:
        lines.append("Could not read: " + "; ".join(d.errors))
    text = "\n".join(lines)
    if len(text) <= TEXT_BUDGET:
        return text, False
    return text[: TEXT_BUDGET - 80] + "\n… cut; every field is in structured content.", True


ServiceArg = Annotated[
    str, Field(description="The service: data-flow, data-ops, eventstreams, quick-query, searchengine or vertica")
]
ResourceArg = Annotated[str, Field(max_length=256, description="The resource's id or name, e.g. search-logs")]

_DESCRIPTION = (
    "Why is it broken? Diagnose one Kafka/OpenSearch/Vertica cluster, NiFi flow, Airflow or Trino resource: "
    "state, nodes, recent requests, maintenance window, backups, parameters, as ranked findings with the next "
    "calls. Use fleet_overview first to find what is broken."
)


def diagnose_tool(runtime: ToolRuntime) -> Tool | None:
    if not exposed(runtime):
        return None

    async def diagnose(ctx: Context[Any, Any], service: ServiceArg, resource: ResourceArg) -> CallToolResult:
        try:
            result = await diagnosis(runtime, service, resource)
        except ScpError as exc:
            text = redact_text(f"diagnose failed: {exc}", runtime.settings.secrets)
            content = {"status": "error", "backend": runtime.backend, "tool": NAME, "error": type(exc).__name__}
            return CallToolResult(
                content=[TextContent(type="text", text=text)], structured_content=content, is_error=True
            )
        text, result.truncated = summary_text(result)
        content = result.model_dump(mode="json", exclude_none=True)
        text = redact_text(text, runtime.settings.secrets)
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=content, is_error=result.status != "ok"
        )

    tool = Tool.from_function(
        diagnose,
        name=NAME,
        title="Diagnose a resource",
        description=_DESCRIPTION,
        annotations=READ_ANNOTATIONS.model_copy(update={"title": "Diagnose a resource"}),
    )
    tool.fn_metadata.output_schema = Diagnosis.model_json_schema()
    return tool
