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


SiblingKind = Literal["list", "show", "request_status"]


@dataclass(frozen=True)
class Siblings:
    """Tool names of the operations that list, show and follow this one's target (None: there is none)."""

    list: str | None = None  # the GET listing the collection the target belongs to
    show: str | None = None  # the GET showing the target (for a create: the resource it creates)
    request_status: str | None = None  # the Show Request that follows its 202 request id


@dataclass(frozen=True)
class StateVocabulary:
    """How asynchronous work reads its states: requests done or failed, resources moving or settled."""

    request_done: frozenset[str]
    failed: frozenset[str]
    settled_ing: frozenset[str]  # "-ING" states that are not transitions (RUNNING)
    unknown: frozenset[str]
    stopped: frozenset[str]  # settled but not serving (STOPPED, TERMINATED, ...)
    changes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # target -> {from state or "*": verb}

    def change_to(self, target: str, current: str) -> str | None:
        """The verb of the change that brings a resource from ``current`` to ``target`` (stop, start...)."""
        by_state = self.changes.get(target.upper(), {})
        return by_state.get(current.upper(), by_state.get("*"))

    def is_moving(self, state: str) -> bool:
        upper = state.upper()
        return not upper or upper in self.unknown or (upper.endswith("ING") and upper not in self.settled_ing)


@dataclass(frozen=True)
class DryRun:
    """A documented check run before a create or update: the check's reference name, what its answer
    means, and its arguments by wire name with where each comes from ("body.<field>", "path.<param>")."""

    check: str
    kind: Literal["name", "resources"]
    path: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """Where a resource with no show of its own lives: its owner's kind and the fields leading to it."""

    owner: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class Removal:
    """What a removal takes away, for its preview: the list holding the records, the body field naming
    them, their key field and the fields describing each."""

    list: str
    argument: str
    key: str
    describe: tuple[str, ...]


@dataclass(frozen=True)
class Precheck:
    """What is checked before a change is asked for or sent (classify.precheck)."""

    allowed_states: frozenset[str] | None = None  # None: any state
    part_of: Part | None = None
    same_value: Mapping[str, str] = field(default_factory=dict)  # body field -> where its current value is
    dry_runs: tuple[DryRun, ...] = ()
    removes: Removal | None = None


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
    idempotent: bool = False  # safe to send again when its answer is lost (reads only; see classify.py)
    missing_id_status: int | None = None  # what SCP answers for an id in the path that names nothing
    siblings: Siblings = field(default_factory=Siblings)
    summary: str = ""  # what it does, in operator words, naming the engine (glossary.toml)
    choose: str | None = None  # when to use it rather than a look-alike tool (glossary.toml)
    precheck: Precheck = field(default_factory=Precheck)  # changes only

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
class Glossary:
    """How operators name a service (glossary.toml): its engine, synonyms and resources."""

    name: str  # "Event Streams"
    engine: str  # "managed Apache Kafka"
    display: str  # "Event Streams (managed Apache Kafka)"
    synonyms: tuple[str, ...]
    resources: Mapping[str, str]  # resource kind -> operator name


@dataclass(frozen=True)
class Service:
    host_prefix: str
    title: str
    tool_prefix: str  # every tool of the service is named <tool_prefix>_<action>
    states: StateVocabulary
    regions: tuple[tuple[str, str], ...]  # (environment, region)
    operations: tuple[Operation, ...]
    schemas: Mapping[str, Mapping[str, Any]] = field(repr=False)
    glossary: Glossary | None = None
    capabilities: tuple[Mapping[str, Any], ...] = ()  # the capability matrix's row (catalog/capabilities.py)

    @property
    def module_name(self) -> str:
        return self.host_prefix.replace("-", "_")

    def models(self) -> ModuleType:
        return importlib.import_module(f"scp_mcp.catalog.models.{self.module_name}")

    def request_models(self) -> ModuleType:
        """The request bodies' models alone: what building the tools needs, a third of the models."""
        return importlib.import_module(f"scp_mcp.catalog.models.{self.module_name}_requests")

    def model(self, name: str) -> type[BaseModel]:
        """A model by its schema name; a request body's model without importing the response models,
        which load on the first answer that needs one."""
        cls = getattr(self.request_models(), name, None) or getattr(self.models(), name)
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
    _by_tool: Mapping[str, Operation] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index = {op.tool_name: op for svc in self.services.values() for op in svc.operations}
        object.__setattr__(self, "_by_tool", MappingProxyType(index))

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(self._by_tool.values())

    def by_tool_name(self, tool_name: str) -> Operation:
        return self._by_tool[tool_name]

    def get(self, tool_name: str) -> Operation | None:
        return self._by_tool.get(tool_name)

    def sibling(self, op: Operation, kind: SiblingKind) -> Operation | None:
        """The operation that lists, shows or follows ``op``'s target, from the compiled catalog."""
        name: str | None = getattr(op.siblings, kind)
        return self._by_tool[name] if name is not None else None

    def states(self, op: Operation) -> StateVocabulary:
        return self.services[op.service].states


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
        idempotent=op["x-scp-idempotent"],
        missing_id_status=op["x-scp-missing-id-status"],
        siblings=Siblings(**op["x-scp-related"]),
        summary=op["x-scp-summary"],
        choose=op["x-scp-choose"],
        precheck=_precheck(op.get("x-scp-precheck")),
    )


def _precheck(body: Mapping[str, Any] | None) -> Precheck:
    if not body:
        return Precheck()
    allowed, part = body["allowed_states"], body["part_of"]
    return Precheck(
        allowed_states=frozenset(allowed) if allowed is not None else None,
        part_of=Part(part["owner"], tuple(part["path"])) if part else None,
        same_value=MappingProxyType(dict(body["same_value"])),
        dry_runs=tuple(
            DryRun(d["check"], d["kind"], MappingProxyType(d.get("path", {})), MappingProxyType(d.get("body", {})))
            for d in body["dry_runs"]
        ),
        removes=_removal(body.get("removes")),
    )


def _removal(body: Mapping[str, Any] | None) -> Removal | None:
    return Removal(body["list"], body["argument"], body["key"], tuple(body["describe"])) if body else None


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
        tool_prefix=spec["info"]["x-scp-tool-prefix"],
        states=StateVocabulary(
            **{k: frozenset(v) for k, v in spec["info"]["x-scp-states"].items()},
            changes=MappingProxyType({k: MappingProxyType(v) for k, v in spec["info"]["x-scp-state-changes"].items()}),
        ),
        regions=tuple((r["environment"], r["region"]) for r in spec["x-scp-regions"]),
        operations=tuple(sorted(ops, key=lambda o: o.name)),
        schemas=MappingProxyType(spec["components"]["schemas"]),
        glossary=_glossary(spec["info"]["x-scp-glossary"]),
        capabilities=tuple(MappingProxyType(row) for row in spec["info"]["x-scp-capabilities"]),
    )


def _glossary(body: Mapping[str, Any]) -> Glossary:
    return Glossary(
        name=body["name"],
        engine=body["engine"],
        display=body["display"],
        synonyms=tuple(body["synonyms"]),
        resources=MappingProxyType(dict(body["resources"])),
    )


@cache
def load_catalog() -> Catalog:
    return Catalog(MappingProxyType({host: _service(host) for host in SERVICE_ORDER}))
