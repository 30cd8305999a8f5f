"""A version per release and its git tag (release.versions): tagged only when what is committed is
what was run, never twice, never below an earlier version; verify takes the tag."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netclean_survey.core.errors import ConfigError
from netclean_survey.release import versions
from netclean_survey.release.verify import resolve_revision

ROOT = Path(__file__).resolve().parents[2]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def write_release(root: Path, version: str, manifest_version: str | None = None, dirty: bool = False) -> None:
    (root / "config").mkdir(exist_ok=True)
    (root / "config" / "config.yaml").write_text(f"release: demo\nversion: {version}\n", encoding="utf-8")
    (root / "results" / "demo").mkdir(parents=True, exist_ok=True)
    manifest = {"release": "demo", "version": manifest_version or version, "artifacts": [], "inputs": [],
                "provenance": {"git": {"commit": "0" * 40, "dirty": dirty}}}
    (root / "results" / "demo" / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "Test")
    git(tmp_path, "config", "user.email", "test@example.org")
    write_release(tmp_path, "1.0.0")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "release demo 1.0.0")
    return tmp_path


def test_the_tag_names_the_release_and_its_version():
    assert versions.release_tag("netclean-2018", "1.2.0") == "netclean-2018-v1.2.0"
    assert versions.parse_version("1.12.0") > versions.parse_version("1.9.3")  # numbers, not text
    for bad in ("1.2", "v1.2.0", "01.2.0", "1.2.0-rc1"):
        with pytest.raises(ConfigError, match="not a version"):
            versions.parse_version(bad)


def test_a_committed_release_is_tagged_once_and_verify_resolves_the_tag(repo):
    assert versions.tag_release(repo) == "demo-v1.0.0"
    assert git(repo, "cat-file", "-t", "demo-v1.0.0") == "tag"  # annotated
    assert "demo 1.0.0: the release made from commit 0000000" in git(repo, "tag", "-n1", "demo-v1.0.0")
    assert resolve_revision(repo, "demo-v1.0.0") == git(repo, "rev-parse", "HEAD")
    with pytest.raises(ConfigError, match="the tag demo-v1.0.0 exists: a corrected release gets a new version"):
        versions.tag_release(repo)


@pytest.mark.parametrize("change, message", [
    (lambda r: write_release(r, "1.1.0", manifest_version="1.0.0"),
     "the committed manifest records version '1.0.0' and config/config.yaml says '1.1.0'"),
    (lambda r: write_release(r, "1.1.0", dirty=True), "made from uncommitted code or configuration"),
    (lambda r: write_release(r, "0.9.0"), "demo-v0.9.0 would be below the latest tagged version demo-v1.0.0"),
])
def test_a_release_that_is_not_what_was_run_is_not_tagged(repo, change, message):
    versions.tag_release(repo)
    change(repo)
    git(repo, "commit", "-qam", "next")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        versions.tag_release(repo)
    assert git(repo, "tag", "--list") == "demo-v1.0.0"


def test_uncommitted_changes_are_named_and_the_command_says_so_in_one_paragraph(repo):
    (repo / "config" / "config.yaml").write_text("release: demo\nversion: 1.0.0\n# edited\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "netclean_survey.release.versions", "tag"], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("tag: demo-v1.0.0 is not tagged: the working tree has uncommitted changes "
                                    "(config/config.yaml)")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert git(repo, "tag", "--list") == ""


def test_the_shipped_config_names_a_version_and_the_makefile_tags_it():
    from netclean_survey.core.yamlfile import read_yaml

    versions.parse_version(str(read_yaml(ROOT / "config" / "config.yaml")["version"]))
    assert "python -m netclean_survey.release.versions tag" in (ROOT / "Makefile").read_text(encoding="utf-8")
