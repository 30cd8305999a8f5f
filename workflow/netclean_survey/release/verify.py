"""Verify a release: re-run it elsewhere and compare the rerun with the record of the release.

The record is either a git revision (``HEAD`` by default) or a manifest, never the working tree:
a scheduled ``make run`` overwrites ``results/`` before ``make verify`` runs, so comparing with
the working tree would compare a run with itself.

- Against a revision: ``export_revision`` writes the tree of that commit into a scratch folder;
  its ``results/{release}/`` is moved aside as the committed release, the rest of ``results/`` is
  deleted, Snakemake re-runs the release there from the committed code, configuration and raw
  exports, and ``compare_releases`` compares the rerun with the committed copy.
- Against a manifest: the working tree's sources are copied into scratch and re-run, and
  ``compare_with_manifest`` compares every artifact of the rerun with the manifest's sha256
  records and its ``inputs`` with the rerun's. A working-tree file serves for cell-level details
  only when it still holds the recorded bytes; when it does not, that is a difference too.

Differences are named down to the cell: the row and column of a CSV, the sheet and cell of a
workbook, the line of a text file (Markdown, SVG). A different machine, commit or library version
is a note, not a difference.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.errors import RerunFailed, VerifyError
from .manifest import MANIFEST_NAME, sha256

WORKFLOW_FILES = ("Snakefile", "config", "workflow", "resources", "environment.yml", "requirements.lock", "profiles")
MAX_CELLS_SHOWN = 20
LINE_SHOWN = 60  # characters of a long text line shown around its first difference
RERUN_TAIL = 3000  # characters of a failed rerun's stderr shown in the error


@dataclass(frozen=True)
class Difference:
    path: str  # relative to the release folder
    what: str  # "missing in the rerun", "not in the committed release", "bytes differ", ...
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Baseline:
    """What a rerun is compared with: the release committed at a git commit, or a manifest."""

    against: str  # for the report: "the release committed at HEAD (abc1234)", "its manifest ..."
    commit: str | None = None  # git: the full commit id
    treeish: str | None = None  # git: what to export (the commit, or commit:subfolder)
    at: str | None = None  # git: the revision as named, and the short id: "HEAD (abc1234)"
    manifest: Path | None = None  # manifest mode: the MANIFEST.json
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verification:
    release: str
    against: str
    files: int  # files of the record compared
    differences: tuple[Difference, ...]
    notes: tuple[str, ...]

    def report(self) -> str:
        return report(list(self.differences), list(self.notes), self.release, self.files, self.against)


def csv_cell_differences(committed: bytes, rerun: bytes) -> list[str]:
    """The cells of two CSV files that differ, as "row R, column C: 'x' committed, 'y' in the
    rerun" (R counts the header as row 1, as a spreadsheet does)."""
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


def _cell_text(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return repr(value)


def _sheets(data: bytes) -> dict[str, dict[tuple[int, int], object]]:
    """Every sheet of a workbook as {(row, column): stored value}, empty cells left out."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # read every row, whatever the stored dimensions say
            sheets[sheet.title] = {
                (cell.row, cell.column): cell.value
                for row in sheet.iter_rows() for cell in row
                if getattr(cell, "row", None) is not None and cell.value is not None
            }
        return sheets
    finally:
        workbook.close()


def workbook_cell_differences(committed: bytes, rerun: bytes) -> list[str]:
    """The sheets and cells of two Excel workbooks that differ, as "sheet 'S', cell K3: 0.1579
    committed, 0.158 in the rerun"; when every value agrees, one line saying so."""
    from openpyxl.utils import get_column_letter

    try:
        a, b = _sheets(committed), _sheets(rerun)
    except Exception as error:  # a damaged file is a finding, not a crash of the audit
        return [f"cannot be read as a workbook ({type(error).__name__}: {error})"]
    found = [f"sheet {name!r} missing in the rerun" for name in a if name not in b]
    found += [f"sheet {name!r} not in the committed workbook" for name in b if name not in a]
    shared = [name for name in a if name in b]
    if shared != [name for name in b if name in a]:
        found.append(f"sheet order: {shared} committed, {[n for n in b if n in a]} in the rerun")
    for name in shared:
        cells_a, cells_b = a[name], b[name]
        for row, column in sorted(cells_a.keys() | cells_b.keys()):
            x, y = cells_a.get((row, column)), cells_b.get((row, column))
            if x != y or type(x) is not type(y):  # 1 and 1.0 are stored differently
                found.append(f"sheet {name!r}, cell {get_column_letter(column)}{row}: "
                             f"{_cell_text(x)} committed, {_cell_text(y)} in the rerun")
    if not found:
        found.append("the same cell values; the bytes differ (styles, widths or metadata)")
    return found


def _clipped(line: str, start: int) -> str:
    """``LINE_SHOWN`` characters of a line from ``start``, with "..." where it was cut."""
    shown = line[start:start + LINE_SHOWN]
    return ("..." if start > 0 else "") + shown + ("..." if start + LINE_SHOWN < len(line) else "")


def text_line_differences(committed: bytes, rerun: bytes) -> list[str] | None:
    """The lines of two UTF-8 text files that differ, as "line 12: '...' committed, '...' in the
    rerun"; a long line is shown around its first differing character. None when either file
    is not UTF-8 text."""
    try:
        a, b = committed.decode("utf-8").splitlines(), rerun.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    found = []
    if len(a) != len(b):
        found.append(f"{len(a)} lines committed, {len(b)} in the rerun")
    for number in range(1, max(len(a), len(b)) + 1):
        x = a[number - 1] if number <= len(a) else None
        y = b[number - 1] if number <= len(b) else None
        if x == y:
            continue
        if x is None or y is None:
            shown = [_clipped(s, 0) if s is not None else None for s in (x, y)]
        else:
            first = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            start = max(0, first - LINE_SHOWN // 3) if max(len(x), len(y)) > LINE_SHOWN else 0
            shown = [_clipped(x, start), _clipped(y, start)]
        x_text, y_text = ("<none>" if s is None else repr(s) for s in shown)
        found.append(f"line {number}: {x_text} committed, {y_text} in the rerun")
    if not found:
        found.append("the same lines; the bytes differ (line ends, a final newline or a byte-order mark)")
    return found


def file_differences(path: str, committed: bytes, rerun: bytes) -> tuple[str, ...]:
    """What differs inside two versions of one file of a release: cells of a CSV or a workbook,
    lines of a text file; nothing more for a PNG or other binary file."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return tuple(csv_cell_differences(committed, rerun))
    if suffix == ".xlsx":
        return tuple(workbook_cell_differences(committed, rerun))
    if suffix == ".png":
        return ()
    return tuple(text_line_differences(committed, rerun) or ())


def _input_differences(a: dict, b: dict, sections=("inputs", "artifacts"),
                       labels=("committed", "in the rerun")) -> tuple[list[Difference], list[str]]:
    """Differences of two manifests (as dicts) in the given sections; other provenance a note."""
    differences, notes = [], []
    for section in sections:
        left = {r["path"]: r["sha256"] for r in a.get(section, [])}
        right = {r["path"]: r["sha256"] for r in b.get(section, [])}
        changed = sorted(p for p in left.keys() | right.keys() if left.get(p) != right.get(p))
        if changed:
            details = tuple(
                f"{p}: {'absent' if p not in left else left[p][:12]} {labels[0]}, "
                f"{'absent' if p not in right else right[p][:12]} {labels[1]}" for p in changed
            )
            differences.append(Difference(MANIFEST_NAME, f"{section} differ ({len(changed)})", details))
    if a.get("provenance") != b.get("provenance"):
        notes.append("made with a different provenance (machine, commit or library versions): see MANIFEST.json")
    return differences, notes


def _read_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise VerifyError(f"{path} cannot be read as a manifest ({error})") from None


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
            found, notes = _input_differences(_read_manifest(committed / path), _read_manifest(rerun / path))
            differences += found
        elif sha256(committed / path) != sha256(rerun / path):
            details = file_differences(path, (committed / path).read_bytes(), (rerun / path).read_bytes())
            differences.append(Difference(path, "bytes differ", details))
    return differences, notes


def compare_with_manifest(manifest: str | Path, rerun: str | Path, release_dir: str | Path,
                          root: str | Path = ".") -> tuple[list[Difference], list[str]]:
    """Every difference between a rerun and a release's manifest, and notes.

    ``rerun`` is the folder the rerun ran in and ``root`` the working tree: the manifest's paths
    (``results/{release}/...``) are relative to both; ``release_dir`` is the release folder
    (``results/{release}``). Each artifact of the rerun is compared with its sha256 record, and
    the rerun manifest's ``inputs`` with the recorded ones. The working tree's file is used for
    the cells that differ when it holds the recorded bytes; when it does not, it has changed
    since the release was made, which is a difference of its own.
    """
    manifest, rerun, root = Path(manifest), Path(rerun), Path(root)
    release_dir = Path(release_dir).as_posix().rstrip("/")
    top = release_dir.split("/")[0]
    record = _read_manifest(manifest)
    recorded = {r["path"]: r["sha256"] for r in record.get("artifacts", [])}
    made = {p.relative_to(rerun).as_posix() for p in (rerun / release_dir).rglob("*") if p.is_file()}
    made.discard(f"{release_dir}/{MANIFEST_NAME}")

    def shown(path: str) -> str:
        return path[len(release_dir) + 1:] if path.startswith(release_dir + "/") else path

    differences: list[Difference] = []
    for path in sorted(recorded.keys() | made):
        if path not in made:
            differences.append(Difference(shown(path), "missing in the rerun"))
            continue
        if path not in recorded:
            differences.append(Difference(shown(path), "not in the manifest"))
            continue
        expected, produced = recorded[path], sha256(rerun / path)
        here = root / path
        present = sha256(here) if here.is_file() else None
        changed_here = present is not None and present != expected
        if produced == expected and not changed_here:
            continue
        what = []
        if produced != expected:
            what.append(f"sha256 {expected[:12]} recorded, {produced[:12]} in the rerun")
        if changed_here:
            what.append(f"changed since the release was made: sha256 {expected[:12]} recorded, "
                        f"{present[:12]} in {top}/")
        if present is None:
            details: tuple[str, ...] = (f"cells not shown: {path} is not in the working tree",)
        else:
            details = file_differences(path, here.read_bytes(), (rerun / path).read_bytes())
            if changed_here and produced != expected:
                details = (f"(below: {path} as it is now, not as recorded, against the rerun)", *details)
        differences.append(Difference(shown(path), "bytes differ: " + "; ".join(what), details))

    rerun_manifest = rerun / release_dir / MANIFEST_NAME
    if not rerun_manifest.is_file():
        differences.append(Difference(MANIFEST_NAME, "missing in the rerun"))
        return differences, []
    found, notes = _input_differences(record, _read_manifest(rerun_manifest), sections=("inputs",),
                                      labels=("recorded", "in the rerun"))
    return differences + found, notes


def report(differences: list[Difference], notes: list[str], release: str, files: int,
           against: str = "the committed release") -> str:
    """A one-line summary when all agree; otherwise a readable list of what differs. ``against``
    names what the rerun was compared with."""
    if not differences:
        text = f"verify {release}: all {files} files agree byte for byte with {against}"
        return "\n".join([text, *(f"note: {n}" for n in notes)]) + "\n"
    lines = [f"verify {release}: {len(differences)} difference(s) from {against}"]
    for d in differences:
        lines.append(f"- {d.path}: {d.what}")
        lines += [f"    {detail}" for detail in d.details[:MAX_CELLS_SHOWN]]
        if len(d.details) > MAX_CELLS_SHOWN:
            lines.append(f"    ... and {len(d.details) - MAX_CELLS_SHOWN} more")
    lines += [f"note: {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _git(root: str | Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C"}  # messages in English, to tell "no repository" from other failures
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _git_failure(result: subprocess.CompletedProcess) -> str:
    return " ".join(result.stderr.split()) or f"git exited {result.returncode}"


def is_git_checkout(root: str | Path) -> bool:
    """Whether ``root`` is inside the work tree of a git repository; False without git too. A
    repository git refuses to read (e.g. owned by another user) is an error, not a False."""
    try:
        result = _git(root, "rev-parse", "--is-inside-work-tree")
    except (OSError, subprocess.SubprocessError):
        return False
    if result.returncode == 0:
        return result.stdout.strip() == "true"
    if "not a git repository" in result.stderr.lower():
        return False
    raise VerifyError(f"git cannot read the repository at {Path(root).resolve()} ({_git_failure(result)})")


def resolve_revision(root: str | Path, revision: str = "HEAD") -> str:
    """The full commit id a revision names (a branch, tag, short id, ``HEAD~1``)."""
    if not is_git_checkout(root):
        raise VerifyError(f"{Path(root).resolve()} is not a git checkout, so there is no revision "
                          f"{revision!r} to compare with; name a manifest instead "
                          f"(--config verify_manifest=results/<release>/MANIFEST.json)")
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode != 0:
        why = f" (git rev-parse: {_git_failure(result)})" if result.stderr.strip() else ""
        raise VerifyError(f"{revision!r} names no commit of the git repository at {Path(root).resolve()}{why}; "
                          f"name a branch, a tag or a commit id, e.g. --config verify_revision=HEAD~1")
    return result.stdout.strip()


def choose_baseline(root: str | Path, committed: str | Path, revision: str | None = None,
                    manifest: str | Path | None = None) -> Baseline:
    """What to compare the rerun with: ``manifest`` when given; else ``revision`` (``HEAD`` when
    None) of the git checkout at ``root``; with no repository and no revision named, the release's
    own manifest (``committed``/MANIFEST.json), with a note saying so."""
    root = Path(root)
    if manifest is not None and revision is not None:
        raise VerifyError(f"name a revision ({revision!r}) or a manifest ({str(manifest)!r}) to compare with, not both")
    notes: tuple[str, ...] = ()
    fallback = manifest is None and revision is None and not is_git_checkout(root)
    if fallback:
        manifest = Path(committed) / MANIFEST_NAME
        notes = (f"{root.resolve()} is not a git checkout: the rerun was compared with the manifest "
                 f"{Path(manifest).as_posix()} of the working tree, not with a committed revision",)
    if manifest is not None:
        path = Path(manifest) if Path(manifest).is_absolute() else root / manifest
        if not path.is_file():
            why = f"{root.resolve()} is not a git checkout and " if fallback else ""
            raise VerifyError(f"{why}there is no manifest at {Path(manifest).as_posix()}, so nothing "
                              f"records the release to compare the rerun with")
        return Baseline(against=f"its manifest {Path(manifest).as_posix()}", manifest=path, notes=notes)
    name = revision or "HEAD"
    commit = resolve_revision(root, name)
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.strip()  # the project may be a subfolder
    treeish = f"{commit}:{prefix.rstrip('/')}" if prefix else commit
    at = f"{name} ({commit[:7]})"
    return Baseline(against=f"the release committed at {at}", commit=commit, treeish=treeish, at=at)


def export_revision(root: str | Path, treeish: str, destination: str | Path) -> None:
    """Write the files of a commit (or ``commit:subfolder``) into ``destination``, as git archive
    gives them: symlinks stay symlinks, absolute ones included."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    # no "data" filter: it rejects absolute symlinks, and a commit's tree has no '..' paths
    trusted = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(["git", "archive", "--format=tar", treeish], cwd=root,
                                   stdout=subprocess.PIPE, stderr=errors)
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(destination, **trusted)
            failed = None
        except tarfile.TarError as error:
            failed = error
        finally:
            process.stdout.close()
            returncode = process.wait()
        errors.seek(0)
        message = " ".join(errors.read().decode("utf-8", errors="replace").split())
    if returncode != 0 or failed is not None:
        raise VerifyError(f"the tree {treeish} of the repository at {Path(root).resolve()} could not be exported "
                          f"(git archive: {message or failed or f'exit {returncode}'})")


def link_raw_exports(scratch: str | Path, root: str | Path) -> list[str]:
    """Symlink each wave's raw export that is missing in ``scratch`` (not committed, or a relative
    symlink pointing outside the tree) to the working tree's file, and say so in a note; the
    manifest's inputs then tell whether it is the same export."""
    scratch, root = Path(scratch), Path(root)
    notes = []
    try:
        config = yaml.safe_load((scratch / "config" / "config.yaml").read_text(encoding="utf-8"))
        waves, template = [str(w) for w in config["waves"]], str(config["wave_file"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return notes  # the rerun will say what is wrong with the configuration
    for wave in waves:
        try:
            raw = yaml.safe_load((scratch / template.format(wave=wave)).read_text(encoding="utf-8"))["raw"]
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError):
            continue
        target, source = scratch / str(raw), root / str(raw)
        if target.exists() or not source.exists():
            continue
        if target.is_symlink():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source.resolve())
        notes.append(f"{raw} (wave {wave}) is not in the record's tree: the rerun read the working tree's "
                     f"{source.resolve()}; the manifest's inputs tell whether it is the same export")
    return notes


def copy_sources(root: str | Path, scratch: str | Path) -> None:
    """Copy what makes a release (``WORKFLOW_FILES``, not ``results/``) into ``scratch``."""
    root, scratch = Path(root), Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__"),
                            ignore_dangling_symlinks=True)
        elif source.exists():
            shutil.copy2(source, scratch / name)


def run_workflow(scratch: str | Path, cores: int) -> subprocess.CompletedProcess:
    """Run the default target in ``scratch`` with this Python's Snakemake and the package there."""
    scratch = Path(scratch)
    env = {**os.environ, "PYTHONPATH": str(scratch / "workflow")}
    # --quiet all: the rerun prints nothing but errors; the target is the default rule, all
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all"]
    return subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)


def rerun_release(root: str | Path, scratch: str | Path, cores: int) -> subprocess.CompletedProcess:
    """Copy the working tree's workflow into ``scratch`` and run Snakemake there."""
    copy_sources(root, scratch)
    return run_workflow(scratch, cores)


def prepare_revision(root: str | Path, baseline: Baseline, committed: str | Path,
                     scratch: str | Path) -> tuple[Path, Path, list[str]]:
    """Export the baseline's commit into ``scratch``/tree, move its release folder aside to
    ``scratch``/committed and delete the rest of ``results/``; link missing raw exports. Returns
    the tree to run in, the committed release and notes."""
    scratch = Path(scratch)
    tree, release_copy = scratch / "tree", scratch / "committed"
    export_revision(root, baseline.treeish, tree)
    if not (tree / committed / MANIFEST_NAME).is_file():
        raise VerifyError(f"there is no committed release in {Path(committed).as_posix()} at {baseline.at} "
                          f"(no {MANIFEST_NAME}); commit the release, or name another revision "
                          f"(--config verify_revision=...)")
    shutil.move(tree / committed, release_copy)
    outputs = tree / Path(committed).parts[0]
    if outputs.is_dir():
        shutil.rmtree(outputs)
    return tree, release_copy, link_raw_exports(tree, root)


def verify_release(root: str | Path, release: str, committed: str | Path, baseline: Baseline, cores: int,
                   scratch: str | Path, log: logging.Logger | None = None) -> Verification:
    """Re-run the release in ``scratch`` and compare it with the baseline (see ``choose_baseline``)."""
    root, scratch, committed = Path(root), Path(scratch), Path(committed)
    notes = list(baseline.notes)
    if baseline.manifest is None:
        tree, release_copy, linked = prepare_revision(root, baseline, committed, scratch)
    else:
        tree = scratch / "tree"
        copy_sources(root, tree)
        linked = link_raw_exports(tree, root)
    notes += linked
    run = run_workflow(tree, cores)
    if log is not None:
        log.info("rerun in %s exited %d\n%s", tree, run.returncode, run.stderr[-20000:])
    if run.returncode != 0:
        raise RerunFailed(f"the rerun of the release, to compare with {baseline.against}, failed "
                          f"(exit {run.returncode}); its last lines:\n{run.stderr[-RERUN_TAIL:].strip()}")
    if baseline.manifest is None:
        differences, found = compare_releases(release_copy, tree / committed)
        files = sum(1 for p in release_copy.rglob("*") if p.is_file())
    else:
        differences, found = compare_with_manifest(baseline.manifest, tree, committed, root)
        files = len(_read_manifest(baseline.manifest).get("artifacts", []))
    return Verification(release, baseline.against, files, tuple(differences), tuple(notes + found))
