"""`scp-mcp serve --transport http` (or `scp-mcp sandbox`) as a subprocess on a free loopback port, for
tests over the wire."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

import anyio

from tests.support.postgres import free_port

START_TIMEOUT_S = 90  # a loaded 2-core machine takes 15 s and more to import and build


async def wait_for_port(port: int, deadline_s: float = START_TIMEOUT_S) -> None:
    """Poll until something accepts on the port (a starting process is not an event to wait on)."""
    with anyio.fail_after(deadline_s):
        while True:
            try:
                stream = await anyio.connect_tcp("127.0.0.1", port)
            except OSError:
                await anyio.sleep(0.05)
                continue
            await stream.aclose()
            return


@asynccontextmanager
async def _serving(argv: Sequence[str], port: int, env: Mapping[str, str]) -> AsyncIterator[int]:
    process = await anyio.open_process(argv, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await wait_for_port(port)
        yield port
    finally:
        process.terminate()
        with anyio.fail_after(10):
            await process.wait()
        await process.aclose()


@asynccontextmanager
async def http_server(
    exe: str, env: Mapping[str, str], flags: Sequence[str] = (), backend: Sequence[str] = ("--sandbox",)
) -> AsyncIterator[int]:
    """The server (on the embedded sandbox unless ``backend`` says otherwise) on 127.0.0.1; yields its port."""
    port = free_port()
    argv = [exe, "serve", *backend, "--transport", "http", "--port", str(port), *flags]
    async with _serving(argv, port, env) as served:
        yield served


@asynccontextmanager
async def sandbox_server(exe: str, env: Mapping[str, str]) -> AsyncIterator[int]:
    """`scp-mcp sandbox` (the simulator alone, signed requests over HTTP) on 127.0.0.1; yields its port."""
    port = free_port()
    async with _serving([exe, "sandbox", "--port", str(port)], port, env) as served:
        yield served
