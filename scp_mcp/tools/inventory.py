"""The fleet as the catalog describes it: which collections each service has (a list operation and the
show operation of its members), how to read a member's id, name, state and dates, and how healthy a
state is. The operator tools (``fleet``, ``diagnose``) read everything through this; no paths are
written here, they come from the catalog's siblings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.tools.records import kind_prefixes, record_id, record_name, record_state

Health = Literal["unhealthy", "transition", "stopped", "healthy", "unknown"]
HEALTH_ORDER: tuple[Health, ...] = ("unhealthy", "transition", "stopped", "unknown", "healthy")
PAGE_SIZE = 100  # one page per collection: the fleet overview says when a collection has more
_CREATED = ("created_at", "created_dt", "created_date", "create_dt")
_MODIFIED = ("modified_at", "modified_dt", "modified_date", "updated_at")


@dataclass(frozen=True)
class Collection:
    """A kind of resource a service lists: the list operation and the show operation of one member."""

    service: str
    kind: str
    listing: Operation
    show: Operation

    @property
    def id_param(self) -> str:
        assert self.show.resource is not None
        assert self.show.resource.id_param is not None
        return self.show.resource.id_param

    @property
    def name_field(self) -> str | None:
        return self.show.resource.name_field if self.show.resource else None

    @property
    def label(self) -> str:
        return self.kind.replace("_", " ")


def _is_member_show(op: Operation) -> bool:
    res = op.resource
    if op.method != "GET" or op.risk != "read" or res is None or res.id_param is None:
        return False
    return op.path.endswith("{" + res.id_param + "}") and op.path.count("{") == 1


@cache
def collections() -> tuple[Collection, ...]:
    """Every collection in the catalog: a show operation of one member whose list sibling lists its parent path."""
    cat = load_catalog()
    found: list[Collection] = []
    for op in cat.operations:
        listing = cat.sibling(op, "list") if _is_member_show(op) else None
        if listing is not None and op.resource is not None and listing.path == op.path.rsplit("/", 1)[0]:
            found.append(Collection(op.service, op.resource.kind, listing, op))
    return tuple(sorted(found, key=lambda c: (c.service, c.listing.tool_name)))


def collections_of(service: str) -> tuple[Collection, ...]:
    return tuple(c for c in collections() if c.service == service)


def collection_for(op: Operation) -> Collection | None:
    """The collection whose members ``op`` acts on (by its show sibling, or by being that show)."""
    show = op if _is_member_show(op) else load_catalog().sibling(op, "show")
    return next((c for c in collections() if show is not None and c.show.tool_name == show.tool_name), None)


def state_holder(op: Operation) -> Collection | None:
    """The collection whose member's state decides whether ``op`` may run: its target's, or, for a part
    with no show of its own (an instance group, a block storage group), its owner's."""
    found = collection_for(op)
    part = op.precheck.part_of
    if found is None and part is not None:
        found = next((c for c in collections_of(op.service) if c.kind == part.owner), None)
    return found


def related(collection: Collection) -> list[Operation]:
    """Every operation on one member of the collection (its show sibling is the collection's show)."""
    ops = load_catalog().services[collection.service].operations
    return [op for op in ops if op.siblings.show == collection.show.tool_name]


def action(collection: Collection, verb: str) -> Operation | None:
    """The change on one member whose reference name starts with ``verb`` (start, restart, set backup…)."""
    return next((op for op in related(collection) if op.name.lower().startswith(verb) and op.risk != "read"), None)


def list_query(listing: Operation) -> dict[str, Any]:
    """The query that asks for the first page, as large as the fleet overview reads."""
    names = {p.name for p in listing.current.params_in("query")}
    query: dict[str, Any] = {}
    if "page" in names:
        query["page"] = 0
    if "size" in names:
        query["size"] = PAGE_SIZE
    return query


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((v for k in keys if isinstance(v := record.get(k), str) and v), None)


@dataclass(frozen=True)
class Member:
    """The key fields of one listed or shown resource."""

    id: str | None
    name: str | None
    state: str | None
    created: str | None
    modified: str | None


def read_member(collection: Collection, record: Mapping[str, Any]) -> Member:
    prefixes = kind_prefixes(collection.show)
    return Member(
        id=record_id(record, prefixes),
        name=record_name(record, prefixes, collection.name_field),
        state=record_state(record, prefixes),
        created=_first(record, _CREATED),
        modified=_first(record, _MODIFIED),
    )


def health_of(service: str, state: str | None) -> Health:
    if not state:
        return "unknown"
    states = load_catalog().services[service].states
    upper = state.upper()
    if upper in states.failed:
        return "unhealthy"
    if upper in states.unknown:
        return "unknown"
    if states.is_moving(upper):
        return "transition"
    return "stopped" if upper in states.stopped else "healthy"


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def age_seconds(text: str | None, now: float) -> int | None:
    stamp = parse_time(text)
    return None if stamp is None else max(0, int(now - stamp.timestamp()))


def humanize_age(seconds: int | None) -> str | None:
    """'3d 4h', '25m', '40s'."""
    if seconds is None:
        return None
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m" if minutes else f"{secs}s"


def show_call(collection: Collection, resource_id: str | None) -> str | None:
    return f"{collection.show.tool_name}({collection.id_param}={resource_id!r})" if resource_id else None
