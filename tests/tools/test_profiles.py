"""The discover profile: three meta tools in a small tools/list that reach every exposed operation through
the same checks, guard and results as the typed tools, in both protocol eras."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import bpe_openai
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings
from scp_mcp.tools.policy import ToolPolicy
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio
META = {"search_operations", "describe_operation", "call_operation"}


@pytest.fixture(scope="module")
def discover_stack() -> Stack:
    return make_stack(ServerSettings(profile="discover"))


@pytest.fixture
async def discover(discover_stack: Stack, mode: str) -> AsyncIterator[Client]:
    discover_stack.sandbox.reset()
    discover_stack.server.runtime.reset()
    async with Client(discover_stack.server, mode=mode) as client:  # type: ignore[arg-type]
        yield client


# The whole tools/list result as it goes on the wire (compact JSON), in o200k tokens (bpe-openai bundles the encoding:
# exact and offline). Upper bounds only: a smaller listing always passes.
FULL_PER_TOOL = 350
FULL_TOTAL = 44_000
DISCOVER_TOTAL = 1_000
_O200K = bpe_openai.get_encoding("o200k_base")


def listing_tokens(result: types.ListToolsResult) -> int:
    dumped = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    listed = json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))
    return len(_O200K.encode(listed))


async def test_discover_lists_only_the_meta_tools_in_under_1000_tokens(discover: Client) -> None:
    result = await discover.list_tools()
    assert {t.name for t in result.tools} == META
    assert listing_tokens(result) < DISCOVER_TOTAL


async def test_full_listing_stays_within_350_tokens_per_tool(clients: dict[str, Client], mode: str) -> None:
    result = await clients[mode].list_tools()
    total = listing_tokens(result)
    assert total / len(result.tools) <= FULL_PER_TOOL, (total, len(result.tools))
    assert total <= FULL_TOTAL


async def test_every_operator_tool_is_found_described_and_called_through_discover(
    discover: Client, clients: dict[str, Client], mode: str
) -> None:
    """Whatever tools the server lists beside the catalog's (operator_tools), discover reaches them too."""
    full = {t.name: t for t in (await clients[mode].list_tools()).tools}
    others = [t for t in full.values() if load_catalog().get(t.name) is None]
    assert {"fleet_overview", "diagnose"} <= {t.name for t in others}
    for tool in others:
        found = await discover.call_tool("search_operations", {"query": tool.title or tool.name, "limit": 3})
        assert found.structured_content is not None
        assert tool.name in [hit["tool"] for hit in found.structured_content["results"]], tool.name
        described = await discover.call_tool("describe_operation", {"tool": tool.name})
        assert not described.is_error, described.content
        record = described.structured_content
        assert record is not None
        assert (record["input_schema"], record["description"]) == (tool.input_schema, tool.description)
        read_only = bool(tool.annotations and tool.annotations.read_only_hint)
        assert (record["risk"] == "read") == read_only
        if not tool.input_schema.get("required"):
            with anyio.fail_after(10):
                called = await discover.call_tool("call_operation", {"tool": tool.name, "arguments": {}})
            assert not called.is_error, called.content
            assert called.structured_content is not None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("health of the whole fleet", "fleet_overview"),
        ("why is my kafka cluster failing", "diagnose"),
        ("전체 상태", "fleet_overview"),
        ("전체 현황 보여줘", "fleet_overview"),
        ("모든 리소스 상태 요약", "fleet_overview"),
        ("카프카 클러스터 왜 고장났어?", "diagnose"),
        ("재시작 끝났어?", "operations_get"),
    ],
)
async def test_search_finds_the_operator_tools_by_what_they_do(discover: Client, query: str, expected: str) -> None:
    result = await discover.call_tool("search_operations", {"query": query})
    assert result.structured_content is not None
    assert result.structured_content["results"][0]["tool"] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("restart the kafka cluster", "eventstreams_restart_cluster"),
        ("opensearch backups", "searchengine_list_backup_histories"),
        ("airflow services", "dataops_list_services"),
        ("list trino engines", "quickquery_list"),
        ("terminate the vertica database", "vertica_terminate_cluster"),
        ("카프카 클러스터 재시작", "eventstreams_restart_cluster"),
    ],
)
async def test_search_finds_the_tool_first(discover: Client, query: str, expected: str) -> None:
    result = await discover.call_tool("search_operations", {"query": query})
    assert result.structured_content is not None
    hits = result.structured_content["results"]
    assert hits[0]["tool"] == expected
    assert set(hits[0]) == {"tool", "title", "summary", "risk", "async"}


async def test_describe_returns_the_full_profiles_input_schema(
    discover: Client, clients: dict[str, Client], mode: str
) -> None:
    full = {t.name: t for t in (await clients[mode].list_tools()).tools}
    for name in ("eventstreams_terminate_cluster", "quickquery_create", "vertica_list_clusters"):
        result = await discover.call_tool("describe_operation", {"tool": name})
        assert not result.is_error
        content = result.structured_content
        assert content is not None
        assert content["input_schema"] == full[name].input_schema
        assert content["description"] == full[name].description
        assert (content["risk"], content["async"]) == (
            full[name].meta["scp-mcp/operation"]["risk"],  # type: ignore[index]
            full[name].meta["scp-mcp/operation"]["async"],  # type: ignore[index]
        )


async def test_call_operation_reads(discover: Client, discover_stack: Stack) -> None:
    result = await discover.call_tool("call_operation", {"tool": "eventstreams_list_clusters", "arguments": {}})
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["status"] == "ok"
    assert "orders-kafka" in result.content[0].text  # type: ignore[union-attr]


async def test_call_operation_guards_then_executes_after_the_confirm_round_trip(
    discover: Client, discover_stack: Stack
) -> None:
    cluster = discover_stack.sandbox.find_cluster("orders-kafka", "eventstreams")
    assert cluster is not None
    args: dict[str, Any] = {"cluster_id": cluster["id"]}
    before = len(discover_stack.sandbox.received)
    with anyio.fail_after(5):
        first = await discover.call_tool(
            "call_operation", {"tool": "eventstreams_terminate_cluster", "arguments": args}
        )
        assert first.structured_content is not None
        assert first.structured_content["status"] == "confirmation_required"
        assert [r.method for r in discover_stack.sandbox.received[before:] if r.method != "GET"] == []
        confirmed = {**args, **first.structured_content["confirm_with"]}
        second = await discover.call_tool(
            "call_operation", {"tool": "eventstreams_terminate_cluster", "arguments": confirmed}
        )
    assert not second.is_error, second.content
    writes = [f"{r.method} {r.path}" for r in discover_stack.sandbox.received[before:] if r.method != "GET"]
    assert writes == [f"DELETE /eventstreams/v1/clusters/{cluster['id']}"]


async def test_unknown_tool_names_get_close_names(discover: Client) -> None:
    for meta in ("call_operation", "describe_operation"):
        args = {"tool": "eventstreams_list_cluster", "arguments": {}} if meta == "call_operation" else {}
        args["tool"] = "eventstreams_list_cluster"
        result = await discover.call_tool(meta, args)
        assert result.is_error
        assert "Did you mean eventstreams_list_clusters" in result.content[0].text  # type: ignore[union-attr]


async def test_unknown_arguments_are_refused_as_by_the_typed_tool(discover: Client) -> None:
    result = await discover.call_tool(
        "call_operation", {"tool": "eventstreams_list_clusters", "arguments": {"bogus": 1}}
    )
    assert result.is_error
    assert "does not take bogus" in result.content[0].text  # type: ignore[union-attr]


async def test_hidden_tools_stay_refused_and_are_not_found(mode: str) -> None:
    stack = make_stack(ServerSettings(profile="discover", policy=ToolPolicy(read_only=True)))
    async with Client(stack.server, mode=mode) as client:  # type: ignore[arg-type]
        before = len(stack.sandbox.received)
        result = await client.call_tool(
            "call_operation", {"tool": "eventstreams_terminate_cluster", "arguments": {"cluster_id": "x"}}
        )
        assert result.is_error
        assert result.structured_content is not None
        assert result.structured_content["error"] == "hidden_tool"
        assert "--read-only" in result.content[0].text  # type: ignore[union-attr]
        assert len(stack.sandbox.received) == before
        found = await client.call_tool("search_operations", {"query": "terminate the kafka cluster", "limit": 20})
        assert found.structured_content is not None
        assert all(hit["risk"] == "read" for hit in found.structured_content["results"])


def test_profile_from_env() -> None:
    assert ServerSettings.from_env({"SCP_MCP_PROFILE": "discover"}).profile == "discover"
    assert ServerSettings.from_env({}).profile == "full"
