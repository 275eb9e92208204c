"""`/readyz` says whether the replica can reach its store: ready while PostgreSQL answers, 503 with the
reason (and no password) once the database is gone; `/healthz` answers either way."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from scp_mcp.store.postgres import PostgresStore
from tests.support.postgres import PostgresServer
from tests.support.stack import make_stack

pytestmark = pytest.mark.anyio


async def test_readiness_follows_the_store(postgres: PostgresServer) -> None:
    url = postgres.fresh_database()
    store = PostgresStore(url, timeout_s=2.0)
    app = make_stack(store=store).server.streamable_http_app()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            ready = await http.get("/readyz")
            with psycopg.connect(postgres.url(), autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")  # type: ignore[arg-type]
            gone = await http.get("/readyz")
            alive = await http.get("/healthz")
    finally:
        store.close()
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert gone.status_code == 503
    assert gone.json()["status"] == "unavailable"
    assert f"postgresql://postgres@127.0.0.1:{postgres.port}/" in gone.json()["reason"]
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
