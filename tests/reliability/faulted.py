"""A server on a sandbox whose faults the test sets, with one injected clock for the client, the sandbox
and the waits: a retry's pause moves that clock (and the sandbox's lifecycles) instead of sleeping."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio
from pydantic import SecretStr

from scp_mcp.client import ClientSettings, ScpClient
from scp_mcp.sandbox import ENDPOINT_TEMPLATE_IN_PROCESS, SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox, SandboxClock
from scp_mcp.sandbox.serve import make_server
from scp_mcp.server import ScpMcpServer, ServerSettings, build_server
from scp_mcp.server.backend import Backend
from scp_mcp.store import SqliteStore

START = 1_780_000_000.0  # a whole second: HTTP dates (1 s resolution) round-trip exactly


@dataclass
class FakeTime:
    now: float = START
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now


@dataclass
class Faulted:
    sandbox: Sandbox
    server: ScpMcpServer
    time: FakeTime
    store: SqliteStore


def faulted(*, timeout_s: float = 30.0, endpoint_template: str = ENDPOINT_TEMPLATE_IN_PROCESS) -> Faulted:
    time = FakeTime()
    sandbox = Sandbox(clock=SandboxClock.manual(), wall_clock=time.clock)

    async def sleep(seconds: float) -> None:
        time.sleeps.append(seconds)
        time.now += seconds
        sandbox.advance(seconds)

    settings = ClientSettings(
        access_key=SANDBOX_ACCESS_KEY,
        secret_key=SecretStr(SANDBOX_SECRET_KEY),
        endpoint_template=endpoint_template,
        timeout_s=timeout_s,
    )
    in_process = endpoint_template == ENDPOINT_TEMPLATE_IN_PROCESS
    client = ScpClient(settings, transport=sandbox.transport() if in_process else None, clock=time.clock, sleep=sleep)
    backend = Backend(client=client, kind="sandbox", settings=settings, sandbox=sandbox)
    store = SqliteStore(":memory:")
    server = build_server(ServerSettings(), backend, clock=sandbox.clock.now, sleep=sleep, store=store)
    return Faulted(sandbox, server, time, store)


@asynccontextmanager
async def over_loopback(*, timeout_s: float) -> AsyncIterator[Faulted]:
    """The same, with the sandbox served by uvicorn on 127.0.0.1 (real sockets, httpx's own timeouts)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    stack = faulted(timeout_s=timeout_s, endpoint_template=f"http://127.0.0.1:{port}/{{service}}")
    server = make_server(stack.sandbox.app, "127.0.0.1", port)
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(server.serve, [sock])
            try:
                yield stack
            finally:
                server.should_exit = True
    finally:
        sock.close()
