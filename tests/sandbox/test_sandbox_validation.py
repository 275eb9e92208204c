"""Bodies and query parameters are validated with the generated models: 400 naming field and values."""

from __future__ import annotations

from typing import Any

import pytest

from scp_mcp.sandbox import Sandbox

pytestmark = pytest.mark.anyio


def detail(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "ValidationError"
    return list(error["detail"])


async def test_enum_error_names_the_field_and_allowed_values(scp: Any, sandbox: Sandbox) -> None:
    cluster = sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    window = {"start_day_of_week": "FUNDAY", "start_time": "04", "start_minute": "00", "term_hour": "2"}
    response = await scp.call("eventstreams", "POST", f"/v1/clusters/{cluster['id']}/maintenance", body=window)
    [problem] = detail(response)
    assert problem["field"] == "start_day_of_week"
    assert problem["allowed_values"] == ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
    assert "allowed values: MON" in response.json()["errors"][0]["message"]
    assert cluster["maintenance_option"]["starting_day_of_week"] == "SUN"  # nothing changed


async def test_nested_missing_and_pattern_errors(scp: Any) -> None:
    body = {
        "name": "has-dash",
        "instance_groups": [{"role_type": "BROKER", "block_storage_groups": [{"role_type": "DATA", "size_gb": 8}]}],
    }
    fields = {p["field"] for p in detail(await scp.call("eventstreams", "POST", "/v1/clusters", body=body))}
    assert {
        "name",
        "instance_groups[0].server_type_name",
        "instance_groups[0].block_storage_groups[0].size_gb",
        "subnet_id",
    } <= fields


async def test_query_enum_and_type_errors(scp: Any) -> None:
    [problem] = detail(await scp.call("data-flow", "GET", "/v1/data-flows", query={"state": "SLEEPING"}))
    assert problem["field"] == "state"
    assert "RUNNING" in problem["allowed_values"]
    [problem] = detail(await scp.call("vertica", "GET", "/v1/clusters", query={"size": "lots"}))
    assert problem["field"] == "size"


async def test_malformed_and_missing_bodies(scp: Any, sandbox: Sandbox) -> None:
    cluster = sandbox.find_cluster("orders-kafka")
    assert cluster is not None
    path = f"/v1/clusters/{cluster['id']}/security-group-rules"
    request = scp.build("eventstreams", "POST", path)
    request = scp.http.build_request("POST", request.url, headers=request.headers, content=b"{not json")
    response = await scp.http.send(request)
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["errors"][0]["message"]
    [problem] = detail(await scp.call("eventstreams", "POST", "/v1/clusters"))
    assert problem["field"] == "body"
