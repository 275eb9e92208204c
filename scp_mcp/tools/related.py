"""Operations related to another one, found from the catalog's paths: how to look at its target,
how to follow its request, how to find what it created. No operation is named here."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

from scp_mcp.catalog import Operation, load_catalog


def _by_tool_name(fn: Callable[[Operation], Operation | None]) -> Callable[[Operation], Operation | None]:
    """Operation records hold mappings and are not hashable: memoize on the tool name."""
    memo: dict[str, Operation | None] = {}

    @wraps(fn)
    def wrapper(op: Operation) -> Operation | None:
        if op.tool_name not in memo:
            memo[op.tool_name] = fn(op)
        return memo[op.tool_name]

    return wrapper


@_by_tool_name
def show_operation(op: Operation) -> Operation | None:
    """The GET that shows the operation's target: the path up to and including its id parameter."""
    if op.resource is None or op.resource.id_param is None:
        return None
    marker = "{" + op.resource.id_param + "}"
    if marker not in op.path:
        return None
    prefix = op.path[: op.path.index(marker) + len(marker)]
    found = load_catalog().services[op.service].find("GET", prefix)
    return found if found is not None and found is not op else None


@cache
def request_operation(service: str) -> Operation | None:
    """The service's Show Request (GET /v1/requests/{request_id}), when it has one."""
    svc = load_catalog().services[service]
    return next(
        (o for o in svc.operations if o.method == "GET" and o.path.rstrip("/").endswith("/requests/{request_id}")),
        None,
    )


@_by_tool_name
def list_operation(op: Operation) -> Operation | None:
    """For a create (POST on a collection), the GET that lists that collection."""
    if op.method != "POST" or "{" in op.path:
        return None
    return load_catalog().services[op.service].find("GET", op.path)


@_by_tool_name
def show_after_create(op: Operation) -> Operation | None:
    """For a create, the GET that shows one item of the collection it adds to."""
    svc = load_catalog().services[op.service]
    prefix = op.path.rstrip("/") + "/{"
    return next(
        (
            o
            for o in svc.operations
            if o.method == "GET" and o.path.startswith(prefix) and o.path.count("{") == 1 and o.path.endswith("}")
        ),
        None,
    )
