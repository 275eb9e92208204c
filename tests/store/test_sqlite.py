"""The SQLite store's own behaviour: migrated on open, and the default state directory. What every store
does with confirmations and the audit log is in test_contract.py, run on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scp_mcp.store import SCHEMA_VERSION, AuditEntry, SqliteStore, default_state_dir


def entry(at: str, tool: str = "eventstreams_terminate_cluster") -> AuditEntry:
    return AuditEntry(
        at=at,
        client="test",
        tool=tool,
        risk="destructive",
        target_kind="cluster",
        target_id="c1",
        target_name="orders-kafka",
        arguments={"cluster_id": "c1"},
        confirmation="argument",
        decision="confirmed",
        outcome="executed",
        request_id="r1",
    )


def test_a_new_file_is_migrated_and_reopened_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "scp-mcp.sqlite3"
    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    store.append_audit(entry("2026-01-01T00:00:00+00:00"))
    store.close()
    again = SqliteStore(path)
    assert again.schema_version() == SCHEMA_VERSION
    assert [e.target_name for e in again.audit_entries()] == ["orders-kafka"]
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"schema_version", "used_confirmations", "audit"} <= tables
    assert path.stat().st_mode & 0o077 == 0


def test_the_default_state_dir(tmp_path: Path) -> None:
    assert default_state_dir({"SCP_MCP_STATE_DIR": str(tmp_path)}) == tmp_path
    assert default_state_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "scp-mcp"
    assert default_state_dir({}) == Path.home() / ".local" / "state" / "scp-mcp"
