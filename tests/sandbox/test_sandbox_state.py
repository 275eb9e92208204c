"""Seeding, reset, persistence, the received log and the clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.sandbox.profiles import DBAAS

pytestmark = pytest.mark.anyio

FLEET = {
    ("cluster", "orders-kafka"): "RUNNING",
    ("cluster", "legacy-kafka"): "STOPPED",
    ("cluster", "search-logs"): "ERROR",
    ("cluster", "search-products"): "RUNNING",
    ("cluster", "analytics-vertica"): "RUNNING",
    ("cluster", "finance-vertica"): "RUNNING",
    ("data_flow", "orders-nifi"): "RUNNING",
    ("data_flow", "ingest-nifi"): "CREATING",
    ("data_ops", "etl-airflow"): "RUNNING",
    ("data_ops", "reports-airflow"): "ERROR",
    ("quick_query", "sales-trino"): "RUNNING",
}


def test_seeded_fleet_is_documented_and_deterministic() -> None:
    one, two, other = Sandbox(clock=SandboxClock.manual()), Sandbox(clock=SandboxClock.manual()), Sandbox(seed=1)
    for (kind, name), state in FLEET.items():
        record = one.find(kind, name)
        assert record is not None, name
        assert state in (record.get("service_state"), record.get("state"), record.get("quick_query_state"))
        assert one.store.dump()["tables"][kind] == two.store.dump()["tables"][kind]
    assert one.find_cluster("orders-kafka")["id"] != other.find_cluster("orders-kafka")["id"]  # type: ignore[index]
    readme = (Path(__file__).parents[2] / "scp_mcp" / "sandbox" / "README.md").read_text()
    assert all(name in readme for _, name in FLEET)


async def test_reset_restores_the_fleet_and_forgets_requests(scp: Any, sandbox: Sandbox) -> None:
    cluster = sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    await scp.ok("eventstreams", "POST", f"/v1/clusters/{cluster['id']}/stop")
    assert len(sandbox.received) == 1
    sandbox.faults.add("*", kind="429")
    sandbox.reset()
    assert sandbox.find_cluster("orders-kafka")["service_state"] == "RUNNING"  # type: ignore[index]
    assert list(sandbox.received) == []
    assert sandbox.received.total == 0
    assert (await scp.call("eventstreams", "GET", "/v1/clusters")).status_code == 200


async def test_received_records_what_arrived_without_the_signature(scp: Any, sandbox: Sandbox) -> None:
    await scp.call("vertica", "GET", "/v1/clusters", query={"name": "fin"})
    [seen] = sandbox.received
    assert (seen.method, seen.path, seen.query, seen.operation) == (
        "GET",
        "/vertica/v1/clusters",
        "name=fin",
        "vertica_list_clusters",
    )
    assert "scp-signature" not in seen.headers
    assert seen.headers["scp-clienttype"] == "Openapi"


async def test_state_file_keeps_changes_across_restarts(tmp_path: Path, make_scp: Any) -> None:
    import httpx

    state = tmp_path / "sandbox.json"
    first = Sandbox(clock=SandboxClock.manual(), state_file=state)
    cluster = first.find_cluster("legacy-kafka")
    assert cluster is not None
    async with httpx.AsyncClient(transport=first.transport()) as http:
        await make_scp(http).ok("eventstreams", "POST", f"/v1/clusters/{cluster['id']}/start")
    second = Sandbox(clock=SandboxClock.manual(), state_file=state)
    assert second.find_cluster("legacy-kafka")["service_state"] == "STARTING"  # type: ignore[index]
    second.advance(DBAAS["eventstreams"].durations["start"])
    assert second.find_cluster("legacy-kafka")["service_state"] == "RUNNING"  # type: ignore[index]


def test_clock_speed_and_manual_mode() -> None:
    ticks = iter([100.0, 101.0])
    fast = SandboxClock(start=0.0, speed=60.0, monotonic=lambda: next(ticks))
    assert fast.now() == 60.0
    manual = SandboxClock.manual(start=10.0)
    assert manual.now() == 10.0
    manual.advance(5)
    assert manual.now() == 15.0
    with pytest.raises(ValueError, match="forward"):
        manual.advance(-1)


async def test_two_sandboxes_with_one_seed_give_the_same_state_and_the_same_new_ids(make_scp: Any) -> None:
    import httpx

    async def run() -> tuple[dict[str, Any], list[Any]]:
        box = Sandbox(clock=SandboxClock.manual())
        cluster = box.find_cluster("orders-kafka")
        assert cluster is not None
        async with httpx.AsyncClient(transport=box.transport()) as http:
            scp = make_scp(http)
            stopped = await scp.ok("eventstreams", "POST", f"/v1/clusters/{cluster['id']}/stop")
            query = await scp.ok("quick-query", "GET", "/v1/quick-query", query={"page": 0, "size": 5})
        return box.store.dump(), [stopped, query]

    (state_a, answers_a), (state_b, answers_b) = await run(), await run()
    assert state_a == state_b
    assert answers_a == answers_b
    assert answers_a[0]["request_id"].startswith("req-")


def test_reset_gives_back_exactly_the_seeded_state() -> None:
    fresh = Sandbox(clock=SandboxClock.manual())
    used = Sandbox(clock=SandboxClock.manual())
    cluster = used.find_cluster("orders-kafka")
    assert cluster is not None
    used.store.new_hex("something")
    cluster["service_state"] = "ERROR"
    used.reset()
    assert used.store.dump() == fresh.store.dump()


def test_state_file_round_trip_is_exact(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.json"
    first = Sandbox(clock=SandboxClock.manual(), state_file=state)
    first.store.new_uuid("x")
    first.save()
    second = Sandbox(clock=SandboxClock.manual(), state_file=state)
    assert second.store.dump() == first.store.dump()
    assert second.clock.now() >= first.clock.now()


async def test_a_loaded_state_file_carries_on_the_simulated_timeline(tmp_path: Path, make_scp: Any) -> None:
    import httpx

    from scp_mcp.sandbox import sample_body
    from scp_mcp.sandbox.handlers.cluster_records import engine_id

    state, create = tmp_path / "sandbox.json", DBAAS["eventstreams"].durations["create"]
    first = Sandbox(clock=SandboxClock.manual(), state_file=state)
    op = next(o for o in first.catalog.services["eventstreams"].operations if o.name == "Create Cluster")
    engine = engine_id("eventstreams", DBAAS["eventstreams"].engines[0])
    hints = {"dbaas_engine_version_id": engine, "server_type_name": "db1v2m4"}
    body = sample_body("eventstreams", op.current.body_model or "", hints={**hints, "name": "carryOn"})
    async with httpx.AsyncClient(transport=first.transport()) as http:
        await make_scp(http).ok("eventstreams", "POST", "/v1/clusters", body=body)
    first.advance(create - 100)  # most of the create passes in the first process
    assert first.find_cluster("carryOn")["service_state"] == "CREATING"  # type: ignore[index]

    second = Sandbox(clock=SandboxClock.manual(), state_file=state)  # a fresh clock, at the epoch
    assert second.clock.now() == first.clock.now()
    assert second.find_cluster("carryOn")["service_state"] == "CREATING"  # type: ignore[index]
    second.advance(100)
    assert second.find_cluster("carryOn")["service_state"] == "RUNNING"  # type: ignore[index]


def test_a_missing_state_file_starts_from_the_fleet_and_is_written(tmp_path: Path) -> None:
    state = tmp_path / "new" / "sandbox.json"
    box = Sandbox(clock=SandboxClock.manual(), state_file=state)
    assert box.find_cluster("orders-kafka") is not None
    assert state.exists()
    assert Sandbox(clock=SandboxClock.manual(), state_file=state).store.dump() == box.store.dump()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"counter": 0, "tables": {}}', "'seed' must be an integer"),
        ('{"seed": 0, "counter": "x", "tables": {}}', "'counter' must be an integer"),
        ('{"seed": 0, "counter": 0}', "'tables' must be an object"),
        ('{"seed": 0, "counter": 0, "tables": {"cluster": []}}', "table 'cluster' must map keys to record objects"),
        ('{"seed": 0, "counter": 0, "tables": {}, "saved_at": "noon"}', "'saved_at' must be a number"),
    ],
)
def test_a_corrupt_state_file_raises_one_error_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    from scp_mcp.sandbox import SandboxStateError

    state = tmp_path / "sandbox.json"
    state.write_text(text, encoding="utf-8")
    with pytest.raises(SandboxStateError) as caught:
        Sandbox(clock=SandboxClock.manual(), state_file=state)
    assert str(state) in str(caught.value)
    assert problem in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert state.read_text(encoding="utf-8") == text  # never overwritten


async def test_the_received_log_keeps_only_the_last_requests(make_scp: Any) -> None:
    import httpx

    box = Sandbox(clock=SandboxClock.manual(), keep_requests=3)
    async with httpx.AsyncClient(transport=box.transport()) as http:
        scp = make_scp(http)
        for size in range(1, 6):
            await scp.ok("vertica", "GET", "/v1/clusters", query={"size": size})
        missing = await scp.call("vertica", "GET", "/v1/clusters/nope")
    assert (len(box.received), box.received.total) == (3, 6)
    assert [r.query for r in box.received] == ["size=4", "size=5", ""]
    assert [r.operation for r in box.received[-2:]] == ["vertica_list_clusters", "vertica_show_cluster"]
    assert missing.json()["errors"][0]["global_request_id"].startswith("req-")


def test_the_received_log_is_bounded_by_default() -> None:
    from scp_mcp.sandbox import ReceivedRequest
    from scp_mcp.sandbox.received import DEFAULT_LIMIT, RequestLog

    log = RequestLog()
    for n in range(DEFAULT_LIMIT + 5):
        log.append(ReceivedRequest("GET", f"/{n}", "", {}, None))
    assert DEFAULT_LIMIT == 1000
    assert (len(log), log.total) == (1000, 1005)
    assert (log[0].path, log[-1].path, len(log[10:])) == ("/5", "/1004", 990)
    with pytest.raises(ValueError, match="at least one"):
        RequestLog(0)
