"""Which store a setting opens: none → the SQLite file in the state dir; a path or sqlite:/// URL → that
file; postgresql:// → PostgreSQL; anything else is refused with the forms that work."""

from __future__ import annotations

from pathlib import Path

import pytest

from scp_mcp.store import SqliteStore
from scp_mcp.store.choose import open_store
from scp_mcp.store.errors import StoreChoiceError
from scp_mcp.store.postgres import PostgresStore
from tests.support.postgres import PostgresServer


def test_no_setting_opens_the_state_dirs_sqlite_file(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    assert isinstance(store, SqliteStore)
    assert store.path == str(tmp_path / "scp-mcp.sqlite3")
    store.close()


@pytest.mark.parametrize("form", ["{path}", "sqlite://{path}"])
def test_a_path_opens_that_sqlite_file(tmp_path: Path, form: str) -> None:
    path = tmp_path / "elsewhere" / "audit.sqlite3"
    store = open_store(form.format(path=path), tmp_path)
    assert isinstance(store, SqliteStore)
    assert store.path == str(path)
    store.close()


def test_a_postgresql_url_opens_postgresql(postgres: PostgresServer, tmp_path: Path) -> None:
    store = open_store(postgres.fresh_database(), tmp_path)
    assert isinstance(store, PostgresStore)
    store.close()


def test_another_scheme_is_refused_with_the_forms_that_work(tmp_path: Path) -> None:
    with pytest.raises(StoreChoiceError, match=r"use postgresql://user@host/db, sqlite:///path or a file path"):
        open_store("mysql://db/scp", tmp_path)
