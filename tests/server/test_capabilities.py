"""Honest gaps through a real MCP client: the capability matrix as a resource, in the instructions and
in the discover profile's describe_operation; what the API cannot do is found in one step."""

from __future__ import annotations

import json

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings
from scp_mcp.server.resources import CAPABILITIES_URI
from tests.support.stack import make_stack

pytestmark = pytest.mark.anyio


async def _matrix() -> tuple[dict[str, dict[str, object]], set[str], str]:
    stack = make_stack()
    with anyio.fail_after(10):
        async with Client(stack.server) as client:
            read = await client.read_resource(CAPABILITIES_URI)
            listed = {t.name for t in (await client.list_tools()).tools}
    content = read.contents[0]
    assert isinstance(content, types.TextResourceContents)
    return json.loads(content.text), listed, stack.server.instructions or ""


async def test_the_known_gaps_are_one_read_away() -> None:
    matrix, _, _ = await _matrix()

    def has(service: str, key: str) -> bool:
        found = matrix[service]["capabilities"][key]  # type: ignore[index]
        return bool(found["available"])

    assert not has("eventstreams", "backup")
    assert not has("vertica", "scale_out")
    assert not has("data-flow", "restart")
    assert not has("data-ops", "restart")
    assert all(not has(service, "workloads") for service in matrix)
    assert all(not has(service, "users") for service in matrix)
    assert has("searchengine", "backup")
    assert has("vertica", "backup")
    assert has("eventstreams", "scale_out")
    assert has("searchengine", "scale_out")


async def test_every_capability_names_its_tools_or_what_to_do_instead() -> None:
    matrix, listed, _ = await _matrix()
    assert set(matrix) == set(load_catalog().services)
    for service, entry in matrix.items():
        prefix = load_catalog().services[service].tool_prefix
        for key, cap in entry["capabilities"].items():  # type: ignore[attr-defined]
            if cap["available"]:
                assert set(cap["tools"]) <= listed, (service, key)
                assert all(t.startswith(f"{prefix}_") for t in cap["tools"]), (service, key)
                assert cap["instead"] is None
            else:
                assert cap["tools"] == [], (service, key)
                assert cap["instead"], (service, key)


async def test_the_instructions_name_the_gaps_and_point_to_the_matrix() -> None:
    _, _, instructions = await _matrix()
    assert CAPABILITIES_URI in instructions
    assert "no backup in Data Flow, Data Ops, Event Streams, Quick Query" in instructions
    assert "Vertica" in instructions.split("no add nodes (scale out) in ")[1].split(";")[0]


async def test_discover_describe_operation_given_a_service_answers_with_its_matrix() -> None:
    stack = make_stack(ServerSettings(profile="discover"))
    with anyio.fail_after(10):
        async with Client(stack.server) as client:
            kafka = await client.call_tool("describe_operation", {"tool": "eventstreams"})
            tool = await client.call_tool("describe_operation", {"tool": "eventstreams_stop_cluster"})
    assert not kafka.is_error
    text = kafka.content[0]
    assert isinstance(text, types.TextContent)
    cannot = text.text.split("cannot (the API has no operation for it):")[1]
    assert "backup" in cannot
    assert "eventstreams_add_instances" in text.text.split("cannot")[0]
    assert not tool.is_error
