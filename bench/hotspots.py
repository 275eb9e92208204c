"""Profile scp-mcp: one tools/call, or the start-up, with cProfile (pyinstrument's tree when installed).

    python bench/hotspots.py call [--calls 500] [--size 20]   # tools/call in memory, real-SCP mode on the stub
    python bench/hotspots.py start                            # import + build_server + tools/list

`call` runs the server in this process, in real-SCP mode pointed at bench/scp_stub.py, and sends the
calls through an in-memory mcp.Client: it shows our client, tools and the SDK's server and client
work (the stdio transport is measured by bench/perf.py, lean against the SDK's streams). Output: the
functions by cumulative time, and by own time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perf import SCP_TOOL, stub


@contextlib.contextmanager
def profiling(top: int) -> Iterator[None]:
    """Profile what runs inside (on this thread); print the report on exit."""
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found]
    except ImportError:
        profile = cProfile.Profile()
        profile.enable()
        yield
        profile.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(top)
            print(out.getvalue())
        return
    profiler = Profiler(interval=0.0002, async_mode="disabled")
    profiler.start()
    yield
    profiler.stop()
    print(profiler.output_text(unicode=True, show_all=False))


def real_scp_env(url: str, state: str) -> None:
    os.environ |= {"SCP_ACCESS_KEY": "bench-access-key", "SCP_SECRET_KEY": "bench-secret-key",
                   "SCP_ENDPOINT_TEMPLATE": url, "SCP_MCP_STATE_DIR": state, "SCP_MCP_BACKEND": "scp"}  # fmt: skip


def call(calls: int, size: int, top: int) -> None:
    from mcp import Client

    from scp_mcp.server import ServerSettings, build_server, choose_backend

    with tempfile.TemporaryDirectory() as state, stub(None) as (url, _):
        real_scp_env(url, state)
        settings = ServerSettings.from_env()
        server = build_server(settings, choose_backend(settings))

        async def session() -> None:
            async with Client(server) as client:
                await client.list_tools()
                for _ in range(50):  # warm-up
                    await client.call_tool(SCP_TOOL, {"size": size})
                with profiling(top):
                    for _ in range(calls):
                        result = await client.call_tool(SCP_TOOL, {"size": size})
                        assert not result.is_error, result.content

        anyio.run(session)


def start(top: int) -> None:
    with tempfile.TemporaryDirectory() as state:
        real_scp_env("http://127.0.0.1:9", state)
        with profiling(top):
            from mcp import Client

            from scp_mcp.server import ServerSettings, build_server, choose_backend

            settings = ServerSettings.from_env()
            server = build_server(settings, choose_backend(settings))

            async def listed() -> None:
                async with Client(server) as client:
                    await client.list_tools()

            anyio.run(listed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=("call", "start"))
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--size", type=int, default=1, help="clusters in each answer")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    if args.what == "call":
        call(args.calls, args.size, args.top)
    else:
        start(args.top)


if __name__ == "__main__":
    main()
