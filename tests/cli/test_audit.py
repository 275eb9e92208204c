"""`scp-mcp audit`: recent entries of the store in the state dir, as lines or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scp_mcp.store import SqliteStore
from tests.store.test_sqlite import entry
from tests.support.cli import run_main


def _fill(state_dir: Path) -> None:
    store = SqliteStore.in_dir(state_dir)
    now = datetime.now(UTC)
    store.append_audit(entry((now - timedelta(days=3)).isoformat(timespec="seconds"), tool="old_tool"))
    store.append_audit(entry((now - timedelta(minutes=5)).isoformat(timespec="seconds")))
    store.close()


def test_audit_prints_recent_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(tmp_path)
    code, out, _ = run_main(capsys, "audit", "--state-dir", str(tmp_path))
    assert code == 0
    assert "eventstreams_terminate_cluster" in out
    assert "cluster 'orders-kafka' (c1)" in out
    assert "confirmed (argument)  executed request r1" in out
    assert "old_tool" not in out
    code, out, _ = run_main(capsys, "audit", "--state-dir", str(tmp_path), "--since", "7d", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["tool"] for r in rows] == ["old_tool", "eventstreams_terminate_cluster"]
    assert rows[1]["client"] == "test"


def test_audit_since_takes_an_iso_time_and_refuses_nonsense(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(tmp_path)
    code, out, _ = run_main(capsys, "audit", "--state-dir", str(tmp_path), "--since", "2000-01-01T00:00:00Z", "--json")
    assert code == 0
    assert len(out.splitlines()) == 2
    code, _, err = run_main(capsys, "audit", "--state-dir", str(tmp_path), "--since", "yesterday")
    assert code == 2
    assert "--since 'yesterday'" in err


def test_audit_without_a_log_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "audit", "--state-dir", str(tmp_path / "none"))
    assert code == 0
    assert "No audit log yet" in out
