"""The manifest of a release: which data, configuration, code and libraries made which bytes.

``results/{release}/MANIFEST.json`` lists every artifact of the release with its sha256 and size,
every input (raw exports, config, questionnaire, wave files, the package's source) with its
sha256, and the provenance: package version, git commit (when there is one), Python, library
versions and platform. Keys and lists are sorted and nothing in it is a timestamp, so the same
inputs and code give the same manifest.

Verification (``verify``) compares ``inputs`` and ``artifacts``; ``provenance`` says where and with
what a release was made, and a different machine or commit is reported, not counted as a difference.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from .. import __version__

LIBRARIES = ("matplotlib", "numpy", "openpyxl", "pandas", "pandera", "pyarrow", "pyyaml", "scipy", "seaborn",
             "snakemake", "statsmodels")


MANIFEST_NAME = "MANIFEST.json"


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded_path(path: str | Path, root: str | Path) -> str:
    """A path as the manifest records it: relative to the project root when it lies below it, else
    as configured (a raw export may be a symlink to a share outside the checkout: the path is not
    resolved, the hash is of the bytes it leads to)."""
    path = Path(os.path.normpath(path))
    if path.is_absolute():
        try:
            return path.relative_to(Path(root).absolute()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def file_record(path: str | Path, root: str | Path, recorded: str | None = None) -> dict:
    path = Path(path)
    return {"path": recorded or recorded_path(path, root), "sha256": sha256(path), "size": path.stat().st_size}


def git_commit(root: str | Path) -> dict:
    """The commit of the working tree, and whether it had uncommitted changes; nulls without git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30)
        # dirty: uncommitted changes to what makes a release (the release's own files excluded)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                 ":(exclude)results"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if commit.returncode != 0:
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}


def provenance(root: str | Path) -> dict:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "package": {"name": "netclean-survey", "version": __version__},
        "git": git_commit(root),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "libraries": versions,
    }


def build_manifest(release: str, artifacts, inputs, root: str | Path = ".", staged: str | None = None,
                   published: str | None = None, version: str | None = None) -> dict:
    """The manifest as a dict: artifacts and inputs sorted by path. Artifacts written under ``staged``
    (the staging tree) are recorded under ``published`` (the release folder they are promoted to).
    ``version``: the release's version (config ``version``; recorded when given)."""
    def as_published(path: str) -> str:
        if staged and (path == staged or path.startswith(staged.rstrip("/") + "/")):
            return published.rstrip("/") + path[len(staged.rstrip("/")):]
        return path

    artifact_records = [file_record(p, root, as_published(recorded_path(p, root))) for p in artifacts]
    input_records = [file_record(p, root) for p in inputs]
    unique = lambda records: sorted({r["path"]: r for r in records}.values(), key=lambda r: r["path"])  # noqa: E731
    manifest = {
        "release": release,
        "note": "Artifacts and inputs are compared by `snakemake verify`; provenance is reported.",
        "inputs": unique(input_records),
        "artifacts": unique(artifact_records),
        "provenance": provenance(root),
    }
    if version is not None:
        manifest["version"] = version
    return manifest


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(manifest: dict, path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        handle.write(manifest_text(manifest))
