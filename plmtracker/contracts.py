"""An import-linter contract type for the rule "no private names across modules" (pyproject.toml,
[tool.importlinter]). Only `lint-imports` imports this module; the site never does.

A name with a leading underscore is its module's own. Another module may not take it:

    from collector.services import _lock_group    # the name itself
    from collector import services
    services._lock_group(...)                      # or through the module
    import dashboard.queries as base
    base._total(...)

A package's private submodule (`bench/_dashboard_sql.py`) is the package's: modules inside
that package may import it, modules outside may not. Dunder names (`__version__`) are public.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True)
class PrivateImport:
    importer: str
    line: int
    name: str  # the private name, as written: "_total"
    source: str  # the module it belongs to: "dashboard.queries"

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} takes {self.name} from {self.source}"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _within(importer: str, package: str) -> bool:
    return importer == package or importer.startswith(package + ".")


def _absolute(importer: str, is_package: bool, level: int, module: str | None) -> str:
    """The module a (possibly relative) `from ... import` names, seen from `importer`."""
    if not level:
        return module or ""
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _private_module_path(importer: str, module: str) -> tuple[str, str] | None:
    """(private component, its package) of the first private part of `module` that `importer` is outside of."""
    parts = module.split(".")
    for index, part in enumerate(parts):
        if is_private(part):
            package = ".".join(parts[:index])
            if not _within(importer, package):
                return part, package
    return None


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def private_imports(importer: str, source: str, modules: set[str], *, is_package: bool = False) -> list[PrivateImport]:
    """The private names `importer` (whose code is `source`) takes from other modules.

    `modules` are the project's modules (the import graph's), to tell a submodule from a name.
    """
    tree = ast.parse(source)
    found: list[PrivateImport] = []
    bound: dict[str, str] = {}  # local name -> the module it stands for

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if hit := _private_module_path(importer, alias.name):
                    found.append(PrivateImport(importer, node.lineno, hit[0], hit[1]))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(importer, is_package, node.level, node.module)
            if hit := _private_module_path(importer, module):
                found.append(PrivateImport(importer, node.lineno, hit[0], hit[1]))
                continue
            for alias in node.names:
                target = f"{module}.{alias.name}"
                if target in modules:
                    bound[alias.asname or alias.name] = target
                if is_private(alias.name) and not (target in modules and _within(importer, module)):
                    found.append(PrivateImport(importer, node.lineno, alias.name, module))

    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and is_private(node.attr)):
            continue
        dotted = _dotted(node.value)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        if head not in bound:
            continue
        module = ".".join(filter(None, [bound[head], rest]))
        if module not in modules and not (rest == "" and head in bound):
            continue
        if f"{module}.{node.attr}" in modules and _within(importer, module):
            continue  # the package's own private submodule
        found.append(PrivateImport(importer, node.lineno, node.attr, module))
    return sorted(set(found), key=lambda p: (p.line, p.name))


def module_file(module: str) -> tuple[Path, bool] | None:
    """The file of a module of an importable top-level package, and whether it is a package."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    if (base / "__init__.py").exists():
        return base / "__init__.py", True
    if base.with_suffix(".py").exists():
        return base.with_suffix(".py"), False
    return None


class NoPrivateImportsContract(Contract):
    """No module of `containers` takes another module's private name (modules matching `ignore` are left out).

    `allow` names single exceptions as "importer:source.name", each with its reason beside it
    in the configuration (a third-party private name the project depends on, pinned).
    """

    containers = fields.ListField(subfield=fields.StringField())
    ignore = fields.ListField(subfield=fields.StringField(), required=False)
    allow = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        modules = set(graph.modules)
        patterns = list(self.ignore or [])
        found: list[PrivateImport] = []
        checked = 0
        for module in sorted(modules):
            if not any(_within(module, c) for c in self.containers) or any(fnmatch(module, p) for p in patterns):
                continue
            located = module_file(module)
            if located is None:
                continue
            path, is_package = located
            checked += 1
            found += private_imports(module, path.read_text(), modules, is_package=is_package)
        allowed = set(self.allow or [])
        found = [p for p in found if f"{p.importer}:{p.source}.{p.name}" not in allowed]
        output.verbose_print(verbose, f"Checked {checked} modules for private imports.")
        return ContractCheck(kept=not found, metadata={"found": [str(p) for p in found]})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(f"- {line}", bold=False)
        output.new_line()
        output.print("Make the name public where it is meant to be shared, or use it where it lives.")
