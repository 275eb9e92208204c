"""The backend and the server a command runs on, with every way that can fail as one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scp_mcp.cli.errors import CliError
from scp_mcp.cli.state import STATE_ERRORS, check_loaded, load_error
from scp_mcp.server.settings import ServerSettings, SettingsError

if TYPE_CHECKING:
    from scp_mcp.server.app import ScpMcpServer
    from scp_mcp.server.backend import Backend

REPAIR = "fix it, delete it, or choose another file"


def open_backend(settings: ServerSettings, *, repair: str = REPAIR) -> Backend:
    """choose_backend, with configuration errors and an unusable sandbox state file as CliError."""
    from scp_mcp.client.errors import ConfigError
    from scp_mcp.server.backend import choose_backend

    try:
        backend = choose_backend(settings)
    except (SettingsError, ConfigError) as exc:
        raise CliError(str(exc)) from None
    except STATE_ERRORS as exc:
        if settings.sandbox_state is None:
            raise
        raise load_error(settings.sandbox_state, exc, hint=repair) from None
    if backend.sandbox is not None and settings.sandbox_state is not None:
        try:
            check_loaded(backend.sandbox)
        except STATE_ERRORS as exc:
            raise load_error(settings.sandbox_state, exc, hint=repair) from None
    return backend


def uses_sandbox(settings: ServerSettings) -> bool:
    from scp_mcp.client.errors import ConfigError
    from scp_mcp.server.backend import uses_sandbox as decide

    try:
        return decide(settings)
    except (SettingsError, ConfigError) as exc:
        raise CliError(str(exc)) from None


def open_server(settings: ServerSettings, *, simulated_waits: bool = False, repair: str = REPAIR) -> ScpMcpServer:
    """The server on its backend. With `simulated_waits`, waits on the sandbox move its clock instead of sleeping."""
    backend = open_backend(settings, repair=repair)  # configuration errors first, before the MCP SDK loads
    from scp_mcp.server.app import build_server

    sandbox = backend.sandbox
    if sandbox is None or not simulated_waits:
        return build_server(settings, backend)

    async def sleep(seconds: float) -> None:
        sandbox.advance(seconds)

    return build_server(settings, backend, clock=sandbox.clock.now, sleep=sleep)
