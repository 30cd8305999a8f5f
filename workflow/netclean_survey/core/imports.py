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
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE = "netclean_survey"


@lru_cache(maxsize=None)  # each rule's closure asks for the same modules
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


@dataclass
class ScanCache:
    """What :func:`_scan` read of each file, by the digest of the file's bytes and its place in the
    package: kept in ``path`` (a JSON file, like Python's own bytecode cache) so that a rerun
    parses only the files that changed. The Snakefile asks for the closure of every rule's script
    at every run; parsing the whole package each time was most of a no-op rerun's own work."""

    path: Path | None = None
    entries: dict = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, path: str | Path | None) -> ScanCache:
        if path is None:
            return cls()
        try:
            entries = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # absent, unreadable or half-written: start afresh
            entries = {}
        return cls(Path(path), entries if isinstance(entries, dict) else {})

    def save(self) -> None:
        """Write the cache if anything was added (atomically: a concurrent run reads all or nothing)."""
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:  # a read-only checkout: the digests are the same, only slower to work out
            return
        self.changed = False


@lru_cache(maxsize=None)
def _cache(path: str | None) -> ScanCache:
    return ScanCache.load(path)


def _scan(path: Path, package_root: Path, cache: ScanCache) -> tuple[tuple[str, ...], bool]:
    """The package modules one file imports, by dotted name (absolute and relative imports, and
    ``from package import module``), and whether it holds more than a docstring."""
    data = path.read_bytes()
    here = _module_name(package_root, path) if path.is_relative_to(package_root) else ""
    key = hashlib.sha256(f"{here}\0{path.name}\0".encode() + data).hexdigest()
    if isinstance(entry := cache.entries.get(key), list) and len(entry) == 2:
        return tuple(entry[0]), bool(entry[1])
    tree = ast.parse(data.decode("utf-8"), filename=str(path))
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
    imports = tuple(name for name in names if name.split(".")[0] == PACKAGE)
    body = tree.body
    docstring = body[:1] and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    has_code = len(body) > (1 if docstring else 0)
    cache.entries[key] = [list(imports), has_code]
    cache.changed = True
    return imports, has_code


def _parents(module: str) -> list[str]:
    """The packages a module's import runs first: ``a.b.c`` -> ``a``, ``a.b``."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_closure(script: str | Path, package_root: str | Path, cache: str | Path | None = None) -> list[str]:
    """Every file of the package that importing ``script`` runs, sorted, as paths like those given.
    ``cache``: a file where what was read of each file is kept for the next process (:class:`ScanCache`)."""
    script, package_root = Path(script), Path(package_root)
    root = package_root.resolve()
    scans = _cache(None if cache is None else str(cache))
    seen: dict[Path, bool] = {}  # file -> holds code
    todo = list(_scan(script.resolve(), root, scans)[0])
    while todo:
        module = todo.pop()
        for name in [*_parents(module), module]:
            path = module_file(root, name)
            if path is None or path in seen:
                continue
            imports, seen[path] = _scan(path, root, scans)
            todo += imports
    scans.save()
    return sorted(str(package_root / p.relative_to(root)) for p, has_code in seen.items() if has_code)



def code_digest(script: str | Path, package_root: str | Path, cache: str | Path | None = None) -> str:
    """The digest of the files of :func:`import_closure` (their paths and bytes): "17 files, sha256 1a2b..."."""
    files = import_closure(script, package_root, cache)
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).relative_to(package_root).as_posix().encode() + b"\0")
        digest.update(Path(name).read_bytes() + b"\0")
    return f"{len(files)} files, sha256 {digest.hexdigest()[:16]}"
