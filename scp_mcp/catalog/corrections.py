"""Apply corrections.toml to compiled specs.

Every entry names what it corrects and why. An entry that matches nothing is an error, so the
file can never silently drift from the reference it corrects.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORRECTIONS_FILE = Path(__file__).with_name("corrections.toml")
KINDS = ("rule", "translation", "operation", "parameter", "field", "example")


class CorrectionError(ValueError):
    """A correction entry is malformed or matches nothing."""


def load_corrections(path: Path = CORRECTIONS_FILE) -> dict[str, list[dict[str, Any]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - set(KINDS)
    if unknown:
        raise CorrectionError(f"unknown correction kinds: {sorted(unknown)}")
    for kind in KINDS:
        for entry in data.get(kind, []):
            if not str(entry.get("reason", "")).strip():
                raise CorrectionError(f"{kind} entry without a reason: {entry}")
    return {kind: data.get(kind, []) for kind in KINDS}


RULES = {
    "drop-contradicting-values": "examples/defaults that contradict their field's type are dropped",
    "fill-placeholder-examples": "example bodies are repaired to satisfy their own models",
}


def declared_rules(corrections: dict[str, list[dict[str, Any]]]) -> set[str]:
    ids = {entry["id"] for entry in corrections["rule"]}
    unknown = ids - set(RULES)
    if unknown:
        raise CorrectionError(f"unknown rules: {sorted(unknown)}; known: {sorted(RULES)}")
    return ids


def apply_corrections(specs: dict[str, dict[str, Any]], corrections: dict[str, list[dict[str, Any]]]) -> None:
    for entry in corrections["operation"]:
        _require(entry, sum(_apply_operation(op, entry) for op in _operations(specs, entry)))
    for entry in corrections["parameter"]:
        hits = sum(_apply_parameter(p, entry) for op in _operations(specs, entry) for p in _parameters(op))
        _require(entry, hits)
    for entry in corrections["field"]:
        _require(entry, _apply_field(specs, entry))
    for entry in corrections["example"]:
        hits = sum(_apply_example(v, entry) for op in _operations(specs, entry) for v in _versions(op, entry))
        _require(entry, hits)
    for entry in corrections["translation"]:
        literal = re.escape(entry.get("text", ""))
        pattern = re.compile(entry.get("pattern", literal), re.DOTALL)
        _require(entry, sum(_translate(spec, pattern, entry["english"]) for spec in specs.values()))


def _require(entry: dict[str, Any], hits: int) -> None:
    if hits == 0:
        raise CorrectionError(f"correction matches nothing: {entry}")


def _operations(specs: dict[str, dict[str, Any]], entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for service, spec in specs.items():
        if entry.get("service", "*") not in ("*", service):
            continue
        for methods in spec["paths"].values():
            for op in methods.values():
                if entry.get("operation", "*") in ("*", op["x-scp-operation"]):
                    yield op


def _versions(op: dict[str, Any], entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for version, body in op["x-scp-versions"].items():
        if entry.get("version", "*") in ("*", version):
            yield body


def _parameters(op: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from op.get("parameters", [])
    for body in op["x-scp-versions"].values():
        yield from body["parameters"]


def _apply_operation(op: dict[str, Any], entry: dict[str, Any]) -> int:
    hits = 0
    for version in _versions(op, entry):
        if re.fullmatch(entry["was"], version["description"]):
            version["description"] = entry["description"]
            hits += 1
    if re.fullmatch(entry["was"], op["description"]):
        op["description"] = entry["description"]
    return hits


def _apply_parameter(param: dict[str, Any], entry: dict[str, Any]) -> int:
    if param["name"] != entry["name"] or ("was" in entry and param["description"] != entry["was"]):
        return 0
    if "description" in entry:
        param["description"] = entry["description"]
    _merge_schema(param["schema"], entry)
    return 1


def _apply_field(specs: dict[str, dict[str, Any]], entry: dict[str, Any]) -> int:
    hits = 0
    for service, spec in specs.items():
        if entry.get("service", "*") not in ("*", service):
            continue
        names = entry["model"] if isinstance(entry["model"], list) else [entry["model"]]
        for name in names:
            model = spec["components"]["schemas"].get(name)
            prop = model["properties"].get(entry["field"]) if model else None
            if prop is None and "service" not in entry:
                continue
            if prop is None:
                raise CorrectionError(f"{service}: no field {name}.{entry['field']} for {entry}")
            if "description" in entry:
                prop["description"] = entry["description"]
            _merge_schema(prop, entry)
            hits += 1
    return hits


def _merge_schema(schema: dict[str, Any], entry: dict[str, Any]) -> None:
    target = schema
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        target = branches[0]
    for key in ("type", "enum", "minimum", "maximum", "multipleOf", "minLength", "maxLength", "pattern", "format"):
        if key in entry:
            target[key] = entry[key]
    if "examples" in entry:
        schema["examples"] = entry["examples"]


def _apply_example(version: dict[str, Any], entry: dict[str, Any]) -> int:
    if entry["kind"] == "request":
        content = version.get("requestBody", {}).get("content", {}).get("application/json", {})
    else:
        content = version["responses"].get(str(entry["status"]), {}).get("content", {}).get("application/json", {})
    if "example" not in content:
        return 0
    return _set_pointer(content["example"], entry["pointer"], entry["value"])


def _set_pointer(doc: Any, pointer: str, value: Any) -> int:
    parts = [p for p in pointer.split("/") if p]
    for part in parts[:-1]:
        doc = doc[int(part)] if isinstance(doc, list) else doc.get(part)
        if doc is None:
            return 0
    last = parts[-1]
    if isinstance(doc, list):
        doc[int(last)] = value
    elif isinstance(doc, dict) and last in doc:
        doc[last] = value
    else:
        return 0
    return 1


def _translate(node: Any, pattern: re.Pattern[str], english: str) -> int:
    """Replace every description that is wholly the Korean text (groups may be reused as \\1)."""
    hits = 0
    if isinstance(node, dict):
        for key, value in node.items():
            match = pattern.fullmatch(value) if key == "description" and isinstance(value, str) else None
            if match:
                node[key] = match.expand(english)
                hits += 1
            else:
                hits += _translate(value, pattern, english)
    elif isinstance(node, list):
        hits += sum(_translate(item, pattern, english) for item in node)
    return hits
