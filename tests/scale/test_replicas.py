"""Through nginx over three replicas that share one PostgreSQL store and one seal key: any replica
answers any request in the stateless era, a legacy session stays on its replica, and what one replica
starts another finishes."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client

from tests.scale.cluster import Cluster

pytestmark = pytest.mark.anyio
WINDOW = {"start_day_of_week": "SUN", "start_time": "0300", "start_minute": "00", "term_hour": "2"}


async def cluster_id(client: Client, service: str, name: str) -> str:
    listed = await client.call_tool(f"{service}_list_clusters", {})
    assert listed.structured_content is not None, listed
    return str(next(c["id"] for c in listed.structured_content["data"]["contents"] if c["name"] == name))


async def test_health_and_readiness_through_the_load_balancer(cluster: Cluster) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{cluster.ports['lb']}", timeout=10) as http:
        answers = [await http.get(path) for path in ("/healthz", "/readyz") * 3]
    assert [(a.status_code, a.json()["status"]) for a in answers] == [(200, "ok"), (200, "ready")] * 3


async def test_a_preview_on_one_replica_is_confirmed_on_another(cluster: Cluster, mode: str) -> None:
    name = {"auto": "search-products", "legacy": "analytics-vertica"}[mode]
    service = {"auto": "searchengine", "legacy": "vertica"}[mode]
    via = {"auto": "lb", "legacy": "sticky"}[mode]  # a legacy session needs its own replica
    with anyio.fail_after(60):
        first, second = (
            Client(cluster.connect(cluster.replica_url(0)), mode=mode),
            Client(cluster.connect(cluster.replica_url(1)), mode=mode),
        )
        async with first, second:
            args: dict[str, Any] = {"cluster_id": await cluster_id(first, service, name)}
            preview = await first.call_tool(f"{service}_restart_cluster", args)
            assert preview.structured_content is not None
            assert preview.structured_content["status"] == "confirmation_required", preview
            confirm = {**args, **preview.structured_content["confirm_with"]}
            confirmed = await second.call_tool(f"{service}_restart_cluster", confirm)
            again = await second.call_tool(f"{service}_restart_cluster", confirm)
        async with Client(cluster.connect(cluster.url(via)), mode=mode) as balanced:
            shown = await balanced.call_tool(f"{service}_show_cluster", args)
    assert confirmed.structured_content is not None
    assert confirmed.structured_content["status"] in ("accepted", "succeeded"), confirmed
    assert again.structured_content is not None
    # Not sent again: a new preview, or, while the restart still runs, a refusal with nothing to confirm.
    if again.structured_content["status"] != "confirmation_required":
        assert again.is_error, again
        assert "nothing to confirm" in again.content[0].text  # type: ignore[union-attr]
    assert shown.structured_content is not None


async def test_two_confirmations_racing_on_two_replicas_execute_once(cluster: Cluster) -> None:
    with anyio.fail_after(60):
        async with (
            Client(cluster.connect(cluster.replica_url(1))) as first,
            Client(cluster.connect(cluster.replica_url(2))) as second,
        ):
            args: dict[str, Any] = {"cluster_id": await cluster_id(first, "vertica", "finance-vertica")}
            preview = await first.call_tool("vertica_terminate_cluster", args)
            assert preview.structured_content is not None
            confirm = {**args, **preview.structured_content["confirm_with"]}
            answers: list[Any] = []

            async def send(client: Client) -> None:
                answers.append(await client.call_tool("vertica_terminate_cluster", confirm))

            async with anyio.create_task_group() as group:
                for client in (first, second, first, second):
                    group.start_soon(send, client)
    statuses = sorted(a.structured_content["status"] for a in answers)
    assert statuses.count("accepted") + statuses.count("succeeded") == 1, statuses
    assert cluster.scp_requests("DELETE", f"/vertica/v1/clusters/{args['cluster_id']}") != []
    assert len(cluster.scp_requests("DELETE", f"/vertica/v1/clusters/{args['cluster_id']}")) == 1


async def test_audit_entries_from_every_replica_in_one_trail(cluster: Cluster) -> None:
    with anyio.fail_after(60):
        for index in range(3):
            async with Client(cluster.connect(cluster.replica_url(index))) as client:
                args = {"cluster_id": await cluster_id(client, "eventstreams", "orders-kafka"), **WINDOW}
                await client.call_tool("eventstreams_set_maintenance", args)
        audit = await anyio.run_process(
            [cluster.scp_mcp, "audit", "--store", cluster.store_url, "--json", "--since", "1h"],
            env=cluster.replica_env(),
        )
    rows = [json.loads(line) for line in audit.stdout.decode().splitlines()]
    assert len([r for r in rows if r["tool"] == "eventstreams_set_maintenance"]) == 3
    assert {r["tool"] for r in rows} >= {"vertica_terminate_cluster", "searchengine_restart_cluster"}


async def test_a_dialog_answered_through_the_load_balancer_is_honoured_by_any_replica(cluster: Cluster) -> None:
    """2026-07-28: the dialog's answer comes back in a second request, which round robin sends to another
    replica; that replica must accept the first one's request state (here: a decline, so nothing is sent)."""
    asked: list[str] = []

    async def decline(context: Any, params: Any) -> Any:
        from mcp import types

        asked.append(params.message)
        return types.ElicitResult(action="decline")

    with anyio.fail_after(60):
        async with Client(cluster.connect(cluster.url("lb")), mode="auto", elicitation_callback=decline) as client:
            args = {"cluster_id": await cluster_id(client, "eventstreams", "orders-kafka")}
            before = cluster.replica_calls()
            answers = [await client.call_tool("eventstreams_stop_cluster", args) for _ in range(3)]
    assert len(asked) == 3
    assert len(cluster.replica_calls() - before) >= 2  # the question and its answer met different replicas
    for answer in answers:
        assert answer.structured_content is not None, answer
        assert answer.structured_content["status"] == "declined", answer
    assert cluster.scp_requests("POST", f"/eventstreams/v1/clusters/{args['cluster_id']}/stop") == []
