"""Human names for operations (no MCP imports: the `scp-mcp tools` listing uses this without the SDK)."""

from __future__ import annotations

import re

from scp_mcp.catalog import Operation, load_catalog


def humanize(name: str) -> str:
    """'CheckDataFlowNameDuplication' -> 'Check Data Flow Name Duplication'; spaced names stay."""
    if " " in name:
        return name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)


def title_of(op: Operation) -> str:
    service = load_catalog().services[op.service].title
    return f"{service}: {humanize(op.name)}"
