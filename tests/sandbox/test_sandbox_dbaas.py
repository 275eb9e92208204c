"""Event Streams, Search Engine and Vertica: lifecycles, requests, changes that reads reflect."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.sandbox import Sandbox, sample_body
from scp_mcp.sandbox.handlers.cluster_records import engine_id
from scp_mcp.sandbox.profiles import DBAAS

pytestmark = pytest.mark.anyio

SERVICES = ("eventstreams", "searchengine", "vertica")
RUNNING = {"eventstreams": "orders-kafka", "searchengine": "search-products", "vertica": "analytics-vertica"}


def cluster_id(sandbox: Sandbox, name: str) -> str:
    cluster = sandbox.find_cluster(name)
    assert cluster is not None
    return str(cluster["id"])


async def state_of(scp: Any, service: str, cid: str) -> str:
    return str((await scp.ok(service, "GET", f"/v1/clusters/{cid}"))["service_state"])


async def request_state(scp: Any, service: str, request_id: str) -> str:
    return str((await scp.ok(service, "GET", f"/v1/requests/{request_id}"))["state"])


@pytest.mark.parametrize("service", SERVICES)
async def test_create_runs_through_creating_and_its_request_completes(scp: Any, sandbox: Sandbox, service: str) -> None:
    hints = {"dbaas_engine_version_id": engine_id(service, DBAAS[service].engines[0]), "server_type_name": "db1v2m4"}
    body = sample_body(
        service,
        next(
            op for op in sandbox.catalog.services[service].operations if op.name == "Create Cluster"
        ).current.body_model
        or "",
        hints={**hints, "name": "newCluster"},
    )
    with anyio.fail_after(5):
        accepted = await scp.ok(service, "POST", "/v1/clusters", body=body)
        cid, rid = accepted["resource"]["id"], accepted["request_id"]
        assert await state_of(scp, service, cid) == "CREATING"
        assert await request_state(scp, service, rid) == "IN_PROGRESS"
        sandbox.advance(DBAAS[service].durations["create"])
        assert await state_of(scp, service, cid) == "RUNNING"
        assert await request_state(scp, service, rid) == "COMPLETED"
        listed = await scp.ok(service, "GET", "/v1/clusters", query={"name": "newCluster"})
        assert [c["id"] for c in listed["contents"]] == [cid]
        duplicate = await scp.call(service, "POST", "/v1/clusters", body=body)
        assert duplicate.status_code == 400
        assert "already exists" in duplicate.text


@pytest.mark.parametrize("service", SERVICES)
async def test_stop_start_restart_terminate(scp: Any, sandbox: Sandbox, service: str) -> None:
    cid, durations = cluster_id(sandbox, RUNNING[service]), DBAAS[service].durations
    with anyio.fail_after(5):
        for action, transient, final in (
            ("stop", "STOPPING", "STOPPED"),
            ("start", "STARTING", "RUNNING"),
            ("restart", "RESTARTING", "RUNNING"),
        ):
            await scp.ok(service, "POST", f"/v1/clusters/{cid}/{action}")
            assert await state_of(scp, service, cid) == transient
            sandbox.advance(durations[action])
            assert await state_of(scp, service, cid) == final
        await scp.ok(service, "DELETE", f"/v1/clusters/{cid}")
        assert await state_of(scp, service, cid) == "TERMINATING"
        again = await scp.call(service, "DELETE", f"/v1/clusters/{cid}")
        assert again.status_code == 400
        assert "TERMINATING" in again.json()["errors"][0]["message"]
        sandbox.advance(durations["terminate"])
        assert await state_of(scp, service, cid) == "TERMINATED"
        listed = await scp.ok(service, "GET", "/v1/clusters")
        assert cid not in [c["id"] for c in listed["contents"]]
        sandbox.advance(durations["linger"])
        assert (await scp.call(service, "GET", f"/v1/clusters/{cid}")).status_code == 404


@pytest.mark.parametrize("service", SERVICES)
async def test_starting_a_running_cluster_is_refused(scp: Any, sandbox: Sandbox, service: str) -> None:
    cid = cluster_id(sandbox, RUNNING[service])
    before = len(list(sandbox.state.records("request", service)))
    response = await scp.call(service, "POST", f"/v1/clusters/{cid}/start")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidState"
    assert "cannot start cluster" in error["message"]
    assert "RUNNING" in error["message"]
    assert len(list(sandbox.state.records("request", service))) == before  # no request was opened


async def test_seeded_faults_to_troubleshoot(scp: Any, sandbox: Sandbox) -> None:
    logs = cluster_id(sandbox, "search-logs")
    assert await state_of(scp, "searchengine", logs) == "ERROR"
    failed = next(r for r in sandbox.state.records("request", "searchengine") if r["resource_id"] == logs)
    assert await request_state(scp, "searchengine", failed["request_id"]) == "FAILED"
    assert await state_of(scp, "eventstreams", cluster_id(sandbox, "legacy-kafka")) == "STOPPED"
    vertica = await scp.ok("vertica", "GET", f"/v1/clusters/{cluster_id(sandbox, 'analytics-vertica')}")
    assert vertica["init_config_option"]["backup_option"] is None
    await scp.ok("searchengine", "POST", f"/v1/clusters/{logs}/restart")  # the way out of ERROR
    sandbox.advance(DBAAS["searchengine"].durations["restart"])
    assert await state_of(scp, "searchengine", logs) == "RUNNING"


async def test_unknown_request_is_400_and_unknown_cluster_404(scp: Any) -> None:
    assert (await scp.call("vertica", "GET", "/v1/requests/req-nope")).status_code == 400
    assert (await scp.call("vertica", "GET", "/v1/clusters/0000")).status_code == 404


async def test_resizes_and_instances_change_what_reads_show(scp: Any, sandbox: Sandbox) -> None:
    cid = cluster_id(sandbox, "orders-kafka")
    cluster = await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}")
    group = cluster["instance_groups"][0]
    storage = group["block_storage_groups"][0]
    with anyio.fail_after(5):
        shrink = await scp.call(
            "eventstreams", "POST", f"/v1/block-storage-groups/{storage['id']}/resize", body={"size_gb": 16}
        )
        assert shrink.status_code == 400
        assert "only grows" in shrink.text
        await scp.ok("eventstreams", "POST", f"/v1/block-storage-groups/{storage['id']}/resize", body={"size_gb": 512})
        assert await state_of(scp, "eventstreams", cid) == "EDITING"
        busy = await scp.call(
            "eventstreams", "POST", f"/v1/instance-groups/{group['id']}/resize", body={"server_type_name": "db1v8m16"}
        )
        assert busy.status_code == 400  # one change at a time
        sandbox.advance(DBAAS["eventstreams"].durations["edit"])
        await scp.ok(
            "eventstreams", "POST", f"/v1/instance-groups/{group['id']}/resize", body={"server_type_name": "db1v8m16"}
        )
        sandbox.advance(DBAAS["eventstreams"].durations["edit"])
        await scp.ok(
            "eventstreams",
            "POST",
            f"/v1/clusters/{cid}/add-instances",
            body={"instance_count": 2, "service_ip_addresses": ["10.0.0.7", "10.0.0.8"]},
        )
        sandbox.advance(DBAAS["eventstreams"].durations["edit"])
        after = await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}")
    assert after["instance_groups"][0]["block_storage_groups"][0]["size_gb"] == 512
    assert after["instance_groups"][0]["server_type_name"] == "db1v8m16"
    assert after["instance_count"] == cluster["instance_count"] + 2
    assert after["service_state"] == "RUNNING"
    assert all(i["service_state"] == "RUNNING" for g in after["instance_groups"] for i in g["instances"])


async def test_backup_settings_and_histories(scp: Any, sandbox: Sandbox) -> None:
    cid, edit = cluster_id(sandbox, "analytics-vertica"), DBAAS["vertica"].durations["edit"]
    with anyio.fail_after(5):
        assert (await scp.call("vertica", "DELETE", f"/v1/clusters/{cid}/backups")).status_code == 400
        await scp.ok(
            "vertica",
            "POST",
            f"/v1/clusters/{cid}/backups",
            body={"retention_period_day": "14", "starting_time_hour": "3"},
        )
        sandbox.advance(edit)
        shown = await scp.ok("vertica", "GET", f"/v1/clusters/{cid}")
        assert shown["init_config_option"]["backup_option"] == {"retention_period_day": "14", "starting_time_hour": "3"}
        fin = cluster_id(sandbox, "finance-vertica")
        histories = (await scp.ok("vertica", "GET", f"/v1/clusters/{fin}/backup-histories"))["contents"]
        assert len(histories) == 3
        gone = histories[0]["backup_history_number"]
        await scp.ok("vertica", "PUT", f"/v1/clusters/{fin}/backup-histories", body={"backup_history_number": [gone]})
        sandbox.advance(edit)
        left = (await scp.ok("vertica", "GET", f"/v1/clusters/{fin}/backup-histories"))["contents"]
        assert gone not in [h["backup_history_number"] for h in left]
        assert len(left) == 2
        await scp.ok("vertica", "DELETE", f"/v1/clusters/{fin}/backups")
        sandbox.advance(edit)
        assert (await scp.ok("vertica", "GET", f"/v1/clusters/{fin}"))["init_config_option"]["backup_option"] is None


async def test_maintenance_security_rules_and_parameters(scp: Any, sandbox: Sandbox) -> None:
    cid, edit = cluster_id(sandbox, "search-products"), DBAAS["searchengine"].durations["edit"]
    with anyio.fail_after(5):
        window = {"start_day_of_week": "TUE", "start_time": "04", "start_minute": "30", "term_hour": "2"}
        await scp.ok("searchengine", "POST", f"/v1/clusters/{cid}/maintenance", body=window)
        sandbox.advance(edit)
        await scp.ok(
            "searchengine",
            "POST",
            f"/v1/clusters/{cid}/security-group-rules",
            body={"add_ip_addresses": ["192.168.1.0/24"], "del_ip_addresses": ["10.10.0.0/16"]},
        )
        sandbox.advance(edit)
        shown = await scp.ok("searchengine", "GET", f"/v1/clusters/{cid}")
        assert shown["maintenance_option"]["starting_day_of_week"] == "TUE"
        assert shown["allowable_ip_addresses"] == ["192.168.1.0/24"]
        await scp.ok("searchengine", "DELETE", f"/v1/clusters/{cid}/maintenance")
        sandbox.advance(edit)
        assert (await scp.ok("searchengine", "GET", f"/v1/clusters/{cid}"))["maintenance_option"][
            "use_maintenance_option"
        ] is False


async def test_parameter_values_are_checked_and_set(scp: Any, sandbox: Sandbox) -> None:
    cid, edit = cluster_id(sandbox, "orders-kafka"), DBAAS["eventstreams"].durations["edit"]
    with anyio.fail_after(5):
        row = (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}/parameters"))["contents"][0]
        out_of_range = {"parameters": [{"id": row["id"], "old_value": row["applied_value"], "new_value": "99999"}]}
        assert (
            await scp.call("eventstreams", "PUT", f"/v1/clusters/{cid}/parameters", body=out_of_range)
        ).status_code == 400
        change = {"parameters": [{"id": row["id"], "old_value": row["applied_value"], "new_value": "12"}]}
        await scp.ok("eventstreams", "PUT", f"/v1/clusters/{cid}/parameters", body=change)
        sandbox.advance(edit)
        values = (await scp.ok("eventstreams", "GET", f"/v1/clusters/{cid}/parameters"))["contents"]
        assert values[0]["applied_value"] == "12"
        stale = await scp.call("eventstreams", "PUT", f"/v1/clusters/{cid}/parameters", body=change)
        assert stale.status_code == 400
        assert "parameters[0].old_value" in stale.text
