"""The import rules the project's structure depends on, read from the source with `ast`.

Every import counts, also the ones inside functions: a function-level import only hides a cycle
from Python's loader, not from the reader who has to hold both modules in mind. The graph has an
edge for each explicit import (`from identities.models import Job` is an edge to
`identities.models`); the implicit import of a module's parent packages is left out, because a
package's `__init__` importing its own submodules would otherwise make every package a cycle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("accounts", "identities", "catalog", "config")

# The JSON API's plumbing (auth, bodies, error envelope) belongs to the HTTP edge: only the API
# routers may use it, so services and selectors stay callable from views, tasks and the shell.
API_PACKAGE = "config.api"
API_USERS = ("identities/api/", "accounts/api.py")

# Small shared modules every app may import; they must not pull an app back in.
LEAF_MODULES = ("config/refusals.py", "config/env.py", "config/forms.py", "config/requests.py")

MAX_LINES = 400
# Modules that are long because they are tables of data, not logic; splitting them would scatter
# one table over several files.
LONG_DATA_MODULES = {
    # The wizard's fields and chips: one declaration per field, read by the form, the schema,
    # the prompt builder and the extractor alike.
    "identities/briefs/vocabulary.py",
    # Words and phrases the text extractor maps onto chips, one entry per synonym.
    "identities/extraction/text/lexicon.py",
    # The one settings module (a project rule): declarations read from the environment, one
    # per setting, no logic beyond the typed readers it calls.
    "config/settings.py",
}


def _path_module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    """Dotted module name → file, for every project module."""
    return {
        _path_module(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _project_module(name: str) -> str | None:
    """The project module `name` loads: itself, or its longest known prefix (the module an
    imported attribute lives in)."""
    modules = _sources()
    parts = name.split(".")
    if parts[0] not in PACKAGES:
        return None
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _imported_names(module: str, path: Path, tree: ast.AST) -> Iterator[str]:
    package = module if _is_package(path) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            # `from package import name` loads the submodule when `name` is one.
            for alias in node.names:
                yield f"{base}.{alias.name}" if alias.name != "*" else base


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module → the project modules it imports."""
    graph = {}
    for module, path in _sources().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = {_project_module(name) for name in _imported_names(module, path, tree)}
        graph[module] = frozenset(target for target in targets - {None} if target != module)
    return graph


def _strongly_connected(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

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
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _shortest_cycle(graph: dict[str, frozenset[str]], component: list[str]) -> list[str]:
    """One cycle through the component's first module, as a → b → … → a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{component} is not a cycle")


def test_project_modules_import_each_other_without_a_cycle():
    graph = import_graph()

    cycles = []
    for component in _strongly_connected(graph):
        cycle = _shortest_cycle(graph, component)
        others = sorted(set(component) - set(cycle))
        cycles.append(
            " → ".join(cycle) + (f" (also tangled: {', '.join(others)})" if others else "")
        )

    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_only_the_api_routers_use_the_api_plumbing():
    graph = import_graph()
    sources = _sources()
    offenders = []
    for module, targets in sorted(graph.items()):
        path = _relative(sources[module])
        if module.split(".")[0] == "config" or path.startswith(API_USERS):
            continue
        used = sorted(t for t in targets if t == API_PACKAGE or t.startswith(API_PACKAGE + "."))
        if used:
            offenders.append(f"{path} imports {', '.join(used)}")

    assert offenders == [], "\n".join(offenders)


def test_the_shared_leaf_modules_import_only_each_other():
    graph = import_graph()
    sources = _sources()
    leaves = {module for module, path in sources.items() if _relative(path) in LEAF_MODULES}
    offenders = [
        f"{_relative(sources[module])} imports {', '.join(sorted(graph[module] - leaves))}"
        for module in sorted(leaves)
        if graph[module] - leaves
    ]

    assert offenders == [], "\n".join(offenders)


def test_modules_of_logic_stay_under_the_size_limit():
    long = []
    for path in _sources().values():
        relative = _relative(path)
        if "/migrations/" in relative or relative in LONG_DATA_MODULES:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long.append(f"{relative}: {lines} lines")

    assert long == [], f"over {MAX_LINES} lines (split by sub-domain):\n" + "\n".join(long)


def test_the_size_allow_list_names_only_long_existing_modules():
    # A stale entry would silently excuse whatever later takes its path.
    for relative in sorted(LONG_DATA_MODULES):
        path = ROOT / relative
        assert path.exists(), relative
        assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, relative


def test_the_graph_sees_imports_inside_functions():
    # The blocklist matcher is imported lazily by the brief collector; a graph that missed it
    # would miss the cycles such imports hide.
    assert "identities.briefs.blocklist" in import_graph()["identities.briefs.collector"]


def test_no_template_has_a_multi_line_short_comment():
    # Django's {# … #} ends at the line: a multi-line one is printed on the page as text.
    broken = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if any("\n" in body for body in re.findall(r"\{#(.*?)#\}", path.read_text(), re.S))
    ]
    assert broken == []
