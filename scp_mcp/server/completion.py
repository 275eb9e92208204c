"""Argument completion (``completion/complete``) for the prompts' ``service`` and ``resource`` arguments.

Services come from the catalog (those this server exposes). Resource names are fetched from the
backend through the same runtime the tools use (``fleet.gather``: concurrent with a bound), within a
short deadline, and kept for a few seconds per service so that typing does not list the fleet per key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import anyio
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from scp_mcp.catalog import load_catalog
from scp_mcp.server.prompt_steps import UnknownService, resolve_service
from scp_mcp.tools import ToolRuntime
from scp_mcp.tools.fleet import exposed, gather
from scp_mcp.tools.inventory import read_member
from scp_mcp.tools.records import list_items

MAX_VALUES = 100  # the protocol's limit per answer


@dataclass
class Completer:
    runtime: ToolRuntime
    ttl_s: float = 30.0
    deadline_s: float = 5.0
    _names: dict[str, tuple[float, list[str]]] = field(default_factory=dict)  # service ("" all) -> (at, names)

    async def __call__(
        self,
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        if not isinstance(ref, PromptReference):
            return None
        if argument.name == "service":
            return _matching(self.services(), argument.value)
        if argument.name == "resource":
            given = (context.arguments or {}) if context else {}
            return _matching(await self.resource_names(given), argument.value)
        return None

    def services(self) -> list[str]:
        seen = {c.service for c in exposed(self.runtime)}
        return [prefix for host, prefix in _prefixes().items() if host in seen]

    async def resource_names(self, arguments: Mapping[str, str]) -> list[str]:
        try:
            host = resolve_service(arguments["service"]).host_prefix if arguments.get("service") else ""
        except UnknownService:
            return []
        now = self.runtime.clock()
        cached = self._names.get(host)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        names = await self._fetch(host)
        self._names[host] = (now, names)
        return names

    async def _fetch(self, host: str) -> list[str]:
        chosen = exposed(self.runtime, [host] if host else None)
        with anyio.move_on_after(self.deadline_s):
            found = await gather(self.runtime, chosen)
            by_tool = {c.listing.tool_name: c for c in chosen}
            names = {
                member.name
                for tool, (data, _error) in found.items()
                for record in list_items(data) or []
                if (member := read_member(by_tool[tool], record)).name
            }
            return sorted(n for n in names if n)
        return []  # the backend did not answer in time: no suggestions rather than a slow prompt


def _prefixes() -> dict[str, str]:
    return {host: svc.tool_prefix for host, svc in load_catalog().services.items()}


def _matching(values: list[str], typed: str) -> Completion:
    wanted = typed.lower()
    hits = [v for v in values if v.lower().startswith(wanted)]
    return Completion(values=hits[:MAX_VALUES], total=len(hits), has_more=len(hits) > MAX_VALUES)
