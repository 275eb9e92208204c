"""Deterministic sample values and request bodies generated from the catalog's JSON schemas.

`sample_body(service, model_name)` gives a body that the generated model accepts: required fields only
(plus `optional=True` for all), enums, lengths, patterns and numeric bounds respected. `hints` maps a
property name to the value to use wherever that property appears (ids of existing resources, say).
Used by the sandbox's contract tests and usable by anyone who needs a valid body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scp_mcp.catalog import load_catalog
from scp_mcp.sandbox.topology import TOPOLOGIES, example_groups

REF_PREFIX = "#/components/schemas/"
_WORDS = ("sample", "samplex", "a1", "1", "7", "32", "4", "0", "sample-1", "s1")


def sample_body(
    service: str,
    model_name: str,
    *,
    hints: Mapping[str, Any] | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    schemas = load_catalog().services[service].schemas
    value = sample_value({"$ref": REF_PREFIX + model_name}, schemas, hints=hints, optional=optional)
    assert isinstance(value, dict)
    if "instance_groups" in value and "instance_groups" not in (hints or {}) and service in TOPOLOGIES:
        # The schema's first role (ACTIVE) is not a Kafka role: sample the groups the topology accepts.
        sampled = (value["instance_groups"] or [{}])[0]
        storage = sampled.get("block_storage_groups") or []
        groups = example_groups(service, str(sampled.get("server_type_name") or "db1v2m4"))
        value["instance_groups"] = [{**g, "block_storage_groups": storage or g["block_storage_groups"]} for g in groups]
    return value


def sample_value(
    schema: Mapping[str, Any],
    schemas: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    hints: Mapping[str, Any] | None = None,
    optional: bool = False,
) -> Any:
    """One valid value for `schema`; `schemas` resolves $ref names (components of one service)."""
    return _Sampler(schemas or {}, hints or {}, optional).value(schema)


class _Sampler:
    def __init__(self, schemas: Mapping[str, Mapping[str, Any]], hints: Mapping[str, Any], optional: bool):
        self.schemas, self.hints, self.optional = schemas, hints, optional

    def value(self, schema: Mapping[str, Any]) -> Any:
        if "$ref" in schema:
            return self.value(self.schemas[str(schema["$ref"]).removeprefix(REF_PREFIX)])
        if "anyOf" in schema or "oneOf" in schema:
            options = [s for s in schema.get("anyOf", schema.get("oneOf", ())) if s.get("type") != "null"]
            return self.value(options[0]) if options else None
        if "allOf" in schema:
            return self.value(schema["allOf"][0])
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        return self._typed(schema)

    def _typed(self, schema: Mapping[str, Any]) -> Any:
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            return [self.value(schema.get("items", {})) for _ in range(count)]
        if kind == "integer":
            return int(_number(schema))
        if kind == "number":
            return float(_number(schema))
        if kind == "boolean":
            return False
        return _string(schema)

    def _object(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        required = set(schema.get("required", ()))
        result: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            if name in self.hints:
                result[name] = self.hints[name]
            elif name in required or self.optional:
                result[name] = self.value(prop)
        return result


def _number(schema: Mapping[str, Any]) -> float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None:
        return float(low) + (1 if "exclusiveMinimum" in schema else 0)
    if high is not None:
        return min(0.0, float(high) - (1 if "exclusiveMaximum" in schema else 0))
    return 1.0


def _string(schema: Mapping[str, Any]) -> str:
    if schema.get("format") == "date-time":
        return "2026-11-27T00:00:00.000Z"
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 64))
    pattern = schema.get("pattern")
    candidates = [*_WORDS, *(str(n) for n in range(200))]
    for word in candidates:
        fitted = _fit(word, low, high)
        if pattern is None or re.search(str(pattern), fitted):
            return fitted
    raise ValueError(f"no sample string for pattern {pattern!r} with length {low}..{high}")


def _fit(word: str, low: int, high: int) -> str:
    if len(word) < low:
        word = word + word[-1] * (low - len(word))
    return word[:high]
