"""A version per release, and the git tag that marks it: ``{release}-v{version}``
(``netclean-2018-v1.2.0``).

The version is semantic and set in config (``version:``): a correction that changes published
numbers bumps the minor version, a wording or presentation fix the patch, a new survey design the
major. The manifest and ``datapackage.json`` record it. ``make tag`` (``python -m
netclean_survey.release.versions tag``) tags the commit that holds the release, once its checks pass:

- the working tree has no uncommitted change to a tracked file (what is tagged is what was run);
- the committed manifest names the release and the version of config/config.yaml, and was made
  from a clean commit (``provenance.git.dirty`` false);
- no tag of that version exists, and the version is above every earlier tagged version of the
  release.

``make verify REV=<tag>`` then reruns the release of a tag and compares it byte for byte.
A refusal is one paragraph on stderr, exit status 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ..core.errors import ConfigError
from ..core.yamlfile import read_yaml
from .manifest import MANIFEST_NAME

VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.12.0"`` -> ``(1, 12, 0)``; ConfigError for anything else."""
    match = VERSION.fullmatch(str(text))
    if not match:
        raise ConfigError(f"{text!r} is not a version major.minor.patch, e.g. 1.2.0")
    return tuple(int(part) for part in match.groups())


def release_tag(release: str, version: str) -> str:
    """The git tag of a release's version: ``netclean-2018-v1.2.0``."""
    parse_version(version)
    return f"{release}-v{version}"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LC_ALL": "C"})


def tagged_versions(root: Path, release: str) -> dict[tuple[int, int, int], str]:
    """The versions of ``release`` tagged in the repository at ``root``, each with its tag."""
    listed = _git(root, "tag", "--list", f"{release}-v*")
    versions = {}
    for tag in listed.stdout.split():
        try:
            versions[parse_version(tag[len(release) + 2:])] = tag
        except ConfigError:
            continue  # a tag of another pattern (netclean-2018-v1-draft) is not a version
    return versions


def tag_problems(root: Path, release: str, version: str, manifest: dict | None) -> list[str]:
    """Why the release at ``root``'s HEAD cannot be tagged as ``version`` (empty: it can)."""
    problems = []
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if status.returncode != 0:
        return [f"{root.resolve()} is not a git checkout ({' '.join(status.stderr.split())})"]
    if status.stdout.strip():
        changed = [line[3:] for line in status.stdout.splitlines()][:5]
        problems.append(f"the working tree has uncommitted changes ({', '.join(changed)}): commit them, run the "
                        "release (make run) and commit results/ before tagging")
    if manifest is None:
        problems.append(f"results/{release}/{MANIFEST_NAME} is not committed: run the release (make run) and commit "
                        "results/ first")
    else:
        if manifest.get("release") != release:
            problems.append(f"the committed manifest is of release {manifest.get('release')!r}, not {release!r}")
        if manifest.get("version") != version:
            problems.append(f"the committed manifest records version {manifest.get('version')!r} and config/config.yaml "
                            f"says {version!r}: run the release (make run) and commit results/")
        if manifest.get("provenance", {}).get("git", {}).get("dirty") is not False:
            problems.append("the committed release was made from uncommitted code or configuration (its manifest says "
                            "dirty): commit them, run the release again and commit results/")
    tag = release_tag(release, version)
    earlier = tagged_versions(root, release)
    if parse_version(version) in earlier:
        problems.append(f"the tag {earlier[parse_version(version)]} exists: a corrected release gets a new version "
                        "(config/config.yaml, version:)")
    elif earlier and max(earlier) > parse_version(version):
        problems.append(f"{tag} would be below the latest tagged version {earlier[max(earlier)]}: raise the version in "
                        "config/config.yaml")
    return problems


def committed_manifest(root: Path, release: str) -> dict | None:
    shown = _git(root, "show", f"HEAD:./results/{release}/{MANIFEST_NAME}")
    return json.loads(shown.stdout) if shown.returncode == 0 else None


def tag_release(root: str | Path = ".", config: str | Path = "config/config.yaml") -> str:
    """Tag HEAD as the release's version (annotated tag, its message the release, version and
    commit of the code); ConfigError, one paragraph, when :func:`tag_problems` finds any."""
    root = Path(root)
    settings = read_yaml(root / config)
    release, version = settings["release"], str(settings["version"])
    tag = release_tag(release, version)
    manifest = committed_manifest(root, release)
    problems = tag_problems(root, release, version, manifest)
    if problems:
        raise ConfigError(f"{tag} is not tagged: " + "; ".join(problems) + ".")
    code = manifest["provenance"]["git"]["commit"]
    made = _git(root, "tag", "-a", tag, "-m", f"{release} {version}: the release made from commit {code}")
    if made.returncode != 0:
        raise ConfigError(f"{tag} is not tagged: git tag failed ({' '.join(made.stderr.split())})")
    return tag


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["tag"]:
        print("usage: python -m netclean_survey.release.versions tag", file=sys.stderr)
        return 2
    try:
        tag = tag_release()
    except (ConfigError, OSError, subprocess.SubprocessError) as error:
        print(f"tag: {error}", file=sys.stderr)
        return 2
    print(f"tagged {tag}. Publish it with `git push origin {tag}`; verify it with `make verify REV={tag}`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
