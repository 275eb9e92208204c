"""Generated tools are listed from compiled input schemas and built on their first call: what they list
is, key for key and in order, what the complete tool (``Tool.from_function``) makes, whatever the
settings that add arguments (confirmation mode, the wait bound)."""

from __future__ import annotations

import json

import pytest

from scp_mcp.server import ServerSettings
from scp_mcp.tools.builder import DeferredTool
from scp_mcp.tools.input_schemas import COMPILED, render
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
    assert len(tools) == 116
    for tool in tools:
        listed = json.dumps(tool.parameters)
        assert not tool.is_complete
        assert listed == json.dumps(portable_schema(tool.completed().parameters)), tool.name


def test_the_compiled_input_schemas_are_current() -> None:
    assert COMPILED.read_text(encoding="utf-8") == render(), "run: python -m scp_mcp.catalog.compile"
