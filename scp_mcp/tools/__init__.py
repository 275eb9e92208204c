"""Catalog operations as MCP tools: one pipeline for all 116, from validated arguments to the result.

The public face, for the server and the command line:

- ``build_tools(operations, runtime)``: the MCP tools the policy exposes;
- ``ToolRuntime`` (what the tools share at call time) with its ``ToolSettings``;
- ``ToolPolicy``: which tools a server exposes (read-only, toolsets, allow/deny);
- ``Reply``: the result envelope, for refusals made before a tool runs;
- ``validation_message``: a pydantic error as one line per problem;
- ``listing``: the tool table, importable without the MCP SDK (``scp-mcp tools`` starts fast).

Inside, one concept per module: ``surface`` (name, title, description, annotations, ``_meta``),
``arguments`` (input arguments from the models), ``schemas`` (JSON Schema shaping), ``envelope``
(results and their schema), ``prepare`` (arguments -> request), ``guard`` and ``confirmations`` (the
confirmation and its memory), ``answer`` (SCP's answer -> result), ``follow``, ``ledger`` and
``operations`` (asynchronous work, its durable record and its tools), ``summary`` and ``records`` (text
for the model), ``redact``, ``errors``, ``pipeline`` and ``builder``. Exports load lazily, so that
importing ``scp_mcp.tools.listing`` or the policy does not import the MCP SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scp_mcp.tools.builder import build_tools
    from scp_mcp.tools.envelope import Reply
    from scp_mcp.tools.errors import validation_message
    from scp_mcp.tools.operator import operator_tools
    from scp_mcp.tools.policy import ToolPolicy
    from scp_mcp.tools.runtime import ConfirmationMode, ToolRuntime, ToolSettings

_EXPORTS = {
    "build_tools": "scp_mcp.tools.builder",
    "Reply": "scp_mcp.tools.envelope",
    "operator_tools": "scp_mcp.tools.operator",
    "validation_message": "scp_mcp.tools.errors",
    "ToolPolicy": "scp_mcp.tools.policy",
    "ConfirmationMode": "scp_mcp.tools.runtime",
    "ToolRuntime": "scp_mcp.tools.runtime",
    "ToolSettings": "scp_mcp.tools.runtime",
}

__all__ = [
    "ConfirmationMode",
    "Reply",
    "ToolPolicy",
    "ToolRuntime",
    "ToolSettings",
    "build_tools",
    "operator_tools",
    "validation_message",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
