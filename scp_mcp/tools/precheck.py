"""Checks before a change is asked for or sent, so a human is never asked to confirm what cannot work.

What is checked is catalog data (``Operation.precheck``, decided in ``classify.precheck``): the states
that allow the change, the values it must actually change, and its documented dry runs. The target is
read live; a part with no show of its own (an instance group, a block storage group) is found in its
owner's record and named by its owner and role, and takes its owner's state. A failed check raises
``Refusal``, whose text says what to change; nothing is confirmed or sent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from scp_mcp.catalog import DryRun, Operation, load_catalog
from scp_mcp.client.errors import NotFound, ScpError
from scp_mcp.tools.envelope import Target
from scp_mcp.tools.errors import state_advice
from scp_mcp.tools.inventory import Collection, list_query, read_member, state_holder
from scp_mcp.tools.prepare import PreparedCall
from scp_mcp.tools.records import kind_prefixes, list_items, record_name, record_state
from scp_mcp.tools.runtime import ToolRuntime


class Refusal(Exception):
    """The change cannot run as asked: nothing to confirm, nothing sent. The text says what to change."""

    def __init__(self, text: str, kind: str) -> None:
        super().__init__(text)
        self.kind = kind  # invalid_state, no_change, duplicate_name, insufficient_resources


class UnreadableTarget(ScpError):
    """The show call answered, but not with a record that names the target or gives its state."""


@dataclass(frozen=True)
class Look:
    """The target as read before the change: what the preview shows, and its record for the checks."""

    target: Target | None
    record: Mapping[str, Any] = field(default_factory=dict)
    owner_name: str | None = None  # the owner whose state it is, for a part


async def read_target(op: Operation, call: PreparedCall, runtime: ToolRuntime) -> Look:
    """The target as it is now. Raises the client's error (NotFound, or any other) when it cannot be read."""
    if op.resource is None:
        return Look(None)
    kind, rid = op.resource.kind, call.path.get(op.resource.id_param or "")
    if op.precheck.part_of is not None and rid is not None:
        return await _read_part(op, kind, rid, runtime)
    show = load_catalog().sibling(op, "show")
    if show is None or rid is None:
        return Look(Target(kind=kind, id=rid, note=f"its state cannot be fetched (no show operation for {kind})"))
    version = call.version if call.version in show.versions else None
    result = await runtime.send(show, path={op.resource.id_param or "": rid}, version=version)
    record = result.data if isinstance(result.data, Mapping) else {}
    prefixes = kind_prefixes(show)
    name, state = record_name(record, prefixes, op.resource.name_field), record_state(record, prefixes)
    if name is None and state is None:
        raise UnreadableTarget(
            f"{show.service} {show.name} answered without the {kind}'s name or state",
            operation=f"{show.service} {show.name}",
            status=result.status,
            request_id=result.request_id,
        )
    return Look(Target(kind=kind, id=rid, name=name, state=state), record)


async def _read_part(op: Operation, kind: str, rid: str, runtime: ToolRuntime) -> Look:
    """Find the part in its owners' records (listed, then shown one by one until found)."""
    owners = state_holder(op)
    if owners is None:
        return Look(Target(kind=kind, id=rid, note=f"its owner cannot be read (no collection of {kind} owners)"))
    listed = await runtime.send(owners.listing, query=list_query(owners.listing))
    for item in list_items(listed.data) or []:
        owner_id = read_member(owners, item).id
        if owner_id is None:
            continue
        shown = await runtime.send(owners.show, path={owners.id_param: owner_id})
        record = shown.data if isinstance(shown.data, Mapping) else {}
        for trail in _parts(record, op.precheck.part_of.path if op.precheck.part_of else ()):
            if str(trail[-1].get("id")) == rid:
                return _part_look(owners, kind, rid, record, trail)
    raise NotFound(
        f"{op.service} {owners.show.name}: no {owners.label} has the {kind.replace('_', ' ')} {rid!r}",
        operation=f"{op.service} {owners.show.name}",
        status=404,
    )


def _parts(record: Mapping[str, Any], path: tuple[str, ...]) -> Iterator[list[Mapping[str, Any]]]:
    """Every record the field path leads to, with the records passed on the way (the trail)."""
    if not path:
        return
    for item in record.get(path[0]) or []:
        if isinstance(item, Mapping):
            yield [item]
            for rest in _parts(item, path[1:]):
                yield [item, *rest]


def _part_look(
    owners: Collection, kind: str, rid: str, owner: Mapping[str, Any], trail: list[Mapping[str, Any]]
) -> Look:
    member = read_member(owners, owner)
    labels = [_part_label(part) for part in trail]
    path = " of ".join(label for label, _ in reversed(labels))
    name = f"{path} of {owners.label} {member.name or member.id} ({labels[-1][1]})"
    return Look(Target(kind=kind, id=rid, name=name, state=member.state), trail[-1], member.name)


def _part_label(part: Mapping[str, Any]) -> tuple[str, str]:
    """('broker', '3 × db1v4m8') for an instance group; ('data-0', 'DATA, 256 GB') for a block storage group."""
    role = str(part.get("role_type") or "")
    if "server_type_name" in part:
        return role.lower() or "instance group", f"{len(part.get('instances') or [])} × {part['server_type_name']}"
    size = f"{part['size_gb']} GB" if part.get("size_gb") is not None else ""
    return str(part.get("name") or "storage"), ", ".join(x for x in (role, size) if x)


def check(op: Operation, call: PreparedCall, look: Look) -> None:
    """Raise ``Refusal`` when the target's state forbids the change, or when it would change nothing."""
    _check_state(op, look)
    _check_change(op, call, look)


def _check_state(op: Operation, look: Look) -> None:
    allowed, target = op.precheck.allowed_states, look.target
    if allowed is None or target is None or not target.state or target.state.upper() in allowed:
        return
    holder = state_holder(op)
    if holder is None:
        return
    part = op.precheck.part_of is not None
    kind = holder.label if part else target.kind.replace("_", " ")
    name = (look.owner_name if part else target.name) or target.id or "?"
    advice = state_advice(op, holder, kind, name, target.state, sorted(allowed))
    raise Refusal(advice, "invalid_state")


def _check_change(op: Operation, call: PreparedCall, look: Look) -> None:
    pairs = [(field_, wanted, current) for field_, wanted, current in same_values(op, call, look) if wanted]
    if pairs and all(wanted == current for _, wanted, current in pairs):
        what = "; ".join(f"{f} is already {_shown(w)}" for f, w, _ in pairs)
        target = f" on {look.target.kind.replace('_', ' ')} {look.target.name or look.target.id}" if look.target else ""
        raise Refusal(f"{what}{target}: nothing would change. Ask for a different value.", "no_change")


def same_values(op: Operation, call: PreparedCall, look: Look) -> list[tuple[str, list[str], list[str]]]:
    """(body field, values asked for, values it has now) for each value the operation sets."""
    sources = {"body": call.body, "target": look.record}
    found = []
    for body_field, where in op.precheck.same_value.items():
        origin, _, path = where.partition(".")
        found.append((body_field, values_at(call.body, body_field), values_at(sources.get(origin), path)))
    return found


def values_at(data: Any, path: str) -> list[str]:
    """The values a field path ('a.b', 'a[].b') leads to in plain JSON data, as text."""
    items = [data]
    for part in path.split("."):
        name, many = part.removesuffix("[]"), part.endswith("[]")
        items = [item.get(name) for item in items if isinstance(item, Mapping)]
        if many:
            items = [x for item in items if isinstance(item, list) for x in item]
    items = [x for item in items for x in (item if isinstance(item, list) else [item])]
    return [str(x) for x in items if x is not None]


def _shown(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values)


def changes(op: Operation, call: PreparedCall, look: Look) -> list[str]:
    """'server_type_name 'db1v4m8' → 'db1v8m16'' for each value the change sets, as the preview shows it."""
    lines = []
    for body_field, wanted, current in same_values(op, call, look):
        if wanted:
            lines.append(f"{body_field} {_shown(current) or '(unset)'} → {_shown(wanted)}")
    return lines


async def removed(op: Operation, call: PreparedCall, runtime: ToolRuntime) -> list[str]:
    """What a removal takes away, each described by the fields the catalog names (a backup by its date)."""
    removal = op.precheck.removes
    if removal is None or op.resource is None:
        return []
    wanted = values_at(call.body, removal.argument)
    listing = load_catalog().services[op.service].operation(removal.list)
    names = {p.name for p in listing.current.params_in("query")}
    query = {"limit": 100} if "limit" in names else {}
    result = await runtime.send(listing, path=call.path, query=query or None)
    by_key = {str(item.get(removal.key)): item for item in list_items(result.data) or []}
    lines = []
    for key in wanted:
        item = by_key.get(key)
        details = [f"{f} {item[f]}" for f in removal.describe if item is not None and item.get(f) is not None]
        lines.append(f"{key} ({', '.join(details)})" if details else f"{key} (not found in {listing.tool_name})")
    return lines


async def dry_runs(op: Operation, call: PreparedCall, runtime: ToolRuntime) -> list[str]:
    """Run the operation's documented dry runs; raise ``Refusal`` on a duplicate name or a request that
    does not fit; return a short note per check that passed, could not run, or was skipped (and why)."""
    notes = []
    for run in op.precheck.dry_runs:
        check_op = load_catalog().services[op.service].operation(run.check)
        try:
            path = await _arguments(run.path, call, op.service, runtime)
            body = await _arguments(run.body, call, op.service, runtime)
            body = _own_fields(op.service, check_op, body)
            result = await runtime.send(check_op, path={k: str(v) for k, v in path.items()}, body=body or None)
        except _Skipped as exc:
            notes.append(f"{check_op.tool_name} skipped: {exc}; SCP checks again on create")
            continue
        except ScpError as exc:
            notes.append(f"{check_op.tool_name} could not run ({exc}); SCP checks again on create")
            continue
        notes.append(_verdict(run, check_op, path, result.data))
    return notes


class _Skipped(Exception):
    """A dry run the request does not give the arguments for; the text says which."""


def _own_fields(service: str, check_op: Operation, body: dict[str, Any]) -> dict[str, Any]:
    """The check takes only its own fields of what the create was given."""
    model = check_op.current.body_model
    if not body or model is None:
        return body
    try:
        validated = load_catalog().services[service].model(model).model_validate(body)
    except ValidationError as exc:
        missing = sorted({_loc(e["loc"]) for e in exc.errors() if e["type"] == "missing"})
        other = sorted({_loc(e["loc"]) for e in exc.errors() if e["type"] != "missing"})
        said = [f"the request gives no {', '.join(missing)}"] if missing else []
        said += [f"{', '.join(other)} is not what it takes"] if other else []
        raise _Skipped(" and ".join(said)) from exc
    return validated.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _loc(loc: tuple[int | str, ...]) -> str:
    """('pools', 0, 'desired_node_count') → 'pools[0].desired_node_count'."""
    return "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".")


async def _arguments(spec: Mapping[str, str], call: PreparedCall, service: str, runtime: ToolRuntime) -> dict[str, Any]:
    sources = {"body": call.body, "path": call.path}
    found: dict[str, Any] = {}
    for name, where in spec.items():
        where, _, via = where.partition(">")
        origin, _, path = where.partition(".")
        value = _value_at(sources.get(origin), path)
        if value is None:
            raise _Skipped(f"the request gives no {path}")
        found[name] = await _from_parent(service, via, value, runtime) if via else value
    return found


async def _from_parent(service: str, via: str, parent_id: Any, runtime: ToolRuntime) -> Any:
    """The field of the parent named by ``parent_id``, read with its show ('ShowDataFlow.cluster_id')."""
    show_name, _, field_ = via.partition(".")
    show = load_catalog().services[service].operation(show_name)
    (id_param,) = [p.name for p in show.current.params_in("path")]
    result = await runtime.send(show, path={id_param: str(parent_id)})
    value = _value_at(result.data, field_)
    if value is None:
        raise _Skipped(f"{show.tool_name} {parent_id!r} answered without its {field_}")
    return value


def _value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, Mapping) else None
    return data


def _verdict(run: DryRun, check_op: Operation, path: Mapping[str, Any], data: Any) -> str:
    result = data.get("result") if isinstance(data, Mapping) else None
    if run.kind == "name":
        name = ", ".join(f"{k} {v!r}" for k, v in path.items())
        if result is True:
            raise Refusal(
                f"{name} is already in use ({check_op.tool_name} found it); choose another name.",
                "duplicate_name",
            )
        return f"{check_op.tool_name}: {name} is free"
    if result is False:
        detail = "; ".join(f"{k} {v}" for k, v in data.items() if k != "result" and v not in (None, "", []))
        raise Refusal(
            f"the requested resources do not fit ({check_op.tool_name}: {detail}); ask for less, or free "
            "capacity on the cluster first.",
            "insufficient_resources",
        )
    return f"{check_op.tool_name}: the resources fit"
