"""Sticky legacy sessions, and a bounded load run: 32 clients at once through the load balancer, every
call answered, the calls spread over the three replicas."""

from __future__ import annotations

import time

import anyio
import pytest
from mcp import Client

from tests.scale.cluster import Cluster

pytestmark = pytest.mark.anyio
CLIENTS = 32
CALLS_PER_CLIENT = 4


async def test_a_legacy_session_stays_on_the_replica_that_created_it(cluster: Cluster) -> None:
    with anyio.fail_after(90):
        for _ in range(3):
            async with Client(cluster.connect(cluster.url("sticky")), mode="legacy") as client:
                for _ in range(4):
                    listed = await client.call_tool("vertica_list_clusters", {})
                    assert not listed.is_error, listed
    sessions = cluster.replicas_by_session()
    assert len(sessions) >= 3
    assert all(len(replicas) == 1 for replicas in sessions.values()), sessions


async def test_32_clients_at_once_all_answered_and_spread_over_the_replicas(cluster: Cluster) -> None:
    before = cluster.replica_calls()
    errors: list[str] = []
    answered = 0

    async def operator(n: int) -> None:
        nonlocal answered
        try:
            async with Client(cluster.connect(cluster.url("lb"))) as client:
                for call in range(CALLS_PER_CLIENT):
                    tool = ("eventstreams_list_clusters", "vertica_list_clusters")[(n + call) % 2]
                    result = await client.call_tool(tool, {})
                    if result.is_error:
                        errors.append(str(result.content))
                    else:
                        answered += 1
        except Exception as exc:
            errors.append(repr(exc))

    started = time.monotonic()
    with anyio.fail_after(180):
        async with anyio.create_task_group() as group:
            for n in range(CLIENTS):
                group.start_soon(operator, n)
    elapsed = time.monotonic() - started
    spread = cluster.replica_calls() - before
    print(f"load: {answered} tool calls from {CLIENTS} clients in {elapsed:.2f} s; requests per replica {dict(spread)}")
    assert errors == []
    assert answered == CLIENTS * CALLS_PER_CLIENT
    assert sorted(spread) == [0, 1, 2]
    assert min(spread.values()) >= sum(spread.values()) // 6, spread  # round robin: none starved
