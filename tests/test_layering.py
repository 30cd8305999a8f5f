"""The package's layers, read from its imports with ``ast``: ``core`` imports only ``core``, the
statistics never import ``render``, what the Snakefile reads when it is parsed imports no pandas,
and each rule's declared code inputs cover every package module its script loads."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from netclean_survey.core.imports import import_closure

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workflow" / "netclean_survey"
SCRIPTS = sorted((ROOT / "workflow" / "scripts").glob("*.py"))
STATISTICS = ("estimate", "compare")  # compare/publish.py writes the results: it is the stage, not statistics
STAGE_MODULES = {"compare/publish.py", "compare/publish_breakdowns.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved), anywhere in it."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module)
    return found


def package_modules(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).glob("*.py"))


@pytest.mark.parametrize("path", package_modules("core"), ids=lambda p: p.name)
def test_core_imports_only_core(path):
    ours = {m for m in imported_modules(path) if m.split(".")[0] == "netclean_survey"}
    outside = {m for m in ours if not (m == "netclean_survey" or m.startswith("netclean_survey.core"))}
    assert not outside, f"{path.name} imports {sorted(outside)}"


@pytest.mark.parametrize("path", [p for s in STATISTICS for p in package_modules(s)
                                  if p.relative_to(PACKAGE).as_posix() not in STAGE_MODULES], ids=lambda p: p.name)
def test_statistics_never_import_render(path):
    rendering = {m for m in imported_modules(path)
                 if m.startswith(("netclean_survey.render", "matplotlib", "seaborn"))}
    assert not rendering, f"{path.relative_to(PACKAGE)} imports {sorted(rendering)}"


def parse_time_modules() -> set[str]:
    """The package modules the Snakefile and its rule files import at the top level."""
    names = set()
    for path in [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "from" and words[1].startswith("netclean_survey"):
                names.add(words[1])
    return names


def test_what_the_snakefile_reads_at_parse_time_imports_no_pandas():
    modules = parse_time_modules()
    assert {"netclean_survey.core.codebook", "netclean_survey.core.imports"} <= modules
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in sorted(modules))
            + "print(json.dumps(sorted(m for m in ('pandas', 'numpy', 'scipy', 'statsmodels', 'matplotlib') "
              "if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_a_rules_code_inputs_cover_what_its_script_loads(script):
    """Import what the script imports, then every package module Python loaded must be declared."""
    imports = [node for node in ast.parse(script.read_text(encoding="utf-8")).body
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    code = "\n".join(ast.unparse(node) for node in imports) + (
        "\nimport json, sys\nprint(json.dumps(sorted(getattr(m, '__file__', None) or '' for n, m in list(sys.modules.items())"
        " if n.split('.')[0] == 'netclean_survey')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    loaded = {Path(f).resolve() for f in json.loads(result.stdout) if f}
    declared = {Path(p).resolve() for p in import_closure(script, PACKAGE)}
    code_free = {p for p in loaded if len(ast.parse(p.read_text(encoding="utf-8")).body) <= 1}  # docstring only
    assert loaded - code_free <= declared, sorted(str(p) for p in loaded - code_free - declared)


def test_a_figure_module_is_no_input_of_the_clean_estimate_or_table_rules():
    closures = {s.stem: {Path(p).relative_to(PACKAGE).as_posix() for p in import_closure(s, PACKAGE)}
                for s in SCRIPTS}
    for script in ("clean_export", "clean", "estimate", "tables", "claims", "consistency", "manifest", "promote"):
        assert "render/figures.py" not in closures[script], script
    assert "render/figures.py" in closures["figures"] and "render/figures.py" in closures["compare"]
    assert "audit/lexicon.py" in closures["claims"]
    assert not [s for s, files in closures.items() if "audit/lexicon.py" in files and s != "claims"]


def readme_code_table() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### From an output to its code"):]
    section = section[:section.index("\n## ")]
    lines = section.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|---")) + 1
    rows = [line for line in lines[first:] if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_the_readmes_three_hops_are_true():
    """Every row of the README's table: the rule is in its rule file, the script exists and its
    docstring names the function, and the function is there."""
    import importlib

    rows = readme_code_table()
    assert len(rows) >= 10
    for output, rules, scripts, functions in rows:
        rule_file = ROOT / "workflow" / "rules" / rules.split("(")[-1].rstrip(")").strip()
        rule_text = rule_file.read_text(encoding="utf-8")
        for rule in (r.strip(" `") for r in rules.split("(")[0].split(",")):
            name = rule.split("{")[0]
            assert f"rule {name}:" in rule_text or f'f"{name}' in rule_text, (rule, rule_file)
        for script, function in zip([s.strip(" `") for s in scripts.split(",")],
                                    [f.strip(" `") for f in functions.split(",")]):
            docstring = ast.get_docstring(ast.parse((ROOT / "workflow" / "scripts" / script).read_text(encoding="utf-8")))
            assert f"netclean_survey.{function}" in docstring, (script, function)
            module, _, attribute = f"netclean_survey.{function}".rpartition(".")
            assert callable(getattr(importlib.import_module(module), attribute)), function


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_every_script_names_its_rule_outputs_and_function(script):
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    assert docstring.startswith("Rule ") and "Out:" in docstring and "Function: netclean_survey." in docstring


@pytest.mark.parametrize("package", ["core", "clean", "estimate", "compare", "render", "audit", "release"])
def test_every_subpackage_says_what_comes_in_and_goes_out(package):
    docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and "In:" in docstring and "Out:" in docstring and "rule" in docstring.lower()


@pytest.mark.parametrize("rule_file", sorted((ROOT / "workflow" / "rules").glob("*.smk")), ids=lambda p: p.name)
def test_each_rule_takes_the_code_of_its_own_script(rule_file):
    """In rule order: a rule's ``code=code("x")`` names the script it runs, ``scripts/x.py``."""
    import re

    text = rule_file.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*rule\b", text)[1:]:
        scripts = re.findall(r'"\.\./scripts/(\w+)\.py"', block)
        codes = re.findall(r'code=code\("(\w+)"\)', block)
        assert codes in ([], scripts), (rule_file.name, codes, scripts)
