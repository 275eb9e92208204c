"""The MCP server: settings, backend choice, ``build_server``, transports."""

from scp_mcp.server.app import SERVER_NAME, ScpMcpServer, build_server
from scp_mcp.server.backend import Backend, choose_backend, sandbox_backend, scp_backend
from scp_mcp.server.settings import ServerSettings, SettingsError

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
