"""The store contract runs against every implementation: ``store_factory`` opens a store on one shared
location (so two opened stores behave like two replicas), for SQLite and for a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scp_mcp.store import OperationEntry, SqliteStore, Store
from tests.support.postgres import PostgresServer, running_postgres

StoreFactory = Callable[..., Store]  # keyword arguments go to the store's constructor


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    yield from _factory(request, tmp_path)


# The ledger's methods: on every store that has them (SQLite gains them on the ledger branch).
LEDGER_STORES = ["postgres", *(["sqlite"] if hasattr(SqliteStore, "record_operation") else [])]


@pytest.fixture(params=LEDGER_STORES)
def ledger_store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    yield from _factory(request, tmp_path)


def _factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    opened: list[Store] = []
    if request.param == "sqlite":
        path = tmp_path / "scp-mcp.sqlite3"
        open_one: StoreFactory = lambda **kw: SqliteStore(path, **kw)  # noqa: E731
    else:
        from scp_mcp.store.postgres import PostgresStore

        url = request.getfixturevalue("postgres").fresh_database()
        open_one = lambda **kw: PostgresStore(url, **kw)  # noqa: E731

    def factory(**kwargs: Any) -> Store:
        opened.append(open_one(**kwargs))
        return opened[-1]

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    return store_factory()


def op(n: int, caller: str = "alice", **changes: Any) -> OperationEntry:
    """Ledger entry ``n``: in progress, started n minutes after 10:00; ``changes`` replace fields."""
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
        arguments={"cluster_id": f"c{n}", "nested": [1, {"two": 2}]},
        status="in_progress",
        state=None,
        started_at=f"2026-12-01T10:{n:02d}:00+00:00",
        updated_at=f"2026-12-01T10:{n:02d}:00+00:00",
    )
    return replace(entry, **changes)
