"""Whom the HTTP transport answers: bearer tokens (who) and the Host/Origin allow-lists (from where).

The checks run outside the MCP app, in this order, on every HTTP request: Host and Origin first (a
page on another site that rebinds its name to this server gets 421 or 403 and learns nothing
more), then the bearer token (401 with ``WWW-Authenticate: Bearer``; nothing else is answered).
A static token's principal is ``token:`` and the first 12 hex digits of its SHA-256: stable across
restarts and replicas, and not the secret. With --oauth-issuer, JWT access tokens are checked
instead (server/oauth.py), and the RFC 9728 metadata document is answered without a token.
``tools.callers.caller_id()`` reads the principal through the SDK's ``get_access_token()``, so
previews are scoped to it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Sequence

from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import AccessToken, TokenVerifier
from starlette.datastructures import Headers
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from scp_mcp.server.health import HEALTH_PATHS
from scp_mcp.server.oauth import metadata_routes, metadata_url
from scp_mcp.server.settings import HttpSettings, OAuthSettings, SettingsError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


class StartRefused(SettingsError):
    """The server must not start with these settings; the message says what to change."""


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, authenticated: bool) -> None:
    """Refuse to serve beyond this machine without authentication."""
    if not authenticated and not is_loopback(host):
        raise StartRefused(
            f"refusing to serve on {host or '*'} without authentication: anyone who can reach it could use your "
            "SCP credentials. Pass --auth-token-file FILE (or set SCP_MCP_AUTH_TOKEN) or --oauth-issuer, "
            "or bind 127.0.0.1"
        )


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Host header values answered: the loopback names and a specific bind address (any port), plus ``extra``."""
    names = list(LOOPBACK_NAMES)
    if bind not in WILDCARD_BINDS and not is_loopback(bind):
        names.append(f"[{bind}]" if ":" in bind else bind)
    return (*(f"{name}:*" for name in names), *names, *extra)


def allowed_origins(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Origin header values answered (a request without Origin is not from a browser page): loopback, plus ``extra``."""
    return (*(f"{scheme}://{name}:*" for scheme in ("http", "https") for name in LOOPBACK_NAMES), *extra)


def matches(value: str, allowed: Sequence[str]) -> bool:
    """Exact (case-insensitive) match, or ``name:*`` for the name with any port."""
    value = value.lower()
    for entry in allowed:
        entry = entry.lower()
        if value == entry or (
            entry.endswith(":*") and value.startswith(entry[:-1]) and value[len(entry) - 1 :].isdigit()
        ):
            return True
    return False


def principal_of(token: str) -> str:
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]


class StaticTokens(TokenVerifier):
    """Bearer tokens from a file or the environment; each is its own principal."""

    def __init__(self, tokens: Sequence[str]) -> None:
        if not tokens:
            raise ValueError("StaticTokens needs at least one token")
        self._tokens = tuple(token.encode() for token in tokens)

    async def verify_token(self, token: str) -> AccessToken | None:
        presented = token.encode()
        found: bytes | None = None
        for known in self._tokens:  # every comparison runs, in constant time each
            if hmac.compare_digest(presented, known):
                found = known
        if found is None:
            return None
        principal = principal_of(found.decode())
        # The secret stays out of the request's state: the principal stands in for it.
        return AccessToken(token=principal, client_id=principal, scopes=[])


def token_verifier(http: HttpSettings) -> TokenVerifier | None:
    """``StaticTokens``, or ``JwtVerifier`` with --oauth-issuer (never both), or None for no authentication."""
    tokens, oauth = http.auth_tokens(), http.oauth()
    if tokens and oauth:
        raise SettingsError("pass --auth-token-file (or SCP_MCP_AUTH_TOKEN) or --oauth-issuer, not both")
    if oauth:
        from scp_mcp.server.oauth import JwtVerifier

        return JwtVerifier(oauth)
    return StaticTokens(tokens) if tokens else None


class AllowList:
    """421 for a Host, 403 for an Origin, that is not on the allow-list; in every bind mode."""

    def __init__(self, app: ASGIApp, hosts: Sequence[str], origins: Sequence[str]) -> None:
        self.app, self.hosts, self.origins = app, tuple(hosts), tuple(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            host, origin = headers.get("host", ""), headers.get("origin")
            if not matches(host, self.hosts):
                reply = PlainTextResponse("Host not allowed; the server's operator can add it with --allowed-host", 421)
                return await reply(scope, receive, send)
            if origin is not None and not matches(origin, self.origins):
                reply = PlainTextResponse(
                    "Origin not allowed; the server's operator can add it with --allowed-origin", 403
                )
                return await reply(scope, receive, send)
        await self.app(scope, receive, send)


class _HttpOnly:
    """Sends HTTP requests through ``guarded`` and everything else (the lifespan) straight to ``app``."""

    def __init__(self, app: ASGIApp, guarded: ASGIApp) -> None:
        self.app, self.guarded = app, guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await (self.guarded if scope["type"] == "http" else self.app)(scope, receive, send)


class _Probes:
    """Health and readiness probes go straight to ``app`` (they answer nothing but a status); every
    other request goes through ``guarded``."""

    def __init__(self, app: ASGIApp, guarded: ASGIApp) -> None:
        self.app, self.guarded = app, guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        probe = scope["type"] == "http" and scope.get("method") == "GET" and scope.get("path") in HEALTH_PATHS
        await (self.app if probe else self.guarded)(scope, receive, send)


class _Public:
    """Answers ``routes`` (the OAuth metadata) itself; every other request goes on to ``app``."""

    def __init__(self, app: ASGIApp, routes: Sequence[Route]) -> None:
        self.app, self.routes = app, tuple(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                return await route.handle({**scope, **child}, receive, send)
        await self.app(scope, receive, send)


def secured(
    app: ASGIApp,
    *,
    hosts: Sequence[str],
    origins: Sequence[str],
    verifier: TokenVerifier | None,
    oauth: OAuthSettings | None = None,
) -> ASGIApp:
    """``app`` behind the allow-lists and, with a verifier, the SDK's bearer authentication; with
    ``oauth``, a 401 names the metadata document (RFC 9728 §5.1), which is served without a token."""
    inner: ASGIApp = app
    if verifier is not None:
        where = metadata_url(oauth) if oauth else None
        scopes = list(oauth.scopes) if oauth else []
        required = RequireAuthMiddleware(
            AuthContextMiddleware(app), required_scopes=scopes, resource_metadata_url=where
        )
        inner = _Probes(app, AuthenticationMiddleware(required, backend=BearerAuthBackend(verifier)))
    if oauth is not None:
        inner = _Public(inner, metadata_routes(oauth))
    return AllowList(_HttpOnly(app, inner), hosts, origins)
