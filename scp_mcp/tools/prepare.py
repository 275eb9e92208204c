"""Turn validated tool arguments into the request for one operation version (nothing is sent here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from scp_mcp.catalog import load_catalog
from scp_mcp.client.request import MAX_PARAM_CHARS
from scp_mcp.tools.arguments import API_VERSION_ARG, CONFIRM_ARG, CONFIRM_TOKEN_ARG, WAIT_ARG
from scp_mcp.tools.errors import ArgumentProblem, validation_message
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.surface import ToolSpec


@dataclass(frozen=True)
class PreparedCall:
    version: str
    path: dict[str, str]
    query: dict[str, Any]
    body: Any
    confirm: str | None = None
    wait_s: int = 0
    body_args: dict[str, Any] = field(default_factory=dict)
    confirm_token: str | None = None

    def request(self, method: str, template: str) -> dict[str, Any]:
        """The exact request a confirmation covers: method, path, version, query and body."""
        return {
            "method": method,
            "path": self.filled_path(template),
            "api_version": self.version,
            "query": self.query,
            "body": self.body,
        }

    def filled_path(self, template: str) -> str:
        for key, value in self.path.items():
            template = template.replace("{" + key + "}", value)
        return template


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def prepare(spec: ToolSpec, runtime: ToolRuntime, arguments: Mapping[str, Any]) -> PreparedCall:
    op = spec.op
    version = arguments.get(API_VERSION_ARG) or runtime.default_version(op)
    if version not in op.versions:
        raise ArgumentProblem(f"api_version {version!r} is not documented; use one of {', '.join(op.versions)}")
    path: dict[str, str] = {}
    query: dict[str, Any] = {}
    body_args: dict[str, Any] = {}
    for arg in spec.args:
        value = arguments.get(arg.name)
        if value is None and not arg.required:
            continue
        if version not in arg.versions:
            raise ArgumentProblem(f"{arg.name} is documented only for api_version {', '.join(arg.versions)}")
        if arg.location == "path":
            path[arg.wire_name] = _path_value(arg.name, value)
        elif arg.location == "query":
            query[arg.wire_name] = value
        else:
            body_args[arg.wire_name] = value
    body = _body(spec, version, body_args)
    confirm = arguments.get(CONFIRM_ARG)
    token = arguments.get(CONFIRM_TOKEN_ARG)
    wait = arguments.get(WAIT_ARG) or 0
    return PreparedCall(
        version,
        path,
        query,
        body,
        confirm if isinstance(confirm, str) else None,
        int(wait),
        body_args,
        token if isinstance(token, str) else None,
    )


def _path_value(name: str, value: Any) -> str:
    """A path segment that names one thing: never empty, ``.``, ``..``, or containing ``/``."""
    text = str(value)
    if text.strip() in ("", ".", "..") or "/" in text or "\\" in text:
        raise ArgumentProblem(f"{name} {text!r} is not an id (ids are one path segment: no '/', not '.' or '..')")
    if len(text) > MAX_PARAM_CHARS:  # refused here too: a guarded call must not preview what cannot be sent
        raise ArgumentProblem(f"{name} is {len(text)} characters long, not an id (at most {MAX_PARAM_CHARS})")
    return text


def _body(spec: ToolSpec, version: str, body_args: dict[str, Any]) -> Any:
    model_name = spec.op.version(version).body_model
    if model_name is None:
        return None
    model = load_catalog().services[spec.op.service].model(model_name)
    try:
        validated = model.model_validate({k: _plain(v) for k, v in body_args.items()})
    except ValidationError as exc:
        raise ArgumentProblem(validation_message(exc)) from None
    return validated.model_dump(mode="json", by_alias=True, exclude_unset=True)
