"""Benchmark: what the tool surface costs an assistant and what the server costs per call.

    python bench/tool_surface.py [calls]

Reports, on the embedded sandbox:
- tools/list size on the wire (compact JSON bytes, and o200k tokens when `pip install bpe-openai` is
  there, an offline tokenizer; else characters / 4), split into input schemas, output schemas,
  descriptions, annotations and _meta; what an assistant pays per turn is roughly names + titles +
  descriptions + input schemas (clients do not usually show output schemas or _meta to the model);
- the client-side check of a 20-cluster list result against its output schema (what mcp.Client does
  on every call: a compiled jsonschema validator, `best_match(iter_errors(...))`), median;
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
from jsonschema import exceptions
from jsonschema.validators import validator_for
from mcp import Client
from referencing import Registry

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


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _tokenizer() -> tuple[str, Any]:
    try:
        import bpe_openai  # type: ignore[import-not-found]
    except ImportError:
        return "chars/4", lambda text: len(text) // 4
    encoding = bpe_openai.get_encoding("o200k_base")
    return "o200k", lambda text: len(encoding.encode(text))


def surface(tools: list[dict[str, Any]]) -> None:
    unit, count = _tokenizer()
    parts = {
        "input schemas": [t["inputSchema"] for t in tools],
        "output schemas": [t.get("outputSchema", {}) for t in tools],
        "descriptions": [t.get("description", "") for t in tools],
        "annotations": [t.get("annotations", {}) for t in tools],
        "_meta": [t.get("_meta", {}) for t in tools],
    }
    total = _compact(tools)
    tokens = count(total)
    per_tool = tokens / len(tools)
    size = _kb(len(total))
    print(f"tools/list: {len(tools)} tools, {size} of JSON, {tokens} tokens ({unit}), {per_tool:.0f} per tool")
    for key, values in parts.items():
        size = sum(len(_compact(v)) for v in values)
        share = sum(count(_compact(v)) for v in values)
        per = f"({size / len(tools):.0f} B per tool)"
        print(f"  {key:<15} {_kb(size):>10}  {per:<18} {share:>6} tokens ({share / tokens:.0%})")
    paid = [t["name"] + t.get("title", "") + t.get("description", "") + _compact(t["inputSchema"]) for t in tools]
    print(f"assistant pays (names + titles + descriptions + input schemas): ~{sum(count(p) for p in paid)} tokens")


def validation(tools: list[dict[str, Any]], result: dict[str, Any], runs: int = 200) -> None:
    """The client's check of one result against the listed output schema, for a list of 20 clusters."""
    schema = next(t["outputSchema"] for t in tools if t["name"] == TOOL)
    one = result["data"]["contents"][0]
    content = {**result, "data": {**result["data"], "contents": [{**one, "id": f"{i:032x}"} for i in range(20)]}}
    validator = validator_for(schema)(schema, registry=Registry())
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        error = exceptions.best_match(validator.iter_errors(content))
        samples.append((time.perf_counter() - t) * 1000)
        assert error is None, error
    print(
        f"client-side output-schema check, {TOOL} with 20 clusters ({_kb(len(_compact(content)))}): "
        f"median {statistics.median(samples):.3f} ms over {runs}"
    )


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


async def listing() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    sandbox = Sandbox(clock=SandboxClock.manual())
    server = build_server(ServerSettings(), sandbox_backend(sandbox))
    async with Client(server, mode="legacy") as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool(TOOL, {})
    assert result.structured_content is not None
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools], result.structured_content


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tools, result = anyio.run(listing)
    surface(tools)
    validation(tools, result)
    startup(5)
    anyio.run(per_call, calls)


if __name__ == "__main__":
    main()
