"""`scp-mcp describe TOOL` and `scp-mcp call TOOL --help`: the tool's real schema, risk and async kind."""

from __future__ import annotations

import anyio
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings
from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.cli import run_in_process
from tests.support.stack import make_stack


def test_describe_shows_arguments_risk_and_async(capsys: pytest.CaptureFixture[str]) -> None:
    done = run_in_process(capsys, "describe", "eventstreams_stop_cluster")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == "eventstreams_stop_cluster — Event Streams: Stop Cluster"
    assert "risk:          disruptive (interrupts service: nothing is sent until you confirm)" in lines
    assert any(line.startswith("asynchronous:  yes: SCP answers with a request id") for line in lines)
    assert "  cluster_id  string, required" in lines
    assert "  wait_seconds  integer, optional, default 0, 0..900" in lines
    assert lines[-1] == "usage: scp-mcp call eventstreams_stop_cluster cluster_id=<string> [key=value ...]"


def test_describe_shows_enums_defaults_and_nested_fields(capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_in_process(capsys, "describe", "eventstreams_list_clusters").out
    assert "  size  integer, optional, default 20" in listed
    assert "  service_state  string, optional, one of RUNNING|STOPPED|" in listed
    assert "asynchronous:  no: answers at once" in listed
    created = run_in_process(capsys, "describe", "eventstreams_create_cluster").out
    assert "  init_config_option  object (JSON), required" in created
    assert "      broker_port  integer, optional, default 9091, 1024..65535" in created
    assert "risk:          write" in created


def test_call_help_after_a_tool_is_its_description(capsys: pytest.CaptureFixture[str]) -> None:
    described = run_in_process(capsys, "describe", "vertica_show_cluster")
    helped = run_in_process(capsys, "call", "vertica_show_cluster", "--help")
    assert helped.code == 0
    assert helped.out == described.out
    plain = run_in_process(capsys, "call", "--help")
    assert plain.code == 0
    assert "usage: scp-mcp call" in plain.out


def test_describe_agrees_with_the_listed_schema_for_every_tool() -> None:
    """describe lists the tools a server lists; every argument and its required flag shows as listed."""
    from scp_mcp.cli.describe import list_tools, render

    tools = anyio.run(make_stack().server.list_tools)
    assert [(t.name, t.input_schema) for t in list_tools(ServerSettings())] == [(t.name, t.input_schema) for t in tools]
    assert len(tools) == len(load_catalog().operations) + len(OPERATOR_TOOLS)
    for tool in tools:
        if tool.name in OPERATOR_TOOLS:
            assert "risk:          read" in render(tool, None)
            continue
        op = load_catalog().by_tool_name(tool.name)
        text = render(tool, op)
        assert f"risk:          {op.risk}" in text
        args = text.split("\narguments:", 1)[1].splitlines()
        top = [line.split("  ") for line in args if line.startswith("  ") and not line.startswith("   ")]
        shown = {parts[1]: parts[2].split(", ")[1] == "required" for parts in top}
        assert set(shown) == set(tool.input_schema.get("properties", {})), tool.name
        assert {k for k, req in shown.items() if req} == set(tool.input_schema.get("required", [])), tool.name


def test_unknown_tool_suggests_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    run_in_process(capsys, "describe", "vertica_show_clustr").assert_one_line_error(
        "no tool 'vertica_show_clustr'; did you mean vertica_show_cluster"
    )
