"""Benchmark: scp-mcp against the bare SDK's own floor, side by side in one run (issue 12).

    python bench/perf.py [--calls 300] [--cold 5] [--http-calls 20] [--no-peer] [--out bench/RESULTS.md]

Everything talks to a loopback stub of SCP's `GET /v1/clusters` (bench/scp_stub.py; plain HTTP, and
HTTPS with a self-signed certificate made at run time with `openssl`), and measures:
- `tools/call` over stdio as a multiple of a direct httpx GET to the stub, for scp-mcp (real-SCP
  mode, pointed at the stub), scp-mcp on the SDK's thread-based stdio streams, the one-tool SDK
  server (bench/one_tool_server.py) and FastMCP's `from_openapi` over our specs (bench/fastmcp_peer.py);
  the same with a 20-cluster answer, and over HTTPS; calls of all servers are interleaved in rounds;
- cold start: spawn → initialize → tools/list, in turns;
- peak RSS (VmHWM) of each server after tools/list and 1,000 calls;
- 8 and 32 concurrent clients over streamable HTTP: calls/s and errors;
- `tools/list` o200k tokens per profile (the `bench` extra's bpe-openai).
FastMCP goes into its own venv (bench/.fastmcp-venv, made here with pip; never a dependency of scp-mcp).
The numbers replace the "Performance" section of bench/RESULTS.md; nothing else in that file changes.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import anyio.abc
import httpx
from mcp import Client, StdioServerParameters

BENCH = Path(__file__).resolve().parent
PEER_VENV = BENCH / ".fastmcp-venv"
PEER_REQUIREMENT = "fastmcp>=2.10"
SECTION = "## Performance (`bench/perf.py`)"
SCP_TOOL = "eventstreams_list_clusters"
RSS_AFTER_CALLS = 1000
ROUND = 50  # calls of each server per round; rounds interleave the servers so load hits them alike


@dataclass(frozen=True)
class Stats:
    median: float
    p95: float
    n: int

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(statistics.median(ordered), p95, len(ordered))


@dataclass
class Results:
    started: str = ""
    machine: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    get_ms: dict[str, Stats] = field(default_factory=dict)  # "http" / "https": the direct httpx GET
    call_ms: dict[str, dict[str, Stats]] = field(default_factory=dict)  # server -> case -> stats
    cpu_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # server -> case -> server CPU ms per call
    cold_s: dict[str, Stats] = field(default_factory=dict)
    cold_cpu_s: dict[str, Stats] = field(default_factory=dict)  # the server's CPU time until tools/list answered
    rss_mb: dict[str, float] = field(default_factory=dict)
    http: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)  # server -> level -> calls/s, errors
    http_cpu_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # server -> level -> CPU ms per call
    session_cpu_ms: dict[str, float] = field(default_factory=dict)  # server -> CPU ms per new HTTP session + listing
    tokens: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Server:
    """One MCP server under test: how to start it and which tool does the GET."""

    name: str
    command: list[str]
    env: dict[str, str]
    tool: str
    http_command: list[str] | None = None  # with "{port}" where the port goes

    def params(self) -> StdioServerParameters:
        return StdioServerParameters(command=self.command[0], args=self.command[1:], env=self.env)


# -- the stub and the servers -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def self_signed(directory: Path) -> tuple[Path, Path] | None:
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return cert, key


@contextlib.contextmanager
def stub(cert: tuple[Path, Path] | None) -> Iterator[tuple[str, str | None]]:
    """The stub's base URLs (plain, and HTTPS when a certificate could be made); stopped on exit."""
    http_port, https_port = free_port(), free_port()
    args = [str(http_port)] + ([str(https_port), str(cert[0]), str(cert[1])] if cert else [])
    process = subprocess.Popen([sys.executable, str(BENCH / "scp_stub.py"), *args],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{http_port}", (f"https://127.0.0.1:{https_port}" if cert else None)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def scp_mcp_exe() -> str:
    return str(Path(sys.executable).with_name("scp-mcp"))


def base_env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCP_", "SSL_CERT"))}
    return env | {"HOME": str(state), "SCP_MCP_STATE_DIR": str(state / "scp-mcp")}


SDK_STDIO = (
    "import anyio\n"
    "from scp_mcp.server import ServerSettings, build_server, choose_backend\n"
    "settings = ServerSettings.from_env()\n"
    "anyio.run(build_server(settings, choose_backend(settings)).run_stdio_async)\n"
)


def servers(url: str, state: Path, cert: Path | None, peer_python: Path | None) -> list[Server]:
    env = base_env(state) | ({"SSL_CERT_FILE": str(cert)} if cert else {})
    scp = env | {"SCP_ACCESS_KEY": "bench-access-key", "SCP_SECRET_KEY": "bench-secret-key",
                 "SCP_ENDPOINT_TEMPLATE": url, "SCP_MCP_BACKEND": "scp"}  # fmt: skip
    one = env | {"BENCH_STUB_URL": url}
    found = [
        Server("scp-mcp", [scp_mcp_exe(), "serve", "--backend", "scp"], scp, SCP_TOOL,
               [scp_mcp_exe(), "serve", "--backend", "scp", "--transport", "http", "--port", "{port}"]),
        Server("one-tool SDK server", [sys.executable, str(BENCH / "one_tool_server.py")], one, "list_clusters",
               [sys.executable, str(BENCH / "one_tool_server.py"), "http", "{port}"]),
    ]  # fmt: skip
    if cert is None:  # the plain-HTTP run only: the SDK's own stdio streams, and the peer
        found.insert(1, Server("scp-mcp, SDK stdio streams", [sys.executable, "-c", SDK_STDIO], scp, SCP_TOOL))
        if peer_python is not None:
            peer = [str(peer_python), str(BENCH / "fastmcp_peer.py")]
            found.append(Server("FastMCP from_openapi", peer, one, SCP_TOOL))
    return found


def peer_python(notes: list[str]) -> Path | None:
    """The separate venv's interpreter, with FastMCP installed in it (made once, then reused)."""
    python = PEER_VENV / "bin" / "python"
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True, timeout=300)
        check = subprocess.run([str(python), "-c", "import fastmcp; print(fastmcp.__version__)"],
                               capture_output=True, text=True)  # fmt: skip
        if check.returncode != 0:
            subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_REQUIREMENT], check=True, timeout=900)
            check = subprocess.run([str(python), "-c", "import fastmcp; print(fastmcp.__version__)"],
                                   capture_output=True, text=True, check=True)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        notes.append(f"FastMCP peer skipped: its venv could not be made ({exc}).")
        return None
    notes.append(f"FastMCP {check.stdout.strip()} in its own venv ({PEER_VENV.relative_to(BENCH.parent)}).")
    return python


# -- measuring ----------------------------------------------------------------------------------


def children() -> list[int]:
    """Pids whose parent is this process (the stdio servers the SDK client spawned)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                    found.append(int(entry.name))
    return found


def cpu_s(pid: int) -> float:
    """CPU time (user + system, every thread) the process has used: robust where wall time is not, under load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmHWM for {pid}")


async def timed(action: Callable[[], Awaitable[Any]], samples: list[float]) -> None:
    started = time.perf_counter()
    await action()
    samples.append((time.perf_counter() - started) * 1000)


def checked(client: Client, tool: str, size: int) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        result = await client.call_tool(tool, {"size": size})
        if result.is_error:
            raise RuntimeError(f"{tool} failed: {result.content}")

    return call


@contextlib.asynccontextmanager
async def sessions(found: list[Server]) -> AsyncIterator[dict[str, tuple[Client, int]]]:
    """A live stdio session per server, each after its tools/list, with the server's pid."""
    async with contextlib.AsyncExitStack() as stack:
        opened: dict[str, tuple[Client, int]] = {}
        for server in found:
            before = set(children())
            client = await stack.enter_async_context(Client(server.params(), mode="auto"))
            await client.list_tools()
            (pid,) = set(children()) - before
            opened[server.name] = (client, pid)
        yield opened


async def per_call(found: list[Server], get_url: str, cert: Path | None, calls: int, cases: dict[str, int],
                   results: Results, label: str) -> None:  # fmt: skip
    """Rounds of ROUND calls per server and case, and of direct GETs, interleaved; wall time and server CPU."""
    verify: Any = ssl.create_default_context(cafile=str(cert)) if cert else True
    direct: list[float] = []
    samples: dict[tuple[str, str], list[float]] = {(s.name, case): [] for s in found for case in cases}
    cpu: dict[tuple[str, str], float] = dict.fromkeys(samples, 0.0)
    async with httpx.AsyncClient(verify=verify) as http, sessions(found) as live:
        for _ in range(ROUND):  # warm-up: connections open, caches full
            await http.get(get_url, params={"size": 1})
            for server in found:
                await checked(live[server.name][0], server.tool, 1)()
        for _ in range(max(1, calls // ROUND)):
            for _ in range(ROUND):
                await timed(lambda: http.get(get_url, params={"size": 1}), direct)
            for server in found:
                client, pid = live[server.name]
                for case, size in cases.items():
                    call, before = checked(client, server.tool, size), cpu_s(pid)
                    for _ in range(ROUND):
                        await timed(call, samples[server.name, case])
                    cpu[server.name, case] += cpu_s(pid) - before
        results.get_ms[label] = Stats.of(direct)
        for (name, case), values in samples.items():
            results.call_ms.setdefault(name, {})[case] = Stats.of(values)
            results.cpu_ms.setdefault(name, {})[case] = cpu[name, case] * 1000 / len(values)
        if label == "http":  # peak RSS after tools/list and 1,000 calls
            for server in found:
                client, pid = live[server.name]
                made = ROUND + sum(len(samples[server.name, case]) for case in cases)
                for _ in range(max(0, RSS_AFTER_CALLS - made)):
                    await checked(client, server.tool, 1)()
                results.rss_mb[server.name] = peak_rss_mb(pid)


async def cold_start(found: list[Server], runs: int, results: Results) -> None:
    samples: dict[str, list[float]] = {s.name: [] for s in found}
    cpu: dict[str, list[float]] = {s.name: [] for s in found}
    for _ in range(runs):
        for server in found:
            before = set(children())
            started = time.perf_counter()
            async with Client(server.params(), mode="auto") as client:
                await client.list_tools()
                samples[server.name].append(time.perf_counter() - started)
                (pid,) = set(children()) - before
                cpu[server.name].append(cpu_s(pid))
    for name, values in samples.items():
        results.cold_s[name] = Stats.of(values)
        results.cold_cpu_s[name] = Stats.of(cpu[name])


async def wait_for_port(port: int, process: anyio.abc.Process) -> None:
    with anyio.fail_after(60):
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"the HTTP server exited with {process.returncode}")
            try:
                stream = await anyio.connect_tcp("127.0.0.1", port)
            except OSError:
                await anyio.sleep(0.1)
                continue
            await stream.aclose()
            return


async def load(url: str, tool: str, clients: int, calls: int, *, listed: bool = True) -> tuple[float, int]:
    """`clients` sessions over streamable HTTP, opened first, then `calls` calls each at once: calls/s, errors."""
    errors, waiting = 0, clients
    all_open, go = anyio.Event(), anyio.Event()
    finished: list[float] = []

    def opened() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            all_open.set()

    async def one() -> None:
        nonlocal errors
        try:
            async with Client(url) as client:
                if listed:
                    await client.list_tools()  # as clients do on connecting; the call's output schema comes from it
                opened()
                await go.wait()
                for _ in range(calls):
                    try:
                        if (await client.call_tool(tool, {"size": 1})).is_error:
                            errors += 1
                    except Exception:
                        errors += 1
                finished.append(time.perf_counter())
        except Exception:
            errors += calls
            if not go.is_set():
                opened()

    with anyio.fail_after(300):
        async with anyio.create_task_group() as tg:
            for _ in range(clients):
                tg.start_soon(one)
            await all_open.wait()
            started = time.perf_counter()
            go.set()
    done = max(finished) if finished else time.perf_counter()
    return (clients * calls - errors) / (done - started), errors


@dataclass(frozen=True)
class Level:
    """One HTTP load: how many clients, and whether each lists its tools on connecting (as clients do) or
    leaves it to its first call (the SDK client lists them then, for the output schema)."""

    clients: int
    listed: bool = True

    @property
    def label(self) -> str:
        return f"{self.clients} clients" + ("" if self.listed else ", first call lists")


LEVELS = (Level(8), Level(32), Level(32, listed=False))
SESSIONS = 20  # new sessions, one after the other, for the per-session cost


async def session_cost(url: str) -> float:
    """Server work per new session: initialize (or discover) and tools/list; the caller reads the CPU."""
    for _ in range(SESSIONS):
        async with Client(url) as client:
            await client.list_tools()
    return SESSIONS


async def over_http(found: list[Server], levels: tuple[Level, ...], calls: int, results: Results) -> None:
    for server in found:
        if server.http_command is None:
            continue
        port = free_port()
        command = [part.replace("{port}", str(port)) for part in server.http_command]
        process = await anyio.open_process(
            command, env=server.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            await wait_for_port(port, process)
            url = f"http://127.0.0.1:{port}/mcp"
            await load(url, server.tool, 1, 20)  # warm-up
            before = cpu_s(process.pid)
            sessions = await session_cost(url)
            results.session_cpu_ms[server.name] = (cpu_s(process.pid) - before) * 1000 / sessions
            for level in levels:
                before = cpu_s(process.pid)
                answer = await load(url, server.tool, level.clients, calls, listed=level.listed)
                spent = cpu_s(process.pid) - before
                results.http.setdefault(server.name, {})[level.label] = answer
                results.http_cpu_ms.setdefault(server.name, {})[level.label] = spent * 1000 / (level.clients * calls)
        finally:
            process.terminate()
            with anyio.fail_after(30):
                await process.wait()


async def listing_tokens(results: Results) -> None:
    """o200k tokens of the whole tools/list result, per profile (in memory, on the sandbox)."""
    try:
        import bpe_openai  # type: ignore[import-untyped]
    except ImportError:
        results.notes.append("tools/list tokens skipped: pip install -e '.[bench]' brings bpe-openai.")
        return
    from scp_mcp.sandbox import Sandbox, SandboxClock
    from scp_mcp.server import ServerSettings, build_server, sandbox_backend
    from scp_mcp.server.settings import PROFILES

    encoding = bpe_openai.get_encoding("o200k_base")
    for profile in PROFILES:
        server = build_server(ServerSettings(profile=profile), sandbox_backend(Sandbox(clock=SandboxClock.manual())))
        async with Client(server, mode="auto") as client:
            tools = (await client.list_tools()).tools
        dumped = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]
        text = json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))  # as on the wire
        results.tokens[profile] = len(encoding.encode(text))


# -- the report -------------------------------------------------------------------------------


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())  # fmt: skip
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({model}), {int(memory) / 1024**2:.0f} GB RAM, Python {platform.python_version()}"


@dataclass(frozen=True)
class Target:
    what: str
    value: str
    goal: str
    met: bool
    margin: str  # how far over (+) or under (-) the goal


def _ratio_target(what: str, ours: float, base: float, goal: float) -> Target:
    ratio = ours / base
    return Target(what, f"{ratio:.2f}×", f"≤ {goal}×", ratio <= goal, f"{ratio - goal:+.2f}×")


def targets(r: Results) -> list[Target]:
    found: list[Target] = []
    scp, one = r.call_ms.get("scp-mcp", {}), r.call_ms.get("one-tool SDK server", {})
    scp_cpu, one_cpu = r.cpu_ms.get("scp-mcp", {}), r.cpu_ms.get("one-tool SDK server", {})
    if "1 cluster" in scp and "http" in r.get_ms:
        found.append(_ratio_target("tools/call / direct GET", scp["1 cluster"].median, r.get_ms["http"].median, 4.5))
    for case, goal in (("1 cluster", 1.0), ("20 clusters", 1.3)):
        what = f"tools/call, {case} / one-tool server"
        if case in scp and case in one:
            found.append(_ratio_target(what, scp[case].median, one[case].median, goal))
        if scp_cpu.get(case) and one_cpu.get(case):
            found.append(_ratio_target(f"{what}, server CPU", scp_cpu[case], one_cpu[case], goal))
    if "scp-mcp" in r.cold_s and "one-tool SDK server" in r.cold_s:
        ours, base = r.cold_s["scp-mcp"], r.cold_s["one-tool SDK server"]
        found.append(_ratio_target("cold start / one-tool server", ours.median, base.median, 1.5))
        ours, base = r.cold_cpu_s.get("scp-mcp"), r.cold_cpu_s.get("one-tool SDK server")
        if ours and base:
            found.append(_ratio_target("cold start / one-tool server, server CPU", ours.median, base.median, 1.5))
    if "scp-mcp" in r.rss_mb:
        rss = r.rss_mb["scp-mcp"]
        found.append(Target("peak RSS after tools/list + 1,000 calls", f"{rss:.0f} MB", "≤ 85 MB", rss <= 85,
                            f"{rss - 85:+.0f} MB"))  # fmt: skip
    for level, what in ((Level(32), "32 HTTP clients"), (Level(32, listed=False), "32 HTTP clients, listing timed")):
        mine = r.http.get("scp-mcp", {}).get(level.label)
        theirs = r.http.get("one-tool SDK server", {}).get(level.label)
        if mine and theirs:
            value = f"{mine[0]:.0f} vs {theirs[0]:.0f} calls/s, {mine[1]} errors"
            met = mine[0] >= theirs[0] and mine[1] == 0
            found.append(Target(what, value, "≥ one-tool, 0 errors", met, f"{mine[0] / theirs[0] - 1:+.0%}"))
    return found


def _ms(s: Stats) -> str:
    return f"{s.median:.2f} / {s.p95:.2f}"


def render(r: Results) -> str:
    loaded = max(r.load_before[0], r.load_after[0]) > 0.5 * (os.cpu_count() or 1)  # others' work shares the cores
    lines = [SECTION, "", f"Run {r.started}. Machine: {r.machine}. Load average (1/5/15 min) "
             f"{'/'.join(f'{x:.1f}' for x in r.load_before)} at the start, "
             f"{'/'.join(f'{x:.1f}' for x in r.load_after)} at the end"
             + (": **the machine was shared and loaded during this run**; ratios come from one run, absolute "
                "times do not carry over." if loaded else "."), ""]  # fmt: skip
    lines += ["Every server talks to the same loopback stub (`bench/scp_stub.py`); scp-mcp runs in real-SCP "
              f"mode pointed at it. Calls are interleaved in rounds of {ROUND}; wall time as median / p95 in ms; "
              "server CPU is the server process's user + system time per call (ms), which load distorts far "
              "less than wall time.", ""]  # fmt: skip
    lines += ["| stdio `tools/call` | 1 cluster | × direct GET | server CPU | 20 clusters | server CPU "
              "| HTTPS, 1 cluster | × direct HTTPS GET | server CPU |", "|---" * 9 + "|"]  # fmt: skip
    get, gets = r.get_ms.get("http"), r.get_ms.get("https")
    lines.append(f"| direct httpx GET | {_ms(get) if get else '—'} | 1 | | — | | {_ms(gets) if gets else '—'} | 1 | |")
    for name, cases in r.call_ms.items():
        one, many, tls = cases.get("1 cluster"), cases.get("20 clusters"), cases.get("https")
        cpu = {case: f"{ms:.2f}" for case, ms in r.cpu_ms.get(name, {}).items()}
        lines.append(
            f"| {name} | {_ms(one) if one else '—'} | {f'{one.median / get.median:.2f}' if one and get else '—'} | "
            f"{cpu.get('1 cluster', '—')} | {_ms(many) if many else '—'} | {cpu.get('20 clusters', '—')} | "
            f"{_ms(tls) if tls else '—'} | {f'{tls.median / gets.median:.2f}' if tls and gets else '—'} | "
            f"{cpu.get('https', '—')} |"
        )
    lines += ["", "| server | cold start (spawn → initialize → tools/list), s | server CPU until then, s "
              "| peak RSS after 1,000 calls |", "|---|---|---|---|"]  # fmt: skip
    for name, cold in r.cold_s.items():
        rss, cpu_cold = r.rss_mb.get(name), r.cold_cpu_s.get(name)
        lines.append(f"| {name} | {cold.median:.2f} / {cold.p95:.2f} | {f'{cpu_cold.median:.2f}' if cpu_cold else '—'} "
                     f"| {f'{rss:.0f} MB' if rss else '—'} |")  # fmt: skip
    if r.http:
        levels = list(dict.fromkeys(n for by in r.http.values() for n in by))
        heads = " | ".join(f"{n}: calls/s (errors), server CPU ms/call" for n in levels)
        lines += ["", f"| streamable HTTP | new session + tools/list, server CPU ms | {heads} |",
                  "|---|---|" + "---|" * len(levels)]  # fmt: skip
        for name, by in r.http.items():
            cpu = r.http_cpu_ms.get(name, {})
            cells = [f"{by[n][0]:.0f} ({by[n][1]}), {cpu.get(n, 0):.2f}" if n in by else "—" for n in levels]
            session = r.session_cpu_ms.get(name)
            lines.append(f"| {name} | {f'{session:.1f}' if session is not None else '—'} | " + " | ".join(cells) + " |")
        lines += ["", f"Each client makes its calls in one session. \"{LEVELS[0].clients} clients\" and "
                  f"\"{LEVELS[1].clients} clients\": each lists its tools on connecting, before the timed "
                  "window, as MCP clients do; \"first call lists\": the listing is left to the first call (the "
                  "SDK client lists the tools then, for the output schema), so every session's tools/list is "
                  "timed too. The session column: server CPU per new session with its tools/list, "
                  f"{SESSIONS} one after the other."]  # fmt: skip
    if r.tokens:
        lines += ["", "tools/list, whole result (compact JSON, as on the wire), o200k tokens: "
                  + ", ".join(f"{p} {n:,}" for p, n in r.tokens.items()) + "."]  # fmt: skip
    lines += ["", "| target | this run | goal | met | over (+) / under (−) the goal |", "|---|---|---|---|---|"]
    for t in targets(r):
        lines.append(f"| {t.what} | {t.value} | {t.goal} | {'yes' if t.met else '**no**'} | {t.margin} |")
    lines += [""] + [f"- {note}" for note in r.notes]
    return "\n".join(lines).rstrip() + "\n"


def replace_section(document: str, section: str) -> str:
    """``document`` with its Performance section replaced by ``section`` (appended when there is none)."""
    start = document.find(SECTION)
    if start < 0:
        return document.rstrip() + "\n\n" + section
    end = document.find("\n## ", start + len(SECTION))
    return document[:start] + section + (document[end:] if end >= 0 else "")


# -- the run ----------------------------------------------------------------------------------


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=200, help="timed stdio calls per server and case")
    parser.add_argument("--cold", type=int, default=4, help="cold starts per server")
    parser.add_argument("--http-calls", type=int, default=20, help="calls per HTTP client")
    parser.add_argument("--no-peer", action="store_true", help="skip FastMCP (no venv is made)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    return parser.parse_args(argv)


def compiled_like_an_install() -> str:
    """scp-mcp's bytecode written, as pip writes it when it installs a package: an editable install run with
    PYTHONDONTWRITEBYTECODE (as on this machine) would otherwise compile every module at every start, while
    the SDK and the other installed packages load theirs."""
    import scp_mcp

    package = Path(scp_mcp.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    return "scp-mcp's bytecode compiled first (`compileall`), as pip does when it installs a package."


async def run(args: argparse.Namespace) -> Results:
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    r = Results(started=started, machine=machine(), load_before=os.getloadavg())
    r.notes.append(compiled_like_an_install())
    peer = None if args.no_peer else peer_python(r.notes)
    with tempfile.TemporaryDirectory(prefix="scp-mcp-bench-") as tmp:
        state = Path(tmp)
        cert = self_signed(state)
        if cert is None:
            r.notes.append("HTTPS skipped: openssl could not make a certificate.")
        with stub(cert) as (url, tls_url):
            plain = servers(url, state, None, peer)
            print(f"per call over stdio: {', '.join(s.name for s in plain)}", file=sys.stderr)
            await per_call(plain, f"{url}/v1/clusters", None, args.calls,
                           {"1 cluster": 1, "20 clusters": 20}, r, "http")  # fmt: skip
            if cert and tls_url:
                print("per call over stdio, HTTPS", file=sys.stderr)
                tls = servers(tls_url, state, cert[0], None)
                await per_call([s for s in tls if s.name != "scp-mcp, SDK stdio streams"], f"{tls_url}/v1/clusters",
                               cert[0], args.calls, {"https": 1}, r, "https")  # fmt: skip
            print("cold start", file=sys.stderr)
            await cold_start(plain, args.cold, r)
            print("streamable HTTP", file=sys.stderr)
            await over_http(plain, LEVELS, args.http_calls, r)
    print("tools/list tokens", file=sys.stderr)
    await listing_tokens(r)
    r.load_after = os.getloadavg()
    return r


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    results = anyio.run(run, args)
    section = render(results)
    print(section)
    document = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmark results\n"
    args.out.write_text(replace_section(document, section), encoding="utf-8")


if __name__ == "__main__":
    main()
