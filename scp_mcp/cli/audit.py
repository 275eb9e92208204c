"""`scp-mcp audit`: the write, disruptive and destructive calls the server recorded, from its store."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scp_mcp.cli.errors import CliError
from scp_mcp.server.settings import ServerSettings
from scp_mcp.store import AuditEntry, Store, default_state_dir
from scp_mcp.store.choose import open_store
from scp_mcp.store.errors import StoreError
from scp_mcp.store.sqlite import FILE_NAME

_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def since_time(text: str, now: datetime | None = None) -> str:
    """A duration back from now (30m, 24h, 7d) or an ISO time, as the UTC ISO text the log keeps."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(text.strip().lower())
    if match:
        moment = now - timedelta(**{_UNIT[match.group(2)]: int(match.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise CliError(f"--since {text!r}: use a duration such as 30m, 24h or 7d, or an ISO time") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def line(entry: AuditEntry) -> str:
    target = " ".join(part for part in (entry.target_kind, repr(entry.target_name) if entry.target_name else None,
                                        f"({entry.target_id})" if entry.target_id else None) if part)  # fmt: skip
    how = f"{entry.decision} ({entry.confirmation})" if entry.confirmation != "none" else entry.decision
    rid = f" request {entry.request_id}" if entry.request_id else ""
    return f"{entry.at}  {entry.client}  {entry.tool}  {target or '-'}  {how}  {entry.outcome}{rid}"


def show_audit(settings: ServerSettings, *, since: str, as_json: bool, write: Callable[[str], None]) -> int:
    """From ``--store`` (every replica's entries, when they share it), else the state dir's SQLite file."""
    state_dir = settings.state_dir or default_state_dir()
    path = state_dir / FILE_NAME
    if not settings.store and not path.exists():
        write(f"No audit log yet at {path}: nothing was recorded.") if not as_json else None
        return 0
    store = _open(settings.store, state_dir)
    try:
        entries = store.audit_entries(since=since_time(since))
    finally:
        store.close()
    for entry in entries:
        write(json.dumps(entry.as_dict(), ensure_ascii=False, sort_keys=True) if as_json else line(entry))
    if not entries and not as_json:
        where = getattr(store, "url", None) or getattr(store, "path", path)  # PostgreSQL's without its password
        write(f"No entries since {since_time(since)} in {where}.")
    return 0


def _open(url: str | None, state_dir: Path) -> Store:
    try:
        return open_store(url, state_dir)
    except StoreError as exc:
        raise CliError(str(exc)) from None
