"""The durable ledger through a real MCP client: every 202 recorded before any wait, a cancelled wait leaves
the work known, entries refreshed from SCP on read, filters, scoping by caller, a bound, concurrent
starts, and the operations_* tools (waiting with progress). Time moves only through the sandbox's clock."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server.auth.middleware.auth_context import auth_context_var
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings, build_server, sandbox_backend
from scp_mcp.store import SqliteStore
from scp_mcp.tools.callers import LOCAL
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio


def cluster_id(stack: Stack, name: str, service: str) -> str:
    cluster = stack.sandbox.find_cluster(name, service)
    assert cluster is not None
    return str(cluster["id"])


async def call(client: Client, tool: str, args: dict[str, Any], *, error: bool = False) -> dict[str, Any]:
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args)
    assert result.is_error is error, result.content
    assert result.structured_content is not None
    return dict(result.structured_content)


async def text_of(client: Client, tool: str, args: dict[str, Any]) -> str:
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    return result.content[0].text  # type: ignore[union-attr]


async def start_kafka(stack: Stack, client: Client, **extra: Any) -> str:
    """Start the seeded stopped Kafka cluster; the request id SCP gave."""
    args = {"cluster_id": cluster_id(stack, "legacy-kafka", "eventstreams"), **extra}
    content = await call(client, "eventstreams_start_cluster", args)
    return str(content["async_request"]["request_id"])


async def sync_state(stack: Stack, client: Client, name: str, service: str) -> str:
    args = {"cluster_id": cluster_id(stack, name, service)}
    content = await call(client, f"{service}_synchronize_cluster_state", args)
    return str(content["async_request"]["request_id"])


async def test_a_202_is_recorded_before_the_wait_starts(stack: Stack, client: Client) -> None:
    seen_during_wait: list[list[tuple[str, str]]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        entries = stack.server.runtime.store.operations(LOCAL)
        seen_during_wait.append([(e.tool, e.status) for e in entries])

    args = {"cluster_id": cluster_id(stack, "legacy-kafka", "eventstreams"), "wait_seconds": 900}
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_start_cluster", args, progress_callback=on_progress)
    assert result.structured_content is not None
    assert result.structured_content["status"] == "succeeded"
    assert seen_during_wait[0] == [("eventstreams_start_cluster", "in_progress")]
    [entry] = stack.server.runtime.store.operations(LOCAL)
    assert (entry.status, entry.state, entry.target_id) == ("completed", "COMPLETED", args["cluster_id"])
    assert entry.arguments == {"cluster_id": args["cluster_id"]}
    assert entry.finished_at is not None


async def test_a_cancelled_wait_leaves_the_operation_known_and_pending() -> None:
    """A client that goes away cancels the wait; the work stays in the ledger, still in progress."""
    stack = make_stack()
    never = anyio.Event()

    async def stuck(seconds: float) -> None:  # the wait never ends by itself: only the cancel ends it
        await never.wait()

    stack.server.runtime.sleep = stuck
    args = {"cluster_id": cluster_id(stack, "legacy-kafka", "eventstreams"), "wait_seconds": 900}
    async with Client(stack.server) as client:
        with anyio.fail_after(10), anyio.CancelScope() as scope:

            async def on_progress(progress: float, total: float | None, message: str | None) -> None:
                scope.cancel()  # the client gives up as soon as the wait is under way

            await client.call_tool("eventstreams_start_cluster", args, progress_callback=on_progress)
        assert scope.cancelled_caught
        listed = await call(client, "operations_list", {"status": "in_progress"})
    [operation] = listed["operations"]
    assert operation["tool"] == "eventstreams_start_cluster"
    assert operation["target_id"] == args["cluster_id"]
    assert operation["next_call"] == f"operations_wait(request_id={operation['request_id']!r})"


async def test_work_nobody_waited_on_is_completed_when_read(stack: Stack, client: Client) -> None:
    request_id = await start_kafka(stack, client)
    first = await call(client, "operations_get", {"request_id": request_id})
    assert first["operation"]["status"] == "in_progress"
    stack.sandbox.advance(900)  # SCP finishes it meanwhile; nobody is waiting
    text = await text_of(client, "operations_get", {"request_id": request_id})
    assert text.startswith("eventstreams_start_cluster on cluster ")
    assert ": COMPLETED, request " in text
    again = await call(client, "operations_get", {"request_id": request_id})
    assert again["operation"]["status"] == "completed"
    assert again["operation"]["finished_at"] is not None
    stored = stack.server.runtime.store.operation(LOCAL, request_id)
    assert stored is not None
    assert stored.status == "completed"  # the refresh is written back, for every later reader


async def test_a_refresh_that_sees_no_change_writes_nothing(stack: Stack, client: Client) -> None:
    """updated_at is when the entry last changed: polls of unchanged work leave the row alone."""
    request_id = await start_kafka(stack, client)
    await call(client, "operations_get", {"request_id": request_id})
    seen = stack.server.runtime.store.operation(LOCAL, request_id)
    assert seen is not None
    assert seen.status == "in_progress"
    stack.sandbox.advance(5)  # time passes, the work goes on
    for _ in range(3):
        await call(client, "operations_get", {"request_id": request_id})
    assert stack.server.runtime.store.operation(LOCAL, request_id) == seen
    stack.sandbox.advance(900)
    await call(client, "operations_get", {"request_id": request_id})
    done = stack.server.runtime.store.operation(LOCAL, request_id)
    assert done is not None
    assert done.status == "completed"
    assert done.updated_at > seen.updated_at


async def test_a_failed_refresh_says_so_without_failing_the_read(stack: Stack, client: Client) -> None:
    request_id = await start_kafka(stack, client)
    stack.sandbox.faults.add("eventstreams_show_request", kind="5xx", status=503, times=None)
    content = await call(client, "operations_list", {})
    [operation] = content["operations"]
    assert operation["status"] == "in_progress"
    assert operation["request_id"] == request_id
    assert "could not check it" in operation["refresh_error"]


async def test_lists_filter_by_status_service_and_resource(stack: Stack, client: Client) -> None:
    kafka = await start_kafka(stack, client, wait_seconds=900)  # completed
    search = await sync_state(stack, client, "search-products", "searchengine")  # still running
    listed = await call(client, "operations_list", {})
    assert [o["request_id"] for o in listed["operations"]] == [search, kafka]  # newest first
    running = await call(client, "operations_list", {"status": "in_progress"})
    assert [o["request_id"] for o in running["operations"]] == [search]
    done = await call(client, "operations_list", {"status": "completed"})
    assert [o["request_id"] for o in done["operations"]] == [kafka]
    by_service = await call(client, "operations_list", {"service": "searchengine"})
    assert [o["request_id"] for o in by_service["operations"]] == [search]
    by_id = await call(client, "operations_list", {"resource": cluster_id(stack, "legacy-kafka", "eventstreams")})
    assert [o["request_id"] for o in by_id["operations"]] == [kafka]
    newest = await call(client, "operations_list", {"limit": 1})
    assert [o["request_id"] for o in newest["operations"]] == [search]
    text = await text_of(client, "operations_list", {"status": "in_progress"})
    assert text.splitlines()[0] == "1 operation(s) in_progress, newest first (1 in progress):"
    wrong = await call(client, "operations_list", {"service": "kafka-ish"}, error=True)
    assert wrong["status"] == "error"


async def test_a_finished_operation_points_to_the_resource(stack: Stack, client: Client) -> None:
    kafka_id = cluster_id(stack, "legacy-kafka", "eventstreams")
    request_id = await start_kafka(stack, client, wait_seconds=900)
    content = await call(client, "operations_get", {"request_id": request_id})
    assert content["operation"]["next_call"] == f"eventstreams_show_cluster(cluster_id={kafka_id!r})"


async def test_operations_wait_waits_with_progress_and_says_how_it_ended(stack: Stack, client: Client) -> None:
    request_id = await start_kafka(stack, client)
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    with anyio.fail_after(10):
        result = await client.call_tool(
            "operations_wait", {"request_id": request_id, "wait_seconds": 900}, progress_callback=on_progress
        )
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["operation"]["status"] == "completed"
    assert 0 < result.structured_content["waited_s"] <= 900
    assert len(progress) >= 2
    assert progress == sorted(progress)
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith("eventstreams_start_cluster on cluster 'legacy-kafka'")
    assert " completed (COMPLETED), finished " in text


async def test_operations_wait_is_bounded(stack: Stack, client: Client) -> None:
    request_id = await start_kafka(stack, client)
    content = await call(client, "operations_wait", {"request_id": request_id, "wait_seconds": 1})
    assert content["operation"]["status"] == "in_progress"
    assert content["waited_s"] <= 1.0


async def test_an_unknown_request_id_is_an_error_that_says_what_to_call(stack: Stack, client: Client) -> None:
    with anyio.fail_after(10):
        result = await client.call_tool("operations_get", {"request_id": "no-such-request"})
    assert result.is_error
    assert "operations_list" in result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("operations_get", {"request_id": "r" * 256}),  # the longest the schema takes: unknown, echoed cut short
        ("operations_list", {"service": "s" * 2000}),  # over the bound: refused by the schema, not echoed
        ("operations_wait", {"request_id": "r" * 2000, "wait_seconds": 1}),
    ],
)
async def test_a_long_value_is_never_echoed_whole(client: Client, tool: str, args: dict[str, Any]) -> None:
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args)
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert len(text) < 400, text
    assert "s" * 80 not in text
    assert "r" * 80 not in text


async def test_each_caller_sees_only_its_own_work() -> None:
    stack = make_stack()
    who = ["alice"]
    stack.server.runtime.principal = lambda: who[0]
    async with Client(stack.server) as client:
        request_id = await start_kafka(stack, client)
        who[0] = "bob"
        assert (await call(client, "operations_list", {}))["operations"] == []
        hidden = await call(client, "operations_get", {"request_id": request_id}, error=True)
        assert hidden["status"] == "not_found"
        bobs = await sync_state(stack, client, "search-products", "searchengine")
        assert [o["request_id"] for o in (await call(client, "operations_list", {}))["operations"]] == [bobs]
        who[0] = "alice"
        listed = await call(client, "operations_list", {})
    assert [o["request_id"] for o in listed["operations"]] == [request_id]


async def test_the_ledger_is_bounded_oldest_finished_first() -> None:
    stack = make_stack(store=SqliteStore(":memory:", operations_limit=2))
    async with Client(stack.server) as client:
        finished = await start_kafka(stack, client, wait_seconds=900)
        search = await sync_state(stack, client, "search-products", "searchengine")
        kafka = await sync_state(stack, client, "orders-kafka", "eventstreams")
        listed = await call(client, "operations_list", {"limit": 50})
    assert finished not in [o["request_id"] for o in listed["operations"]]
    assert [o["request_id"] for o in listed["operations"]] == [kafka, search]


async def test_concurrent_starts_are_all_recorded(stack: Stack, client: Client) -> None:
    targets = [
        ("orders-kafka", "eventstreams"),
        ("legacy-kafka", "eventstreams"),
        ("search-products", "searchengine"),
        ("search-logs", "searchengine"),
    ]
    started: list[str] = []

    async def one(name: str, service: str) -> None:
        started.append(await sync_state(stack, client, name, service))

    async with anyio.create_task_group() as tg:
        for name, service in targets:
            tg.start_soon(one, name, service)
    listed = await call(client, "operations_list", {"limit": 50})
    assert sorted(o["request_id"] for o in listed["operations"]) == sorted(started)
    assert len(set(started)) == len(targets)


async def test_work_survives_a_server_restart_and_is_finished_by_the_new_server(tmp_path: Any) -> None:
    """A server on a state dir starts work; a new server on the same state dir (and the same sandbox
    state file) sees it still running, and follows it to the end."""
    from scp_mcp.sandbox import Sandbox, SandboxClock

    def server_on_state_dir() -> Stack:
        sandbox = Sandbox(clock=SandboxClock.manual(), state_file=tmp_path / "sandbox.json")

        async def sleep(seconds: float) -> None:
            sandbox.advance(seconds)

        settings = ServerSettings(state_dir=tmp_path / "state")
        server = build_server(settings, sandbox_backend(sandbox, sleep=sleep), clock=sandbox.clock.now, sleep=sleep)
        return Stack(sandbox, server)

    first = server_on_state_dir()
    async with Client(first.server) as client:
        request_id = await start_kafka(first, client)
    first.server.runtime.store.close()

    second = server_on_state_dir()
    async with Client(second.server) as client:
        listed = await call(client, "operations_list", {"status": "in_progress"})
        assert [o["request_id"] for o in listed["operations"]] == [request_id]
        waited = await call(client, "operations_wait", {"request_id": request_id, "wait_seconds": 900})
    assert waited["operation"]["status"] == "completed"
    cluster = second.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    assert cluster["service_state"] == "RUNNING"


async def test_the_http_principal_scopes_the_ledger() -> None:
    """Through the SDK's own auth context (what the HTTP transport sets per request): a client
    authenticated as alice and one as bob each see only their own work."""
    stack = make_stack()

    async def as_principal(client_id: str, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        token = AccessToken(token=f"token-{client_id}", client_id=client_id, scopes=[])
        auth_context_var.set(AuthenticatedUser(token))  # this task's context only: the test's is untouched
        async with Client(stack.server) as client:
            return await call(client, tool, args)

    async def run(client_id: str, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        out: list[dict[str, Any]] = []

        async def task() -> None:
            out.append(await as_principal(client_id, tool, args))

        async with anyio.create_task_group() as tg:
            tg.start_soon(task)
        return out[0]

    kafka = {"cluster_id": cluster_id(stack, "legacy-kafka", "eventstreams")}
    started = await run("alice", "eventstreams_start_cluster", kafka)
    request_id = started["async_request"]["request_id"]
    alices = await run("alice", "operations_list", {})
    bobs = await run("bob", "operations_list", {})
    assert [o["request_id"] for o in alices["operations"]] == [request_id]
    assert bobs["operations"] == []
    assert [e.key for e in stack.server.runtime.store.operations("alice")] == [request_id]
    assert stack.server.runtime.store.operations(LOCAL) == []


async def test_a_store_that_fails_does_not_hide_accepted_work() -> None:
    """SCP accepted the work: a ledger that cannot write is a warning, and the request id still reaches
    the assistant."""
    broken = SqliteStore(":memory:")
    broken.close()  # every write now fails, as a store on a lost disk would
    stack = make_stack(store=broken)
    async with Client(stack.server) as client:
        content = await call(
            client, "eventstreams_start_cluster", {"cluster_id": cluster_id(stack, "legacy-kafka", "eventstreams")}
        )
    assert content["status"] == "accepted"
    assert content["async_request"]["request_id"]
    assert any(w.startswith("Not recorded in the ledger (ProgrammingError)") for w in content["warnings"])


async def test_a_lost_answer_is_recorded_as_unknown_and_read_from_the_resources_state(
    stack: Stack, client: Client
) -> None:
    kafka = cluster_id(stack, "legacy-kafka", "eventstreams")
    stack.sandbox.faults.add("eventstreams_start_cluster", kind="lost")
    failed = await call(client, "eventstreams_start_cluster", {"cluster_id": kafka}, error=True)
    assert failed["error"] == "OutcomeUnknown"
    [stored] = stack.server.runtime.store.operations(LOCAL, target=kafka)
    assert (stored.status, stored.follow, stored.request_id) == ("unknown", "resource", None)
    stack.sandbox.advance(900)  # the start did reach SCP, and finished; only its answer was lost
    content = await call(client, "operations_get", {"request_id": stored.key})
    assert content["operation"]["status"] == "completed"
    assert content["operation"]["state"] == "RUNNING"
    assert content["operation"]["target_name"] == "legacy-kafka"


async def test_a_create_whose_answer_is_lost_is_found_by_its_name(stack: Stack, client: Client) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    op = load_catalog().by_tool_name("eventstreams_create_cluster")
    args = arguments(tools[op.tool_name].input_schema, hints(stack.sandbox, op))
    stack.sandbox.faults.add(op.tool_name, kind="lost")
    await call(client, op.tool_name, args, error=True)
    [stored] = [e for e in stack.server.runtime.store.operations(LOCAL) if e.tool == op.tool_name]
    assert (stored.status, stored.target_id) == ("unknown", None)
    assert stored.target_name is not None
    stack.sandbox.advance(3600)
    content = await call(client, "operations_get", {"request_id": stored.key})
    created = stack.sandbox.find_cluster(stored.target_name, "eventstreams")
    assert created is not None
    assert content["operation"]["status"] == "completed"
    assert content["operation"]["target_id"] == created["id"]
