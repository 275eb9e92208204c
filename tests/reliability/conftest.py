"""Reliability fixtures: a bounded, seeded hypothesis profile, and one sandbox-backed server per module
reached through a real MCP client, also from synchronous (hypothesis) test bodies via a blocking portal."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, settings
from mcp import Client

from tests.support.stack import Stack, make_stack

# Seeded and small so CI is reproducible and quick; SCP_MCP_HOSTILE_EXAMPLES raises it for a longer run
# (bench/reliability.py does, for docs/RELIABILITY.md).
settings.register_profile(
    "reliability",
    max_examples=int(os.environ.get("SCP_MCP_HOSTILE_EXAMPLES", "5")),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@dataclass
class Session:
    """A server on the sandbox, and a client to it usable from synchronous code."""

    stack: Stack
    client: Client
    portal: BlockingPortal


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    stack = make_stack()
    with start_blocking_portal("asyncio") as portal, portal.wrap_async_context_manager(Client(stack.server)) as client:
        yield Session(stack, client, portal)
