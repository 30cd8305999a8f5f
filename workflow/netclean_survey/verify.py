"""Verify a release: re-run it elsewhere and compare, byte for byte, with the committed one.

``rerun_release`` copies the workflow (Snakefile, config, workflow, resources) into a scratch
folder and runs Snakemake there; ``compare_releases`` compares the two release folders: every
file by its bytes, and for a CSV that differs the cells that differ (row and column), so an
auditor sees what changed, not only that something did. The manifests are compared by their
``inputs`` and ``artifacts``; a different ``provenance`` (machine, commit, library versions) is
reported as a note.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .manifest import MANIFEST_NAME, sha256

WORKFLOW_FILES = ("Snakefile", "config", "workflow", "resources", "environment.yml", "requirements.lock")
MAX_CELLS_SHOWN = 20


@dataclass(frozen=True)
class Difference:
    path: str  # relative to the release folder
    what: str  # "missing in the rerun", "not in the committed release", "bytes differ", ...
    details: tuple[str, ...] = ()


def csv_cell_differences(committed: bytes, rerun: bytes) -> list[str]:
    """The cells of two CSV files that differ, as "row R, column C: 'x' -> 'y'" (R counts the
    header as row 1, as a spreadsheet does)."""
    def rows(data: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))

    a, b = rows(committed), rows(rerun)
    header = a[0] if a else []
    found = []
    if len(a) != len(b):
        found.append(f"{len(a)} rows committed, {len(b)} in the rerun")
    for r, (row_a, row_b) in enumerate(zip(a, b), start=1):
        if row_a == row_b:
            continue
        width = max(len(row_a), len(row_b))
        for c in range(width):
            x = row_a[c] if c < len(row_a) else "<none>"
            y = row_b[c] if c < len(row_b) else "<none>"
            if x != y:
                name = header[c] if c < len(header) and r > 1 else f"{c + 1}"
                found.append(f"row {r}, column {name}: {x!r} committed, {y!r} in the rerun")
    if not found:
        found.append("the same cells; the bytes differ (line ends, quoting or encoding)")
    return found


def _manifest_differences(committed: Path, rerun: Path) -> tuple[list[Difference], list[str]]:
    a = json.loads(committed.read_text(encoding="utf-8"))
    b = json.loads(rerun.read_text(encoding="utf-8"))
    differences, notes = [], []
    for section in ("inputs", "artifacts"):
        left = {r["path"]: r["sha256"] for r in a.get(section, [])}
        right = {r["path"]: r["sha256"] for r in b.get(section, [])}
        changed = sorted(p for p in left.keys() | right.keys() if left.get(p) != right.get(p))
        if changed:
            details = tuple(
                f"{p}: {'absent' if p not in left else left[p][:12]} committed, "
                f"{'absent' if p not in right else right[p][:12]} in the rerun" for p in changed
            )
            differences.append(Difference(MANIFEST_NAME, f"{section} differ ({len(changed)})", details))
    if a.get("provenance") != b.get("provenance"):
        notes.append("made with a different provenance (machine, commit or library versions): see MANIFEST.json")
    return differences, notes


def compare_releases(committed: str | Path, rerun: str | Path) -> tuple[list[Difference], list[str]]:
    """Every difference between a committed release folder and a rerun of it, and notes."""
    committed, rerun = Path(committed), Path(rerun)
    files_a = {p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file()}
    files_b = {p.relative_to(rerun).as_posix() for p in rerun.rglob("*") if p.is_file()}
    differences: list[Difference] = []
    notes: list[str] = []
    for path in sorted(files_a | files_b):
        if path not in files_b:
            differences.append(Difference(path, "missing in the rerun"))
        elif path not in files_a:
            differences.append(Difference(path, "not in the committed release"))
        elif path == MANIFEST_NAME:
            found, notes = _manifest_differences(committed / path, rerun / path)
            differences += found
        elif sha256(committed / path) != sha256(rerun / path):
            details: tuple[str, ...] = ()
            if path.endswith(".csv"):
                details = tuple(csv_cell_differences((committed / path).read_bytes(), (rerun / path).read_bytes()))
            differences.append(Difference(path, "bytes differ", details))
    return differences, notes


def report(differences: list[Difference], notes: list[str], release: str, files: int) -> str:
    """A one-line summary when all agree; otherwise a readable list of what differs."""
    if not differences:
        text = f"verify {release}: all {files} files agree byte for byte with the committed release"
        return "\n".join([text, *(f"note: {n}" for n in notes)]) + "\n"
    lines = [f"verify {release}: {len(differences)} difference(s) from the committed release"]
    for d in differences:
        lines.append(f"- {d.path}: {d.what}")
        lines += [f"    {detail}" for detail in d.details[:MAX_CELLS_SHOWN]]
        if len(d.details) > MAX_CELLS_SHOWN:
            lines.append(f"    ... and {len(d.details) - MAX_CELLS_SHOWN} more")
    lines += [f"note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def rerun_release(root: str | Path, scratch: str | Path, cores: int) -> subprocess.CompletedProcess:
    """Copy the workflow into ``scratch`` and run Snakemake there, with this Python's Snakemake."""
    root, scratch = Path(root), Path(scratch)
    for name in WORKFLOW_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, scratch / name)
    env = {**os.environ, "PYTHONPATH": str(scratch / "workflow")}
    # --quiet all: the rerun prints nothing but errors; the target is the default rule, all
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all"]
    return subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
