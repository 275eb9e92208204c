"""The ledger's tools: ``operations_list`` (what is still running, what finished), ``operations_get`` (did
this one finish) and ``operations_wait`` (wait for it, bounded, with progress). Every read refreshes the
entries from SCP first; every entry is the caller's own."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from scp_mcp.catalog import load_catalog
from scp_mcp.store import OperationEntry, OperationStatus
from scp_mcp.tools import ledger
from scp_mcp.tools.envelope import Backend
from scp_mcp.tools.errors import echoed
from scp_mcp.tools.fleet import READ_ANNOTATIONS, TEXT_BUDGET
from scp_mcp.tools.follow import Observation, follow_hint, wait_for
from scp_mcp.tools.redact import redact_text
from scp_mcp.tools.runtime import ToolRuntime

LIST, GET, WAIT = "operations_list", "operations_get", "operations_wait"
MAX_LIMIT = 50


class OperationView(BaseModel):
    key: str = Field(description="The request id, or <kind>:<id> for work followed by the resource's state")
    tool: str
    service: str
    status: OperationStatus
    state: str | None = Field(default=None, description="The last state SCP reported")
    request_id: str | None = None
    target_kind: str | None = None
    target_id: str | None = None
    target_name: str | None = None
    arguments: dict[str, Any] = Field(default_factory=dict, description="What was sent, secrets masked")
    started_at: str
    updated_at: str
    finished_at: str | None = None
    refresh_error: str | None = Field(default=None, description="Why it could not be checked now")
    next_call: str | None = None


class OperationsList(BaseModel):
    status: Literal["ok", "error"]
    backend: Backend
    tool: str = LIST
    operations: list[OperationView]
    truncated: bool = Field(default=False, description="The text left rows out; all are in operations")


class OperationResult(BaseModel):
    status: Literal["ok", "not_found", "error"]
    backend: Backend
    tool: str
    operation: OperationView | None = None
    waited_s: float | None = None


def view(read: ledger.Refreshed) -> OperationView:
    e = read.entry
    return OperationView(
        **{k: v for k, v in e.as_dict().items() if k in OperationView.model_fields},
        refresh_error=read.error,
        next_call=_next_call(e),
    )


def _next_call(e: OperationEntry) -> str | None:
    if e.status == "in_progress":
        return f"{WAIT}(request_id={e.key!r})"
    op = ledger.operation_of(e)
    hint = follow_hint(op, ledger.work_of(e), done=True, failed=e.status == "failed") if op else None
    return hint.split(" with ", 1)[-1] if hint else None


def _target(v: OperationView) -> str:
    kind = (v.target_kind or "resource").replace("_", " ")
    name = f"'{v.target_name}'" if v.target_name else None
    ident = f" (id {v.target_id})" if v.target_id and name else ""
    subject = name or v.target_id
    return f" on {kind} {subject}{ident}" if subject else ""


def row(v: OperationView) -> str:
    """One line: what, on what, how it stands, since when, and the call that shows more."""
    state = f" ({v.state})" if v.state and v.state.lower() != v.status.replace("_", " ") else ""
    when = f", finished {v.finished_at}" if v.finished_at else f", updated {v.updated_at}"
    request = f", request {v.request_id}" if v.request_id else ""
    problem = f"; {v.refresh_error}" if v.refresh_error else ""
    nxt = f". Next: {v.next_call}" if v.next_call else ""
    return f"- {v.tool}{_target(v)}: {v.status.upper()}{state}{request}, started {v.started_at}{when}{problem}{nxt}"


def list_text(views: list[OperationView], filters: str) -> tuple[str, bool]:
    if not views:
        return f"No operations{filters} in your ledger.", False
    counts: dict[str, int] = {}
    for v in views:
        counts[v.status] = counts.get(v.status, 0) + 1
    tally = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    text = f"{len(views)} operation(s){filters}, newest first ({tally}):"
    for i, v in enumerate(views):
        line = row(v)
        if len(text) + len(line) + 1 > TEXT_BUDGET - 120:
            return text + f"\n… {len(views) - i} more left out; all are in structured content (operations).", True
        text += "\n" + line
    return text, False


def service_key(name: str) -> str | None:
    """A catalog service named by its host or tool prefix (data-flow, dataflow, eventstreams…)."""
    wanted = name.replace("-", "").replace("_", "").lower()
    for key, service in load_catalog().services.items():
        if wanted in (key.replace("-", "").lower(), service.tool_prefix.lower()):
            return key
    return None


def _result(runtime: ToolRuntime, text: str, content: BaseModel, *, error: bool = False) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=redact_text(text, runtime.settings.secrets))],
        structured_content=content.model_dump(mode="json", exclude_none=True),
        is_error=error,
    )


StatusArg = Annotated[
    OperationStatus | None, Field(description="Only this status; in_progress answers 'what is still running'")
]
ServiceFilter = Annotated[str | None, Field(max_length=64, description="Only this service, e.g. vertica or data-flow")]
ResourceFilter = Annotated[str | None, Field(max_length=256, description="Only work on this resource id or name")]
LimitArg = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="At most this many, newest first")]
KeyArg = Annotated[
    str, Field(max_length=256, description="The request id (or key) a 202 answer or operations_list gave")
]
WaitArg = Annotated[int, Field(ge=1, le=900, description="Longest wait in seconds (the server may cap it)")]

_LIST_DESCRIPTION = (
    "What is still running, and what finished or failed: the work you started (creates, restarts, resizes, "
    "deletes…), newest first, each checked with SCP now. Filter by status, service or resource."
)
_GET_DESCRIPTION = (
    "Did my restart (create, resize, delete…) finish? One operation by its request id, checked with SCP now: "
    "status, last state, target, times, and the next call."
)
_WAIT_DESCRIPTION = (
    "Wait until an operation you started finishes (bounded, with progress), then say how it ended. "
    "Use after a tool answered 'accepted' or 'still running'."
)


def list_tool(runtime: ToolRuntime) -> Tool:
    async def operations_list(
        ctx: Context[Any, Any],
        status: StatusArg = None,
        service: ServiceFilter = None,
        resource: ResourceFilter = None,
        limit: LimitArg = 10,
    ) -> CallToolResult:
        key = service_key(service) if service else None
        if service and key is None:
            names = ", ".join(load_catalog().services)
            text = f"{LIST}: no service {echoed(service)}. Use one of: {names}; or leave service out."
            failed = OperationsList(status="error", backend=runtime.backend, operations=[])
            return _result(runtime, text, failed, error=True)
        read = await ledger.read(
            runtime, statuses=(status,) if status else (), service=key, target=resource, limit=limit
        )
        views = [view(r) for r in read]
        filters = [f" {status}" if status else "", f" in {key}" if key else "", f" on {resource}" if resource else ""]
        text, truncated = list_text(views, "".join(filters))
        content = OperationsList(status="ok", backend=runtime.backend, operations=views, truncated=truncated)
        return _result(runtime, text, content)

    return _tool(operations_list, LIST, "List operations", _LIST_DESCRIPTION, OperationsList)


def _not_found(runtime: ToolRuntime, tool: str, key: str) -> CallToolResult:
    text = (
        f"{tool}: no operation {echoed(key)} in your ledger. Call {LIST} to see the request ids of the work you "
        "started (work started by another user is not shown)."
    )
    return _result(runtime, text, OperationResult(status="not_found", backend=runtime.backend, tool=tool), error=True)


def get_tool(runtime: ToolRuntime) -> Tool:
    async def operations_get(ctx: Context[Any, Any], request_id: KeyArg) -> CallToolResult:
        read = await ledger.read_one(runtime, request_id)
        if read is None:
            return _not_found(runtime, GET, request_id)
        v = view(read)
        content = OperationResult(status="ok", backend=runtime.backend, tool=GET, operation=v)
        return _result(runtime, row(v)[2:], content)

    return _tool(operations_get, GET, "Show an operation", _GET_DESCRIPTION, OperationResult)


def wait_tool(runtime: ToolRuntime) -> Tool:
    async def operations_wait(
        ctx: Context[Any, Any], request_id: KeyArg, wait_seconds: WaitArg = 300
    ) -> CallToolResult:
        read = await ledger.read_one(runtime, request_id)
        if read is None:
            return _not_found(runtime, WAIT, request_id)
        waited = 0.0
        if read.entry.status == "in_progress":
            read, waited = await _wait(runtime, ctx, read, min(wait_seconds, runtime.settings.max_wait_s))
        v = view(read)
        content = OperationResult(status="ok", backend=runtime.backend, tool=WAIT, operation=v, waited_s=waited)
        return _result(runtime, wait_text(v, waited), content)

    return _tool(operations_wait, WAIT, "Wait for an operation", _WAIT_DESCRIPTION, OperationResult)


async def _wait(
    runtime: ToolRuntime, ctx: Context[Any, Any], read: ledger.Refreshed, timeout_s: float
) -> tuple[ledger.Refreshed, float]:
    last = [read]

    async def check() -> Observation:
        last[0] = await ledger.refresh(runtime, last[0].entry)
        e = last[0].entry
        return Observation(e.state, done=e.finished, failed=e.status == "failed")

    _, waited = await wait_for(runtime, check, timeout_s, ctx.report_progress)
    return last[0], round(waited, 3)


def wait_text(v: OperationView, waited: float) -> str:
    subject = f"{v.tool}{_target(v)}"
    nxt = f" Next: {v.next_call}." if v.next_call else ""
    state = f" ({v.state})" if v.state else ""
    if v.status == "completed":
        return f"{subject} completed{state}, finished {v.finished_at}.{nxt}"
    if v.status == "failed":
        return f"{subject} FAILED{state} at {v.finished_at}.{nxt} Find out why before retrying."
    if v.status == "unknown":
        return f"{subject}: its outcome cannot be followed from here; check the resource itself."
    problem = f" Last check failed: {v.refresh_error}." if v.refresh_error else ""
    return f"{subject} is still running after {waited:.0f}s (now {v.state or 'unknown'}).{problem}{nxt}"


def _tool(fn: Any, name: str, title: str, description: str, output: type[BaseModel]) -> Tool:
    tool = Tool.from_function(
        fn,
        name=name,
        title=title,
        description=description,
        annotations=READ_ANNOTATIONS.model_copy(update={"title": title}),
    )
    tool.fn_metadata.output_schema = output.model_json_schema()
    return tool
