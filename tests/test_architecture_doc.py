"""docs/ARCHITECTURE.md stays true: every package and every tools module it is about is named there,
and its layer table says what tests/test_layers.py enforces."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_layers import ALLOWED

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_tools_module_is_described() -> None:
    modules = sorted(p.name for p in (REPO / "scp_mcp" / "tools").glob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if f"`{m}`" not in DOC]
    assert missing == []


def test_every_package_is_in_the_layout() -> None:
    packages = sorted(p.name for p in (REPO / "scp_mcp").iterdir() if (p / "__init__.py").exists())
    missing = [p for p in packages if f"  {p}/" not in DOC]
    assert missing == []


def test_the_layer_table_matches_the_enforced_rules() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]*) \|", DOC, flags=re.MULTILINE))
    documented = {part: set(re.findall(r"`(\w+)`", cell)) for part, cell in rows.items() if part in ALLOWED}
    assert set(documented) == set(ALLOWED)
    for part, allowed in ALLOWED.items():
        assert documented[part] == set(allowed), part
