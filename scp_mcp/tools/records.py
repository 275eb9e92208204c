"""Find the key fields of a resource record (its id, name and state) from the catalog's naming.

The SCP services name these differently (``id``/``name``/``service_state`` in the cluster services,
``data_flow_id``/``data_flow_name``/``state`` in Data Flow, ``quick_query_state`` in Quick Query);
the resource kind, taken from the catalog or from the first path segment, picks the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from scp_mcp.catalog import Operation


def kind_prefixes(op: Operation) -> tuple[str, ...]:
    """Likely field prefixes for the operation's resource, most specific first."""
    return _prefixes(op.resource.kind if op.resource is not None else None, op.path)


# The key tuples below depend only on the operation's naming, never on the record: each is built once
# per operation (a page of records asks for them once per record).
@lru_cache(maxsize=512)
def _prefixes(kind: str | None, path: str) -> tuple[str, ...]:
    out = [kind] if kind is not None else []
    segments = [s for s in path.split("/") if s and not s.startswith("{") and s != "v1"]
    if segments:
        first = segments[0].replace("-", "_")
        out.extend([first, first.removesuffix("s")])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=512)
def _id_keys(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return (*(f"{p}_id" for p in prefixes), "id")


@lru_cache(maxsize=512)
def _name_keys(prefixes: tuple[str, ...], name_field: str | None) -> tuple[str, ...]:
    first = (name_field,) if name_field else ()
    return (*first, *(f"{p}_name" for p in prefixes), "name")


@lru_cache(maxsize=512)
def _state_keys(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return (*(f"{p}_state" for p in prefixes), "service_state", "state", "status")


def _scalar(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "" else None


def record_id(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    for key in _id_keys(prefixes):
        if (value := _scalar(record, key)) is not None:
            return value
    return None


def record_name(record: Mapping[str, Any], prefixes: tuple[str, ...], name_field: str | None = None) -> str | None:
    for key in _name_keys(prefixes, name_field):
        if (value := _scalar(record, key)) is not None:
            return value
    return None


def record_state(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    keys = _state_keys(prefixes)
    for key in keys:
        if (value := _scalar(record, key)) is not None:
            return value
    for key in record:  # then any other *_state field, in the record's order
        if key.endswith("_state") and key not in keys and (value := _scalar(record, key)) is not None:
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
