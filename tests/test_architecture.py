"""The module rules of docs/architecture.md: no import circle, page models import no views,
forms or services, catalog/blocks.py and the site settings stay near the bottom.

Read from the source with `ast`, so an import hidden inside a function counts as much as one at
the top of a file: hiding an import is how a circle survives at load time.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("catalog", "consultations", "home", "orders", "website")
PAGE_MODELS = ("catalog.models", "home.models")
# The view layer: what a page model must not reach, even through other modules.
VIEW_LAYER_NAMES = ("views", "forms", "services", "templatetags", "wagtail_hooks", "admin")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{module name: path} for the project's own code, migrations left out."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imported_names(path, name):
    """Every module name `path` imports, at any depth of its code (relative imports resolved)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".")
                package = package[: len(package) - node.level + (1 if is_package else 0)]
                base = ".".join([*package, base] if base else package)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph():
    """{module: set of the project's modules it imports}, parent packages included (importing
    catalog.reviews.models runs catalog/reviews/__init__.py first)."""
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(path, name):
            parts = imported.split(".")
            for i in range(1, len(parts) + 1):
                candidate = ".".join(parts[:i])
                if candidate in modules and candidate != name:
                    targets.add(candidate)
        graph[name] = targets
    return graph


def circles(graph):
    """The groups of modules that import each other, directly or through others."""
    reach = {module: reachable(graph, module) for module in graph}
    groups = {
        frozenset({module} | {other for other in reach[module] if module in reach[other]})
        for module in graph
        if module in reach[module]
    }
    return sorted(sorted(group) for group in groups)


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def is_view_layer(module):
    return any(part in VIEW_LAYER_NAMES for part in module.split("."))


def is_package_of(package, module):
    return module == package or module.startswith(package + ".")


def test_the_project_has_no_import_circle():
    assert circles(import_graph()) == []


def test_the_checker_finds_a_circle_and_a_hidden_import(tmp_path):
    """The checker itself: a circle closed by an import inside a function is found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    source = tmp_path / "models.py"
    source.write_text("def f():\n    from .views import add\n")
    assert "pkg.views" in set(imported_names(source, "pkg.models"))


@pytest.mark.parametrize("page_models", PAGE_MODELS)
def test_page_models_reach_no_view_form_or_service_code(page_models):
    graph = import_graph()
    assert sorted(m for m in reachable(graph, page_models) if is_view_layer(m)) == []


@pytest.mark.parametrize("blocks", ["catalog.blocks", "consultations.blocks"])
def test_blocks_are_a_leaf(blocks):
    assert import_graph()[blocks] == set()


def test_consultation_models_reach_no_view_form_or_service_code():
    graph = import_graph()
    assert sorted(m for m in reachable(graph, "consultations.models") if is_view_layer(m)) == []


def test_site_settings_reach_no_page_model():
    graph = import_graph()
    reached = reachable(graph, "home.site_settings")
    assert sorted(m for m in reached if m in PAGE_MODELS) == []
    assert not any(is_package_of("catalog", m) for m in reached)
