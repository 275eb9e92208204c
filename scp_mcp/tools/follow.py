"""Follow asynchronous work: through Show Request where SCP returns a request id, otherwise through the
resource's own state (a delete is done when the resource is gone); classify what is seen with the
catalog's state vocabulary, and poll, bounded, with an injected clock and sleep. The siblings to call
and the states come from the catalog."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scp_mcp.catalog import Operation, StateVocabulary, load_catalog
from scp_mcp.client.errors import NotFound
from scp_mcp.tools.prepare import PreparedCall
from scp_mcp.tools.records import kind_prefixes, list_items, record_id, record_name, record_state
from scp_mcp.tools.runtime import ToolRuntime


@dataclass(frozen=True)
class Observation:
    """One look at asynchronous work."""

    state: str | None
    done: bool
    failed: bool = False
    gone: bool = False  # the resource no longer exists (a delete finished)


def request_observation(states: StateVocabulary, state: str | None) -> Observation:
    """Classify a Show Request state with the catalog's vocabulary."""
    upper = (state or "").upper()
    if upper in states.failed:
        return Observation(state, done=True, failed=True)
    return Observation(state, done=upper in states.request_done)


def resource_observation(states: StateVocabulary, state: str | None) -> Observation:
    """Classify a resource state: a transition is still moving; a failed state failed; else settled."""
    if states.is_moving(state or ""):
        return Observation(state, done=False)
    return Observation(state, done=True, failed=(state or "").upper() in states.failed)


Progress = Callable[[float, float, str], Awaitable[None]]


async def poll(
    check: Callable[[], Awaitable[Observation]],
    *,
    timeout_s: float,
    interval_s: float,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
    progress: Progress,
) -> tuple[Observation, float]:
    """Check until done or out of time; returns the last observation and the time waited.

    Bounded twice: by the clock, and by a poll count, so a clock that never moves cannot hang it.
    """
    start = clock()
    observation = await check()
    max_polls = math.ceil(timeout_s / max(interval_s, 1e-3)) + 1
    for _ in range(max_polls):
        elapsed = clock() - start
        if observation.done or elapsed >= timeout_s:
            break
        await progress(elapsed, timeout_s, f"state {observation.state or 'unknown'} after {elapsed:.0f}s")
        await sleep(min(interval_s, timeout_s - elapsed))
        observation = await check()
    waited = clock() - start
    await progress(min(waited, timeout_s), timeout_s, f"state {observation.state or 'unknown'}")
    return observation, waited


async def wait_for(
    runtime: ToolRuntime, check: Callable[[], Awaitable[Observation]], timeout_s: float, progress: Progress
) -> tuple[Observation, float]:
    """``poll`` on the runtime's interval, clock and sleep."""
    return await poll(
        check,
        timeout_s=timeout_s,
        interval_s=runtime.settings.poll_interval_s,
        clock=runtime.clock,
        sleep=runtime.sleep,
        progress=progress,
    )


Observer = Callable[[], Awaitable[Observation]]


@dataclass
class Work:
    """What was started and how to look at it."""

    kind: Literal["request", "resource"]
    request_id: str | None
    resource_kind: str | None
    resource_id: str | None
    resource_name: str | None

    @property
    def key(self) -> str:
        return self.request_id or f"{self.resource_kind}:{self.resource_id or self.resource_name}"


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def started_work(op: Operation, call: PreparedCall, data: Any) -> Work:
    record: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    resource = record.get("resource")
    # The target named in the path first: an answer's "resource" may be its parent (a block storage
    # group's resize answers with the cluster); for a create it is the new resource.
    res_id = (
        (call.path.get(op.resource.id_param) if op.resource and op.resource.id_param else None)
        or (_str(resource.get("id")) if isinstance(resource, Mapping) else None)
        or _str(record.get("resource_id"))
        or record_id(record, kind_prefixes(op))
    )
    name_field = op.resource.name_field if op.resource else None
    name = _str(call.body.get(name_field)) if isinstance(call.body, Mapping) and name_field else None
    request_id = _str(record.get("request_id"))
    follow_request = op.async_kind == "request" and request_id is not None and op.siblings.request_status is not None
    return Work(
        kind="request" if follow_request else "resource",
        request_id=request_id,
        resource_kind=op.resource.kind if op.resource else None,
        resource_id=res_id,
        resource_name=name,
    )


def observer(op: Operation, work: Work, runtime: ToolRuntime) -> Observer | None:
    """A function that looks once; None when the catalog gives no way to look."""
    if work.kind == "request":
        return _request_observer(op, work, runtime)
    show = load_catalog().sibling(op, "show")
    if show is None:
        return None
    return _resource_observer(op, show, work, runtime)


def _request_observer(op: Operation, work: Work, runtime: ToolRuntime) -> Observer | None:
    show_request = load_catalog().sibling(op, "request_status")
    if show_request is None or work.request_id is None:
        return None
    request_id = work.request_id

    async def look() -> Observation:
        result = await runtime.send(show_request, path={"request_id": request_id})
        data = result.data if isinstance(result.data, Mapping) else {}
        return request_observation(load_catalog().states(op), _str(data.get("state")))

    return look


def _resource_observer(op: Operation, show: Operation, work: Work, runtime: ToolRuntime) -> Observer:
    param = show.path[show.path.rindex("{") + 1 : show.path.rindex("}")]
    deleting = op.method == "DELETE"

    async def look() -> Observation:
        if work.resource_id is None:
            work.resource_id = await _find_by_name(op, work, runtime)
            if work.resource_id is None:
                return Observation("not visible yet", done=False)
        try:
            result = await runtime.send(show, path={param: work.resource_id})
        except NotFound:
            gone = Observation("DELETED", done=True, gone=True)
            return gone if deleting else Observation("not found", done=False)
        data = result.data if isinstance(result.data, Mapping) else {}
        return resource_observation(load_catalog().states(op), record_state(data, kind_prefixes(show)))

    return look


async def _find_by_name(op: Operation, work: Work, runtime: ToolRuntime) -> str | None:
    listing = load_catalog().sibling(op, "list") if _creates(op) else None
    if listing is None or work.resource_name is None:
        return None
    result = await runtime.send(listing)
    prefixes = kind_prefixes(listing)
    name_field = op.resource.name_field if op.resource else None
    for item in list_items(result.data) or []:
        if record_name(item, prefixes, name_field) == work.resource_name:
            return record_id(item, prefixes)
    return None


def follow_hint(op: Operation, work: Work, *, done: bool = False, failed: bool = False) -> str | None:
    """The calls that show more: how the work is going, what failed, or the finished resource."""
    request = _request_call(op, work)
    resource = _resource_call(op, work)
    if failed:
        calls = [c for c in (request, resource) if c]
        return f"Check {' and '.join(calls)}" if calls else None
    if done:
        deleted = op.method == "DELETE" and op.path.endswith("}")  # the resource itself is gone
        return f"See it with {resource}" if resource and not deleted else None
    if request or resource:
        return f"Check it with {request or resource}"
    listing = load_catalog().sibling(op, "list") if _creates(op) else None
    return f"Find it with {listing.tool_name}" if listing is not None else None


def _creates(op: Operation) -> bool:
    return op.resource is not None and op.resource.id_param is None


def _request_call(op: Operation, work: Work) -> str | None:
    show_request = load_catalog().sibling(op, "request_status")
    if work.kind != "request" or not work.request_id or show_request is None:
        return None
    return f"{show_request.tool_name}(request_id={work.request_id!r})"


def _resource_call(op: Operation, work: Work) -> str | None:
    show = load_catalog().sibling(op, "show")
    if show is None or not work.resource_id:
        return None
    param = show.path[show.path.rindex("{") + 1 : show.path.rindex("}")]
    return f"{show.tool_name}({param}={work.resource_id!r})"
