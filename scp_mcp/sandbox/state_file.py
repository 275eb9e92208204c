"""The state file: the store's tables and counters plus the simulated time, as JSON.

`saved_at` is the simulated clock when the file was written, so a process that loads it carries
on the same timeline (scheduled changes are kept as absolute simulated times). A file that is
missing means "start from the seeded fleet"; one that cannot be read as a sandbox state raises
`SandboxStateError` naming the file and what is wrong with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SandboxStateError(ValueError):
    """The sandbox state file exists but is not a sandbox state."""


@dataclass(frozen=True)
class SavedState:
    store: dict[str, Any]  # what Store.dump() gives and Store.load() takes
    saved_at: float  # simulated epoch seconds; 0 when the file predates it


def read_state(path: Path) -> SavedState | None:
    """The state in `path`, or None when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SandboxStateError(f"sandbox state file {path}: cannot be read ({exc})") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SandboxStateError(f"sandbox state file {path}: not valid JSON ({exc})") from exc
    problem = _shape_problem(data)
    if problem:
        raise SandboxStateError(f"sandbox state file {path}: {problem}")
    store = {"seed": data["seed"], "counter": data["counter"], "tables": data["tables"]}
    return SavedState(store, float(data.get("saved_at", 0.0)))


def write_state(path: Path, store: dict[str, Any], now: float) -> None:
    """Write atomically (a temporary file, then a rename); the directory is created if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps({**store, "saved_at": now}, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    for key in ("seed", "counter"):
        if not _is_int(data.get(key)):
            return f"{key!r} must be an integer, got {data.get(key)!r}"
    saved_at = data.get("saved_at", 0.0)
    if isinstance(saved_at, bool) or not isinstance(saved_at, int | float):
        return f"'saved_at' must be a number of seconds, got {saved_at!r}"
    tables = data.get("tables")
    if not isinstance(tables, dict):
        return "'tables' must be an object of tables"
    for kind, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(r, dict) for r in table.values()):
            return f"table {kind!r} must map keys to record objects"
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
