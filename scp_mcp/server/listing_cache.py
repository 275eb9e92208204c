"""``tools/list`` answered from its first answer's wire form.

The tool list is fixed for the server's life (the profile and the policy are read once), yet the SDK
rebuilds, validates and dumps the whole result for every listing: ~150 KB of schemas, 15–30 ms of CPU,
paid by every client session. This middleware keeps the first wire form per protocol version and
answers later listings with it. It runs inside the SDK's own checks: the params are still validated
as the SDK would, and a legacy connection that has not initialized still goes through the SDK's gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp_types import methods
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

METHOD = "tools/list"


class ToolListCache:
    """A ``ServerMiddleware``: the first complete ``tools/list`` result per protocol version, reused."""

    def __init__(self) -> None:
        self._wire: dict[str, dict[str, Any]] = {}

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != METHOD or not _first_page(ctx.params) or not _ready(ctx):
            return await call_next(ctx)
        cached = self._wire.get(ctx.protocol_version)
        if cached is None:
            result = await call_next(ctx)
            if isinstance(result, dict) and "nextCursor" not in result:
                self._wire[ctx.protocol_version] = result
            return result
        methods.validate_client_request(METHOD, ctx.protocol_version, ctx.params)  # as the SDK checks them
        return dict(cached)  # the runner and transports only read it; a fresh top level all the same

    @property
    def versions(self) -> frozenset[str]:
        """The protocol versions answered from the cache (for tests and diagnostics)."""
        return frozenset(self._wire)


def _first_page(params: Mapping[str, Any] | None) -> bool:
    """A request for the whole list: no cursor, nothing but ``_meta``."""
    return params is None or set(params) <= {"_meta"}


def _ready(ctx: ServerRequestContext[Any, Any]) -> bool:
    """Whether the SDK would serve the request: a 2026-era request always; a legacy one after initialize."""
    return ctx.protocol_version in MODERN_PROTOCOL_VERSIONS or ctx.session.client_params is not None
