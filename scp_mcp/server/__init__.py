"""The MCP server: settings, backend choice, ``build_server``, transports.

Exports load lazily, so that commands which only need the catalog (``scp-mcp tools``) do not pay
for importing the MCP SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scp_mcp.server.app import SERVER_NAME, ScpMcpServer, build_server
    from scp_mcp.server.backend import Backend, choose_backend, sandbox_backend, scp_backend
    from scp_mcp.server.settings import ServerSettings, SettingsError

_EXPORTS = {
    "SERVER_NAME": "scp_mcp.server.app",
    "ScpMcpServer": "scp_mcp.server.app",
    "build_server": "scp_mcp.server.app",
    "Backend": "scp_mcp.server.backend",
    "choose_backend": "scp_mcp.server.backend",
    "sandbox_backend": "scp_mcp.server.backend",
    "scp_backend": "scp_mcp.server.backend",
    "ServerSettings": "scp_mcp.server.settings",
    "SettingsError": "scp_mcp.server.settings",
}

__all__ = [
    "SERVER_NAME",
    "Backend",
    "ScpMcpServer",
    "ServerSettings",
    "SettingsError",
    "build_server",
    "choose_backend",
    "sandbox_backend",
    "scp_backend",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
