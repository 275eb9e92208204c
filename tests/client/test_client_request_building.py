"""What goes on the wire: URL encoding, path safety, query rendering, headers, body."""

from __future__ import annotations

import json
from urllib.parse import unquote

import anyio
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scp_mcp.catalog import load_catalog
from scp_mcp.client import ArgumentError, ClientSettings
from scp_mcp.client.request import build

pytestmark = pytest.mark.anyio

SETTINGS = ClientSettings(access_key="AK", secret_key="SK")
CATALOG = load_catalog()
TERMINATE = CATALOG.services["eventstreams"].operation("Terminate Cluster")
LIST_FLOWS = CATALOG.services["data-flow"].operation("ListDataFlows")
ES = "https://eventstreams.kr-west1.e.samsungsdscloud.com"


def _url(op, path=None, query=None) -> httpx.URL:
    wire = build(SETTINGS, op, op.current, path=path, query=query, body=None)
    return httpx.Request(wire.method, wire.url).url  # what httpx will send


@pytest.mark.parametrize(
    ("cluster_id", "raw_path"),
    [
        ("abc123", "/v1/clusters/abc123"),
        ("a/../b", "/v1/clusters/a%2F..%2Fb"),
        ("../../v1/requests", "/v1/clusters/..%2F..%2Fv1%2Frequests"),
        ("a b", "/v1/clusters/a%20b"),
        ("id:1", "/v1/clusters/id%3A1"),
        ("클러스터", "/v1/clusters/%ED%81%B4%EB%9F%AC%EC%8A%A4%ED%84%B0"),
        ("x?y=1#z", "/v1/clusters/x%3Fy%3D1%23z"),
        ("100%", "/v1/clusters/100%25"),
    ],
)
def test_path_parameters_are_percent_encoded_into_one_segment(cluster_id: str, raw_path: str) -> None:
    url = _url(TERMINATE, path={"cluster_id": cluster_id})
    assert url.raw_path.decode() == raw_path
    assert str(url) == ES + raw_path


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1).filter(lambda s: s not in (".", "..")))
def test_no_path_parameter_value_can_change_the_path(value: str) -> None:
    url = _url(TERMINATE, path={"cluster_id": value})
    path = url.raw_path.decode()
    assert "?" not in path
    assert "#" not in path
    prefix, _, segment = path.rpartition("/")
    assert prefix == "/v1/clusters"
    assert unquote(segment) == value


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_path_values_that_would_be_dot_segments_or_empty_are_refused(value: str) -> None:
    with pytest.raises(ArgumentError, match="not a valid id; nothing was sent"):
        _url(TERMINATE, path={"cluster_id": value})


def test_missing_and_undocumented_path_parameters_are_refused_naming_them() -> None:
    with pytest.raises(ArgumentError, match=r"missing path parameter.*cluster_id"):
        _url(TERMINATE, path={})
    with pytest.raises(ArgumentError, match=r"undocumented path parameter.*clusterId"):
        _url(TERMINATE, path={"cluster_id": "x", "clusterId": "x"})


def test_query_values_with_colons_spaces_and_unicode_are_encoded() -> None:
    url = _url(LIST_FLOWS, query={"sort": "created_dt:desc", "data_flow_name": "my flow ä/+&="})
    assert url.raw_path.decode() == (
        "/v1/data-flows?sort=created_dt%3Adesc&data_flow_name=my%20flow%20%C3%A4%2F%2B%26%3D"
    )


def test_query_none_is_omitted_booleans_are_lowercase_numbers_and_lists_render() -> None:
    engines = CATALOG.services["eventstreams"].operation("List Engine Versions")
    url = _url(engines, query={"id": None, "eos_included": True, "product_image_type": ["A", "B"]})
    assert url.query.decode() == "eos_included=true&product_image_type=A&product_image_type=B"
    url = _url(LIST_FLOWS, query={"page": 0, "size": 20})
    assert url.query.decode() == "page=0&size=20"
    assert _url(engines, query={"eos_included": False}).query.decode() == "eos_included=false"


def test_no_query_string_when_no_values() -> None:
    assert str(_url(LIST_FLOWS, query={"sort": None})) == (
        "https://data-flow.kr-west1.e.samsungsdscloud.com/v1/data-flows"
    )


def test_undocumented_query_parameters_and_unrenderable_values_are_refused() -> None:
    with pytest.raises(ArgumentError, match=r"undocumented query parameter.*pageSize"):
        _url(LIST_FLOWS, query={"pageSize": 10})
    with pytest.raises(ArgumentError, match="cannot go in a URL"):
        _url(LIST_FLOWS, query={"sort": {"a": 1}})


def test_headers_name_the_version_language_and_json_and_documented_defaults() -> None:
    wire = build(SETTINGS, LIST_FLOWS, LIST_FLOWS.version("1.0"), path=None, query=None, body=None)
    assert wire.headers["Scp-Api-Version"] == "data-flow 1.0"
    assert wire.headers["Accept"] == "application/json"
    assert wire.headers["Accept-Language"] == "en-US"
    assert wire.headers["Scp-Request-Path"] == "openapi"
    assert "Content-Type" not in wire.headers
    assert wire.content is None


def test_a_body_is_compact_json_with_content_type() -> None:
    create = CATALOG.services["eventstreams"].operation("Create Cluster")
    wire = build(SETTINGS, create, create.current, path=None, query=None, body={"name": "küche", "n": 1})
    assert wire.headers["Content-Type"] == "application/json"
    assert wire.content == '{"name":"küche","n":1}'.encode()


def test_a_pydantic_body_is_dumped_with_only_the_fields_that_were_set() -> None:
    svc = CATALOG.services["searchengine"]
    op = svc.operation("Set Maintenance")
    model = svc.model(op.current.body_model)
    example = op.current.request_example
    instance = model.model_validate(example)
    wire = build(SETTINGS, op, op.current, path={"cluster_id": "c1"}, query=None, body=instance)
    assert json.loads(wire.content) == instance.model_dump(mode="json", exclude_unset=True)


def test_a_body_for_an_operation_that_takes_none_is_refused() -> None:
    with pytest.raises(ArgumentError, match="takes no request body"):
        build(SETTINGS, TERMINATE, TERMINATE.current, path={"cluster_id": "x"}, query=None, body={"a": 1})


async def test_the_url_built_is_the_url_sent(make_client, op) -> None:
    client, rec = make_client(httpx.Response(200, json={}))
    with anyio.fail_after(5):
        async with client:
            result = await client.call(op("eventstreams", "Show Cluster"), path={"cluster_id": "a/../b"})
    assert rec.requests[0].url.raw_path == b"/v1/clusters/a%2F..%2Fb"
    assert result.url == ES + "/v1/clusters/a%2F..%2Fb"
