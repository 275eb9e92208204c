"""``PostgresStore``: the store on PostgreSQL (psycopg 3 and its pool), shared by replicas on many hosts.

Install with ``pip install 'scp-mcp[postgres]'``. Migrations run on start under an advisory lock, so
replicas that start together migrate once. The methods are synchronous like the ``Store`` interface:
each is one short transaction on a pooled connection, bounded by the pool's checkout timeout and the
server-side ``statement_timeout``, so a stalled database costs a call a few seconds, never forever.
"""

from __future__ import annotations

from psycopg import Connection, conninfo
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool, PoolTimeout

from scp_mcp.store import rows
from scp_mcp.store.base import AuditEntry, OperationEntry, OperationStatus
from scp_mcp.store.errors import StoreUnavailable

# Each migration takes the schema from version i to i + 1; never edit one that has shipped.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE used_confirmations (
        token_id TEXT PRIMARY KEY,
        expires_at DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX used_confirmations_expiry ON used_confirmations (expires_at);
    CREATE TABLE audit (
        id BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        client TEXT NOT NULL,
        tool TEXT NOT NULL,
        risk TEXT NOT NULL,
        target_kind TEXT,
        target_id TEXT,
        target_name TEXT,
        arguments JSONB NOT NULL,
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
        id BIGSERIAL PRIMARY KEY,
        caller TEXT NOT NULL,
        key TEXT NOT NULL,
        tool TEXT NOT NULL,
        service TEXT NOT NULL,
        follow TEXT NOT NULL,
        request_id TEXT,
        target_kind TEXT,
        target_id TEXT,
        target_name TEXT,
        arguments JSONB NOT NULL,
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
_MIGRATION_LOCK = 0x5C9_3C9  # pg_advisory_xact_lock keys: one migrating replica at a time,
_LEDGER_LOCK = 0x5C9_3CA  # and one replica recording (and pruning) the ledger at a time
OPERATIONS_LIMIT = 1000  # ledger entries kept per caller (as the SQLite store)


def safe_url(url: str) -> str:
    """The URL as it may be printed: host, port, database and user, never the password."""
    try:
        parts = conninfo.conninfo_to_dict(url)
    except Exception:
        return "postgresql://…"
    host, port, db, user = (str(parts.get(k) or "") for k in ("host", "port", "dbname", "user"))
    return f"postgresql://{user + '@' if user else ''}{host}{':' + str(port) if port else ''}/{db}"


class PostgresStore:
    """A connection pool (``min_size``..``max_size``) in autocommit; every method checks a connection out
    for one transaction. ``timeout_s`` bounds the checkout, the connect and each statement."""

    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 8,
        timeout_s: float = 10.0,
        operations_limit: int = OPERATIONS_LIMIT,
    ) -> None:
        self.url = safe_url(url)
        self.operations_limit = operations_limit
        self._timeout_s = timeout_s
        options = f"-c statement_timeout={int(timeout_s * 1000)}"
        self._pool: ConnectionPool[Connection[TupleRow]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout_s,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout_s)), "options": options},
            open=False,
            name="scp-mcp-store",
        )
        try:
            self._pool.open(wait=True, timeout=timeout_s)
            self._migrate()
        except BaseException as exc:
            self._pool.close()
            if isinstance(exc, PoolTimeout | OSError) or type(exc).__module__.startswith("psycopg"):
                raise StoreUnavailable(f"cannot use the store at {self.url}: {_reason(exc)}") from None
            raise

    def _migrate(self) -> None:
        with self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            current = row[0] if row else 0
            if current > SCHEMA_VERSION:
                raise RuntimeError(f"{self.url} has schema {current}, newer than this scp-mcp ({SCHEMA_VERSION})")
            for script in _MIGRATIONS[current:]:
                db.execute(script)  # our own constant DDL, several statements
            db.execute("DELETE FROM schema_version")
            db.execute("INSERT INTO schema_version (version) VALUES (%s)", (SCHEMA_VERSION,))

    def schema_version(self) -> int:
        with self._pool.connection() as db:
            row = db.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless a pooled connection answers a query (readiness)."""
        try:
            with self._pool.connection(timeout=self._timeout_s) as db:
                db.execute("SELECT 1")
        except Exception as exc:
            raise StoreUnavailable(f"the store at {self.url} does not answer: {_reason(exc)}") from None

    def use_confirmation(self, token_id: str, expires_at: float, now: float) -> bool:
        # Two replicas inserting one token at once: the second waits on the first's row lock, then
        # finds the conflict and inserts nothing, so exactly one sees a row count of 1.
        with self._pool.connection() as db, db.transaction():
            db.execute("DELETE FROM used_confirmations WHERE expires_at < %s", (now,))
            cursor = db.execute(
                "INSERT INTO used_confirmations (token_id, expires_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (token_id, expires_at),
            )
            return cursor.rowcount == 1

    def append_audit(self, entry: AuditEntry) -> None:
        insert = rows.insert("audit", rows.AUDIT_COLUMNS, "%s", "%s::jsonb")
        with self._pool.connection() as db:
            db.execute(insert, rows.values(entry, rows.AUDIT_COLUMNS))

    def audit_entries(self, since: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        query = f"{rows.AUDIT_SELECT} WHERE at >= %s ORDER BY id DESC LIMIT %s"
        with self._pool.connection() as db:
            found = db.execute(query, (since or "", limit)).fetchall()
        return [rows.audit_entry(row) for row in reversed(found)]

    def record_operation(self, entry: OperationEntry) -> None:
        insert = rows.insert("operations", rows.OPERATION_COLUMNS, "%s", "%s::jsonb")
        with self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_LEDGER_LOCK,))
            # Delete and insert rather than update: a key started again is the newest entry.
            db.execute("DELETE FROM operations WHERE caller = %s AND key = %s", (entry.caller, entry.key))
            db.execute(insert, rows.values(entry, rows.OPERATION_COLUMNS))
            db.execute(
                "DELETE FROM operations WHERE id IN (SELECT id FROM operations WHERE caller = %s "
                "ORDER BY CASE WHEN finished_at IS NULL THEN 1 ELSE 0 END, id "
                "LIMIT GREATEST((SELECT count(*) FROM operations WHERE caller = %s) - %s, 0))",
                (entry.caller, entry.caller, self.operations_limit),
            )

    def update_operation(self, entry: OperationEntry) -> bool:
        with self._pool.connection() as db:
            cursor = db.execute(rows.update_operation("%s"), rows.update_values(entry))
            return cursor.rowcount == 1

    def operation(self, caller: str, key: str) -> OperationEntry | None:
        with self._pool.connection() as db:
            row = db.execute(f"{rows.OPERATION_SELECT} WHERE caller = %s AND key = %s", (caller, key)).fetchone()
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
        query, params = rows.operations_query("%s", caller, statuses, service, target, limit)
        with self._pool.connection() as db:
            found = db.execute(query, params).fetchall()
        return [rows.operation_entry(row) for row in found]

    def clear_operations(self) -> None:
        with self._pool.connection() as db:
            db.execute("DELETE FROM operations")

    def close(self) -> None:
        self._pool.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
