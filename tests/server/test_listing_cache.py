"""tools/list is answered from its first wire form: the same listing, the SDK's own checks kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types.version import LATEST_HANDSHAKE_VERSION, MODERN_PROTOCOL_VERSIONS
from pydantic import ValidationError

from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.server import ServerSettings, build_server, sandbox_backend
from scp_mcp.server.listing_cache import ToolListCache

pytestmark = pytest.mark.anyio
MODERN = MODERN_PROTOCOL_VERSIONS[0]
LEGACY = LATEST_HANDSHAKE_VERSION


def _server() -> Any:
    return build_server(ServerSettings(), sandbox_backend(Sandbox(clock=SandboxClock.manual())))


def _cache(server: Any) -> ToolListCache:
    (cache,) = [m for m in server.middleware if isinstance(m, ToolListCache)]
    return cache


async def _listing(server: Any, mode: str) -> list[dict[str, Any]]:
    async with Client(server, mode=mode) as client:  # type: ignore[arg-type]
        tools = (await client.list_tools()).tools
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]


async def test_later_listings_are_the_sdks_own_listing(mode: str) -> None:
    server = _server()
    with anyio.fail_after(30):
        first = await _listing(server, mode)
        assert _cache(server).versions, "the first listing is kept"
        again = await _listing(server, mode)
        server.middleware.remove(_cache(server))  # what the SDK answers by itself
        uncached = await _listing(server, mode)
    assert len(first) == 121
    assert again == first == uncached


# The middleware's own rules, on stand-ins for the SDK's request context (the gate and the params).


@dataclass
class _Session:
    client_params: Any = None


@dataclass
class _Ctx:
    protocol_version: str
    method: str = "tools/list"
    params: dict[str, Any] | None = None
    session: _Session = field(default_factory=_Session)


class _Chain:
    def __init__(self, result: Any = None, error: Exception | None = None) -> None:
        self.result = result if result is not None else {"tools": [{"name": "a"}]}
        self.error = error
        self.calls = 0

    async def __call__(self, ctx: Any) -> Any:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.result


def _initialized() -> _Session:
    return _Session(client_params=object())


async def test_a_listing_is_answered_once_by_the_chain() -> None:
    cache, chain = ToolListCache(), _Chain()
    first = await cache(_Ctx(LEGACY, session=_initialized()), chain)  # type: ignore[arg-type]
    second = await cache(_Ctx(LEGACY, params={"_meta": {}}, session=_initialized()), chain)  # type: ignore[arg-type]
    assert chain.calls == 1
    assert first == second == chain.result
    assert second is not chain.result  # a fresh top level each time


async def test_pages_other_methods_and_other_versions_go_through() -> None:
    cache, chain = ToolListCache(), _Chain()
    await cache(_Ctx(MODERN), chain)  # type: ignore[arg-type]
    await cache(_Ctx(MODERN, params={"cursor": "2"}), chain)  # type: ignore[arg-type]
    await cache(_Ctx(MODERN, method="prompts/list"), chain)  # type: ignore[arg-type]
    await cache(_Ctx(LEGACY, session=_initialized()), chain)  # type: ignore[arg-type]
    assert chain.calls == 4
    assert cache.versions == {MODERN, LEGACY}


async def test_a_legacy_connection_that_has_not_initialized_meets_the_sdks_gate() -> None:
    cache = ToolListCache()
    await cache(_Ctx(LEGACY, session=_initialized()), _Chain())  # type: ignore[arg-type]
    gate = _Chain(error=MCPError(code=-32602, message="Invalid request parameters"))
    with pytest.raises(MCPError):
        await cache(_Ctx(LEGACY), gate)  # type: ignore[arg-type]
    assert gate.calls == 1


async def test_a_paged_answer_is_not_kept() -> None:
    cache, chain = ToolListCache(), _Chain(result={"tools": [], "nextCursor": "2"})
    await cache(_Ctx(MODERN), chain)  # type: ignore[arg-type]
    await cache(_Ctx(MODERN), chain)  # type: ignore[arg-type]
    assert chain.calls == 2
    assert not cache.versions


async def test_malformed_params_are_refused_as_the_sdk_refuses_them() -> None:
    cache = ToolListCache()
    await cache(_Ctx(LEGACY, session=_initialized()), _Chain())  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        await cache(_Ctx(LEGACY, params={"_meta": "not an object"}, session=_initialized()), _Chain())  # type: ignore[arg-type]
