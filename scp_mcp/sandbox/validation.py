"""Query and body validation with the catalog's parameters and generated models; 400 names the field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from scp_mcp.catalog import OperationVersion, Parameter, Service
from scp_mcp.sandbox.errors import ErrorReply


def validate_query(version: OperationVersion, query: Mapping[str, str]) -> dict[str, Any]:
    """Typed query values for the documented parameters; unknown parameters are ignored, as SCP does."""
    values: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for param in version.params_in("query"):
        raw = query.get(param.name)
        if raw is None:
            if param.required:
                problems.append({"field": param.name, "message": "required query parameter is missing"})
            elif "default" in param.schema:
                values[param.name] = param.schema["default"]
            continue
        try:
            values[param.name] = _coerce(param, raw)
        except ValueError as exc:
            problems.append(_problem(param.name, str(exc), _enum(param.schema)))
    if problems:
        raise _validation_error(problems)
    return values


def validate_body(service: Service, version: OperationVersion, raw: bytes) -> dict[str, Any] | None:
    """The body as the model reads it (defaults filled, aliases kept), or None when the operation has none."""
    if version.body_model is None:
        return None
    try:
        data = json.loads(raw or b"null")
    except ValueError as exc:
        raise ErrorReply(400, "ValidationError", f"request body is not valid JSON: {exc}") from None
    if data is None:
        raise _validation_error([{"field": "body", "message": "a JSON request body is required"}])
    model = service.model(version.body_model)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise _validation_error([_from_pydantic(err) for err in exc.errors()]) from None
    dumped: dict[str, Any] = parsed.model_dump(mode="json", by_alias=True)
    return dumped


def _coerce(param: Parameter, raw: str) -> Any:
    kind = _kind(param.schema)
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"must be an integer, got {raw!r}") from None
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise ValueError(f"must be true or false, got {raw!r}")
        return raw.lower() == "true"
    allowed = _enum(param.schema)
    if allowed and raw not in allowed:
        raise ValueError(f"must be one of {', '.join(allowed)}; got {raw!r}")
    return raw


def _kind(schema: Mapping[str, Any]) -> str:
    if "type" in schema:
        return str(schema["type"])
    kinds = [s.get("type") for s in schema.get("anyOf", ()) if s.get("type") != "null"]
    return str(kinds[0]) if kinds else "string"


def _enum(schema: Mapping[str, Any]) -> list[str]:
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    for option in schema.get("anyOf", ()):
        if "enum" in option:
            return [str(v) for v in option["enum"]]
    return []


def _from_pydantic(err: Mapping[str, Any]) -> dict[str, Any]:
    field = _field_path(err.get("loc", ()))
    ctx = err.get("ctx") or {}
    allowed: list[str] = []
    if err.get("type") == "literal_error":
        allowed = [part.strip().strip("'") for part in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        allowed = [a for a in allowed if a]
    message = str(err.get("msg", "invalid value"))
    if err.get("type") == "missing":
        message = "required field is missing"
    return _problem(field, message, allowed)


def _field_path(loc: Any) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def _problem(field: str, message: str, allowed: list[str]) -> dict[str, Any]:
    problem: dict[str, Any] = {"field": field, "message": message}
    if allowed:
        problem["allowed_values"] = allowed
    return problem


def _validation_error(problems: list[dict[str, Any]]) -> ErrorReply:
    first = problems[0]
    message = f"{first['field']}: {first['message']}"
    if "allowed_values" in first:
        message += f" (allowed values: {', '.join(first['allowed_values'])})"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more)"
    return ErrorReply(400, "ValidationError", message, problems)
