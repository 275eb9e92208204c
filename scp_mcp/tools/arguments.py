"""Tool arguments from the catalog: path and query parameters plus the body model's fields, flattened.

Each argument keeps the documented description, required flag, enum, lengths, pattern, bounds and
default; body fields keep their nested pydantic models so nested objects stay typed. A body field
whose name collides with a parameter or with one of the tool's own arguments is renamed
``body_<name>`` and mapped back when the request is built.
"""

from __future__ import annotations

import functools
import keyword
import operator
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from typing_extensions import TypedDict

from scp_mcp.catalog import Operation, OperationVersion, Parameter, load_catalog

ArgLocation = Literal["path", "query", "body"]

# Arguments every generated tool may carry besides the operation's own.
API_VERSION_ARG = "api_version"
CONFIRM_ARG = "confirm"
CONFIRM_TOKEN_ARG = "confirm_token"
WAIT_ARG = "wait_seconds"
RESERVED = frozenset({API_VERSION_ARG, CONFIRM_ARG, CONFIRM_TOKEN_ARG, WAIT_ARG, "ctx", "scp_confirmation"})

_ANNOTATED: Any = Annotated  # subscripted with runtime values below
_JSON_TYPES: Mapping[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}


@dataclass(frozen=True)
class ArgSpec:
    """One tool argument and where it goes in the request."""

    name: str  # argument name in the tool's input schema
    wire_name: str  # parameter or body field name in the API
    location: ArgLocation
    annotation: Any  # Annotated[type, Field(...)] ready for a signature
    required: bool
    default: Any  # PydanticUndefined when required
    versions: tuple[str, ...]  # versions that document this argument


def _unique_versions(op: Operation) -> list[OperationVersion]:
    ordered = [op.current, *(v for k, v in op.versions.items() if k != op.current_version)]
    return ordered


def operation_args(op: Operation) -> tuple[ArgSpec, ...]:
    """The operation's arguments: the current version's first, then any another version adds."""
    specs: dict[str, ArgSpec] = {}
    for ver in _unique_versions(op):
        for spec in _version_args(op, ver):
            known = specs.get(spec.name)
            if known is None:
                specs[spec.name] = _optional_if_partial(spec, op, ver)
            else:
                specs[spec.name] = _with_version(known, ver.version)
    return tuple(specs.values())


def _with_version(spec: ArgSpec, version: str) -> ArgSpec:
    return ArgSpec(**{**spec.__dict__, "versions": (*spec.versions, version)})


def _optional_if_partial(spec: ArgSpec, op: Operation, ver: OperationVersion) -> ArgSpec:
    """An argument only a non-current version documents cannot be required of every call."""
    if ver.version == op.current_version or not spec.required:
        return spec
    return ArgSpec(**{**spec.__dict__, "required": False, "default": None, "annotation": spec.annotation | None})


def _version_args(op: Operation, ver: OperationVersion) -> list[ArgSpec]:
    params = [p for p in ver.parameters if p.location in ("path", "query")]
    taken = {p.name for p in params} | RESERVED
    out = [_param_arg(p, ver.version) for p in params]
    if ver.body_model:
        model = load_catalog().services[op.service].model(ver.body_model)
        out.extend(_body_args(model.model_fields, taken, ver.version))
    return out


def _safe_name(name: str, taken: set[str] | frozenset[str]) -> str:
    safe = name if name.isidentifier() and not keyword.iskeyword(name) else _identifier(name)
    return f"body_{safe}" if safe in taken else safe


def _identifier(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name).strip("_") or "field"
    return f"{cleaned}_" if keyword.iskeyword(cleaned) or cleaned[0].isdigit() else cleaned


def _body_args(fields: Mapping[str, FieldInfo], taken: set[str], version: str) -> list[ArgSpec]:
    out: list[ArgSpec] = []
    for wire, info in fields.items():
        wire_name = info.alias or wire
        name = _safe_name(wire_name, taken)
        required = info.is_required()
        default = PydanticUndefined if required else _default_of(info)
        field = Field(
            description=info.description,
            examples=info.examples,
            json_schema_extra=info.json_schema_extra,
            title=info.title,
        )
        annotation = _ANNOTATED[(typed_free_form(info.annotation, info.examples, wire_name), *info.metadata, field)]
        out.append(ArgSpec(name, wire_name, "body", annotation, required, default, (version,)))
    return out


def typed_free_form(annotation: Any, examples: list[Any] | None, name: str) -> Any:
    """A body field the reference types only as "an object" (``dict[str, Any]``), typed from its
    documented example: the keys the example shows become optional typed properties (more keys are still
    accepted and sent), so the tool's schema has a real shape and the value is still a plain dict."""
    if not examples:
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        arms = [typed_free_form(arm, examples, name) for arm in typing.get_args(annotation)]
        return functools.reduce(operator.or_, arms)
    origin, params = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and params and isinstance(examples[0], list) and examples[0]:
        return list[typed_free_form(params[0], [examples[0][0]], name)]  # type: ignore[misc]
    if origin is dict and params == (str, Any) and isinstance(examples[0], dict) and examples[0]:
        return _shape(examples[0], name)
    return annotation


def _shape(example: Any, name: str) -> Any:
    if isinstance(example, dict) and example:
        fields = {key: NotRequired[_shape(value, f"{name}_{key}")] for key, value in example.items()}
        make: Any = TypedDict  # called with a computed name: a runtime TypedDict
        shape: Any = make(_identifier(name).title().replace("_", ""), fields)
        shape.__pydantic_config__ = ConfigDict(extra="allow")
        return shape
    if isinstance(example, list) and example:
        return list[_shape(example[0], name)]  # type: ignore[misc]
    if isinstance(example, bool | int | float | str):
        return type(example)
    return Any


def _default_of(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.get_default(call_default_factory=True, validated_data={})
    return info.default


def _param_arg(param: Parameter, version: str) -> ArgSpec:
    schema = dict(param.schema)
    nullable, base = _split_nullable(schema)
    py_type, constraints = _json_to_python(base)
    has_default = "default" in schema
    required = param.required and not has_default
    if not required and not has_default:
        nullable = True
    annotation_type: Any = py_type | None if nullable else py_type
    field = Field(description=param.description or None, examples=_examples(schema), **constraints)
    default = PydanticUndefined if required else schema.get("default")
    annotation = _ANNOTATED[annotation_type, field]
    location: ArgLocation = "path" if param.location == "path" else "query"
    return ArgSpec(param.name, param.name, location, annotation, required, default, (version,))


def _examples(schema: Mapping[str, Any]) -> list[Any] | None:
    examples = schema.get("examples")
    return list(examples) if isinstance(examples, Sequence) and not isinstance(examples, str) else None


def _split_nullable(schema: Mapping[str, Any]) -> tuple[bool, Mapping[str, Any]]:
    arms = schema.get("anyOf")
    if not isinstance(arms, Sequence):
        return False, schema
    non_null = [a for a in arms if a.get("type") != "null"]
    if len(non_null) == 1 and len(non_null) != len(arms):
        return True, non_null[0]
    return False, schema


def _json_to_python(schema: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A query or path parameter's JSON schema as a python type plus pydantic constraints."""
    constraints: dict[str, Any] = {}
    for key, name in (
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
        ("pattern", "pattern"),
        ("minimum", "ge"),
        ("maximum", "le"),
        ("exclusiveMinimum", "gt"),
        ("exclusiveMaximum", "lt"),
    ):
        if key in schema:
            constraints[name] = schema[key]
    enum = schema.get("enum")
    if isinstance(enum, Sequence) and enum:
        return Literal[tuple(enum)], constraints
    kind = schema.get("type")
    if kind == "array":
        item_type, _ = _json_to_python(schema.get("items", {}))
        return list[item_type], constraints  # type: ignore[valid-type]
    return _JSON_TYPES.get(str(kind), str), constraints
