"""Summaries carry the next step: one compact row per listed record, a shown record with its endpoints,
instance groups and versions, a text budget with a truncated flag; never a blank bullet or a bare 'done.'."""

from __future__ import annotations

import re
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.summary import within_budget
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio

READS = [pytest.param(op, id=op.tool_name) for op in load_catalog().operations if op.method == "GET"]


async def _text(client: Client, tool: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args)
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    assert not result.is_error, block.text
    assert result.structured_content is not None
    return block.text, result.structured_content


async def _group_id(client: Client, op: Operation, schema: dict[str, Any]) -> dict[str, Any]:
    if "dbaas_parameter_group_id" not in schema.get("required", []):
        return {}
    groups = await client.call_tool(f"{op.tool_name.split('_')[0]}_list_parameter_groups", {})
    assert groups.structured_content is not None
    return {"dbaas_parameter_group_id": groups.structured_content["data"]["contents"][0]["id"]}


@pytest.mark.parametrize("op", READS)
async def test_no_read_prints_blank_bullets_or_only_done(
    stack: Stack, client: Client, listed: dict[str, types.Tool], op: Operation
) -> None:
    schema = listed[op.tool_name].input_schema
    args = arguments(schema, hints(stack.sandbox, op) | await _group_id(client, op, schema))
    text, _ = await _text(client, op.tool_name, args)
    assert not re.search(r"^- ?$", text, re.MULTILINE), text
    assert not text.rstrip().endswith(": done."), text


async def test_images_list_one_row_each_with_name_and_version(stack: Stack, client: Client) -> None:
    text, _ = await _text(client, "dataflow_list_images", {})
    assert text.splitlines()[:2] == [
        "List Data Flow Images: 2 found.",
        "- 'Apache NiFi': version=1.27.1; image_id=96a1749f-a549-831e-8365-428bc4eddc7f",
    ]


async def test_sub_versions_say_the_versions(stack: Stack, client: Client) -> None:
    flow = stack.sandbox.state.records("data_flow", "data-flow")
    orders = next(r for r in flow if r["data_flow_name"] == "orders-nifi")
    text, _ = await _text(client, "dataflow_list_service_sub_versions", {"data_flow_id": orders["data_flow_id"]})
    assert text == (
        "Show Data Flow Service Sub Versions: versions.nifi=1.27.1; versions.nifiregistry=1.27.1; "
        "versions.zookeeper=3.9.2; data_flow_service_count=1."
    )


async def test_parameter_values_show_their_values(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    text, _ = await _text(client, "eventstreams_list_parameter_values", {"cluster_id": cluster["id"]})
    assert "- 'num.partitions' (id " in text
    assert "applied_value=3; default_value=3" in text


async def test_a_shown_cluster_has_its_groups_ips_ports_and_versions(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("search-logs")
    assert cluster is not None
    text, _ = await _text(client, "searchengine_show_cluster", {"cluster_id": cluster["id"]})
    assert "software_version=2.17.1" in text
    assert "init_config_option.database_port=9200" in text
    assert "created_at=2026-09-01T01:00:00Z" in text
    group = cluster["instance_groups"][1]["id"]
    assert (
        f"- instance group DASHBOARDS (id {group}) db1v2m4 ×1; storage DATA 32 GB SSD: search-004 10.20.11.14 ERROR"
    ) in text.splitlines()


async def test_a_page_of_more_is_flagged_and_says_how_to_get_the_rest(stack: Stack, client: Client) -> None:
    text, content = await _text(client, "eventstreams_list_clusters", {"size": 1})
    assert content["truncated"] is True
    assert text.splitlines()[0] == (
        "List Clusters: 2 found (showing 1; ask for the next page with page=1 (and size), "
        "or narrow with the tool's filters)."
    )
    _, whole = await _text(client, "eventstreams_list_clusters", {})
    assert "truncated" not in whole


def test_the_text_budget_cuts_at_a_line_and_says_so() -> None:
    text = "\n".join(f"- row {i} " + "x" * 100 for i in range(400))
    cut, truncated = within_budget(text)
    assert truncated
    assert len(cut) <= 16_000
    assert cut.splitlines()[-1].startswith("… ")
    assert "page/size" in cut
    assert within_budget("short") == ("short", False)
