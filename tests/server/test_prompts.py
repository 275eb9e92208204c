"""The prompts through a real MCP client: every prompt, rendered for every service, names only tools
the server lists, says where a service lacks a step, and completes its service and resource arguments."""

from __future__ import annotations

import re

import anyio
import pytest
from mcp import Client, MCPError, types

from scp_mcp.catalog import load_catalog
from scp_mcp.catalog.capabilities import capability
from scp_mcp.server import ServerSettings
from scp_mcp.tools.policy import ToolPolicy
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio

SERVICES = [svc.tool_prefix for svc in load_catalog().services.values()]
PREFIXES = tuple(f"{p}_" for p in SERVICES)
OPERATOR_TOOLS = ("fleet_overview", "diagnose")


def _arguments(prompt: types.Prompt, service: str) -> dict[str, str]:
    given = {"service": service, "resource": "some-resource"}
    return {a.name: given.get(a.name, "anything") for a in prompt.arguments or []}


def _named_tools(text: str) -> set[str]:
    words = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text))
    return {w for w in words if w.startswith(PREFIXES)} | {w for w in OPERATOR_TOOLS if re.search(rf"\b{w}\b", text)}


async def _render_all(stack: Stack, service: str) -> tuple[dict[str, str], set[str]]:
    with anyio.fail_after(20):
        async with Client(stack.server) as client:
            prompts = (await client.list_prompts()).prompts
            listed = {t.name for t in (await client.list_tools()).tools}
            texts = {}
            for prompt in prompts:
                got = await client.get_prompt(prompt.name, _arguments(prompt, service))
                content = got.messages[0].content
                assert isinstance(content, types.TextContent)
                texts[prompt.name] = content.text
    return texts, listed


@pytest.mark.parametrize("service", SERVICES)
async def test_every_prompt_names_only_tools_the_server_lists(service: str) -> None:
    texts, listed = await _render_all(make_stack(), service)
    assert {"troubleshoot", "plan_cluster", "decommission", "daily_health", "fleet_overview", "safe_change"} <= set(
        texts
    )
    for name, text in texts.items():
        named = _named_tools(text)
        assert named <= listed, f"{name} for {service} names tools the server does not list: {named - listed}"
    for name in ("troubleshoot", "plan_cluster", "decommission"):
        assert _named_tools(texts[name]) - set(OPERATOR_TOOLS), f"{name} names no {service} tool"
        assert all(t.startswith(f"{service}_") for t in _named_tools(texts[name]) - set(OPERATOR_TOOLS))
    assert "diagnose" in texts["troubleshoot"]
    assert "fleet_overview" in texts["daily_health"]


@pytest.mark.parametrize("service", SERVICES)
async def test_troubleshoot_points_to_diagnose_and_the_services_show_and_request_status(service: str) -> None:
    texts, _ = await _render_all(make_stack(), service)
    svc = next(s for s in load_catalog().services.values() if s.tool_prefix == service)
    text = texts["troubleshoot"]
    assert f'diagnose with service "{svc.host_prefix}"' in text
    shows = {op.tool_name for op in svc.operations if op.siblings.list and op.method == "GET" and not op.siblings.show}
    assert shows & _named_tools(text)
    statuses = {op.siblings.request_status for op in svc.operations if op.siblings.request_status}
    assert statuses <= _named_tools(text)


async def test_a_step_the_service_lacks_is_said_not_invented() -> None:
    kafka, _ = await _render_all(make_stack(), "eventstreams")
    vertica, _ = await _render_all(make_stack(), "vertica")
    assert "Event Streams has no backup in the API" in kafka["decommission"]
    assert "Event Streams has no name duplication check in the API" in kafka["plan_cluster"]
    assert all(t in vertica["decommission"] for t in capability("vertica", "backup").tools)
    airflow, _ = await _render_all(make_stack(), "dataops")
    assert "Data Ops has no stop / start in the API" in airflow["decommission"]
    assert "restart" in airflow["troubleshoot"].split("It cannot:")[1]


async def test_a_prompt_for_a_service_that_does_not_exist_is_an_error_naming_the_six() -> None:
    with anyio.fail_after(10):
        async with Client(make_stack().server) as client:
            with pytest.raises(MCPError, match="unknown service 'redis': use one of dataflow, dataops"):
                await client.get_prompt("troubleshoot", {"service": "redis", "resource": "x"})
            by_synonym = await client.get_prompt("plan_cluster", {"service": "Kafka"})
    content = by_synonym.messages[0].content
    assert isinstance(content, types.TextContent)
    assert "eventstreams_create_cluster" in content.text


async def test_service_arguments_complete_from_the_exposed_services() -> None:
    ref = types.PromptReference(type="ref/prompt", name="troubleshoot")
    only_search = make_stack(ServerSettings(policy=ToolPolicy(toolsets=frozenset({"searchengine", "vertica"}))))
    with anyio.fail_after(10):
        async with Client(make_stack().server) as client:
            data = await client.complete(ref, {"name": "service", "value": "da"})
        async with Client(only_search.server) as client:
            every = await client.complete(ref, {"name": "service", "value": ""})
    assert data.completion.values == ["dataflow", "dataops"]
    assert every.completion.values == ["searchengine", "vertica"]


async def test_resource_names_complete_from_the_backend_and_are_cached_briefly() -> None:
    stack = make_stack()
    ref = types.PromptReference(type="ref/prompt", name="decommission")
    with anyio.fail_after(10):
        async with Client(stack.server) as client:
            search = await client.complete(ref, {"name": "resource", "value": "search"}, {"service": "searchengine"})
            asked = stack.sandbox.received.total
            again = await client.complete(ref, {"name": "resource", "value": "search-l"}, {"service": "searchengine"})
            cached = stack.sandbox.received.total
            stack.sandbox.advance(60)
            await client.complete(ref, {"name": "resource", "value": ""}, {"service": "searchengine"})
            refreshed = stack.sandbox.received.total
            anywhere = await client.complete(ref, {"name": "resource", "value": "orders-"})
    assert search.completion.values == ["search-logs", "search-products"]
    assert again.completion.values == ["search-logs"]
    assert cached == asked, "a second completion within the cache time reads nothing"
    assert refreshed > cached, "after the cache time the names are read again"
    assert set(anywhere.completion.values) >= {"orders-kafka", "orders-nifi"}
