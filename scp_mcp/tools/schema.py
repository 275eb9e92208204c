"""Make generated input schemas portable: a plain object at the top, ``$ref``s inlined, no noise titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_DEFS_PREFIX = "#/$defs/"


def portable_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Inline every local ``$ref`` (the catalog's models are not recursive) and drop ``title`` keys
    below the top; keep ``$defs`` only if something could not be inlined."""
    defs = dict(schema.get("$defs", {}))
    out = {k: v for k, v in schema.items() if k != "$defs"}
    inlined, leftover = _inline(out, defs, ())
    result: dict[str, Any] = _dedupe_arms(_strip_titles(inlined, top=True))
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


_REPEATED = ("description", "examples")


def _dedupe_arms(node: Any) -> Any:
    """Drop a description or examples an ``anyOf`` arm repeats from the property that holds it
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
