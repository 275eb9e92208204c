"""Signing: the known-answer vector, the headers, and that what is signed is what is sent."""

from __future__ import annotations

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from scp_mcp.catalog import load_catalog
from scp_mcp.client import ClientSettings, ScpAuth, signature
from scp_mcp.client.request import build

pytestmark = pytest.mark.anyio

VECTOR_URL = "https://data-flow.kr-west1.e.samsungsdscloud.com/v1/data-flows?page=0&size=20"
VECTOR_SIGNATURE = "pZbmRxqPucoENvWZP4+nj5JaD/x14xNcd1ZzLxO0qHs="
ACCESS, SECRET = "TESTACCESSKEY", "s3cr3t-KEY-that-must-never-leak"  # as in conftest


def test_signature_matches_the_reference_known_answer_vector() -> None:
    got = signature("TESTSECRETKEY", "GET", VECTOR_URL, 1605290625682, "TESTACCESSKEY")
    assert got == VECTOR_SIGNATURE


def test_signature_changes_with_every_signed_part() -> None:
    base = ("TESTSECRETKEY", "GET", VECTOR_URL, 1605290625682, "TESTACCESSKEY")
    variants = [
        ("OTHERSECRET", *base[1:]),
        (base[0], "POST", *base[2:]),
        (*base[:2], VECTOR_URL + "&x=1", *base[3:]),
        (*base[:3], 1605290625683, base[4]),
        (*base[:4], "OTHERACCESS"),
    ]
    assert all(signature(*v) != VECTOR_SIGNATURE for v in variants)


def _auth_request(url: str, method: str = "GET") -> httpx.Request:
    auth = ScpAuth("TESTACCESSKEY", SecretStr("TESTSECRETKEY"), lambda: 1605290625682)
    request = httpx.Request(method, url)
    flow = auth.auth_flow(request)
    return next(flow)


def test_auth_flow_reproduces_the_vector_and_sets_the_scp_headers() -> None:
    signed = _auth_request(VECTOR_URL)
    assert signed.headers["Scp-Signature"] == VECTOR_SIGNATURE
    assert signed.headers["Scp-Accesskey"] == "TESTACCESSKEY"
    assert signed.headers["Scp-Timestamp"] == "1605290625682"
    assert signed.headers["Scp-ClientType"] == "Openapi"


def test_auth_flow_signs_the_encoded_url_that_is_sent_not_the_decoded_one() -> None:
    sent = "https://data-flow.kr-west1.e.samsungsdscloud.com/v1/data-flows?sort=created_dt%3Adesc"
    signed = _auth_request(sent)
    assert signed.headers["Scp-Signature"] == signature("TESTSECRETKEY", "GET", sent, 1605290625682, "TESTACCESSKEY")
    assert signed.headers["Scp-Signature"] != signature(
        "TESTSECRETKEY", "GET", sent.replace("%3A", ":"), 1605290625682, "TESTACCESSKEY"
    )


def test_auth_accepts_a_plain_string_secret_and_hides_it_in_repr() -> None:
    auth = ScpAuth("AK", "plain-secret", lambda: 1)
    assert "plain-secret" not in repr(auth)


async def test_every_request_through_the_client_carries_a_signature_valid_on_the_wire(
    make_client, op, verify_wire_signature
) -> None:
    client, rec = make_client(httpx.Response(200, json={"contents": [], "total_count": 0}))
    with anyio.fail_after(5):
        async with client:
            await client.call(
                op("data-flow", "ListDataFlows"),
                query={"sort": "created_dt:desc", "data_flow_name": "flow one/ä", "page": 0},
            )
    assert verify_wire_signature(rec.requests[0])
    assert b"sort=created_dt%3Adesc" in rec.requests[0].url.raw_path


async def test_each_retry_gets_a_fresh_timestamp_and_signature(
    make_client, op, fake_time, verify_wire_signature
) -> None:
    client, rec = make_client(httpx.Response(503), httpx.Response(503), httpx.Response(200, json={}))
    with anyio.fail_after(5):
        async with client:
            await client.call(op("eventstreams", "List Clusters"))
    timestamps = [r.headers["Scp-Timestamp"] for r in rec.requests]
    signatures = [r.headers["Scp-Signature"] for r in rec.requests]
    assert len(rec.requests) == 3
    assert len(set(timestamps)) == 3
    assert len(set(signatures)) == 3
    assert all(verify_wire_signature(r) for r in rec.requests)
    assert int(timestamps[-1]) == int(fake_time.now * 1000)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    cluster_id=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
)
def test_any_argument_gives_a_signature_that_verifies_on_the_wire(verify_wire_signature, name, cluster_id) -> None:
    assume(cluster_id not in (".", ".."))
    cfg = ClientSettings(access_key=ACCESS, secret_key=SECRET)
    catalog = load_catalog().services["searchengine"]
    for operation, path, query in [
        (catalog.operation("List Clusters"), None, {"name": name, "sort": "created_dt:desc"}),
        (catalog.operation("Show Cluster"), {"cluster_id": cluster_id}, None),
    ]:
        wire = build(cfg, operation, operation.current, path=path, query=query, body=None)
        request = httpx.Request(wire.method, wire.url, headers=wire.headers)
        signed = next(ScpAuth(ACCESS, SECRET, lambda: 1_795_000_000_000).auth_flow(request))
        assert verify_wire_signature(signed)
