"""Confirmation through elicitation, with a client that declares the capability, in both protocol eras:
accept executes, decline and cancel send nothing and say so. Settings choose elicitation, the argument,
or either."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.server import ServerSettings
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio

Answer = Callable[[Any, types.ElicitRequestParams], Awaitable[types.ElicitResult]]


def answering(action: str, content: dict[str, Any] | None, asked: list[str]) -> Answer:
    async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        assert isinstance(params, types.ElicitRequestFormParams)
        asked.append(params.message)
        return types.ElicitResult(action=action, content=content)  # type: ignore[arg-type]

    return on_elicit


@pytest.fixture(scope="module")
def elicit_only() -> Stack:
    return make_stack(ServerSettings(confirmation="elicit"))


@pytest.fixture(scope="module")
def argument_only() -> Stack:
    return make_stack(ServerSettings(confirmation="argument"))


async def _terminate(stack: Stack, mode: str, callback: Answer | None) -> tuple[types.CallToolResult, list[str]]:
    cluster = stack.sandbox.find_cluster("orders-kafka", "eventstreams")
    assert cluster is not None
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        async with Client(stack.server, mode=mode, elicitation_callback=callback) as client:
            result = await client.call_tool("eventstreams_terminate_cluster", {"cluster_id": cluster["id"]})
    writes = [f"{r.method} {r.path}" for r in stack.sandbox.received[before:] if r.method != "GET"]
    return result, writes


async def test_accept_executes(stack: Stack, mode: str) -> None:
    asked: list[str] = []
    result, writes = await _terminate(stack, mode, answering("accept", {"confirm": True}, asked))
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["status"] == "accepted"
    assert len(writes) == 1
    assert writes[0].startswith("DELETE /eventstreams/v1/clusters/")
    assert len(asked) == 1
    assert "orders-kafka" in asked[0]
    assert "state RUNNING" in asked[0]
    assert "destructive" in asked[0]


@pytest.mark.parametrize(
    ("action", "content", "said"),
    [("decline", None, "declined"), ("cancel", None, "cancelled"), ("accept", {"confirm": False}, "declined")],
)
async def test_decline_or_cancel_sends_nothing(
    stack: Stack, mode: str, action: str, content: dict[str, Any] | None, said: str
) -> None:
    asked: list[str] = []
    result, writes = await _terminate(stack, mode, answering(action, content, asked))
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["status"] == "declined"
    assert said in result.structured_content["reason"]
    assert "nothing was sent" in result.content[0].text  # type: ignore[union-attr]
    assert writes == []
    assert len(asked) == 1


async def test_without_the_capability_the_argument_round_trip_is_used(stack: Stack, mode: str) -> None:
    result, writes = await _terminate(stack, mode, None)
    assert result.structured_content is not None
    assert result.structured_content["status"] == "confirmation_required"
    assert writes == []


async def test_elicit_only_refuses_clients_that_cannot_ask(elicit_only: Stack, mode: str) -> None:
    elicit_only.sandbox.reset()
    result, writes = await _terminate(elicit_only, mode, None)
    assert result.is_error
    assert "elicitation dialog" in result.content[0].text  # type: ignore[union-attr]
    assert writes == []
    asked: list[str] = []
    accepted, writes = await _terminate(elicit_only, mode, answering("accept", {"confirm": True}, asked))
    assert not accepted.is_error
    assert len(writes) == 1


async def test_elicit_only_tools_have_no_confirm_argument(elicit_only: Stack) -> None:
    async with Client(elicit_only.server) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "confirm" not in tools["eventstreams_terminate_cluster"].input_schema["properties"]


async def test_argument_only_never_asks(argument_only: Stack, mode: str) -> None:
    argument_only.sandbox.reset()
    asked: list[str] = []
    result, writes = await _terminate(argument_only, mode, answering("accept", {"confirm": True}, asked))
    assert result.structured_content is not None
    assert result.structured_content["status"] == "confirmation_required"
    assert asked == []
    assert writes == []
