"""The server's bookkeeping behind one small interface: used confirmations, the audit log and the
ledger of asynchronous work.

``Store`` is the interface the tools depend on; ``SqliteStore`` implements it on the standard
library's sqlite3 (a file shared by the replicas of one host, or ``:memory:`` for tests). A
PostgreSQL store for replicas on several hosts implements the same methods.

This package imports nothing else of scp_mcp: it stores plain values and knows no MCP, SCP or tool.
"""

from scp_mcp.store.base import AuditEntry, OperationEntry, OperationStatus, Store
from scp_mcp.store.sqlite import SCHEMA_VERSION, SqliteStore, default_state_dir

__all__ = [
    "SCHEMA_VERSION",
    "AuditEntry",
    "OperationEntry",
    "OperationStatus",
    "SqliteStore",
    "Store",
    "default_state_dir",
]
