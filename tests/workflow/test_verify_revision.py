"""Verify against a git revision: the release committed at HEAD is the record, the working tree is not.

A copy of the project becomes a git repository, its release is made there and committed (so the
test does not depend on the release committed in this repository). A cell changed in a commit is
found and named; a table changed only in the working tree is not looked at. The README's scheduled
run (`make scheduled`) stops at a tampered committed table before it pulls or publishes anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A git repository of the project with its release made there and committed, results/ included."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path_factory.mktemp("repository")
    for name in COPIED + [".gitignore", "Makefile", "pyproject.toml"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, work / name)
    git(work, "init", "-q")
    made = run_snakemake(work, "--cores", "2")
    assert made.returncode == 0, made.stderr[-5000:]
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "the release, made here")
    origin = tmp_path_factory.mktemp("origin") / "netclean.git"  # where a scheduled run pulls from
    git(work, "clone", "-q", "--bare", str(work), str(origin))
    git(work, "remote", "add", "origin", str(origin))
    git(work, "fetch", "-q", "origin")
    git(work, "branch", "-q", "--set-upstream-to", f"origin/{git(work, 'branch', '--show-current').strip()}")
    return work


def make(repo: Path, target: str) -> subprocess.CompletedProcess:
    """``make target`` with the test's own environment (the .venv the suite runs in, not a new one)."""
    venv = Path(sys.executable).parent.parent
    stamp = venv / ".installed-from-lock"
    env = {**os.environ, "PYTHONPATH": str(repo / "workflow")}  # the repository's package, not the suite's
    return subprocess.run(["make", "-o", str(stamp), target, f"VENV={venv}", "CORES=2"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=1800)


def test_verify_compares_a_rerun_with_the_committed_release_not_the_working_tree(repository):
    work = repository
    release = work / "results" / RELEASE
    link = release / "2018" / "tables" / "trafficking_link.csv"
    original = link.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    assert ",224," in lines[2]
    lines[2] = lines[2].replace(",224,", ",225,")  # the count of "no", one byte, committed
    link.write_text("".join(lines), encoding="utf-8")
    git(work, "commit", "-q", "-m", "tamper a committed cell", "--", str(link))
    only_here = release / "2016" / "tables" / "country.csv"  # changed in the working tree only
    only_here.write_bytes(only_here.read_bytes().replace(b",370,370,0,2,", b",370,370,0,3,", 1))
    assert git(work, "status", "--porcelain", "--", str(only_here)).strip()

    failed = make(work, "scheduled")  # the README's scheduled run: verify, then pull, then publish
    assert failed.returncode != 0
    assert "git pull" not in failed.stdout  # it stopped at verify: nothing pulled, nothing published
    head = git(work, "rev-parse", "HEAD").strip()[:7]
    assert f"verify {RELEASE}: 1 difference(s) from the release committed at HEAD ({head})" in failed.stderr
    assert "2018/tables/trafficking_link.csv: bytes differ" in failed.stderr
    assert "row 3, column count: '225' committed, '224' in the rerun" in failed.stderr
    assert "2016/tables/country.csv" not in failed.stdout + failed.stderr

    assert b",370,370,0,3," in only_here.read_bytes()  # the working tree's change is still there, unseen

    link.write_text(original, encoding="utf-8")
    git(work, "commit", "-q", "-m", "revert the tampered cell", "--", str(link))  # that file only
    git(work, "push", "-q", "origin", "HEAD")
    passed = make(work, "scheduled")
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    head = git(work, "rev-parse", "HEAD").strip()[:7]
    assert f"files agree byte for byte with the release committed at HEAD ({head})" in passed.stdout
    assert "git pull --ff-only" in passed.stdout
    # then `make run` republished the release whole: the hand-edited table is back to what the pipeline makes
    assert not git(work, "status", "--porcelain", "--", str(release)).strip()
