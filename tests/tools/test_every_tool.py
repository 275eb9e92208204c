"""All 116 tools through a real MCP client, in both protocol eras, against the sandbox.

Arguments come from each tool's own inputSchema (ids of seeded things as hints). Every call succeeds;
every guarded tool goes through the confirmation round trip, and the sandbox must have received
nothing but reads before the confirmed call.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import Operation, load_catalog
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio

OPS = [pytest.param(op, id=op.tool_name) for op in load_catalog().operations]


async def _looked_up(client: Client, op: Operation, schema: dict[str, Any]) -> dict[str, Any]:
    """Ids only the API can give: a parameter group to list parameters of."""
    if "dbaas_parameter_group_id" not in schema.get("required", []):
        return {}
    prefix = op.tool_name.split("_")[0]
    groups = await client.call_tool(f"{prefix}_list_parameter_groups", {})
    assert groups.structured_content is not None
    return {"dbaas_parameter_group_id": groups.structured_content["data"]["contents"][0]["id"]}


def _check_result(result: types.CallToolResult, op: Operation) -> dict[str, Any]:
    text = result.content[0].text if result.content and isinstance(result.content[0], types.TextContent) else ""
    assert not result.is_error, text
    assert text
    assert "Traceback" not in text
    content = result.structured_content
    assert content is not None
    assert content["backend"] == "sandbox"
    assert content["tool"] == op.tool_name
    assert content["operation"] == op.name
    return content


def _check_body_sent(op: Operation, schema: dict[str, Any], args: dict[str, Any], sent: Any) -> None:
    """What reached the wire carries the body arguments given; an operation without a body sends none."""
    if op.current.body_model is None:
        assert sent in (None, b"", ""), sent
        return
    assert isinstance(sent, dict), sent
    body_args = {k: v for k, v in args.items() if k not in ("confirm", "confirm_token", "wait_seconds", "api_version")}
    params = {p.name for p in op.current.parameters}
    for name, value in body_args.items():
        if name not in params:
            assert name in sent, (name, sorted(sent))
            if not isinstance(value, dict | list):
                assert sent[name] == value, name


@pytest.mark.parametrize("op", OPS)
async def test_every_tool_succeeds(stack: Stack, client: Client, listed: dict[str, types.Tool], op: Operation) -> None:
    sandbox = stack.sandbox
    with anyio.fail_after(10):
        tool = listed[op.tool_name]
        found = hints(sandbox, op) | await _looked_up(client, op, tool.input_schema)
        args = arguments(tool.input_schema, found)
        before = len(sandbox.received)
        result = await client.call_tool(op.tool_name, args)
        content = _check_result(result, op)
        if op.guarded:
            assert content["status"] == "confirmation_required", content
            assert {r.method for r in sandbox.received[before:]} <= {"GET"}
            assert op.tool_name not in {r.operation for r in sandbox.received[before:]}
            preview = content["preview"]
            assert preview["risk"] == op.risk
            assert preview["request"]["method"] == op.method
            result = await client.call_tool(op.tool_name, {**args, **content["confirm_with"]})
            content = _check_result(result, op)
        expected = "ok" if op.async_kind == "sync" else "accepted"
        assert content["status"] == expected, content
        sent = sandbox.received[-1]
        assert sent.operation == op.tool_name
        _check_body_sent(op, tool.input_schema, args, sent.body)
        assert content["http_status"] == op.version(content["api_version"]).success.status
