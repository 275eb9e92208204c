"""Build one OpenAPI 3.1 document per service from the parsed seed."""

from __future__ import annotations

from typing import Any

from . import classify
from .schemas import REF_PREFIX, field_schema, model_schema
from .seed_parser import RawField, RawOperation, RawService, RawVersion


def build_spec(service: RawService, dropped: list[str]) -> dict[str, Any]:
    has_show_request = any(op.name == "Show Request" for op in service.operations)
    paths: dict[str, dict[str, Any]] = {}
    for op in service.operations:
        current = _current(op)
        paths.setdefault(current.path, {})[current.method.lower()] = _operation(
            service.host_prefix, op, current, has_show_request, dropped
        )
    _add_related(paths)
    schemas = {
        name: model_schema(fields, dropped, f"{service.host_prefix}:{name}")
        for name, fields in sorted(service.models.items())
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Samsung Cloud Platform {service.title}",
            "version": _current_versions(service),
            "description": service.overview,
            "x-scp-host-prefix": service.host_prefix,
            "x-scp-service-title": service.title,
            "x-scp-tool-prefix": classify.TOOL_PREFIX[service.host_prefix],
            "x-scp-states": classify.STATES,
            "x-scp-state-changes": classify.STATE_CHANGES,
        },
        "servers": [_server(service)],
        "x-scp-regions": [{"environment": env, "region": region} for env, region in service.regions],
        "paths": {path: paths[path] for path in sorted(paths)},
        "components": {"schemas": schemas},
    }


def _add_related(paths: dict[str, dict[str, Any]]) -> None:
    routes = {(m.upper(), p): op["operationId"] for p, methods in paths.items() for m, op in methods.items()}
    for path, methods in paths.items():
        for method, op in methods.items():
            op["x-scp-related"] = classify.related(
                method.upper(), path, op["x-scp-resource"], op["x-scp-async"], routes
            )


def _current(op: RawOperation) -> RawVersion:
    return next(v for v in op.versions if v.lifecycle == "CURRENT")


def _current_versions(service: RawService) -> str:
    versions = {_current(op).version for op in service.operations}
    return ", ".join(sorted(versions))


def _server(service: RawService) -> dict[str, Any]:
    envs = sorted({env for env, _ in service.regions})
    regions = sorted({region for _, region in service.regions})
    return {
        "url": f"https://{service.host_prefix}.{{region}}.{{environment}}.samsungsdscloud.com",
        "variables": {
            "region": {"default": "kr-west1", "enum": regions},
            "environment": {"default": "e", "enum": envs},
        },
    }


def _operation(
    host: str, op: RawOperation, current: RawVersion, has_show_request: bool, dropped: list[str]
) -> dict[str, Any]:
    versions = {v.version: _version(host, op, v, dropped) for v in op.versions}
    success_status, success_model = _success(current)
    risk = classify.risk(current.method, op.name)
    return {
        "operationId": classify.tool_name(host, op.name),
        "summary": op.name,
        "description": current.description,
        **{
            k: versions[current.version][k]
            for k in ("parameters", "requestBody", "responses")
            if k in versions[current.version]
        },
        "x-scp-operation": op.name,
        "x-scp-risk": risk,
        "x-scp-idempotent": classify.idempotent(current.method, risk),
        "x-scp-missing-id-status": classify.missing_id_status(host, current.path),
        "x-scp-async": classify.async_kind(success_status, success_model, has_show_request),
        "x-scp-resource": classify.resource(current.method, current.path),
        "x-scp-precheck": classify.precheck(host, op.name, classify.resource(current.method, current.path))
        if risk != "read"
        else None,
        "x-scp-current-version": current.version,
        "x-scp-versions": versions,
    }


def _success(version: RawVersion) -> tuple[int, str | None]:
    code, _, model = next(r for r in version.responses if r[0] < 300)
    return code, model


def _version(host: str, op: RawOperation, v: RawVersion, dropped: list[str]) -> dict[str, Any]:
    where = f"{host}:{op.name}@{v.version}"
    out: dict[str, Any] = {
        "description": v.description,
        "lifecycle": v.lifecycle,
        "supportedUntil": _date(v.supported_until),
        "apiVersion": v.api_version_header or f"{host} {v.version}",
        "parameters": [_parameter(p, dropped, where) for p in v.params],
    }
    if v.body_model:
        out["requestBody"] = {
            "required": True,
            "content": {"application/json": _content(v.body_model, v.request_example)},
        }
    out["responses"] = {
        str(code): _response(text, model, v.response_examples.get(code)) for code, text, model in v.responses
    }
    return out


def _date(yyyymmdd: str | None) -> str | None:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}" if yyyymmdd else None


def _parameter(p: RawField, dropped: list[str], where: str) -> dict[str, Any]:
    schema = field_schema(p, dropped, where)
    description = schema.pop("description", "")
    return {"name": p.name, "in": p.location, "required": p.required, "description": description, "schema": schema}


def _content(model: str | None, example: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if model:
        out["schema"] = {"$ref": REF_PREFIX + model}
    if example is not None:
        out["example"] = example
    return out


def _response(text: str, model: str | None, example: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"description": text}
    content = _content(model, example)
    if content:
        out["content"] = {"application/json": content}
    return out
