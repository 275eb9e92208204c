"""Generated models accept the (corrected) reference examples and reject broken bodies;
every correction is applied; risk and async classes follow the rules for all 116 operations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from scp_mcp.catalog import Operation, load_catalog, load_spec
from scp_mcp.catalog.compile import OPERATIONS_DOC
from scp_mcp.catalog.corrections import load_corrections

CATALOG = load_catalog()
HANGUL = re.compile("[가-힣]")


def examples() -> list[tuple[str, str, str, Any]]:
    out = []
    for op in CATALOG.operations:
        for v in op.versions.values():
            if v.body_model and v.request_example is not None:
                out.append((op.service, f"{op.name}@{v.version} request", v.body_model, v.request_example))
            out += [
                (op.service, f"{op.name}@{v.version} {r.status}", r.model, r.example)
                for r in v.responses
                if r.model and r.example is not None
            ]
    return out


EXAMPLES = examples()


def test_there_are_two_hundred_documented_example_bodies() -> None:
    assert len(EXAMPLES) == 202


@pytest.mark.parametrize(("service", "where", "model", "example"), EXAMPLES, ids=[f"{e[0]}:{e[1]}" for e in EXAMPLES])
def test_models_accept_the_reference_examples(service: str, where: str, model: str, example: Any) -> None:
    parsed = CATALOG.services[service].model(model).model_validate(example)
    assert set(parsed.model_dump(exclude_unset=True)) == set(example)


def create_body() -> dict[str, Any]:
    op = CATALOG.services["eventstreams"].operation("Create Cluster")
    return dict(op.current.request_example)


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"name": "ab"}, "name", "at least 3 characters"),
        ({"name": "orders-kafka"}, "name", "should match pattern"),
        ({"instance_name_prefix": "x" * 14}, "instance_name_prefix", "at most 13 characters"),
        ({"subnet_id": None}, "subnet_id", "valid string"),
        ({"akhq_enabled": "maybe"}, "akhq_enabled", "valid boolean"),
    ],
)
def test_models_reject_broken_bodies_naming_the_field(change: dict[str, Any], field: str, says: str) -> None:
    model = CATALOG.services["eventstreams"].model("EventStreamsClusterCreateRequest")
    with pytest.raises(ValidationError) as info:
        model.model_validate({**create_body(), **change})
    errors = info.value.errors()
    assert [e["loc"] for e in errors] == [(field,)]
    assert says in errors[0]["msg"]


def test_nested_enum_violation_names_the_path_and_allowed_values() -> None:
    body = create_body()
    body["instance_groups"][0]["block_storage_groups"][0] = {"role_type": "DATA", "size_gb": 8, "volume_type": "NVME"}
    model = CATALOG.services["eventstreams"].model("EventStreamsClusterCreateRequest")
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    by_loc = {e["loc"][-1]: e["msg"] for e in info.value.errors()}
    assert "greater than or equal to 16" in by_loc["size_gb"]
    assert "'SSD', 'SSD_KMS', 'HDD' or 'HDD_KMS'" in by_loc["volume_type"]


def test_required_field_missing_is_named() -> None:
    model = CATALOG.services["vertica"].model("MaintenanceRequest")
    with pytest.raises(ValidationError) as info:
        model.model_validate({"start_day_of_week": "MON", "start_minute": "00", "start_time": "0200"})
    assert [e["loc"] for e in info.value.errors()] == [("term_hour",)]


# --- corrections ---------------------------------------------------------------------------------


def all_descriptions() -> list[str]:
    out = []
    for svc in CATALOG.services.values():
        for op in svc.operations:
            for v in op.versions.values():
                out.append(v.description)
                out += [p.description for p in v.parameters]
        for schema in svc.schemas.values():
            out += [p.get("description", "") for p in schema["properties"].values()]
    return out


def test_every_correction_has_a_reason() -> None:
    corrections = load_corrections()
    entries = [e for kind in corrections.values() for e in kind]
    assert len(entries) > 40
    assert all(len(e["reason"]) > 15 for e in entries)


def test_no_korean_or_placeholder_descriptions_remain() -> None:
    overviews = [load_spec(host)["info"]["description"] for host in CATALOG.services]
    assert all(o.startswith("The application programming interface (API)") for o in overviews)
    for text in all_descriptions() + overviews:
        assert not HANGUL.search(text), text
        assert "{" not in text, text


def test_wrongly_copied_descriptions_are_corrected() -> None:
    flows = CATALOG.services["data-flow"]
    delete = flows.operation("DeleteDataFlow")
    assert delete.current.description.startswith("Delete a data flow")
    for name in ("ShowDataFlow", "DeleteDataFlow", "UpdateDataFlow"):
        (param,) = flows.operation(name).current.params_in("path")
        assert param.description == "Data flow ID"
    assert flows.operation("ListDataFlowIngressControllers").current.params_in("path")[0].description == "Cluster ID"


def test_states_documented_on_list_queries_also_type_the_responses() -> None:
    states = ["ACTIVE", "CREATING", "RUNNING", "ERROR", "TERMINATING", "DELETED", "UPDATING"]
    detail = CATALOG.services["data-flow"].schemas["DataFlowDetailResponseV1Dot1"]["properties"]["state"]
    assert detail["enum"] == states
    model = CATALOG.services["data-flow"].model("DataFlowDetailResponseV1Dot1")
    assert "RUNNING" in str(model.model_json_schema()["properties"]["state"])


def test_examples_contradicting_their_type_are_dropped_not_copied() -> None:
    result = CATALOG.services["data-flow"].schemas["ClusterResourceCheckResponse"]["properties"]["result"]
    assert result == {"type": "boolean", "description": "Cluster resource check result"}
    cpu = CATALOG.services["data-flow"].schemas["ClusterResourceCheckResponse"]["properties"]["cpu"]
    assert "default" not in cpu
    assert "examples" not in cpu


# --- classification ---------------------------------------------------------------------------

DESTRUCTIVE = {
    "dataflow_delete_data_flow", "dataflow_delete_service", "dataops_delete_data_ops", "dataops_delete_service",
    "quickquery_delete", "eventstreams_terminate_cluster", "searchengine_terminate_cluster",
    "vertica_terminate_cluster", "searchengine_remove_backup_histories", "vertica_remove_backup_histories",
    "searchengine_unset_backup", "vertica_unset_backup",
}  # fmt: skip
DISRUPTIVE = {f"{svc}_{verb}" for svc in ("eventstreams", "searchengine", "vertica")
              for verb in ("stop_cluster", "restart_cluster", "set_server_type")}  # fmt: skip


def test_destructive_and_disruptive_operations_are_exactly_these() -> None:
    assert {op.tool_name for op in CATALOG.operations if op.risk == "destructive"} == DESTRUCTIVE
    assert {op.tool_name for op in CATALOG.operations if op.risk == "disruptive"} == DISRUPTIVE


@pytest.mark.parametrize("op", CATALOG.operations, ids=lambda op: op.tool_name)
def test_risk_and_async_class_follow_the_rules(op: Operation) -> None:
    success = op.current.success
    if op.tool_name in DESTRUCTIVE | DISRUPTIVE:
        assert op.guarded
    elif op.method == "GET" or op.name.startswith("Check"):
        assert op.risk == "read"
    else:
        assert op.risk == "write"
    if success.status != 202:
        assert op.async_kind == "sync"
    elif success.model == "AsyncResponse" and op.service in ("eventstreams", "searchengine", "vertica"):
        assert op.async_kind == "request"
    else:
        assert op.async_kind == "resource"
    if op.guarded:
        assert op.resource is not None
        assert op.resource.id_param in {p.name for p in op.current.params_in("path")}


def test_operations_doc_lists_every_tool_with_its_risk() -> None:
    doc = OPERATIONS_DOC.read_text(encoding="utf-8")
    for op in CATALOG.operations:
        assert f"| `{op.tool_name}` | {op.service} | {op.name} |" in doc
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{op.tool_name}` |"))
        assert f"| {op.risk} | {op.async_kind} | {'yes' if op.idempotent else 'no'} |" in row


def test_cluster_state_filter_only_takes_documented_states() -> None:
    for host in ("eventstreams", "searchengine", "vertica"):
        op = CATALOG.services[host].operation("List Clusters")
        (state,) = (p for p in op.current.parameters if p.name == "service_state")
        response = CATALOG.services[host].schemas[
            "ClusterResponse" if host != "vertica" else "VerticaClusterListResponse"
        ]
        assert list(state.schema["anyOf"][0]["enum"]) == response["properties"]["service_state"]["enum"]
