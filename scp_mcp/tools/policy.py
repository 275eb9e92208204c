"""Which tools a server exposes: read-only mode, no-destructive mode, toolsets, allow and deny patterns.

Deny wins over everything; a tool the policy hides is neither listed nor callable.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from scp_mcp.catalog import Operation, load_catalog


def _norm(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


@dataclass(frozen=True)
class ToolPolicy:
    read_only: bool = False
    no_destructive: bool = False
    toolsets: frozenset[str] | None = None  # services, by host prefix or tool prefix (data-flow or dataflow)
    allow: tuple[str, ...] = ()  # fnmatch patterns over tool names; empty allows all
    deny: tuple[str, ...] = ()

    def refusal(self, op: Operation) -> str | None:
        """Why the policy hides this operation's tool, or None when it is exposed."""
        name = op.tool_name
        if any(fnmatchcase(name, pattern) for pattern in self.deny):
            return f"{name} is denied by --deny"
        if self.read_only and op.risk != "read":
            return f"{name} is a {op.risk} tool and the server runs --read-only"
        if self.no_destructive and op.risk == "destructive":
            return f"{name} is destructive and the server runs --no-destructive"
        if self.toolsets is not None and _norm(op.service) not in {_norm(t) for t in self.toolsets}:
            return f"{name} belongs to {op.service}, which is not in --toolsets"
        if self.allow and not any(fnmatchcase(name, pattern) for pattern in self.allow):
            return f"{name} matches no --allow pattern"
        return None

    def allows(self, op: Operation) -> bool:
        return self.refusal(op) is None

    def unknown_toolsets(self) -> list[str]:
        known = {_norm(s) for s in load_catalog().services}
        return sorted(t for t in self.toolsets or () if _norm(t) not in known)
