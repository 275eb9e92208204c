"""The operator tools, written by hand over the catalog: ``fleet_overview``, ``diagnose`` and the ledger's
``operations_list``, ``operations_get`` and ``operations_wait``. They read through the same
``ToolRuntime.send`` as the generated tools, and are registered next to them."""

from __future__ import annotations

import functools
from fnmatch import fnmatchcase

from mcp.server.mcpserver.tools import Tool

from scp_mcp.tools.builder import DeferredTool
from scp_mcp.tools.fleet import exposed
from scp_mcp.tools.input_schemas import load_compiled
from scp_mcp.tools.policy import ToolPolicy
from scp_mcp.tools.runtime import ToolRuntime

OPERATOR_TOOLS = ("fleet_overview", "diagnose", "operations_list", "operations_get", "operations_wait")
_READ_COLLECTIONS = ("fleet_overview", "diagnose")  # listed only when the policy exposes a collection


def _named(policy: ToolPolicy, name: str) -> bool:
    """The policy's allow and deny patterns apply to these tools too (they are all reads)."""
    if any(fnmatchcase(name, pattern) for pattern in policy.deny):
        return False
    return not policy.allow or any(fnmatchcase(name, pattern) for pattern in policy.allow)


def operator_tools(runtime: ToolRuntime) -> list[Tool]:
    """The operator tools the policy exposes and leaves something to read for, listed from their compiled
    listing (``compiled_listing.py``); each is built on its first call."""
    policy = runtime.settings.policy
    listing = load_compiled()["operator_tools"]
    names = [n for n in OPERATOR_TOOLS if _named(policy, n) and (n not in _READ_COLLECTIONS or exposed(runtime))]
    return [DeferredTool.listed(listing[n], functools.partial(complete_tool, n, runtime)) for n in names]


def complete_tool(name: str, runtime: ToolRuntime) -> Tool:
    """One operator tool, built, with the same portable input and loose output shapes as the generated
    tools' schemas (results are still checked against the model)."""
    from scp_mcp.tools.diagnose import diagnose_tool  # loaded with the first call of an operator tool
    from scp_mcp.tools.fleet import fleet_tool
    from scp_mcp.tools.operations import get_tool, list_tool, wait_tool
    from scp_mcp.tools.schemas import loose, portable_schema

    builders = dict(zip(OPERATOR_TOOLS, (fleet_tool, diagnose_tool, list_tool, get_tool, wait_tool), strict=True))
    tool = builders[name](runtime)
    assert tool is not None, f"{name} is listed only when the policy leaves it something to read"
    tool.parameters = portable_schema(tool.parameters)
    if tool.fn_metadata.output_schema is not None:
        tool.fn_metadata.output_schema = loose(tool.fn_metadata.output_schema)
    return tool
