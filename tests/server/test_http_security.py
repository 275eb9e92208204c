"""The HTTP transport's refusals, over the wire against the installed `scp-mcp`: no token and a wrong
token (401, nothing else answered), a Host or Origin off the allow-list (421, 403), an oversized
body (413), a client trickling its request (disconnected), a non-loopback bind without
authentication (refused at start), and a preview that another caller cannot confirm. The token's
holder gets the whole server through `mcp.Client`, in both protocol eras."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from scp_mcp.server.http_security import principal_of
from scp_mcp.store import SqliteStore
from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.http_server import http_server

pytestmark = pytest.mark.anyio

ALICE = "alice-0123456789abcdef0123"
BOB = "bob-0123456789abcdef012345"
MAX_BODY = 64 * 1024
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
    state_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    return {**env, "HOME": str(home), "SCP_MCP_STATE_DIR": str(home / "state")}


@pytest.fixture(scope="module")
async def served(scp_mcp_exe: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    home = tmp_path_factory.mktemp("http-security")
    tokens = home / "tokens"
    tokens.write_text(f"# one token a line\n{ALICE}\n{BOB}\n")
    flags = ["--auth-token-file", str(tokens), "--max-body-bytes", str(MAX_BODY), "--read-timeout", "5"]
    async with http_server(scp_mcp_exe, _env(home), flags) as port:
        yield Served(port, home / "state")


async def _post(served: Served, headers: dict[str, str], body: Any = INITIALIZE) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(served.url, json=body, headers={**MCP_HEADERS, **headers})


def _client(served: Served, token: str, mode: str) -> Client:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    return Client(streamable_http_client(served.url, http_client=http), mode=mode)


async def test_a_request_without_a_token_gets_401_and_nothing_else(served: Served) -> None:
    reply = await _post(served, {})
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer ")
    assert "mcp-session-id" not in reply.headers
    assert reply.json()["error"] == "invalid_token"


async def test_health_probes_answer_without_a_token_and_nothing_else_does(served: Served) -> None:
    base = served.url.removesuffix("/mcp")
    async with httpx.AsyncClient(timeout=30) as http:
        probes = [await http.get(f"{base}{path}") for path in ("/healthz", "/readyz")]
        posted = await http.post(f"{base}/healthz", json=INITIALIZE, headers=MCP_HEADERS)
    assert [(p.status_code, p.json()["status"]) for p in probes] == [(200, "ok"), (200, "ready")]
    assert posted.status_code == 401  # only a GET of a probe passes without a token


async def test_a_wrong_token_gets_401(served: Served) -> None:
    for wrong in (ALICE[:-1], ALICE + "x", "Basic " + ALICE):
        reply = await _post(served, {"Authorization": f"Bearer {wrong}"})
        assert reply.status_code == 401, wrong
        assert reply.headers["www-authenticate"].startswith("Bearer ")
        assert "mcp-session-id" not in reply.headers


async def test_the_token_opens_a_session(served: Served) -> None:
    reply = await _post(served, {"Authorization": f"Bearer {ALICE}"})
    assert reply.status_code == 200
    assert reply.headers["mcp-session-id"]


async def test_another_token_cannot_use_a_session(served: Served) -> None:
    opened = await _post(served, {"Authorization": f"Bearer {ALICE}"})
    session = {"Mcp-Session-Id": opened.headers["mcp-session-id"], "Mcp-Protocol-Version": "2025-06-18"}
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    hijacked = await _post(served, {"Authorization": f"Bearer {BOB}", **session}, listing)
    assert hijacked.status_code == 404
    assert "tools" not in hijacked.text


async def test_a_host_off_the_allow_list_gets_421_even_with_a_token(served: Served) -> None:
    for host in ("evil.com", f"evil.com:{served.port}", "127.0.0.1.evil.com"):
        reply = await _post(served, {"Authorization": f"Bearer {ALICE}", "Host": host})
        assert reply.status_code == 421, host
        assert "--allowed-host" in reply.text


async def test_an_origin_off_the_allow_list_gets_403(served: Served) -> None:
    reply = await _post(served, {"Authorization": f"Bearer {ALICE}", "Origin": "http://evil.com"})
    assert reply.status_code == 403
    assert "--allowed-origin" in reply.text
    allowed = await _post(served, {"Authorization": f"Bearer {ALICE}", "Origin": f"http://localhost:{served.port}"})
    assert allowed.status_code == 200


async def test_an_oversized_body_gets_413(served: Served) -> None:
    padded = {**INITIALIZE, "params": {**INITIALIZE["params"], "pad": "x" * MAX_BODY}}  # type: ignore[dict-item]
    reply = await _post(served, {"Authorization": f"Bearer {ALICE}"}, padded)
    assert reply.status_code == 413


async def test_a_client_trickling_its_request_is_disconnected(served: Served) -> None:
    """Slowloris: one byte of the head at a time, each sent as soon as the last was taken. The server
    (read timeout 5 s) hangs up long before the head is complete."""
    head = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 4000
    closed = False
    with anyio.fail_after(60):
        stream = await anyio.connect_tcp("127.0.0.1", served.port)
        async with stream:
            for byte in head:
                try:
                    await stream.send(bytes([byte]))
                    with anyio.move_on_after(0.05):  # a bounded wait for the hang-up between bytes
                        await stream.receive()
                except (anyio.EndOfStream, anyio.BrokenResourceError, ConnectionError):
                    closed = True
                    break
    assert closed


async def test_a_silent_connection_is_closed(served: Served) -> None:
    with anyio.fail_after(60):
        stream = await anyio.connect_tcp("127.0.0.1", served.port)
        async with stream:
            with pytest.raises((anyio.EndOfStream, anyio.BrokenResourceError, ConnectionError)):
                await stream.receive()


async def test_the_token_holder_gets_the_tools_in_both_eras(served: Served, mode: str) -> None:
    with anyio.fail_after(30):
        async with _client(served, ALICE, mode) as client:
            tools = (await client.list_tools()).tools
            listed = await client.call_tool("eventstreams_list_clusters", {})
    assert len(tools) == 116 + len(OPERATOR_TOOLS)
    assert not listed.is_error
    assert listed.structured_content is not None
    assert {c["name"] for c in listed.structured_content["data"]["contents"]} >= {"orders-kafka"}


TARGETS = {"legacy": ("vertica", "analytics-vertica"), "auto": ("vertica", "finance-vertica")}


async def test_another_caller_cannot_confirm_a_preview(served: Served, mode: str) -> None:
    service, name = TARGETS[mode]
    with anyio.fail_after(30):
        async with _client(served, ALICE, mode) as alice, _client(served, BOB, mode) as bob:
            listed = await alice.call_tool(f"{service}_list_clusters", {})
            assert listed.structured_content is not None
            cluster = next(c for c in listed.structured_content["data"]["contents"] if c["name"] == name)
            args = {"cluster_id": cluster["id"]}
            preview = await alice.call_tool(f"{service}_stop_cluster", args)
            assert preview.structured_content is not None
            confirm_with = preview.structured_content["confirm_with"]
            stolen = await bob.call_tool(f"{service}_stop_cluster", {**args, **confirm_with})
            confirmed = await alice.call_tool(f"{service}_stop_cluster", {**args, **confirm_with})
    assert stolen.structured_content is not None
    assert stolen.structured_content["status"] == "confirmation_required"
    text = stolen.content[0].text  # type: ignore[union-attr]
    assert "another caller" in text
    assert "review the new preview" in text
    assert stolen.structured_content["confirm_with"]["confirm_token"] != confirm_with["confirm_token"]
    assert confirmed.structured_content is not None
    assert confirmed.structured_content["status"] in ("accepted", "succeeded"), confirmed.structured_content
    entries = list(SqliteStore(served.state_dir / "scp-mcp.sqlite3").audit_entries(None, 1000))
    mine = [e for e in entries if e.target_name == name and e.tool == f"{service}_stop_cluster"]
    by_decision = {(e.decision, e.outcome): e.client for e in mine}
    assert by_decision[("confirmed", "executed")].endswith(f"({principal_of(ALICE)})")
    assert any(e.client.endswith(f"({principal_of(BOB)})") and e.outcome == "not_sent" for e in mine)


def test_a_non_loopback_bind_without_authentication_refuses_to_start(scp_mcp_exe: str, tmp_path: Path) -> None:
    for host in ("0.0.0.0", "::", "192.0.2.1"):
        done = subprocess.run(
            [scp_mcp_exe, "serve", "--sandbox", "--transport", "http", "--host", host, "--port", "1"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, host
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1
        assert "without authentication" in lines[0]
        assert "--auth-token-file" in lines[0]
