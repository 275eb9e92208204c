"""The ledger's behaviours on every store that keeps it (PostgreSQL here; SQLite too once it has them):
the caller's entries newest first, filtered; a finished entry is final; bounded, the oldest finished
pruned first; nothing lost to writers on several stores at once (replicas); kept across a reopen."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from scp_mcp.store.base import OperationEntry
from tests.store.conftest import StoreFactory, op


def finished(entry: OperationEntry) -> OperationEntry:
    at = "2026-12-01T11:00:00+00:00"
    return replace(entry, status="completed", state="COMPLETED", updated_at=at, finished_at=at)


def test_entries_are_the_callers_own_newest_first(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory()
    for n in range(3):
        store.record_operation(op(n))
    store.record_operation(op(9, caller="bob"))
    assert [e.key for e in store.operations("alice")] == ["req-2", "req-1", "req-0"]
    assert [e.key for e in store.operations("bob")] == ["req-9"]
    assert store.operation("bob", "req-1") is None
    assert store.operation("alice", "req-1") == op(1)


def test_filters_by_status_service_and_target(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory()
    store.record_operation(op(0))
    store.record_operation(op(1, service="vertica"))
    store.record_operation(finished(op(2)))
    assert [e.key for e in store.operations("alice", statuses=("completed",))] == ["req-2"]
    assert [e.key for e in store.operations("alice", statuses=("in_progress", "failed"))] == ["req-1", "req-0"]
    assert [e.key for e in store.operations("alice", service="vertica")] == ["req-1"]
    assert [e.key for e in store.operations("alice", target="c0")] == ["req-0"]
    assert [e.key for e in store.operations("alice", target="kafka-2")] == ["req-2"]
    assert [e.key for e in store.operations("alice", limit=1)] == ["req-2"]


def test_a_finished_entry_is_final(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory()
    store.record_operation(op(0))
    assert store.update_operation(replace(op(0), state="IN_PROGRESS", target_id="c-new"))
    assert store.update_operation(finished(op(0)))
    assert not store.update_operation(replace(op(0), state="IN_PROGRESS", updated_at="2026-12-01T12:00:00+00:00"))
    got = store.operation("alice", "req-0")
    assert (got.status, got.state, got.finished_at, got.target_id) == (
        "completed",
        "COMPLETED",
        "2026-12-01T11:00:00+00:00",
        "c0",
    )
    assert not store.update_operation(op(5))  # nothing recorded under that key


def test_the_ledger_is_bounded_and_prunes_the_oldest_finished_first(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory(operations_limit=3)
    store.record_operation(op(0))  # unfinished, the oldest
    store.record_operation(finished(op(1)))
    store.record_operation(finished(op(2)))
    store.record_operation(op(3))
    assert [e.key for e in store.operations("alice")] == ["req-3", "req-2", "req-0"]
    store.record_operation(op(4))
    store.record_operation(op(5))  # nothing finished is left: the oldest unfinished goes
    assert [e.key for e in store.operations("alice")] == ["req-5", "req-4", "req-3"]


def test_the_bound_is_per_caller_so_a_flood_never_prunes_another_callers_work(
    ledger_store_factory: StoreFactory,
) -> None:
    store: Any = ledger_store_factory(operations_limit=3)
    for n in range(3):
        store.record_operation(op(n))  # alice's unfinished work, the oldest in the store
    for n in range(10, 20):
        store.record_operation(finished(op(n, caller="bob")))
    store.record_operation(op(20, caller="bob"))
    assert [e.key for e in store.operations("alice")] == ["req-2", "req-1", "req-0"]
    assert [e.key for e in store.operations("bob")] == ["req-20", "req-19", "req-18"]


def test_an_update_writes_the_target_found_later(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory()
    store.record_operation(op(0, target_id=None, target_name=None))
    assert store.update_operation(replace(op(0), target_id="c-new", target_name="kafka-new"))
    got = store.operation("alice", "req-0")
    assert (got.target_id, got.target_name) == ("c-new", "kafka-new")


def test_recording_a_key_again_replaces_it(ledger_store_factory: StoreFactory) -> None:
    store: Any = ledger_store_factory()
    store.record_operation(finished(op(0)))
    store.record_operation(op(0, started_at="2026-12-01T10:30:00+00:00"))
    [entry] = store.operations("alice")
    assert (entry.status, entry.started_at) == ("in_progress", "2026-12-01T10:30:00+00:00")


def test_writers_on_several_stores_lose_nothing(ledger_store_factory: StoreFactory) -> None:
    stores: list[Any] = [ledger_store_factory() for _ in range(3)]  # three replicas' stores
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        store = stores[worker % 3]
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
        thread.join(timeout=120)
    assert errors == []
    entries = stores[0].operations("alice", limit=1000)
    assert len(entries) == 8 * 25
    assert {e.status for e in entries} == {"completed"}


def test_the_ledger_survives_a_reopen_and_clearing_forgets_it(ledger_store_factory: StoreFactory) -> None:
    first: Any = ledger_store_factory()
    first.record_operation(op(0))
    first.record_operation(op(1, caller="bob"))
    first.close()
    again: Any = ledger_store_factory()
    assert again.operation("alice", "req-0") == op(0)
    again.clear_operations()
    assert again.operations("alice") == []
    assert again.operations("bob") == []
