"""Find the key fields of a resource record (its id, name and state) from the catalog's naming.

The SCP services name these differently (``id``/``name``/``service_state`` in the cluster services,
``data_flow_id``/``data_flow_name``/``state`` in Data Flow, ``quick_query_state`` in Quick Query);
the resource kind, taken from the catalog or from the first path segment, picks the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scp_mcp.catalog import Operation


def kind_prefixes(op: Operation) -> tuple[str, ...]:
    """Likely field prefixes for the operation's resource, most specific first."""
    out: list[str] = []
    if op.resource is not None:
        out.append(op.resource.kind)
    segments = [s for s in op.path.split("/") if s and not s.startswith("{") and s != "v1"]
    if segments:
        first = segments[0].replace("-", "_")
        out.extend([first, first.removesuffix("s")])
    return tuple(dict.fromkeys(out))


def _scalar(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and value != "" else None


def record_id(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    for key in (*(f"{p}_id" for p in prefixes), "id"):
        if (value := _scalar(record, key)) is not None:
            return value
    return None


def record_name(record: Mapping[str, Any], prefixes: tuple[str, ...], name_field: str | None = None) -> str | None:
    keys = [name_field] if name_field else []
    keys.extend([*(f"{p}_name" for p in prefixes), "name"])
    for key in keys:
        if key and (value := _scalar(record, key)) is not None:
            return value
    return None


def record_state(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    keys = [*(f"{p}_state" for p in prefixes), "service_state", "state", "status"]
    keys.extend(k for k in record if k.endswith("_state") and k not in keys)
    for key in keys:
        if (value := _scalar(record, key)) is not None:
            return value
    return None


def list_items(data: Any) -> list[Mapping[str, Any]] | None:
    """The records of a list response (``contents``), or None when it is not one."""
    if not isinstance(data, Mapping):
        return None
    contents = data.get("contents")
    if not isinstance(contents, list):
        return None
    return [item for item in contents if isinstance(item, Mapping)]


def list_total(data: Mapping[str, Any], shown: int) -> int:
    for key in ("count", "total_count", "totalCount"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return shown
