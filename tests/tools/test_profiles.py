"""The discover profile: three meta tools in a small tools/list that reach every exposed operation through
the same checks, guard and results as the typed tools, in both protocol eras."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client

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


def tokens(text: str) -> int:
    try:
        import bpe_openai

        return len(bpe_openai.get_encoding("o200k_base").encode(text))
    except ImportError:  # pragma: no cover
        return len(text) // 4


async def test_discover_lists_only_the_meta_tools_in_under_1000_tokens(discover: Client) -> None:
    result = await discover.list_tools()
    assert {t.name for t in result.tools} == META
    listed = json.dumps(result.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert len(listed) / 4 < 1000
    assert tokens(listed) < 1000


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
            full[name].meta["scp-mcp/risk"]["risk"],  # type: ignore[index]
            full[name].meta["scp-mcp/risk"]["async"],  # type: ignore[index]
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
