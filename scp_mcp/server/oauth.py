"""OAuth resource-server mode: JWT access tokens from one issuer, checked against its JWKS.

`serve --transport http --oauth-issuer URL --oauth-audience AUD` accepts a bearer token only when
it is a JWT signed by a key in the issuer's JWKS with an asymmetric algorithm, whose ``iss`` is
the issuer, whose ``aud`` holds the audience, and whose ``exp`` has not passed. The principal is
``oauth:`` + its ``sub`` (else its ``client_id``/``azp``): the prefix keeps a subject named
"local" from passing for the local user. RFC 9728 protected-resource metadata, served at
/.well-known/oauth-protected-resource/mcp, names the issuer so that clients know where to sign in.

Needs PyJWT with its crypto extra (`pip install 'scp-mcp[oauth]'`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.routes import build_resource_metadata_url, create_protected_resource_routes
from mcp.server.auth.settings import AuthSettings
from pydantic import AnyHttpUrl
from starlette.routing import Route

from scp_mcp.server.settings import OAuthSettings, SettingsError

log = logging.getLogger(__name__)

# Never HS* (anyone holding the public JWKS could sign) nor "none".
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_S = 30  # clock skew allowed for iat/nbf (exp is checked strictly, as the SDK's backend does too)
REFETCH_AFTER_S = 60  # an unknown key id fetches the JWKS again at most this often (key rotation)
FETCH_TIMEOUT_S = 10.0


def auth_settings(settings: OAuthSettings) -> AuthSettings:
    # Validated from strings, so a path-less issuer keeps its exact spelling (no trailing slash): RFC 8414
    # compares issuers as strings. AnyHttpUrl(...) alone would add the slash.
    return AuthSettings.model_validate({"issuer_url": settings.issuer, "resource_server_url": settings.resource})


def metadata_url(settings: OAuthSettings) -> AnyHttpUrl:
    """Where the metadata is (RFC 9728 §3.1: the well-known path before the resource's path)."""
    resource = auth_settings(settings).resource_server_url
    assert resource is not None
    return build_resource_metadata_url(resource)


def metadata_routes(settings: OAuthSettings) -> list[Route]:
    """The RFC 9728 metadata document, answered without a token."""
    auth = auth_settings(settings)
    assert auth.resource_server_url is not None
    scopes = list(settings.scopes) or None
    return create_protected_resource_routes(
        auth.resource_server_url, [auth.issuer_url], scopes_supported=scopes, resource_name="scp-mcp"
    )


def require_pyjwt() -> None:
    try:
        import jwt  # noqa: F401
        from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: F401
    except ImportError:
        raise SettingsError("--oauth-issuer needs PyJWT with crypto: pip install 'scp-mcp[oauth]'") from None


class JwksKeys:
    """The issuer's signing keys by key id, fetched when first needed and again when a new id shows up."""

    def __init__(self, settings: OAuthSettings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.clock = settings, clock
        self._keys: dict[str | None, Any] = {}
        self._fetched_at: float | None = None

    async def key(self, kid: str | None) -> Any | None:
        stale = self._fetched_at is None or self.clock() - self._fetched_at >= REFETCH_AFTER_S
        if self._find(kid) is None and stale:
            await self._fetch()
        return self._find(kid)

    def _find(self, kid: str | None) -> Any | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        import jwt

        self._fetched_at = self.clock()
        log.info("fetching the signing keys of %s", self.settings.issuer)
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_S) as http:
            url = self.settings.jwks_url or await _jwks_uri(http, self.settings.issuer)
            reply = await http.get(url)
            reply.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(reply.json()).keys
        self._keys = {key.key_id: key for key in keys if key.algorithm_name in ASYMMETRIC}


async def _jwks_uri(http: httpx.AsyncClient, issuer: str) -> str:
    """``jwks_uri`` from the issuer's RFC 8414 metadata, else its OpenID configuration."""
    parts = urlsplit(issuer)
    path = parts.path.rstrip("/")
    candidates = (
        f"{parts.scheme}://{parts.netloc}/.well-known/oauth-authorization-server{path}",
        f"{issuer.rstrip('/')}/.well-known/openid-configuration",
    )
    for url in candidates:
        reply = await http.get(url)
        if reply.status_code == 200 and isinstance(uri := reply.json().get("jwks_uri"), str):
            return uri
    raise LookupError(f"no jwks_uri at {' or '.join(candidates)}; pass --oauth-jwks-url")


class JwtVerifier(TokenVerifier):
    """A ``TokenVerifier`` for JWT access tokens (RFC 9068) from ``settings.issuer``."""

    def __init__(
        self, settings: OAuthSettings, keys: JwksKeys | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        require_pyjwt()
        self.settings, self.clock = settings, clock
        self.keys = keys or JwksKeys(settings)

    async def verify_token(self, token: str) -> AccessToken | None:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            key = await self.keys.key(header.get("kid"))
            if key is None or header.get("alg") != key.algorithm_name:
                return None
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud"], "verify_exp": False},
            )
        except (httpx.HTTPError, LookupError, json.JSONDecodeError) as exc:
            log.warning("cannot fetch the signing keys of %s: %s", self.settings.issuer, exc)
            return None
        except jwt.PyJWTError:
            return None
        return self._access_token(claims)

    def _access_token(self, claims: Mapping[str, Any]) -> AccessToken | None:
        expires = claims["exp"]
        if not isinstance(expires, int | float) or expires <= self.clock():
            return None
        who = claims.get("sub") or claims.get("client_id") or claims.get("azp")
        if not isinstance(who, str) or not who:
            return None
        principal = "oauth:" + who
        # The raw token stays out of the request's state: the principal stands in for it.
        return AccessToken(
            token=principal,
            client_id=principal,
            scopes=granted_scopes(claims),
            expires_at=int(expires),
            subject=claims.get("sub"),
            claims={"iss": claims["iss"]},
        )


def granted_scopes(claims: Mapping[str, Any]) -> list[str]:
    """The token's scopes: RFC 9068's space-separated ``scope``, else the ``scp`` claim some issuers use
    instead (Okta a list, Microsoft Entra a space-separated string)."""
    for claim in ("scope", "scp"):
        value = claims.get(claim)
        if isinstance(value, str):
            return value.split()
        if isinstance(value, list):
            return [s for s in value if isinstance(s, str)]
    return []
