"""What changed between two versions of a release, cell by cell, with a change log in Swedish and
English: ``python -m netclean_survey release-changes OLD NEW`` (issue 17).

A version of a release is the folder ``results/{release}/`` as committed at a git revision (a tag
such as ``netclean-2018-v1.0.0``, a branch, ``HEAD~3``; read with ``git ls-tree`` and ``git cat-file``,
never checked out) or as it is in the working tree (``working``). The reading is in small functions
(:func:`read_release`, :func:`read_git_release`, :func:`read_working_release`); the comparison and the
texts are pure functions of the files (path -> bytes) and the two manifests (:func:`compare_files`,
:func:`compare_snapshots`, :func:`changes_markdown`, :func:`updated_changelog`), so a test or another
step can call them on files made in memory. :func:`release_changes` reads and compares,
:func:`write_changes` writes ``changes.csv``, ``CHANGES.sv.md`` and ``CHANGES.en.md``, and
:func:`write_changelog` keeps one entry per version in ``results/changelog/{release}.{sv,en}.md``.

changes.csv has one row per change, its columns :data:`COLUMNS`: kind, file (the path the manifest
records, ``results/{release}/...``, or an input's path), row (the row key), column, old, new,
crosses_rounding, flips_verdict (true / false / empty), detail (a few words, English) and synthetic. The
counts: tables = CSVs with a changed cell, row or column; cells = ``cell`` rows; files added, removed and
changed; inputs changed, by group. The changelog's entry for NEW's version is headed
``## {version} ({tag or commit})`` (the tag ``{release}-v{version}`` when it points at NEW's commit, and
for ``working``, which has no commit yet, the tag ``make tag`` will give it); a second run for the same
version replaces it.

The rules:

- Every file of the release folder but ``MANIFEST.json`` is compared by its bytes (their sha256 is what
  the manifest records when the release is consistent; a version whose files disagree with its own
  manifest gets a note). A file only in NEW is ``file_added``, only in OLD ``file_removed``.
- A CSV is compared cell by cell (the text of each cell as published; an empty cell is missing or
  hidden): ``cell`` for each changed cell, ``row_added`` / ``row_removed`` for a row (its cells in
  ``new`` / ``old`` as ``column=value; ...``), ``column_added`` / ``column_removed`` for a column (its
  cells not listed one by one). A CSV whose bytes differ but whose cells do not (line ends, quoting) is
  ``file_changed``. Any other file (.md, .xlsx, .png, .svg, ...) that differs is ``file_changed`` with
  its sha256 in ``old`` / ``new``; ``detail`` says how many cells of a workbook
  (:func:`.verify.workbook_cell_differences`) or lines of a text file differ.
- Row keys: a row is named by its identifying columns, the columns of the header (present in both
  versions) named in :data:`KEY_COLUMNS` (wave, by, group, question, option, option_first,
  option_second, id, claim, survey_claim, key, step) or ending in ``_id`` (respondent_id), in the
  header's order: ``wave=2018; question=country; option=sweden``. A table without such a column, or
  whose key repeats within either version, is matched row by row by position instead: ``row 5`` (the
  header is row 1, as in a spreadsheet and in :mod:`.verify`).
- ``crosses_rounding``, for a share-like column (share, share_of_mentions, share_a, share_first, ...),
  a CI bound (ci_low, ci_high, sim_ci_*, diff_ci_*, ci_low_a, ...) or a difference (difference): whether
  the value as printed in the Markdown tables differs, i.e. the fraction as a percent with one decimal,
  rounded half up (:func:`.render.text.format_percent`: 0.54412 -> "54.4", 0.54449 -> "54.4",
  0.54451 -> "54.5"); an empty cell prints as "–". In a table with a ``unit`` column (the claims audit)
  the values are already in percent or percentage points and are printed with one decimal as they
  stand (estimate, ci_low, ci_high); other units (respondents, score) and other columns leave it empty.
- ``flips_verdict``, for the claims audit (``audit/claims.csv``, ``audit/claims_summary.csv``): for each
  changed cell of a row, whether the row's ``verdict`` differs between the versions; else empty.
- ``input_changed``: an input of the manifests (raw exports under ``resources/``, configuration under
  ``config/``, code and environment: everything else) whose sha256 differs, added or removed (absent:
  empty).
- Synthetic data: the Markdown files (and the ``synthetic`` column of changes.csv) say so when a CSV of
  either version has a ``synthetic`` column with the value ``true``, as the project's estimate tables
  do: the data say it themselves, nothing has to be configured.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Mapping

import pandas as pd

from .. import SYNTHETIC_NOTE
from ..core.writers import write_text
from ..render.text import format_decimal, format_percent, md_cell
from .manifest import MANIFEST_NAME
from .verify import VerifyError, _git, _git_failure, is_git_checkout, text_line_differences, workbook_cell_differences

RELEASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a folder of results/, nothing outside it
WORKING = "working"  # the name of the working tree's version on the command line
KEY_COLUMNS = ("wave", "by", "group", "question", "option", "option_first", "option_second", "id", "claim",
               "survey_claim", "key", "step")
SHARE_COLUMN = re.compile(r"(share|difference|(sim_|diff_)?ci_(low|high))(_\w+)?")
UNIT_COLUMNS = ("estimate", "ci_low", "ci_high")  # in a table with a unit column (the claims audit)
PERCENT_UNITS = ("percent", "percentage points")
CLAIMS_FILES = ("audit/claims.csv", "audit/claims_summary.csv")
COLUMNS = ("kind", "file", "row", "column", "old", "new", "crosses_rounding", "flips_verdict", "detail",
           "synthetic")
KINDS = ("cell", "row_added", "row_removed", "column_added", "column_removed", "file_added", "file_removed",
         "file_changed", "input_changed")
MAX_CELLS_SHOWN = 200  # changed cells in the Markdown; all of them are in changes.csv
MAX_FILES_SHOWN = 50  # changed files listed in the Markdown (all of them in changes.csv)
MAX_TEXT_SHOWN = 60  # characters of a cell shown in the Markdown
LANGS = ("sv", "en")


class ChangesError(VerifyError):
    """The comparison cannot be made (unknown revision, no release there, no version for the changelog)."""


@dataclass(frozen=True)
class ReleaseSnapshot:
    """One version of a release as read: ``files`` maps each file's path as the manifest records it
    (``results/{release}/2018/tables/country.csv``) to its bytes, MANIFEST.json left out."""

    name: str  # as named on the command line: "netclean-2018-v1.0.0", "HEAD~12", "working"
    commit: str | None  # the commit it was read at; for the working tree its HEAD (None without git)
    manifest: dict
    files: Mapping[str, bytes] = field(repr=False)
    tags: tuple[str, ...] = ()  # tags pointing at the commit
    working: bool = False

    @property
    def version(self) -> str | None:
        version = self.manifest.get("version")
        return None if version is None else str(version)

    @property
    def made_from(self) -> dict:
        """The manifest's record of the code's commit: {"commit": ..., "dirty": ...} (empty if none)."""
        provenance = self.manifest.get("provenance")
        git = provenance.get("git") if isinstance(provenance, dict) else None
        return git if isinstance(git, dict) else {}

    def label(self, release: str) -> str:
        """The tag (or commit) that names this version: its release tag when it points here, else
        the tag it was named by, else the short commit; "working tree" for the working tree."""
        if self.working:
            return "working tree"
        if self.version and f"{release}-v{self.version}" in self.tags:
            return f"{release}-v{self.version}"
        if self.name in self.tags:
            return self.name
        return self.commit[:7] if self.commit else self.name


@dataclass(frozen=True)
class Changes:
    """Two versions of a release and what changed between them: ``table`` has a row per change
    (columns :data:`COLUMNS`), ``notes`` are (Swedish, English) sentences."""

    release: str
    old: ReleaseSnapshot
    new: ReleaseSnapshot
    table: pd.DataFrame
    synthetic: bool
    notes: tuple[dict[str, str], ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return change_counts(self.table)

    @property
    def any(self) -> bool:
        return not self.table.empty


# ---------------------------------------------------------------------------------------------
# comparing (pure)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))


def key_columns(header: list[str]) -> list[str]:
    """The identifying columns of a table's header (see the module's rules), in its order."""
    return [c for c in header if c in KEY_COLUMNS or c.endswith("_id")]


def _share_like(column: str) -> bool:
    return SHARE_COLUMN.fullmatch(column) is not None


def printed_percent(text: str, scale: int = 100) -> str | None:
    """A cell as the Markdown tables print it: ``scale`` 100 for a fraction ("0.54412" -> "54.4"),
    1 for a value already in percent; one decimal, half up; "–" for an empty cell; None when the
    cell is not a number."""
    if text.strip() == "":
        return "–"
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value:  # NaN
        return "–"
    return format_percent(value) if scale == 100 else format_decimal(value, 1, "en", scale=scale)


def crosses_rounding(column: str, old: str, new: str, unit: str | None = None) -> bool | None:
    """Whether a changed cell of a share-like column prints differently (see the module's rules);
    None when the column is not share-like or a value is not a number."""
    if unit is not None:
        if column not in UNIT_COLUMNS or unit not in PERCENT_UNITS:
            return None
        scale = 1
    elif _share_like(column):
        scale = 100
    else:
        return None
    a, b = printed_percent(old, scale), printed_percent(new, scale)
    return None if a is None or b is None else a != b


def _row_text(header: list[str], row: list[str], skip: set[str]) -> str:
    return "; ".join(f"{c}={v}" for c, v in zip(header, row) if c not in skip and v != "")


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row)) if len(row) < width else row


def csv_changes(path: str, old: bytes, new: bytes) -> list[dict]:
    """The changes between two versions of one CSV table: cells, rows and columns (see the module's
    rules); a ``file_changed`` row when the bytes differ but no cell does; nothing when equal."""
    if old == new:
        return []
    a, b = _rows(old), _rows(new)
    header_a, header_b = (a[0] if a else []), (b[0] if b else [])
    body_a, body_b = [_padded(r, len(header_a)) for r in a[1:]], [_padded(r, len(header_b)) for r in b[1:]]
    shared = [c for c in header_a if c in header_b]
    claims = path.endswith(CLAIMS_FILES)
    found: list[dict] = []

    def change(kind, row="", column="", before="", after="", **more):
        found.append({"kind": kind, "file": path, "row": row, "column": column, "old": before, "new": after, **more})

    for column in header_a:
        if column not in header_b:
            change("column_removed", column=column)
    for column in header_b:
        if column not in header_a:
            change("column_added", column=column)

    keys = [c for c in key_columns(header_a) if c in shared]
    index_a, index_b = {c: header_a.index(c) for c in header_a}, {c: header_b.index(c) for c in header_b}

    def keyed(body, index):
        return [tuple(r[index[c]] for c in keys) for r in body]

    keys_a, keys_b = (keyed(body_a, index_a), keyed(body_b, index_b)) if keys else ([], [])
    if keys and len(set(keys_a)) == len(keys_a) and len(set(keys_b)) == len(keys_b):
        names_a = ["; ".join(f"{c}={v}" for c, v in zip(keys, k)) for k in keys_a]
        rows_b = {k: r for k, r in zip(keys_b, body_b)}
        pairs = [(name, row, rows_b.get(k)) for name, k, row in zip(names_a, keys_a, body_a)]
        known = set(keys_a)
        added = [("; ".join(f"{c}={v}" for c, v in zip(keys, k)), r) for k, r in zip(keys_b, body_b) if k not in known]
    else:  # no identifying columns, or they repeat: row by row
        keys = []
        pairs = [(f"row {i}", row, body_b[i - 2] if i - 2 < len(body_b) else None)
                 for i, row in enumerate(body_a, start=2)]
        added = [(f"row {i}", row) for i, row in enumerate(body_b[len(body_a):], start=len(body_a) + 2)]
    skip = set(keys)
    for name, row_a, row_b in pairs:
        if row_b is None:
            change("row_removed", row=name, before=_row_text(header_a, row_a, skip),
                   flips_verdict=None)
            continue
        verdict_flips = None
        if claims and "verdict" in shared:
            verdict_flips = row_a[index_a["verdict"]] != row_b[index_b["verdict"]]
        unit = None
        if "unit" in shared:
            unit = row_a[index_a["unit"]] if row_a[index_a["unit"]] == row_b[index_b["unit"]] else ""
        for column in shared:
            x, y = row_a[index_a[column]], row_b[index_b[column]]
            if x != y:
                change("cell", name, column, x, y, crosses_rounding=crosses_rounding(column, x, y, unit),
                       flips_verdict=verdict_flips)
    for name, row_b in added:
        change("row_added", row=name, after=_row_text(header_b, row_b, skip))
    if not found:
        change("file_changed", before=_sha256(old), after=_sha256(new),
               detail="the same cells; the bytes differ (line ends, quoting or encoding)")
    return found


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_detail(path: str, old: bytes, new: bytes) -> str:
    """What differs inside a changed non-CSV file, in a few words: cells of a workbook, lines of a
    text file (Markdown, SVG); empty for an image or other binary file."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".xlsx":
        found = workbook_cell_differences(old, new)
        if len(found) == 1 and found[0].startswith(("the same", "cannot be read")):
            return found[0]
        return f"{len(found)} cell(s) or sheet(s) differ"
    if suffix in (".png", ".jpg", ".jpeg", ".pdf", ".gz", ".zip"):
        return ""
    lines = text_line_differences(old, new)
    if lines is None:
        return ""
    changed = sum(1 for line in lines if line.startswith("line "))
    return f"{changed} line(s) differ" if changed else lines[0]


def manifest_records(manifest: dict, section: str) -> dict[str, str]:
    """A manifest's ``artifacts`` or ``inputs`` as {path: sha256}; malformed records left out."""
    records = manifest.get(section) if isinstance(manifest, dict) else None
    return {r["path"]: str(r.get("sha256") or "") for r in records or []
            if isinstance(r, dict) and isinstance(r.get("path"), str)} if isinstance(records, list) else {}


def input_changes(old_manifest: dict, new_manifest: dict) -> list[dict]:
    """The manifests' ``inputs`` whose sha256 differs, or that only one of them records."""
    a, b = manifest_records(old_manifest, "inputs"), manifest_records(new_manifest, "inputs")
    return [{"kind": "input_changed", "file": p, "row": "", "column": "", "old": a.get(p, ""), "new": b.get(p, ""),
             "detail": input_group(p)}
            for p in sorted(a.keys() | b.keys()) if a.get(p) != b.get(p)]


def input_group(path: str) -> str:
    """"raw" (resources/: the raw exports), "config" (config/) or "code" (the rest: workflow, environment)."""
    top = path.split("/")[0]
    return {"resources": "raw", "config": "config"}.get(top, "code")


def compare_files(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes], old_manifest: dict,
                  new_manifest: dict, synthetic: bool = False) -> pd.DataFrame:
    """Every change between two versions of a release's files (path -> bytes, MANIFEST.json left
    out) and their manifests, one row per change (:data:`COLUMNS`), files in path order, the
    manifests' inputs last."""
    found: list[dict] = []
    for path in sorted(old_files.keys() | new_files.keys()):
        if path not in new_files:
            found.append({"kind": "file_removed", "file": path, "old": _sha256(old_files[path])})
        elif path not in old_files:
            found.append({"kind": "file_added", "file": path, "new": _sha256(new_files[path])})
        elif old_files[path] != new_files[path]:
            if path.lower().endswith(".csv"):
                found += csv_changes(path, old_files[path], new_files[path])
            else:
                found.append({"kind": "file_changed", "file": path, "old": _sha256(old_files[path]),
                              "new": _sha256(new_files[path]),
                              "detail": file_detail(path, old_files[path], new_files[path])})
    found += input_changes(old_manifest, new_manifest)
    table = pd.DataFrame(found, columns=list(COLUMNS), dtype=object)
    for column in ("row", "column", "old", "new", "detail"):
        table[column] = table[column].where(table[column].notna(), "")
    for column in ("crosses_rounding", "flips_verdict"):
        table[column] = table[column].where(table[column].notna(), None)
    table["synthetic"] = synthetic
    return table


def holds_synthetic_data(*file_sets: Mapping[str, bytes]) -> bool:
    """Whether a CSV of any of the file sets has a ``synthetic`` column with the value true."""
    for files in file_sets:
        for path, data in files.items():
            if not path.lower().endswith(".csv"):
                continue
            first, _, rest = data.partition(b"\n")
            header = next(csv.reader([first.decode("utf-8", errors="replace")]), [])
            if "synthetic" not in header:
                continue
            column = header.index("synthetic")
            if any(len(row) > column and row[column].strip().lower() == "true" for row in _rows(rest)):
                return True
    return False


def manifest_mismatches(snapshot: ReleaseSnapshot) -> list[str]:
    """The files of a version that its own manifest does not record as they are (changed, missing or extra)."""
    recorded = manifest_records(snapshot.manifest, "artifacts")
    present = {p: _sha256(d) for p, d in snapshot.files.items()}
    return sorted(p for p in recorded.keys() | present.keys() if recorded.get(p) != present.get(p))


def compare_snapshots(release: str, old: ReleaseSnapshot, new: ReleaseSnapshot) -> Changes:
    """The changes between two versions of ``release``, with notes where a version's files disagree
    with its manifest or a manifest names another release."""
    synthetic = holds_synthetic_data(old.files, new.files)
    table = compare_files(old.files, new.files, old.manifest, new.manifest, synthetic)
    notes = []
    for snapshot in (old, new):
        named = snapshot.manifest.get("release")
        if named is not None and named != release:
            notes.append({"sv": f"Manifestet i {snapshot.name} gäller utgåvan {named}, inte {release}.",
                          "en": f"The manifest of {snapshot.name} is of release {named}, not {release}."})
        mismatched = manifest_mismatches(snapshot)
        if mismatched:
            notes.append({
                "sv": f"{len(mismatched)} fil(er) i {snapshot.name} stämmer inte med dess MANIFEST.json "
                      f"(t.ex. {mismatched[0]}): jämförelsen läser filerna som de är.",
                "en": f"{len(mismatched)} file(s) of {snapshot.name} do not match its MANIFEST.json "
                      f"(e.g. {mismatched[0]}): the comparison reads the files as they are."})
    return Changes(release, old, new, table, synthetic, tuple(notes))


def change_counts(table: pd.DataFrame) -> dict[str, int]:
    """Counts of a change table: tables (CSVs with changed cells, rows or columns), cells, rows and
    columns added/removed, files added/removed/changed, inputs changed (all, raw, config, code)."""
    kinds = Counter(table["kind"])
    tabular = table[table["kind"].isin(["cell", "row_added", "row_removed", "column_added", "column_removed"])]
    inputs = table[table["kind"] == "input_changed"]
    groups = Counter(input_group(p) for p in inputs["file"])
    return {"tables": tabular["file"].nunique(), "cells": kinds["cell"],
            "rows_added": kinds["row_added"], "rows_removed": kinds["row_removed"],
            "columns_added": kinds["column_added"], "columns_removed": kinds["column_removed"],
            "files_added": kinds["file_added"], "files_removed": kinds["file_removed"],
            "files_changed": kinds["file_changed"], "inputs": len(inputs),
            "inputs_raw": groups["raw"], "inputs_config": groups["config"], "inputs_code": groups["code"]}


def changed_tables(table: pd.DataFrame) -> list[tuple[str, int]]:
    """Each CSV with changed cells, rows or columns, in path order, with its number of changes."""
    tabular = table[table["kind"].isin(["cell", "row_added", "row_removed", "column_added", "column_removed"])]
    return sorted(Counter(tabular["file"]).items())


# ---------------------------------------------------------------------------------------------
# texts (pure)

TEXTS = {
    "sv": {
        "title": "Ändringar i {release}: {old} → {new}",
        "side": "", "old": "Tidigare", "new": "Ny", "release": "Utgåva", "version": "Version",
        "no_version": "ingen (manifestet anger ingen)", "read_at": "Läst från",
        "working": "arbetskatalogen (ej incheckad)", "made_from": "Gjord av koden i commit",
        "dirty": " (med ej incheckade ändringar)", "unknown": "okänd",
        "summary": "Sammanfattning", "none": "Inga skillnader: varje fil och varje indata är desamma.",
        "tables": "Tabeller med ändrade värden: {tables} ({cells} celler; rader: {rows_added} tillagda, "
                  "{rows_removed} borttagna; kolumner: {columns_added} tillagda, {columns_removed} borttagna)",
        "files": "Filer: {files_added} tillagda, {files_removed} borttagna, {files_changed} ändrade "
                 "(jämförda byte för byte, inte cell för cell)",
        "by_type": "Ändrade filer efter slag: {types}",
        "inputs": "Ändrade indata: {inputs} (rådata {inputs_raw}, konfiguration {inputs_config}, "
                  "kod och miljö {inputs_code})",
        "no_cells": "Inga värden i tabellerna (CSV) har ändrats.",
        "cells": "Ändrade celler", "file": "Fil", "row": "Rad", "column": "Kolumn", "old_value": "Tidigare",
        "new_value": "Nu", "rounding": "Tryckt värde ändras", "verdict": "Utfallet ändras", "what": "Ändring",
        "yes": "ja", "no": "nej", "more": "… och {n} till, se changes.csv.",
        "kind_cell": "cell", "kind_row_added": "rad tillagd", "kind_row_removed": "rad borttagen",
        "kind_column_added": "kolumn tillagd", "kind_column_removed": "kolumn borttagen",
        "added_removed": "Tillagda och borttagna filer", "added": "tillagd", "removed": "borttagen",
        "changed_files": "Ändrade filer", "input_list": "Ändrade indata",
        "group_raw": "rådata", "group_config": "konfiguration", "group_code": "kod och miljö",
        "absent": "saknas", "notes": "Anmärkningar",
        "how": "Alla ändringar, en rad per cell eller fil, finns i changes.csv (kolumnen crosses_rounding: om "
               "procentsatsen med en decimal, avrundad uppåt vid 5, ändras; flips_verdict: om utfallet för ett "
               "påstående i granskningen ändras).",
        "log_title": "# Ändringslogg för {release}",
        "log_intro": "Nyaste versionen först. Varje post jämför versionen med den föregående "
                     "(`python -m netclean_survey release-changes OLD NEW --changelog`).",
        "log_compared": "Jämfört med {old}.", "log_tables": "Ändrade tabeller:", "log_no_tables":
        "Inga tabellvärden ändrade.", "n_changes": "{n} ändringar",
    },
    "en": {
        "title": "Changes in {release}: {old} → {new}",
        "side": "", "old": "Old", "new": "New", "release": "Release", "version": "Version",
        "no_version": "none (the manifest records none)", "read_at": "Read from",
        "working": "the working tree (not committed)", "made_from": "Made by the code of commit",
        "dirty": " (with uncommitted changes)", "unknown": "unknown",
        "summary": "Summary", "none": "No differences: every file and every input is the same.",
        "tables": "Tables with changed values: {tables} ({cells} cells; rows: {rows_added} added, "
                  "{rows_removed} removed; columns: {columns_added} added, {columns_removed} removed)",
        "files": "Files: {files_added} added, {files_removed} removed, {files_changed} changed "
                 "(compared byte for byte, not cell by cell)",
        "by_type": "Changed files by type: {types}",
        "inputs": "Inputs changed: {inputs} (raw exports {inputs_raw}, configuration {inputs_config}, "
                  "code and environment {inputs_code})",
        "no_cells": "No value of the tables (CSV) changed.",
        "cells": "Changed cells", "file": "File", "row": "Row", "column": "Column", "old_value": "Old",
        "new_value": "New", "rounding": "Printed value changes", "verdict": "Verdict flips", "what": "Change",
        "yes": "yes", "no": "no", "more": "… and {n} more, see changes.csv.",
        "kind_cell": "cell", "kind_row_added": "row added", "kind_row_removed": "row removed",
        "kind_column_added": "column added", "kind_column_removed": "column removed",
        "added_removed": "Files added and removed", "added": "added", "removed": "removed",
        "changed_files": "Changed files", "input_list": "Inputs changed",
        "group_raw": "raw export", "group_config": "configuration", "group_code": "code and environment",
        "absent": "absent", "notes": "Notes",
        "how": "Every change, one row per cell or file, is in changes.csv (column crosses_rounding: whether the "
               "percentage with one decimal, rounded half up, changes; flips_verdict: whether the verdict of a "
               "claim of the audit changes).",
        "log_title": "# Changelog of {release}",
        "log_intro": "Newest version first. Each entry compares the version with the one before it "
                     "(`python -m netclean_survey release-changes OLD NEW --changelog`).",
        "log_compared": "Compared with {old}.", "log_tables": "Tables changed:", "log_no_tables":
        "No table value changed.", "n_changes": "{n} changes",
    },
}
DETAILS_SV = (  # the English details of changes.csv (file_detail, csv_changes, verify) as the Swedish log says them
    (re.compile(r"(\d+) cell\(s\) or sheet\(s\) differ"), "{0} cell(er) eller blad skiljer sig"),
    (re.compile(r"(\d+) line\(s\) differ"), "{0} rad(er) skiljer sig"),
    (re.compile(r"the same cell values; the bytes differ \(styles, widths or metadata\)"),
     "samma cellvärden; byten skiljer sig (format, bredder eller metadata)"),
    (re.compile(r"the same cells; the bytes differ \(line ends, quoting or encoding\)"),
     "samma celler; byten skiljer sig (radslut, citattecken eller teckenkodning)"),
    (re.compile(r"the same lines; the bytes differ .*"),
     "samma rader; byten skiljer sig (radslut, sista radbrytningen eller BOM)"),
    (re.compile(r"cannot be read as a workbook (.*)"), "kan inte läsas som arbetsbok {0}"),
)
FILE_TYPES = {".md": "Markdown", ".xlsx": "Excel", ".png": "PNG", ".svg": "SVG", ".csv": "CSV"}


def _check_lang(lang: str) -> dict[str, str]:
    if lang not in TEXTS:
        raise ValueError(f"language {lang!r}: expected one of {LANGS}")
    return TEXTS[lang]


def _shown(path: str, release: str) -> str:
    """A path of the release without its ``results/{release}/`` prefix."""
    prefix = f"results/{release}/"
    return path[len(prefix):] if path.startswith(prefix) else path


def detail_text(detail: str, lang: str) -> str:
    """A change's ``detail`` (English in changes.csv) in the log's language."""
    if lang == "sv":
        for pattern, words in DETAILS_SV:
            match = pattern.fullmatch(detail)
            if match:
                return words.format(*match.groups())
    return detail


def _row_name(row: str, lang: str) -> str:
    """A row key in the log's language: a position ("row 5") is "rad 5" in Swedish."""
    match = re.fullmatch(r"row (\d+)", row)
    return f"rad {match.group(1)}" if match and lang == "sv" else row


def _code(path: str) -> str:
    """A path as inline code (paths hold no backticks; one would be replaced)."""
    return "`" + str(path).replace("`", "'") + "`"


def _clip(text: str) -> str:
    text = str(text)
    return text if len(text) <= MAX_TEXT_SHOWN else text[:MAX_TEXT_SHOWN - 1] + "…"


def _version_text(snapshot: ReleaseSnapshot, release: str) -> str:
    return f"{snapshot.version} ({snapshot.label(release)})" if snapshot.version else snapshot.label(release)


def _side_cells(snapshot: ReleaseSnapshot, lang: str) -> dict[str, str]:
    t = TEXTS[lang]
    if snapshot.working:
        read_at = t["working"] + (f", HEAD {snapshot.commit[:7]}" if snapshot.commit else "")
    elif snapshot.commit and not snapshot.commit.startswith(snapshot.name):
        read_at = f"{snapshot.name} ({snapshot.commit[:7]})"
    else:
        read_at = snapshot.commit[:7] if snapshot.commit else snapshot.name
    made = snapshot.made_from
    made_text = (made.get("commit") or "")[:7] or t["unknown"]
    if made.get("dirty"):
        made_text += t["dirty"]
    return {"release": str(snapshot.manifest.get("release") or t["unknown"]),
            "version": snapshot.version or t["no_version"], "read_at": read_at, "made_from": made_text}


def summary_lines(changes: Changes, lang: str) -> list[str]:
    """The counts as bullet lines (without the bullets)."""
    t, counts = _check_lang(lang), changes.counts
    lines = [t["tables"].format(**counts), t["files"].format(**counts), t["inputs"].format(**counts)]
    changed = changes.table[changes.table["kind"] == "file_changed"]
    if len(changed):
        types = Counter(FILE_TYPES.get(PurePosixPath(p).suffix.lower(), PurePosixPath(p).suffix or "?")
                        for p in changed["file"])
        lines.append(t["by_type"].format(types=", ".join(f"{name} {n}" for name, n in sorted(types.items()))))
    if counts["tables"] == 0:
        lines.append(t["no_cells"])
    return lines


def _mark(value, t) -> str:
    return "" if value is None or value is pd.NA else (t["yes"] if value else t["no"])


def changes_markdown(changes: Changes, lang: str) -> str:
    """CHANGES.{lang}.md: the two versions, the counts, the changed cells (at most
    :data:`MAX_CELLS_SHOWN`), the files added, removed and changed, the inputs changed and notes."""
    t, release = _check_lang(lang), changes.release
    parts = [f"# {md_cell(t['title'].format(release=release, old=_version_text(changes.old, release), new=_version_text(changes.new, release)))}"]
    if changes.synthetic:
        parts.append(f"*{SYNTHETIC_NOTE[lang]}*")
    old, new = _side_cells(changes.old, lang), _side_cells(changes.new, lang)
    rows = [f"| | {t['old']} | {t['new']} |", "|:---|:---|:---|"]
    rows += [f"| {t[key]} | {md_cell(old[key])} | {md_cell(new[key])} |"
             for key in ("release", "version", "read_at", "made_from")]
    parts.append("\n".join(rows))
    table = changes.table
    if table.empty:
        parts.append(t["none"])
    else:
        parts.append(f"## {t['summary']}\n\n" + "\n".join(f"- {line}" for line in summary_lines(changes, lang)))
        cells = table[table["kind"].isin(["cell", "row_added", "row_removed", "column_added", "column_removed"])]
        if len(cells):
            lines = [f"| {t['file']} | {t['row']} | {t['column']} | {t['what']} | {t['old_value']} | "
                     f"{t['new_value']} | {t['rounding']} | {t['verdict']} |",
                     "|:---|:---|:---|:---|---:|---:|:---|:---|"]
            for change in cells.head(MAX_CELLS_SHOWN).itertuples(index=False):
                lines.append("| " + " | ".join([
                    _code(_shown(change.file, release)), md_cell(_row_name(change.row, lang)), md_cell(change.column),
                    t[f"kind_{change.kind}"], md_cell(_clip(change.old)), md_cell(_clip(change.new)),
                    _mark(change.crosses_rounding, t), _mark(change.flips_verdict, t)]) + " |")
            block = f"## {t['cells']}\n\n" + "\n".join(lines)
            if len(cells) > MAX_CELLS_SHOWN:
                block += "\n\n" + t["more"].format(n=len(cells) - MAX_CELLS_SHOWN)
            parts.append(block)
        moved = table[table["kind"].isin(["file_added", "file_removed"])]
        if len(moved):
            parts.append(f"## {t['added_removed']}\n\n" + "\n".join(
                f"- {_code(_shown(c.file, release))} ({t['added'] if c.kind == 'file_added' else t['removed']})"
                for c in moved.itertuples(index=False)))
        changed = table[table["kind"] == "file_changed"]
        if len(changed):
            lines = [f"- {_code(_shown(c.file, release))}" + (f": {md_cell(detail_text(c.detail, lang))}" if c.detail else "")
                     for c in changed.head(MAX_FILES_SHOWN).itertuples(index=False)]
            if len(changed) > MAX_FILES_SHOWN:
                lines.append(t["more"].format(n=len(changed) - MAX_FILES_SHOWN))
            parts.append(f"## {t['changed_files']}\n\n" + "\n".join(lines))
        inputs = table[table["kind"] == "input_changed"]
        if len(inputs):
            def sha(value: str) -> str:
                return value[:12] if value else t["absent"]
            parts.append(f"## {t['input_list']}\n\n" + "\n".join(
                f"- {_code(c.file)} ({t['group_' + input_group(c.file)]}): {sha(c.old)} → {sha(c.new)}"
                for c in inputs.itertuples(index=False)))
        parts.append(t["how"])
    if changes.notes:
        parts.append(f"## {t['notes']}\n\n" + "\n".join(f"- {md_cell(n[lang])}" for n in changes.notes))
    return "\n\n".join(parts) + "\n"


def changelog_entry(changes: Changes, lang: str) -> str:
    """The changelog's entry for NEW's version: "## {version} ({tag or commit})", what it was
    compared with, the counts and the tables changed."""
    t, release = _check_lang(lang), changes.release
    version = changes.new.version
    if not version:
        raise ChangesError(f"{changes.new.name} has no version in its manifest (results/{release}/{MANIFEST_NAME}, "
                           f"key \"version\"), so there is no changelog entry to write for it; run the release with "
                           f"a version in config/config.yaml, or leave out --changelog")
    # the working tree has no commit yet: its entry names the tag `make tag` gives the committed release
    named = f"{release}-v{version}" if changes.new.working else changes.new.label(release)
    lines = [f"## {version} ({named})", ""]
    if changes.synthetic:
        lines += [f"*{SYNTHETIC_NOTE[lang]}*", ""]
    lines += [t["log_compared"].format(old=_version_text(changes.old, release)), ""]
    if changes.table.empty:
        lines.append(t["none"])
    else:
        lines += [f"- {line}" for line in summary_lines(changes, lang)]
        tables = changed_tables(changes.table)
        lines += ["", t["log_tables"] if tables else t["log_no_tables"]]
        lines += [f"- {_code(_shown(path, release))} ({t['n_changes'].format(n=n)})" for path, n in tables]
    return "\n".join(lines).rstrip() + "\n"


def updated_changelog(existing: str | None, entry: str, release: str, lang: str) -> str:
    """The changelog with ``entry`` first (after the heading): an entry for the same version (its
    heading ``## {version}`` up to " (") is replaced, never repeated; a missing file gets a heading."""
    t = _check_lang(lang)
    text = existing if existing and existing.strip() else f"{t['log_title'].format(release=release)}\n\n{t['log_intro']}\n"
    heading = entry.splitlines()[0]
    version = heading[3:].split(" (")[0]
    blocks = re.split(r"(?m)^(?=## )", text)
    head, entries = blocks[0], blocks[1:]
    kept = [b for b in entries if b.splitlines()[0][3:].split(" (")[0].strip() != version]
    pieces = [head.rstrip() + "\n", entry.rstrip() + "\n", *[b.rstrip() + "\n" for b in kept]]
    return "\n".join(pieces)


# ---------------------------------------------------------------------------------------------
# reading and writing


def _one_paragraph(text: str) -> str:
    return " ".join(str(text).split())


def commit_of(root: str | Path, revision: str) -> str:
    """The full commit id a revision names; ChangesError when it names none."""
    root = Path(root)
    if not is_git_checkout(root):
        raise ChangesError(f"{root.resolve()} is not a git checkout, so there is no revision {revision!r} to read the "
                           f"release at; compare `{WORKING}` with a release of a git checkout instead")
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode != 0:
        why = f" (git: {_git_failure(result)})" if result.stderr.strip() else ""
        raise ChangesError(f"{revision!r} names no commit of the git repository at {root.resolve()}{why}; name a tag "
                           f"(git tag --list), a branch, a commit id, HEAD~1, or `{WORKING}` for the working tree")
    return result.stdout.strip()


def _tags_at(root: Path, commit: str) -> tuple[str, ...]:
    result = _git(root, "tag", "--points-at", commit)
    return tuple(sorted(result.stdout.split())) if result.returncode == 0 else ()


def _read_blobs(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The contents of git blobs by id (``git cat-file --batch``: one process for all)."""
    unique = list(dict.fromkeys(blob_ids))
    if not unique:
        return {}
    result = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="".join(f"{i}\n" for i in unique).encode(),
                            capture_output=True, timeout=600)
    if result.returncode != 0:
        raise ChangesError(f"git cat-file failed in {root.resolve()} "
                           f"({_one_paragraph(result.stderr.decode('utf-8', 'replace'))})")
    out, position, blobs = result.stdout, 0, {}
    for blob in unique:
        end = out.index(b"\n", position)
        header = out[position:end].decode().split()
        if len(header) != 3:
            raise ChangesError(f"git cannot read the object {blob} in {root.resolve()} ({' '.join(header)})")
        size = int(header[2])
        blobs[blob] = out[end + 1:end + 1 + size]
        position = end + 1 + size + 1
    return blobs


def _parse_manifest(data: bytes, where: str) -> dict:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ChangesError(f"{where} cannot be read as a manifest ({error})") from None
    if not isinstance(manifest, dict):
        raise ChangesError(f"{where} is not a manifest (a JSON object with release, artifacts and inputs)")
    return manifest


def read_git_release(root: str | Path, revision: str, release: str) -> ReleaseSnapshot:
    """The release folder ``results/{release}/`` as committed at ``revision`` (no checkout)."""
    root = Path(root)
    commit = commit_of(root, revision)
    folder = f"results/{release}"
    listed = _git(root, "ls-tree", "-r", "-z", commit, "--", f"{folder}/")
    if listed.returncode != 0:
        raise ChangesError(f"git cannot list {folder}/ at {revision} ({_git_failure(listed)})")
    entries = {}
    for record in filter(None, listed.stdout.split("\0")):
        meta, _, path = record.partition("\t")
        mode, kind, blob = meta.split()
        if kind == "blob":
            entries[path] = blob
    manifest_path = f"{folder}/{MANIFEST_NAME}"
    if manifest_path not in entries:
        tags = _git(root, "tag", "--list", f"{release}-v*").stdout.split()
        hint = f" (tags of the release: {', '.join(tags[:5])})" if tags else ""
        raise ChangesError(f"there is no release {release} at {revision} (commit {commit[:7]}): it has no "
                           f"{manifest_path}; name a revision where the release is committed{hint}, or another "
                           f"release with --release")
    blobs = _read_blobs(root, list(entries.values()))
    manifest = _parse_manifest(blobs[entries[manifest_path]], f"{manifest_path} at {revision}")
    files = {p: blobs[b] for p, b in entries.items() if p != manifest_path}
    return ReleaseSnapshot(revision, commit, manifest, files, _tags_at(root, commit))


def read_working_release(root: str | Path, release: str) -> ReleaseSnapshot:
    """The release folder ``results/{release}/`` as it is in the working tree at ``root``."""
    root = Path(root)
    folder = root / "results" / release
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise ChangesError(f"there is no release {release} in the working tree at {root.resolve()}: no "
                           f"results/{release}/{MANIFEST_NAME}; run the release first, or name another release "
                           f"with --release")
    manifest = _parse_manifest(manifest_path.read_bytes(), f"results/{release}/{MANIFEST_NAME}")
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p != manifest_path}
    commit = None
    if is_git_checkout(root):
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
        commit = (head.stdout.strip() or None) if head.returncode == 0 else None
    return ReleaseSnapshot(WORKING, commit, manifest, files, (), working=True)


def read_release(root: str | Path, name: str, release: str) -> ReleaseSnapshot:
    """``working`` for the working tree, else a git revision."""
    return read_working_release(root, release) if name == WORKING else read_git_release(root, name, release)


def release_changes(root: str | Path, old: str, new: str, release: str) -> Changes:
    """The changes of ``release`` from version ``old`` to ``new`` (each a git revision or ``working``)
    of the project at ``root``."""
    if not RELEASE_NAME.fullmatch(release):
        raise ChangesError(f"{release!r} is not a release's name (letters, digits, '.', '_' or '-', as in "
                           f"results/<release>/); name it with --release, e.g. --release netclean-2018")
    return compare_snapshots(release, read_release(root, old, release), read_release(root, new, release))


def safe_name(name: str) -> str:
    """A revision's name as one folder name: every character but letters, digits, ".", "_" and "-"
    becomes "_" ("HEAD~12" -> "HEAD_12"); "." and ".." become "_"."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return "_" if safe in ("", ".", "..") else safe


def default_out_dir(root: str | Path, release: str, old: str, new: str) -> Path:
    """``results/changes/{release}/{old}..{new}/`` with the names made safe (:func:`safe_name`)."""
    return Path(root) / "results" / "changes" / release / f"{safe_name(old)}..{safe_name(new)}"


def changes_csv(table: pd.DataFrame) -> str:
    """The change table as CSV text (UTF-8, "\\n", booleans true/false, missing as empty). Cells are
    copied as they stand in the published files, which neutralised formulas when they were written."""
    out = table.copy()
    for column in ("crosses_rounding", "flips_verdict", "synthetic"):
        out[column] = out[column].map(lambda v: "" if v is None or v is pd.NA else ("true" if v else "false"))
    return out.to_csv(index=False, lineterminator="\n", na_rep="")


def write_changes(changes: Changes, out_dir: str | Path) -> list[Path]:
    """Write changes.csv, CHANGES.sv.md and CHANGES.en.md into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    written = [write_text(changes_csv(changes.table), out_dir / "changes.csv")]
    written += [write_text(changes_markdown(changes, lang), out_dir / f"CHANGES.{lang}.md") for lang in LANGS]
    return written


def write_changelog(changes: Changes, directory: str | Path) -> list[Path]:
    """Prepend (or replace) NEW's entry in ``directory``/{release}.{sv,en}.md; returns their paths."""
    written = []
    for lang in LANGS:
        path = Path(directory) / f"{changes.release}.{lang}.md"
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        written.append(write_text(updated_changelog(existing, changelog_entry(changes, lang), changes.release, lang),
                                  path))
    return written
