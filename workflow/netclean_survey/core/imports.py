"""Which files of the package a rule's script runs, and their digest: what makes Snakemake rerun a
rule when, and only when, its code changes.

Snakemake's code trigger watches the script file alone, not the modules it imports; so every rule
carries the digest of the package modules its script imports, directly or through other modules
(imports inside functions included: a module loaded lazily still runs), as a parameter: a change to
one of them changes the parameter, and Snakemake reruns the rule ("Params have changed since last
execution"), while the job's printout stays short (a parameter is not listed, an input file is).
The closure is read from the source with ``ast``, nothing is imported: the Snakefile works it out
when it is parsed, with no pandas. A module that holds nothing but its docstring (a subpackage's
``__init__``) cannot change an output and is left out.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = "netclean_survey"


def module_file(package_root: Path, module: str) -> Path | None:
    """The file of a dotted module name of the package (``netclean_survey.core.codebook``), or None."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package_root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(package_root: Path, path: Path) -> str:
    parts = list(path.relative_to(package_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


@lru_cache(maxsize=None)
def _tree(path: Path) -> ast.Module:
    """One file's syntax tree, parsed once per process: the Snakefile asks for the closure of every
    rule's script, and the scripts share most of their modules."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@lru_cache(maxsize=None)
def _imported(path: Path, package_root: Path) -> tuple[str, ...]:
    """The package modules one file imports, by dotted name (absolute and relative imports, and
    ``from package import module``)."""
    tree = _tree(path)
    here = _module_name(package_root, path) if path.is_relative_to(package_root) else ""
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]  # a submodule imported by name
    return tuple(name for name in names if name.split(".")[0] == PACKAGE)


def _parents(module: str) -> list[str]:
    """The packages a module's import runs first: ``a.b.c`` -> ``a``, ``a.b``."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _has_code(path: Path) -> bool:
    body = _tree(path).body
    docstring = body[:1] and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return len(body) > (1 if docstring else 0)


def import_closure(script: str | Path, package_root: str | Path) -> list[str]:
    """Every file of the package that importing ``script`` runs, sorted, as paths like those given."""
    script, package_root = Path(script), Path(package_root)
    root = package_root.resolve()
    seen: set[Path] = set()
    todo = list(_imported(script.resolve(), root))
    while todo:
        module = todo.pop()
        for name in [*_parents(module), module]:
            path = _module_file(root, name)
            if path is None or path in seen:
                continue
            seen.add(path)
            todo += _imported(path, root)
    return sorted(str(package_root / p.relative_to(root)) for p in seen if _has_code(p))


@lru_cache(maxsize=None)
def _module_file(package_root: Path, module: str) -> Path | None:
    """:func:`module_file`, looked up once per process (each rule's closure asks for the same modules)."""
    return module_file(package_root, module)


def code_digest(script: str | Path, package_root: str | Path) -> str:
    """The digest of the files of :func:`import_closure` (their paths and bytes): "17 files, sha256 1a2b..."."""
    files = import_closure(script, package_root)
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).relative_to(package_root).as_posix().encode() + b"\0")
        digest.update(Path(name).read_bytes() + b"\0")
    return f"{len(files)} files, sha256 {digest.hexdigest()[:16]}"
