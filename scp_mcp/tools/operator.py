"""The operator tools, written by hand over the catalog: ``fleet_overview``, ``diagnose`` and the ledger's
``operations_list``, ``operations_get`` and ``operations_wait``. They read through the same
``ToolRuntime.send`` as the generated tools, and are registered next to them."""

from __future__ import annotations

from fnmatch import fnmatchcase

from mcp.server.mcpserver.tools import Tool

from scp_mcp.tools.diagnose import diagnose_tool
from scp_mcp.tools.fleet import fleet_tool
from scp_mcp.tools.operations import GET, LIST, WAIT, get_tool, list_tool, wait_tool
from scp_mcp.tools.policy import ToolPolicy
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.schemas import loose, portable_schema

OPERATOR_TOOLS = ("fleet_overview", "diagnose", LIST, GET, WAIT)


_LEDGER_TOOLS = ((LIST, list_tool), (GET, get_tool), (WAIT, wait_tool))


def _named(policy: ToolPolicy, name: str) -> bool:
    """The policy's allow and deny patterns apply to these tools too (they are all reads)."""
    if any(fnmatchcase(name, pattern) for pattern in policy.deny):
        return False
    return not policy.allow or any(fnmatchcase(name, pattern) for pattern in policy.allow)


def operator_tools(runtime: ToolRuntime) -> list[Tool]:
    """The operator tools the policy exposes and leaves something to read for."""
    policy = runtime.settings.policy
    built = [
        fleet_tool(runtime) if _named(policy, "fleet_overview") else None,
        diagnose_tool(runtime) if _named(policy, "diagnose") else None,
        *(build(runtime) if _named(policy, name) else None for name, build in _LEDGER_TOOLS),
    ]
    tools = [t for t in built if t is not None]
    for tool in tools:  # the same portable input and loose output shapes as the generated tools' schemas
        tool.parameters = portable_schema(tool.parameters)
        if tool.fn_metadata.output_schema is not None:  # results are still checked against the model
            tool.fn_metadata.output_schema = loose(tool.fn_metadata.output_schema)
    return tools
