"""Route handlers, registered by importing their modules."""

from __future__ import annotations


def load() -> None:
    """Import every handler module so that its @handles registrations exist."""
    from scp_mcp.sandbox.handlers import (  # noqa: F401
        cluster_edits,
        clusters,
        dbaas_catalogs,
        flow_services,
        flows,
        quick_query,
    )
