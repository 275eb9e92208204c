"""The ledger table: entries per caller, newest first, filtered; a finished entry is final; bounded, the
oldest finished pruned first; nothing lost to concurrent writers (threads, and two stores on one file);
kept across a reopen."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from scp_mcp.store import SCHEMA_VERSION, OperationEntry, SqliteStore


def op(n: int, caller: str = "alice", **changes: object) -> OperationEntry:
    entry = OperationEntry(
        key=f"req-{n}",
        caller=caller,
        tool="eventstreams_restart_cluster",
        service="eventstreams",
        follow="request",
        request_id=f"req-{n}",
        target_kind="cluster",
        target_id=f"c{n}",
        target_name=f"kafka-{n}",
        arguments={"cluster_id": f"c{n}"},
        status="in_progress",
        state=None,
        started_at=f"2026-12-01T10:{n:02d}:00+00:00",
        updated_at=f"2026-12-01T10:{n:02d}:00+00:00",
    )
    return replace(entry, **changes)  # type: ignore[arg-type]


def finished(entry: OperationEntry) -> OperationEntry:
    at = "2026-12-01T11:00:00+00:00"
    return replace(entry, status="completed", state="COMPLETED", updated_at=at, finished_at=at)


def test_entries_are_the_callers_own_newest_first() -> None:
    store = SqliteStore()
    for n in range(3):
        store.record_operation(op(n))
    store.record_operation(op(9, caller="bob"))
    assert [e.key for e in store.operations("alice")] == ["req-2", "req-1", "req-0"]
    assert [e.key for e in store.operations("bob")] == ["req-9"]
    assert store.operation("bob", "req-1") is None
    got = store.operation("alice", "req-1")
    assert got == op(1)
    assert got.arguments == {"cluster_id": "c1"}


def test_filters_by_status_service_and_target() -> None:
    store = SqliteStore()
    store.record_operation(op(0))
    store.record_operation(op(1, service="vertica"))
    store.record_operation(finished(op(2)))
    assert [e.key for e in store.operations("alice", statuses=("completed",))] == ["req-2"]
    assert [e.key for e in store.operations("alice", statuses=("in_progress", "failed"))] == ["req-1", "req-0"]
    assert [e.key for e in store.operations("alice", service="vertica")] == ["req-1"]
    assert [e.key for e in store.operations("alice", target="c0")] == ["req-0"]
    assert [e.key for e in store.operations("alice", target="kafka-2")] == ["req-2"]
    assert [e.key for e in store.operations("alice", limit=1)] == ["req-2"]


def test_an_update_writes_an_unfinished_entry_and_a_finished_one_is_final() -> None:
    store = SqliteStore()
    store.record_operation(op(0))
    assert store.update_operation(replace(op(0), state="IN_PROGRESS", target_id="c-new"))
    assert store.update_operation(finished(op(0)))
    stale = replace(op(0), state="IN_PROGRESS", updated_at="2026-12-01T12:00:00+00:00")
    assert not store.update_operation(stale)  # a slower refresh cannot undo the finish
    got = store.operation("alice", "req-0")
    assert got is not None
    assert (got.status, got.state, got.finished_at) == ("completed", "COMPLETED", "2026-12-01T11:00:00+00:00")
    assert not store.update_operation(op(5))  # nothing recorded under that key


def test_the_ledger_is_bounded_and_prunes_the_oldest_finished_first() -> None:
    store = SqliteStore(operations_limit=3)
    store.record_operation(op(0))  # unfinished, the oldest
    store.record_operation(finished(op(1)))
    store.record_operation(finished(op(2)))
    store.record_operation(op(3))
    assert [e.key for e in store.operations("alice")] == ["req-3", "req-2", "req-0"]
    store.record_operation(op(4))
    store.record_operation(op(5))  # nothing finished is left: the oldest unfinished goes
    assert [e.key for e in store.operations("alice")] == ["req-5", "req-4", "req-3"]


def test_recording_a_key_again_replaces_it() -> None:
    store = SqliteStore()
    store.record_operation(finished(op(0)))
    store.record_operation(op(0, started_at="2026-12-01T10:30:00+00:00"))
    [entry] = store.operations("alice")
    assert (entry.status, entry.started_at) == ("in_progress", "2026-12-01T10:30:00+00:00")


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    stores = [SqliteStore(path), SqliteStore(path)]  # two processes' stores on one file
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        store = stores[worker % 2]
        try:
            for n in range(25):
                entry = op(n, key=f"w{worker}-{n}")
                store.record_operation(entry)
                store.update_operation(finished(entry))
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = stores[0].operations("alice", limit=1000)
    assert len(entries) == 8 * 25
    assert {e.status for e in entries} == {"completed"}


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


def test_clearing_forgets_every_entry() -> None:
    store = SqliteStore()
    store.record_operation(op(0))
    store.record_operation(op(1, caller="bob"))
    store.clear_operations()
    assert store.operations("alice") == []
    assert store.operations("bob") == []
