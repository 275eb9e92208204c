"""Tools are listed from a compiled listing and built on their first call: what they list is, key for key
and in order, what the complete tool (``Tool.from_function``) makes, whatever the settings that add
arguments (confirmation mode, the wait bound)."""

from __future__ import annotations

import json

import pytest

from scp_mcp.server import ServerSettings
from scp_mcp.tools.builder import DeferredTool
from scp_mcp.tools.compiled_listing import listing_of, render
from scp_mcp.tools.input_schemas import COMPILED
from scp_mcp.tools.operator import OPERATOR_TOOLS
from scp_mcp.tools.schemas import portable_schema
from tests.support.stack import make_stack

SETTINGS = {
    "defaults": ServerSettings(),
    "elicit, a long wait": ServerSettings(confirmation="elicit", max_wait_s=7200),
    "argument, a short wait": ServerSettings(confirmation="argument", max_wait_s=60),
}


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_every_listed_input_schema_is_the_one_the_complete_tool_makes(settings: ServerSettings) -> None:
    server = make_stack(settings).server
    tools = [t for t in server._tool_manager.list_tools() if isinstance(t, DeferredTool)]
    assert len(tools) == 116 + len(OPERATOR_TOOLS)
    for tool in tools:
        listed = json.dumps(listing_of(tool))
        assert not tool.is_complete
        complete = tool.completed()
        if tool.name not in OPERATOR_TOOLS:  # the operator tools' builder makes theirs portable itself
            complete.parameters = portable_schema(complete.parameters)
        assert listed == json.dumps(listing_of(complete)), tool.name


def test_the_compiled_listing_is_current() -> None:
    assert COMPILED.read_text(encoding="utf-8") == render(), "run: python -m scp_mcp.catalog.compile"
