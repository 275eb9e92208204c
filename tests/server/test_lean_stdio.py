"""The lean stdio streams (server/stdio.py) on real pipes: whole lines in, whole messages out, and the
SDK's own stream wherever a non-blocking descriptor would be unsafe. tests/server/test_stdio.py runs
`scp-mcp serve` over them in both protocol eras."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from scp_mcp.server.stdio import PipeLines, PipeWriter, is_pipe

pytestmark = pytest.mark.anyio


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    yield read, write
    for fd in (read, write):
        with contextlib.suppress(OSError):  # a test may have closed it
            os.close(fd)


async def _lines(fd: int) -> list[str]:
    return [line async for line in PipeLines(fd)]


async def test_lines_are_whole_however_the_bytes_arrive(pipe: tuple[int, int]) -> None:
    read, write = pipe
    message = '{"jsonrpc":"2.0","method":"ping","params":{"name":"클러스터"}}\n'.encode()
    for part in (message[:7], message[7:40], message[40:] + b'{"id":1}\n{"tail":'):
        os.write(write, part)
    os.write(write, b"true}")
    os.close(write)
    with anyio.fail_after(5):
        lines = await _lines(read)
    assert lines == [message.decode(), '{"id":1}\n', '{"tail":true}']


async def test_a_message_larger_than_the_pipe_is_written_whole(pipe: tuple[int, int]) -> None:
    read, write = pipe
    message = "x" * 1_000_000 + "\n"  # far beyond a pipe's buffer: the writer must wait for the reader
    received: list[str] = []

    async def write_then_close() -> None:
        await PipeWriter(write).write(message)
        await PipeWriter(write).flush()
        os.close(write)

    async def read_all() -> None:
        received.extend(await _lines(read))

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(read_all)
            tg.start_soon(write_then_close)
    assert received == [message]


def test_only_pipes_and_sockets_are_served_lean(tmp_path: Path, pipe: tuple[int, int]) -> None:
    with (tmp_path / "file").open("w") as regular:
        assert not is_pipe(regular.fileno())
    assert is_pipe(pipe[0])


CHOICE = """
import os, sys
from scp_mcp.server.stdio import lean_streams
before = os.fstat(0)
with lean_streams() as (stdin, stdout):
    print(type(stdin).__name__, type(stdout).__name__, os.read(0, 1) == b"", file=sys.stderr)
print(os.path.samestat(before, os.fstat(0)), file=sys.stderr)
"""


def _choice(stdout: int | None, stderr: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", CHOICE], stdin=subprocess.PIPE, stdout=stdout, stderr=stderr, timeout=60
    )
    assert done.returncode == 0
    return (done.stderr or done.stdout).decode().split()


def test_pipes_are_claimed_and_restored() -> None:
    # while serving, fd 0 reads the null device (EOF at once); afterwards it is the pipe again
    assert _choice(stdout=subprocess.PIPE, stderr=subprocess.PIPE) == ["PipeLines", "PipeWriter", "True", "True"]


def test_a_stdout_shared_with_stderr_keeps_the_sdk_stream() -> None:
    assert _choice(stdout=subprocess.PIPE, stderr=subprocess.STDOUT) == ["PipeLines", "NoneType", "True", "True"]
