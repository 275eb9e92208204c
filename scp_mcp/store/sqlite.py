"""``SqliteStore``: the store on sqlite3, migrated on open (the ``schema_version`` table)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from scp_mcp.store import rows
from scp_mcp.store.base import AuditEntry, OperationEntry, OperationStatus

FILE_NAME = "scp-mcp.sqlite3"

# Each migration takes the schema from version i to i + 1; never edit one that has shipped.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE used_confirmations (
        token_id TEXT PRIMARY KEY,
        expires_at REAL NOT NULL
    );
    CREATE INDEX used_confirmations_expiry ON used_confirmations (expires_at);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        client TEXT NOT NULL,
        tool TEXT NOT NULL,
        risk TEXT NOT NULL,
        target_kind TEXT,
        target_id TEXT,
        target_name TEXT,
        arguments TEXT NOT NULL,
        confirmation TEXT NOT NULL,
        decision TEXT NOT NULL,
        outcome TEXT NOT NULL,
        request_id TEXT,
        detail TEXT
    );
    CREATE INDEX audit_at ON audit (at);
    """,
    """
    CREATE TABLE operations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        caller TEXT NOT NULL,
        key TEXT NOT NULL,
        tool TEXT NOT NULL,
        service TEXT NOT NULL,
        follow TEXT NOT NULL,
        request_id TEXT,
        target_kind TEXT,
        target_id TEXT,
        target_name TEXT,
        arguments TEXT NOT NULL,
        status TEXT NOT NULL,
        state TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT,
        UNIQUE (caller, key)
    );
    CREATE INDEX operations_caller ON operations (caller, started_at);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)
OPERATIONS_LIMIT = 1000  # ledger entries kept per caller (one caller's flood never prunes another's)


def default_state_dir(env: Mapping[str, str] | None = None) -> Path:
    """$SCP_MCP_STATE_DIR, else $XDG_STATE_HOME/scp-mcp, else ~/.local/state/scp-mcp."""
    env = os.environ if env is None else env
    explicit = env.get("SCP_MCP_STATE_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_STATE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".local" / "state") / "scp-mcp"


class SqliteStore:
    """One connection guarded by a lock (sqlite3 serializes writers across processes; WAL lets
    readers in meanwhile). ``path`` is a file, or ``":memory:"``; ``operations_limit`` bounds the ledger."""

    def __init__(self, path: str | Path = ":memory:", *, operations_limit: int = OPERATIONS_LIMIT) -> None:
        self.path = str(path)
        self.operations_limit = operations_limit
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=10.0, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            os.chmod(self.path, 0o600)
        self._migrate()

    @classmethod
    def in_dir(cls, state_dir: Path) -> SqliteStore:
        return cls(state_dir / FILE_NAME)

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                row = self._db.execute("SELECT version FROM schema_version").fetchone()
                current = row[0] if row else 0
                if current > SCHEMA_VERSION:
                    raise RuntimeError(f"{self.path} has schema {current}, newer than this scp-mcp ({SCHEMA_VERSION})")
                for script in _MIGRATIONS[current:]:
                    for statement in filter(str.strip, script.split(";")):
                        self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0])

    def use_confirmation(self, token_id: str, expires_at: float, now: float) -> bool:
        with self._lock:
            self._db.execute("DELETE FROM used_confirmations WHERE expires_at < ?", (now,))
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO used_confirmations (token_id, expires_at) VALUES (?, ?)", (token_id, expires_at)
            )
            return cursor.rowcount == 1

    def append_audit(self, entry: AuditEntry) -> None:
        with self._lock:
            self._db.execute(rows.insert("audit", rows.AUDIT_COLUMNS, "?"), rows.values(entry, rows.AUDIT_COLUMNS))

    def audit_entries(self, since: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        query = f"{rows.AUDIT_SELECT} WHERE at >= ? ORDER BY id DESC LIMIT ?"
        with self._lock:
            found = self._db.execute(query, (since or "", limit)).fetchall()
        return [rows.audit_entry(row) for row in reversed(found)]

    def record_operation(self, entry: OperationEntry) -> None:
        insert = rows.insert("operations", rows.OPERATION_COLUMNS, "?")
        with self._lock, self._transaction():
            # Delete and insert rather than update: a key started again is the newest entry.
            self._db.execute("DELETE FROM operations WHERE caller = ? AND key = ?", (entry.caller, entry.key))
            self._db.execute(insert, rows.values(entry, rows.OPERATION_COLUMNS))
            self._prune_operations(entry.caller)

    def _prune_operations(self, caller: str) -> None:
        (count,) = self._db.execute("SELECT COUNT(*) FROM operations WHERE caller = ?", (caller,)).fetchone()
        excess = count - self.operations_limit
        if excess > 0:
            self._db.execute(
                "DELETE FROM operations WHERE id IN (SELECT id FROM operations WHERE caller = ? "
                "ORDER BY CASE WHEN finished_at IS NULL THEN 1 ELSE 0 END, id LIMIT ?)",
                (caller, excess),
            )

    def update_operation(self, entry: OperationEntry) -> bool:
        with self._lock:
            cursor = self._db.execute(rows.update_operation("?"), rows.update_values(entry))
            return cursor.rowcount == 1

    def operation(self, caller: str, key: str) -> OperationEntry | None:
        with self._lock:
            row = self._db.execute(f"{rows.OPERATION_SELECT} WHERE caller = ? AND key = ?", (caller, key)).fetchone()
        return rows.operation_entry(row) if row else None

    def operations(
        self,
        caller: str,
        *,
        statuses: tuple[OperationStatus, ...] = (),
        service: str | None = None,
        target: str | None = None,
        limit: int = 20,
    ) -> list[OperationEntry]:
        query, params = rows.operations_query("?", caller, statuses, service, target, limit)
        with self._lock:
            found = self._db.execute(query, params).fetchall()
        return [rows.operation_entry(row) for row in found]

    def clear_operations(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM operations")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: the write lock is taken first, so two processes cannot interleave."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
