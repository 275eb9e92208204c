"""JSON Schema shaping, in one place: what the SDK and pydantic generate, made into what tools/list carries.

Input schemas are made portable (a plain object at the top, ``$ref``s inlined, no noise titles, no
repeated arm descriptions, no keyword a provider refuses); output schemas are loose (an object, its
required fields, top-level types). Readers of schemas (does this property take a string?) live here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_DEFS_PREFIX = "#/$defs/"


def portable_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Inline every local ``$ref`` (the catalog's models are not recursive) and drop ``title`` keys
    below the top; keep ``$defs`` only if something could not be inlined."""
    defs = dict(schema.get("$defs", {}))
    out = {k: v for k, v in schema.items() if k != "$defs"}
    inlined, leftover = _inline(out, defs, ())
    result: dict[str, Any] = portable_keywords(_dedupe_arms(_strip_titles(inlined, top=True)))
    result.pop("title", None)  # "<tool>Arguments": the tool's name already says it
    if leftover:
        result["$defs"] = {k: _strip_titles(defs[k], top=False) for k in sorted(leftover)}
    result["type"] = "object"
    return result


def _inline(node: Any, defs: Mapping[str, Any], stack: tuple[str, ...]) -> tuple[Any, set[str]]:
    leftover: set[str] = set()
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
            name = ref[len(_DEFS_PREFIX) :]
            if name in stack or name not in defs:
                return dict(node), {name}
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            merged, inner = _inline({**defs[name], **siblings}, defs, (*stack, name))
            return merged, inner
        out: dict[str, Any] = {}
        for key, value in node.items():
            out[key], inner = _inline(value, defs, stack)
            leftover |= inner
        return out, leftover
    if isinstance(node, list):
        items = []
        for value in node:
            item, inner = _inline(value, defs, stack)
            items.append(item)
            leftover |= inner
        return items, leftover
    return node, leftover


# Keywords a provider refuses (Gemini's ``types.Schema`` is a closed model): said in the description
# instead. The server still enforces them: the SDK validates arguments against the tool's pydantic model,
# not against this advertised schema, and prepare.py validates the body against the body model.
_SAID: Mapping[str, str] = {
    "multipleOf": "Multiple of {}.",
    "exclusiveMinimum": "Greater than {}.",
    "exclusiveMaximum": "Less than {}.",
}
_NULL = {"type": "null"}


def portable_keywords(node: Any, name: str | None = None) -> Any:
    """One schema node (and those under it) as every provider takes it: refused keywords and examples
    written into the description (not a description that only repeats the property's ``name``, nor an
    example the schema already says); no ``additionalProperties`` (an open object with properties is the
    JSON Schema default, and strict converters close objects themselves; Google's MCP converter crashes
    on a boolean there); no ``default: null`` (an optional argument left out is null); the description
    of a nullable ``anyOf [X, null]`` on the X arm, where Google's converter keeps it."""
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs") and isinstance(value, Mapping):
            out[key] = {prop: portable_keywords(sub, prop) for prop, sub in value.items()}
        elif key in ("anyOf", "oneOf", "allOf") and isinstance(value, list):
            out[key] = [portable_keywords(sub, name) for sub in value]
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = portable_keywords(value)
        else:
            out[key] = value
    notes = [_SAID[key].format(_compact(out.pop(key))) for key in list(out) if key in _SAID]
    example = _example_note(out.pop("examples", None), node)
    if example:
        notes.append(example)
    if out.get("additionalProperties") is False or (out.get("additionalProperties") is True and "properties" in out):
        out.pop("additionalProperties")
    if "default" in out and out["default"] is None:
        out.pop("default")
    description = out.pop("description", None)
    if name and isinstance(description, str) and echoes_name(description, name):
        description = None
    text = _sentences(description, *notes)
    arms = out.get("anyOf")
    if text and isinstance(arms, list) and len(arms) == 2 and _NULL in arms:
        value_arm = next(a for a in arms if a != _NULL)
        if isinstance(value_arm, Mapping):
            both = _sentences(text, value_arm.get("description"))
            out["anyOf"] = [{**value_arm, "description": both} if a is value_arm else a for a in arms]
            return out
    if text:
        out = {"description": text, **out}
    return out


def _sentences(*parts: str | None) -> str:
    texts = [p.strip() for p in parts if p and p.strip()]
    last = len(texts) - 1
    return " ".join(t if i == last or t[-1] in ".!?:" else f"{t}." for i, t in enumerate(texts))


_NOISE_WORDS = frozenset({"is", "the", "list"})


def echoes_name(description: str, name: str) -> bool:
    """Whether a description only repeats the property's name ("cluster_id": "Cluster ID")."""

    def words(text: str) -> list[str]:  # "tag" echoes "tags" too
        return [w.removesuffix("s") for w in re.split(r"[^a-z0-9]+", text.lower()) if w and w not in _NOISE_WORDS]

    return words(description) == words(name)


def _example_note(examples: Any, node: Mapping[str, Any]) -> str:
    """``Example: <json>.`` for the first documented example that says more than the schema does."""
    if not isinstance(examples, list):
        return ""
    for example in examples:
        if _informative(example) and not _said_by_schema(example, node):
            return f"Example: {_compact(example)}."
    return ""


# An id's example says only "an id": the model takes ids from list results, not from examples.
_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-z]{12}|[0-9a-f]{32}")


def _said_by_schema(example: Any, node: Mapping[str, Any]) -> bool:
    """An example that tells nothing the schema does not: the default, an enum member, a boolean, an
    object whose properties the schema lists, or an id."""
    if isinstance(example, bool) or ("default" in node and example == node["default"]):
        return True
    arms = [node, *(a for a in node.get("anyOf", []) if isinstance(a, Mapping))]
    for arm in arms:
        if example in arm.get("enum", ()) or (isinstance(example, Mapping) and "properties" in arm):
            return True
    return isinstance(example, str) and _ID.fullmatch(example) is not None


def _informative(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_informative(v) for v in value.values())
    if isinstance(value, list):
        return any(_informative(v) for v in value)
    return value not in ("", None)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_REPEATED = ("description", "examples", "default")


def _dedupe_arms(node: Any) -> Any:
    """Drop a description, examples or default an ``anyOf`` arm repeats from the property that holds it
    (pydantic puts a nested field's ``Field(description=...)`` on both)."""
    if isinstance(node, Mapping):
        out = {k: _dedupe_arms(v) for k, v in node.items()}
        arms = out.get("anyOf")
        if isinstance(arms, list):
            out["anyOf"] = [
                {k: v for k, v in arm.items() if not (k in _REPEATED and out.get(k) == v)}
                if isinstance(arm, Mapping)
                else arm
                for arm in arms
            ]
        return out
    if isinstance(node, list):
        return [_dedupe_arms(v) for v in node]
    return node


def _strip_titles(node: Any, *, top: bool) -> Any:
    if isinstance(node, Mapping):
        cleaned = {}
        for key, value in node.items():
            if key == "title" and not top and isinstance(value, str):
                continue
            if key == "properties" and isinstance(value, Mapping):
                cleaned[key] = {name: _strip_titles(prop, top=False) for name, prop in value.items()}
            else:
                cleaned[key] = _strip_titles(value, top=False)
        return cleaned
    if isinstance(node, list):
        return [_strip_titles(v, top=False) for v in node]
    return node


def loose(schema: Mapping[str, Any]) -> dict[str, Any]:
    """An object schema without its detail: ``type: object``, its required fields and the JSON type of
    each required property that is never null (nested models become plain objects; a nullable or union
    property takes any value; an optional one is left to the model the server builds results from). No
    type arrays, no schema without a keyword: what strict linters (the MCP Inspector's ``--strict``) accept."""
    defs: Mapping[str, Any] = schema.get("$defs", {})
    out: dict[str, Any] = {"type": "object"}
    required = list(schema.get("required", []))
    if required:
        out["required"] = required
    given = schema.get("properties", {})
    props = {name: kind for name in required if name in given and (kind := _json_type(given[name], defs))}
    if props:
        out["properties"] = props
    return out


def _json_type(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, str] | None:
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
        target = defs.get(ref[len(_DEFS_PREFIX) :])
        return _json_type(target, defs) if isinstance(target, Mapping) else None
    kind = prop.get("type")
    if isinstance(kind, str):
        return {"type": kind}
    return None


def accepts_string(schema: Mapping[str, Any]) -> bool:
    """Whether a property takes a string (alone, or or-null): a command-line value for it stays text."""
    if schema.get("type") == "string" or schema.get("type") == ["string", "null"]:
        return True
    arms = [a for a in schema.get("anyOf", []) if a.get("type") != "null"]
    return len(arms) == 1 and accepts_string(arms[0])
