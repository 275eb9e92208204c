"""A 202 accepted on one replica is followed on the others, in both protocol eras: the ledger entry is in
the shared store, so any replica shows it, waits on it and records how it ended."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from tests.scale.cluster import Cluster
from tests.scale.test_replicas import cluster_id

pytestmark = pytest.mark.anyio


async def structured(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None, result
    return dict(result.structured_content)


async def test_a_202_on_one_replica_is_waited_on_and_finished_through_another(cluster: Cluster, mode: str) -> None:
    via = {"auto": "lb", "legacy": "sticky"}[mode]  # a legacy session needs its own replica
    with anyio.fail_after(90):
        async with Client(cluster.connect(cluster.replica_url(0)), mode=mode) as first:
            args = {"cluster_id": await cluster_id(first, "searchengine", "search-logs")}
            accepted = await structured(first, "searchengine_synchronize_cluster_state", args)  # wait_seconds 0
        request_id = str(accepted["async_request"]["request_id"])
        async with Client(cluster.connect(cluster.replica_url(1)), mode=mode) as second:
            seen = await structured(second, "operations_get", {"request_id": request_id})
        async with Client(cluster.connect(cluster.url(via)), mode=mode) as balanced:
            waited = await structured(balanced, "operations_wait", {"request_id": request_id, "wait_seconds": 60})
        async with Client(cluster.connect(cluster.replica_url(2)), mode=mode) as third:
            listed = await structured(third, "operations_list", {"service": "searchengine", "status": "completed"})
    assert accepted["status"] == "accepted", accepted
    assert seen["operation"]["tool"] == "searchengine_synchronize_cluster_state", seen
    assert seen["operation"]["target_id"] == args["cluster_id"]
    assert waited["operation"]["status"] == "completed", waited
    assert waited["operation"]["finished_at"] is not None
    assert request_id in [o["request_id"] for o in listed["operations"]], listed
