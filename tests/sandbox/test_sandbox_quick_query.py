"""Quick Query: create with its Kubernetes engine and node pools, updates, delete."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.sandbox import Sandbox, sample_body
from scp_mcp.sandbox.handlers.quick_query import image_list
from scp_mcp.sandbox.profiles import QUICK_QUERY_DURATIONS as DURATIONS

pytestmark = pytest.mark.anyio
PAGE = {"page": 0, "size": 20}


async def test_create_provisions_an_engine_and_runs(scp: Any, sandbox: Sandbox) -> None:
    body = sample_body(
        "quick-query",
        "QuickQueryTotalCreateRequest",
        hints={"image_id": image_list()[0]["image_id"], "scale_name": "s1v8m32"},
    )
    body["quick_query_create_request"]["quick_query_name"] = "adhoc-trino"
    with anyio.fail_after(5):
        accepted = await scp.ok("quick-query", "POST", "/v1/quick-query", body=body)
        key = accepted["resource_id"]
        shown = await scp.ok("quick-query", "GET", f"/v1/quick-query/{key}")
        assert shown["quick_query_state"] == "CREATING"
        assert sandbox.state.get("kubernetes_engine", shown["cluster_id"]) is not None
        assert (await scp.ok("quick-query", "GET", "/v1/quick-query/adhoc-trino/check-duplication")) == {"result": True}
        sandbox.advance(DURATIONS["create"])
        assert (await scp.ok("quick-query", "GET", f"/v1/quick-query/{key}"))["quick_query_state"] == "RUNNING"
        described = await scp.ok(
            "quick-query", "PUT", f"/v1/quick-query/{key}/description", body={"description": "for finance"}
        )
        assert described == {"description": "for finance", "quick_query_id": key}
        await scp.ok(
            "quick-query", "PUT", f"/v1/quick-query/{key}/engine", body={"cpu": "4", "memory": "16", "replica": "2"}
        )
        shown = await scp.ok("quick-query", "GET", f"/v1/quick-query/{key}")
        assert shown["quick_query_state"] == "UPDATING"
        assert shown["query_engine_spec"]["cpu"] == "4"
        assert shown["description"] == "for finance"
        busy = await scp.call("quick-query", "PUT", f"/v1/quick-query/{key}/domain", body={"domain": "x.example"})
        assert busy.status_code == 400
        sandbox.advance(DURATIONS["update"])
        await scp.ok("quick-query", "DELETE", f"/v1/quick-query/{key}")
        listed = await scp.ok("quick-query", "GET", "/v1/quick-query", query=PAGE)
        assert key not in [q["quick_query_id"] for q in listed["contents"]]
        sandbox.advance(DURATIONS["delete"] + DURATIONS["linger"])
        gone = await scp.call("quick-query", "GET", f"/v1/quick-query/{key}")
        assert gone.status_code == load_catalog().by_tool_name("quickquery_show").missing_id_status
        assert sandbox.state.get("kubernetes_engine", shown["cluster_id"]) is None


async def test_list_requires_page_and_size(scp: Any) -> None:
    response = await scp.call("quick-query", "GET", "/v1/quick-query")
    assert response.status_code == 400
    fields = {d["field"] for d in response.json()["errors"][0]["detail"]}
    assert fields == {"page", "size"}
    listed = await scp.ok("quick-query", "GET", "/v1/quick-query", query=PAGE)
    assert [q["quick_query_name"] for q in listed["contents"]] == ["sales-trino"]
    assert listed["total_count"] == 1


async def test_resource_check_answers_from_the_node_pools(scp: Any) -> None:
    pools = [{"auto_scale": False, "desired_node_count": 2, "scale_name": "s1v8m32"}]
    small = {
        "node_pool_validation_request": pools,
        "quick_query_engine_request": {
            "auto_scale": False,
            "is_engine_type_private": False,
            "cpu": "4",
            "memory": "16",
            "replica": "2",
        },
    }
    assert (await scp.ok("quick-query", "POST", "/v1/quick-query/validate-resources", body=small))["result"] is True
    small["quick_query_engine_request"]["replica"] = "9"
    assert (await scp.ok("quick-query", "POST", "/v1/quick-query/validate-resources", body=small))["result"] is False
