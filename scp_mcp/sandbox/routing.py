"""Route table derived from the catalog: which service a request is for and which operation it names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from scp_mcp.catalog import Catalog, Operation
from scp_mcp.sandbox.errors import ErrorReply

_PARAM = re.compile(r"^\{([a-zA-Z_][a-zA-Z0-9_]*)\}$")


@dataclass(frozen=True)
class Route:
    op: Operation
    regex: re.Pattern[str]
    specificity: tuple[int, ...]  # 0 for a literal segment, 1 for a parameter: literals win


@dataclass(frozen=True)
class Match:
    op: Operation
    params: Mapping[str, str]


def compile_route(op: Operation) -> Route:
    parts, rank = [], []
    for segment in op.path.strip("/").split("/"):
        param = _PARAM.match(segment)
        parts.append(f"(?P<{param.group(1)}>[^/]+)" if param else re.escape(segment))
        rank.append(1 if param else 0)
    return Route(op, re.compile("^/" + "/".join(parts) + "$"), tuple(rank))


class Router:
    def __init__(self, catalog: Catalog) -> None:
        self.services = tuple(catalog.services)
        self._routes: dict[str, list[Route]] = {
            host: sorted((compile_route(op) for op in svc.operations), key=lambda r: r.specificity)
            for host, svc in catalog.services.items()
        }

    def split(self, path: str, host: str) -> tuple[str, str]:
        """(service, path inside the service) from a /<host prefix> path prefix or, failing that, the Host."""
        first, _, rest = path.lstrip("/").partition("/")
        if first in self._routes:
            return first, "/" + rest
        label = host.split(".", 1)[0].split(":", 1)[0]
        if label in self._routes:
            return label, path
        raise ErrorReply(404, "NotFound", f"no SCP service at {path!r} (expected /<service>/v1/...)")

    def match(self, service: str, method: str, path: str) -> Match:
        allowed: list[str] = []
        for route in self._routes[service]:
            found = route.regex.match(path)
            if found is None:
                continue
            if route.op.method == method:
                # Matched on the raw path so that an encoded "/" stays inside one segment; the
                # values themselves are what the client meant.
                return Match(route.op, {k: unquote(v) for k, v in found.groupdict().items()})
            allowed.append(route.op.method)
        if allowed:
            raise ErrorReply(
                405, "MethodNotAllowed", f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}"
            )
        raise ErrorReply(404, "NotFound", f"{service} has no API at {path}")
