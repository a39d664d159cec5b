"""The web package's modules form layers, not a circle: the data layer knows no routes.

Read from the source (every import statement, including those inside functions, which
is how the old circle data -> routes_pages -> data hid from import-time errors)."""

from __future__ import annotations

import ast
from pathlib import Path

import storyline.web

WEB = Path(storyline.web.__file__).parent
PACKAGE = "storyline.web"


def web_imports(path: Path) -> set[str]:
    """The storyline.web modules a module imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                found.update(alias.name for alias in node.names)
            elif node.module.startswith(PACKAGE + "."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names
                         if a.name.startswith(PACKAGE + "."))
    return found - {path.stem}


def graph() -> dict[str, set[str]]:
    return {p.stem: web_imports(p) for p in WEB.glob("*.py") if p.stem != "__init__"}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle as the list of its modules, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_web_package_has_no_import_circle() -> None:
    edges = graph()
    assert {"data", "views", "routes_pages", "routes_api", "app"} <= set(edges)
    assert cycle(edges) is None, " -> ".join(cycle(edges) or [])


def test_the_data_layer_knows_no_routes_views_or_pages() -> None:
    above = {"routes_pages", "routes_api", "app", "views", "storypage", "jobs"}
    for module in ("data", "cache", "sidecar", "render"):
        assert not web_imports(WEB / f"{module}.py") & above, module


def test_the_cycle_finder_finds_a_circle() -> None:
    """The check above can fail: the old layout (data <-> routes_pages) is a circle."""
    old = {"data": {"cache", "routes_pages"}, "routes_pages": {"data", "views"},
           "views": {"data"}}
    assert cycle(old) == ["data", "routes_pages", "data"]
