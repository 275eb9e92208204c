"""Repair the reference's example bodies so that they satisfy their own models.

The reference fills most example values with "" whatever the field's type (rule
`fill-placeholder-examples` in corrections.toml). Each value that contradicts its schema is
replaced by the field's documented example, its default, its first enum value, or the smallest
value of its type that meets its constraints, and every replacement is reported.
"""

from __future__ import annotations

import re
from typing import Any

from .schemas import REF_PREFIX

DATE_TIME = "2026-01-01T00:00:00Z"


def repair_examples(spec: dict[str, Any], notes: list[str]) -> None:
    schemas = spec["components"]["schemas"]
    for methods in spec["paths"].values():
        for op in methods.values():
            for version, body in op["x-scp-versions"].items():
                where = f"{spec['info']['x-scp-host-prefix']}:{op['x-scp-operation']}@{version}"
                content = body.get("requestBody", {}).get("content", {}).get("application/json", {})
                _repair_content(content, schemas, notes, f"{where} request")
                for code, response in body["responses"].items():
                    content = response.get("content", {}).get("application/json", {})
                    _repair_content(content, schemas, notes, f"{where} response {code}")


def _repair_content(content: dict[str, Any], schemas: dict[str, Any], notes: list[str], where: str) -> None:
    if "schema" in content and "example" in content:
        content["example"] = _repair(content["example"], content["schema"], schemas, notes, where)


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema or ("allOf" in schema and len(schema["allOf"]) == 1):
        ref = schema["$ref"] if "$ref" in schema else schema["allOf"][0]["$ref"]
        schema = schemas[ref[len(REF_PREFIX) :]]
    return schema


def _repair(value: Any, schema: dict[str, Any], schemas: dict[str, Any], notes: list[str], where: str) -> Any:
    hint = schema
    schema = _resolve(schema, schemas)
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    if value is None and "anyOf" in schema:
        return None
    if branches:
        schema = _resolve(branches[0], schemas)
    if schema.get("type") == "object" and "properties" in schema and isinstance(value, dict):
        props = schema["properties"]
        return {k: _repair(v, props[k], schemas, notes, f"{where}/{k}") if k in props else v for k, v in value.items()}
    if schema.get("type") == "array" and isinstance(value, list):
        return [_repair(v, schema["items"], schemas, notes, f"{where}/{i}") for i, v in enumerate(value)]
    if leaf_ok(value, schema):
        return value
    replacement = _candidate(schema, hint)
    notes.append(f"{where}: {value!r} -> {replacement!r}")
    return replacement


def _candidate(schema: dict[str, Any], hint: dict[str, Any]) -> Any:
    for source in (hint, schema):
        for candidate in [*source.get("examples", []), source.get("default")]:
            if candidate is not None and leaf_ok(candidate, schema):
                return candidate
    return smallest_value(schema)


def smallest_value(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    if schema.get("format") == "date-time":
        return DATE_TIME
    return "a" * max(int(schema.get("minLength", 1)), 1)


def leaf_ok(value: Any, schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    if kind in checks and not checks[kind](value):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if schema.get("format") == "date-time" and not re.match(r"^\d{4}-\d\d-\d\dT", value):
            return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return bool(schema.get("minimum", value) <= value <= schema.get("maximum", value))
    return True
