"""Every asynchronous tool, waited on to the end through the catalog's way of following it: Show Request
for the cluster services, the resource's own state elsewhere (a delete ends when the resource is gone)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.server import ServerSettings
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio

ASYNC_OPS = [pytest.param(op, id=op.tool_name) for op in load_catalog().operations if op.async_kind != "sync"]


@pytest.fixture(scope="module")
def patient() -> Stack:
    return make_stack(ServerSettings(max_wait_s=7200, poll_interval_s=30.0))


@pytest.fixture(scope="module")
async def patient_client(patient: Stack) -> AsyncIterator[tuple[Client, dict[str, types.Tool]]]:
    async with Client(patient.server) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        yield client, tools


@pytest.mark.parametrize("op", ASYNC_OPS)
async def test_async_tool_is_followed_to_the_end(
    patient: Stack, patient_client: tuple[Client, dict[str, types.Tool]], op: Operation
) -> None:
    client, tools = patient_client
    patient.sandbox.reset()
    args = {**arguments(tools[op.tool_name].input_schema, hints(patient.sandbox, op)), "wait_seconds": 7200}
    with anyio.fail_after(10):
        result = await client.call_tool(op.tool_name, args)
        assert result.structured_content is not None
        if op.guarded:
            result = await client.call_tool(op.tool_name, {**args, **result.structured_content["confirm_with"]})
    content = result.structured_content
    assert content is not None
    assert content["status"] == "succeeded", content
    work = content["async_request"]
    assert work["done"] is True
    assert work["kind"] == ("request" if op.async_kind == "request" else "resource")
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    assert " finished after " in text.text
    assert str(work["state"]) in text.text
    if work["kind"] == "request":
        assert f"request {work['request_id']} COMPLETED" in text.text
