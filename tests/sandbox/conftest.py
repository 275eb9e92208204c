"""Sandbox test fixtures: a manual-clock sandbox and a tiny signing HTTP helper (our own, not the client's)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import anyio
import httpx
import pytest

from scp_mcp.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox, SandboxClock
from scp_mcp.sandbox.serve import make_server

BASE = "http://sandbox.local"


def _sign(secret: str, method: str, url: str, timestamp: str, access: str) -> str:
    message = f"{method}{url}{timestamp}{access}Openapi".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


class Scp:
    """Signs and sends one request the way SCP clients do."""

    def __init__(self, http: httpx.AsyncClient, base: str = BASE) -> None:
        self.http = http
        self.base = base
        self.access, self.secret = SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY

    def build(
        self,
        service: str,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str | None = None,
        timestamp: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Request:
        request = self.http.build_request(method, f"{self.base}/{service}{path}", params=query, json=body)
        stamp = timestamp or str(int(time.time() * 1000))
        request.headers.update(
            {
                "Scp-Accesskey": self.access,
                "Scp-Timestamp": stamp,
                "Scp-ClientType": "Openapi",
                "Scp-Signature": _sign(self.secret, method, str(request.url), stamp, self.access),
                "Accept-Language": "en-US",
            }
        )
        if version is not None:
            request.headers["Scp-Api-Version"] = version
        request.headers.update(headers or {})
        return request

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.send(self.build(service, method, path, **kwargs))

    async def ok(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.call(service, method, path, **kwargs)
        assert response.status_code < 300, (response.status_code, response.text)
        return response.json() if response.content else None


@pytest.fixture
def test_sign() -> Any:
    """The tests' own signer (independent of the sandbox's verifier and of the client)."""
    return _sign


@pytest.fixture
def make_scp() -> Any:
    return Scp


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(clock=SandboxClock.manual())


@pytest.fixture
async def scp(sandbox: Sandbox) -> AsyncIterator[Scp]:
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        yield Scp(http)


@pytest.fixture
async def loopback() -> AsyncIterator[tuple[Sandbox, str]]:
    """A real-clock sandbox served by uvicorn on 127.0.0.1; yields (sandbox, base URL).

    The socket is bound and listening before uvicorn starts, so no readiness wait is needed.
    """
    box = Sandbox()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = make_server(box.app, "127.0.0.1", port)
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            tg.start_soon(server.serve, [sock])
            try:
                yield box, f"http://127.0.0.1:{port}"
            finally:
                server.should_exit = True
    sock.close()
