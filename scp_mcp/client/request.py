"""Turn an operation plus arguments into what goes on the wire: URL, headers, body. Pure.

Path parameters are percent-encoded with nothing kept safe, so ``a/../b`` stays one segment
(``a%2F..%2Fb``); ``""``, ``.`` and ``..`` are refused because they would change the path.
Query keys and values are encoded the same way; the URL built here is the URL that is sent and
signed. A path or query value longer than ``MAX_PARAM_CHARS`` is refused, naming the parameter (no
SCP id or filter is that long, and a URL of megabytes would only fail later, less clearly).
None values are omitted, booleans are ``true``/``false``, lists repeat the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from scp_mcp.catalog import Operation, OperationVersion
from scp_mcp.client.connection import ClientSettings
from scp_mcp.client.errors import ArgumentError

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_OWN_HEADERS = frozenset({"accept", "content-type"})
MAX_PARAM_CHARS = 2048


def label(op: Operation) -> str:
    """How messages name an operation: "<host prefix> <operation name>"."""
    return f"{op.service} {op.name}"


def path_names(op: Operation) -> tuple[str, ...]:
    return tuple(_PLACEHOLDER.findall(op.path))


def render_path(op: Operation, args: Mapping[str, Any] | None) -> str:
    args = dict(args or {})
    names = path_names(op)
    missing = [n for n in names if args.get(n) is None]
    unknown = sorted(set(args) - set(names))
    if missing or unknown:
        raise ArgumentError(
            f"{label(op)}: " + _arg_problem("path", missing, unknown, names) + "; nothing was sent.",
            operation=label(op),
        )
    return _PLACEHOLDER.sub(lambda m: _segment(op, m.group(1), args[m.group(1)]), op.path)


def _segment(op: Operation, name: str, value: Any) -> str:
    text = _scalar(op, name, value)
    if text in ("", ".", ".."):
        raise ArgumentError(
            f"{label(op)}: path parameter {name}={text!r} is not a valid id; nothing was sent.",
            operation=label(op),
        )
    return _quote(op, name, text)


def render_query(op: Operation, version: OperationVersion, args: Mapping[str, Any] | None) -> str:
    documented = [p.name for p in version.params_in("query")]
    unknown = sorted(set(args or {}) - set(documented))
    if unknown:
        raise ArgumentError(
            f"{label(op)}: " + _arg_problem("query", [], unknown, documented) + "; nothing was sent.",
            operation=label(op),
        )
    pairs: list[str] = []
    for name, value in (args or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        key = _quote(op, name, name)
        pairs += [f"{key}={_quote(op, name, _scalar(op, name, v))}" for v in values if v is not None]
    return "&".join(pairs)


def _arg_problem(where: str, missing: list[str], unknown: list[str], documented: Any) -> str:
    parts = []
    if missing:
        parts.append(f"missing {where} parameter(s) {', '.join(missing)}")
    if unknown:
        known = ", ".join(documented) or "none"
        parts.append(f"undocumented {where} parameter(s) {', '.join(unknown)} (documented: {known})")
    return "; ".join(parts)


def _scalar(op: Operation, name: str, value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise ArgumentError(
        f"{label(op)}: parameter {name} has a value of type {type(value).__name__}, "
        "which cannot go in a URL; nothing was sent.",
        operation=label(op),
    )


def _quote(op: Operation, name: str, text: str) -> str:
    if len(text) > MAX_PARAM_CHARS:
        raise ArgumentError(
            f"{label(op)}: parameter {name} is {len(text)} characters long; at most {MAX_PARAM_CHARS} fit "
            "in a URL. Nothing was sent.",
            operation=label(op),
        )
    try:
        return quote(text, safe="")
    except UnicodeEncodeError:
        raise ArgumentError(
            f"{label(op)}: parameter {name} is not valid Unicode text; nothing was sent.", operation=label(op)
        ) from None


def encode_body(op: Operation, version: OperationVersion, body: Any) -> bytes | None:
    if body is None:
        return None
    if version.body_model is None:
        raise ArgumentError(f"{label(op)} takes no request body; nothing was sent.", operation=label(op))
    if isinstance(body, BaseModel):
        data = body.model_dump(mode="json", exclude_unset=True, by_alias=True)
    else:
        data = to_jsonable_python(body, by_alias=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def documented_headers(version: OperationVersion) -> dict[str, str]:
    """Header parameters the reference documents with a default (e.g. Scp-Request-Path: openapi)."""
    out: dict[str, str] = {}
    for p in version.params_in("header"):
        default = p.schema.get("default")
        if p.name.lower() not in _OWN_HEADERS and isinstance(default, str):
            out[p.name] = default
    return out


@dataclass(frozen=True)
class WireRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    content: bytes | None


def build(
    settings: ClientSettings,
    op: Operation,
    version: OperationVersion,
    *,
    path: Mapping[str, Any] | None,
    query: Mapping[str, Any] | None,
    body: Any,
) -> WireRequest:
    base = settings.endpoint(op.service)
    query_string = render_query(op, version, query)
    url = base + render_path(op, path) + (f"?{query_string}" if query_string else "")
    content = encode_body(op, version, body)
    headers = {
        **documented_headers(version),
        "Accept": "application/json",
        "Accept-Language": settings.language,
        "Scp-Api-Version": version.api_version,
    }
    if content is not None:
        headers["Content-Type"] = "application/json"
    return WireRequest(op.method, url, headers, content)
