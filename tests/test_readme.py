"""The README names only files the repository has, and ships the survey reference it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TRACKED = ("docs/", "config/", "tests/", "workflow/", "resources/", "benchmarks/", "profiles/")
MADE_BY_A_COMMAND = {"config/waves/2019.yaml"}  # written by the walkthrough's draft-wave step


def named_paths() -> list[str]:
    """Paths in backticks that name a file or folder of the repository (no placeholder, no pattern)."""
    found = set()
    for text in re.findall(r"`([^`\s]+)`", README):
        path = text.rstrip(".,:;)")
        made = path in MADE_BY_A_COMMAND or path.startswith("benchmarks/runs/")  # the benchmarks' scratch, ignored by git
        if path.startswith(TRACKED) and not made and not re.search(r"[{}<>*?]", path):
            found.add(path)
    return sorted(found)


def test_the_readme_names_paths_to_check():
    assert "docs/reference/SURVEY.md" in named_paths() and len(named_paths()) >= 20


@pytest.mark.parametrize("path", named_paths())
def test_every_path_the_readme_names_exists(path):
    assert (ROOT / path).exists(), f"README.md names {path}, which the repository does not have"


def test_the_reference_is_shipped_unchanged():
    for name in ("SURVEY.md", "report-2018-insight2.sv.txt"):
        shipped = ROOT / "docs" / "reference" / name
        assert shipped.exists()
        source = ROOT.parent / "shared" / "reference" / name
        if source.exists():  # the project's reference, where this workplace has it
            assert shipped.read_bytes() == source.read_bytes()
    assert "../shared" not in README
