"""Faults injected in the sandbox, seen through a real MCP client: rate limits honoured within the retry
budget, 5xx bursts retried on reads and never re-sent on writes, lost answers reported as unknown (and
audited so), trickled bodies cut off by the per-attempt timeout, and other calls answered meanwhile.
Time is the injected clock: retry pauses move it; nothing here sleeps."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.store import SqliteStore
from tests.reliability.faulted import Faulted, faulted, over_loopback
from tests.reliability.wire import sent
from tests.support.confirm import confirmed
from tests.support.fleet import hints
from tests.support.schema_args import arguments

pytestmark = pytest.mark.anyio

READ = "vertica_list_clusters"
WRITE = "eventstreams_stop_cluster"  # disruptive: previewed, confirmed, then one POST
DELETE = "dataflow_delete_data_flow"  # destructive: one DELETE


@pytest.fixture(scope="module")
def shared() -> Faulted:
    return faulted()


@pytest.fixture
def stack(shared: Faulted) -> Faulted:
    """The module's server, back to the seeded fleet with no faults, sleeps or audit entries."""
    shared.sandbox.reset()
    shared.server.runtime.reset()
    shared.store = shared.server.runtime.store = SqliteStore(":memory:")
    shared.time.sleeps.clear()
    return shared


async def _args(client: Client, stack: Faulted, tool: str) -> dict[str, Any]:
    listed = {t.name: t for t in (await client.list_tools()).tools}
    return arguments(listed[tool].input_schema, hints(stack.sandbox, load_catalog().by_tool_name(tool)))


def _text(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def _error(result: types.CallToolResult) -> str | None:
    return (result.structured_content or {}).get("error") if result.is_error else None


@pytest.mark.parametrize(("as_date", "seconds"), [(False, 3.0), (True, 7.0)])
async def test_a_429_is_retried_after_the_wait_it_asks_for(stack: Faulted, as_date: bool, seconds: float) -> None:
    stack.sandbox.faults.add(READ, kind="429", times=2, retry_after=seconds, retry_after_date=as_date)
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool(READ, {})
    assert not result.is_error, _text(result)
    assert stack.time.sleeps == [seconds, seconds]
    assert len(sent(stack.sandbox.received, "GET")) == 3


async def test_a_429_asking_for_more_than_the_retry_budget_is_reported_at_once(stack: Faulted) -> None:
    stack.sandbox.faults.add(READ, kind="429", times=None, retry_after=600)
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool(READ, {})
    assert _error(result) == "RateLimited"
    assert "It asked to wait 600 s." in _text(result)
    assert stack.time.sleeps == []
    assert len(sent(stack.sandbox.received, "GET")) == 1


@pytest.mark.parametrize(("status", "burst"), [(500, 1), (503, 3), (502, 2), (504, 1)])
async def test_a_5xx_burst_on_a_read_is_retried_within_the_budget(stack: Faulted, status: int, burst: int) -> None:
    stack.sandbox.faults.add(READ, kind="5xx", status=status, times=burst)
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool(READ, {})
    assert not result.is_error, _text(result)
    assert len(sent(stack.sandbox.received, "GET")) == burst + 1
    assert len(stack.time.sleeps) == burst


async def test_a_5xx_burst_longer_than_the_budget_ends_in_a_server_error(stack: Faulted) -> None:
    stack.sandbox.faults.add(READ, kind="5xx", status=500, times=None)
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool(READ, {})
    assert _error(result) == "ServerError"
    assert "gave up after 4 attempts" in _text(result)
    assert len(sent(stack.sandbox.received, "GET")) == 4


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize(("tool", "method"), [(WRITE, "POST"), (DELETE, "DELETE")])
async def test_a_write_is_never_sent_twice_whatever_5xx_it_gets(
    stack: Faulted, tool: str, method: str, status: int
) -> None:
    async with Client(stack.server) as client:
        args = await _args(client, stack, tool)
        stack.sandbox.faults.add(tool, kind="5xx", status=status, times=None)
        with anyio.fail_after(10):
            result = await confirmed(client, tool, args)
    assert result.is_error
    assert len(sent(stack.sandbox.received, method)) == 1
    assert stack.time.sleeps == []
    if status in (502, 503, 504):  # a gateway's answer: SCP may have acted
        assert _error(result) == "OutcomeUnknown"
        assert "check the resource before retrying" in _text(result)


async def test_a_lost_answer_is_an_unknown_outcome_said_to_the_assistant_and_audited(stack: Faulted) -> None:
    async with Client(stack.server) as client:
        args = await _args(client, stack, WRITE)
        stack.sandbox.faults.add(WRITE, kind="lost")
        with anyio.fail_after(10):
            result = await confirmed(client, WRITE, args)
    assert _error(result) == "OutcomeUnknown"
    assert "Outcome unknown — check the resource before retrying" in _text(result)
    assert len(sent(stack.sandbox.received, "POST")) == 1
    cluster = stack.sandbox.state.get("cluster", args["cluster_id"])
    assert cluster is not None
    assert cluster["service_state"] == "STOPPING"  # the change did happen
    [entry] = [e for e in stack.store.audit_entries() if e.decision == "confirmed"]
    assert (entry.tool, entry.outcome) == (WRITE, "unknown")


async def test_a_lost_answer_to_a_read_is_asked_again(stack: Faulted) -> None:
    stack.sandbox.faults.add(READ, kind="lost")
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool(READ, {})
    assert not result.is_error, _text(result)
    assert len(sent(stack.sandbox.received, "GET")) == 2


async def test_a_trickled_answer_is_cut_off_by_the_per_attempt_timeout_over_loopback() -> None:
    """httpx's read timeout restarts on every byte; the client's per-attempt deadline does not."""
    async with over_loopback(timeout_s=0.3) as stack, Client(stack.server) as client:
        stack.sandbox.faults.add(READ, kind="trickle", times=1, seconds=0.05)
        with anyio.fail_after(20):
            result = await client.call_tool(READ, {})
        assert not result.is_error, _text(result)  # the second attempt is answered at once
        assert len(sent(stack.sandbox.received, "GET")) == 2
        assert list(stack.sandbox.faults.fired) == [(READ, "trickle")]


async def test_a_trickled_answer_to_a_write_is_an_unknown_outcome_sent_once() -> None:
    async with over_loopback(timeout_s=0.3) as stack, Client(stack.server) as client:
        args = await _args(client, stack, WRITE)
        stack.sandbox.faults.add(WRITE, kind="trickle", times=None, seconds=0.05)
        with anyio.fail_after(20):
            result = await confirmed(client, WRITE, args)
        assert _error(result) == "OutcomeUnknown"
        assert "within 0.3 s" in _text(result)  # the per-attempt timeout, not the call's deadline
        assert len(sent(stack.sandbox.received, "POST")) == 1


async def test_other_calls_are_answered_while_one_trickles() -> None:
    stack = faulted(timeout_s=0.3)
    stack.sandbox.faults.add(READ, kind="trickle", times=None, seconds=0.05)
    order: list[str] = []
    async with Client(stack.server) as client:

        async def slow() -> None:
            order.append(f"slow {_error(await client.call_tool(READ, {}))}")

        async def quick() -> None:
            result = await client.call_tool("eventstreams_list_clusters", {})
            order.append(f"quick {_error(result)}")

        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                tg.start_soon(slow)
                await anyio.wait_all_tasks_blocked()
                tg.start_soon(quick)
    assert order == ["quick None", "slow Timeout"]
