"""Benchmark: import scp_mcp.catalog and load every record, in a fresh interpreter each run.

    python bench/catalog_load.py [runs]

Target (issue 2): well under 200 ms on the project's 2-core machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

PROBE = (
    "import time; t = time.perf_counter(); "
    "from scp_mcp.catalog import load_catalog; c = load_catalog(); assert len(c.operations) == 116; "
    "print((time.perf_counter() - t) * 1000)"
)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    samples = [float(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout)
               for _ in range(runs)]  # fmt: skip
    print(f"catalog import + load: median {statistics.median(samples):.0f} ms, "
          f"min {min(samples):.0f} ms, max {max(samples):.0f} ms over {runs} fresh interpreters")  # fmt: skip


if __name__ == "__main__":
    main()
