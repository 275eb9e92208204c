"""Elicitation holds the same binding as the argument round trip: the dialog names the exact request,
the tool body executes only the request the resolver previewed, and an answer carried in request_state
(>= 2026-07-28) runs the request once, however often it is replayed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from mcp import Client, types
from mcp.server.elicitation import AcceptedElicitation

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.guard import Confirmation, elicitation_message, make_preview, request_digest
from scp_mcp.tools.pipeline import remember_elicited, run_tool
from scp_mcp.tools.prepare import prepare
from scp_mcp.tools.surface import build_spec
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio
REMOVE = "vertica_remove_backup_histories"


def _accept() -> AcceptedElicitation[Confirmation]:
    return AcceptedElicitation(data=Confirmation(confirm=True))


def _ctx(request_state: str | None, session: object | None = None) -> Any:
    return SimpleNamespace(session=session or object(), request_id=7, request_state=request_state)


def _histories(stack: Stack) -> tuple[str, list[str]]:
    cluster = stack.sandbox.find_cluster("finance-vertica", "vertica")
    assert cluster is not None
    return cluster["id"], [h["backup_history_number"] for h in cluster["_backup_histories"]]


async def test_the_dialog_names_the_exact_request(stack: Stack) -> None:
    runtime = stack.server.runtime
    spec = build_spec(load_catalog().by_tool_name(REMOVE))
    cluster_id, numbers = _histories(stack)
    one = prepare(spec, runtime, {"cluster_id": cluster_id, "backup_history_number": numbers[:1]})
    three = prepare(spec, runtime, {"cluster_id": cluster_id, "backup_history_number": numbers})
    preview = make_preview(spec, one, None)
    texts = {elicitation_message(spec, preview, request_digest(spec, call, runtime)) for call in (one, three)}
    assert len(texts) == 2  # an answer to one is never taken for the other (the SDK re-asks)


async def test_the_body_executes_only_what_the_resolver_previewed(stack: Stack) -> None:
    runtime = stack.server.runtime
    spec = build_spec(load_catalog().by_tool_name(REMOVE))
    cluster_id, numbers = _histories(stack)
    one = {"cluster_id": cluster_id, "backup_history_number": numbers[:1]}
    ctx = _ctx(None)
    remember_elicited(runtime, ctx, request_digest(spec, prepare(spec, runtime, one), runtime), None)
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await run_tool(spec, runtime, ctx, {**one, "backup_history_number": numbers}, _accept())
    assert result.is_error
    assert "did not show this exact request" in result.content[0].text  # type: ignore[union-attr]
    with anyio.fail_after(5):
        unasked = await run_tool(spec, runtime, _ctx(None), one, _accept())  # no dialog was shown at all
    assert unasked.is_error
    assert [r.method for r in stack.sandbox.received[before:]] == []


async def test_a_replayed_answer_runs_the_request_once(stack: Stack) -> None:
    runtime = stack.server.runtime
    spec = build_spec(load_catalog().by_tool_name(REMOVE))
    cluster_id, numbers = _histories(stack)
    args = {"cluster_id": cluster_id, "backup_history_number": numbers[:1]}
    digest = request_digest(spec, prepare(spec, runtime, args), runtime)
    results = []
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        for _ in range(2):
            ctx = _ctx("the-same-request-state")
            remember_elicited(runtime, ctx, digest, None)
            results.append(await run_tool(spec, runtime, ctx, args, _accept()))
    assert not results[0].is_error
    assert results[1].is_error
    assert "already used" in results[1].content[0].text  # type: ignore[union-attr]
    assert [r.method for r in stack.sandbox.received[before:] if r.method != "GET"] == ["PUT"]


async def test_the_dialog_shows_the_request_reference(stack: Stack, mode: str) -> None:
    asked: list[str] = []

    async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": True})

    cluster_id, numbers = _histories(stack)
    with anyio.fail_after(10):
        async with Client(stack.server, mode=mode, elicitation_callback=accept) as client:
            result = await client.call_tool(REMOVE, {"cluster_id": cluster_id, "backup_history_number": numbers[:1]})
    assert not result.is_error, result
    assert len(asked) == 1
    assert "(request " in asked[0]
    assert "finance-vertica" in asked[0]
    cluster = stack.sandbox.find_cluster("finance-vertica", "vertica")
    assert cluster is not None
    assert len(cluster["_backup_histories"]) == 2
