"""The sandbox over real loopback HTTP (uvicorn), with the tests' own signer."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from scp_mcp.sandbox import Sandbox
from scp_mcp.sandbox.serve import export_lines

pytestmark = pytest.mark.anyio


async def test_every_service_answers_over_loopback(loopback: tuple[Sandbox, str], make_scp: Any) -> None:
    box, base = loopback
    calls = {
        "eventstreams": ("/v1/clusters", None),
        "searchengine": ("/v1/clusters", None),
        "vertica": ("/v1/server-types", None),
        "data-flow": ("/v1/data-flows", {"sort": "created_dt:desc"}),
        "data-ops": ("/v1/data-ops-services", None),
        "quick-query": ("/v1/quick-query", {"page": 0, "size": 20}),
    }
    with anyio.fail_after(10):
        async with httpx.AsyncClient() as http:
            scp = make_scp(http, base)
            for service, (path, query) in calls.items():
                response = await scp.call(service, "GET", path, query=query)
                assert response.status_code == 200, (service, response.text)
                assert response.json()["contents"]
            assert (await http.get(f"{base}/vertica/v1/clusters")).status_code == 401
    assert [r.operation for r in box.received][:6] == [
        "eventstreams_list_clusters",
        "searchengine_list_clusters",
        "vertica_list_server_types",
        "dataflow_list_data_flows",
        "dataops_list_services",
        "quickquery_list",
    ]


async def test_dropped_connection_over_loopback(loopback: tuple[Sandbox, str], make_scp: Any) -> None:
    box, base = loopback
    box.faults.add("vertica_list_clusters", kind="drop")
    with anyio.fail_after(10):
        async with httpx.AsyncClient() as http:
            scp = make_scp(http, base)
            with pytest.raises(httpx.RemoteProtocolError):
                await scp.call("vertica", "GET", "/v1/clusters")
            assert (await scp.call("vertica", "GET", "/v1/clusters")).status_code == 200


def test_export_lines_name_the_template_and_credentials() -> None:
    lines = export_lines("127.0.0.1", 8765, "AK", "SK")
    assert lines == [
        "export SCP_ENDPOINT_TEMPLATE='http://127.0.0.1:8765/{service}'",
        "export SCP_ACCESS_KEY=AK",
        "export SCP_SECRET_KEY=SK",
    ]
