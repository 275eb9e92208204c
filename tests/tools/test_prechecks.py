"""Previews that check before they ask: a change the target's state forbids, or one that changes nothing,
is refused with nothing to confirm and nothing sent; a preview shows current → target and what a removal
takes away; creates and updates run their documented dry runs first. In both confirmation modes (the
``confirm`` argument round trip and elicitation) and through the discover profile's ``call_operation``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.server import ServerSettings
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio


def _changes(stack: Stack, before: int) -> list[str]:
    """Requests that could change something (dry runs are checks, not changes)."""
    return [
        f"{r.method} {r.path}"
        for r in stack.sandbox.received[before:]
        if r.method != "GET" and not r.path.endswith("/validate-resources")
    ]


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


def _cluster(stack: Stack, name: str, state: str | None = None) -> dict[str, Any]:
    cluster = stack.sandbox.find_cluster(name)
    assert cluster is not None
    if state is not None:
        cluster["service_state"] = state
    return cluster


def _record(stack: Stack, kind: str, name: str, state: str | None = None) -> dict[str, Any]:
    record = stack.sandbox.find(kind, name)
    assert record is not None
    if state is not None:
        record["quick_query_state" if kind == "quick_query" else "state"] = state
    return record


async def _refused(stack: Stack, client: Client, tool: str, args: dict[str, Any], kind: str) -> str:
    """The call is an error of ``kind`` with nothing to confirm, and nothing reached SCP but reads."""
    before = len(stack.sandbox.received)
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args)
    content = result.structured_content
    assert result.is_error, _text(result)
    assert content is not None
    assert content["error"] == kind
    assert "confirm_with" not in content
    assert "Fix the arguments" not in _text(result)
    assert _changes(stack, before) == []
    return _text(result)


# -- 1. the target's state forbids the change ------------------------------------------------------------

STATE_REFUSALS = [
    pytest.param(
        "eventstreams_restart_cluster",
        ("cluster", "legacy-kafka", None),
        {},
        "The cluster 'legacy-kafka' is STOPPED; start it first with eventstreams_start_cluster, then retry.",
        id="restart-stopped-eventstreams",
    ),
    pytest.param(
        "vertica_stop_cluster",
        ("cluster", "finance-vertica", "ERROR"),
        {},
        "The cluster 'finance-vertica' is ERROR; restart it first with vertica_restart_cluster, then retry.",
        id="stop-error-vertica",
    ),
    pytest.param(
        "searchengine_start_cluster",
        ("cluster", "search-products", None),
        {},
        "The cluster 'search-products' is RUNNING already: there is nothing to do.",
        id="start-running-searchengine",
    ),
    pytest.param(
        "eventstreams_stop_cluster",
        ("cluster", "legacy-kafka", None),
        {},
        "The cluster 'legacy-kafka' is STOPPED already: there is nothing to do.",
        id="stop-stopped-eventstreams",
    ),
    pytest.param(
        "searchengine_restart_cluster",
        ("cluster", "search-products", "STARTING"),
        {},
        "The cluster 'search-products' is STARTING: wait until it settles (check with searchengine_show_cluster), "
        "then retry.",
        id="restart-moving-searchengine",
    ),
    pytest.param(
        "dataflow_delete_data_flow",
        ("data_flow", "orders-nifi", "UPDATING"),
        {},
        "The data flow 'orders-nifi' is UPDATING: wait until it settles (check with dataflow_show_data_flow), "
        "then retry.",
        id="delete-moving-dataflow",
    ),
    pytest.param(
        "quickquery_update_description",
        ("quick_query", "sales-trino", "ERROR"),
        {"description": "new words"},
        "The quick query 'sales-trino' is ERROR; it allows this only from ACTIVE, RUNNING.",
        id="update-error-quickquery",
    ),
]


@pytest.mark.parametrize(("tool", "target", "extra", "said"), STATE_REFUSALS)
async def test_a_change_the_state_forbids_is_refused_with_nothing_to_confirm(
    stack: Stack, client: Client, tool: str, target: tuple[str, str, str | None], extra: dict[str, Any], said: str
) -> None:
    kind, name, state = target
    record = _cluster(stack, name, state) if kind == "cluster" else _record(stack, kind, name, state)
    op = load_catalog().by_tool_name(tool)
    assert op.resource is not None
    assert op.resource.id_param is not None
    rid = record.get("id") or record[op.resource.id_param]
    text = await _refused(stack, client, tool, {op.resource.id_param: rid, **extra}, "invalid_state")
    assert text.endswith(said), text


async def test_an_instance_group_of_a_stopped_cluster_is_refused_naming_the_cluster(
    stack: Stack, client: Client
) -> None:
    group = _cluster(stack, "finance-vertica", "STOPPED")["instance_groups"][0]
    args = {"instance_group_id": group["id"], "server_type_name": "db1v16m64"}
    text = await _refused(stack, client, "vertica_set_server_type", args, "invalid_state")
    assert text.endswith(
        "The cluster 'finance-vertica' is STOPPED; start it first with vertica_start_cluster, then retry."
    )


# -- 2. a change to the value it already has -------------------------------------------------------------


async def test_a_resize_to_the_current_server_type_is_refused(stack: Stack, client: Client) -> None:
    group = _cluster(stack, "orders-kafka")["instance_groups"][0]
    args = {"instance_group_id": group["id"], "server_type_name": group["server_type_name"]}
    text = await _refused(stack, client, "eventstreams_set_server_type", args, "no_change")
    assert text.endswith(
        "server_type_name is already 'db1v4m8' on instance group broker of cluster orders-kafka (3 × db1v4m8): "
        "nothing would change. Ask for a different value."
    )


async def test_a_resize_to_the_current_storage_size_is_refused_naming_the_storage(stack: Stack, client: Client) -> None:
    storage = _cluster(stack, "search-products")["instance_groups"][0]["block_storage_groups"][0]
    args = {"block_storage_group_id": storage["id"], "size_gb": storage["size_gb"]}
    text = await _refused(stack, client, "searchengine_set_block_storage_size", args, "no_change")
    assert f"size_gb is already '{storage['size_gb']}' on block storage group " in text
    assert "of cluster search-products" in text


async def test_setting_a_parameter_to_its_own_value_is_refused(stack: Stack, client: Client) -> None:
    cluster = _cluster(stack, "orders-kafka")
    with anyio.fail_after(10):
        listed = await client.call_tool("eventstreams_list_parameter_values", {"cluster_id": cluster["id"]})
    assert listed.structured_content is not None
    row = listed.structured_content["data"]["contents"][0]
    same = {"id": row["id"], "old_value": row["applied_value"], "new_value": row["applied_value"]}
    args = {"cluster_id": cluster["id"], "parameters": [same]}
    text = await _refused(stack, client, "eventstreams_set_parameter_values", args, "no_change")
    assert f"parameters[].new_value is already '{row['applied_value']}'" in text


async def test_an_engine_update_to_the_current_size_is_refused(stack: Stack, client: Client) -> None:
    query = _record(stack, "quick_query", "sales-trino")
    spec = query["query_engine_spec"]
    args = {"quick_query_id": query["quick_query_id"], "cpu": spec["cpu"], "memory": spec["memory"]}
    args["replica"] = spec["replica"]
    text = await _refused(stack, client, "quickquery_update_engine", args, "no_change")
    assert "replica is already '2'" in text


async def test_a_real_change_still_goes_through(stack: Stack, client: Client) -> None:
    query = _record(stack, "quick_query", "sales-trino")
    before = len(stack.sandbox.received)
    with anyio.fail_after(10):
        result = await client.call_tool(
            "quickquery_update_description", {"quick_query_id": query["quick_query_id"], "description": "new words"}
        )
    assert not result.is_error, _text(result)
    assert _changes(stack, before) == [f"PUT /quick-query/v1/quick-query/{query['quick_query_id']}/description"]


# -- 3, 4. the preview shows current → target, parts by cluster and role ------------------------------


async def test_a_resize_preview_shows_current_to_target_on_the_named_group(stack: Stack, client: Client) -> None:
    group = _cluster(stack, "orders-kafka")["instance_groups"][0]
    args = {"instance_group_id": group["id"], "server_type_name": "db1v8m16"}
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_set_server_type", args)
    assert result.structured_content is not None
    assert result.structured_content["status"] == "confirmation_required"
    text = _text(result)
    assert "instance group 'broker of cluster orders-kafka (3 × db1v4m8)'" in text
    assert "server_type_name 'db1v4m8' → 'db1v8m16'" in text
    assert "server_type_name 'db1v4m8' → 'db1v8m16'" in result.structured_content["preview"]["effect"]


async def test_a_backup_removal_preview_lists_the_histories_by_date(stack: Stack, client: Client) -> None:
    cluster = _cluster(stack, "finance-vertica")
    histories = cluster["_backup_histories"][:2]
    args = {"cluster_id": cluster["id"], "backup_history_number": [h["backup_history_number"] for h in histories]}
    with anyio.fail_after(10):
        result = await client.call_tool("vertica_remove_backup_histories", args)
    text = _text(result)
    assert "removes 2: " in text
    for history in histories:
        assert f"{history['backup_history_number']} (backup_start_at {history['backup_start_at']}" in text


# -- 5. dry runs before creates and updates ----------------------------------------------------------------


async def _create_args(stack: Stack, listed: dict[str, types.Tool], tool: str, **names: Any) -> dict[str, Any]:
    op = load_catalog().by_tool_name(tool)
    return {**arguments(listed[tool].input_schema, hints(stack.sandbox, op)), **names}


@pytest.mark.parametrize(
    ("tool", "name_field", "taken"),
    [
        ("dataflow_create_data_flow", "data_flow_name", "orders-nifi"),
        ("dataops_create_service", "data_ops_service_name", "etl-airflow-svc"),
    ],
)
async def test_a_create_with_a_name_in_use_is_stopped_by_the_name_check(
    stack: Stack, client: Client, listed: dict[str, types.Tool], tool: str, name_field: str, taken: str
) -> None:
    args = await _create_args(stack, listed, tool, **{name_field: taken})
    text = await _refused(stack, client, tool, args, "duplicate_name")
    assert f"{name_field} '{taken}' is already in use" in text
    assert text.endswith("choose another name.")


async def test_a_quick_query_with_a_name_in_use_is_stopped(
    stack: Stack, client: Client, listed: dict[str, types.Tool]
) -> None:
    args = await _create_args(stack, listed, "quickquery_create")
    args["quick_query_create_request"] = {**args["quick_query_create_request"], "quick_query_name": "sales-trino"}
    text = await _refused(stack, client, "quickquery_create", args, "duplicate_name")
    assert "quick_query_name 'sales-trino' is already in use (quickquery_check_name found it)" in text


async def test_a_create_whose_name_is_free_says_so_briefly_and_creates(
    stack: Stack, client: Client, listed: dict[str, types.Tool]
) -> None:
    args = await _create_args(stack, listed, "dataflow_create_service", data_flow_service_name="fresh-svc")
    before = len(stack.sandbox.received)
    with anyio.fail_after(10):
        result = await client.call_tool("dataflow_create_service", args)
    assert not result.is_error, _text(result)
    assert _text(result).startswith(
        "Dry run passed (dataflow_check_service_name: data_flow_service_name 'fresh-svc' is free; "
        "dataflow_check_service_create_resources: the resources fit). "
    )
    checks = [r.path for r in stack.sandbox.received[before:] if r.path.endswith("/check-duplication")]
    assert checks == ["/data-flow/v1/data-flow-services/fresh-svc/check-duplication"]
    assert _changes(stack, before) == ["POST /data-flow/v1/data-flow-services"]


@pytest.mark.parametrize(
    ("tool", "kind", "parent_field", "name_field"),
    [
        ("dataflow_create_service", "data_flow", "data_flow_id", "data_flow_service_name"),
        ("dataops_create_service", "data_ops", "data_ops_id", "data_ops_service_name"),
    ],
)
async def test_a_service_create_that_does_not_fit_the_parents_cluster_is_stopped(
    stack: Stack,
    client: Client,
    listed: dict[str, types.Tool],
    tool: str,
    kind: str,
    parent_field: str,
    name_field: str,
) -> None:
    args = await _create_args(stack, listed, tool, **{name_field: "too-big-svc"})
    parent = next(r for r in stack.sandbox.state.records(kind) if r[parent_field] == args[parent_field])
    args["service_workload"] = {"worker": {"cpu": "100000000", "memory": "100000000", "replica": "50"}}
    before = len(stack.sandbox.received)
    text = await _refused(stack, client, tool, args, "insufficient_resources")
    assert (
        f"the requested resources do not fit ({tool.removesuffix('create_service')}check_service_create_resources: "
        in text
    )
    checks = [r.path for r in stack.sandbox.received[before:] if r.path.endswith("/validate-resources")]
    host = kind.replace("_", "-")
    assert checks == [f"/{host}/v1/{host}-services/clusters/{parent['cluster_id']}/validate-resources"]


async def test_a_quick_query_create_without_node_counts_says_the_resource_check_was_skipped(
    stack: Stack, client: Client, listed: dict[str, types.Tool]
) -> None:
    args = await _create_args(stack, listed, "quickquery_create")
    args["node_pool_create_requests"] = [
        {k: v for k, v in pool.items() if k != "desired_node_count"} for pool in args["node_pool_create_requests"]
    ]
    args["quick_query_create_request"] = {**args["quick_query_create_request"], "quick_query_name": "fresh-trino"}
    with anyio.fail_after(10):
        result = await client.call_tool("quickquery_create", args)
    assert not result.is_error, _text(result)
    note = _text(result).split("). ")[0]
    assert "quickquery_check_cluster_resources skipped: the request gives no node_pool_validation_request" in note
    assert "[0].desired_node_count" in note
    assert note.endswith("SCP checks again on create")


async def test_an_update_that_does_not_fit_the_cluster_is_stopped_by_the_resource_check(
    stack: Stack, client: Client
) -> None:
    service = _record(stack, "data_ops_service", "etl-airflow-svc")
    workload = {"worker": {"cpu": "100000000", "memory": "100000000", "replica": "50"}}
    args = {"data_ops_service_id": service["data_ops_service_id"], "service_workload": workload}
    text = await _refused(stack, client, "dataops_update_service", args, "insufficient_resources")
    assert "the requested resources do not fit (dataops_check_service_update_resources: " in text
    assert "err_code INSUFFICIENT_CPU" in text


async def test_an_update_that_fits_notes_the_resource_check(stack: Stack, client: Client) -> None:
    service = _record(stack, "data_ops_service", "etl-airflow-svc")
    workload = {"worker": {"cpu": "100", "memory": "128", "replica": "1"}}
    args = {"data_ops_service_id": service["data_ops_service_id"], "service_workload": workload}
    with anyio.fail_after(10):
        result = await client.call_tool("dataops_update_service", args)
    assert not result.is_error, _text(result)
    assert _text(result).startswith("Dry run passed (dataops_check_service_update_resources: the resources fit). ")


# -- 7. the same in the elicitation mode and through call_operation --------------------------------------


@pytest.fixture(scope="module")
def elicit_only() -> Stack:
    return make_stack(ServerSettings(confirmation="elicit"))


def _recording(asked: list[str]) -> Any:
    async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        assert isinstance(params, types.ElicitRequestFormParams)
        asked.append(params.message)
        return types.ElicitResult(action="decline")

    return on_elicit


async def test_with_elicitation_a_forbidden_change_asks_nothing(elicit_only: Stack, mode: str) -> None:
    elicit_only.sandbox.reset()
    cluster = _cluster(elicit_only, "legacy-kafka")
    asked: list[str] = []
    before = len(elicit_only.sandbox.received)
    with anyio.fail_after(10):
        async with Client(elicit_only.server, mode=mode, elicitation_callback=_recording(asked)) as client:
            result = await client.call_tool("eventstreams_restart_cluster", {"cluster_id": cluster["id"]})
    assert asked == []
    assert result.is_error
    assert _text(result).endswith(
        "The cluster 'legacy-kafka' is STOPPED; start it first with eventstreams_start_cluster, then retry."
    )
    assert _changes(elicit_only, before) == []


async def test_the_dialog_shows_current_to_target_and_the_group_by_cluster(elicit_only: Stack, mode: str) -> None:
    elicit_only.sandbox.reset()
    group = _cluster(elicit_only, "orders-kafka")["instance_groups"][0]
    asked: list[str] = []
    with anyio.fail_after(10):
        async with Client(elicit_only.server, mode=mode, elicitation_callback=_recording(asked)) as client:
            await client.call_tool(
                "eventstreams_set_server_type", {"instance_group_id": group["id"], "server_type_name": "db1v8m16"}
            )
            same = {"instance_group_id": group["id"], "server_type_name": "db1v4m8"}
            unchanged = await client.call_tool("eventstreams_set_server_type", same)
    assert len(asked) == 1
    assert "instance group 'broker of cluster orders-kafka (3 × db1v4m8)'" in asked[0]
    assert "server_type_name 'db1v4m8' → 'db1v8m16'" in asked[0]
    assert unchanged.is_error
    assert unchanged.structured_content is not None
    assert unchanged.structured_content["error"] == "no_change"


async def test_the_dialog_lists_the_backups_to_remove_by_date(elicit_only: Stack, mode: str) -> None:
    elicit_only.sandbox.reset()
    cluster = _cluster(elicit_only, "search-products")
    history = cluster["_backup_histories"][0]
    args = {"cluster_id": cluster["id"], "backup_history_number": [history["backup_history_number"]]}
    asked: list[str] = []
    with anyio.fail_after(10):
        async with Client(elicit_only.server, mode=mode, elicitation_callback=_recording(asked)) as client:
            await client.call_tool("searchengine_remove_backup_histories", args)
    assert len(asked) == 1
    assert f"removes 1: {history['backup_history_number']} (backup_start_at {history['backup_start_at']}" in asked[0]


@pytest.fixture(scope="module")
def discover_stack() -> Stack:
    return make_stack(ServerSettings(profile="discover"))


@pytest.fixture
async def discover(discover_stack: Stack, mode: str) -> AsyncIterator[Client]:
    discover_stack.sandbox.reset()
    async with Client(discover_stack.server, mode=mode) as client:
        yield client


async def test_call_operation_refuses_a_forbidden_change_and_a_duplicate_name(
    discover: Client, discover_stack: Stack, listed: dict[str, types.Tool]
) -> None:
    cluster = _cluster(discover_stack, "legacy-kafka")
    before = len(discover_stack.sandbox.received)
    with anyio.fail_after(10):
        restart = await discover.call_tool(
            "call_operation", {"tool": "eventstreams_restart_cluster", "arguments": {"cluster_id": cluster["id"]}}
        )
        args = await _create_args(discover_stack, listed, "dataops_create_data_ops", data_ops_name="etl-airflow")
        create = await discover.call_tool("call_operation", {"tool": "dataops_create_data_ops", "arguments": args})
    assert restart.is_error
    assert restart.structured_content is not None
    assert restart.structured_content["error"] == "invalid_state"
    assert "start it first with eventstreams_start_cluster" in _text(restart)
    assert create.is_error, _text(create)
    assert "data_ops_name 'etl-airflow' is already in use" in _text(create)
    assert _changes(discover_stack, before) == []
