"""A small run of bench/reliability.py's load check: concurrent streamable-HTTP sessions against the
installed server answer every call, and the server's descriptors do not grow from round to round."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "reliability.py"


def test_concurrent_http_sessions_all_answer_and_leak_no_descriptors(tmp_path: Path) -> None:
    if not Path(sys.executable).with_name("scp-mcp").exists():
        pytest.skip("the scp-mcp console script is not installed (pip install -e .)")
    argv = [sys.executable, str(BENCH), "load", "--clients", "4", "--rounds", "3", "--calls", "2"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False, cwd=tmp_path)
    run = json.loads(done.stdout)
    assert run["errors"] == 0, run["first_error"]
    assert [r["calls"] for r in run["rounds"]] == [8, 8, 8]
    fds = [r["open_fds"] for r in run["rounds"]]
    # A leak of one descriptor per session would add 4 per round (8 by the last); one connection whose
    # close is still in flight when a round is counted may add one, on a loaded machine.
    assert fds[-1] <= fds[0] + 1, fds
