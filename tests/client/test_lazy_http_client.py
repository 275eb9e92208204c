"""The pooled HTTP client is built on the first request, once, and closing an unbuilt one builds nothing."""

from __future__ import annotations

import httpx
import pytest

from scp_mcp.client.connection import LazyHttpClient

pytestmark = pytest.mark.anyio


def _counting() -> tuple[LazyHttpClient, list[httpx.AsyncClient]]:
    built: list[httpx.AsyncClient] = []

    def build() -> httpx.AsyncClient:
        built.append(httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200))))
        return built[-1]

    return LazyHttpClient(build), built


async def test_the_client_is_built_on_first_use_and_reused() -> None:
    lazy, built = _counting()
    assert built == []
    assert not lazy.built
    first = lazy.client
    assert lazy.client is first
    assert built == [first]
    await lazy.aclose()
    assert first.is_closed
    assert lazy.is_closed


async def test_closing_before_any_request_builds_nothing() -> None:
    lazy, built = _counting()
    assert not lazy.is_closed
    await lazy.aclose()
    assert lazy.is_closed
    assert built == []
