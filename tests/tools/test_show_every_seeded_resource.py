"""Every show tool answers for every seeded resource, whatever its state, with structured content that
the client validates against the tool's output schema (nullable enums, missing options and all)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp import Client

from scp_mcp.catalog import Operation, load_catalog
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio

SHOWS = [
    op
    for op in load_catalog().operations
    if op.risk == "read"
    and op.method == "GET"
    and op.resource is not None
    and op.path.endswith(f"{{{op.resource.id_param}}}")
]


def seeded(stack: Stack, op: Operation) -> list[dict[str, Any]]:
    assert op.resource is not None
    return list(stack.sandbox.state.records(op.resource.kind, op.service))


def test_there_is_a_show_tool_per_resource_kind_that_has_one() -> None:
    assert {(op.service, op.resource.kind) for op in SHOWS if op.resource} >= {
        ("eventstreams", "cluster"), ("searchengine", "cluster"), ("vertica", "cluster"),
        ("data-flow", "data_flow"), ("data-flow", "data_flow_service"), ("data-ops", "data_ops"),
        ("data-ops", "data_ops_service"), ("quick-query", "quick_query"), ("vertica", "request"),
    }  # fmt: skip


@pytest.mark.parametrize("op", SHOWS, ids=lambda op: op.tool_name)
async def test_show_answers_for_every_seeded_resource(client: Client, stack: Stack, op: Operation) -> None:
    assert op.resource is not None
    assert op.resource.id_param is not None
    records = seeded(stack, op)
    assert records, f"the sandbox seeds no {op.resource.kind} for {op.service}"
    for record in records:
        rid = record.get(op.resource.id_param) or record["id"]
        with anyio.fail_after(10):
            result = await client.call_tool(op.tool_name, {op.resource.id_param: rid})
        assert not result.is_error, result.content
        assert result.structured_content is not None
        assert result.structured_content["status"] == "ok"
        assert rid in str(result.structured_content["data"])


async def test_output_schemas_accept_null_in_nullable_fields_and_require_what_is_always_there(
    client: Client, stack: Stack
) -> None:
    import jsonschema

    listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    schema = listed["eventstreams_show_cluster"].output_schema
    assert schema is not None
    data = schema["properties"]["data"]
    assert "role_type" in data["required"]  # always there, sometimes null: any value
    with anyio.fail_after(10):
        listing = await client.call_tool("eventstreams_list_clusters", {})
    assert listing.structured_content is not None
    cluster_id = listing.structured_content["data"]["contents"][0]["id"]
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_show_cluster", {"cluster_id": cluster_id})
    content = result.structured_content
    assert content is not None
    jsonschema.validate({**content, "data": {**content["data"], "role_type": None}}, schema)
    missing_name = {k: v for k, v in content["data"].items() if k != "name"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**content, "data": missing_name}, schema)
