"""Short text summaries: what happened, the key fields, what to do next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scp_mcp.catalog import Operation
from scp_mcp.tools.envelope import AsyncState, Preview, Target
from scp_mcp.tools.naming import humanize
from scp_mcp.tools.records import kind_prefixes, list_items, list_total, record_id, record_name, record_state

MAX_ITEMS = 10
MAX_FIELDS = 6


def describe_record(record: Mapping[str, Any], op: Operation) -> str:
    """ "'name' (id …, STATE)", or "" when the record has none of these."""
    prefixes = kind_prefixes(op)
    name_field = op.resource.name_field if op.resource else None
    name = record_name(record, prefixes, name_field)
    rid = record_id(record, prefixes)
    state = record_state(record, prefixes)
    head = f"'{name}'" if name else (rid or "")
    extras = [x for x in (f"id {rid}" if name and rid else None, state) if x]
    return f"{head} ({', '.join(extras)})" if extras and head else head or ", ".join(extras)


def describe_target(target: Target) -> str:
    label = f"{target.kind.replace('_', ' ')} '{target.name}'" if target.name else target.kind.replace("_", " ")
    details = [
        x for x in (f"id {target.id}" if target.id else "", f"state {target.state}" if target.state else "") if x
    ]
    text = f"{label} ({', '.join(details)})" if details else label
    return f"{text}; {target.note}" if target.note else text


_KEY_HINTS = ("result", "version", "type", "count", "size", "domain", "url", "port", "created")
_NOISE = ("account_id", "_by", "project_id")


def _rank(key: str) -> int:
    return next((i for i, hint in enumerate(_KEY_HINTS) if hint in key), len(_KEY_HINTS))


def _scalars(data: Mapping[str, Any], skip: set[str]) -> list[str]:
    """The most telling scalar fields: results, versions, types, counts, sizes, endpoints, dates."""
    keys = [
        k
        for k, v in data.items()
        if k not in skip and not k.endswith(_NOISE) and not isinstance(v, Mapping | list) and v not in (None, "")
    ]
    return [f"{k}={data[k]}" for k in sorted(keys, key=_rank)[:MAX_FIELDS]]


def summarize_data(op: Operation, data: Any) -> str:
    """The response in a line or a short list."""
    title = humanize(op.name)
    items = list_items(data)
    if items is not None and isinstance(data, Mapping):
        total = list_total(data, len(items))
        lines = [f"{title}: {total} found" + (f", showing {len(items)}" if total > len(items) else "") + "."]
        lines.extend(f"- {describe_record(item, op)}" for item in items[:MAX_ITEMS])
        if len(items) > MAX_ITEMS:
            lines.append(f"- … and {len(items) - MAX_ITEMS} more in structured content.")
        return "\n".join(lines)
    if isinstance(data, Mapping) and data:
        prefixes = kind_prefixes(op)
        head = describe_record(data, op)
        named = {k for k in data if k in ("id", "name") or any(k.startswith(p) for p in prefixes)}
        fields = _scalars(data, named)
        parts = [x for x in (head, "; ".join(fields)) if x]
        return f"{title}: {'. '.join(parts) or 'done'}."
    return f"{title}: done."


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
