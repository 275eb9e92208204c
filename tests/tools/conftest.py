"""Fixtures: one sandbox-backed server per session (built once: 116 tools take ~0.5 s), reset per test,
and the two protocol eras every behaviour is checked in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from mcp import Client, types

from scp_mcp.store import SqliteStore
from tests.support.stack import Stack, make_stack

MODES = ("legacy", "auto")


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    param: str = request.param
    return param


@pytest.fixture(scope="session")
def shared_stack() -> Stack:
    return make_stack()


@pytest.fixture
def stack(shared_stack: Stack) -> Stack:
    shared_stack.sandbox.reset()
    shared_stack.server.runtime.reset()
    # The reset sandbox is the same world again: a test's spent confirmations and audit entries are its own.
    shared_stack.server.runtime.store = SqliteStore(":memory:")
    return shared_stack


@pytest.fixture(scope="module")
async def clients(shared_stack: Stack) -> AsyncIterator[dict[str, Client]]:
    """One long-lived client per protocol era for the whole module: listing 116 tools (and the client
    validating the listing) costs ~0.1 s, so it is done once per era."""
    async with AsyncExitStack() as exits:
        opened = {mode: await exits.enter_async_context(Client(shared_stack.server, mode=mode)) for mode in MODES}
        for client in opened.values():
            await client.list_tools()
        yield opened


@pytest.fixture(scope="module")
async def listed(clients: dict[str, Client]) -> dict[str, types.Tool]:
    result = await clients["auto"].list_tools()
    return {tool.name: tool for tool in result.tools}


@pytest.fixture
def client(clients: dict[str, Client], mode: str, stack: Stack) -> Client:
    return clients[mode]
