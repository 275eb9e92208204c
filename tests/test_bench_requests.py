"""The tool-choice requests (bench/tool_choice_requests.jsonl) stay usable: every label names a real
tool, both languages and all phrasings are there, and the hard pairs are pairs. No model is loaded."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scp_mcp.catalog import load_catalog

REQUESTS = Path(__file__).resolve().parent.parent / "bench" / "tool_choice_requests.jsonl"


def test_requests_name_real_tools_in_both_languages() -> None:
    rows = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    catalog = load_catalog()
    assert len(rows) >= 150
    assert all(catalog.get(row["tool"]) is not None for row in rows), [r["tool"] for r in rows]
    assert {row["lang"] for row in rows} == {"en", "ko"}
    assert {row["style"] for row in rows} == {"terse", "narrative", "troubleshooting"}
    assert len({row["text"] for row in rows}) == len(rows)
    pairs = Counter(row["pair"] for row in rows if row.get("pair"))
    members = {key: {r["tool"] for r in rows if r.get("pair") == key} for key in pairs}
    assert sum(1 for n in pairs.values() if n > 1) >= 40
    assert all(len(tools) == pairs[key] for key, tools in members.items() if pairs[key] > 1)
