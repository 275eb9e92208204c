"""Per-operation facts the reference states only implicitly: tool name, risk, async kind, resource.

Each rule is data here, applied the same way to all operations; tests enumerate the outcome
for all 116 operations (docs/operations.md shows the table).
"""

from __future__ import annotations

import re
from typing import Any

TOOL_PREFIX = {
    "data-flow": "dataflow",
    "data-ops": "dataops",
    "eventstreams": "eventstreams",
    "quick-query": "quickquery",
    "searchengine": "searchengine",
    "vertica": "vertica",
}

# Reference names that read badly once snake-cased and prefixed; everything else is snake-cased.
TOOL_NAMES = {
    "CheckClusterResourceSizeForDataFlowServiceCreate": "check_service_create_resources",
    "CheckClusterResourceSizeForDataFlowServiceUpdate": "check_service_update_resources",
    "CheckDataFlowNameDuplication": "check_data_flow_name",
    "CheckDataFlowServiceNameDuplication": "check_service_name",
    "CreateDataFlowService": "create_service",
    "DeleteDataFlowService": "delete_service",
    "ListDataFlowImages": "list_images",
    "ListDataFlowIngressControllers": "list_ingress_controllers",
    "ListDataFlowService": "list_services",
    "ShowDataFlowService": "show_service",
    "ShowDataFlowServiceSubVersions": "list_service_sub_versions",
    "UpdateDataFlowService": "update_service",
    "CheckClusterResourceSizeForDataOpsServiceCreate": "check_service_create_resources",
    "CheckClusterResourceSizeForDataOpsServiceUpdate": "check_service_update_resources",
    "CheckDataOpsNameDuplication": "check_data_ops_name",
    "CheckDataOpsServiceNameDuplication": "check_service_name",
    "CreateDataOpsService": "create_service",
    "DeleteDataOpsService": "delete_service",
    "ListDataOps": "list_data_ops",
    "ListDataOpsImageVersions": "list_image_versions",
    "ListDataOpsIngressControllers": "list_ingress_controllers",
    "ListDataOpsService": "list_services",
    "ShowDataOpsService": "show_service",
    "ShowDataOpsServiceSubVersion": "list_service_sub_versions",
    "UpdateDataOpsService": "update_service",
    "CheckClusterResourceSizeForQuickQuery": "check_cluster_resources",
    "CheckDuplicationQuickQueryName": "check_name",
    "CreateQuickQuery": "create",
    "DeleteQuickQuery": "delete",
    "ListQuickQuery": "list",
    "ListQuickQueryImages": "list_images",
    "ShowQuickQuery": "show",
    "UpdateQuickQueryDescription": "update_description",
    "UpdateQuickQueryDomain": "update_domain",
    "UpdateQuickQueryDscDomain": "update_dsc_domain",
    "UpdateQuickQueryEngine": "update_engine",
    "UpdateQuickQueryHostAlias": "update_host_alias",
}

DESTRUCTIVE = re.compile(r"^(Delete|Terminate|Remove Backup Histories|Unset Backup)")
DISRUPTIVE = re.compile(r"^(Stop|Restart|Set Server Type)")
CHECK_ONLY = re.compile(r"^Check")

# The field that names each kind of resource in its show response, and how the path names its id.
RESOURCE_NAME_FIELDS = {
    "cluster": "name",
    "data_flow": "data_flow_name",
    "data_flow_service": "data_flow_service_name",
    "data_ops": "data_ops_name",
    "data_ops_service": "data_ops_service_name",
    "quick_query": "quick_query_name",
}
# Creates name their resource in the body; the kind follows from the collection path.
COLLECTION_KINDS = {
    "/v1/clusters": "cluster",
    "/v1/data-flows": "data_flow",
    "/v1/data-flow-services": "data_flow_service",
    "/v1/data-ops": "data_ops",
    "/v1/data-ops-services": "data_ops_service",
    "/v1/quick-query": "quick_query",
}


def snake(name: str) -> str:
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("-", " ").split()
    return "_".join(w.lower() for w in words)


def tool_name(service: str, operation: str) -> str:
    return f"{TOOL_PREFIX[service]}_{TOOL_NAMES.get(operation, snake(operation))}"


def risk(method: str, operation: str) -> str:
    if DESTRUCTIVE.match(operation):
        return "destructive"
    if DISRUPTIVE.match(operation):
        return "disruptive"
    if method == "GET" or (method == "POST" and CHECK_ONLY.match(operation)):
        return "read"
    return "write"


def async_kind(success_status: int, success_model: str | None, has_show_request: bool) -> str:
    if success_status != 202:
        return "sync"
    if success_model == "AsyncResponse" and has_show_request:
        return "request"
    return "resource"


def resource(method: str, path: str) -> dict[str, Any] | None:
    """The resource an operation acts on: its kind, the path parameter holding its id, its name field."""
    ids = re.findall(r"\{([a-z_]+)_id\}", path)
    if ids:
        kind = ids[-1]
        return {"kind": kind, "id_param": f"{kind}_id", "name_field": RESOURCE_NAME_FIELDS.get(kind)}
    if method == "POST" and path in COLLECTION_KINDS:
        kind = COLLECTION_KINDS[path]
        return {"kind": kind, "id_param": None, "name_field": RESOURCE_NAME_FIELDS.get(kind)}
    return None


# Safe to send twice: GETs and the operations classed as read (POST checks). SCP's PUTs and DELETEs
# are not, although HTTP calls those methods idempotent: they start asynchronous work and check state
# first (Set Parameter Values checks each old value, Remove Backup Histories the numbers, a second
# Terminate Cluster finds the cluster TERMINATING), so a repeat would fail or act twice.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def idempotent(method: str, risk_class: str) -> bool:
    return method.upper() in SAFE_METHODS or risk_class == "read"


# Data Flow and Data Ops answer 400, not 404, for an id in the path that does not exist; so does every
# service's Show Request (GET /v1/requests/{request_id}).
MISSING_ID_400_SERVICES = frozenset({"data-flow", "data-ops"})
REQUEST_STATUS_PATH = "/v1/requests/{request_id}"


def missing_id_status(service: str, path: str) -> int | None:
    """The status SCP answers when an id in the path names nothing; None when the path holds no id."""
    if "{" not in path:
        return None
    return 400 if service in MISSING_ID_400_SERVICES or path == REQUEST_STATUS_PATH else 404


# The state vocabulary of asynchronous work, the same in every service. Request states come from Show
# Request; resource states from the documented enums (service_state, state, quick_query_state). A
# resource state ending in -ING is a transition, except those listed as settled.
STATES: dict[str, list[str]] = {
    "request_done": ["COMPLETED", "COMPLETE", "SUCCEEDED", "SUCCESS", "SUCCESSFUL", "DONE", "FINISHED"],
    "failed": ["FAILED", "FAIL", "ERROR", "CANCELLED", "CANCELED", "ABORTED", "REJECTED"],
    "settled_ing": ["RUNNING"],
    "unknown": ["UNKNOWN"],
    "stopped": ["STOPPED", "TERMINATED", "DELETED", "INACTIVE"],  # settled, but not serving
}

# The change, by the verb that starts its reference name, that brings a resource to a state, by the
# state it is in ("*": any other). A state refusal names the tool to run first with it.
STATE_CHANGES: dict[str, dict[str, str]] = {
    "STOPPED": {"*": "stop"},
    "RUNNING": {"STOPPED": "start", "*": "restart"},
}

Route = tuple[str, str]  # (METHOD, path)


def related(
    method: str, path: str, res: dict[str, Any] | None, async_: str, routes: dict[Route, str]
) -> dict[str, Any]:
    """An operation's siblings, by tool name: the GET that lists its target's collection, the GET that
    shows its target (for a create, the resource it creates), and the Show Request that follows it."""
    own = routes[(method, path)]
    found = {
        "list": _list_route(path, res, routes),
        "show": _show_route(method, path, res, routes),
        "request_status": routes.get(("GET", REQUEST_STATUS_PATH)) if async_ == "request" else None,
    }
    return {kind: name if name != own else None for kind, name in found.items()}


def _list_route(path: str, res: dict[str, Any] | None, routes: dict[Route, str]) -> str | None:
    """The collection the target belongs to: the path before its id (or the path itself for a create);
    where nothing lists that, the collection before the first id."""
    if "{" not in path:
        return routes.get(("GET", path))
    marker = "{" + str(res["id_param"]) + "}" if res and res["id_param"] else None
    anchor = marker if marker and marker in path else path[path.index("{") : path.index("}") + 1]
    candidates = (path.split(anchor)[0].rstrip("/"), path[: path.index("{")].rstrip("/"))
    return next((routes[("GET", c)] for c in candidates if ("GET", c) in routes), None)


def _show_route(method: str, path: str, res: dict[str, Any] | None, routes: dict[Route, str]) -> str | None:
    if res and res["id_param"]:
        marker = "{" + res["id_param"] + "}"
        if marker in path:
            return routes.get(("GET", path[: path.index(marker) + len(marker)]))
        return None
    if method != "POST" or "{" in path:
        return None
    prefix = path.rstrip("/") + "/{"
    shows = sorted(
        p for (m, p) in routes if m == "GET" and p.startswith(prefix) and p.count("{") == 1 and p.endswith("}")
    )
    return routes[("GET", shows[0])] if shows else None


# Which states allow each change, by its reference name (a regex on the start; the first row that
# matches the service, or "*", wins). The reference documents only the state enums; the lifecycle
# they imply (a change runs from a settled state through its -ING state) is the one the sandbox
# follows (sandbox/lifecycle.py). A change outside these states is refused before anything is asked.
_CLUSTER_SETTLED = ("RUNNING", "STOPPED", "ERROR", "FAILED", "UNKNOWN")
ALLOWED_STATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("*", r"Start Cluster$", ("STOPPED",)),
    ("*", r"Stop Cluster$", ("RUNNING",)),
    ("*", r"Restart Cluster$", ("RUNNING", "ERROR")),
    ("*", r"(Terminate Cluster|Synchronize)", _CLUSTER_SETTLED),
    ("*", r"(Add |Set Server Type|Set Block Storage Size|Set Parameter Values)", ("RUNNING",)),
    ("*", r"(Set|Unset) (Maintenance|Backup)|Set Security Group Rules|Remove Backup Histories", ("RUNNING", "STOPPED")),
    ("quick-query", r"Update", ("RUNNING", "ACTIVE")),
    ("*", r"Update", ("RUNNING", "ACTIVE", "ERROR")),
    ("*", r"Delete", ("RUNNING", "ACTIVE", "ERROR", "CREATING")),
)

# Resources SCP shows only inside their owner's record (no show operation of their own): the owner's
# kind and the fields that lead from the owner's record to them.
PARTS: dict[str, dict[str, Any]] = {
    "instance_group": {"owner": "cluster", "path": ["instance_groups"]},
    "block_storage_group": {"owner": "cluster", "path": ["instance_groups", "block_storage_groups"]},
}

# A change to the value the target already has, by reference name: the body field it sets, and where
# the current value is ("target.<field>" in the target's record, "body.<field>" in the request itself;
# "[]" walks a list). Refused before confirmation when every field given already holds its value.
SAME_VALUE: dict[str, dict[str, str]] = {
    "Set Server Type": {"server_type_name": "target.server_type_name"},
    "Set Block Storage Size": {"size_gb": "target.size_gb"},
    "Set Parameter Values": {"parameters[].new_value": "body.parameters[].old_value"},
    "UpdateQuickQueryDescription": {"description": "target.description"},
    "UpdateQuickQueryDomain": {"domain": "target.domain"},
    "UpdateQuickQueryDscDomain": {"dsc_domain": "target.dsc_domain"},
    "UpdateQuickQueryEngine": {
        "cpu": "target.query_engine_spec.cpu",
        "memory": "target.query_engine_spec.memory",
        "replica": "target.query_engine_spec.replica",
        "cluster_size": "target.query_engine_spec.cluster_size",
    },
}

# The documented dry runs of a create or update, by reference name: the check operation, what its
# answer means ("name": result true is a duplicate; "resources": result false does not fit), and its
# arguments by wire name, taken from the request ("body.<field>", "path.<param>"), or from the parent the
# request names ("body.data_flow_id>ShowDataFlow.cluster_id": show the parent by that id, take its field),
# since a service's create body names its data flow but not the data flow's Kubernetes cluster. A dry run
# whose argument the request does not give is skipped, and the answer says so.
DRY_RUNS: dict[str, list[dict[str, Any]]] = {
    "CreateDataFlow": [
        {"check": "CheckDataFlowNameDuplication", "kind": "name", "path": {"data_flow_name": "body.data_flow_name"}}
    ],
    "CreateDataFlowService": [
        {
            "check": "CheckDataFlowServiceNameDuplication",
            "kind": "name",
            "path": {"data_flow_service_name": "body.data_flow_service_name"},
        },
        {
            "check": "CheckClusterResourceSizeForDataFlowServiceCreate",
            "kind": "resources",
            "path": {"cluster_id": "body.data_flow_id>ShowDataFlow.cluster_id"},
            "body": {"service_workload": "body.service_workload"},
        },
    ],
    "UpdateDataFlowService": [
        {
            "check": "CheckClusterResourceSizeForDataFlowServiceUpdate",
            "kind": "resources",
            "path": {"data_flow_service_id": "path.data_flow_service_id"},
            "body": {"service_workload": "body.service_workload"},
        }
    ],
    "CreateDataOps": [
        {"check": "CheckDataOpsNameDuplication", "kind": "name", "path": {"data_ops_name": "body.data_ops_name"}}
    ],
    "CreateDataOpsService": [
        {
            "check": "CheckDataOpsServiceNameDuplication",
            "kind": "name",
            "path": {"data_ops_service_name": "body.data_ops_service_name"},
        },
        {
            "check": "CheckClusterResourceSizeForDataOpsServiceCreate",
            "kind": "resources",
            "path": {"cluster_id": "body.data_ops_id>ShowDataOps.cluster_id"},
            "body": {"service_workload": "body.service_workload"},
        },
    ],
    "UpdateDataOpsService": [
        {
            "check": "CheckClusterResourceSizeForDataOpsServiceUpdate",
            "kind": "resources",
            "path": {"data_ops_service_id": "path.data_ops_service_id"},
            "body": {"service_workload": "body.service_workload"},
        }
    ],
    "CreateQuickQuery": [
        {
            "check": "CheckDuplicationQuickQueryName",
            "kind": "name",
            "path": {"quick_query_name": "body.quick_query_create_request.quick_query_name"},
        },
        {
            "check": "CheckClusterResourceSizeForQuickQuery",
            "kind": "resources",
            "body": {
                "node_pool_validation_request": "body.node_pool_create_requests",
                "quick_query_engine_request": "body.quick_query_create_request.query_engine_spec",
            },
        },
    ],
}

# What a removal takes away, shown in its preview: the list operation (on the same target) holding the
# records the body names, the body field naming them, the records' key field and the fields that
# describe each (a backup history by its start time and size).
REMOVES: dict[str, dict[str, Any]] = {
    "Remove Backup Histories": {
        "list": "List Backup Histories",
        "argument": "backup_history_number",
        "key": "backup_history_number",
        "describe": ["backup_start_at", "backup_size_gb"],
    },
}


def precheck(service: str, operation: str, res: dict[str, Any] | None) -> dict[str, Any]:
    """What is checked before an operation is asked for or sent: the states that allow it, where its
    target lives when it has no show of its own, the values it must change, and its dry runs."""
    rows = (states for svc, pattern, states in ALLOWED_STATES if svc in ("*", service) and re.match(pattern, operation))
    allowed = next((list(states) for states in rows), None)
    return {
        "allowed_states": allowed,
        "part_of": PARTS.get(res["kind"]) if res else None,
        "same_value": SAME_VALUE.get(operation, {}),
        "dry_runs": DRY_RUNS.get(operation, []),
        "removes": REMOVES.get(operation),
    }


# --- Capabilities: what each service's API can and cannot do (the capability matrix) -------------
# A service has a capability when one of its tools' actions (the tool name without the service
# prefix) matches the pattern; the tools that match are the ones to call. ``missing`` says what to
# do instead where a service lacks it. ``pattern`` None: no service's API has it (the API runs no
# queries, DAGs or flows, and manages no users); that is a fact of the reference, not derivable.
CAPABILITIES: tuple[dict[str, str | None], ...] = (
    {
        "key": "create",
        "label": "create",
        "pattern": r"^create(_cluster|_data_flow|_data_ops|_service)?$",
        "missing": "nothing to create through this API",
    },
    {
        "key": "versions",
        "label": "list engine versions / images",
        "pattern": r"^list_(engine_versions|images|image_versions|service_sub_versions)$",
        "missing": "the create body names the version",
    },
    {
        "key": "prerequisites",
        "label": "prerequisite look-ups",
        "pattern": r"^list_(ingress_controllers|engine_version_properties|parameter_groups)$",
        "missing": "the create body's ids (subnet, Kubernetes cluster) come from other SCP services",
    },
    {
        "key": "server_types",
        "label": "list server types",
        "pattern": r"^list_server_types$",
        "missing": "sizes are CPU/memory values in the create body, bounded by the Kubernetes cluster",
    },
    {
        "key": "name_check",
        "label": "name duplication check",
        "pattern": r"^check_(.*_)?name$",
        "missing": "list the existing resources and compare names",
    },
    {
        "key": "dry_run",
        "label": "resource dry run (validate-resources)",
        "pattern": r"^check_.*resources$",
        "missing": "check the engine version and server types before creating",
    },
    {
        "key": "backup",
        "label": "backup",
        "pattern": r"^(set_backup|unset_backup|list_backup_histories)$",
        "missing": "keep copies with the engine's own tools",
    },
    {
        "key": "restore",
        "label": "restore from a backup",
        "pattern": r"^create_restore_cluster$",
        "missing": "recreate the resource and reload its data",
    },
    {
        "key": "restart",
        "label": "restart",
        "pattern": r"^restart_",
        "missing": "diagnose it; the fix is an update of its settings or a recreate",
    },
    {
        "key": "stop_start",
        "label": "stop / start",
        "pattern": r"^(stop|start)_",
        "missing": "it runs until it is deleted",
    },
    {
        "key": "scale_out",
        "label": "add nodes (scale out)",
        "pattern": r"^add_instances$",
        "missing": "create a larger resource",
    },
    {
        "key": "resize",
        "label": "change server type",
        "pattern": r"^set_server_type$",
        "missing": "change CPU/memory/replicas where the service has it, else create one of the size needed",
    },
    {
        "key": "resources",
        "label": "change CPU/memory/replicas",
        "pattern": r"^(update_engine|update_service)$",
        "missing": "change server type or add nodes",
    },
    {
        "key": "storage",
        "label": "grow storage",
        "pattern": r"^(set_block_storage_size|add_block_storages)$",
        "missing": "create one with the storage needed",
    },
    {
        "key": "parameters",
        "label": "engine parameters",
        "pattern": r"parameter",
        "missing": "set engine settings inside the engine",
    },
    {
        "key": "maintenance",
        "label": "maintenance window",
        "pattern": r"maintenance",
        "missing": "plan change windows yourself; SCP keeps none for this service",
    },
    {
        "key": "security_rules",
        "label": "security group rules",
        "pattern": r"^set_security_group_rules$",
        "missing": "access goes through the Kubernetes cluster's ingress",
    },
    {
        "key": "users",
        "label": "database users",
        "pattern": None,
        "missing": "credentials given at create are all the API sets; manage users in the engine",
    },
    {
        "key": "workloads",
        "label": "run queries, DAGs, flows or topics",
        "pattern": None,
        "missing": (
            "the API manages platforms, not workloads: run SQL in Trino, DAGs in Airflow, flows in NiFi, "
            "topics and indexes with the engine's own clients"
        ),
    },
    {
        "key": "delete",
        "label": "terminate / delete",
        "pattern": r"^(terminate|delete)",
        "missing": "nothing to delete through this API",
    },
)
