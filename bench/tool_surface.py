"""Benchmark: what the tool surface costs an assistant and what the server costs per call.

    python bench/tool_surface.py [calls]

Reports, on the embedded sandbox:
- tools/list size on the wire (JSON bytes), split into input schemas, output schemas, descriptions,
  annotations and _meta; what an assistant pays per turn is roughly names + titles + descriptions +
  input schemas (clients do not usually show output schemas or _meta to the model), given in bytes
  and as an approximate token count (characters / 4; a rough rule of thumb, not a tokenizer);
- server start-up: importing scp_mcp.server plus build_server with all 116 tools, in fresh
  interpreters (median);
- per-call overhead in memory: the median of N tools/call round trips through mcp.Client (both
  protocol eras) minus the median of the same request sent straight through ScpClient to the same
  in-process sandbox.
No thresholds: it prints numbers.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

import anyio
from mcp import Client

from scp_mcp.catalog import load_catalog
from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.server import ServerSettings, build_server, sandbox_backend

STARTUP = (
    "import time; t = time.perf_counter(); "
    "from scp_mcp.server import ServerSettings, build_server, choose_backend; "
    "s = build_server(ServerSettings(backend='sandbox'), choose_backend(ServerSettings(backend='sandbox'))); "
    "print((time.perf_counter() - t) * 1000)"
)
TOOL = "eventstreams_list_clusters"


def _kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def surface(tools: list[dict[str, Any]]) -> None:
    size = {
        "total": len(json.dumps(tools)),
        "input schemas": sum(len(json.dumps(t["inputSchema"])) for t in tools),
        "output schemas": sum(len(json.dumps(t.get("outputSchema", {}))) for t in tools),
        "descriptions": sum(len(t.get("description", "")) for t in tools),
        "annotations": sum(len(json.dumps(t.get("annotations", {}))) for t in tools),
        "_meta": sum(len(json.dumps(t.get("_meta", {}))) for t in tools),
    }
    paid = sum(len(t["name"]) + len(t.get("title", "")) for t in tools) + size["descriptions"] + size["input schemas"]
    print(f"tools/list: {len(tools)} tools, {_kb(size['total'])} of JSON")
    for key in ("input schemas", "output schemas", "descriptions", "annotations", "_meta"):
        print(f"  {key:<15} {_kb(size[key]):>10}  ({size[key] / len(tools):.0f} B per tool)")
    print(f"assistant pays (names + titles + descriptions + input schemas): {_kb(paid)}, ~{paid // 4} tokens (chars/4)")


def startup(runs: int) -> None:
    samples = [
        float(subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    print(
        f"start-up (import scp_mcp.server + build_server, 116 tools): median {statistics.median(samples):.0f} ms, "
        f"min {min(samples):.0f} ms, max {max(samples):.0f} ms over {runs} fresh interpreters"
    )


async def per_call(calls: int) -> None:
    sandbox = Sandbox(clock=SandboxClock.manual())
    backend = sandbox_backend(sandbox)
    server = build_server(ServerSettings(), backend)
    op = load_catalog().by_tool_name(TOOL)
    direct: list[float] = []
    for _ in range(calls):
        t = time.perf_counter()
        await backend.client.call(op)
        direct.append((time.perf_counter() - t) * 1000)
    base = statistics.median(direct)
    print(f"per call, {TOOL}, median of {calls}: ScpClient straight to the in-process sandbox {base:.2f} ms")
    for mode in ("legacy", "auto"):
        async with Client(server, mode=mode) as client:  # type: ignore[arg-type]
            await client.list_tools()
            through: list[float] = []
            for _ in range(calls):
                t = time.perf_counter()
                result = await client.call_tool(TOOL, {})
                through.append((time.perf_counter() - t) * 1000)
                assert not result.is_error
        median = statistics.median(through)
        print(f"  through mcp.Client ({mode}): {median:.2f} ms; server + protocol overhead {median - base:.2f} ms")
    await backend.aclose()


async def listing() -> list[dict[str, Any]]:
    sandbox = Sandbox(clock=SandboxClock.manual())
    server = build_server(ServerSettings(), sandbox_backend(sandbox))
    async with Client(server, mode="legacy") as client:
        tools = (await client.list_tools()).tools
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    surface(anyio.run(listing))
    startup(5)
    anyio.run(per_call, calls)


if __name__ == "__main__":
    main()
