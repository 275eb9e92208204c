"""Mutating routes not covered elsewhere change what their names promise, and reads reflect it."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.sandbox import Sandbox
from scp_mcp.sandbox.profiles import DBAAS, FLOW_DURATIONS
from scp_mcp.sandbox.profiles import QUICK_QUERY_DURATIONS as QQ

pytestmark = pytest.mark.anyio


def cluster(sandbox: Sandbox, name: str) -> dict[str, Any]:
    found = sandbox.find_cluster(name)
    assert found is not None, name
    return found


async def test_synchronize_parameter_values_passes_through_synchronizing_and_stamps_the_values(
    scp: Any, sandbox: Sandbox
) -> None:
    cid = cluster(sandbox, "orders-kafka")["id"]
    with anyio.fail_after(5):
        before = await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}/parameters")
        accepted = await scp.ok("eventstreams", "POST", f"/v1/clusters/{cid}/parameters/sync")
        assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "SYNCHRONIZING"
        sandbox.advance(DBAAS["eventstreams"].durations["sync"])
        after = await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}/parameters")
        request = await scp.ok("eventstreams", "GET", f"/v1/requests/{accepted['request_id']}")
    assert request["state"] == "COMPLETED"
    assert after["modified_at"] > before["modified_at"]
    assert [r["applied_value"] for r in after["contents"]] == [r["applied_value"] for r in before["contents"]]
    assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "RUNNING"


async def test_synchronize_cluster_state_returns_a_stopped_cluster_to_stopped(scp: Any, sandbox: Sandbox) -> None:
    cid = cluster(sandbox, "legacy-kafka")["id"]
    await scp.ok("eventstreams", "POST", f"/v1/clusters/{cid}/sync-state")
    assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "SYNCHRONIZING"
    sandbox.advance(DBAAS["eventstreams"].durations["sync"])
    assert (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}"))["service_state"] == "STOPPED"


async def test_add_block_storages_adds_a_group_that_show_cluster_lists(scp: Any, sandbox: Sandbox) -> None:
    source = cluster(sandbox, "finance-vertica")
    group = source["instance_groups"][0]
    before = len(group["block_storage_groups"])
    await scp.ok(
        "vertica",
        "POST",
        f"/v1/instance-groups/{group['id']}/block-storage-groups",
        body={"role_type": "DATA", "size_gb": 200},
    )
    sandbox.advance(DBAAS["vertica"].durations["edit"])
    shown = await scp.ok("vertica", "GET", f"/v1/clusters/{source['id']}")
    storages = shown["instance_groups"][0]["block_storage_groups"]
    assert len(storages) == before + 1
    assert (storages[-1]["role_type"], storages[-1]["size_gb"]) == ("DATA", 200)
    assert shown["service_state"] == "RUNNING"


@pytest.mark.parametrize(
    ("service", "source_name"), [("vertica", "finance-vertica"), ("searchengine", "search-products")]
)
async def test_create_restore_cluster_creates_a_new_cluster_from_a_backup(
    scp: Any, sandbox: Sandbox, service: str, source_name: str
) -> None:
    source = cluster(sandbox, source_name)
    histories = (await scp.ok(service, "GET", f"/v1/clusters/{source['id']}/backup-histories"))["contents"]
    group = source["instance_groups"][0]
    body = {
        "backup_history_number": histories[0]["backup_history_number"],
        "name": "restored",
        "instance_name_prefix": "rst",
        "instance_groups": [
            {
                "role_type": group["role_type"],
                "server_type_name": group["server_type_name"],
                "block_storage_groups": [{"role_type": "OS", "size_gb": 104}],
            }
        ],
    }
    with anyio.fail_after(5):
        unknown = await scp.call(
            service, "POST", f"/v1/clusters/{source['id']}/restore", body={**body, "backup_history_number": "nope"}
        )
        assert unknown.status_code == 400, unknown.text
        accepted = await scp.call(service, "POST", f"/v1/clusters/{source['id']}/restore", body=body)
        assert accepted.status_code == 202, accepted.text
        new_id = accepted.json()["resource"]["id"]
        assert new_id != source["id"]
        assert (await scp.ok(service, "GET", f"/v1/clusters/{new_id}"))["service_state"] == "CREATING"
        sandbox.advance(DBAAS[service].durations["create"])
        restored = await scp.ok(service, "GET", f"/v1/clusters/{new_id}")
        request = await scp.ok(service, "GET", f"/v1/requests/{accepted.json()['request_id']}")
    assert (restored["name"], restored["service_state"], request["state"]) == ("restored", "RUNNING", "COMPLETED")
    for same in ("dbaas_engine_version_name", "software_version", "subnet_id", "timezone"):
        assert restored[same] == source[same], same  # taken from the cluster the backup belongs to
    listed = await scp.ok(service, "GET", "/v1/clusters", query={"name": "restored"})
    assert [c["id"] for c in listed["contents"]] == [new_id]


@pytest.mark.parametrize(
    ("service", "subs", "name_field"),
    [
        ("data-flow", "/v1/data-flow-services", "data_flow_service_id"),
        ("data-ops", "/v1/data-ops-services", "data_ops_service_id"),
    ],
)
async def test_update_service_changes_what_show_service_reports(
    scp: Any, sandbox: Sandbox, service: str, subs: str, name_field: str
) -> None:
    kind = name_field.removesuffix("_id")
    record = next(sandbox.state.records(kind))
    key = record[name_field]
    await scp.ok(service, "PUT", f"{subs}/{key}", body={"description": "moved", "domain": "moved.example.internal"})
    shown = await scp.ok(service, "GET", f"{subs}/{key}")
    assert shown["state"] == "UPDATING"
    sandbox.advance(FLOW_DURATIONS["update"])
    shown = await scp.ok(service, "GET", f"{subs}/{key}")
    assert (shown["state"], shown["description"], shown["domain"]) == ("RUNNING", "moved", "moved.example.internal")
    urls = [v for k, v in shown.items() if k.startswith("web_url")]
    assert urls
    assert all(url.startswith("https://moved.example.internal/") for url in urls)


@pytest.mark.parametrize(
    ("tail", "body", "field", "expected"),
    [
        ("domain", {"domain": "trino.example.internal"}, "domain", "trino.example.internal"),
        ("dsc-domain", {"dsc_domain": "dsc.example.internal"}, "dsc_domain", "dsc.example.internal"),
        (
            "host-alias",
            {"host_alias_list": [{"hostnames": ["db"], "ip": "10.0.0.9"}]},
            "host_alias_list",
            [{"hostnames": ["db"], "ip": "10.0.0.9"}],
        ),
        ("engine", {"cpu": "8", "memory": "24", "replica": "3"}, "query_engine_spec", None),
    ],
)
async def test_quick_query_updates_go_through_updating_and_show_reflects_them(
    scp: Any, sandbox: Sandbox, tail: str, body: dict[str, Any], field: str, expected: Any
) -> None:
    query = sandbox.find("quick_query", "sales-trino")
    assert query is not None
    key = query["quick_query_id"]
    await scp.ok("quick-query", "PUT", f"/v1/quick-query/{key}/{tail}", body=body)
    assert (await scp.ok("quick-query", "GET", f"/v1/quick-query/{key}"))["quick_query_state"] == "UPDATING"
    sandbox.advance(QQ["update"])
    shown = await scp.ok("quick-query", "GET", f"/v1/quick-query/{key}")
    assert shown["quick_query_state"] == "RUNNING"
    if expected is None:  # the engine: the three sizes change, the rest of the spec stays
        assert {k: shown[field][k] for k in body} == body
        assert shown[field]["auto_scale"] == query["query_engine_spec"]["auto_scale"]
    else:
        assert shown[field] == expected
