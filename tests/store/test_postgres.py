"""What only the PostgreSQL store does: migrations run once when replicas start together, a newer schema
is refused, and a database it cannot reach is named (without its password) in a bounded time."""

from __future__ import annotations

import threading

import psycopg
import pytest

from scp_mcp.store.errors import StoreUnavailable
from scp_mcp.store.postgres import SCHEMA_VERSION, PostgresStore, safe_url
from tests.support.postgres import PostgresServer, free_port


def test_replicas_starting_together_migrate_once(postgres: PostgresServer) -> None:
    url = postgres.fresh_database()
    stores: list[PostgresStore] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        barrier.wait(timeout=30)
        try:
            stores.append(PostgresStore(url, min_size=1, max_size=2))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert [s.schema_version() for s in stores] == [SCHEMA_VERSION] * 6
        with psycopg.connect(url) as db:
            assert db.execute("SELECT count(*) FROM schema_version").fetchone() == (1,)
            tables = {r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"schema_version", "used_confirmations", "audit"} <= tables
    finally:
        for store in stores:
            store.close()


def test_a_newer_schema_is_refused(postgres: PostgresServer) -> None:
    url = postgres.fresh_database()
    PostgresStore(url).close()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer than this scp-mcp"):
        PostgresStore(url)


def test_an_unreachable_database_is_named_without_its_password() -> None:
    url = f"postgresql://scp:s3cret-pw@127.0.0.1:{free_port()}/scp"
    with pytest.raises(StoreUnavailable) as raised:
        PostgresStore(url, timeout_s=1.0)
    assert "s3cret-pw" not in str(raised.value)
    assert f"postgresql://scp@127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}/scp" in str(raised.value)


def test_ping_answers_while_the_database_does(postgres: PostgresServer) -> None:
    store = PostgresStore(postgres.fresh_database())
    store.ping()
    store.close()


def test_safe_url_keeps_no_password() -> None:
    assert safe_url("postgresql://u:pw@db.internal:5433/scp?sslmode=require") == "postgresql://u@db.internal:5433/scp"
