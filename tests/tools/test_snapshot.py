"""tools/list, committed per service under snapshots/, so any change to any tool shows up in review.

Regenerate after an intended change: SCP_MCP_UPDATE_SNAPSHOTS=1 pytest tests/tools/test_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mcp import types

pytestmark = pytest.mark.anyio

SNAPSHOTS = Path(__file__).with_name("snapshots")
PREFIXES = ("dataflow", "dataops", "eventstreams", "quickquery", "searchengine", "vertica")


def _render(tools: list[types.Tool]) -> str:
    wire = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in sorted(tools, key=lambda t: t.name)]
    return json.dumps(wire, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


async def test_tools_list_matches_the_committed_snapshot(listed: dict[str, types.Tool]) -> None:
    update = os.environ.get("SCP_MCP_UPDATE_SNAPSHOTS") == "1"
    mismatched = []
    for prefix in PREFIXES:
        path = SNAPSHOTS / f"tools-{prefix}.json"
        rendered = _render([t for name, t in listed.items() if name.startswith(f"{prefix}_")])
        if update:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(rendered, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != rendered:
            mismatched.append(path.name)
    assert not mismatched, (
        f"tools/list changed for {', '.join(mismatched)}; review, then run "
        "SCP_MCP_UPDATE_SNAPSHOTS=1 pytest tests/tools/test_snapshot.py"
    )
    assert sum(len(json.loads((SNAPSHOTS / f"tools-{p}.json").read_text())) for p in PREFIXES) == 116
