"""The API catalog: read-only records of every documented SCP Data Analytics operation.

Loaded once from the committed specs (package data); the seed is not needed at run time.
Pydantic models are imported lazily, per service, on first use.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any, Literal

from pydantic import BaseModel

SPECS_DIR = Path(__file__).with_name("specs")
SERVICE_ORDER = ("data-flow", "data-ops", "eventstreams", "quick-query", "searchengine", "vertica")
REF_PREFIX = "#/components/schemas/"

Risk = Literal["read", "write", "disruptive", "destructive"]
AsyncKind = Literal["request", "resource", "sync"]
Location = Literal["path", "query", "header"]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Location
    required: bool
    description: str
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Response:
    status: int
    description: str
    model: str | None
    example: Any


@dataclass(frozen=True)
class OperationVersion:
    version: str
    lifecycle: Literal["CURRENT", "SUPPORTED"]
    supported_until: date | None
    api_version: str  # the Scp-Api-Version header value, "<host prefix> <version>"
    description: str
    parameters: tuple[Parameter, ...]
    body_model: str | None
    request_example: Any
    responses: tuple[Response, ...]

    @property
    def success(self) -> Response:
        return next(r for r in self.responses if r.status < 300)

    def is_past_support(self, today: date) -> bool:
        return self.supported_until is not None and today > self.supported_until

    def params_in(self, location: Location) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)


@dataclass(frozen=True)
class ResourceRef:
    kind: str  # cluster, instance_group, data_flow, ...
    id_param: str | None  # path parameter that holds its id; None for creates
    name_field: str | None  # field naming it in its show response / create body


@dataclass(frozen=True)
class Operation:
    service: str  # host prefix
    name: str  # as written in the reference
    tool_name: str
    method: str
    path: str
    risk: Risk
    async_kind: AsyncKind
    resource: ResourceRef | None
    current_version: str
    versions: Mapping[str, OperationVersion]

    @property
    def current(self) -> OperationVersion:
        return self.versions[self.current_version]

    def version(self, version: str | None = None) -> OperationVersion:
        if version is None:
            return self.current
        if version not in self.versions:
            raise KeyError(f"{self.name} has no version {version!r}; documented: {', '.join(self.versions)}")
        return self.versions[version]

    @property
    def guarded(self) -> bool:
        return self.risk in ("disruptive", "destructive")


@dataclass(frozen=True)
class Service:
    host_prefix: str
    title: str
    regions: tuple[tuple[str, str], ...]  # (environment, region)
    operations: tuple[Operation, ...]
    schemas: Mapping[str, Mapping[str, Any]] = field(repr=False)

    @property
    def module_name(self) -> str:
        return self.host_prefix.replace("-", "_")

    def models(self) -> ModuleType:
        return importlib.import_module(f"scp_mcp.catalog.models.{self.module_name}")

    def model(self, name: str) -> type[BaseModel]:
        cls = getattr(self.models(), name)
        assert isinstance(cls, type)
        assert issubclass(cls, BaseModel)
        return cls

    def operation(self, name: str) -> Operation:
        for op in self.operations:
            if op.name == name:
                return op
        raise KeyError(f"{self.host_prefix} has no operation {name!r}")

    def find(self, method: str, path: str) -> Operation | None:
        return next((op for op in self.operations if op.method == method and op.path == path), None)


@dataclass(frozen=True)
class Catalog:
    services: Mapping[str, Service]

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for svc in self.services.values() for op in svc.operations)

    def by_tool_name(self, tool_name: str) -> Operation:
        for op in self.operations:
            if op.tool_name == tool_name:
                return op
        raise KeyError(tool_name)


def _version(version: str, body: Mapping[str, Any]) -> OperationVersion:
    request = body.get("requestBody", {}).get("content", {}).get("application/json", {})
    return OperationVersion(
        version=version,
        lifecycle=body["lifecycle"],
        supported_until=date.fromisoformat(body["supportedUntil"]) if body["supportedUntil"] else None,
        api_version=body["apiVersion"],
        description=body["description"],
        parameters=tuple(
            Parameter(p["name"], p["in"], p["required"], p["description"], _frozen(p["schema"]))
            for p in body["parameters"]
        ),
        body_model=_ref_name(request.get("schema")),
        request_example=request.get("example"),
        responses=tuple(_response(int(code), r) for code, r in body["responses"].items()),
    )


def _response(status: int, body: Mapping[str, Any]) -> Response:
    content = body.get("content", {}).get("application/json", {})
    return Response(status, body["description"], _ref_name(content.get("schema")), content.get("example"))


def _ref_name(schema: Mapping[str, Any] | None) -> str | None:
    ref = (schema or {}).get("$ref")
    return ref[len(REF_PREFIX) :] if isinstance(ref, str) else None


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _operation(host: str, method: str, path: str, op: Mapping[str, Any]) -> Operation:
    res = op["x-scp-resource"]
    return Operation(
        service=host,
        name=op["x-scp-operation"],
        tool_name=op["operationId"],
        method=method.upper(),
        path=path,
        risk=op["x-scp-risk"],
        async_kind=op["x-scp-async"],
        resource=ResourceRef(res["kind"], res["id_param"], res["name_field"]) if res else None,
        current_version=op["x-scp-current-version"],
        versions=MappingProxyType({v: _version(v, b) for v, b in op["x-scp-versions"].items()}),
    )


def load_spec(host_prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SPECS_DIR / f"{host_prefix}.json").read_text(encoding="utf-8"))
    return data


def _service(host: str) -> Service:
    spec = load_spec(host)
    ops = tuple(
        _operation(host, method, path, op) for path, methods in spec["paths"].items() for method, op in methods.items()
    )
    return Service(
        host_prefix=host,
        title=spec["info"]["x-scp-service-title"],
        regions=tuple((r["environment"], r["region"]) for r in spec["x-scp-regions"]),
        operations=tuple(sorted(ops, key=lambda o: o.name)),
        schemas=MappingProxyType(spec["components"]["schemas"]),
    )


@cache
def load_catalog() -> Catalog:
    return Catalog(MappingProxyType({host: _service(host) for host in SERVICE_ORDER}))
