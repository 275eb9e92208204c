"""A replica killed (SIGKILL) while it waits on a 202: the work is still on record in the shared store,
another replica lists it in the ledger (operations_list), waits on it to its end (operations_wait), and
`scp-mcp audit` has the call; the cluster serves on."""

from __future__ import annotations

import json

import anyio
import pytest
from mcp import Client

from tests.scale.cluster import Cluster
from tests.scale.test_replicas import cluster_id

pytestmark = pytest.mark.anyio


async def test_a_replica_killed_mid_wait_loses_nothing(cluster: Cluster) -> None:
    waiting = anyio.Event()

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        waiting.set()  # the 202 is in, the replica is polling: kill it now

    failures: list[BaseException] = []

    async def start_and_wait(client: Client, target: str) -> None:
        try:
            await client.call_tool(
                "eventstreams_start_cluster", {"cluster_id": target, "wait_seconds": 900}, progress_callback=on_progress
            )
        except Exception as exc:  # the replica's death reaches this client as a transport error
            failures.append(exc)

    try:
        with anyio.fail_after(90):
            async with Client(cluster.connect(cluster.replica_url(0))) as doomed:
                target = await cluster_id(doomed, "eventstreams", "legacy-kafka")
                async with anyio.create_task_group() as group:
                    group.start_soon(start_and_wait, doomed, target)
                    await waiting.wait()
                    cluster.kill_replica(0)
            audit = await anyio.run_process(
                [cluster.scp_mcp, "audit", "--store", cluster.store_url, "--json", "--since", "1h"],
                env=cluster.replica_env(),
            )
            [started] = [
                row
                for row in map(json.loads, audit.stdout.decode().splitlines())
                if row["tool"] == "eventstreams_start_cluster" and row["target_id"] == target
            ]
            async with Client(cluster.connect(cluster.url("lb"))) as survivor:
                listed = await survivor.call_tool("operations_list", {"service": "eventstreams", "resource": target})
                waited = await survivor.call_tool(
                    "operations_wait", {"request_id": started["request_id"], "wait_seconds": 60}
                )
                request = await survivor.call_tool("eventstreams_show_request", {"request_id": started["request_id"]})
                shown = await survivor.call_tool("eventstreams_show_cluster", {"cluster_id": target})
    finally:
        if "replica-0" not in cluster.processes:
            cluster.start_replica(0)
    assert failures, "the killed replica's client should have lost its call"
    assert started["outcome"] == "executed"
    assert listed.structured_content is not None, listed
    [entry] = [o for o in listed.structured_content["operations"] if o["request_id"] == started["request_id"]]
    assert entry["tool"] == "eventstreams_start_cluster", entry
    assert waited.structured_content is not None, waited
    assert waited.structured_content["operation"]["status"] == "completed", waited.structured_content
    assert request.structured_content is not None, request
    assert shown.structured_content is not None, shown
    assert shown.structured_content["data"]["service_state"] == "RUNNING", shown.structured_content["data"]
    assert "COMPLETED" in json.dumps(request.structured_content["data"]).upper(), request.structured_content["data"]
