"""The domain's boundaries: importing ``tracker`` never loads Qt, and ``tracker`` imports in no loop.

The import-linter contracts in pyproject.toml keep the floors (``lint-imports``); they read the
imports the way :func:`import_graph` does, but a loop inside one floor (two services importing
each other) breaks no layers contract, and an import placed inside a function to dodge a loop is
still a loop.  So the whole graph is walked here, function-level imports included.
"""

import ast
import os
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import tracker

ROOT = Path(__file__).resolve().parents[2]


def test_importing_all_of_tracker_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(tracker.__path__, "tracker.")]
    assert "tracker.services.base" in modules and "tracker.cli.core" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# ---- the import graph ----------------------------------------------------------------------------

def package_modules(package_dir):
    """{module name: (file, is a package)} for every .py file under ``package_dir``."""
    package_dir = Path(package_dir)
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_imports(name, path, is_package, known):
    """[(imported module, line, enclosing function or "")] for every import ``name`` makes of a ``known`` module.

    Imports anywhere count (inside functions, classes, ``try``), except under ``if TYPE_CHECKING:``,
    which never runs.  ``from package import name`` imports the module ``package.name`` when there
    is one, else the package (as import-linter reads it); relative imports are resolved;
    ``importlib.import_module("literal")`` counts as an import.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if is_package else name.rpartition(".")[0]
    found = []

    def nearest_known(dotted):
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted

    def visit(node, function):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child, function)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = nearest_known(alias.name)
                if target:
                    found.append((target, node.lineno, function))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.append((f"{base}.{alias.name}", node.lineno, function))
                elif nearest_known(base):
                    found.append((nearest_known(base), node.lineno, function))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == \
                "import_module" and node.args and isinstance(node.args[0], ast.Constant):
            target = nearest_known(str(node.args[0].value))
            if target:
                found.append((target, node.lineno, function))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return [(target, line, function) for target, line, function in found if target != name]


def import_graph(package_dir):
    """{module: [(imported module, line, function), ...]} over every module of the package."""
    known = package_modules(package_dir)
    return {name: module_imports(name, path, is_package, known) for name, (path, is_package) in known.items()}


def import_cycles(graph):
    """Each group of modules that import each other (a strongly connected component), as
    (its modules, one shortest loop through them): the loop is [(module, line, function), ...],
    each entry importing the next one and the last the first."""
    edges = {m: {t for t, _, _ in imports} for m, imports in graph.items()}
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def connect(v):  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for module in sorted(edges):
        if module not in index:
            connect(module)
    cycles = []
    for component in components:
        start = min(component)
        came_from, frontier = {start: None}, [start]
        while frontier and start not in [w for v in frontier for w in edges[v]]:
            nxt = []
            for v in frontier:
                for w in sorted(edges[v] & component):
                    if w not in came_from:
                        came_from[w] = v
                        nxt.append(w)
            frontier = nxt
        last = next(v for v in frontier if start in edges[v])
        path = [last]
        while came_from[path[-1]] is not None:
            path.append(came_from[path[-1]])
        path.reverse()
        loop = []
        for i, module in enumerate(path):
            target = path[(i + 1) % len(path)]
            line, function = next((ln, fn) for t, ln, fn in graph[module] if t == target)
            loop.append((module, line, function))
        cycles.append((sorted(component), loop))
    return cycles


def describe_cycle(loop):
    steps = [f"{module} (line {line}{f', in {function}()' if function else ''})" for module, line, function in loop]
    return " -> ".join(steps + [loop[0][0]])


def describe_cycles(cycles):
    return "\n".join(f"{len(modules)} modules ({', '.join(modules)}), e.g. {describe_cycle(loop)}"
                     for modules, loop in cycles)


def test_tracker_imports_in_no_loop():
    graph = import_graph(ROOT / "tracker")
    assert "tracker.services.base" in graph and "tracker.cli.core" in graph
    cycles = import_cycles(graph)
    assert not cycles, "tracker's modules import each other in a loop (fix the layers, never with an import " \
                       "inside a function):\n" + describe_cycles(cycles)


def unfollowed_imports(package_dir):
    """["file:line"] of every ``import_module(...)`` or ``__import__(...)`` whose module the walk
    cannot read (not a literal): a loop could hide behind one."""
    found = []
    for path, _ in package_modules(package_dir).values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in \
                    ("import_module", "__import__") and not (node.args and isinstance(node.args[0], ast.Constant)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_walk_follows_every_import_in_tracker():
    assert unfollowed_imports(ROOT / "tracker") == []


def test_the_walk_sees_what_python_runs(tmp_path):
    """Function-level, relative and ``from package import module`` imports are followed; TYPE_CHECKING ones are not."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "def later():\n    from pkg.sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "from .. import c\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import d\nelse:\n    from . import a\n",
        "d.py": "import pkg.c\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(textwrap.dedent(text))
    graph = import_graph(pkg)
    assert graph["pkg.a"] == [("pkg.sub.b", 2, "later")]
    assert graph["pkg.sub.b"] == [("pkg.c", 1, "")]
    assert graph["pkg.c"] == [("pkg.a", 5, "")]
    [(modules, loop)] = import_cycles(graph)
    assert modules == ["pkg.a", "pkg.c", "pkg.sub.b"]
    assert describe_cycle(loop) == "pkg.a (line 2, in later()) -> pkg.sub.b (line 1) -> pkg.c (line 5) -> pkg.a"
