"""Which store a server opens: ``--store``/``$SCP_MCP_STORE`` (a PostgreSQL URL, or a SQLite file),
else the SQLite file in the state dir."""

from __future__ import annotations

from pathlib import Path

from scp_mcp.store.base import Store
from scp_mcp.store.errors import StoreChoiceError
from scp_mcp.store.sqlite import SqliteStore

POSTGRES_EXTRA = "pip install 'scp-mcp[postgres]'"


def open_store(url: str | None, state_dir: Path) -> Store:
    """``postgresql://…`` (or ``postgres://``): PostgreSQL; ``sqlite:///PATH`` or a plain path: that SQLite
    file; None or empty: ``<state_dir>/scp-mcp.sqlite3``."""
    url = (url or "").strip()
    if not url:
        return SqliteStore.in_dir(state_dir)
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from scp_mcp.store.postgres import PostgresStore
        except ImportError:
            raise StoreChoiceError(f"a PostgreSQL store needs psycopg 3: {POSTGRES_EXTRA}") from None
        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite://")))
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreChoiceError(f"store {scheme}://…: use postgresql://user@host/db, sqlite:///path or a file path")
    return SqliteStore(Path(url).expanduser())
