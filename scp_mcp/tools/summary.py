"""Short text summaries: what happened, the key fields, what to do next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from scp_mcp.catalog import Operation
from scp_mcp.tools.envelope import AsyncState, Preview, Target
from scp_mcp.tools.naming import humanize
from scp_mcp.tools.records import RecordKeys, kind_prefixes, list_items, list_total, record_keys

MAX_ITEMS = 10
MAX_FIELDS = 6


def describe_record(record: Mapping[str, Any], op: Operation) -> str:
    """ "'name' (id …, STATE)", or "" when the record has none of these."""
    return _describe(record, _naming(op).keys)


def _describe(record: Mapping[str, Any], keys: RecordKeys) -> str:
    name, rid, state = keys.name_of(record), keys.id_of(record), keys.state_of(record)
    head = f"'{name}'" if name else (rid or "")
    extras = [x for x in (f"id {rid}" if name and rid else None, state) if x]
    return f"{head} ({', '.join(extras)})" if extras and head else head or ", ".join(extras)


@dataclass(frozen=True)
class _Naming:
    """How one operation's records are headed: where their id, name and state are, and so which keys the
    head already shows (the row's fields do not repeat them)."""

    keys: RecordKeys
    head: frozenset[str]


def _naming(op: Operation) -> _Naming:
    return _naming_of(kind_prefixes(op), op.resource.name_field if op.resource else None)


@lru_cache(maxsize=512)  # once per operation, not once per record of a page
def _naming_of(prefixes: tuple[str, ...], name_field: str | None) -> _Naming:
    head = {"id", "name", "service_state", "state", *(f"{p}_{x}" for p in prefixes for x in ("id", "name", "state"))}
    return _Naming(record_keys(prefixes, name_field), frozenset(head | {name_field} if name_field else head))


def describe_target(target: Target) -> str:
    label = f"{target.kind.replace('_', ' ')} '{target.name}'" if target.name else target.kind.replace("_", " ")
    details = [
        x for x in (f"id {target.id}" if target.id else "", f"state {target.state}" if target.state else "") if x
    ]
    text = f"{label} ({', '.join(details)})" if details else label
    return f"{text}; {target.note}" if target.note else text


_KEY_HINTS = (
    "result",
    "value",
    "version",
    "type",
    "count",
    "size",
    "domain",
    "url",
    "ip",
    "port",
    "backup",
    "created",
)
_NOISE = ("account_id", "_by", "project_id")
MAX_ROW_FIELDS = 4
TEXT_BUDGET = 16_000  # characters, about 4k tokens


@lru_cache(maxsize=4096)  # keys repeat in every record of a page: each is ranked once
def _rank(key: str) -> int:
    return next((i for i, hint in enumerate(_KEY_HINTS) if hint in key), len(_KEY_HINTS))


@lru_cache(maxsize=4096)
def _is_noise(key: str) -> bool:
    return key.endswith(_NOISE) or key.startswith("_")


Shape = Literal["mapping", "list", "scalar"]


_SHAPES: dict[type, Shape] = {}  # per type, not per value: an isinstance check against Mapping is slow


def _shape(value: Any) -> Shape:
    kind = type(value)
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = (
            "mapping" if issubclass(kind, Mapping) else "list" if issubclass(kind, list) else "scalar"
        )
    return shape


def _is_scalar(value: Any) -> bool:
    return value is not None and value != "" and _shape(value) == "scalar"


def _scalars(data: Mapping[str, Any], skip: frozenset[str], limit: int = MAX_FIELDS) -> list[str]:
    """The most telling scalar fields (results, values, versions, types, counts, sizes, endpoints, dates),
    with one level of nested scalars (``versions.nifi=1.27.1``)."""
    out: list[str] = []
    for k in _ranked(tuple(data), skip):
        v = data[k]
        shape = _shape(v)
        if shape == "mapping":  # its scalars rank by their own dotted names: rank them all
            return _flattened(data, skip, limit)
        if shape == "scalar" and len(out) < limit and v is not None and v != "":
            out.append(f"{k}={v}")
    return out


@lru_cache(maxsize=1024)  # the records of a page share their keys: ranked once per page, not per record
def _ranked(keys: tuple[str, ...], skip: frozenset[str]) -> tuple[str, ...]:
    """The keys that may be shown, most telling first (in the record's order within a rank)."""
    return tuple(sorted((k for k in keys if k not in skip and not _is_noise(k)), key=_rank))


def _flattened(data: Mapping[str, Any], skip: frozenset[str], limit: int) -> list[str]:
    flat: dict[str, Any] = {}
    for k, v in data.items():
        if k in skip or _is_noise(k):
            continue
        shape = _shape(v)
        if shape == "mapping":
            flat.update({f"{k}.{sub}": x for sub, x in v.items() if _is_scalar(x) and not str(sub).endswith(_NOISE)})
        elif shape == "scalar" and v is not None and v != "":
            flat[k] = v
    return [f"{k}={flat[k]}" for k in sorted(flat, key=_rank)[:limit]]


def _row(item: Mapping[str, Any], naming: _Naming) -> str:
    """One compact line per listed record: its name, id and state, then its telling fields."""
    head = _describe(item, naming.keys)
    skip = naming.head if head else frozenset()
    if not head:  # a record of another kind (an image, an ingress controller): its own *_name field
        key = next((k for k, v in item.items() if k.endswith("_name") and isinstance(v, str) and v), None)
        head, skip = (f"'{item[key]}'", frozenset({key})) if key else ("", skip)
    fields = "; ".join(_scalars(item, skip, MAX_ROW_FIELDS))
    return f"- {head}: {fields}" if head and fields else f"- {head or fields or '(a record with no fields)'}"


def _group(group: Mapping[str, Any]) -> str:
    """An instance group: role, id, server type, storage and its instances with their IPs and states."""
    instances = [i for i in group.get("instances") or [] if isinstance(i, Mapping)]
    storage = ", ".join(
        f"{b.get('role_type') or 'disk'} {b.get('size_gb')} GB {b.get('volume_type') or ''}".strip()
        for b in group.get("block_storage_groups") or []
        if isinstance(b, Mapping)
    )
    members = ", ".join(
        " ".join(str(x) for x in (i.get("name"), i.get("service_ip_address"), i.get("service_state")) if x)
        for i in instances
    )
    head = f"{group.get('role_type') or 'group'} (id {group.get('id')}) {group.get('server_type_name') or ''}".rstrip()
    return (
        f"{head} ×{len(instances)}" + (f"; storage {storage}" if storage else "") + (f": {members}" if members else "")
    )


def _sections(data: Mapping[str, Any]) -> list[str]:
    """Lines for the nested parts of a shown record: instance groups, other record lists."""
    lines: list[str] = []
    for key, value in data.items():
        if key.startswith("_") or not isinstance(value, list) or not value:
            continue
        records = [v for v in value if isinstance(v, Mapping)]
        if key == "instance_groups":
            lines.extend(f"- instance group {_group(g)}" for g in records)
        elif records:
            rows = ["; ".join(_scalars(r, frozenset(), MAX_ROW_FIELDS)) for r in records[:MAX_ITEMS]]
            lines.append(f"- {key} ({len(records)}): " + " | ".join(r for r in rows if r))
        elif all(_is_scalar(v) for v in value):
            lines.append(f"- {key}: {', '.join(str(v) for v in value[:MAX_ITEMS])}")
    return lines


def _more(op: Operation, total: int, shown: int) -> str:
    if total <= shown:
        return ""
    query = {p.name for p in op.current.params_in("query")}
    how = " ask for the next page with page=1 (and size)," if {"page", "size"} <= query else ""
    return f" (showing {shown};{how} or narrow with the tool's filters)"


def summarize_data(op: Operation, data: Any) -> str:
    """The response: a list as one compact row per record, a record with its key fields and parts."""
    title = humanize(op.name)
    items = list_items(data)
    if items is not None and isinstance(data, Mapping):
        total = list_total(data, len(items))
        lines = [f"{title}: {total} found{_more(op, total, len(items))}."]
        naming = _naming(op)
        lines.extend(_row(item, naming) for item in items)
        return "\n".join(lines)
    if isinstance(data, Mapping) and data:
        naming = _naming(op)
        head = _describe(data, naming.keys)
        fields = _scalars(data, naming.head if head else frozenset(), 3 * MAX_FIELDS)
        parts = [x for x in (head, "; ".join(fields)) if x]
        text = f"{title}: {'. '.join(parts)}." if parts else f"{title}: answered (details in structured content)."
        return "\n".join([text, *_sections(data)])
    if isinstance(data, list):
        return f"{title}: {len(data)} item(s) (in structured content)."
    return f"{title}: succeeded; SCP answered with no body."


def has_more(data: Any) -> bool:
    """Whether a list answer is one page of more."""
    items = list_items(data)
    return items is not None and isinstance(data, Mapping) and list_total(data, len(items)) > len(items)


def within_budget(text: str, budget: int = TEXT_BUDGET) -> tuple[str, bool]:
    """The text cut at a line within ``budget`` characters, and whether it was cut."""
    if len(text) <= budget:
        return text, False
    cut = text.rfind("\n", 0, budget - 200)
    kept = text[: cut if cut > 0 else budget - 200]
    left = text.count("\n", len(kept)) or 1
    return (
        kept + f"\n… {left} more line(s) left out (truncated); all are in structured content. "
        "Narrow with the tool's filters, or page with page/size where it has them.",
        True,
    )


def summarize_async(op: Operation, state: AsyncState, tool: str, hint: str | None) -> str:
    """What became of asynchronous work, and the one call that shows more."""
    title = humanize(op.name)
    kind = (state.resource_kind or "resource").replace("_", " ")
    subject = f"'{state.resource_name}'" if state.resource_name else state.resource_id
    on = f" on {kind} {subject}" if subject else ""
    seen = f"request {state.request_id} {state.state}" if state.kind == "request" else f"state {state.state}"
    check = f" {hint}." if hint else ""
    if state.done and state.failed:
        return f"{title}{on} FAILED after {state.waited_s:.0f}s ({seen}).{check} Find out why before retrying."
    if state.done:
        return f"{title}{on} finished after {state.waited_s:.0f}s ({seen}).{check}"
    if state.waited_s:
        return f"{title}{on} is still running after {state.waited_s:.0f}s (now {state.state or 'unknown'}).{check}"
    follow = f"request {state.request_id}" if state.request_id else f"the {kind}'s state"
    text = f"{title} accepted{on}; it runs asynchronously."
    return text + (check or f" Follow {follow}.")


def summarize_preview(tool: str, preview: Preview, confirm_with: Mapping[str, str], reason: str | None) -> str:
    target = f" on {describe_target(preview.target)}" if preview.target else ""
    lead = f"Not sent: {reason}. " if reason else "Nothing was sent yet. "
    args = ", ".join(f"{k}={v!r}" for k, v in confirm_with.items())
    return (
        f"{lead}{preview.action}{target} is {preview.risk}: {preview.effect} "
        f"Show this to the user; if they agree, call {tool} again with the same arguments plus {args}."
    )
