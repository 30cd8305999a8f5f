"""The code a rule runs: the import closure of its script, and the digest that reruns the rule when
(and only when) a file of that closure changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from netclean_survey.core.imports import code_digest, import_closure

ROOT = Path(__file__).resolve().parents[2]


def copy_of_the_workflow(tmp_path: Path) -> Path:
    work = tmp_path / "workflow"
    for name in ("netclean_survey", "scripts"):
        shutil.copytree(ROOT / "workflow" / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    return work


def test_a_change_to_a_module_changes_the_digest_of_the_rules_that_import_it_only(tmp_path):
    work = copy_of_the_workflow(tmp_path)
    package = work / "netclean_survey"

    def digests():
        return {s: code_digest(work / "scripts" / f"{s}.py", package) for s in ("tables", "figures", "claims")}

    before = digests()
    assert before == digests()  # deterministic
    assert before["figures"].startswith(f"{len(import_closure(work / 'scripts' / 'figures.py', package))} files, sha256 ")
    figures = package / "render" / "figures.py"
    figures.write_text(figures.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    after = digests()
    assert after["figures"] != before["figures"]
    assert after["tables"] == before["tables"] and after["claims"] == before["claims"]


def test_the_closure_follows_relative_lazy_and_package_imports(tmp_path):
    package = tmp_path / "netclean_survey"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""docstring only"""\n')
    (package / "sub" / "__init__.py").write_text('"""docstring only"""\n')
    (package / "sub" / "a.py").write_text("from . import b\n\ndef f():\n    from ..c import g\n")
    (package / "sub" / "b.py").write_text("X = 1\n")
    (package / "c.py").write_text("from .sub.b import X\n\ndef g():\n    return X\n")
    (package / "unused.py").write_text("Y = 2\n")
    script = tmp_path / "script.py"
    script.write_text("from netclean_survey.sub.a import f\n")
    names = [Path(p).relative_to(package).as_posix() for p in import_closure(script, package)]
    assert names == ["c.py", "sub/a.py", "sub/b.py"]  # docstring-only __init__ files left out, unused.py too


def test_the_scan_cache_gives_the_closure_a_fresh_scan_gives_and_follows_every_change(tmp_path):
    """What was read of each file is kept by the digest of its bytes: a changed file is read again,
    a cache from another process gives the same closures, a broken cache file is ignored."""
    package = tmp_path / "netclean_survey"
    package.mkdir()
    (package / "a.py").write_text("X = 1\n")
    (package / "b.py").write_text("Y = 2\n")
    script = tmp_path / "script.py"
    script.write_text("from netclean_survey.a import X\n")
    cache = tmp_path / "cache" / "imports.json"

    def names(cache_file):
        return [Path(p).name for p in import_closure(script, package, cache_file)]

    assert names(cache) == names(None) == ["a.py"]
    assert cache.is_file()
    from netclean_survey.core import imports

    imports._cache.cache_clear()  # as in the next process: read back from the file
    assert names(cache) == ["a.py"] and not imports._cache(str(cache)).changed
    (package / "a.py").write_text("from .b import Y\nX = Y\n")  # the same file, now importing b
    assert names(cache) == names(None) == ["a.py", "b.py"]
    (package / "a.py").write_text('"""only a docstring now"""\n')
    assert names(cache) == names(None) == []
    assert code_digest(script, package, cache) == code_digest(script, package)
    other = tmp_path / "other.json"
    other.write_text("{not json")
    assert names(other) == []
