"""Reliability check: concurrent MCP clients over streamable HTTP against the installed server, and the
report docs/RELIABILITY.md is written from.

    python bench/reliability.py load [--clients 32] [--rounds 6] [--calls 10]   # prints JSON
    python bench/reliability.py report                                          # runs everything, writes the doc

`load` starts `scp-mcp serve --sandbox --transport http` on a free loopback port (its embedded sandbox,
no credentials, a scratch state dir), runs `rounds` rounds of `clients` concurrent sessions (each lists
the tools and makes `calls` read calls), and after every round reads the server's resident memory and
open file descriptors from /proc. `report` also runs the hostile-input and fault tests (more examples
than CI) and writes docs/RELIABILITY.md from what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "RELIABILITY.md"
READS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("vertica_list_clusters", {}),
    ("eventstreams_list_clusters", {}),
    ("searchengine_list_clusters", {}),
    ("quickquery_list", {"page": 0, "size": 20}),
)
HOSTILE_EXAMPLES = 40
STARTUP_S = 60.0


@dataclass
class Round:
    number: int
    sessions: int
    calls: int
    errors: int
    seconds: float
    rss_kib: int
    open_fds: int


@dataclass
class Load:
    clients: int
    rounds: list[Round] = field(default_factory=list)
    first_error: str | None = None

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def _wait_for_port(port: int) -> None:
    with anyio.fail_after(STARTUP_S):
        while True:
            try:
                stream = await anyio.connect_tcp("127.0.0.1", port)
            except OSError:
                await anyio.sleep(0.05)  # a starting subprocess: poll, bounded by STARTUP_S
                continue
            await stream.aclose()
            return


async def _session(url: str, calls: int, index: int, load: Load) -> tuple[int, int]:
    """One client: a session, the tool list, `calls` reads. Returns (calls made, errors)."""
    made = errors = 0
    try:
        async with Client(url) as client:
            await client.list_tools()
            for n in range(calls):
                tool, arguments = READS[(index + n) % len(READS)]
                result = await client.call_tool(tool, arguments)
                made += 1
                if result.is_error:
                    errors += 1
                    load.first_error = load.first_error or str(result.content[0])[:300]
    except Exception as exc:  # a failed session counts as an error, and the run goes on
        errors += 1
        load.first_error = load.first_error or f"{type(exc).__name__}: {exc}"[:300]
    return made, errors


async def _collect(totals: list[tuple[int, int]], url: str, calls: int, index: int, load: Load) -> None:
    totals.append(await _session(url, calls, index, load))


async def run_load(exe: str, *, clients: int, rounds: int, calls: int) -> Load:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="scp-mcp-reliability-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
        env.update(HOME=scratch, SCP_MCP_STATE_DIR=scratch)
        argv = [exe, "serve", "--sandbox", "--transport", "http", "--port", str(port)]
        process = await anyio.open_process(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await _wait_for_port(port)
            return await _rounds(f"http://127.0.0.1:{port}/mcp", process.pid, clients, rounds, calls)
        finally:
            process.terminate()
            with anyio.fail_after(15):
                await process.wait()
            await process.aclose()


async def _rounds(url: str, pid: int, clients: int, rounds: int, calls: int) -> Load:
    load = Load(clients)
    for number in range(1, rounds + 1):
        totals: list[tuple[int, int]] = []
        started = time.perf_counter()
        with anyio.fail_after(600):
            async with anyio.create_task_group() as tg:
                for index in range(clients):
                    tg.start_soon(_collect, totals, url, calls, index, load)
        seconds = time.perf_counter() - started
        made, errors = sum(t[0] for t in totals), sum(t[1] for t in totals)
        load.rounds.append(Round(number, clients, made, errors, round(seconds, 2), _rss_kib(pid), _open_fds(pid)))
    return load


def _exe() -> str:
    exe = Path(sys.executable).with_name("scp-mcp")
    if not exe.exists():
        raise SystemExit("the scp-mcp console script is not installed next to this Python (pip install -e .)")
    return str(exe)


def _pytest(paths: list[str], env: dict[str, str], junit: Path) -> dict[str, str]:
    """Run pytest; each test's outcome by name."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *paths]
    subprocess.run(cmd, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    outcomes: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = any(child.tag in ("failure", "error") for child in case)
        skipped = any(child.tag == "skipped" for child in case)
        outcomes[case.get("name", "")] = "failed" if failed else ("skipped" if skipped else "passed")
    return outcomes


def report(clients: int, rounds: int, calls: int) -> str:
    with tempfile.TemporaryDirectory(prefix="scp-mcp-reliability-") as scratch:
        stats_file = Path(scratch) / "hostile.json"
        env = {
            **os.environ,
            "SCP_MCP_HOSTILE_EXAMPLES": str(HOSTILE_EXAMPLES),
            "SCP_MCP_RELIABILITY_STATS": str(stats_file),
        }
        started = time.perf_counter()
        hostile = _pytest(["tests/reliability/test_hostile_inputs.py"], env, Path(scratch) / "hostile.xml")
        hostile_s = time.perf_counter() - started
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
        faults = _pytest(
            [
                "tests/reliability/test_faults.py",
                "tests/reliability/test_secrets.py",
                "tests/reliability/test_bounded_memory.py",
            ],
            dict(os.environ),
            Path(scratch) / "faults.xml",
        )
    load = anyio.run(lambda: run_load(_exe(), clients=clients, rounds=rounds, calls=calls))
    return render(hostile, hostile_s, stats, faults, load, calls)


# (fault, test, what the assistant gets)
FAULT_ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "429, Retry-After in seconds (3 s, twice)",
        "test_a_429_is_retried_after_the_wait_it_asks_for[False-3.0]",
        "answered on the 3rd attempt after waiting 3 s + 3 s (injected clock)",
    ),
    (
        "429, Retry-After as an HTTP date (7 s)",
        "test_a_429_is_retried_after_the_wait_it_asks_for[True-7.0]",
        "answered on the 2nd attempt after waiting 7 s",
    ),
    (
        "429 asking for 600 s (over the 60 s budget)",
        "test_a_429_asking_for_more_than_the_retry_budget_is_reported_at_once",
        "RateLimited at once, 1 request, no wait",
    ),
    (
        "one 500 on a read",
        "test_a_5xx_burst_on_a_read_is_retried_within_the_budget[500-1]",
        "answered, 2 GETs",
    ),
    (
        "three 503s on a read",
        "test_a_5xx_burst_on_a_read_is_retried_within_the_budget[503-3]",
        "answered, 4 GETs",
    ),
    (
        "500 on every attempt of a read",
        "test_a_5xx_burst_longer_than_the_budget_ends_in_a_server_error",
        "ServerError after 4 attempts",
    ),
    (
        "500/502/503/504 on a confirmed POST and DELETE (8 cases)",
        "test_a_write_is_never_sent_twice_whatever_5xx_it_gets",
        "1 POST / 1 DELETE on the wire each; 502-504 reported as outcome unknown",
    ),
    (
        "answer lost after a confirmed stop reached the sandbox",
        "test_a_lost_answer_is_an_unknown_outcome_said_to_the_assistant_and_audited",
        "OutcomeUnknown, 'check the resource before retrying', audit outcome=unknown, 1 POST, cluster STOPPING",
    ),
    (
        "answer lost on a read",
        "test_a_lost_answer_to_a_read_is_asked_again",
        "answered, 2 GETs",
    ),
    (
        "body trickled 1 byte / 50 ms, timeout 0.3 s, over loopback (read)",
        "test_a_trickled_answer_is_cut_off_by_the_per_attempt_timeout_over_loopback",
        "1st attempt cut by the per-attempt deadline, 2nd answered",
    ),
    (
        "body trickled on a confirmed write, over loopback",
        "test_a_trickled_answer_to_a_write_is_an_unknown_outcome_sent_once",
        "OutcomeUnknown 'within 0.3 s', 1 POST",
    ),
    (
        "a read trickling while another call is made",
        "test_other_calls_are_answered_while_one_trickles",
        "the other call answered first; the trickling one ends in Timeout",
    ),
    (
        "400 quoting the request body (10 tools with secret fields)",
        "test_a_400_quoting_the_request_body_shows_no_secret",
        "no password in the result or the audit log; masked as ********",
    ),
    (
        "ANSI escapes and CR/LF quoted back in a 404",
        "test_control_characters_quoted_in_an_api_error_are_written_out",
        "written out as `\\x1b`, `\\r`, `\\n`; no raw control character",
    ),
)


def _outcome(outcomes: dict[str, str], name: str) -> str:
    found = [v for k, v in outcomes.items() if k == name or k.startswith(name + "[")]
    if not found:
        return "not run"
    return f"{found.count('passed')}/{len(found)} passed"


def render(
    hostile: dict[str, str], hostile_s: float, stats: dict[str, int], faults: dict[str, str], load: Load, calls: int
) -> str:
    tools = [k for k in hostile if k.startswith("test_hostile_arguments[")]
    memory = [name for name in faults if "limit" in name]
    passed = sum(1 for k in tools if hostile[k] == "passed")
    rows = "\n".join(
        f"| {fault} | {outcome} | `{test}` | {_outcome(faults, test)} |" for fault, test, outcome in FAULT_ROWS
    )
    rss = [r.rss_kib for r in load.rounds]
    rounds = "\n".join(
        f"| {r.number} | {r.sessions} | {r.calls} | {r.errors} | {r.seconds:.2f} | {r.rss_kib / 1024:.1f} "
        f"| {r.open_fds} |"
        for r in load.rounds
    )
    refused = f"{stats.get('refused, nothing sent', 0)}: every one an `isError` naming the field, nothing sent"
    accepted = f"{stats.get('accepted by the schema', 0)}: answered or refused by the API"
    memory_passed = sum(1 for m in memory if faults[m] == "passed")
    return f"""# Reliability

What was tried against scp-mcp, and what came of it. Every number below is from one run of

    python bench/reliability.py report

which runs the tests named here and the load check, and writes this file. Inputs and faults go through a
real MCP client (`mcp.Client`) to the server and its embedded sandbox (in process, or over loopback
where it says so); time is an injected clock except where a per-attempt timeout is the point.

## Hostile and schema-breaking inputs

`tests/reliability/test_hostile_inputs.py` (hypothesis, derandomized; {HOSTILE_EXAMPLES} examples per tool here,
5 in CI): for each of the {len(tools)} tools, one argument (or an unknown one named with ANSI and CR/LF)
is replaced by a hostile value — strings of up to 120 000 characters, control characters, ANSI
escapes, CR/LF, `.` `..` `%2F` `?` `#` `/` in ids, nesting 20 to 120 levels deep, wrong types.

| what | result |
|---|---|
| tools tried | {len(tools)} ({passed} passed) |
| calls made | {stats.get("calls", 0)} |
| values the schema refuses (or that cannot be an id / fit a URL) | {refused} |
| values the schema accepts | {accepted} |
| results that were errors | {stats.get("errors", 0)}: each under 2 KB, no raw control character |
| requests outside their operation's path template (sandbox request log) | 0 found |
| time | {hostile_s:.0f} s |

## Faults injected

Sandbox faults (`scp_mcp/sandbox/faults.py`), tests in `tests/reliability/test_faults.py` and
`test_secrets.py`.

| fault | what the assistant gets | test | run |
|---|---|---|---|
{rows}

Bounded memory (`tests/reliability/test_bounded_memory.py`): {memory_passed}/{len(memory)} passed
— the sandbox's request log, its fired-fault records and its finished asynchronous requests, and the
server's remembered elicitation previews each stay at their limit however many calls are made.

## Load held

`bench/reliability.py load --clients {load.clients} --rounds {len(load.rounds)} --calls {calls}`: the installed
`scp-mcp serve --sandbox --transport http` on a free loopback port; each round opens {load.clients} concurrent
streamable-HTTP sessions, each lists the tools and makes {calls} read calls. Memory and descriptors are the
server process's, read from /proc after each round.

| round | sessions | calls | errors | seconds | RSS (MiB) | open fds |
|---|---|---|---|---|---|---|
{rounds}

Errors in all: {load.errors}{f" (first: {load.first_error})" if load.first_error else ""}. RSS after round 2 → last:
{rss[1] / 1024 if len(rss) > 1 else 0:.1f} → {rss[-1] / 1024:.1f} MiB; open descriptors after round 1 → last:
{load.rounds[0].open_fds} → {load.rounds[-1].open_fds}.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("what", choices=("load", "report"))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args(argv)
    if args.what == "load":
        load = anyio.run(lambda: run_load(_exe(), clients=args.clients, rounds=args.rounds, calls=args.calls))
        print(json.dumps({"clients": load.clients, "errors": load.errors, "first_error": load.first_error,
                          "rounds": [asdict(r) for r in load.rounds]}, indent=1))  # fmt: skip
        return 0 if load.errors == 0 else 1
    DOC.write_text(report(args.clients, args.rounds, args.calls), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
