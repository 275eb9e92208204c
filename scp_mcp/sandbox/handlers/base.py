"""What a handler sees and returns, and the registry that ties catalog operations to handlers.

Handlers are registered per service family and per route shape (method + path with the family's
collection words and parameter names normalised), so one handler serves the same operation of every
service in the family; the app derives the key of each catalog operation and looks its handler up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scp_mcp.catalog import Operation, OperationVersion
from scp_mcp.sandbox.clock import SandboxClock, iso
from scp_mcp.sandbox.errors import NotFound
from scp_mcp.sandbox.store import Record, Store

FAMILIES = {
    "eventstreams": "dbaas",
    "searchengine": "dbaas",
    "vertica": "dbaas",
    "data-flow": "flow",
    "data-ops": "flow",
    "quick-query": "quick-query",
}
# path segments that name the same thing in the two flow services
_WORDS = {"data-flow-services": "{svc}", "data-ops-services": "{svc}", "data-flows": "{main}", "data-ops": "{main}"}

ACCOUNT_ID = "9b7f3c1a2d4e4f6a8b0c1d2e3f4a5b6c"
USER_ID = "sandbox-user"


@dataclass
class World:
    """Everything a handler may touch."""

    store: Store
    clock: SandboxClock

    def now(self) -> float:
        return self.clock.now()

    def stamp(self) -> str:
        return iso(self.now())


@dataclass
class Ctx:
    world: World
    op: Operation
    version: OperationVersion
    params: Mapping[str, str]
    query: Mapping[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None

    @property
    def service(self) -> str:
        return self.op.service

    @property
    def store(self) -> Store:
        return self.world.store

    @property
    def now(self) -> float:
        return self.world.now()

    def param(self, index: int = 0) -> str:
        return list(self.params.values())[index]

    def payload(self) -> dict[str, Any]:
        assert self.body is not None, f"{self.op.name} has no body"
        return self.body


@dataclass
class Reply:
    status: int
    payload: Any = None


Handler = Callable[[Ctx], Reply]
REGISTRY: dict[tuple[str, str], Handler] = {}


def route_key(method: str, path: str) -> str:
    segments = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{"):
            segments.append("{}")
        else:
            segments.append(_WORDS.get(segment, segment))
    return f"{method.upper()} /" + "/".join(segments)


def handles(family: str, method: str, path: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        REGISTRY[(family, route_key(method, path))] = handler
        return handler

    return register


def handler_for(op: Operation) -> Handler | None:
    found = REGISTRY.get((FAMILIES[op.service], route_key(op.method, op.path)))
    return None if found is None else _documented_missing_status(op, found)


def _documented_missing_status(op: Operation, handler: Handler) -> Handler:
    """An id in the path that names nothing is answered with the status the catalog documents for the
    operation (``Operation.missing_id_status``), whichever handler found it missing."""
    status = op.missing_id_status
    if status is None:
        return handler

    def answer(ctx: Ctx) -> Reply:
        try:
            return handler(ctx)
        except NotFound as err:
            if err.missing in ctx.params.values():
                err.status = status
            raise

    return answer


def as_int(value: Any, default: int) -> int:
    """An integer from a body field that may be a number or a numeric string; `default` otherwise."""
    try:
        return int(str(value))
    except ValueError:
        return default


def stamped(record: Record, field_name: str, now: str) -> Record:
    """Mark `field_name` as the record's modification time, kept current by scheduled changes."""
    record["_stamp"] = field_name
    record[field_name] = now
    return record


def hosted_on(engine: Record, now: str) -> Record:
    """Fields of every resource that runs on a Kubernetes engine (data flows, data ops, quick queries)."""
    return {
        "account_id": ACCOUNT_ID,
        "cluster_id": engine["id"],
        "cluster_name": engine["name"],
        "cluster_permission": {"read": True, "write": True},
        "cluster_request_failed": False,
        "created_dt": now,
        "created_by": USER_ID,
        "modified_by": USER_ID,
    }
