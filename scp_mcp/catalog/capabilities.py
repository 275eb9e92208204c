"""The capability matrix: what each service's API can and cannot do, and which tools do it.

Derived from the catalog's operations by the rules in ``classify.CAPABILITIES`` (a tool action
pattern per capability) when the specs are compiled (``info.x-scp-capabilities``), so a tool added to
the catalog shows up here; what a missing capability means for the operator is data there too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from scp_mcp.catalog import load_catalog


@dataclass(frozen=True)
class Capability:
    """One capability of one service: the tools that do it (none: the API cannot) and what to do instead."""

    key: str
    label: str
    tools: tuple[str, ...]
    instead: str | None  # only where ``tools`` is empty

    @property
    def available(self) -> bool:
        return bool(self.tools)

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "available": self.available, "tools": list(self.tools), "instead": self.instead}


def _capability(row: Mapping[str, Any]) -> Capability:
    return Capability(row["key"], row["label"], tuple(row["tools"]), row["instead"])


@cache
def capabilities(host_prefix: str) -> tuple[Capability, ...]:
    """Every capability of the service, in the matrix's order."""
    return tuple(_capability(row) for row in load_catalog().services[host_prefix].capabilities)


def capability(host_prefix: str, key: str) -> Capability:
    return next(c for c in capabilities(host_prefix) if c.key == key)


def matrix() -> dict[str, Any]:
    """Every service's capabilities, by host prefix then key (what ``scp://capabilities`` serves)."""
    cat = load_catalog()
    return {
        host: {
            "service": svc.glossary.display if svc.glossary else svc.title,
            "tool_prefix": svc.tool_prefix,
            "capabilities": {c.key: c.as_dict() for c in capabilities(host)},
        }
        for host, svc in cat.services.items()
    }


def lacks(host_prefix: str) -> list[str]:
    """The labels of the capabilities the service's API does not have."""
    return [c.label for c in capabilities(host_prefix) if not c.available]


def describe_service(host_prefix: str) -> str:
    """The matrix of one service as text: what it can do and with which tools, what it cannot and what instead."""
    svc = load_catalog().services[host_prefix]
    caps = capabilities(host_prefix)
    width = max(len(c.label) for c in caps)
    name = svc.glossary.display if svc.glossary else svc.title
    return "\n".join(
        [
            f"{svc.tool_prefix} — {name}: {len(svc.operations)} tools ({svc.tool_prefix}_*)",
            "can:",
            *(f"  {c.label:<{width}}  {', '.join(c.tools)}" for c in caps if c.available),
            "cannot (the API has no operation for it):",
            *(f"  {c.label:<{width}}  instead: {c.instead}" for c in caps if not c.available),
            "every service: the resource scp://capabilities",
        ]
    )
