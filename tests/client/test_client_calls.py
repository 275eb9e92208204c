"""Calling operations: typed results, versions and deprecation warnings, retries, lifecycle."""

from __future__ import annotations

from datetime import date

import anyio
import httpx
import pytest

from scp_mcp.client import ClientSettings, ConfigError, RateLimited, ScpClient, ScpError

pytestmark = pytest.mark.anyio


async def _call(client: ScpClient, operation, **kwargs):
    with anyio.fail_after(5):
        async with client:
            return await client.call(operation, **kwargs)


async def test_a_success_returns_the_typed_response_model(make_client, op) -> None:
    operation = op("eventstreams", "List Clusters")
    example = operation.current.success.example
    client, _ = make_client(httpx.Response(200, json=example, headers={"X-Request-Id": "hdr-1"}))
    result = await _call(client, operation, query={"size": 20})
    assert result.status == 200
    assert result.data == example
    assert type(result.model).__name__ == "ClusterPageResponse"
    assert result.model.contents[0].id == "0fdd87aab8cb46f59b7c1f81ed03fb3e"
    assert result.version == "1.0"
    assert result.operation is operation
    assert result.headers["x-request-id"] == "hdr-1"
    assert result.request_id == "hdr-1"
    assert result.warnings == ()
    assert result.url == "https://eventstreams.kr-west1.e.samsungsdscloud.com/v1/clusters?size=20"


async def test_an_async_answer_carries_the_scp_request_id_from_the_body(make_client, op) -> None:
    operation = op("eventstreams", "Create Cluster")
    client, rec = make_client(httpx.Response(202, json=operation.current.success.example))
    result = await _call(client, operation, body={"name": "c1"})
    assert result.status == 202
    assert result.request_id == "req-4f668846-8a3d-49f1-8111-451ebccf445c"
    assert result.model.resource.id == "109a585ae67b4e8482fdafc8a4a5be74"
    assert rec.requests[0].content == b'{"name":"c1"}'
    assert rec.requests[0].headers["Content-Type"] == "application/json"


async def test_a_body_that_does_not_fit_the_model_is_kept_with_a_warning(make_client, op) -> None:
    client, _ = make_client(httpx.Response(200, json={"contents": "nope"}))
    result = await _call(client, op("eventstreams", "List Clusters"))
    assert result.model is None
    assert result.data == {"contents": "nope"}
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("eventstreams List Clusters: the response does not match ClusterPageResponse")


async def test_an_empty_accepted_answer_has_no_data_and_no_warning(make_client, op) -> None:
    client, _ = make_client(httpx.Response(202))
    result = await _call(client, op("data-flow", "DeleteDataFlow"), path={"data_flow_id": "f1"})
    assert (result.status, result.data, result.model, result.warnings) == (202, None, None, ())


async def test_a_non_json_success_is_returned_as_text_with_a_warning(make_client, op) -> None:
    client, _ = make_client(httpx.Response(200, text="OK"))
    result = await _call(client, op("vertica", "List Clusters"))
    assert result.data == "OK"
    assert result.model is None
    assert "not JSON" in result.warnings[0]


async def test_the_current_version_is_used_by_default(make_client, op) -> None:
    client, rec = make_client()
    result = await _call(client, op("data-flow", "ListDataFlows"))
    assert result.version == "1.1"
    assert rec.requests[0].headers["Scp-Api-Version"] == "data-flow 1.1"
    assert result.warnings == ()


async def test_a_version_past_its_support_guarantee_works_with_a_deprecation_warning(make_client, op) -> None:
    client, rec = make_client()
    result = await _call(client, op("data-flow", "ListDataFlows"), version="1.0")
    assert result.version == "1.0"
    assert rec.requests[0].headers["Scp-Api-Version"] == "data-flow 1.0"
    assert result.warnings == (
        "data-flow ListDataFlows API version 1.0 is past its support guarantee (supported until 2026-07-01); "
        "it may stop working at any time. Move to the current version 1.1.",
    )


async def test_no_deprecation_warning_while_the_support_guarantee_holds(make_client, op) -> None:
    operation = op("quick-query", "ListQuickQuery")
    client, _ = make_client(today=date(2026, 7, 1))
    result = await _call(client, operation, version="1.0")
    assert not any("support guarantee" in w for w in result.warnings)


async def test_a_per_service_default_version_applies_and_warns_when_past_support(make_client, op, settings) -> None:
    pinned = ClientSettings(
        access_key=settings.access_key, secret_key=settings.secret_key, default_versions={"data-ops": "1.0"}
    )
    client, rec = make_client(settings_=pinned)
    result = await _call(client, op("data-ops", "ListDataOps"))
    assert rec.requests[0].headers["Scp-Api-Version"] == "data-ops 1.0"
    assert "past its support guarantee" in result.warnings[0]


async def test_a_per_call_version_wins_over_the_service_default(make_client, op, settings) -> None:
    pinned = ClientSettings(
        access_key=settings.access_key, secret_key=settings.secret_key, default_versions={"data-ops": "1.0"}
    )
    client, rec = make_client(settings_=pinned)
    await _call(client, op("data-ops", "ListDataOps"), version="1.1")
    assert rec.requests[0].headers["Scp-Api-Version"] == "data-ops 1.1"


async def test_an_undocumented_service_default_version_is_a_config_error(make_client, op, settings) -> None:
    pinned = ClientSettings(
        access_key=settings.access_key, secret_key=settings.secret_key, default_versions={"vertica": "2.0"}
    )
    client, rec = make_client(settings_=pinned)
    with pytest.raises(ConfigError, match=r"SCP_API_VERSIONS sets vertica=2\.0"):
        await _call(client, op("vertica", "List Clusters"))
    assert rec.requests == []


async def test_language_and_standard_headers_are_sent(make_client, op, settings) -> None:
    korean = ClientSettings(access_key="ak", secret_key="sk", language="ko-KR")
    client, rec = make_client(settings_=korean)
    await _call(client, op("vertica", "List Clusters"))
    headers = rec.requests[0].headers
    assert headers["Accept-Language"] == "ko-KR"
    assert headers["Accept"] == "application/json"
    assert headers["Scp-ClientType"] == "Openapi"
    assert "Content-Type" not in headers


async def test_an_overridden_template_reaches_a_local_simulator_in_any_region(make_client, op) -> None:
    local = ClientSettings(
        access_key="ak",
        secret_key="sk",
        region="nowhere-1",
        environment="z",
        endpoint_template="http://127.0.0.1:8080/{service}",
    )
    client, rec = make_client(settings_=local)
    result = await _call(client, op("vertica", "Show Cluster"), path={"cluster_id": "c 1"})
    assert str(rec.requests[0].url) == "http://127.0.0.1:8080/vertica/v1/clusters/c%201"
    assert result.url == "http://127.0.0.1:8080/vertica/v1/clusters/c%201"


async def test_transient_failures_are_retried_then_succeed(make_client, op, fake_time) -> None:
    client, rec = make_client(
        httpx.ConnectError("refused"),
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(200, json={}),
    )
    result = await _call(client, op("vertica", "List Clusters"))
    assert result.status == 200
    assert len(rec.requests) == 4
    assert result.attempts == 4
    assert len(fake_time.sleeps) == 3
    assert fake_time.sleeps[2] == 3.0  # Retry-After honoured
    assert 0.25 <= fake_time.sleeps[0] <= 0.5
    assert 0.5 <= fake_time.sleeps[1] <= 1.0
    assert result.duration_s == pytest.approx(sum(fake_time.sleeps))


async def test_the_total_retry_time_is_bounded(make_client, op, settings) -> None:
    short = ClientSettings(
        access_key=settings.access_key, secret_key=settings.secret_key, max_attempts=10, max_retry_time_s=5
    )
    client, rec = make_client(httpx.Response(429, headers={"Retry-After": "2"}), settings_=short)
    with pytest.raises(RateLimited):
        await _call(client, op("vertica", "List Clusters"))
    assert len(rec.requests) == 3  # waits 2 + 2; a third wait would pass 5 s


async def test_attempts_are_bounded_by_settings(make_client, op, settings) -> None:
    once = ClientSettings(access_key=settings.access_key, secret_key=settings.secret_key, max_attempts=1)
    client, rec = make_client(httpx.Response(503), settings_=once)
    with pytest.raises(ScpError):
        await _call(client, op("vertica", "List Clusters"))
    assert len(rec.requests) == 1


async def test_check_operations_sent_by_post_are_retried_as_reads(make_client, op) -> None:
    client, rec = make_client(httpx.ReadTimeout("slow"), httpx.Response(200, json={}))
    operation = op("quick-query", "CheckClusterResourceSizeForQuickQuery")
    result = await _call(client, operation, body={})
    assert result.status == 200
    assert len(rec.requests) == 2


async def test_the_client_closes_and_refuses_calls_afterwards(make_client, op) -> None:
    client, rec = make_client()
    async with client:
        assert not client.closed
    assert client.closed
    with pytest.raises(ScpError, match="client is closed"):
        await client.call(op("vertica", "List Clusters"))
    assert rec.requests == []


async def test_one_client_serves_every_service_concurrently(make_client, op) -> None:
    client, rec = make_client()
    names = [("vertica", "List Clusters"), ("data-flow", "ListDataFlows"), ("quick-query", "ListQuickQuery")]
    results = {}

    async def one(service: str, name: str) -> None:
        results[service] = await client.call(op(service, name))

    with anyio.fail_after(5):
        async with client, anyio.create_task_group() as tg:
            for service, name in names:
                tg.start_soon(one, service, name)
    assert {r.status for r in results.values()} == {200}
    assert {req.url.host for req in rec.requests} == {
        "vertica.kr-west1.e.samsungsdscloud.com",
        "data-flow.kr-west1.e.samsungsdscloud.com",
        "quick-query.kr-west1.e.samsungsdscloud.com",
    }
