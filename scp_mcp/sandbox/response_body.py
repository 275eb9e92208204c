"""The body the simulated SCP answers with: a handler's record projected onto the documented response model.

Documented properties are kept, missing required ones are filled with sample values, and anything else
(the sandbox's own `_` keys among them) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scp_mcp.sandbox.examples import REF_PREFIX, sample_value

Schemas = Mapping[str, Mapping[str, Any]]


def response_body(payload: Any, model_name: str | None, schemas: Schemas) -> Any:
    """`payload` as the documented model `model_name` shows it; without a model, minus the `_` keys."""
    if model_name is None:
        return _public(payload)
    return _project(payload, {"$ref": REF_PREFIX + model_name}, schemas)


def _public(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


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
