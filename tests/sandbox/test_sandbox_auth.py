"""Signature, timestamp, client type and API version checks, answered like SCP."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from scp_mcp.sandbox import Sandbox, SandboxClock, sign

pytestmark = pytest.mark.anyio

VECTOR_URL = "https://data-flow.kr-west1.e.samsungsdscloud.com/v1/data-flows?page=0&size=20"
VECTOR_SIGNATURE = "pZbmRxqPucoENvWZP4+nj5JaD/x14xNcd1ZzLxO0qHs="


def test_sandbox_verifier_matches_the_reference_vector() -> None:
    assert sign("TESTSECRETKEY", "GET", VECTOR_URL, "1605290625682", "TESTACCESSKEY") == VECTOR_SIGNATURE


def test_test_signer_matches_the_reference_vector(test_sign: Any) -> None:
    assert test_sign("TESTSECRETKEY", "GET", VECTOR_URL, "1605290625682", "TESTACCESSKEY") == VECTOR_SIGNATURE


async def test_reference_vector_request_is_accepted_on_the_real_host() -> None:
    """The exact vector request, host-routed, with the sandbox's wall clock pinned to its timestamp."""
    box = Sandbox(
        clock=SandboxClock.manual(), credentials={"TESTACCESSKEY": "TESTSECRETKEY"}, wall_clock=lambda: 1605290625.682
    )
    headers = {
        "Scp-Accesskey": "TESTACCESSKEY",
        "Scp-Signature": VECTOR_SIGNATURE,
        "Scp-Timestamp": "1605290625682",
        "Scp-ClientType": "Openapi",
    }
    async with httpx.AsyncClient(transport=box.transport()) as http:
        response = await http.get(VECTOR_URL, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["total_count"] == 2


async def test_bad_signature_is_401_with_scp_error_body(scp: Any) -> None:
    request = scp.build("eventstreams", "GET", "/v1/clusters")
    request.headers["Scp-Signature"] = "AAAA" + request.headers["Scp-Signature"][4:]
    response = await scp.http.send(request)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["code"] == "Unauthorized"
    assert "signature" in error["message"]
    assert error["global_request_id"].startswith("req-")


async def test_signature_covers_the_path_prefix_and_the_raw_query(scp: Any, test_sign: Any) -> None:
    signed_without_prefix = scp.build("data-flow", "GET", "/v1/data-flows", query={"sort": "created_dt:desc"})
    url = str(signed_without_prefix.url)
    assert "created_dt%3Adesc" in url  # httpx encodes the colon; the signature covers the bytes sent
    assert (await scp.http.send(signed_without_prefix)).status_code == 200
    stamp = signed_without_prefix.headers["Scp-Timestamp"]
    wrong = test_sign(scp.secret, "GET", url.replace("/data-flow/", "/"), stamp, scp.access)
    signed_without_prefix.headers["Scp-Signature"] = wrong
    assert (await scp.http.send(signed_without_prefix)).status_code == 401
    unencoded = test_sign(scp.secret, "GET", url.replace("%3A", ":"), stamp, scp.access)
    signed_without_prefix.headers["Scp-Signature"] = unencoded
    assert (await scp.http.send(signed_without_prefix)).status_code == 401


async def test_unknown_access_key_and_missing_headers_are_401(scp: Any) -> None:
    scp.access = "SOMEONEELSE"
    assert (await scp.call("vertica", "GET", "/v1/clusters")).status_code == 401
    bare = await scp.http.get("http://sandbox.local/vertica/v1/clusters")
    assert bare.status_code == 401
    assert "Scp-Accesskey" in bare.json()["errors"][0]["message"]


async def test_wrong_client_type_is_403(scp: Any) -> None:
    response = await scp.call("vertica", "GET", "/v1/clusters", headers={"Scp-ClientType": "Console"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "Forbidden"


@pytest.mark.parametrize("skew_s", [-600, 600])
async def test_timestamp_outside_the_window_is_401(scp: Any, skew_s: int) -> None:
    stamp = str(int((time.time() + skew_s) * 1000))
    response = await scp.call("searchengine", "GET", "/v1/clusters", timestamp=stamp)
    assert response.status_code == 401
    assert "Scp-Timestamp" in response.json()["errors"][0]["message"]


async def test_configured_credentials_replace_the_default_pair(make_scp: Any) -> None:
    box = Sandbox(clock=SandboxClock.manual(), credentials={"MYKEY": "MYSECRET"})
    async with httpx.AsyncClient(transport=box.transport()) as http:
        scp = make_scp(http)
        assert (await scp.call("eventstreams", "GET", "/v1/clusters")).status_code == 401
        scp.access, scp.secret = "MYKEY", "MYSECRET"
        assert (await scp.call("eventstreams", "GET", "/v1/clusters")).status_code == 200


async def test_missing_version_uses_current_and_documented_versions_shape_the_answer(scp: Any) -> None:
    current = await scp.ok("data-flow", "GET", "/v1/data-flows")
    old = await scp.ok("data-flow", "GET", "/v1/data-flows", version="data-flow 1.0")
    assert "account_id" in current["contents"][0]  # 1.1 (CURRENT) adds account_id
    assert "account_id" not in old["contents"][0]


@pytest.mark.parametrize("header", ["eventstreams 9.9", "vertica 1.0", "nonsense"])
async def test_unknown_version_is_406_naming_the_documented_ones(scp: Any, header: str) -> None:
    response = await scp.call("eventstreams", "GET", "/v1/clusters", version=header)
    assert response.status_code == 406
    assert "eventstreams 1.0" in response.json()["errors"][0]["message"]


async def test_unknown_service_route_and_method(scp: Any) -> None:
    assert (await scp.call("nosuch", "GET", "/v1/clusters")).status_code == 404
    assert (await scp.call("vertica", "GET", "/v1/nothing-here")).status_code == 404
    response = await scp.call("vertica", "PATCH", "/v1/clusters")
    assert response.status_code == 405
    assert "GET" in response.json()["errors"][0]["message"]
