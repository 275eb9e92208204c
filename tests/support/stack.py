"""A sandbox-backed server for tool tests: a manual-clock sandbox, and a server whose waits move it."""

from __future__ import annotations

from dataclasses import dataclass

from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.server import ScpMcpServer, ServerSettings, build_server, sandbox_backend
from scp_mcp.store import SqliteStore, Store


@dataclass
class Stack:
    sandbox: Sandbox
    server: ScpMcpServer


def make_stack(settings: ServerSettings | None = None, *, store: Store | None = None) -> Stack:
    """A server on a manual-clock sandbox whose waits move the sandbox's clock instead of sleeping."""
    sandbox = Sandbox(clock=SandboxClock.manual())

    async def sleep(seconds: float) -> None:
        sandbox.advance(seconds)

    server = build_server(
        settings or ServerSettings(),
        sandbox_backend(sandbox, sleep=sleep),
        clock=sandbox.clock.now,
        sleep=sleep,
        store=store or SqliteStore(":memory:"),
    )
    return Stack(sandbox, server)
