"""``build_server``: the MCP server with every exposed operation as a tool, plus prompts and resources."""

from __future__ import annotations

import difflib
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.request_state import RequestStateSecurity
from mcp.types import CallToolResult, InputRequiredResult, TextContent
from pydantic import ValidationError

from scp_mcp.catalog import load_catalog
from scp_mcp.catalog.capabilities import describe_service, matrix
from scp_mcp.server.backend import Backend
from scp_mcp.server.discover import CALL, META_TOOLS, description_record, meta_tools, search_index
from scp_mcp.server.health import register_health
from scp_mcp.server.instructions import instructions
from scp_mcp.server.listing_cache import ToolListCache
from scp_mcp.server.prompt_steps import service_named
from scp_mcp.server.resources import register_prompts, register_resources
from scp_mcp.server.settings import ServerSettings, SettingsError
from scp_mcp.store import Store, default_state_dir
from scp_mcp.store.choose import open_store
from scp_mcp.store.errors import StoreError
from scp_mcp.tools import Reply, ToolRuntime, ToolSettings, build_tools, operator_tools, validation_message
from scp_mcp.tools.confirmations import Sealer

SERVER_NAME = "scp-mcp"
log = logging.getLogger(__name__)


def _request_state_security(seal_key: bytes | None) -> RequestStateSecurity | None:
    """With a configured seal key, a dialog's request state (2026-07-28) is sealed under a key derived from
    it, so the answer may come back through any replica; None: the SDK's per-process key."""
    if seal_key is None:
        return None
    derived = hmac.new(seal_key, b"scp-mcp request state", hashlib.sha256).digest()
    return RequestStateSecurity(keys=[derived])


def _version() -> str:
    try:
        return version("scp-mcp")
    except PackageNotFoundError:
        return "0"


class ScpMcpServer(MCPServer[Any]):
    """MCPServer whose argument errors name the field and say what to change, and which keeps its backend."""

    def __init__(self, backend: Backend, runtime: ToolRuntime, tools: list[Tool], **kwargs: Any) -> None:
        super().__init__(tools=tools, **kwargs)
        self.backend = backend
        self.runtime = runtime
        self.argument_names = {
            t.name: frozenset(t.parameters.get("properties", {})) for t in tools if t.name not in META_TOOLS
        }
        self.meta_names = frozenset(t.name for t in tools if t.name in META_TOOLS)  # the discover profile's

    async def aclose(self) -> None:
        """Close what the server holds: the backend's connections, then the store (its file or its pool)."""
        try:
            await self.backend.aclose()
        finally:
            self.runtime.store.close()

    async def list_tools(self) -> list[Any]:
        listed = await super().list_tools()
        return [t for t in listed if t.name in self.meta_names] if self.meta_names else listed

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        if name in self.meta_names:
            return await (
                self._call_operation(arguments, context) if name == CALL else self._run(name, arguments, context)
            )
        if name not in self.argument_names and (host := service_named(name)) is not None:
            text = describe_service(host)  # a service, not a tool: what its API can and cannot do
            return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=matrix()[host])
        if name not in self.argument_names:
            hidden = self._hidden(name)
            return self._error(name, *((hidden, "hidden_tool") if hidden else (self._unknown(name), "unknown_tool")))
        unknown = sorted(set(arguments) - self.argument_names[name])
        if unknown:
            log.info("tool %s refused unknown arguments %s", name, unknown)
            return self._error(name, unknown_arguments(name, unknown, self.argument_names[name]), "invalid_arguments")
        return await self._run(name, arguments, context)

    async def _run(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError:
            log.exception("tool %s crashed", name)
            return self._error(name, f"{name} failed inside scp-mcp; the server's log has the details.", "internal")
        except ToolError as exc:
            log.info("tool %s refused: %s", name, type(exc.__cause__).__name__ if exc.__cause__ else "ToolError")
            return self._error(name, *self._explain(name, exc))

    async def _call_operation(
        self, arguments: dict[str, Any], context: Context[Any, Any] | None
    ) -> CallToolResult | InputRequiredResult:
        """call_operation: the named tool through this server's own call_tool, so checks, policy, guard,
        ledger and results are the typed tool's (a confirmation is the same round trip, through here)."""
        tool, inner = arguments.get("tool"), arguments.get("arguments") or {}
        if not isinstance(tool, str) or not isinstance(inner, dict) or set(arguments) - {"tool", "arguments"}:
            text = (
                f"Invalid arguments for {CALL}: it takes tool (a tool name from search_operations) and "
                "arguments (an object). Nothing was sent."
            )
            return self._error(CALL, text, "invalid_arguments")
        if tool in self.meta_names:
            return self._error(CALL, f"{tool} is a meta tool: call it directly. Nothing was sent.", "invalid_arguments")
        return await self.call_tool(tool, inner, context)

    def describe_operation(self, name: str) -> CallToolResult:
        """describe_operation: the exposed tool's input schema (as the full profile lists it), risk and text."""
        if name not in self.argument_names and (host := service_named(name)) is not None:
            text = describe_service(host)  # a service, not a tool: what its API can and cannot do
            return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=matrix()[host])
        if name not in self.argument_names:
            hidden = self._hidden(name)
            return self._error(name, *((hidden, "hidden_tool") if hidden else (self._unknown(name), "unknown_tool")))
        tool = self._tool_manager.get_tool(name)
        assert tool is not None
        record = description_record(tool)
        text = f"{name} ({record['risk']}, {record['async']}): {record['description']}"
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=record)

    def _error(self, name: str, text: str, error: str) -> CallToolResult:
        """An isError result that, like every result, says which backend this server talks to."""
        op = load_catalog().get(name)
        return Reply(name, op.name if op else None, self.backend.kind, self.runtime.settings.secrets).error(text, error)

    def _explain(self, name: str, exc: ToolError) -> tuple[str, str]:
        """The message and the error class of a refusal raised before or around the pipeline."""
        cause = exc.__cause__
        # A ToolError caused by a ValidationError comes from the SDK checking the arguments against the
        # input schema: the pipeline never raises one, and anything else the body raises is unexpected.
        if isinstance(cause, ValidationError):
            text = (
                f"Invalid arguments for {name}: {validation_message(cause)}. "
                "Nothing was sent; fix them (see the tool's input schema) and call again."
            )
            return text, "invalid_arguments"
        return str(exc), "refused"

    def _unknown(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.argument_names), n=3)
        hint = f" Did you mean {' or '.join(close)}?" if close else " List the tools to see what this server offers."
        return f"Unknown tool: {name}.{hint}"

    def _hidden(self, name: str) -> str | None:
        """Why a catalog tool this server's policy hides cannot be called; None for names outside the catalog."""
        op = load_catalog().get(name)
        if op is None:
            return None
        refusal = (self.runtime.settings.policy.refusal(op) or "is hidden").removeprefix(f"{name} ")
        return f"{name} is not available on this server: it {refusal}. Nothing was sent."


_ARG_ADVICE = {
    "confirm": "it is a {risk} tool: there is nothing to confirm",
    "confirm_token": "it is a {risk} tool: there is nothing to confirm",
    "wait_seconds": "it answers at once: there is nothing to wait for",
    "api_version": "it has a single documented API version",
}
_ELICIT_ONLY = "this server confirms it through the user's confirmation dialog, not an argument"


def unknown_arguments(tool: str, unknown: list[str], known: frozenset[str]) -> str:
    """Say which arguments the tool does not take, why where that is telling, and what it does take."""
    op = load_catalog().get(tool)
    parts = []
    for arg in unknown:
        why = _ARG_ADVICE.get(arg) if op is not None else None
        if why and arg in ("confirm", "confirm_token") and op is not None:
            why = _ELICIT_ONLY if op.guarded else why.format(risk=op.risk)
        close = difflib.get_close_matches(arg, sorted(known), n=1)
        detail = f" ({why})" if why else (f" (did you mean {close[0]}?)" if close else "")
        parts.append(f"{arg}{detail}")
    takes = ", ".join(sorted(known)) or "no arguments"
    return (
        f"Invalid arguments for {tool}: it does not take {'; '.join(parts)}. Nothing was sent; "
        f"leave {'it' if len(unknown) == 1 else 'them'} out and call again. It takes: {takes}."
    )


def _call_deadline(backend: Backend) -> float:
    """Every attempt timing out, plus the retry budget, plus a margin: past this no answer is coming."""
    s = backend.settings
    return s.timeout_s * s.max_attempts + s.max_retry_time_s + 5.0


def _open_store(settings: ServerSettings) -> Store:
    try:
        return open_store(settings.store, settings.state_dir or default_state_dir())
    except StoreError as exc:
        raise SettingsError(str(exc)) from None


def build_server(
    settings: ServerSettings,
    backend: Backend,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    store: Store | None = None,
) -> ScpMcpServer:
    """``store``: injected (tests pass an in-memory one); else ``settings.store``, else the SQLite file in the
    state dir."""
    settings.check()
    interval = settings.poll_interval_s or (2.0 if backend.kind == "sandbox" else 5.0)
    tool_settings = ToolSettings(
        backend=backend.kind,
        confirmation=settings.confirmation,
        policy=settings.policy,
        default_versions=backend.settings.default_versions,
        secrets=backend.secrets(),
        poll_interval_s=interval,
        max_wait_s=settings.max_wait_s,
        call_deadline_s=settings.call_deadline_s or _call_deadline(backend),
    )
    key = settings.seal_key()
    runtime = ToolRuntime(
        caller=backend.client,
        settings=tool_settings,
        clock=clock,
        sleep=sleep,
        store=store or _open_store(settings),
        sealer=Sealer(key) if key else Sealer.random(),
    )
    if backend.sandbox is not None:  # the sandbox's own time: its records' dates and the ledger's agree
        runtime.wall_clock = backend.sandbox.clock.now
    generated = build_tools(load_catalog().operations, runtime)
    operators = operator_tools(runtime)
    tools = generated + operators
    meta: list[Tool] = []
    server: ScpMcpServer
    if settings.profile == "discover":
        index = search_index((op for op in load_catalog().operations if settings.policy.allows(op)), operators)
        meta = meta_tools(index, lambda name: server.describe_operation(name))  # server: assigned below
    server = ScpMcpServer(
        backend,
        runtime,
        name=SERVER_NAME,
        title="Samsung Cloud Platform Data Analytics",
        version=_version(),
        instructions=instructions(settings, backend, len(generated), [t.name for t in operators]),
        tools=tools + meta,
        log_level="WARNING",
        request_state_security=_request_state_security(key),
        middleware=[ToolListCache()],
    )
    register_prompts(server, runtime)
    register_resources(server, runtime)
    register_health(server, runtime.store)
    return server
