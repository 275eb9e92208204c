"""The generic peer for bench/perf.py: FastMCP's `from_openapi` serving our compiled specs over stdio.

    BENCH_STUB_URL=http://127.0.0.1:PORT python bench/fastmcp_peer.py

Run with the interpreter of the separate venv bench/perf.py creates (FastMCP is never a dependency
of scp-mcp). One server per service spec, mounted into one, every request sent to the stub.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastmcp import FastMCP

try:
    import httpx2 as httpx  # FastMCP 4 builds on httpx2, as the MCP SDK 2 does
except ImportError:
    import httpx  # type: ignore[no-redef]

SPECS = Path(__file__).resolve().parent.parent / "scp_mcp" / "catalog" / "specs"


def peer() -> FastMCP:
    base = os.environ["BENCH_STUB_URL"]
    main = FastMCP("fastmcp-peer")
    for path in sorted(SPECS.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        spec["servers"] = [{"url": base}]
        main.mount(FastMCP.from_openapi(openapi_spec=spec, client=httpx.AsyncClient(base_url=base), name=path.stem))
    return main


if __name__ == "__main__":
    peer().run(show_banner=False)
