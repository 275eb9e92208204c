"""What the sandbox's request log says about a call: requests that left their operation's path template,
and the requests of one method."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.sandbox.received import ReceivedRequest, RequestLog

_PLACEHOLDER = re.compile(r"\{[^{}]+\}")
# One segment per placeholder, percent-encoded: no raw '/', '?', '#', '%' only as an escape.
_SEGMENT = r"(?:[A-Za-z0-9\-_.~!$&'()*+,;=:@]|%[0-9A-F]{2})+"


def _template(op: Operation) -> re.Pattern[str]:
    return _compiled(op.service, op.path)


@cache
def _compiled(service: str, path: str) -> re.Pattern[str]:
    pattern = _SEGMENT.join(re.escape(part) for part in _PLACEHOLDER.split(path))
    return re.compile(f"/{re.escape(service)}{pattern}")


def since(log: RequestLog, total_before: int) -> list[ReceivedRequest]:
    """The requests the log received after it had counted `total_before` (those it still keeps)."""
    count = log.total - total_before
    return list(log)[-count:] if count > 0 else []


def allowed_operations(tool: str) -> frozenset[str] | None:
    """The operations a tool may send: its own and its siblings' (None: an operator tool, any read)."""
    op = load_catalog().get(tool)
    if op is None:
        return None
    siblings = (op.siblings.list, op.siblings.show, op.siblings.request_status)
    return frozenset({op.tool_name, *(s for s in siblings if s)})


def strays(records: Iterable[ReceivedRequest], tool: str) -> list[str]:
    """Requests that are not one of the tool's operations on its own path template, one segment per id."""
    allowed = allowed_operations(tool)
    out = []
    for record in records:
        op = load_catalog().get(record.operation) if record.operation else None
        foreign = op is None or (op.tool_name not in allowed if allowed is not None else op.risk != "read")
        if op is None or foreign:
            out.append(f"{record.method} {record.path} routed to {record.operation}")
        elif op.method != record.method or not _template(op).fullmatch(record.path) or _dot_segment(record.path):
            out.append(f"{record.method} {record.path} is not {op.method} {op.path}")
        elif "#" in record.query:
            out.append(f"{record.method} {record.path}?{record.query} carries a fragment")
    return out


def _dot_segment(path: str) -> bool:
    return any(segment in (".", "..") for segment in path.split("/"))


def sent(records: Iterable[ReceivedRequest], *methods: str) -> list[ReceivedRequest]:
    return [r for r in records if r.method in methods]
