"""OAuth resource-server mode (`serve --oauth-issuer URL --oauth-audience AUD`), over the wire against the
installed `scp-mcp`, with a local issuer on loopback: a valid JWT opens the server (through `mcp.Client`
too); an expired one, one for another audience or from another issuer, one with a bad signature, and
an HS256 one keyed with the public JWKS are refused with 401; the RFC 9728 metadata document is
served without a token, and the 401 points to it."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import jwt
import pytest
from jwt.algorithms import RSAAlgorithm
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from scp_mcp.server.http_security import token_verifier
from scp_mcp.server.oauth import JwksKeys, JwtVerifier
from scp_mcp.server.settings import HttpSettings, OAuthSettings, SettingsError
from tests.support.cli import run_main
from tests.support.http_server import http_server
from tests.support.issuer import KID, Issuer, local_issuer, new_key

pytestmark = pytest.mark.anyio

AUDIENCE = "scp-mcp-test"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@dataclass(frozen=True)
class Served:
    port: int
    issuer: Issuer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    with local_issuer() as running:
        yield running


@pytest.fixture(scope="module")
async def served(scp_mcp_exe: str, issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    home = tmp_path_factory.mktemp("oauth")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    env.update(HOME=str(home), SCP_MCP_STATE_DIR=str(home / "state"))
    flags = ["--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE]
    async with http_server(scp_mcp_exe, env, flags) as port:
        yield Served(port, issuer)


async def _post(served: Served, token: str | None) -> httpx.Response:
    headers = {**MCP_HEADERS, **({"Authorization": f"Bearer {token}"} if token else {})}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(served.url, json=INITIALIZE, headers=headers)


def _hs256_with_the_public_key(issuer: Issuer) -> str:
    """Algorithm confusion: the served public key used as an HMAC secret."""
    public = RSAAlgorithm.to_jwk(issuer.key.public_key()).encode()
    now = int(time.time())
    body = {"iss": issuer.url, "aud": AUDIENCE, "sub": "mallory", "exp": now + 3600}
    header = {"alg": "HS256", "typ": "JWT", "kid": KID}
    signing_input = (
        jwt.utils.base64url_encode(json.dumps(header).encode())
        + b"."
        + jwt.utils.base64url_encode(json.dumps(body).encode())
    )
    signature = jwt.utils.base64url_encode(hmac.new(public, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()


REFUSED: dict[str, Any] = {
    "expired": lambda i: i.token(AUDIENCE, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "wrong audience": lambda i: i.token("another-server"),
    "wrong issuer": lambda i: i.token(AUDIENCE, iss="https://elsewhere.example.com"),
    "bad signature": lambda i: i.token(AUDIENCE, key=new_key()),
    "unknown key id": lambda i: i.token(AUDIENCE, kid="no-such-key"),
    "no expiry": lambda i: i.token(AUDIENCE, exp=None),
    "hs256 keyed with the public key": _hs256_with_the_public_key,
    "not a jwt": lambda i: "not-a-jwt-0123456789abcdef",
}


async def test_the_metadata_document_is_served_without_a_token(served: Served) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        reply = await http.get(f"http://127.0.0.1:{served.port}/.well-known/oauth-protected-resource/mcp")
    assert reply.status_code == 200
    document = reply.json()
    assert document["resource"] == served.url
    assert document["authorization_servers"] == [served.issuer.url]
    assert document["bearer_methods_supported"] == ["header"]


async def test_without_a_token_the_401_points_to_the_metadata(served: Served) -> None:
    reply = await _post(served, None)
    assert reply.status_code == 401
    challenge = reply.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert f'resource_metadata="http://127.0.0.1:{served.port}/.well-known/oauth-protected-resource/mcp"' in challenge


async def test_a_valid_token_opens_a_session(served: Served) -> None:
    reply = await _post(served, served.issuer.token(AUDIENCE))
    assert reply.status_code == 200
    assert reply.headers["mcp-session-id"]


@pytest.mark.parametrize("case", REFUSED)
async def test_a_token_that_does_not_check_out_gets_401(served: Served, case: str) -> None:
    reply = await _post(served, REFUSED[case](served.issuer))
    assert reply.status_code == 401, case
    assert "mcp-session-id" not in reply.headers
    assert reply.json()["error"] == "invalid_token"


async def test_the_token_holder_gets_the_tools(served: Served, mode: str) -> None:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {served.issuer.token(AUDIENCE)}"})
    with anyio.fail_after(30):
        async with Client(streamable_http_client(served.url, http_client=http), mode=mode) as client:
            listed = await client.call_tool("eventstreams_list_clusters", {})
    assert not listed.is_error
    assert listed.structured_content is not None
    assert {c["name"] for c in listed.structured_content["data"]["contents"]} >= {"orders-kafka"}


def _verifier(issuer: Issuer, now: float | None = None) -> JwtVerifier:
    settings = OAuthSettings(issuer.url, AUDIENCE, "http://127.0.0.1:8000/mcp")
    return JwtVerifier(settings, clock=(lambda: now) if now is not None else time.time)


async def test_the_principal_is_the_subject_else_the_client_id(issuer: Issuer) -> None:
    verifier = _verifier(issuer)
    by_subject = await verifier.verify_token(issuer.token(AUDIENCE, sub="alice"))
    by_client = await verifier.verify_token(issuer.token(AUDIENCE, sub=None, client_id="ci-bot"))
    assert by_subject is not None
    assert by_subject.client_id == "oauth:alice"
    assert by_subject.subject == "alice"
    assert by_client is not None
    assert by_client.client_id == "oauth:ci-bot"
    assert by_subject.token == by_subject.client_id  # the raw token is not kept in the request's state


async def test_expiry_is_checked_against_the_injected_clock(issuer: Issuer) -> None:
    token = issuer.token(AUDIENCE)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert await _verifier(issuer, now=expires - 1).verify_token(token) is not None
    assert await _verifier(issuer, now=expires).verify_token(token) is None


async def test_a_new_key_id_fetches_the_keys_again_at_most_once_a_minute(issuer: Issuer) -> None:
    now = [1000.0]
    settings = OAuthSettings(issuer.url, AUDIENCE, "http://127.0.0.1:8000/mcp")
    verifier = JwtVerifier(settings, JwksKeys(settings, clock=lambda: now[0]))
    assert await verifier.verify_token(issuer.token(AUDIENCE)) is not None
    fetched = issuer.jwks_requests
    rotated = new_key()
    issuer.served_keys["test-key-2"] = rotated
    try:
        now[0] += 1
        assert await verifier.verify_token(issuer.token(AUDIENCE, key=rotated, kid="test-key-2")) is None
        assert issuer.jwks_requests == fetched  # within the minute: not fetched again
        now[0] += 60
        assert await verifier.verify_token(issuer.token(AUDIENCE, key=rotated, kid="test-key-2")) is not None
        assert issuer.jwks_requests == fetched + 1
        now[0] += 1
        assert await verifier.verify_token(issuer.token(AUDIENCE, key=new_key(), kid="never-served")) is None
        assert issuer.jwks_requests == fetched + 1
    finally:
        del issuer.served_keys["test-key-2"]


def test_oauth_needs_an_audience_and_excludes_static_tokens(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_main(capsys, "serve", "--transport", "http", "--oauth-issuer", "https://login.example.com")
    assert code == 2
    assert "--oauth-audience" in err
    tokens = tmp_path / "tokens"
    tokens.write_text("0123456789abcdef0123\n")
    both = HttpSettings(auth_token_file=tokens, oauth_issuer="https://login.example.com", oauth_audience=AUDIENCE)
    with pytest.raises(SettingsError, match="not both"):
        token_verifier(both)


SCOPE = "scp-mcp.use"


@pytest.fixture(scope="module")
async def scoped(scp_mcp_exe: str, issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    """The server requiring a scope in every token (`--oauth-scope`)."""
    home = tmp_path_factory.mktemp("oauth-scoped")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    env.update(HOME=str(home), SCP_MCP_STATE_DIR=str(home / "state"))
    flags = ["--oauth-issuer", issuer.url, "--oauth-audience", AUDIENCE, "--oauth-scope", SCOPE]
    async with http_server(scp_mcp_exe, env, flags) as port:
        yield Served(port, issuer)


async def test_a_required_scope_is_advertised_in_the_metadata(scoped: Served) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        reply = await http.get(f"http://127.0.0.1:{scoped.port}/.well-known/oauth-protected-resource/mcp")
    assert reply.json()["scopes_supported"] == [SCOPE]


async def test_a_token_without_the_required_scope_gets_403(scoped: Served) -> None:
    for token in (scoped.issuer.token(AUDIENCE), scoped.issuer.token(AUDIENCE, scope="openid profile")):
        reply = await _post(scoped, token)
        assert reply.status_code == 403
        assert reply.json()["error"] == "insufficient_scope"
        assert SCOPE in reply.json()["error_description"]
        assert "mcp-session-id" not in reply.headers


@pytest.mark.parametrize("claims", [{"scope": f"openid {SCOPE}"}, {"scp": [SCOPE]}, {"scp": f"{SCOPE} other"}])
async def test_the_scope_may_come_as_scope_or_as_scp(scoped: Served, claims: dict[str, Any]) -> None:
    reply = await _post(scoped, scoped.issuer.token(AUDIENCE, **claims))
    assert reply.status_code == 200
    assert reply.headers["mcp-session-id"]


def test_scopes_need_an_issuer_and_are_single_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(capsys, "serve", "--transport", "http", "--oauth-scope", SCOPE)
    assert code == 2
    assert "--oauth-scope needs --oauth-issuer" in err
    spaced = HttpSettings(oauth_issuer="https://login.example.com", oauth_audience=AUDIENCE, oauth_scopes=("a b",))
    with pytest.raises(SettingsError, match="one word"):
        spaced.oauth()
    env = {"SCP_MCP_OAUTH_SCOPES": f"{SCOPE}, other"}
    assert HttpSettings.from_env(env).oauth_scopes == (SCOPE, "other")
