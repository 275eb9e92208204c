"""Everything kept in memory per request or per call has a limit: the sandbox's request log, its
fired-fault records and its finished asynchronous requests, and the server's elicitation previews."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.sandbox.faults import FIRED_LIMIT
from scp_mcp.sandbox.store import REQUESTS_KEPT
from scp_mcp.tools.pipeline import remember_elicited
from tests.support.stack import make_stack

pytestmark = pytest.mark.anyio


async def test_the_request_log_keeps_only_its_limit() -> None:
    sandbox = Sandbox(clock=SandboxClock.manual(), keep_requests=25)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox.local") as http:
        for n in range(100):
            await http.get(f"/vertica/v1/clusters/{n}")  # unsigned: refused, but received and logged
    assert len(sandbox.received) == 25
    assert sandbox.received.total == 100
    assert sandbox.received[0].path == "/vertica/v1/clusters/75"  # the oldest kept is the 76th


async def test_fired_faults_are_remembered_up_to_their_limit() -> None:
    sandbox = Sandbox(clock=SandboxClock.manual())
    op = sandbox.catalog.by_tool_name("vertica_list_clusters")
    sandbox.faults.add("*", kind="5xx", times=None)
    for _ in range(FIRED_LIMIT + 500):
        sandbox.faults.pick(op)
    assert len(sandbox.faults.fired) == FIRED_LIMIT


def test_finished_asynchronous_requests_are_kept_up_to_their_limit_and_pending_ones_always() -> None:
    sandbox = Sandbox(clock=SandboxClock.manual())
    store = sandbox.store
    pending: dict[str, Any] = {"state": "PROCESSING", "_due": [[1e12, {"state": "COMPLETED"}]]}
    store.add("request", "pending", pending)
    for n in range(REQUESTS_KEPT * 3):
        store.add("request", f"done-{n}", {"state": "COMPLETED"})
    table = store.table("request")
    assert len(table) == REQUESTS_KEPT
    assert table["pending"] is pending
    assert f"done-{REQUESTS_KEPT * 3 - 1}" in table


def test_elicitation_previews_are_remembered_up_to_their_limit() -> None:
    runtime = make_stack().server.runtime
    session = object()
    for n in range(3000):
        remember_elicited(runtime, SimpleNamespace(session=session, request_id=n), f"digest-{n}", None)  # type: ignore[arg-type]
    assert len(runtime.elicited) <= 1000
    assert f"{id(session)}:2999" in runtime.elicited
