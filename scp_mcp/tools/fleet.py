"""``fleet_overview``: every collection of every exposed service, listed concurrently (bounded) through the
same ``ToolRuntime.send`` as the generated tools; counts by state, and what needs attention first.

One service failing is reported for that service; the others still answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import ScpError
from scp_mcp.store import OperationEntry
from scp_mcp.tools.envelope import Backend
from scp_mcp.tools.inventory import (
    HEALTH_ORDER,
    Collection,
    Health,
    age_seconds,
    collections,
    health_of,
    humanize_age,
    list_query,
    read_member,
    show_call,
)
from scp_mcp.tools.ledger import last_known, refresh_all
from scp_mcp.tools.records import list_items, list_total
from scp_mcp.tools.redact import redact_text
from scp_mcp.tools.runtime import ToolRuntime

NAME = "fleet_overview"
CONCURRENCY = 4
TEXT_BUDGET = 16_000  # characters of summary text, about 4k tokens


class FleetResource(BaseModel):
    service: str
    kind: str = Field(description="Resource kind, e.g. cluster, data_flow, data_flow_service")
    id: str | None = None
    name: str | None = None
    state: str | None = None
    health: Health = Field(description="unhealthy (ERROR/FAILED…), transition (…ING), stopped, unknown or healthy")
    created: str | None = Field(default=None, description="Created date, as SCP gives it")
    age: str | None = Field(default=None, description="Time since created, e.g. '3d 4h'")
    reason: str | None = Field(default=None, description="Why it needs attention, where known")
    next_call: str | None = Field(default=None, description="The tool call that looks closer")


class ServiceReport(BaseModel):
    service: str
    title: str
    ok: bool = Field(description="False when a listing of this service failed (see error)")
    resources: int
    by_state: dict[str, int] = Field(description="Resources per state")
    error: str | None = None
    truncated: bool = Field(default=False, description="A listing had more than one page; counts cover the first")


class FleetOverview(BaseModel):
    status: Literal["ok", "partial", "error"] = Field(description="partial: some services failed to answer")
    backend: Backend
    tool: str = NAME
    services: list[ServiceReport]
    attention: list[FleetResource] = Field(description="Unhealthy, in transition or stopped, worst first")
    resources: list[FleetResource] = Field(description="Every resource listed, worst first")
    truncated: bool = Field(description="The summary text left rows out; every row is in resources")


async def _list(runtime: ToolRuntime, collection: Collection, limiter: anyio.CapacityLimiter) -> Any:
    async with limiter:
        result = await runtime.send(collection.listing, query=list_query(collection.listing) or None)
    return result.data


async def gather(
    runtime: ToolRuntime, chosen: Sequence[Collection]
) -> dict[str, tuple[Mapping[str, Any] | None, str | None]]:
    """Each collection's listing (or its error), by list tool name, fetched concurrently with a bound."""
    limiter = anyio.CapacityLimiter(CONCURRENCY)
    out: dict[str, tuple[Mapping[str, Any] | None, str | None]] = {}

    async def one(collection: Collection) -> None:
        try:
            data = await _list(runtime, collection, limiter)
        except ScpError as exc:
            out[collection.listing.tool_name] = (None, str(exc))
            return
        out[collection.listing.tool_name] = (data if isinstance(data, Mapping) else {}, None)

    async with anyio.create_task_group() as tg:
        for collection in chosen:
            tg.start_soon(one, collection)
    return out


def exposed(runtime: ToolRuntime, services: Sequence[str] | None = None) -> list[Collection]:
    """The collections whose list and show tools the policy exposes (and the services asked for)."""
    policy = runtime.settings.policy
    wanted = {s.replace("-", "").lower() for s in services} if services else None
    return [
        c
        for c in collections()
        if policy.allows(c.listing)
        and policy.allows(c.show)
        and (wanted is None or c.service.replace("-", "").lower() in wanted)
    ]


async def latest_work(runtime: ToolRuntime, resource_ids: Sequence[str]) -> dict[str, OperationEntry]:
    """The latest work the ledger has for each resource, refreshed from SCP first (bounded, concurrently,
    as operations_list does), so work that failed since it was last read is the reason it failed."""
    entries = [e for rid in dict.fromkeys(resource_ids) for e in last_known(runtime, rid, limit=1)]
    return {r.entry.target_id or "": r.entry for r in await refresh_all(runtime, entries)}


def _reason(
    runtime: ToolRuntime, entry: OperationEntry | None, state: str | None, health: Health, since: str | None
) -> str | None:
    if entry is not None and entry.status == "failed":
        return f"last {entry.tool} (request {entry.request_id or 'n/a'}) ended {entry.state} at {entry.updated_at}"
    when = humanize_age(age_seconds(since, runtime.wall_clock()))
    if health == "transition":
        return f"{state} for {when} (since {since})" if when else f"{state}, in transition"
    if health in ("unhealthy", "stopped") and when:
        return f"{state} since {since} ({when})"
    return None


def needs_attention(collection: Collection, data: Mapping[str, Any]) -> list[str]:
    """The ids of the listed resources that are not healthy."""
    members = (read_member(collection, record) for record in list_items(data) or [])
    return [m.id for m in members if m.id and health_of(collection.service, m.state) != "healthy"]


def rows(
    runtime: ToolRuntime, collection: Collection, data: Mapping[str, Any], work: Mapping[str, OperationEntry]
) -> list[FleetResource]:
    now = runtime.wall_clock()
    out: list[FleetResource] = []
    for record in list_items(data) or []:
        member = read_member(collection, record)
        health = health_of(collection.service, member.state)
        attention = health != "healthy"
        out.append(
            FleetResource(
                service=collection.service,
                kind=collection.kind,
                id=member.id,
                name=member.name,
                state=member.state,
                health=health,
                created=member.created,
                age=humanize_age(age_seconds(member.created, now)),
                reason=_reason(runtime, work.get(member.id or ""), member.state, health, member.modified)
                if attention
                else None,
                next_call=_next_call(collection, member.id, member.name, attention),
            )
        )
    return out


def _next_call(collection: Collection, rid: str | None, name: str | None, attention: bool) -> str | None:
    if attention and (name or rid):
        return f"diagnose(service={collection.service!r}, resource={(name or rid)!r})"
    return show_call(collection, rid)


def _report(service: str, found: list[FleetResource], errors: list[str], truncated: bool) -> ServiceReport:
    counts = Counter(r.state or "UNKNOWN" for r in found)
    return ServiceReport(
        service=service,
        title=load_catalog().services[service].title,
        ok=not errors,
        resources=len(found),
        by_state=dict(sorted(counts.items())),
        error="; ".join(errors) or None,
        truncated=truncated,
    )


async def overview(runtime: ToolRuntime, services: Sequence[str] | None = None) -> FleetOverview:
    chosen = exposed(runtime, services)
    listings = await gather(runtime, chosen)
    unhealthy = [rid for c in chosen if (data := listings[c.listing.tool_name][0]) for rid in needs_attention(c, data)]
    work = await latest_work(runtime, unhealthy)
    reports: list[ServiceReport] = []
    everything: list[FleetResource] = []
    for service in dict.fromkeys(c.service for c in chosen):
        found: list[FleetResource] = []
        errors: list[str] = []
        truncated = False
        for collection in (c for c in chosen if c.service == service):
            data, error = listings[collection.listing.tool_name]
            if error is not None or data is None:
                errors.append(error or "no answer")
                continue
            listed = rows(runtime, collection, data, work)
            truncated = truncated or list_total(data, len(listed)) > len(listed)
            found.extend(listed)
        reports.append(_report(service, found, errors, truncated))
        everything.extend(found)
    everything.sort(key=lambda r: HEALTH_ORDER.index(r.health))
    failed = sum(not r.ok for r in reports)
    status: Literal["ok", "partial", "error"] = "ok" if not failed else "error" if failed == len(reports) else "partial"
    attention = [r for r in everything if r.health != "healthy"]
    return FleetOverview(
        status=status,
        backend=runtime.backend,
        services=reports,
        attention=attention,
        resources=everything,
        truncated=False,
    )


def _row(r: FleetResource) -> str:
    head = f"{r.service} {r.kind.replace('_', ' ')} '{r.name or r.id}'"
    ident = f" (id {r.id})" if r.name and r.id else ""
    created = f", created {r.created} ({r.age} ago)" if r.created and r.age else ""
    reason = f"; {r.reason}" if r.reason else ""
    nxt = f". Next: {r.next_call}" if r.next_call else ""
    return f"- {head}{ident}: {r.state or 'state unknown'}{created}{reason}{nxt}"


def summary_text(result: FleetOverview) -> tuple[str, bool]:
    """The overview in at most TEXT_BUDGET characters, and whether rows were left out."""
    counts = Counter(r.health for r in result.resources)
    health = ", ".join(f"{counts[h]} {h}" for h in HEALTH_ORDER if counts[h])
    lines = [f"Fleet: {len(result.resources)} resources in {len(result.services)} services ({health or 'none'})."]
    for rep in result.services:
        states = ", ".join(f"{s} {n}" for s, n in rep.by_state.items()) or "none"
        more = " (first page only; narrow with the list tool's filters)" if rep.truncated else ""
        lines.append(
            f"{rep.service}: {rep.resources} — {states}{more}" if rep.ok else f"{rep.service}: FAILED — {rep.error}"
        )
    if result.attention:
        lines.append("Needs attention (worst first):")
    healthy = [r for r in result.resources if r.health == "healthy"]
    body = [_row(r) for r in result.attention]
    if healthy:
        body.append("Healthy: " + "; ".join(f"{r.service} '{r.name or r.id}' {r.state}" for r in healthy) + ".")
    text = "\n".join(lines)
    for i, line in enumerate(body):
        if len(text) + len(line) + 1 > TEXT_BUDGET - 120:
            return text + f"\n… {len(body) - i} more rows left out; all are in structured content (resources).", True
        text += "\n" + line
    return text, False


ServicesArg = Annotated[
    list[str] | None,
    Field(description="Only these services, by host or tool prefix (default: every exposed one), e.g. vertica"),
]

READ_ANNOTATIONS = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)

_DESCRIPTION = (
    "Health of the whole fleet in one call: every Kafka, OpenSearch, Vertica, NiFi, Airflow and Trino resource, "
    "counts by state, unhealthy and changing ones first with age, reason and next call. Use diagnose for one."
)


def fleet_tool(runtime: ToolRuntime) -> Tool | None:
    """The tool, or None when the policy exposes no collection at all."""
    if not exposed(runtime):
        return None

    async def fleet_overview(ctx: Context[Any, Any], services: ServicesArg = None) -> CallToolResult:
        result = await overview(runtime, services)
        text, truncated = summary_text(result)
        result.truncated = truncated
        content = result.model_dump(mode="json", exclude_none=True)
        text = redact_text(text, runtime.settings.secrets)
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content)

    tool = Tool.from_function(
        fleet_overview,
        name=NAME,
        title="Fleet overview",
        description=_DESCRIPTION,
        annotations=ToolAnnotations(
            title="Fleet overview",
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=True,
        ),
    )
    tool.fn_metadata.output_schema = FleetOverview.model_json_schema()
    return tool
