"""What tools/list shows for all 116 operations: names, schemas strict clients accept, annotations, _meta."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from mcp import types

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.operator import OPERATOR_TOOLS
from scp_mcp.tools.schemas import echoes_name

pytestmark = pytest.mark.anyio

OPS = [pytest.param(op, id=op.tool_name) for op in load_catalog().operations]
PREFIXES = {
    "data-flow": "dataflow_",
    "data-ops": "dataops_",
    "eventstreams": "eventstreams_",
    "quick-query": "quickquery_",
    "searchengine": "searchengine_",
    "vertica": "vertica_",
}
HEADERS = {"Accept", "Content-Type", "Scp-Request-Path"}


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


async def test_one_tool_per_operation(listed: dict[str, types.Tool]) -> None:
    ops = load_catalog().operations
    assert len(ops) == 116
    assert sorted(set(listed) - set(OPERATOR_TOOLS)) == sorted(op.tool_name for op in ops)


@pytest.mark.parametrize("op", OPS)
async def test_name_is_readable_snake_case_with_service_prefix(op: Operation) -> None:
    name = op.tool_name
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", name)
    assert len(name) <= 64
    assert name.startswith(PREFIXES[op.service])


def _said(prop: dict[str, Any]) -> str:
    """A property's description: on the property, or on the value arm of a nullable ``anyOf`` (where
    Google's converter keeps it). Refused keywords and examples are appended to it, after the text."""
    arms = [arm for arm in prop.get("anyOf", []) if arm != {"type": "null"}]
    text = prop.get("description") or (arms[0].get("description") if len(arms) == 1 else None)
    return text or ""


def _says(prop: dict[str, Any], documented: str | None, name: str) -> bool:
    """The documented description is said, unless it only repeats the name ("cluster_id": "Cluster ID")."""
    text = _said(prop)
    if not documented or echoes_name(documented, name):
        return not text or text.startswith(("Example:", "Multiple of"))
    return text == documented or text.startswith((documented.rstrip(".") + ". ", documented + " "))


@pytest.mark.parametrize("op", OPS)
async def test_input_schema_is_a_plain_typed_object(listed: dict[str, types.Tool], op: Operation) -> None:
    schema = listed[op.tool_name].input_schema
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert not {"$ref", "anyOf", "oneOf", "allOf", "not", "$defs"} & set(schema)
    assert all("$ref" not in node for node in _walk(schema))
    props = schema["properties"]
    version = op.current
    for param in version.parameters:
        if param.location == "header":
            assert param.name not in props
            continue
        assert param.name in props
        assert _says(props[param.name], param.description, param.name), (param.name, _said(props[param.name]))
        if param.location == "path":
            assert param.name in schema["required"]
    assert not HEADERS & set(props)


WITH_BODY = [p for p in OPS if p.values[0].current.body_model]  # type: ignore[union-attr]
WITHOUT_BODY = [p for p in OPS if not p.values[0].current.body_model]  # type: ignore[union-attr]
TOOL_OWN_ARGS = {"api_version", "wait_seconds", "confirm", "confirm_token"}


def test_both_kinds_of_operation_are_checked() -> None:
    assert (len(WITH_BODY), len(WITHOUT_BODY)) == (45, 71)


@pytest.mark.parametrize("op", WITH_BODY)
async def test_body_fields_are_typed_arguments(listed: dict[str, types.Tool], op: Operation) -> None:
    body = op.current.body_model
    assert body is not None
    model = load_catalog().services[op.service].model(body)
    schema = listed[op.tool_name].input_schema
    for name, field in model.model_fields.items():
        arg = schema["properties"][name]
        assert _says(arg, field.description, name), (name, _said(arg))
        assert (name in schema.get("required", [])) == field.is_required()


@pytest.mark.parametrize("op", WITHOUT_BODY)
async def test_an_operation_without_a_body_takes_only_its_parameters(
    listed: dict[str, types.Tool], op: Operation
) -> None:
    params = {p.name for v in op.versions.values() for p in v.parameters if p.location in ("path", "query")}
    assert set(listed[op.tool_name].input_schema["properties"]) - TOOL_OWN_ARGS == params


@pytest.mark.parametrize("op", OPS)
async def test_extra_arguments_follow_the_operation(listed: dict[str, types.Tool], op: Operation) -> None:
    props = listed[op.tool_name].input_schema["properties"]
    if len(op.versions) > 1:
        assert props["api_version"]["enum"] == list(op.versions)
        assert props["api_version"]["default"] == op.current_version
    else:
        assert "api_version" not in props
    assert ("wait_seconds" in props) == (op.async_kind != "sync")
    assert ("confirm" in props) == op.guarded
    if op.guarded:
        assert "confirm_with" in _said(props["confirm"])


# (read_only, destructive, idempotent) by risk class. Idempotent means "safe to send again": only reads
# are, since SCP's PUTs and DELETEs check state and start work (the client never re-sends them either).
HINTS_BY_RISK = {
    "read": (True, False, True),
    "write": (False, False, False),
    "disruptive": (False, True, False),
    "destructive": (False, True, False),
}


@pytest.mark.parametrize("op", OPS)
async def test_annotations_follow_the_risk_class(listed: dict[str, types.Tool], op: Operation) -> None:
    tool = listed[op.tool_name]
    notes = tool.annotations
    assert notes is not None
    assert tool.title
    assert notes.title is None  # the tool's own title says it
    hints = (notes.read_only_hint, notes.destructive_hint, notes.idempotent_hint)
    assert hints == HINTS_BY_RISK[op.risk]
    assert notes.open_world_hint is True


@pytest.mark.parametrize(
    ("tool", "title", "hints"),
    [
        ("eventstreams_list_clusters", "Event Streams: List Clusters", (True, False, True)),
        ("quickquery_check_name", "Quick Query: Check Duplication Quick Query Name", (True, False, True)),
        ("eventstreams_set_parameter_values", "Event Streams: Set Parameter Values", (False, False, False)),
        ("vertica_stop_cluster", "Vertica(DBaaS): Stop Cluster", (False, True, False)),
        ("searchengine_terminate_cluster", "Search Engine: Terminate Cluster", (False, True, False)),
        ("dataflow_delete_data_flow", "Data Flow: Delete Data Flow", (False, True, False)),
    ],
)
async def test_annotations_of_some_tools_spelled_out(
    listed: dict[str, types.Tool], tool: str, title: str, hints: tuple[bool, bool, bool]
) -> None:
    notes = listed[tool].annotations
    assert notes is not None
    assert listed[tool].title == title
    assert notes.title is None  # the tool's own title says it
    assert (notes.read_only_hint, notes.destructive_hint, notes.idempotent_hint) == hints


async def test_meta_of_a_tool_spelled_out(listed: dict[str, types.Tool]) -> None:
    assert listed["dataflow_delete_data_flow"].meta == {
        "scp-mcp/operation": {
            "service": "data-flow",
            "operation": "DeleteDataFlow",
            "method": "DELETE",
            "path": "/v1/data-flows/{data_flow_id}",
            "risk": "destructive",
            "async": "resource",
        },
    }


@pytest.mark.parametrize("op", OPS)
async def test_meta_maps_the_tool_to_the_api(listed: dict[str, types.Tool], op: Operation) -> None:
    meta = listed[op.tool_name].meta
    assert meta is not None
    assert meta["scp-mcp/operation"] == {
        "service": op.service,
        "operation": op.name,
        "method": op.method,
        "path": op.path,
        "risk": op.risk,
        "async": op.async_kind,
    }


@pytest.mark.parametrize("op", OPS)
async def test_output_schema_types_the_response(listed: dict[str, types.Tool], op: Operation) -> None:
    """Loose on purpose: the envelope's required fields, and data as the response model's name and required
    fields; types and nested detail are left to the models the server builds results from."""
    schema = listed[op.tool_name].output_schema
    assert schema is not None
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert {"status", "backend", "tool", "operation"} <= set(schema["required"])
    assert all(node.get("type") != "null" and not isinstance(node.get("type"), list) for node in _walk(schema))
    data = schema["properties"]["data"]
    arms = data.get("anyOf", [data])
    catalog = load_catalog().services[op.service]
    models = {version.success.model for version in op.versions.values() if version.success.model}
    if not models:
        assert arms == [{"type": "object"}]
    assert {arm.get("title") for arm in arms if "title" in arm} == models
    for arm in arms:
        assert arm["type"] == "object"
        if "title" not in arm:
            continue
        model = catalog.model(arm["title"])
        required = [f.alias or name for name, f in model.model_fields.items() if f.is_required()]
        assert sorted(arm.get("required", [])) == sorted(required)
        assert set(arm) <= {"title", "type", "required"}
    assert set(schema["properties"]) == {"data"}


async def test_output_schema_of_a_list_tool_spelled_out(listed: dict[str, types.Tool]) -> None:
    assert listed["eventstreams_list_clusters"].output_schema == {
        "type": "object",
        "required": ["status", "backend", "tool", "operation"],
        "properties": {
            "data": {
                "title": "ClusterPageResponse",
                "type": "object",
                "required": ["contents", "count", "page", "size"],
            },
        },
    }


async def test_descriptions_are_short_and_specific(listed: dict[str, types.Tool]) -> None:
    for tool in listed.values():
        assert tool.description
        assert len(tool.description) < 600, tool.name


async def test_input_schemas_say_only_what_the_schema_does_not(listed: dict[str, types.Tool]) -> None:
    """A description that repeats the name, and an example that is an id, a boolean, an enum member or
    the default, are left out; descriptions and examples that tell something stay."""
    shown = listed["eventstreams_show_cluster"].input_schema["properties"]
    assert shown["cluster_id"] == {"type": "string"}  # "Cluster ID", example "2a9be312-…"
    listing = listed["eventstreams_list_clusters"].input_schema["properties"]
    assert listing["size"] == {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": 20}  # "size", e.g. 20
    assert listing["name"]["anyOf"][0]["description"] == "Cluster name"
    assert listing["sort"]["anyOf"][0]["description"] == 'Example: "created_at:desc".'
    created = listed["eventstreams_create_cluster"].input_schema["properties"]
    assert created["name"]["description"] == 'Cluster name. Example: "ordersKafka".'
    assert created["akhq_enabled"]["anyOf"][0]["description"] == "AKHQ availability"  # not "Example: false."
