"""The dependency direction of style.md and docs/architecture.md, enforced.

- ``scanners`` imports nothing of Django or readiness (checked by importing it in a fresh interpreter);
- inside ``readiness`` dependencies point one way, down the layers below (a module imports, at module level,
  nothing of a higher layer), and the pure layer imports no Django, DRF or Celery;
- there is no import cycle among readiness modules.

Imports are read from the source (``ast``), those inside functions too: a lazy import is still a dependency.
The one exception is a service enqueuing a Celery task through a lazy import (``from readiness import tasks``
inside ``scan_run_start``), as the HackSoft styleguide does. Imports under ``if TYPE_CHECKING:`` are for the
type checker only and are not counted.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A readiness module belongs to the first layer with a matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "pure",  # plain data and pure functions: the import format, checks, rule packs, scoring, the report
        (
            "readiness.platforms",
            "readiness.imports.bundle",
            "readiness.imports.spreadsheet",
            "readiness.imports.platform_exports",
            "readiness.categories",
            "readiness.rulepacks",
            "readiness.checks",
            "readiness.scoring",
            "readiness.report",
            "readiness.scanning",
            "readiness.aftersales.records",
            "readiness.aftersales.files",
            "readiness.aftersales.metrics",
            "readiness.aftersales.problems",
            "readiness.aftersales.forecast",
            "readiness.aftersales.demo",
            "readiness.fetching",
        ),
    ),
    (
        "models",
        (
            "readiness.models",
            "readiness.bulkwrite",
            "readiness.migrations",
            "readiness.aftersales.models",
            "readiness.capabilities",
        ),
    ),
    ("reads", ("readiness.selectors", "readiness.aftersales.selectors", "readiness.aftersales.reporting")),
    ("writes", ("readiness.imports.writing", "readiness.services", "readiness.aftersales.services")),
    (
        "entry points",  # thin: parse input, call one service or selector
        (
            "readiness.api",
            "readiness.web",
            "readiness.tasks",
            "readiness.management",
            "readiness.admin",
            "readiness.system_checks",
            "readiness.urls",
            "readiness.templatetags",
        ),
    ),
]
# Packages whose __init__ only documents them (their modules have layers above).
WIRING = ("readiness.settings", "readiness.celery", "readiness.wsgi", "readiness.apps", "readiness.imports")
PACKAGES = ("readiness.aftersales",)
NOT_IN_PURE = ("django", "rest_framework", "celery", "drf_spectacular", "django_filters")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def readiness_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / "readiness").rglob("*.py"))}


def imports_of(path: Path, name: str, modules: dict[str, Path]) -> Iterator[tuple[str, bool]]:
    """Every module ``name`` imports, with whether the import is lazy (inside a function). Imports under
    ``if TYPE_CHECKING:`` are for the type checker only and are left out."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST, lazy: bool) -> Iterator[tuple[str, bool]]:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (item for child in node.orelse for item in visit(child, lazy))
            return
        if isinstance(node, ast.Import):
            yield from ((alias.name, lazy) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], base]).strip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in modules else base), lazy
        for child in ast.iter_child_nodes(node):
            yield from visit(child, lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False)


# The one lazy import allowed to point up: a service enqueues a Celery task (tasks call services), as the
# HackSoft styleguide does. (importer prefix, imported module)
ALLOWED_LAZY = {("readiness.services.", "readiness.tasks")}


def import_graph() -> dict[str, set[str]]:
    """readiness module -> the modules it imports (module-level and lazy, except the allowed lazy ones)."""
    modules = readiness_modules()
    return {
        name: {
            target
            for target, lazy in imports_of(path, name, modules)
            if not (lazy and any(name.startswith(who) and target == what for who, what in ALLOWED_LAZY))
        }
        for name, path in modules.items()
    }


def layer_of(name: str) -> int | None:
    for rank, (_label, prefixes) in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    return None


def test_import_scanners_loads_no_django() -> None:
    code = (
        "import importlib, json, pkgutil, sys, scanners\n"
        "for mod in pkgutil.walk_packages(scanners.__path__, 'scanners.'):\n"
        "    importlib.import_module(mod.name)\n"
        "scanners.scan_listing({'id': 'L1', 'title': '最佳'}) if hasattr(scanners, 'scan_listing') else None\n"
        "banned = {'django', 'readiness', 'rest_framework', 'celery'}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in banned)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_every_readiness_module_has_a_layer() -> None:
    unplaced = [
        name
        for name in readiness_modules()
        if name != "readiness" and layer_of(name) is None and not name.startswith(WIRING) and name not in PACKAGES
    ]
    assert unplaced == []


def test_dependencies_point_down() -> None:
    upward = []
    for name, imported in import_graph().items():
        rank = layer_of(name)
        if rank is None:
            continue
        for target in imported:
            target_rank = layer_of(target)
            if target_rank is not None and target_rank > rank:
                upward.append(f"{name} ({LAYERS[rank][0]}) imports {target} ({LAYERS[target_rank][0]})")
    assert upward == []


def test_pure_layer_imports_no_django() -> None:
    impure = [
        f"{name} imports {target}"
        for name, imported in import_graph().items()
        if layer_of(name) == 0
        for target in imported
        if target.split(".")[0] in NOT_IN_PURE
    ]
    assert impure == []


def test_no_import_cycles_among_readiness_modules() -> None:
    graph = {name: {t for t in targets if t.startswith("readiness")} for name, targets in import_graph().items()}
    cycles = [sorted(component) for component in strongly_connected(graph) if len(component) > 1]
    cycles += [[name] for name, targets in graph.items() if name in targets]
    assert cycles == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}}, [["a", "b", "c"], ["d"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    found = [sorted(c) for c in strongly_connected(graph) if len(c) > 1 or next(iter(c)) in graph[next(iter(c))]]
    assert sorted(found) == expected


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm (iterative): the strongly connected components of ``graph``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components
