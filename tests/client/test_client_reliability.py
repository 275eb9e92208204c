"""What is sent again and what is not, Retry-After as an HTTP date, and one pooled client."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import anyio
import httpx
import pytest

from scp_mcp.client import OutcomeUnknown, ScpError

pytestmark = pytest.mark.anyio


async def test_a_read_that_timed_out_is_sent_again_and_succeeds(make_client, op) -> None:
    client, rec = make_client(httpx.ReadTimeout("slow"), httpx.Response(200, json={"contents": []}))
    with anyio.fail_after(5):
        async with client:
            result = await client.call(op("vertica", "List Clusters"))
    assert result.status == 200
    assert result.attempts == 2
    assert [r.method for r in rec.requests] == ["GET", "GET"]
    first, second = rec.requests
    assert first.headers["Scp-Timestamp"] != second.headers["Scp-Timestamp"]  # re-signed after the backoff
    assert first.headers["Scp-Signature"] != second.headers["Scp-Signature"]


@pytest.mark.parametrize(
    ("service", "name", "path", "body"),
    [
        ("eventstreams", "Create Cluster", {}, {"name": "c"}),
        ("vertica", "Terminate Cluster", {"cluster_id": "c1"}, None),  # DELETE
        ("eventstreams", "Set Parameter Values", {"cluster_id": "c1"}, {"parameters": []}),  # PUT
        ("quick-query", "UpdateQuickQueryEngine", {"quick_query_id": "q1"}, {"cpu": "1"}),  # PUT
    ],
)
@pytest.mark.parametrize("failure", [httpx.ReadTimeout("timed out"), httpx.RemoteProtocolError("dropped")])
async def test_a_change_whose_answer_was_lost_is_not_sent_again(
    make_client, op, service, name, path, body, failure
) -> None:
    client, rec = make_client(failure, httpx.Response(202, json={}))
    with anyio.fail_after(5):
        async with client:
            with pytest.raises(OutcomeUnknown) as info:
                await client.call(op(service, name), path=path or None, body=body)
    assert len(rec.requests) == 1
    assert "Outcome unknown — check the resource before retrying" in str(info.value)
    assert "it was not sent again" in str(info.value)
    assert info.value.operation == f"{service} {name}"


async def test_retry_after_as_an_http_date_is_honoured(make_client, op, fake_time) -> None:
    when = format_datetime(datetime.fromtimestamp(fake_time.now + 7, tz=UTC), usegmt=True)
    client, rec = make_client(httpx.Response(503, headers={"Retry-After": when}), httpx.Response(200, json={}))
    with anyio.fail_after(5):
        async with client:
            result = await client.call(op("vertica", "List Clusters"))
    assert result.status == 200
    assert fake_time.sleeps == [7.0]
    assert len(rec.requests) == 2


async def test_retry_after_beyond_the_time_budget_stops_at_once(make_client, op, fake_time) -> None:
    when = format_datetime(datetime.fromtimestamp(fake_time.now + 3600, tz=UTC), usegmt=True)
    client, rec = make_client(httpx.Response(429, headers={"Retry-After": when}))
    with anyio.fail_after(5):
        async with client:
            with pytest.raises(ScpError) as info:
                await client.call(op("vertica", "List Clusters"))
    assert len(rec.requests) == 1
    assert fake_time.sleeps == []
    assert "3600 s" in str(info.value)


async def test_the_client_owns_one_pooled_http_client_and_closes_it(make_client, op) -> None:
    client, _ = make_client()
    pool = client._http  # the pool itself is what is checked
    async with client:
        await client.call(op("vertica", "List Clusters"))
        await client.call(op("data-flow", "ListDataFlows"))
        assert client._http is pool  # the same pool serves every call and service
    assert pool.is_closed
