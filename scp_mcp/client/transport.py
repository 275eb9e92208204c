"""The HTTP transport to SCP: httpx's own, on a network backend that finds each connection's socket once.

Each time httpcore's pool assigns a request it checks every pooled connection for a close by the server
(is the socket readable while idle?), and anyio builds a table of the socket's attributes for each of those
checks. With 32 calls in flight that was 0.4–0.9 ms of CPU per request (bench/RESULTS.md). This backend
keeps the socket a connection was opened on and answers the check from it; reading, writing, TLS and
timeouts are anyio's, as in httpx's default transport.
"""

# ruff: noqa: ASYNC109  (the `timeout` parameters are httpcore's backend interface, not ours to change)

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx


def readable(sock: socket.socket | None) -> bool:
    """Whether reading would not block: for an idle connection, the server closed it (or sent stray bytes).
    A socket that is gone counts as readable, so the pool drops its connection."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if not hasattr(select, "poll"):  # Windows
        ready, _, _ = select.select([fd], [], [], 0)
        return bool(ready)
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info != "is_readable":
            return self._inner.get_extra_info(info)
        if self._socket is None:
            self._socket = self._inner.get_extra_info("socket")
        return readable(self._socket)


class SocketOnceBackend(httpcore.AsyncNetworkBackend):
    """anyio's network backend, whose streams look their socket up once."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class ScpTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (HTTP/1.1, the CA bundle and SSL_CERT_FILE as httpx reads them) on that backend.

    Proxies are unaffected: httpx mounts its own transports for the proxy variables."""

    def __init__(self, limits: httpx.Limits) -> None:
        context = httpx.create_ssl_context()  # once: the pool below takes the same context
        super().__init__(verify=context, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=SocketOnceBackend(),
        )
