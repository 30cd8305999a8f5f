"""Every command the README gives works as written (issue 14): each `make` target in its dry run
(`make -n`, which also checks the target exists and its variables parse), each `.venv/bin/snakemake`
command in its dry run on a copy of the project with the committed release (a git repository with
the release tagged as the README's versions), and the other `.venv/bin/` commands for real. Commands the README's walkthrough runs step by step are run by test_new_wave; the conda
route (conda, pip, plain snakemake and pytest) needs conda, which the test machine does not have."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_workflow import COPIED, RELEASE, ROOT

pytestmark = pytest.mark.slow
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Run by tests/workflow/test_new_wave.py, which follows the walkthrough that makes 2019.csv first.
WALKTHROUGH = {".venv/bin/python -m netclean_survey draft-wave resources/raw/2019.csv --wave 2019 "
               "--like config/waves/2018.yaml",
               # the opt-in cluster test itself (tests/workflow/test_slurm.py; .ci/run runs it)
               ".venv/bin/python -m pytest -m slurm"}


def readme_commands() -> list[str]:
    """Commands in the README's shell blocks and in backticks, as a reader would type them."""
    found = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command.startswith(("make", ".venv/bin/")):
                found.append(command)
    found += [c for c in re.findall(r"`((?:make|\.venv/bin/)[^`]*)`", README) if c != ".venv/bin/"]
    return sorted(dict.fromkeys(found))


def test_the_readme_gives_commands_to_check():
    commands = readme_commands()
    assert "make run" in commands and "make test" in commands and ".venv/bin/snakemake --cores 4" in commands


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, work / name)
    shutil.copytree(ROOT / "results" / RELEASE, work / "results" / RELEASE)
    # a repository with the two tagged versions the README's release commands name
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"], ["tag", f"{RELEASE}-v1.0.0"],
                 ["commit", "-q", "--allow-empty", "-m", "corrected release"], ["tag", f"{RELEASE}-v1.1.0"]):
        subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=work,
                       check=True, capture_output=True)
    return work


@pytest.mark.parametrize("command", [c for c in readme_commands() if c.startswith("make")])
def test_every_make_target_of_the_readme_exists_and_parses(command):
    result = subprocess.run(["make", "-n", *shlex.split(command)[1:]], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    assert "No rule to make target" not in result.stderr


@pytest.mark.parametrize("command", [c for c in readme_commands()
                                     if c.startswith(".venv/bin/") and c not in WALKTHROUGH])
def test_every_venv_command_of_the_readme_runs(command, project):
    args = shlex.split(command)
    args[0] = str(Path(sys.executable).with_name(Path(args[0]).name))
    if Path(args[0]).name == "snakemake" and "--unlock" not in args:
        args.append("--dry-run")
    result = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=600,
                            env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
                                 "PYTHONPATH": str(project / "workflow"), "HOME": str(project)})
    assert result.returncode == 0, f"{command}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
