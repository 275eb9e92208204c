"""`scp-mcp serve --transport http` as a subprocess on a free loopback port, for tests over the wire."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

import anyio


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_for_port(port: int) -> None:
    while True:
        try:
            stream = await anyio.connect_tcp("127.0.0.1", port)
        except OSError:
            await anyio.sleep(0.05)  # polling a starting subprocess, not waiting on behaviour
            continue
        await stream.aclose()
        return


@asynccontextmanager
async def http_server(
    exe: str, env: Mapping[str, str], flags: Sequence[str] = (), backend: Sequence[str] = ("--sandbox",)
) -> AsyncIterator[int]:
    """The server (on the embedded sandbox unless ``backend`` says otherwise) on 127.0.0.1; yields its port."""
    port = free_port()
    argv = [exe, "serve", *backend, "--transport", "http", "--port", str(port), *flags]
    process = await anyio.open_process(argv, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with anyio.fail_after(90):  # a loaded 2-core machine takes 15 s and more to import and build
            await wait_for_port(port)
        yield port
    finally:
        process.terminate()
        with anyio.fail_after(10):
            await process.wait()
        await process.aclose()


@asynccontextmanager
async def sandbox_server(exe: str, env: Mapping[str, str]) -> AsyncIterator[int]:
    """`scp-mcp sandbox` (the simulator alone, signed requests over HTTP) on 127.0.0.1; yields its port."""
    port = free_port()
    argv = [exe, "sandbox", "--port", str(port)]
    process = await anyio.open_process(argv, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with anyio.fail_after(90):  # a loaded 2-core machine takes 15 s and more to import and build
            await wait_for_port(port)
        yield port
    finally:
        process.terminate()
        with anyio.fail_after(10):
            await process.wait()
        await process.aclose()
