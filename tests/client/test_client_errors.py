"""Every error class through httpx.MockTransport, with messages an operator can act on."""

from __future__ import annotations

import anyio
import httpx
import pytest

from scp_mcp.client import (
    ArgumentError,
    AuthError,
    BadRequest,
    ClientSettings,
    ConfigError,
    Conflict,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ScpError,
    ServerError,
    Timeout,
    TransportError,
)
from scp_mcp.client.errors import ErrorDetail

pytestmark = pytest.mark.anyio

SCP_ERROR = {
    "errors": [
        {"code": "ValidationError", "detail": ["size must be <= 100"], "global_request_id": "req-abc"},
    ]
}
SPRING_404 = {"timestamp": "2026-11-27T01:02:03Z", "path": "/v1/clusters", "status": 404, "error": "Not Found"}


async def _fail(
    make_client, operation, *answers, path=None, body=None, version=None, **kwargs
) -> tuple[ScpError, list]:
    client, rec = make_client(*answers, **kwargs)
    with anyio.fail_after(5):
        async with client:
            with pytest.raises(ScpError) as info:
                await client.call(operation, path=path, body=body, version=version)
    return info.value, rec.requests


async def test_400_is_bad_request_with_the_parsed_scp_error_body(make_client, op) -> None:
    err, sent = await _fail(make_client, op("eventstreams", "List Clusters"), httpx.Response(400, json=SCP_ERROR))
    assert type(err) is BadRequest
    assert err.errors == (ErrorDetail("ValidationError", ["size must be <= 100"], "req-abc"),)
    assert (err.status, err.request_id, err.operation) == (400, "req-abc", "eventstreams List Clusters")
    assert str(err) == (
        'eventstreams List Clusters: 400 Bad Request — ValidationError: ["size must be <= 100"] '
        "(SCP request id req-abc). Fix the arguments and retry."
    )
    assert len(sent) == 1


async def test_400_that_says_not_found_is_not_found_on_services_that_answer_400_for_missing_ids(
    make_client, op
) -> None:
    missing = {"errors": [{"code": "ResourceNotFound", "detail": "no such data flow", "global_request_id": "req-1"}]}
    err, _ = await _fail(
        make_client, op("data-flow", "ShowDataFlow"), httpx.Response(400, json=missing), path={"data_flow_id": "f1"}
    )
    assert type(err) is NotFound
    assert err.status == 400
    assert 'data_flow_id "f1" does not exist' in str(err)
    assert "Check the id with data-flow ListDataFlows" in str(err)


async def test_unexplained_400_from_such_a_service_mentions_a_missing_id(make_client, op) -> None:
    vague = {"errors": [{"code": "BadRequest", "detail": "bad request", "global_request_id": "req-1"}]}
    err, _ = await _fail(
        make_client, op("data-flow", "ShowDataFlow"), httpx.Response(400, json=vague), path={"data_flow_id": "f1"}
    )
    assert type(err) is BadRequest
    assert 'data-flow also answers 400 when data_flow_id "f1" does not exist' in str(err)


async def test_400_that_says_not_found_elsewhere_stays_a_bad_request(make_client, op) -> None:
    missing = {"errors": [{"code": "ResourceNotFound", "detail": "no such thing", "global_request_id": "req-1"}]}
    err, _ = await _fail(make_client, op("eventstreams", "List Clusters"), httpx.Response(400, json=missing))
    assert type(err) is BadRequest


@pytest.mark.parametrize("code", ["ValidationError", "InvalidState"])
async def test_400_that_says_what_was_wrong_gets_no_missing_id_hint(make_client, op, code: str) -> None:
    body = {"errors": [{"code": code, "detail": "still has services", "global_request_id": "req-1"}]}
    err, _ = await _fail(
        make_client, op("data-flow", "DeleteDataFlow"), httpx.Response(400, json=body), path={"data_flow_id": "f1"}
    )
    assert isinstance(err, BadRequest)
    assert "also answers 400" not in str(err)
    assert "still has services" in str(err)


@pytest.mark.parametrize(("status", "hint"), [(401, "SCP_SECRET_KEY"), (403, "IAM permissions for vertica")])
async def test_401_and_403_are_auth_errors(make_client, op, status: int, hint: str) -> None:
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), httpx.Response(status, json=SCP_ERROR))
    assert type(err) is AuthError
    assert err.status == status
    assert hint in str(err)
    assert len(sent) == 1


async def test_404_names_the_missing_resource_and_how_to_look_it_up(make_client, op) -> None:
    err, _ = await _fail(
        make_client,
        op("eventstreams", "Terminate Cluster"),
        httpx.Response(404, json={"errors": [{"code": "NotFound", "detail": "no such cluster"}]}),
        path={"cluster_id": "x"},
    )
    assert type(err) is NotFound
    assert str(err) == (
        'eventstreams Terminate Cluster: 404 Not Found — NotFound: no such cluster. cluster_id "x" does not '
        "exist (or is not visible to this access key). Check the id with eventstreams List Clusters."
    )


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (httpx.Response(404, json={**SPRING_404, "requestId": "gw-1"}), "Spring-style"),
        (httpx.Response(404, html="<html><body><h1>404 Not Found</h1></body></html>"), "HTML"),
    ],
)
async def test_a_404_that_is_not_from_the_api_points_at_signing_or_endpoint(
    make_client, op, response: httpx.Response, kind: str
) -> None:
    err, _ = await _fail(make_client, op("eventstreams", "List Clusters"), response)
    assert type(err) is NotFound
    assert f"This {kind} answer did not come from the eventstreams API" in str(err)
    assert "not signed correctly or the endpoint (https://eventstreams.kr-west1.e.samsungsdscloud.com)" in str(err)
    assert err.request_id == ("gw-1" if kind == "Spring-style" else None)


async def test_406_is_a_bad_request_about_the_api_version(make_client, op) -> None:
    err, _ = await _fail(make_client, op("quick-query", "ListQuickQuery"), httpx.Response(406))
    assert isinstance(err, BadRequest)
    assert "SCP refused Scp-Api-Version 'quick-query 1.1'" in str(err)


async def test_409_is_a_conflict(make_client, op) -> None:
    err, _ = await _fail(
        make_client, op("vertica", "Stop Cluster"), httpx.Response(409, json=SCP_ERROR), path={"cluster_id": "c"}
    )
    assert type(err) is Conflict
    assert err.status == 409


async def test_429_after_the_retry_budget_is_rate_limited_with_retry_after(make_client, op, fake_time) -> None:
    err, sent = await _fail(
        make_client, op("vertica", "List Clusters"), httpx.Response(429, headers={"Retry-After": "2"})
    )
    assert type(err) is RateLimited
    assert err.retry_after == 2.0
    assert len(sent) == 4
    assert fake_time.sleeps == [2.0, 2.0, 2.0]
    assert "gave up after 4 attempts" in str(err)
    assert "It asked to wait 2 s." in str(err)


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_is_a_server_error(make_client, op, status: int) -> None:
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), httpx.Response(status, text="oops"))
    assert type(err) is ServerError
    assert err.status == status
    assert len(sent) == 4  # reads are retried on any of them
    assert "non-JSON body: oops" in str(err)


async def test_an_unreachable_endpoint_is_a_transport_error(make_client, op) -> None:
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), httpx.ConnectError("connection refused"))
    assert type(err) is TransportError
    assert err.status is None
    assert len(sent) == 4
    assert "could not reach https://vertica.kr-west1.e.samsungsdscloud.com (4 attempts; ConnectError" in str(err)


async def test_no_answer_in_time_is_a_timeout(make_client, op) -> None:
    err, sent = await _fail(make_client, op("vertica", "Show Cluster"), httpx.ReadTimeout("timed out"),
                            path={"cluster_id": "c"})  # fmt: skip
    assert type(err) is Timeout
    assert isinstance(err, TransportError)
    assert len(sent) == 4
    assert "within 30 s" in str(err)
    assert "SCP_TIMEOUT" in str(err)


async def test_a_create_that_timed_out_is_outcome_unknown_and_not_sent_twice(make_client, op) -> None:
    err, sent = await _fail(
        make_client, op("eventstreams", "Create Cluster"), httpx.ReadTimeout("timed out"), body={"name": "c"}
    )
    assert type(err) is OutcomeUnknown
    assert len(sent) == 1
    assert str(err) == (
        "eventstreams Create Cluster: no answer (ReadTimeout: timed out). Outcome unknown — check the resource "
        "before retrying (e.g. with eventstreams List Clusters): the request may have reached SCP, so it was "
        "not sent again."
    )


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_create_answered_by_a_gateway_error_is_outcome_unknown(make_client, op, status: int) -> None:
    err, sent = await _fail(make_client, op("data-flow", "CreateDataFlow"), httpx.Response(status), body={"a": 1})
    assert type(err) is OutcomeUnknown
    assert err.status == status
    assert len(sent) == 1
    assert "Outcome unknown — check the resource before retrying (e.g. with data-flow ListDataFlows)" in str(err)


async def test_a_create_that_never_connected_is_retried(make_client, op) -> None:
    client, rec = make_client(httpx.ConnectError("refused"), httpx.Response(202, json={}))
    with anyio.fail_after(5):
        async with client:
            result = await client.call(op("data-flow", "CreateDataFlow"), body={"a": 1})
    assert result.status == 202
    assert len(rec.requests) == 2


async def test_an_undocumented_status_is_a_plain_scp_error(make_client, op) -> None:
    err, _ = await _fail(make_client, op("vertica", "List Clusters"), httpx.Response(418, content=b""))
    assert type(err) is ScpError
    assert err.status == 418
    assert str(err).startswith("vertica List Clusters: 418 I'm a teapot. Unexpected answer")


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(400),
        httpx.Response(400, text="   "),
        httpx.Response(400, content=b"\xff\xfe not utf-8"),
        httpx.Response(400, json=None),
        httpx.Response(400, json=[1, 2]),
        httpx.Response(400, json={"errors": "not a list"}),
        httpx.Response(400, json={"errors": [None, {"code": 5, "detail": None}]}),
        httpx.Response(400, json={"message": "Bad thing"}),
        httpx.Response(400, text="x" * 5000),
    ],
)
async def test_odd_and_empty_error_bodies_still_give_a_one_line_message(make_client, op, response) -> None:
    err, _ = await _fail(make_client, op("vertica", "List Clusters"), response)
    assert isinstance(err, BadRequest)
    message = str(err)
    assert message.startswith("vertica List Clusters: 400 Bad Request")
    assert "\n" not in message
    assert len(message) < 500


async def test_argument_errors_are_raised_before_anything_is_sent(make_client, op) -> None:
    err, sent = await _fail(make_client, op("vertica", "Show Cluster"), path={})
    assert type(err) is ArgumentError
    assert sent == []
    err, sent = await _fail(make_client, op("vertica", "Show Cluster"), path={"cluster_id": "c"}, version="9.9")
    assert type(err) is ArgumentError
    assert sent == []
    assert "vertica Show Cluster has no API version '9.9'; documented: 1.0" in str(err)


async def test_missing_credentials_are_a_config_error_and_nothing_is_sent(make_client, op) -> None:
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), settings_=ClientSettings())
    assert type(err) is ConfigError
    assert sent == []
    assert "SCP_ACCESS_KEY" in str(err)


async def test_an_undocumented_region_is_a_config_error_and_nothing_is_sent(make_client, op) -> None:
    bad = ClientSettings(access_key="a", secret_key="b", region="kr-south1", environment="e")
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), settings_=bad)
    assert type(err) is ConfigError
    assert sent == []


def test_errors_have_a_useful_repr() -> None:
    err = NotFound("m", operation="vertica Show Cluster", status=404, request_id="req-1")
    assert repr(err) == "NotFound(operation='vertica Show Cluster', status=404, request_id='req-1', message='m')"


async def test_a_body_that_cannot_be_decoded_is_a_transport_error_not_a_crash(make_client, op) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip"))

    err, _ = await _fail(make_client, op("vertica", "List Clusters"), broken)
    assert type(err) is TransportError
    assert "DecodingError" in str(err)


async def test_an_endpoint_that_is_not_a_valid_url_is_a_config_error(make_client, op) -> None:
    bad = ClientSettings(access_key="a", secret_key="b", endpoint_template="http://a:b:c/{service}")
    err, sent = await _fail(make_client, op("vertica", "List Clusters"), settings_=bad)
    assert type(err) is ConfigError
    assert sent == []
