"""Which part may import which (DESIGN.md): nothing imports upward; the client knows nothing of MCP,
the tools nothing of transports or of the simulator, the simulator nothing but the catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scp_mcp"
ALLOWED = {
    "catalog": set(),
    "client": {"catalog"},
    "store": set(),
    "tools": {"catalog", "client", "store"},
    "sandbox": {"catalog"},
    "prompts": set(),
    "server": {"catalog", "client", "tools", "prompts", "sandbox", "store"},
    "cli": {"catalog", "client", "server", "sandbox", "tools", "store"},
}
THIRD_PARTY_FORBIDDEN = {
    "client": {"mcp"},
    "sandbox": {"mcp"},
    "catalog": {"mcp", "httpx"},
    "store": {"mcp", "httpx", "pydantic"},
}


def imports_of(part: str) -> set[str]:
    files = list((PACKAGE / part).rglob("*.py"))
    found: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_it_may(part: str) -> None:
    modules = imports_of(part)
    ours = {m.split(".")[1] for m in modules if m.startswith("scp_mcp.") and m.count(".") >= 1} - {part}
    assert ours <= ALLOWED[part], f"{part} imports {sorted(ours - ALLOWED[part])}"
    forbidden = {m.split(".")[0] for m in modules} & THIRD_PARTY_FORBIDDEN.get(part, set())
    assert not forbidden, f"{part} imports {sorted(forbidden)}"


def test_the_layer_table_covers_every_part() -> None:
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert parts == set(ALLOWED)
