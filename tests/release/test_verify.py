"""Verify: a difference of one byte in a committed table, workbook or text file is found and named, down to
the cell or line; the record is a git revision or a manifest, never the working tree."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from netclean_survey.release.manifest import build_manifest, manifest_text, write_manifest
from netclean_survey.release.verify import Difference, choose_baseline, compare_releases, compare_with_manifest, csv_cell_differences, file_differences, prepare_revision, report, text_line_differences, workbook_cell_differences
from netclean_survey.core.errors import VerifyError


def make_release(root: Path) -> Path:
    release = root / "results" / "r"
    (release / "2018" / "tables").mkdir(parents=True)
    (release / "2018" / "tables" / "country.csv").write_text(
        "question,option,share\ncountry,sweden,0.066176\ncountry,norway,0.036765\n", encoding="utf-8")
    (release / "2018" / "figures").mkdir()
    (release / "2018" / "figures" / "country.en.png").write_bytes(b"\x89PNG fake")
    (root / "config.yaml").write_text("release: r\n", encoding="utf-8")
    artifacts = [p for p in release.rglob("*") if p.is_file()]
    write_manifest(build_manifest("r", artifacts, [root / "config.yaml"], root), release / "MANIFEST.json")
    return release


def test_identical_releases_agree_in_one_line(tmp_path):
    committed = make_release(tmp_path / "a")
    rerun = make_release(tmp_path / "b")
    differences, notes = compare_releases(committed, rerun)
    assert differences == []
    text = report(differences, notes, "r", 3)
    assert text.splitlines()[0] == "verify r: all 3 files agree byte for byte with the committed release"


def test_one_changed_byte_names_the_table_and_the_cell(tmp_path):
    committed = make_release(tmp_path / "a")
    rerun = make_release(tmp_path / "b")
    table = committed / "2018" / "tables" / "country.csv"
    table.write_bytes(table.read_bytes().replace(b"0.036765", b"0.036766"))
    differences, notes = compare_releases(committed, rerun)
    assert [d.path for d in differences] == ["2018/tables/country.csv"]
    assert differences[0].details == ("row 3, column share: '0.036766' committed, '0.036765' in the rerun",)
    text = report(differences, notes, "r", 3)
    assert "1 difference(s)" in text and "2018/tables/country.csv: bytes differ" in text
    assert "row 3, column share" in text


def test_missing_extra_and_binary_files_are_named(tmp_path):
    committed = make_release(tmp_path / "a")
    rerun = make_release(tmp_path / "b")
    (rerun / "2018" / "figures" / "country.en.png").write_bytes(b"\x89PNG other")
    (rerun / "2018" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    (rerun / "2018" / "tables" / "country.csv").unlink()
    found = {d.path: d.what for d in compare_releases(committed, rerun)[0]}
    assert found == {
        "2018/extra.csv": "not in the committed release",
        "2018/figures/country.en.png": "bytes differ",
        "2018/tables/country.csv": "missing in the rerun",
    }


def test_manifest_lists_hashes_sorted_without_timestamps(tmp_path):
    release = make_release(tmp_path / "a")
    manifest = json.loads((release / "MANIFEST.json").read_text(encoding="utf-8"))
    paths = [a["path"] for a in manifest["artifacts"]]
    assert paths == sorted(paths)
    assert paths[0] == "results/r/2018/figures/country.en.png"
    record = manifest["artifacts"][0]
    assert record["sha256"] == hashlib.sha256(b"\x89PNG fake").hexdigest() and record["size"] == 9
    assert manifest["inputs"][0]["path"] == "config.yaml"
    text = manifest_text(manifest)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no dates
    assert manifest_text(json.loads(text)) == text  # sorted and stable


def test_changed_input_is_a_difference_and_other_provenance_a_note(tmp_path):
    committed = make_release(tmp_path / "a")
    rerun = make_release(tmp_path / "b")
    manifest = json.loads((rerun / "MANIFEST.json").read_text(encoding="utf-8"))
    manifest["inputs"][0]["sha256"] = "0" * 64
    manifest["provenance"]["python"] = "3.11.0"
    write_manifest(manifest, rerun / "MANIFEST.json")
    differences, notes = compare_releases(committed, rerun)
    assert [d.what for d in differences] == ["inputs differ (1)"]
    assert "config.yaml" in differences[0].details[0]
    assert notes and "provenance" in notes[0]


def test_csv_cells_show_rows_counted_as_in_a_spreadsheet():
    a = b"x,y\n1,2\n3,4\n"
    b = b"x,y\n1,2\n3,5\n4,4\n"
    assert csv_cell_differences(a, b) == ["3 rows committed, 4 in the rerun", "row 3, column y: '4' committed, '5' in the rerun"]


# --- workbooks and text files, down to the cell and the line ------------------------------------


def workbook_bytes(sheets: dict[str, dict[str, object]], width: float | None = None) -> bytes:
    """A tiny workbook: {sheet: {cell: value}}; ``width`` of column A when given."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, cells in sheets.items():
        sheet = workbook.create_sheet(title)
        for cell, value in cells.items():
            sheet[cell] = value
        if width is not None:
            sheet.column_dimensions["A"].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_workbook_cells_that_differ_are_named_by_sheet_and_cell():
    committed = workbook_bytes({"table": {"A1": "share", "K3": 0.1579678744784661, "B2": "x"},
                                "notes": {"A1": "synthetic"}})
    rerun = workbook_bytes({"table": {"A1": "share", "K3": 0.157968, "B4": "new"}, "extra": {"A1": 1}})
    assert workbook_cell_differences(committed, rerun) == [
        "sheet 'notes' missing in the rerun",
        "sheet 'extra' not in the committed workbook",
        "sheet 'table', cell B2: 'x' committed, empty in the rerun",
        "sheet 'table', cell K3: 0.1579678744784661 committed, 0.157968 in the rerun",
        "sheet 'table', cell B4: empty committed, 'new' in the rerun",
    ]


def test_workbooks_with_the_same_values_differ_only_in_their_bytes():
    cells = {"table": {"A1": "share", "A2": 0.5}}
    committed, rerun = workbook_bytes(cells), workbook_bytes(cells, width=30)
    assert committed != rerun
    assert workbook_cell_differences(committed, rerun) == [
        "the same cell values; the bytes differ (styles, widths or metadata)"]
    assert workbook_cell_differences(b"not a zip", rerun)[0].startswith("cannot be read as a workbook")


def test_a_changed_workbook_in_a_release_names_its_cells(tmp_path):
    committed = make_release(tmp_path / "a")
    rerun = make_release(tmp_path / "b")
    (committed / "compare").mkdir()
    (committed / "compare" / "comparison.xlsx").write_bytes(workbook_bytes({"table": {"K3": 0.1579678744784661}}))
    (rerun / "compare").mkdir()
    (rerun / "compare" / "comparison.xlsx").write_bytes(workbook_bytes({"table": {"K3": 0.157968}}))
    differences, _ = compare_releases(committed, rerun)
    assert differences == [Difference("compare/comparison.xlsx", "bytes differ", (
        "sheet 'table', cell K3: 0.1579678744784661 committed, 0.157968 in the rerun",))]


def test_text_lines_that_differ_are_named_and_long_lines_shortened():
    committed = "| option | share |\n| yes | 25.7 |\n| no | 74.3 |\n".encode()
    rerun = "| option | share |\n| yes | 25.8 |\n| no | 74.3 |\n| other | 0.0 |\n".encode()
    assert text_line_differences(committed, rerun) == [
        "3 lines committed, 4 in the rerun",
        "line 2: '| yes | 25.7 |' committed, '| yes | 25.8 |' in the rerun",
        "line 4: <none> committed, '| other | 0.0 |' in the rerun",
    ]
    long_a = '<path d="' + "M 1 2 L 3 4 " * 20 + 'fill: #1f77b4" ' + "x" * 200 + "\n"
    long_b = long_a.replace("#1f77b4", "#ff7f0e")
    [line] = text_line_differences(long_a.encode(), long_b.encode())
    assert line.startswith("line 1: '...") and "#1f77b4" in line and "#ff7f0e" in line
    assert len(line) < 200
    assert text_line_differences(b"a\r\nb\r\n", b"a\nb\n") == [
        "the same lines; the bytes differ (line ends, a final newline or a byte-order mark)"]
    assert text_line_differences(b"\x89PNG\r\n", b"\x89PNG\n") is None


def test_each_kind_of_file_gets_its_details():
    assert file_differences("t.csv", b"a\n1\n", b"a\n2\n") == ("row 2, column a: '1' committed, '2' in the rerun",)
    assert file_differences("t.en.md", b"a\n", b"b\n") == ("line 1: 'a' committed, 'b' in the rerun",)
    assert file_differences("f.svg", b"<svg a>\n", b"<svg b>\n") == (
        "line 1: '<svg a>' committed, '<svg b>' in the rerun",)
    assert file_differences("f.png", b"\x89PNG a", b"\x89PNG b") == ()


def test_the_report_says_what_the_rerun_was_compared_with(tmp_path):
    text = report([], [], "r", 3, "the release committed at HEAD (abc1234)")
    assert text == "verify r: all 3 files agree byte for byte with the release committed at HEAD (abc1234)\n"
    text = report([Difference("t.csv", "bytes differ")], [], "r", 3, "its manifest results/r/MANIFEST.json")
    assert text.splitlines()[0] == "verify r: 1 difference(s) from its manifest results/r/MANIFEST.json"


# --- against a manifest -----------------------------------------------------------------------


def test_a_rerun_is_compared_with_the_manifest_records_not_with_the_working_tree(tmp_path):
    root, rerun = tmp_path / "tree", tmp_path / "rerun"
    committed = make_release(root)
    make_release(rerun)
    manifest = committed / "MANIFEST.json"
    assert compare_with_manifest(manifest, rerun, "results/r", root) == ([], [])

    # the working tree changed since the release was made: a difference, its cells against the rerun
    table = committed / "2018" / "tables" / "country.csv"
    table.write_bytes(table.read_bytes().replace(b"0.036765", b"0.036766"))
    differences, _ = compare_with_manifest(manifest, rerun, "results/r", root)
    [changed] = differences
    assert changed.path == "2018/tables/country.csv"
    assert changed.what.startswith("bytes differ: changed since the release was made: sha256 ")
    assert changed.what.endswith(" in results/")
    assert changed.details == ("row 3, column share: '0.036766' committed, '0.036765' in the rerun",)

    # the rerun differs from a record; extra and missing files; the working tree is not compared
    table.write_bytes(table.read_bytes().replace(b"0.036766", b"0.036765"))
    (committed / "2018" / "only_in_the_working_tree.csv").write_text("a\n1\n", encoding="utf-8")
    (rerun / "results/r/2018/figures/country.en.png").write_bytes(b"\x89PNG other")
    (rerun / "results/r/2018/extra.csv").write_text("a\n1\n", encoding="utf-8")
    rerun_table = rerun / "results/r/2018/tables/country.csv"
    rerun_table.write_bytes(rerun_table.read_bytes().replace(b"0.066176", b"0.066177"))
    differences, _ = compare_with_manifest(manifest, rerun, "results/r", root)
    found = {d.path: d for d in differences}
    assert sorted(found) == ["2018/extra.csv", "2018/figures/country.en.png", "2018/tables/country.csv"]
    assert found["2018/extra.csv"].what == "not in the manifest"
    assert re.fullmatch(r"bytes differ: sha256 [0-9a-f]{12} recorded, [0-9a-f]{12} in the rerun",
                        found["2018/figures/country.en.png"].what)
    assert found["2018/tables/country.csv"].details == (
        "row 2, column share: '0.066176' committed, '0.066177' in the rerun",)
    rerun_table.unlink()
    assert "missing in the rerun" in {d.what for d in compare_with_manifest(manifest, rerun, "results/r", root)[0]}


def test_against_a_manifest_inputs_are_compared_and_provenance_is_a_note(tmp_path):
    root, rerun = tmp_path / "tree", tmp_path / "rerun"
    committed = make_release(root)
    make_release(rerun)
    manifest = json.loads((rerun / "results/r/MANIFEST.json").read_text(encoding="utf-8"))
    manifest["inputs"][0]["sha256"] = "0" * 64
    manifest["artifacts"] = []  # the rerun's files are compared, not its manifest's list of them
    manifest["provenance"]["python"] = "3.11.0"
    write_manifest(manifest, rerun / "results/r/MANIFEST.json")
    differences, notes = compare_with_manifest(committed / "MANIFEST.json", rerun, "results/r", root)
    assert differences == [Difference("MANIFEST.json", "inputs differ (1)", (
        f"config.yaml: {hashlib.sha256(b'release: r' + bytes([10])).hexdigest()[:12]} recorded, "
        "000000000000 in the rerun",))]
    assert notes and "provenance" in notes[0]


# --- against a git revision ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True).stdout


def make_repository(tmp_path: Path) -> Path:
    """A throwaway checkout with a committed release, an uncommitted raw export, a raw export that
    is a relative symlink out of the tree, an absolute symlink and another results folder."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    make_release(repo)
    (repo / "results" / "benchmarks").mkdir()
    (repo / "results" / "benchmarks" / "runs.csv").write_text("case\n", encoding="utf-8")
    (repo / "config" / "waves").mkdir(parents=True)
    (repo / "config" / "config.yaml").write_text(
        "release: r\nwaves: ['2016', 2018]\nwave_file: config/waves/{wave}.yaml\n", encoding="utf-8")
    (repo / "config" / "waves" / "2016.yaml").write_text("raw: resources/raw/2016.csv\n", encoding="utf-8")
    (repo / "config" / "waves" / "2018.yaml").write_text("raw: resources/raw/2018.csv\n", encoding="utf-8")
    (repo / "resources" / "raw").mkdir(parents=True)
    (repo / "resources" / "raw" / "2016.csv").write_text("a\n2016\n", encoding="utf-8")
    (repo / ".gitignore").write_text("/resources/raw/2016.csv\n", encoding="utf-8")
    outside.mkdir()
    (outside / "2018.csv").write_text("a\n2018\n", encoding="utf-8")
    (repo / "resources" / "raw" / "2018.csv").symlink_to("../../../outside/2018.csv")
    (repo / "absolute").symlink_to(outside / "2018.csv")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "release r")
    return repo


def test_a_revision_is_exported_with_its_release_moved_aside(tmp_path):
    repo = make_repository(tmp_path)
    table = repo / "results" / "r" / "2018" / "tables" / "country.csv"
    committed_bytes = table.read_bytes()
    table.write_text("changed in the working tree only\n", encoding="utf-8")
    baseline = choose_baseline(repo, "results/r")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert baseline.commit == head and baseline.against == f"the release committed at HEAD ({head[:7]})"

    tree, release, notes = prepare_revision(repo, baseline, "results/r", tmp_path / "scratch")
    assert (release / "2018" / "tables" / "country.csv").read_bytes() == committed_bytes
    assert (release / "MANIFEST.json").is_file()
    assert not (tree / "results").exists()  # the rerun makes the release from nothing
    assert os.readlink(tree / "absolute") == str(tmp_path / "outside" / "2018.csv")  # absolute symlinks survive
    for wave in ("2016", "2018"):  # not committed, or a relative symlink out of the tree: the checkout's file
        raw = tree / "resources" / "raw" / f"{wave}.csv"
        assert raw.is_symlink() and raw.read_text(encoding="utf-8") == f"a\n{wave}\n"
    assert len(notes) == 2 and "resources/raw/2016.csv (wave 2016)" in notes[0]
    assert "the manifest's inputs tell whether it is the same export" in notes[0]


def test_an_older_revision_is_exported_as_it_was(tmp_path):
    repo = make_repository(tmp_path)
    table = repo / "results" / "r" / "2018" / "tables" / "country.csv"
    first = table.read_bytes()
    table.write_bytes(first.replace(b"0.036765", b"0.036766"))
    git(repo, "commit", "-q", "-am", "tampered")
    baseline = choose_baseline(repo, "results/r", "HEAD~1")
    assert baseline.against.startswith("the release committed at HEAD~1 (")
    _, release, _ = prepare_revision(repo, baseline, "results/r", tmp_path / "scratch")
    assert (release / "2018" / "tables" / "country.csv").read_bytes() == first


def one_paragraph(error: VerifyError) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def test_an_unknown_revision_or_a_missing_release_is_one_paragraph(tmp_path):
    repo = make_repository(tmp_path)
    with pytest.raises(VerifyError) as unknown:
        choose_baseline(repo, "results/r", "no-such-branch")
    assert "'no-such-branch' names no commit" in one_paragraph(unknown.value)
    baseline = choose_baseline(repo, "results/other")
    with pytest.raises(VerifyError) as missing:
        prepare_revision(repo, baseline, "results/other", tmp_path / "scratch")
    assert "there is no committed release in results/other at HEAD (" in one_paragraph(missing.value)
    with pytest.raises(VerifyError) as both:
        choose_baseline(repo, "results/r", "HEAD", "results/r/MANIFEST.json")
    one_paragraph(both.value)


def test_a_folder_that_is_not_a_git_checkout(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # git looks no higher than tmp_path
    root = tmp_path / "plain"
    make_release(root)
    with pytest.raises(VerifyError) as named:
        choose_baseline(root, "results/r", "HEAD")
    assert "is not a git checkout" in one_paragraph(named.value)

    # no revision named: the release's own manifest, and a note saying so
    baseline = choose_baseline(root, "results/r")
    assert baseline.manifest == root / "results" / "r" / "MANIFEST.json" and baseline.commit is None
    assert baseline.against == "its manifest results/r/MANIFEST.json"
    assert len(baseline.notes) == 1 and "is not a git checkout" in baseline.notes[0]

    (root / "results" / "r" / "MANIFEST.json").unlink()
    with pytest.raises(VerifyError) as nothing:
        choose_baseline(root, "results/r")
    assert "there is no manifest at results/r/MANIFEST.json" in one_paragraph(nothing.value)
