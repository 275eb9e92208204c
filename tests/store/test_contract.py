"""What every store does, SQLite and PostgreSQL alike: a confirmation is spent once (across threads and
across two stores on one database, as two replicas), expired ones are pruned, audit entries come back
whole, in order and filtered by time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from scp_mcp.store import AuditEntry, Store

StoreFactory = Callable[[], Store]


def entry(at: str, tool: str = "eventstreams_terminate_cluster", **changes: object) -> AuditEntry:
    values: dict[str, object] = {
        "at": at,
        "client": "test",
        "tool": tool,
        "risk": "destructive",
        "target_kind": "cluster",
        "target_id": "c1",
        "target_name": "orders-kafka",
        "arguments": {"cluster_id": "c1", "nested": {"n": 1, "list": [1, "two"]}},
        "confirmation": "argument",
        "decision": "confirmed",
        "outcome": "executed",
        "request_id": "r1",
    }
    return AuditEntry(**(values | changes))  # type: ignore[arg-type]


def race(attempts: int, attempt: Callable[[], bool]) -> list[bool]:
    wins: list[bool] = []
    barrier = threading.Barrier(attempts)

    def run() -> None:
        barrier.wait(timeout=30)
        wins.append(attempt())

    threads = [threading.Thread(target=run) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(wins)


def test_a_confirmation_is_used_once_across_threads(store: Store) -> None:
    assert race(20, lambda: store.use_confirmation("t", 100.0, 1.0)) == [False] * 19 + [True]


def test_two_stores_on_one_database_spend_a_confirmation_once(store_factory: StoreFactory) -> None:
    replicas = [store_factory() for _ in range(4)]
    wins = race(16, lambda: replicas[threading.get_ident() % 4].use_confirmation("t", 100.0, 1.0))
    assert wins == [False] * 15 + [True]
    assert not store_factory().use_confirmation("t", 100.0, 2.0)


def test_expired_confirmations_are_pruned(store: Store) -> None:
    assert store.use_confirmation("old", 10.0, 1.0)
    assert not store.use_confirmation("old", 10.0, 5.0)
    assert store.use_confirmation("new", 100.0, 50.0)  # prunes "old": it expired at 10
    assert store.use_confirmation("old", 200.0, 50.0)  # (a token that old is refused by its own expiry first)


def test_audit_entries_come_back_whole(store: Store) -> None:
    written = entry("2026-01-01T00:00:00+00:00", detail="ü ✓", target_name=None, request_id=None)
    store.append_audit(written)
    assert store.audit_entries() == [written]


def test_audit_entries_are_oldest_first_and_filtered_by_time(store: Store) -> None:
    for at in ("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"):
        store.append_audit(entry(at))
    assert [e.at[:10] for e in store.audit_entries(since="2026-01-02T00:00:00+00:00")] == ["2026-01-02", "2026-01-03"]
    assert [e.at[:10] for e in store.audit_entries(limit=1)] == ["2026-01-03"]
    assert store.audit_entries(since="2027-01-01T00:00:00+00:00") == []


def test_one_audit_trail_from_several_stores(store_factory: StoreFactory) -> None:
    replicas = [store_factory() for _ in range(3)]
    for n, replica in enumerate(replicas):
        replica.append_audit(entry(f"2026-01-0{n + 1}T00:00:00+00:00", client=f"replica-{n}"))
    assert [e.client for e in store_factory().audit_entries()] == ["replica-0", "replica-1", "replica-2"]


def test_a_reopened_store_keeps_what_it_had(store_factory: StoreFactory) -> None:
    first = store_factory()
    first.append_audit(entry("2026-01-01T00:00:00+00:00"))
    assert first.use_confirmation("t", 100.0, 1.0)
    first.close()
    again = store_factory()
    assert [e.target_name for e in again.audit_entries()] == ["orders-kafka"]
    assert not again.use_confirmation("t", 100.0, 1.0)
