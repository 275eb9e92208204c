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


def may_send(tool: str, op: Operation) -> bool:
    """A tool sends its own operation, and reads: an operator tool any, a catalog tool its own service's
    (its prechecks: the target and its owner, the siblings, the documented dry runs)."""
    own = load_catalog().get(tool)
    if own is None:
        return op.risk == "read"
    return op.tool_name == own.tool_name or (op.risk == "read" and op.service == own.service)


def strays(records: Iterable[ReceivedRequest], tool: str) -> list[str]:
    """Requests the tool may not send, or that left their operation's path template (one segment per id)."""
    out = []
    for record in records:
        op = load_catalog().get(record.operation) if record.operation else None
        if op is None or not may_send(tool, op):
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
