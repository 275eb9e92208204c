"""Shape a stored record into the documented response model: keep its fields, fill missing required."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scp_mcp.sandbox.examples import REF_PREFIX, sample_value

Schemas = Mapping[str, Mapping[str, Any]]


def shape(value: Any, model_name: str, schemas: Schemas) -> Any:
    return _project(value, {"$ref": REF_PREFIX + model_name}, schemas)


def _project(value: Any, schema: Mapping[str, Any], schemas: Schemas) -> Any:
    schema = _resolve(schema, value, schemas)
    if value is None:
        return None
    if schema.get("type") == "array" and isinstance(value, list):
        return [_project(v, schema.get("items", {}), schemas) for v in value]
    props = schema.get("properties")
    if props is None or not isinstance(value, Mapping):
        return value
    result: dict[str, Any] = {}
    for name, prop in props.items():
        if name in value:
            result[name] = _project(value[name], prop, schemas)
        elif name in schema.get("required", ()):
            result[name] = sample_value(prop, schemas)
    return result


def _resolve(schema: Mapping[str, Any], value: Any, schemas: Schemas) -> Mapping[str, Any]:
    while True:
        if "$ref" in schema:
            schema = schemas[str(schema["$ref"]).removeprefix(REF_PREFIX)]
        elif "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            if value is None or not options:
                return {}
            schema = options[0]
        elif "allOf" in schema:
            schema = schema["allOf"][0]
        else:
            return schema
