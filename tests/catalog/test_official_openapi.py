"""The compiled catalog agrees with Samsung's own OpenAPI documents for Event Streams, Search Engine and Vertica.

Samsung publishes OpenAPI files for three of the six services (reference/official-openapi/,
API version 1.0). They are an independent check on what scp_mcp/catalog/compile.py makes of the API
reference: the same operations (method and path), the same request body and success response models,
and in those models, recursively, the same field names, required flags, types, nullability, formats,
enums and bounds; and the same path and query parameters.

Models are paired by position (an operation's request body with its request body, a field's model
with the same field's model), so a model the two documents name differently is still compared by
structure; its name is compared too. "any of [X, null]" (the catalog) and "nullable: true" (the
official files, written OpenAPI 3.0-style) both count as nullable.

Where the two disagree the reference is what the project implements (reference/README.md). Where the
reference was wrong or silent and the official file right, scp_mcp/catalog/corrections.toml fixes it
(size_gb multipleOf 8, backup_size_gb a number, AKHQ lengths, port range, the sort pattern); every
remaining disagreement is listed below with the reason it stays. The tests fail on any
difference not listed, and on any listed difference that no longer occurs, so the lists stay true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from scp_mcp.catalog import load_spec

OFFICIAL_DIR = Path(__file__).resolve().parents[2] / "reference" / "official-openapi"
OFFICIAL_VERSION = "1.0"
SERVICES = ("eventstreams", "searchengine", "vertica")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Compared besides type and nullability. Descriptions, titles, examples and defaults are not.
CONSTRAINTS = ("format", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum", "multipleOf")

# A difference: (service, where, what, aspect) -> (catalog value, official value).
#   operations: (service, "METHOD /path") -> (in catalog, in official file)
#   bodies:     (service, "METHOD /path", "request" | "response", "model" | "status" | shape aspect)
#   fields:     (service, catalog model, field, "field" | "required" | "model" | shape aspect)
#   parameters: (service, "METHOD /path", "<in> <name>", "parameter" | "required" | shape aspect)
# Shape aspects: type, nullable, format, enum, minLength, maxLength, pattern, minimum, maximum,
# multipleOf; "items.<aspect>" inside arrays.
Key = tuple[str, str, str, str]
Differences = dict[Key, tuple[Any, Any]]

# --- explanations ---------------------------------------------------------------------------------

NULL_BESIDE_REF = (
    "The reference says any of [X, null]; the official generator drops the null beside a $ref "
    "(a 3.0-style 'nullable' cannot annotate a reference), so only the catalog accepts null."
)
RESPONSE_PORT_BOUNDS = (
    "Response field: the official file bounds the port to 1024-65535 and the reference does not; a bound "
    "on what the server sends gives the client nothing to act on and could only turn a reply into a warning."
)
PAGE_MINIMUM = (
    "The official file sets minimum 0 on page/size; the reference gives no bound. Nobody asks for a "
    "negative page and the server rejects one itself, so it is not worth a correction."
)


def newer(*values: str) -> str:
    return (
        f"The reference (newer than the official 1.0 file) adds {', '.join(values)}; "
        "a superset of the official values, kept as documented."
    )


# --- known, explained differences -----------------------------------------------------------------

KNOWN_OPERATION_DIFFERENCES: dict[tuple[str, str], str] = {}

KNOWN_BODY_DIFFERENCES: dict[Key, str] = {}

_ROLE_TYPES_GROUP = newer("PRIMARY", "PRIMARY_NODE", "READ_NODE")
_ROLE_TYPES_INSTANCE = newer("READ_REPLICA")

KNOWN_FIELD_DIFFERENCES: dict[Key, str] = {
    # Event Streams
    ("eventstreams", "ClusterResponse", "role_type", "nullable"): NULL_BESIDE_REF,
    ("eventstreams", "EventStreamsClusterCreateRequest", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("eventstreams", "EventStreamsClusterDetailResponse", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("eventstreams", "EventStreamsClusterDetailResponse", "product_type", "enum"): newer("Scalable DB"),
    ("eventstreams", "EventStreamsClusterDetailResponse", "role_type", "nullable"): NULL_BESIDE_REF,
    ("eventstreams", "InstanceGroupRequest", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("eventstreams", "InstanceGroupResponse", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("eventstreams", "InstanceRequest", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("eventstreams", "InstanceResponse", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("eventstreams", "MaintenanceResponseOption", "starting_day_of_week", "nullable"): NULL_BESIDE_REF,
    # Search Engine
    ("searchengine", "ClusterResponse", "role_type", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "InstanceGroupRequest", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("searchengine", "InstanceGroupResponse", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("searchengine", "InstanceRequest", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("searchengine", "InstanceResponse", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("searchengine", "MaintenanceResponseOption", "starting_day_of_week", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineClusterCreateRequest", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineClusterDetailResponse", "license", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineClusterDetailResponse", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineClusterDetailResponse", "product_type", "enum"): newer("Scalable DB"),
    ("searchengine", "SearchEngineClusterRestoreRequest", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineInitConfigOptionRequest", "backup_option", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "backup_option", "nullable"): NULL_BESIDE_REF,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "dashboards_port", "maximum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "dashboards_port", "minimum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "database_port", "maximum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "database_port", "minimum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "kibana_port", "maximum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineInitConfigOptionResponse", "kibana_port", "minimum"): RESPONSE_PORT_BOUNDS,
    ("searchengine", "SearchEngineRestoreInstanceGroup", "role_type", "enum"): _ROLE_TYPES_GROUP,
    # Vertica
    ("vertica", "InstanceGroupRequest", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("vertica", "InstanceGroupResponse", "role_type", "enum"): _ROLE_TYPES_GROUP,
    ("vertica", "InstanceRequest", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("vertica", "InstanceResponse", "role_type", "enum"): _ROLE_TYPES_INSTANCE,
    ("vertica", "MaintenanceResponseOption", "starting_day_of_week", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaClusterCreateRequest", "license", "maxLength"): (
        "The reference allows a 5000-character license, the official file 2000; the reference is implemented."
    ),
    ("vertica", "VerticaClusterCreateRequest", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaClusterDetailResponse", "dbaas_engine", "enum"): newer("Valkey Sentinel"),
    ("vertica", "VerticaClusterDetailResponse", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaClusterDetailResponse", "product_type", "enum"): newer("Scalable DB"),
    ("vertica", "VerticaClusterDetailResponse", "role_type", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaClusterListResponse", "role_type", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaClusterRestoreRequest", "maintenance_option", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaInitConfigOptionRequest", "backup_option", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaInitConfigOptionResponse", "backup_option", "nullable"): NULL_BESIDE_REF,
    ("vertica", "VerticaInitConfigOptionResponse", "mc_port", "required"): (
        "The reference marks mc_port required (but nullable), the official file optional; the reference "
        "is implemented, and a reply without it is still returned, with a warning."
    ),
    ("vertica", "VerticaRestoreInstanceGroup", "role_type", "enum"): _ROLE_TYPES_GROUP,
}

KNOWN_PARAMETER_DIFFERENCES: dict[Key, str] = {
    **{
        (service, "GET /v1/clusters", "query service_state", "enum"): (
            "corrections.toml types the state filter with the cluster states both documents enumerate on "
            "service_state; both leave the filter itself a free string"
        )
        for service in SERVICES
    },
    **{
        (service, path, f"query {name}", "minimum"): PAGE_MINIMUM
        for service, paths in {
            "eventstreams": ("GET /v1/clusters", "GET /v1/parameters"),
            "searchengine": ("GET /v1/clusters",),
            "vertica": ("GET /v1/clusters",),
        }.items()
        for path in paths
        for name in ("page", "size")
    },
    **{
        (service, "GET /v1/engine-versions", "query product_image_type", aspect): explanation
        for service in SERVICES
        for aspect, explanation in (
            ("enum", newer("Scalable DB MariaDB Community")),
            ("nullable", NULL_BESIDE_REF),
        )
    },
}

# --- loading --------------------------------------------------------------------------------------


@cache
def official(service: str) -> dict[str, Any]:
    path = OFFICIAL_DIR / f"{service}-{OFFICIAL_VERSION}.yaml"
    if not path.is_file():
        pytest.fail(f"official OpenAPI file missing: {path} (reference/ is part of the repository)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return data


@cache
def catalog(service: str) -> dict[str, Any]:
    return load_spec(service)


def catalog_operations(service: str) -> dict[str, dict[str, Any]]:
    """The catalog's operations as documented for API version 1.0, by "METHOD /path"."""
    return {
        f"{method.upper()} {path}": op["x-scp-versions"][OFFICIAL_VERSION]
        for path, methods in catalog(service)["paths"].items()
        for method, op in methods.items()
        if OFFICIAL_VERSION in op["x-scp-versions"]
    }


def official_operations(service: str) -> dict[str, dict[str, Any]]:
    """The official file's operations of this service (tagged "<service>.v1...."), by "METHOD /path"."""
    return {
        f"{method.upper()} {path}": op
        for path, item in official(service)["paths"].items()
        for method, op in item.items()
        if method in METHODS and op.get("tags") and all(t.startswith(f"{service}.") for t in op["tags"])
    }


# --- normalising schemas --------------------------------------------------------------------------


def shape(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> dict[str, Any]:
    """A field schema reduced to what both documents can be compared on.

    {"type": ..., "nullable": bool, "model": name (object references), "items": shape (arrays),
    plus any CONSTRAINTS}. References to enum schemas are resolved; a single-branch allOf/anyOf is
    unwrapped; a null branch, "nullable: true" or a "null" in a type list all mean nullable.
    """
    schema = dict(schema)
    nullable = bool(schema.pop("nullable", False))
    out: dict[str, Any] | None = None
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema:
            branches = schema.pop(combinator)
            kept = [b for b in branches if b.get("type") != "null"]
            nullable |= len(kept) < len(branches)
            if len(kept) == 1:
                out = shape(kept[0], schemas)
            else:
                out = {"type": f"{combinator}[{', '.join(sorted(repr(shape(b, schemas)) for b in kept))}]"}
    if "$ref" in schema:
        name = schema.pop("$ref").rsplit("/", 1)[-1]
        target = schemas[name]
        out = {"type": "object", "model": name} if "properties" in target else shape(target, schemas)
    if out is None:
        kind = schema.get("type", "any")
        if isinstance(kind, list):
            nullable |= "null" in kind
            kind = "|".join(k for k in kind if k != "null")
        out = {"type": kind}
        if kind == "array":
            out["items"] = shape(schema.get("items", {}), schemas)
    out = {**out, "nullable": out.get("nullable", False) or nullable}
    out.update({k: schema[k] for k in CONSTRAINTS if k in schema})
    if "enum" in out:
        out["enum"] = tuple(sorted(out["enum"], key=str))
    return out


def shape_differences(
    cat: Mapping[str, Any], off: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Any, Any]]:
    """(aspect, catalog value, official value) for each aspect the two shapes disagree on."""
    for aspect in sorted((set(cat) | set(off)) - {"model", "items"}):
        default = False if aspect == "nullable" else None
        if cat.get(aspect, default) != off.get(aspect, default):
            yield prefix + aspect, cat.get(aspect, default), off.get(aspect, default)
    if "items" in cat or "items" in off:
        yield from shape_differences(cat.get("items", {}), off.get("items", {}), f"{prefix}items.")


def model_of(s: Mapping[str, Any] | None) -> str | None:
    """The model a shape refers to, directly or as the items of (nested) arrays."""
    while s:
        if "model" in s:
            return str(s["model"])
        s = s.get("items")
    return None


def body_schema(op: Mapping[str, Any], kind: str) -> tuple[int | None, Mapping[str, Any] | None]:
    """(status, JSON schema) of the request body, or of the first 2xx response."""
    if kind == "request":
        return None, op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    status = min((int(code) for code in op.get("responses", {}) if str(code).startswith("2")), default=None)
    if status is None:
        return None, None
    response = op["responses"].get(str(status)) or op["responses"].get(status)
    return status, response.get("content", {}).get("application/json", {}).get("schema")


# --- the comparison, once per service -------------------------------------------------------------


@cache
def compare(service: str) -> dict[str, Any]:
    """All differences of one service, by kind, and which official model each catalog model met."""
    cat_schemas = catalog(service)["components"]["schemas"]
    off_schemas = official(service)["components"]["schemas"]
    cat_ops, off_ops = catalog_operations(service), official_operations(service)
    operations: dict[tuple[str, str], tuple[Any, Any]] = {
        (service, key): (key in cat_ops, key in off_ops) for key in set(cat_ops) ^ set(off_ops)
    }
    bodies: Differences = {}
    parameters: Differences = {}
    fields: Differences = {}
    pairs: list[tuple[str, str]] = []

    for key in sorted(set(cat_ops) & set(off_ops)):
        cat_op, off_op = cat_ops[key], off_ops[key]
        for kind in ("request", "response"):
            (cat_status, cat_schema), (off_status, off_schema) = body_schema(cat_op, kind), body_schema(off_op, kind)
            if cat_status != off_status:
                bodies[service, key, kind, "status"] = (cat_status, off_status)
            cat_shape = shape(cat_schema, cat_schemas) if cat_schema else None
            off_shape = shape(off_schema, off_schemas) if off_schema else None
            cat_model, off_model = model_of(cat_shape), model_of(off_shape)
            if cat_model != off_model:
                bodies[service, key, kind, "model"] = (cat_model, off_model)
            if cat_shape and off_shape:
                for aspect, c, o in shape_differences(cat_shape, off_shape):
                    bodies[service, key, kind, aspect] = (c, o)
            if cat_model and off_model:
                pairs.append((cat_model, off_model))

        cat_params = {f"{p['in']} {p['name']}": p for p in cat_op.get("parameters", []) if p["in"] != "header"}
        off_params = {f"{p['in']} {p['name']}": p for p in off_op.get("parameters", []) if p["in"] != "header"}
        for name in sorted(set(cat_params) | set(off_params)):
            if name not in cat_params or name not in off_params:
                parameters[service, key, name, "parameter"] = (name in cat_params, name in off_params)
                continue
            cat_p, off_p = cat_params[name], off_params[name]
            if bool(cat_p.get("required")) != bool(off_p.get("required")):
                parameters[service, key, name, "required"] = (bool(cat_p.get("required")), bool(off_p.get("required")))
            cat_shape, off_shape = shape(cat_p["schema"], cat_schemas), shape(off_p["schema"], off_schemas)
            for aspect, c, o in shape_differences(cat_shape, off_shape):
                parameters[service, key, name, aspect] = (c, o)

    partners: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    while pairs:
        pair = pairs.pop()
        if pair in seen:
            continue
        seen.add(pair)
        cat_name, off_name = pair
        partners.setdefault(cat_name, set()).add(off_name)
        cat_model, off_model = cat_schemas[cat_name], off_schemas[off_name]
        cat_props, off_props = cat_model.get("properties", {}), off_model.get("properties", {})
        for field in sorted(set(cat_props) | set(off_props)):
            where = (service, cat_name, field)
            if field not in cat_props or field not in off_props:
                fields[(*where, "field")] = (field in cat_props, field in off_props)
                continue
            cat_required = field in cat_model.get("required", [])
            off_required = field in off_model.get("required", [])
            if cat_required != off_required:
                fields[(*where, "required")] = (cat_required, off_required)
            cat_shape, off_shape = shape(cat_props[field], cat_schemas), shape(off_props[field], off_schemas)
            for aspect, c, o in shape_differences(cat_shape, off_shape):
                fields[(*where, aspect)] = (c, o)
            cat_ref, off_ref = model_of(cat_shape), model_of(off_shape)
            if cat_ref != off_ref:
                fields[(*where, "model")] = (cat_ref, off_ref)
            if cat_ref and off_ref:
                pairs.append((cat_ref, off_ref))

    return {
        "operations": operations,
        "bodies": bodies,
        "fields": fields,
        "parameters": parameters,
        "partners": partners,
        "compared_fields": sum(len(cat_schemas[c].get("properties", {})) for c, _ in seen),
    }


def show(value: Any) -> str:
    return repr(value) if not isinstance(value, tuple) else "[" + ", ".join(map(str, value)) + "]"


def describe(key: Any, values: tuple[Any, Any]) -> str:
    cat, off = values
    if len(key) == 2 or key[-1] in ("field", "parameter"):
        return f"{key}: only in the {'catalog' if cat else 'official file'}"
    if isinstance(cat, tuple) and isinstance(off, tuple):
        extra, missing = sorted(set(cat) - set(off), key=str), sorted(set(off) - set(cat), key=str)
        return f"{key}: catalog only {extra}, official only {missing}"
    return f"{key}: catalog {show(cat)}, official {show(off)}"


def assert_only_known(actual: Mapping[Any, tuple[Any, Any]], known: Mapping[Any, str], service: str) -> None:
    expected = {key for key in known if key[0] == service}
    new = sorted(set(actual) - expected, key=str)
    gone = sorted(expected - set(actual), key=str)
    problems = [f"NEW  {describe(key, actual[key])}" for key in new]
    problems += [f"GONE {key}: listed as a known difference but the two now agree; delete the entry" for key in gone]
    assert not problems, f"{service}: catalog vs official OpenAPI\n" + "\n".join(problems)


# --- the tests ------------------------------------------------------------------------------------

pytestmark = pytest.mark.parametrize("service", SERVICES)


def test_the_official_file_documents_this_service(service: str) -> None:
    ops = official_operations(service)
    assert ops, f"no {service} operations in {service}-{OFFICIAL_VERSION}.yaml"
    versions = {op.get("x-api-version") for op in ops.values()}
    assert versions == {OFFICIAL_VERSION}


def test_same_operations(service: str) -> None:
    assert_only_known(compare(service)["operations"], KNOWN_OPERATION_DIFFERENCES, service)


def test_same_models_for_each_operation(service: str) -> None:
    result = compare(service)
    assert_only_known(result["bodies"], KNOWN_BODY_DIFFERENCES, service)
    # Structure pairs the models; one catalog model must stand for one official model throughout.
    ambiguous = {name: sorted(others) for name, others in result["partners"].items() if len(others) > 1}
    assert not ambiguous, f"{service}: catalog models paired with several official models: {ambiguous}"


def test_fields_agree_except_known_differences(service: str) -> None:
    result = compare(service)
    assert result["compared_fields"] > 100, "the walk through the models compared too little to mean anything"
    assert_only_known(result["fields"], KNOWN_FIELD_DIFFERENCES, service)


def test_parameters_agree_except_known_differences(service: str) -> None:
    assert_only_known(compare(service)["parameters"], KNOWN_PARAMETER_DIFFERENCES, service)


def test_every_listed_difference_is_explained_once(service: str) -> None:
    lists = (
        KNOWN_OPERATION_DIFFERENCES,
        KNOWN_BODY_DIFFERENCES,
        KNOWN_FIELD_DIFFERENCES,
        KNOWN_PARAMETER_DIFFERENCES,
    )
    keys = [key for entries in lists for key in entries if key[0] == service]
    assert len(keys) == len(set(keys)), "a difference is listed twice"
    assert {key[0] for entries in lists for key in entries} <= set(SERVICES)
    for entries in lists:
        for key, why in entries.items():
            if key[0] == service:
                assert why.strip(), f"{key}: no explanation"
                assert "\n" not in why, f"{key}: the explanation must be one line"
