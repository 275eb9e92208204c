"""Arguments generated from a tool's own inputSchema: required fields, enums, lengths, patterns, bounds.

Values the schema cannot know (ids of things that exist) come from ``hints``, keyed by property name
at any depth; everything else is derived from the schema alone. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from re import _constants as sre_constants
from re import _parser as sre_parse
from typing import Any

SKIP_TOP = frozenset({"confirm", "wait_seconds", "api_version"})


def arguments(schema: Mapping[str, Any], hints: Mapping[str, Any]) -> dict[str, Any]:
    """Required top-level arguments, plus optional ones a hint names."""
    props: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    out: dict[str, Any] = {}
    for name, sub in props.items():
        if name in SKIP_TOP:
            continue
        if name in hints:
            out[name] = hints[name]
        elif name in required:
            out[name] = value(sub, hints, name)
    return out


def value(schema: Mapping[str, Any], hints: Mapping[str, Any], name: str = "") -> Any:
    if "anyOf" in schema:
        arms = [a for a in schema["anyOf"] if a.get("type") != "null"]
        return value({**arms[0], **{k: v for k, v in schema.items() if k != "anyOf"}}, hints, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object(schema, hints)
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [value(schema.get("items", {}), hints, name) for _ in range(count)]
    if kind == "integer":
        low = int(schema["minimum"]) if "minimum" in schema else int(schema.get("exclusiveMinimum", 0)) + 1
        step = int(schema.get("multipleOf", 1))
        return -(-low // step) * step
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    return _string(schema.get("pattern"), schema.get("minLength", 0), schema.get("maxLength"))


def _object(schema: Mapping[str, Any], hints: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sub in schema.get("properties", {}).items():
        if name in hints:
            out[name] = hints[name]
        elif name in schema.get("required", []):
            out[name] = value(sub, hints, name)
    return out


@cache
def _string(pattern: str | None, min_length: int, max_length: int | None) -> str:
    high = max_length if max_length is not None else max(min_length, 24)
    if pattern is None:
        return ("sample" * 4)[: max(min_length, min(6, high))]
    compiled = re.compile(pattern)
    for reps in range(high + 1):
        text = _render(sre_parse.parse(pattern), reps)
        if min_length <= len(text) <= high and compiled.fullmatch(text):
            return text
    raise ValueError(f"cannot generate a string for {pattern!r} with length {min_length}..{high}")


def _render(parsed: Any, reps: int) -> str:
    """The first string a parsed regex describes, open-ended repeats taken ``reps`` times."""
    out = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.IN:
            out.append(_first_in(arg))
        elif op is sre_constants.CATEGORY:
            out.append("0" if arg is sre_constants.CATEGORY_DIGIT else "a")
        elif op is sre_constants.ANY:
            out.append("a")
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = arg
            count = max(low, min(reps, high))
            out.append(_render(sub, reps) * count)
        elif op is sre_constants.SUBPATTERN:
            out.append(_render(arg[-1], reps))
        elif op is sre_constants.BRANCH:
            out.append(_render(arg[1][0], reps))
    return "".join(out)


def _first_in(items: Any) -> str:
    for op, arg in items:
        if op is sre_constants.LITERAL:
            return chr(arg)
        if op is sre_constants.RANGE:
            return chr(arg[0])
        if op is sre_constants.CATEGORY:
            return "0" if arg is sre_constants.CATEGORY_DIGIT else "a"
    return "a"
