"""The store contract runs against every implementation: ``store_factory`` opens a store on one shared
location (so two opened stores behave like two replicas), for SQLite and for a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scp_mcp.store import SqliteStore, Store
from tests.support.postgres import PostgresServer, running_postgres

StoreFactory = Callable[[], Store]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    opened: list[Store] = []
    if request.param == "sqlite":
        path = tmp_path / "scp-mcp.sqlite3"
        open_one: StoreFactory = lambda: SqliteStore(path)  # noqa: E731
    else:
        from scp_mcp.store.postgres import PostgresStore

        url = request.getfixturevalue("postgres").fresh_database()
        open_one = lambda: PostgresStore(url)  # noqa: E731

    def factory() -> Store:
        opened.append(open_one())
        return opened[-1]

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    return store_factory()
