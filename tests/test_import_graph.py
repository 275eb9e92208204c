"""The modules of scp_mcp import one another without a circle.

Every `import` counts: at module level, inside functions, under `if TYPE_CHECKING:`, absolute or
relative. `from package import name` is an edge to the submodule `package.name` when there is one,
else to the package. A package's `__init__` importing its own submodules is an edge like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scp_mcp"

# Circles that existed when this test was written, outside the sandbox; each entry is a circle's
# modules, sorted. Remove an entry once its circle is gone; never add one.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    """The module an import names, relative imports resolved against `here`."""
    if node.level == 0:
        return node.module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, name, path.name == "__init__.py")
            for alias in node.names:
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "scp_mcp.sandbox.asgi" in graph["scp_mcp.sandbox.sandbox"]  # absolute, module level
    assert "scp_mcp.sandbox.ids" in graph["scp_mcp.sandbox.asgi"]  # `from package import module`
    assert "scp_mcp.sandbox.sandbox" in graph["scp_mcp.sandbox.serve"]  # inside a function
    assert "scp_mcp.sandbox.handlers.flows" in graph["scp_mcp.sandbox.handlers"]  # from __init__


def test_relative_imports_resolve() -> None:
    node = ast.parse("from . import base\nfrom ..store import Record").body
    assert isinstance(node[0], ast.ImportFrom)
    assert isinstance(node[1], ast.ImportFrom)
    assert _absolute(node[0], "scp_mcp.sandbox.handlers.flows", False) == "scp_mcp.sandbox.handlers"
    assert _absolute(node[1], "scp_mcp.sandbox.handlers.flows", False) == "scp_mcp.sandbox.store"
    assert _absolute(node[0], "scp_mcp.sandbox.handlers", True) == "scp_mcp.sandbox.handlers"


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == {("a", "b", "c")}


def test_no_new_import_circles() -> None:
    found = cycles(import_graph())
    new = found - KNOWN_CYCLES
    assert not new, "import circles: " + "; ".join(" <-> ".join(c) for c in sorted(new))
    gone = KNOWN_CYCLES - found
    assert not gone, f"these known circles are gone; remove them from KNOWN_CYCLES: {sorted(gone)}"
