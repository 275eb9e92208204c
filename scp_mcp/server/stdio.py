"""A lean stdio transport: stdin and stdout served on the event loop instead of worker threads.

The SDK's ``stdio_server`` reads and writes through ``anyio.wrap_file``, which hands every line and
every flush to a worker thread (issue 12 measured 0.3–0.4 ms a call; bench/perf.py compares both).
It accepts any stream that reads lines with ``async for`` and writes with ``write``/``flush``; these
read and write the pipes with non-blocking ``os.read``/``os.write``, waiting on the loop's selector.
Like the SDK, the wire is served from private duplicates while fd 0 reads the null device and fd 1
writes to stderr, so stray output from a handler cannot corrupt the protocol; both are restored on
exit.

Anything that is not a pipe or a socket (a terminal, a regular file), a stdout that is also the
process's stderr, and Windows (no non-blocking pipes on its loop) keep the SDK's own stream:
non-blocking mode is a property of the open file, and a terminal or shared file would carry it to
other processes or to our own logging.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.lowlevel
from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server

CHUNK = 1 << 16


class PipeLines:
    """The lines arriving on a non-blocking pipe, decoded as UTF-8 (errors replaced, as the SDK does)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def __aiter__(self) -> AsyncIterator[str]:
        pending = b""
        while True:
            newline = pending.find(b"\n")
            if newline >= 0:
                line, pending = pending[: newline + 1], pending[newline + 1 :]
                yield line.decode("utf-8", errors="replace")
                continue
            chunk = await self._read()
            if not chunk:
                if pending:
                    yield pending.decode("utf-8", errors="replace")
                return
            pending += chunk

    async def _read(self) -> bytes:
        while True:
            try:
                return os.read(self.fd, CHUNK)
            except BlockingIOError:
                await anyio.wait_readable(self.fd)


class PipeWriter:
    """Whole messages written to a non-blocking pipe; a full pipe waits on the loop, not in a thread."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def write(self, text: str) -> None:
        data = memoryview(text.encode("utf-8"))
        while data:
            try:
                data = data[os.write(self.fd, data) :]
            except BlockingIOError:
                await anyio.wait_writable(self.fd)

    async def flush(self) -> None:
        await anyio.lowlevel.checkpoint()  # os.write does not buffer


def is_pipe(fd: int) -> bool:
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _same_file(a: int, b: int) -> bool:
    try:
        return os.path.samestat(os.fstat(a), os.fstat(b))
    except OSError:
        return False


@contextlib.contextmanager
def _claimed(fd: int, diversion: int) -> Iterator[int]:
    """A private non-blocking duplicate of ``fd``, while ``fd`` itself points at ``diversion``."""
    import fcntl  # POSIX only; lean_streams never gets here on Windows

    private = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    flags = fcntl.fcntl(private, fcntl.F_GETFL)
    fcntl.fcntl(private, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    os.dup2(diversion, fd)
    try:
        yield private
    finally:
        fcntl.fcntl(private, fcntl.F_SETFL, flags)
        os.dup2(private, fd)
        os.close(private)


@contextlib.contextmanager
def lean_streams() -> Iterator[tuple[Any, Any]]:
    """(stdin, stdout) for ``stdio_server``: the lean stream where the fd is a pipe, else None (the SDK's)."""
    with contextlib.ExitStack() as stack:
        stdin: PipeLines | None = None
        stdout: PipeWriter | None = None
        if sys.platform == "win32":
            yield None, None
            return
        if is_pipe(0):
            null = os.open(os.devnull, os.O_RDONLY)
            stack.callback(os.close, null)
            stdin = PipeLines(stack.enter_context(_claimed(0, null)))
        if is_pipe(1) and not _same_file(1, 2):
            stdout = PipeWriter(stack.enter_context(_claimed(1, 2)))
        yield stdin, stdout


async def serve_stdio(server: MCPServer[Any]) -> None:
    """``MCPServer.run_stdio_async`` over the lean streams."""
    with lean_streams() as (stdin, stdout):
        async with stdio_server(stdin, stdout) as (read_stream, write_stream):
            lowlevel = server._lowlevel_server
            await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())
