"""Where `scp-mcp call` keeps the sandbox between invocations, and what a bad state file says.

One-shot calls share one sandbox: its records, pending lifecycle changes and simulated clock are
saved after every call, so a create, a wait and a list run as three commands tell one story.
Simulated time runs at the sandbox's speed (60x) between calls too, as it does for `scp-mcp
sandbox`: the file's modification time is when it was last saved, so a 10-minute create started
by one call is RUNNING for a call made 10 seconds later. Within a call, waits move the clock.
The file is the user's state directory unless --sandbox-state or SCP_MCP_SANDBOX_STATE says
otherwise; `--fresh` starts again from the seeded fleet. A missing file is created (seeded); a
file that is not a sandbox's state is refused in one line instead of being overwritten.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from scp_mcp.cli.errors import CliError

if TYPE_CHECKING:
    from scp_mcp.sandbox import Sandbox

STATE_NAME = "sandbox.json"


def default_state_file(env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """$XDG_STATE_HOME/scp-mcp/sandbox.json, else ~/.local/state/scp-mcp/sandbox.json."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_STATE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else (home or Path.home()) / ".local" / "state"
    return base / "scp-mcp" / STATE_NAME


def prepare(path: Path, *, fresh: bool = False, make_parents: bool = False) -> None:
    """Make `path` usable as a state file: removed first with `fresh`; its directory created if asked."""
    if path.is_dir():
        raise CliError(f"the sandbox state file {path} is a directory; give a file path (e.g. {path / STATE_NAME})")
    if fresh:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise CliError(f"cannot remove the sandbox state file {path} for --fresh: {exc.strerror}") from None
    if make_parents:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(
                f"cannot create {path.parent} for the sandbox state: {exc.strerror}; "
                "set --sandbox-state or SCP_MCP_SANDBOX_STATE to a writable file"
            ) from None
    elif not path.parent.is_dir():
        raise CliError(f"the directory of the sandbox state file {path} does not exist; create it or choose another")


def load_error(path: Path, exc: BaseException, *, hint: str) -> CliError:
    """The one line for a state file the sandbox could not load (bad JSON, wrong shape, unreadable)."""
    from scp_mcp.sandbox import SandboxStateError

    cause = exc.__cause__ if isinstance(exc, SandboxStateError) and exc.__cause__ is not None else exc
    if isinstance(cause, json.JSONDecodeError):
        where = f"line {cause.lineno} column {cause.colno}"
        return CliError(f"the sandbox state file {path} is not valid JSON ({where}): {hint}")
    if isinstance(cause, OSError):
        return CliError(f"cannot use the sandbox state file {path}: {cause.strerror or cause}")
    detail = str(exc).removeprefix(f"sandbox state file {path}: ") if isinstance(exc, SandboxStateError) else ""
    return CliError(f"{path} is not a sandbox state file ({detail or 'it lacks or mistypes its fields'}): {hint}")


def check_loaded(sandbox: Sandbox) -> None:
    """Settle the loaded records the way the next call will, so a record of the wrong shape fails now."""
    sandbox.store.settle(sandbox.clock.now())


def catch_up(sandbox: Sandbox, path: Path, *, wall: float | None = None) -> float:
    """Let the wall time since `path` was saved pass on the sandbox's clock, at its speed; returns the seconds."""
    try:
        saved_at = float(json.loads(path.read_text(encoding="utf-8")).get("saved_at", 0.0))
        idle = (time.time() if wall is None else wall) - path.stat().st_mtime
    except (OSError, ValueError, TypeError, AttributeError):
        return 0.0
    behind = saved_at + max(idle, 0.0) * sandbox.clock.speed - sandbox.clock.now()
    if behind > 0:
        sandbox.advance(behind)
    return max(behind, 0.0)


def check_state_file(path: Path, *, hint: str) -> None:
    """Load `path` the way the sandbox will (creating it, seeded, when missing); CliError if it cannot work."""
    from scp_mcp.sandbox import Sandbox, SandboxClock

    prepare(path)
    try:
        check_loaded(Sandbox(clock=SandboxClock(), state_file=path))
    except STATE_ERRORS as exc:
        raise load_error(path, exc, hint=hint) from None


STATE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError)
