"""The sandbox README's "Where the simulator guesses" table names the states that allow each change,
as the catalog's ALLOWED_STATES (taken from the sandbox lifecycle) has them."""

from __future__ import annotations

from pathlib import Path

import scp_mcp.sandbox
from scp_mcp.catalog.classify import ALLOWED_STATES


def _guesses_row(starting: str) -> str:
    readme = Path(scp_mcp.sandbox.__file__).with_name("README.md").read_text(encoding="utf-8")
    section = readme.split("## Where the simulator guesses", 1)[1]
    return next(line for line in section.splitlines() if line.startswith(f"| {starting}"))


def test_the_guesses_table_lists_the_states_each_change_is_allowed_from() -> None:
    row = _guesses_row("which states allow which change")
    for _service, _pattern, states in ALLOWED_STATES:
        assert f": {', '.join(states)}" in row, states
    assert row.rstrip().endswith("| the state enums only, no transitions |")
