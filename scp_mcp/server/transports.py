"""Run the server: stdio (what MCP clients launch) or streamable HTTP, hardened (http_security.py,
http_limits.py) and served by uvicorn, configured here."""

from __future__ import annotations

import sys
from typing import Literal

from scp_mcp.server.app import ScpMcpServer
from scp_mcp.server.settings import HttpSettings
from scp_mcp.server.stdio import serve_stdio

Transport = Literal["stdio", "http"]


async def serve(server: ScpMcpServer, transport: Transport, http: HttpSettings | None = None) -> None:
    """Serve until the client disconnects (stdio) or the process is interrupted (HTTP); then close."""
    try:
        if transport == "stdio":
            await serve_stdio(server)
        else:
            await serve_http(server, http or HttpSettings())
    finally:
        await server.aclose()


async def serve_http(server: ScpMcpServer, http: HttpSettings) -> None:
    """Streamable HTTP at /mcp. Raises StartRefused (or SettingsError) before listening when the
    settings would expose the server. Its modules (uvicorn, h11, the defences) load only here: a stdio
    server, what MCP clients launch, does not need them before its first tools/list."""
    import uvicorn
    from mcp.server.transport_security import TransportSecuritySettings

    from scp_mcp.server.http_limits import read_deadline_protocol
    from scp_mcp.server.http_security import allowed_hosts, allowed_origins, check_bind, secured, token_verifier

    verifier, oauth = token_verifier(http), http.oauth()
    check_bind(http.host, authenticated=verifier is not None)
    app = server.streamable_http_app(
        host=http.host,
        max_request_body_size=http.max_body_bytes,
        # Host and Origin are checked outside the app, in every bind mode (http_security.AllowList).
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    guarded = secured(
        app,
        hosts=allowed_hosts(http.host, http.allowed_hosts),
        origins=allowed_origins(http.allowed_origins),
        verifier=verifier,
        oauth=oauth,
    )
    config = uvicorn.Config(
        guarded,
        host=http.host,
        port=http.port,
        http=read_deadline_protocol(http.read_timeout_s),
        timeout_keep_alive=5,
        log_config=None,  # our logging (serve --log-level) stays as configured
        access_log=False,
    )
    auth = (
        f"OAuth tokens from {oauth.issuer}"
        if oauth
        else ("bearer tokens" if verifier else "no authentication (loopback only)")
    )
    where = f"[{http.host}]" if ":" in http.host else http.host
    print(
        f"scp-mcp: MCP over streamable HTTP at http://{where}:{http.port}/mcp ({server.backend.where}; {auth})",
        file=sys.stderr,
    )
    await uvicorn.Server(config).serve()
