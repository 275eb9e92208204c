"""Prompts (from scp_mcp/prompts) and resources (the async ledger, the server's configuration, the
capability matrix)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mcp import MCPError
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts.base import Prompt, PromptArgument
from mcp.server.mcpserver.resources import FunctionResource
from mcp.types import INVALID_PARAMS

from scp_mcp.catalog import load_catalog
from scp_mcp.catalog.capabilities import matrix
from scp_mcp.prompts import PromptTemplate, load_prompts
from scp_mcp.server.completion import Completer
from scp_mcp.server.prompt_steps import UnknownService, prompt_values
from scp_mcp.tools import ToolRuntime
from scp_mcp.tools import ledger as operations_ledger

LEDGER_URI = "scp://ledger"
SERVER_URI = "scp://server"
CAPABILITIES_URI = "scp://capabilities"


def _prompt(template: PromptTemplate) -> Prompt:
    async def render(**values: str) -> str:
        try:
            derived = prompt_values(values)
        except UnknownService as exc:  # a protocol error the client shows, not a crash
            raise MCPError(code=INVALID_PARAMS, message=str(exc)) from None
        return template.render(values, derived)

    return Prompt(
        name=template.name,
        title=template.title,
        description=template.description,
        arguments=[
            PromptArgument(name=a.name, description=a.description, required=a.required) for a in template.arguments
        ],
        fn=render,
        context_kwarg=None,
    )


def register_prompts(server: MCPServer[Any], runtime: ToolRuntime) -> None:
    """The prompts, and completion of their service and resource arguments."""
    for template in load_prompts():
        server.add_prompt(_prompt(template))
    server.completion()(Completer(runtime))  # type: ignore[no-untyped-call]  # the SDK leaves it unannotated


def register_resources(server: MCPServer[Any], runtime: ToolRuntime) -> None:
    async def ledger() -> dict[str, Any]:
        """The caller's recent asynchronous work, newest first, refreshed from SCP (operations_list as JSON)."""
        read = await operations_ledger.read(runtime, limit=50)
        return {"backend": runtime.backend, "entries": [r.entry.as_dict() for r in read]}

    def configuration() -> dict[str, Any]:
        """Backend, confirmation mode and which tools are exposed, by risk."""
        exposed = [op for op in load_catalog().operations if runtime.settings.policy.allows(op)]
        policy = runtime.settings.policy
        return {
            "backend": runtime.backend,
            "confirmation": runtime.settings.confirmation,
            "read_only": policy.read_only,
            "no_destructive": policy.no_destructive,
            "toolsets": sorted(policy.toolsets) if policy.toolsets is not None else "all",
            "allow": list(policy.allow),
            "deny": list(policy.deny),
            "tools": len(exposed),
            "by_risk": dict(Counter(op.risk for op in exposed)),
        }

    def capabilities() -> dict[str, Any]:
        """What each service's API can and cannot do (backup, restart, stop/start, add nodes, server type,
        storage, parameters, maintenance window, users, queries/DAGs), the tools that do it, and what to do
        instead where it cannot. Read this before promising a change."""
        return matrix()

    resources = (
        (ledger, LEDGER_URI, "ledger"),
        (configuration, SERVER_URI, "server"),
        (capabilities, CAPABILITIES_URI, "capabilities"),
    )
    for fn, uri, name in resources:
        server.add_resource(FunctionResource.from_function(fn, uri=uri, name=name, mime_type="application/json"))
