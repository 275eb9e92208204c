"""Who is calling: the authenticated principal of an HTTP request, else "local".

Previews (sealed confirmations) and ledger entries are scoped to this value, so one caller can
neither confirm nor read another's work. Over stdio, and over HTTP without authentication, every
caller is the one local user.
"""

from __future__ import annotations

from mcp.server.auth.middleware.auth_context import get_access_token

LOCAL = "local"


def caller_id() -> str:
    """The current request's principal: the access token's client id, or ``LOCAL``."""
    token = get_access_token()
    return token.client_id if token is not None and token.client_id else LOCAL


def with_caller(client: str) -> str:
    """The audit log's client field: the MCP client's name, and the principal when it is not local."""
    caller = caller_id()
    return client if caller == LOCAL else f"{client} ({caller})"
