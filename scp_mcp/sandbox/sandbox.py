"""The Sandbox object: state, clock, credentials, faults, the ASGI app and what it received."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.sandbox import handlers
from scp_mcp.sandbox.asgi import build_app
from scp_mcp.sandbox.clock import SandboxClock
from scp_mcp.sandbox.faults import Faults
from scp_mcp.sandbox.handlers.base import Handler, World, handler_for
from scp_mcp.sandbox.received import DEFAULT_LIMIT, RequestLog
from scp_mcp.sandbox.routing import Router
from scp_mcp.sandbox.seed import seed_fleet
from scp_mcp.sandbox.state_file import read_state, write_state
from scp_mcp.sandbox.store import Record, Store

SANDBOX_ACCESS_KEY = "SANDBOXACCESSKEY0000"
SANDBOX_SECRET_KEY = "sandbox-secret-key-not-for-production"
ENDPOINT_TEMPLATE_IN_PROCESS = "http://sandbox.local/{service}"

# The field naming each kind of resource comes from the catalog; Kubernetes engines are the
# sandbox's own (no catalog operation acts on them).
NAME_FIELDS = {
    op.resource.kind: op.resource.name_field
    for op in load_catalog().operations
    if op.resource is not None and op.resource.name_field is not None
} | {"kubernetes_engine": "name"}


class Sandbox:
    """An SCP simulator serving every catalog operation; see scp_mcp/sandbox/README.md."""

    def __init__(
        self,
        *,
        clock: SandboxClock | None = None,
        seed: int = 0,
        credentials: Mapping[str, str] | None = None,
        state_file: Path | None = None,
        speed: float = 1.0,
        wall_clock: Callable[[], float] = time.time,
        keep_requests: int = DEFAULT_LIMIT,
    ) -> None:
        handlers.load()
        self.catalog = load_catalog()
        self.router = Router(self.catalog)
        self._handlers = {(op.service, op.method, op.path): _require_handler(op) for op in self.catalog.operations}
        self.clock = clock or SandboxClock(speed=speed)
        self.credentials = dict(credentials) if credentials is not None else {SANDBOX_ACCESS_KEY: SANDBOX_SECRET_KEY}
        self.state_file = state_file
        self.wall_clock = wall_clock
        self.faults = Faults()
        self.received = RequestLog(keep_requests)  # the last `keep_requests` requests
        self.store = Store(seed)
        self.world = World(self.store, self.clock)
        self._load_or_seed()
        self.app = build_app(self)

    def _load_or_seed(self) -> None:
        """Carry on from the state file (its fleet and its simulated time), else seed and write it."""
        saved = read_state(self.state_file) if self.state_file is not None else None
        if saved is None:
            seed_fleet(self.store)
            self.save()
            return
        self.store.load(saved.store)
        if saved.saved_at > self.clock.now():  # the timeline never goes back
            self.clock.advance(saved.saved_at - self.clock.now())

    def save(self) -> None:
        """Write the state file (if any) with the simulated time now."""
        if self.state_file is not None:
            write_state(self.state_file, self.store.dump(), self.clock.now())

    def handler(self, op: Operation) -> Handler:
        return self._handlers[(op.service, op.method, op.path)]

    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app)

    def reset(self) -> None:
        """Back to the seeded fleet; forget received requests and faults."""
        self.store.tables.clear()
        self.store.counter = 0
        self.received.clear()
        self.faults.clear()
        seed_fleet(self.store)
        self.save()

    def advance(self, seconds: float) -> None:
        """Move the clock and let lifecycles progress; the state file keeps the new time."""
        self.clock.advance(seconds)
        self.store.settle(self.clock.now())
        self.save()

    @property
    def state(self) -> Store:
        self.store.settle(self.clock.now())
        return self.store

    def find(self, kind: str, name: str, service: str | None = None) -> Record | None:
        """The live record of `kind` named `name` (cluster, data_flow, quick_query, ...)."""
        field = NAME_FIELDS[kind]
        return next((r for r in self.state.records(kind, service) if r.get(field) == name), None)

    def find_cluster(self, name: str, service: str | None = None) -> Record | None:
        return self.find("cluster", name, service)


def _require_handler(op: Operation) -> Handler:
    handler = handler_for(op)
    if handler is None:
        raise LookupError(f"the sandbox has no handler for {op.service} {op.name} ({op.method} {op.path})")
    return handler
