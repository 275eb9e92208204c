"""The ledger table on SQLite: the migration that adds it, in a new file and in place. What every store
does with entries is in test_ledger_contract.py, run on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scp_mcp.store import SCHEMA_VERSION, SqliteStore
from tests.store.conftest import op


def test_the_ledger_survives_a_reopen_and_the_migration_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    store.record_operation(op(0))
    store.close()
    again = SqliteStore(path)
    assert again.operation("alice", "req-0") == op(0)
    assert again.schema_version() == SCHEMA_VERSION
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(operations)")}
    assert {"caller", "key", "status", "started_at", "updated_at", "finished_at", "arguments"} <= columns


def test_a_store_from_before_the_ledger_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
        "CREATE TABLE used_confirmations (token_id TEXT PRIMARY KEY, expires_at REAL NOT NULL);"
        "INSERT INTO used_confirmations VALUES ('spent', 100.0);"
    )
    old.close()
    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert not store.use_confirmation("spent", 100.0, 1.0)  # what version 1 kept is still there
    store.record_operation(op(0))
    assert [e.key for e in store.operations("alice")] == ["req-0"]
