"""Find the key fields of a resource record (its id, name and state) from the catalog's naming.

The SCP services name these differently (``id``/``name``/``service_state`` in the cluster services,
``data_flow_id``/``data_flow_name``/``state`` in Data Flow, ``quick_query_state`` in Quick Query);
the resource kind, taken from the catalog or from the first path segment, picks the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scp_mcp.catalog import Operation


def kind_prefixes(op: Operation) -> tuple[str, ...]:
    """Likely field prefixes for the operation's resource, most specific first."""
    return _prefixes(op.resource.kind if op.resource is not None else None, op.path)


@lru_cache(maxsize=512)  # a pure function of the operation's naming: decided once per operation
def _prefixes(kind: str | None, path: str) -> tuple[str, ...]:
    out = [kind] if kind is not None else []
    segments = [s for s in path.split("/") if s and not s.startswith("{") and s != "v1"]
    if segments:
        first = segments[0].replace("-", "_")
        out.extend([first, first.removesuffix("s")])
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class RecordKeys:
    """Where the records of one operation keep their id, name and state, most specific key first."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    states: tuple[str, ...]

    def id_of(self, record: Mapping[str, Any]) -> str | None:
        return _first(record, self.ids)

    def name_of(self, record: Mapping[str, Any]) -> str | None:
        return _first(record, self.names)

    def state_of(self, record: Mapping[str, Any]) -> str | None:
        found = _first(record, self.states)
        if found is None:  # then any other *_state field, in the record's order
            others = tuple(k for k in record if k.endswith("_state") and k not in self.states)
            found = _first(record, others)
        return found


@lru_cache(maxsize=512)  # built once per operation, not once per record of a page
def record_keys(prefixes: tuple[str, ...], name_field: str | None = None) -> RecordKeys:
    return RecordKeys(
        ids=(*(f"{p}_id" for p in prefixes), "id"),
        names=(*((name_field,) if name_field else ()), *(f"{p}_name" for p in prefixes), "name"),
        states=(*(f"{p}_state" for p in prefixes), "service_state", "state", "status"),
    )


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of ``keys`` holding a non-empty string or integer, as text."""
    for key in keys:
        value = record.get(key)
        if value is not None and isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            return str(value)
    return None


def record_id(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    return record_keys(prefixes).id_of(record)


def record_name(record: Mapping[str, Any], prefixes: tuple[str, ...], name_field: str | None = None) -> str | None:
    return record_keys(prefixes, name_field).name_of(record)


def record_state(record: Mapping[str, Any], prefixes: tuple[str, ...]) -> str | None:
    return record_keys(prefixes).state_of(record)


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
