"""The SQLite store: migrated on open, confirmations spent once (across threads and across two
stores on one file), expired ones pruned, audit entries kept in order and filtered by time."""

from __future__ import annotations

import sqlite3
import threading
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


def test_a_confirmation_is_used_once_across_threads() -> None:
    store = SqliteStore(":memory:")
    wins: list[bool] = []
    threads = [threading.Thread(target=lambda: wins.append(store.use_confirmation("t", 100.0, 1.0))) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 19 + [True]


def test_two_stores_on_one_file_share_used_confirmations(tmp_path: Path) -> None:
    one, two = SqliteStore(tmp_path / "s.sqlite3"), SqliteStore(tmp_path / "s.sqlite3")
    assert one.use_confirmation("t", 100.0, 1.0)
    assert not two.use_confirmation("t", 100.0, 1.0)


def test_expired_confirmations_are_pruned() -> None:
    store = SqliteStore()
    assert store.use_confirmation("old", 10.0, 1.0)
    assert store.use_confirmation("new", 100.0, 50.0)  # prunes "old": it expired at 10
    assert store.use_confirmation("old", 200.0, 50.0)  # (a token that old is refused by its own expiry first)


def test_audit_entries_are_oldest_first_and_filtered_by_time() -> None:
    store = SqliteStore()
    for at in ("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"):
        store.append_audit(entry(at))
    assert [e.at[:10] for e in store.audit_entries(since="2026-01-02T00:00:00+00:00")] == ["2026-01-02", "2026-01-03"]
    assert [e.at[:10] for e in store.audit_entries(limit=1)] == ["2026-01-03"]


def test_the_default_state_dir(tmp_path: Path) -> None:
    assert default_state_dir({"SCP_MCP_STATE_DIR": str(tmp_path)}) == tmp_path
    assert default_state_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "scp-mcp"
    assert default_state_dir({}) == Path.home() / ".local" / "state" / "scp-mcp"
