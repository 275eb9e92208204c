"""The SCP transport over real loopback sockets: answers go through, connections are kept alive, and a
connection the server closed while idle is noticed before the next request (a new one is opened)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio
import anyio.abc
import httpx
import pytest

from scp_mcp.client.transport import ScpTransport, readable

pytestmark = pytest.mark.anyio
LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)


@dataclass
class Loopback:
    """An HTTP/1.1 server that answers each request with its connection's number; with ``close_after``,
    it closes a connection once it has answered that many requests on it (keep-alive promised all the same)."""

    close_after: int | None = None
    connections: int = 0
    requests: list[str] = field(default_factory=list)
    closed: anyio.Event = field(default_factory=anyio.Event)  # set when the server has closed a connection

    async def serve(self, stream: anyio.abc.SocketStream) -> None:
        self.connections += 1
        number, answered, pending = self.connections, 0, b""
        async with stream:
            while self.close_after is None or answered < self.close_after:
                while b"\r\n\r\n" not in pending:
                    try:
                        pending += await stream.receive()
                    except (anyio.EndOfStream, anyio.BrokenResourceError):
                        return
                head, pending = pending.split(b"\r\n\r\n", 1)
                self.requests.append(head.split(b"\r\n", 1)[0].decode())
                body = str(number).encode()
                await stream.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                answered += 1
        self.closed.set()


@asynccontextmanager
async def loopback(server: Loopback) -> AsyncIterator[str]:
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with listener, anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, server.serve)
        yield f"http://127.0.0.1:{port}"
        tg.cancel_scope.cancel()


async def test_answers_come_back_on_one_kept_alive_connection() -> None:
    server = Loopback()
    with anyio.fail_after(10):
        async with loopback(server) as url, httpx.AsyncClient(transport=ScpTransport(LIMITS)) as http:
            answers = [(await http.get(f"{url}/v1/clusters", params={"size": n})).text for n in range(3)]
    assert answers == ["1", "1", "1"]
    assert server.requests == [f"GET /v1/clusters?size={n} HTTP/1.1" for n in range(3)]


async def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    server = Loopback(close_after=1)
    with anyio.fail_after(10):
        async with loopback(server) as url, httpx.AsyncClient(transport=ScpTransport(LIMITS)) as http:
            first = (await http.get(f"{url}/v1/clusters")).text
            await server.closed.wait()  # the idle pooled connection is now closed at the other end
            second = (await http.get(f"{url}/v1/clusters")).text  # reusing it would fail: server disconnected
    assert (first, second) == ("1", "2")


def test_a_socket_is_readable_when_its_peer_closed_or_it_is_gone() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not readable(ours)  # idle and open
        theirs.sendall(b"x")
        assert readable(ours)
        ours.recv(1)
        theirs.close()
        assert readable(ours)  # the peer's close: reading returns b""
    assert readable(None)
    assert readable(ours)  # closed here: fileno() is -1
