"""``build_server``: the MCP server with every exposed operation as a tool, plus prompts and resources."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import CallToolResult, InputRequiredResult, TextContent
from pydantic import ValidationError

from scp_mcp.catalog import load_catalog
from scp_mcp.server.backend import Backend
from scp_mcp.server.instructions import instructions
from scp_mcp.server.resources import register_prompts, register_resources
from scp_mcp.server.settings import ServerSettings
from scp_mcp.tools.builder import build_tools
from scp_mcp.tools.errors import validation_message
from scp_mcp.tools.runtime import ToolRuntime

SERVER_NAME = "scp-mcp"
log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("scp-mcp")
    except PackageNotFoundError:
        return "0"


class ScpMcpServer(MCPServer[Any]):
    """MCPServer whose argument errors name the field and say what to change, and which keeps its backend."""

    def __init__(self, backend: Backend, runtime: ToolRuntime, settings: ServerSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backend = backend
        self.runtime = runtime
        self.server_settings = settings

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError:
            log.exception("tool %s crashed", name)
            return self._error(name, f"{name} failed inside scp-mcp; the server's log has the details.", "internal")
        except ToolError as exc:
            log.info("tool %s refused: %s", name, type(exc.__cause__).__name__ if exc.__cause__ else "ToolError")
            return self._error(name, *self._explain(name, exc))

    def _error(self, name: str, text: str, error: str) -> CallToolResult:
        """An isError result that, like every result, says which backend this server talks to."""
        try:
            operation = load_catalog().by_tool_name(name).name
        except KeyError:
            operation = None
        content = {"status": "error", "backend": self.backend.kind, "tool": name, "operation": operation}
        content |= {"error": error, "reason": text}
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content, is_error=True)

    def _explain(self, name: str, exc: ToolError) -> tuple[str, str]:
        """The message and the error class of a refusal raised before or around the pipeline."""
        cause = exc.__cause__
        if isinstance(cause, ValidationError) and cause.title == f"{name}Arguments":
            text = (
                f"Invalid arguments for {name}: {validation_message(cause)}. "
                "Nothing was sent; fix them (see the tool's input schema) and call again."
            )
            return text, "invalid_arguments"
        if str(exc) == f"Unknown tool: {name}":
            return self._unknown(name), "unknown_tool"
        return str(exc), "refused"

    def _unknown(self, name: str) -> str:
        try:
            op = load_catalog().by_tool_name(name)
        except KeyError:
            return f"Unknown tool: {name}. List the tools to see what this server offers."
        refusal = self.runtime.policy.refusal(op)
        return f"{name} is not available on this server: {refusal or 'hidden'}. Nothing was sent."


def build_server(
    settings: ServerSettings,
    backend: Backend,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
) -> ScpMcpServer:
    settings.check()
    interval = settings.poll_interval_s or (2.0 if backend.kind == "sandbox" else 5.0)
    runtime = ToolRuntime(
        caller=backend.client,
        backend=backend.kind,
        confirmation=settings.confirmation,
        policy=settings.policy,
        default_versions=backend.settings.default_versions,
        secrets=backend.secrets(),
        clock=clock,
        sleep=sleep,
        poll_interval_s=interval,
        max_wait_s=settings.max_wait_s,
    )
    tools = build_tools(load_catalog().operations, runtime)
    server = ScpMcpServer(
        backend,
        runtime,
        settings,
        name=SERVER_NAME,
        title="Samsung Cloud Platform Data Analytics",
        version=_version(),
        instructions=instructions(settings, backend, len(tools)),
        tools=tools,
        log_level="WARNING",
    )
    register_prompts(server)
    register_resources(server, runtime)
    return server
