"""Spot checks of operations and models against the reference text, constraints and enums included."""

from __future__ import annotations

from typing import Any

import pytest

from scp_mcp.catalog import load_catalog

CATALOG = load_catalog()
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
VOLUME_TYPES = ["SSD", "SSD_KMS", "HDD", "HDD_KMS"]
ROLE_TYPES = ["OS", "DATA", "ARCHIVE", "TEMP", "BACKUP"]

# service, operation, version, method, path, body model, success status, success model, path+query params
OPERATIONS = [
    ("data-flow", "CheckClusterResourceSizeForDataFlowServiceCreate", "1.0", "POST",
     "/v1/data-flow-services/clusters/{cluster_id}/validate-resources", "DataFlowServiceValidateResourceRequest",
     200, "ClusterResourceCheckResponse", ["cluster_id"]),
    ("data-flow", "CreateDataFlow", "1.1", "POST", "/v1/data-flows", "DataFlowBodyCreate", 202, None, []),
    ("data-flow", "DeleteDataFlow", "1.1", "DELETE", "/v1/data-flows/{data_flow_id}", None, 202, None,
     ["data_flow_id"]),
    ("data-flow", "ShowDataFlow", "1.1", "GET", "/v1/data-flows/{data_flow_id}", None, 200,
     "DataFlowDetailResponseV1Dot1", ["data_flow_id"]),
    ("data-flow", "ShowDataFlow", "1.0", "GET", "/v1/data-flows/{data_flow_id}", None, 200,
     "DataFlowDetailResponse", ["data_flow_id"]),
    ("data-flow", "UpdateDataFlow", "1.1", "PUT", "/v1/data-flows/{data_flow_id}", "DataFlowBodyUpdate", 202,
     "DataFlowUpdateResponse", ["data_flow_id"]),
    ("data-flow", "ListDataFlowIngressControllers", "1.1", "GET",
     "/v1/data-flows/clusters/{cluster_id}/ingress-controllers", None, 200, None, ["cluster_id"]),
    ("data-ops", "DeleteDataOpsService", "1.1", "DELETE", "/v1/data-ops-services/{data_ops_service_id}", None, 202,
     None, ["data_ops_service_id"]),
    ("data-ops", "ListDataOpsImageVersions", "1.0", "GET", "/v1/data-ops/image-versions", None, 200,
     "ImageVersionsResponse", []),
    ("eventstreams", "Add Instances", "1.0", "POST", "/v1/clusters/{cluster_id}/add-instances",
     "EventStreamsClusterAddInstancesRequest", 202, "AsyncResponse", ["cluster_id"]),
    ("eventstreams", "Create Cluster", "1.0", "POST", "/v1/clusters", "EventStreamsClusterCreateRequest", 202,
     "AsyncResponse", []),
    ("eventstreams", "List Clusters", "1.0", "GET", "/v1/clusters", None, 200, "ClusterPageResponse",
     ["size", "page", "sort", "name", "service_state"]),
    ("eventstreams", "Terminate Cluster", "1.0", "DELETE", "/v1/clusters/{cluster_id}", None, 202, "AsyncResponse",
     ["cluster_id"]),
    ("eventstreams", "Show Request", "1.0", "GET", "/v1/requests/{request_id}", None, 200, "RequestStateResponse",
     ["request_id"]),
    ("quick-query", "ListQuickQueryImages", "1.1", "GET", "/v1/quick-query/image-versions", None, 200,
     "ImageVersionsResponse", []),
    ("quick-query", "UpdateQuickQueryDescription", "1.1", "PUT", "/v1/quick-query/{quick_query_id}/description",
     "QuickQueryDescriptionRequest", 202, "QuickQueryDescriptionResponse", ["quick_query_id"]),
    ("searchengine", "Add Block Storages", "1.0", "POST",
     "/v1/instance-groups/{instance_group_id}/block-storage-groups",
     "AddBlockStoragesRequest", 202, "AsyncResponse", ["instance_group_id"]),
    ("searchengine", "List Backup Histories", "1.0", "GET", "/v1/clusters/{cluster_id}/backup-histories", None, 200,
     "BackupHistoryListApiResponse", ["cluster_id", "limit", "page"]),
    ("searchengine", "Remove Backup Histories", "1.0", "PUT", "/v1/clusters/{cluster_id}/backup-histories",
     "BackupHistoryNumberRequest", 202, "AsyncResponse", ["cluster_id"]),
    ("vertica", "Set Block Storage Size", "1.0", "POST", "/v1/block-storage-groups/{block_storage_group_id}/resize",
     "ResizeBlockStorageGroupRequest", 202, "AsyncResponse", ["block_storage_group_id"]),
    ("vertica", "Unset Backup", "1.0", "DELETE", "/v1/clusters/{cluster_id}/backups", None, 202, "AsyncResponse",
     ["cluster_id"]),
    ("vertica", "List Engine Versions", "1.0", "GET", "/v1/engine-versions", None, 200, "EngineListResponse",
     ["id", "product_image_type", "eos_included"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("service", "name", "version", "method", "path", "body", "status", "model", "params"),
    OPERATIONS,
    ids=[f"{o[0]}:{o[1]}@{o[2]}" for o in OPERATIONS],
)
def test_operation_matches_the_reference(
    service: str, name: str, version: str, method: str, path: str, body: str | None, status: int,
    model: str | None, params: list[str],
) -> None:  # fmt: skip
    op = CATALOG.services[service].operation(name)
    v = op.version(version)
    assert (op.method, op.path, v.body_model) == (method, path, body)
    assert (v.success.status, v.success.model) == (status, model)
    assert [p.name for p in v.parameters if p.location != "header"] == params


def test_list_clusters_query_parameters_keep_type_and_default() -> None:
    params = {p.name: p for p in CATALOG.services["eventstreams"].operation("List Clusters").current.parameters}
    assert params["size"].schema["default"] == 20
    assert [b["type"] for b in params["size"].schema["anyOf"]] == ["integer", "null"]
    assert params["sort"].schema["default"] == "name:asc"
    assert not params["name"].required


def field(service: str, model: str, name: str) -> dict[str, Any]:
    schema = CATALOG.services[service].schemas[model]
    prop = dict(schema["properties"][name])
    prop["required"] = name in schema.get("required", [])
    return prop


def value(prop: dict[str, Any]) -> dict[str, Any]:
    branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
    return dict(branches[0]) if branches else prop


# service, model, field, required, nullable, expected subset of the value schema
FIELDS = [
    ("eventstreams", "EventStreamsClusterCreateRequest", "name", True, False,
     {"type": "string", "pattern": "^[a-zA-Z]*$", "minLength": 3, "maxLength": 20}),
    ("eventstreams", "EventStreamsClusterCreateRequest", "instance_name_prefix", True, False,
     {"type": "string", "pattern": r"^[a-z][a-zA-Z0-9\-]*$", "minLength": 3, "maxLength": 13}),
    ("eventstreams", "EventStreamsClusterCreateRequest", "akhq_enabled", False, False, {"type": "boolean"}),
    ("eventstreams", "EventStreamsClusterCreateRequest", "instance_groups", True, False,
     {"type": "array", "items": {"$ref": "#/components/schemas/InstanceGroupRequest"}}),
    ("eventstreams", "EventStreamsClusterCreateRequest", "maintenance_option", False, True,
     {"$ref": "#/components/schemas/MaintenanceOption"}),
    ("eventstreams", "BlockStorageGroupRequest", "size_gb", True, False,
     {"type": "integer", "minimum": 16, "maximum": 5120}),
    ("eventstreams", "BlockStorageGroupRequest", "role_type", True, False, {"type": "string", "enum": ROLE_TYPES}),
    ("eventstreams", "BlockStorageGroupRequest", "volume_type", False, False,
     {"type": "string", "enum": VOLUME_TYPES}),
    ("eventstreams", "MaintenanceRequest", "start_day_of_week", True, False, {"type": "string", "enum": DAYS}),
    ("eventstreams", "MaintenanceRequest", "term_hour", True, False,
     {"type": "string", "pattern": r"^(0\.5|[1-5]\.5|[1-9]|1[0-9]|2[0-4])$"}),
    ("eventstreams", "MaintenanceResponseOption", "starting_day_of_week", False, True,
     {"type": "string", "enum": DAYS}),
    ("eventstreams", "ClusterPageResponse", "count", True, False, {"type": "integer"}),
    ("searchengine", "BackupSettingExcludingArchiveRequest", "retention_period_day", True, False,
     {"type": "string", "pattern": r"^([7-9]|^[1-2]\d|^3[0-5])$"}),
    ("searchengine", "BackupSettingExcludingArchiveRequest", "starting_time_hour", True, False,
     {"type": "string", "pattern": r"^(\d|1\d|2[0-3])$"}),
    ("quick-query", "QueryEngineSpec", "cpu", False, True,
     {"type": "string", "pattern": "^(0|4|6|8|10|12|14|16|18|20|22|24)$"}),
    ("quick-query", "QuickQueryCreateRequest", "domain", True, False,
     {"type": "string", "minLength": 3, "maxLength": 50}),
    ("quick-query", "AsyncResponse", "resource_id", True, False, {"type": "string"}),
    ("data-flow", "DataFlowBodyCreate", "data_flow_name", True, False,
     {"type": "string", "minLength": 3, "maxLength": 30}),
    ("data-flow", "DataFlowBodyCreate", "tags", False, False,
     {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}),
    ("data-flow", "DataFlowDetailResponse", "created_dt", True, False, {"type": "string", "format": "date-time"}),
    ("data-flow", "Tag", "tag_key", True, False,
     {"type": "string", "maxLength": 128, "pattern": r"^[a-zA-Z0-9가-힣ㄱ-ㅎㅏ-ㅣ \+\-\=\.\_:/@]*$"}),
    ("data-ops", "ClusterResourceCheckResponse", "result", True, False, {"type": "boolean"}),
    ("eventstreams", "Tag", "key", False, False, {"type": "string"}),
    ("eventstreams", "RequestStateResponse", "state", True, False, {"type": "string"}),
    ("searchengine", "ResizeBlockStorageGroupRequest", "size_gb", True, False,
     {"type": "integer", "minimum": 16, "maximum": 5120, "multipleOf": 8}),
    ("vertica", "BackupHistoryNumberRequest", "backup_history_number", True, False,
     {"type": "array", "items": {"type": "string"}}),
    ("quick-query", "QuickQueryUpdateEngineRequest", "cluster_size", False, True, {"type": "string"}),
    ("vertica", "VerticaClusterCreateRequest", "license", False, False, {"type": "string", "maxLength": 5000}),
    ("vertica", "VerticaClusterCreateRequest", "nat_enabled", False, True, {"type": "boolean"}),
    ("searchengine", "SearchEngineInitConfigOptionRequest", "database_user_password", True, False,
     {"type": "string", "minLength": 8, "maxLength": 30}),
    ("data-ops", "DataOpsCreateRequest", "data_ops_name", True, False,
     {"type": "string", "pattern": r"^[a-z][a-z0-9\-]*[a-z0-9]$", "minLength": 3, "maxLength": 30}),
    ("data-ops", "DataOpsCreateRequest", "host_alias_list", True, False,
     {"type": "array", "items": {"type": "object"}}),
    ("vertica", "InstanceGroupResizeRequest", "server_type_name", True, False, {"type": "string"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("service", "model", "name", "required", "nullable", "expected"),
    FIELDS,
    ids=[f"{f[0]}:{f[1]}.{f[2]}" for f in FIELDS],
)
def test_model_field_matches_the_reference(
    service: str, model: str, name: str, required: bool, nullable: bool, expected: dict[str, Any]
) -> None:
    prop = field(service, model, name)
    assert prop["required"] is required
    assert ({"type": "null"} in prop.get("anyOf", [])) is nullable
    actual = value(prop)
    if "allOf" in actual:
        actual = {**actual, **actual.pop("allOf")[0]}
    assert {k: actual.get(k) for k in expected} == expected


def test_same_named_models_of_different_services_stay_separate() -> None:
    dbaas_tag = set(CATALOG.services["eventstreams"].schemas["Tag"]["properties"])
    flow_tag = set(CATALOG.services["data-flow"].schemas["Tag"]["properties"])
    assert dbaas_tag == {"key", "value"}
    assert flow_tag == {"tag_key", "tag_value"}
    assert set(CATALOG.services["quick-query"].schemas["AsyncResponse"]["properties"]) == {
        "project_id", "request_id", "resource_id",
    }  # fmt: skip
    assert set(CATALOG.services["vertica"].schemas["AsyncResponse"]["properties"]) == {"request_id", "resource"}


def test_default_of_an_enum_field_is_kept() -> None:
    assert field("eventstreams", "BlockStorageGroupRequest", "volume_type")["default"] == "SSD"


def test_nullable_integer_keeps_its_default_and_example() -> None:
    port = field("searchengine", "SearchEngineInitConfigOptionRequest", "database_port")
    assert port["default"] == 9200
    assert port["examples"] == [9200]


def test_spot_checks_cover_at_least_twenty_models_and_operations() -> None:
    assert len({(f[0], f[1]) for f in FIELDS}) >= 20
    assert len({(o[0], o[1]) for o in OPERATIONS}) >= 20
