"""Turn the seed's field records into JSON Schema (OpenAPI 3.1 dialect)."""

from __future__ import annotations

import ast
from typing import Any

from .seed_parser import RawField

REF_PREFIX = "#/components/schemas/"


class Contradiction(ValueError):
    """A documented value (example or default) contradicts the field's documented type."""


def type_schema(expr: Any) -> dict[str, Any]:
    kind = expr[0]
    if kind == "prim":
        out: dict[str, Any] = {"type": expr[1]}
        if expr[2]:
            out["format"] = expr[2]
        return out
    if kind == "array":
        return {"type": "array", "items": type_schema(expr[1])}
    if kind == "anyOf":
        return {"anyOf": [type_schema(item) for item in expr[1]]}
    if kind == "enum":
        return {"type": "string", "enum": list(expr[1])}
    if kind == "ref":
        return {"$ref": REF_PREFIX + expr[1]}
    raise ValueError(f"unknown schema expression {expr!r}")


def value_branch(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of a nullable schema (the schema itself otherwise)."""
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else schema


def coerce(text: str, schema: dict[str, Any]) -> Any:
    """Read a documented example/default cell as a value of the field's type, or raise Contradiction."""
    target = value_branch(schema)
    kind = target.get("type")
    if "$ref" in target or "anyOf" in target:
        return _literal(text, (dict, list))
    if kind == "string":
        if "enum" in target and text not in target["enum"]:
            raise Contradiction(f"{text!r} is not one of the enum values")
        return text
    if kind == "boolean":
        if text in ("True", "true"):
            return True
        if text in ("False", "false"):
            return False
        raise Contradiction(f"{text!r} is not a boolean")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise Contradiction(f"{text!r} is not an integer") from None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise Contradiction(f"{text!r} is not a number") from None
    if kind == "object":
        return _literal(text, (dict,))
    if kind == "array":
        return _literal(text, (list,))
    raise Contradiction(f"{text!r} cannot be read as {kind}")


def _literal(text: str, types: tuple[type, ...]) -> Any:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise Contradiction(f"{text!r} is not a literal of {types}") from None
    if not isinstance(value, types):
        raise Contradiction(f"{text!r} is not a {types}")
    return value


CONSTRAINT_KEYS = {
    "Minimum length": ("minLength", int),
    "Maximum length": ("maxLength", int),
    "Minimum": ("minimum", int),
    "Maximum": ("maximum", int),
    "Pattern": ("pattern", str),
}


def field_schema(field: RawField, dropped: list[str], where: str) -> dict[str, Any]:
    """JSON Schema of one documented field; contradicting examples/defaults are dropped and noted."""
    schema = type_schema(field.type_expr)
    target = value_branch(schema)
    for label, text in field.constraints.items():
        key, cast = CONSTRAINT_KEYS[label]
        target[key] = cast(text)
    if field.description:
        schema["description"] = field.description
    if field.default is not None:
        try:
            schema["default"] = coerce(field.default, schema)
        except Contradiction as exc:
            dropped.append(f"{where}.{field.name} default: {exc}")
    if field.example:
        try:
            schema["examples"] = [coerce(field.example, schema)]
        except Contradiction as exc:
            dropped.append(f"{where}.{field.name} example: {exc}")
    elif field.example == "" and target.get("type") not in ("string", None):
        dropped.append(f"{where}.{field.name} example: '' is not a {target.get('type')}")
    if "$ref" in schema and len(schema) > 1:
        schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
    return schema


def model_schema(fields: list[RawField], dropped: list[str], where: str) -> dict[str, Any]:
    props = {f.name: field_schema(f, dropped, where) for f in fields}
    out: dict[str, Any] = {"type": "object", "properties": props}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    return out
