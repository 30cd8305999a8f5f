"""What changed between two releases (issue 17): hand-made tables whose changed cells, rows, files and
inputs are known, the rounding rule worked by hand, the verdict flips of the claims audit, the change log
in both languages, the changelog's one entry per version, and the command through git in a temporary
repository (tags, the working tree, an unknown tag)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netclean_survey import SYNTHETIC_NOTE
from netclean_survey.release.changes import (
    ReleaseSnapshot, changelog_entry, changes_csv, changes_markdown, compare_snapshots, crosses_rounding,
    key_columns, printed_percent, safe_name, updated_changelog,
)

ROOT = Path(__file__).resolve().parents[2]
TABLE = "results/demo/2018/tables/country.csv"
NOTES = "results/demo/2018/notes.csv"
CLAIMS = "results/demo/audit/claims.csv"

OLD_TABLE = (
    "wave,question,option,count,share,ci_low,synthetic\n"
    "2018,country,sweden,18,0.54412,0.40000,true\n"
    "2018,country,norway,10,0.25000,0.20000,true\n"
)
NEW_TABLE = (
    "wave,question,option,count,share,ci_low,synthetic\n"
    "2018,country,sweden,18,0.54449,0.40060,true\n"
    "2018,country,norway,11,0.25000,0.20000,true\n"
    "2018,country,denmark,3,0.05000,0.01000,true\n"
)
OLD_CLAIMS = (
    "id,survey_claim,wave,estimate,ci_low,ci_high,unit,verdict\n"
    "2018-01a,1,2018,54.412,48.1,60.2,percent,reproduced\n"
    "2018-02,2,2018,12,,,respondents,reproduced\n"
)
NEW_CLAIMS = (
    "id,survey_claim,wave,estimate,ci_low,ci_high,unit,verdict\n"
    "2018-01a,1,2018,54.46,48.1,60.2,percent,not reproduced\n"
    "2018-02,2,2018,13,,,respondents,reproduced\n"
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, bytes], inputs: dict[str, bytes], version: str | None, commit: str = "a" * 40) -> dict:
    record = {"release": "demo",
              "artifacts": [{"path": p, "sha256": sha(d), "size": len(d)} for p, d in sorted(files.items())],
              "inputs": [{"path": p, "sha256": sha(d), "size": len(d)} for p, d in sorted(inputs.items())],
              "provenance": {"git": {"commit": commit, "dirty": False}}}
    if version is not None:
        record["version"] = version
    return record


def hand_made() -> tuple[ReleaseSnapshot, ReleaseSnapshot]:
    old_files = {TABLE: OLD_TABLE.encode(), NOTES: b"a,b\n1,2\n", CLAIMS: OLD_CLAIMS.encode(),
                 "results/demo/2018/tables/country.en.md": b"# Country\n\n| 54.4 |\n",
                 "results/demo/2018/tables/old.md": b"# Gone\n"}
    new_files = {TABLE: NEW_TABLE.encode(), NOTES: b"a,b\n1,3\n", CLAIMS: NEW_CLAIMS.encode(),
                 "results/demo/2018/tables/country.en.md": b"# Country\n\n| 54.5 |\n",
                 "results/demo/2018/figures/country.en.png": b"\x89PNG fake"}
    inputs_old = {"resources/raw/2018.csv": b"raw 1\n", "config/config.yaml": b"release: demo\n"}
    inputs_new = {"resources/raw/2018.csv": b"raw 2\n", "config/config.yaml": b"release: demo\n"}
    old = ReleaseSnapshot("demo-v1.0.0", "1" * 40, manifest(old_files, inputs_old, None), old_files, ("demo-v1.0.0",))
    new = ReleaseSnapshot("demo-v1.1.0", "2" * 40, manifest(new_files, inputs_new, "1.1.0", "b" * 40), new_files,
                          ("demo-v1.1.0",))
    return old, new


def test_printed_percent_and_crossing_the_rounding_by_hand():
    assert printed_percent("0.54412") == "54.4"
    assert printed_percent("0.54449") == "54.4"
    assert printed_percent("0.54451") == "54.5"
    assert printed_percent("0.54450") == "54.5"  # half up: 54.45 -> 54.5 (half even would print 54.4)
    assert printed_percent("") == "–" and printed_percent("n/a") is None
    assert crosses_rounding("share", "0.54412", "0.54449") is False
    assert crosses_rounding("share", "0.54412", "0.54451") is True
    assert crosses_rounding("ci_low", "0.40000", "0.40060") is True  # 40.0 -> 40.1
    assert crosses_rounding("diff_ci_high", "-0.001729", "-0.001700") is False  # -0.2 both
    assert crosses_rounding("share_of_mentions", "0.2", "") is True  # a share hidden
    assert crosses_rounding("count", "10", "11") is None
    assert crosses_rounding("estimate", "54.412", "54.46", unit="percent") is True  # percent as it stands
    assert crosses_rounding("estimate", "12", "13", unit="respondents") is None


def test_row_keys_are_the_id_like_columns():
    assert key_columns(["wave", "question", "kind", "option", "label_en", "share"]) == ["wave", "question", "option"]
    assert key_columns(["wave", "by", "group", "question", "option", "n"]) == ["wave", "by", "group", "question", "option"]
    assert key_columns(["_row", "respondent_id", "reason"]) == ["respondent_id"]
    assert key_columns(["question", "key", "value"]) == ["question", "key"]
    assert key_columns(["a", "b"]) == []
    assert safe_name("HEAD~12") == "HEAD_12" and safe_name("netclean-2018-v1.0.0") == "netclean-2018-v1.0.0"
    assert safe_name("..") == "_"


def test_the_change_table_names_exactly_the_known_changes():
    old, new = hand_made()
    changes = compare_snapshots("demo", old, new)
    rows = {(r.kind, r.file, r.row, r.column, r.old, r.new, r.crosses_rounding, r.flips_verdict)
            for r in changes.table.itertuples(index=False)}
    sweden, norway = "wave=2018; question=country; option=sweden", "wave=2018; question=country; option=norway"
    claim_1, claim_2 = "id=2018-01a; survey_claim=1; wave=2018", "id=2018-02; survey_claim=2; wave=2018"
    md_old, md_new = sha(old.files["results/demo/2018/tables/country.en.md"]), sha(new.files["results/demo/2018/tables/country.en.md"])
    assert rows == {
        ("cell", TABLE, sweden, "share", "0.54412", "0.54449", False, None),
        ("cell", TABLE, sweden, "ci_low", "0.40000", "0.40060", True, None),
        ("cell", TABLE, norway, "count", "10", "11", None, None),
        ("row_added", TABLE, "wave=2018; question=country; option=denmark", "", "",
         "count=3; share=0.05000; ci_low=0.01000; synthetic=true", None, None),
        ("cell", NOTES, "row 2", "b", "2", "3", None, None),  # no id-like column: by position
        ("cell", CLAIMS, claim_1, "estimate", "54.412", "54.46", True, True),
        ("cell", CLAIMS, claim_1, "verdict", "reproduced", "not reproduced", None, True),
        ("cell", CLAIMS, claim_2, "estimate", "12", "13", None, False),
        ("file_added", "results/demo/2018/figures/country.en.png", "", "", "", sha(b"\x89PNG fake"), None, None),
        ("file_removed", "results/demo/2018/tables/old.md", "", "", sha(b"# Gone\n"), "", None, None),
        ("file_changed", "results/demo/2018/tables/country.en.md", "", "", md_old, md_new, None, None),
        ("input_changed", "resources/raw/2018.csv", "", "", sha(b"raw 1\n"), sha(b"raw 2\n"), None, None),
    }
    assert changes.synthetic and changes.notes == ()
    assert changes.counts == {"tables": 3, "cells": 7, "rows_added": 1, "rows_removed": 0, "columns_added": 0,
                              "columns_removed": 0, "files_added": 1, "files_removed": 1, "files_changed": 1,
                              "inputs": 1, "inputs_raw": 1, "inputs_config": 0, "inputs_code": 0}
    written = list(csv.DictReader(io.StringIO(changes_csv(changes.table))))
    assert list(written[0]) == ["kind", "file", "row", "column", "old", "new", "crosses_rounding", "flips_verdict",
                                "detail", "synthetic"]
    share = next(r for r in written if r["column"] == "share")
    assert (share["crosses_rounding"], share["flips_verdict"], share["synthetic"]) == ("false", "", "true")


def test_removed_rows_and_columns_and_a_csv_whose_bytes_alone_differ():
    old_files = {TABLE: b"question,option,share,extra\ncountry,sweden,0.5,x\ncountry,norway,0.2,y\n",
                 NOTES: b"a,b\n1,2\n"}
    new_files = {TABLE: b"question,option,share,added\ncountry,sweden,0.5,z\n", NOTES: b"a,b\r\n1,2\r\n"}
    old = ReleaseSnapshot("old", "1" * 40, manifest(old_files, {}, "1.0.0"), old_files)
    new = ReleaseSnapshot("new", "2" * 40, manifest(new_files, {}, "1.0.1"), new_files)
    table = compare_snapshots("demo", old, new).table
    assert [(r.kind, r.row, r.column) for r in table.itertuples(index=False)] == [  # files in path order
        ("file_changed", "", ""), ("column_removed", "", "extra"), ("column_added", "", "added"),
        ("row_removed", "question=country; option=norway", "")]
    assert "bytes differ" in table.iloc[0]["detail"] and table.iloc[0]["file"] == NOTES
    assert table.iloc[3]["old"] == "share=0.2; extra=y"


def test_the_change_log_in_both_languages_names_the_counts():
    old, new = hand_made()
    changes = compare_snapshots("demo", old, new)
    sv, en = changes_markdown(changes, "sv"), changes_markdown(changes, "en")
    assert en.startswith("# Changes in demo: demo-v1.0.0 → 1.1.0 (demo-v1.1.0)\n")
    assert sv.startswith("# Ändringar i demo: demo-v1.0.0 → 1.1.0 (demo-v1.1.0)\n")
    assert SYNTHETIC_NOTE["en"] in en and SYNTHETIC_NOTE["sv"] in sv
    assert "Tables with changed values: 3 (7 cells; rows: 1 added, 0 removed" in en
    assert "Tabeller med ändrade värden: 3 (7 celler; rader: 1 tillagda, 0 borttagna" in sv
    assert "Files: 1 added, 1 removed, 1 changed" in en and "Filer: 1 tillagda, 1 borttagna, 1 ändrade" in sv
    assert "Inputs changed: 1 (raw exports 1, configuration 0" in en and "Ändrade indata: 1 (rådata 1" in sv
    assert "| `2018/tables/country.csv` | wave=2018; question=country; option=sweden | ci_low | cell | 0.40000 | 0.40060 | yes |  |" in en
    assert "| `audit/claims.csv` | id=2018-01a; survey_claim=1; wave=2018 | verdict | cell | reproduced | not reproduced |  | ja |" in sv
    assert "| `2018/notes.csv` | rad 2 | b | cell | 2 | 3 |  |  |" in sv and "| `2018/notes.csv` | row 2 |" in en
    assert "- `2018/figures/country.en.png` (added)" in en and "- `2018/tables/old.md` (borttagen)" in sv
    assert "- `resources/raw/2018.csv` (raw export)" in en
    assert "| Version | none (the manifest records none) | 1.1.0 |" in en


def test_the_cells_shown_are_capped_and_the_rest_counted():
    header = "wave,question,option,share\n"
    old_files = {TABLE: (header + "".join(f"2018,q,o{i},0.1\n" for i in range(250))).encode()}
    new_files = {TABLE: (header + "".join(f"2018,q,o{i},0.2\n" for i in range(250))).encode()}
    old = ReleaseSnapshot("old", "1" * 40, manifest(old_files, {}, "1.0.0"), old_files)
    new = ReleaseSnapshot("new", "2" * 40, manifest(new_files, {}, "1.1.0"), new_files)
    text = changes_markdown(compare_snapshots("demo", old, new), "en")
    assert "… and 50 more, see changes.csv." in text
    assert sum(1 for line in text.splitlines() if line.startswith("| `2018/tables/country.csv`")) == 200


def test_the_same_release_has_no_differences_and_a_mismatched_manifest_is_a_note():
    old, _ = hand_made()
    changes = compare_snapshots("demo", old, old)
    assert changes.table.empty and not changes.any
    assert "No differences" in changes_markdown(changes, "en") and "Inga skillnader" in changes_markdown(changes, "sv")
    edited = dict(old.files, **{NOTES: b"a,b\n1,9\n"})
    working = ReleaseSnapshot("working", None, old.manifest, edited, working=True)
    found = compare_snapshots("demo", old, working)
    assert [(r.kind, r.row, r.new) for r in found.table.itertuples(index=False)] == [("cell", "row 2", "9")]
    assert "1 file(s) of working do not match its MANIFEST.json (e.g. results/demo/2018/notes.csv)" in found.notes[0]["en"]


def test_the_changelog_keeps_one_entry_per_version_newest_first():
    old, new = hand_made()
    changes = compare_snapshots("demo", old, new)
    entry = changelog_entry(changes, "en")
    assert entry.startswith("## 1.1.0 (demo-v1.1.0)\n") and "- `2018/tables/country.csv` (4 changes)" in entry
    first = updated_changelog(None, entry, "demo", "en")
    assert first.startswith("# Changelog of demo\n") and first.count("## 1.1.0 (") == 1
    again = updated_changelog(first, entry.replace("(4 changes)", "(5 changes)"), "demo", "en")
    assert again.count("## 1.1.0 (") == 1 and "(5 changes)" in again and "(4 changes)" not in again
    later = updated_changelog(again, "## 1.2.0 (demo-v1.2.0)\n\nCompared with 1.1.0.\n", "demo", "en")
    assert later.index("## 1.2.0") < later.index("## 1.1.0") and later.count("## ") == 2
    assert changelog_entry(changes, "sv").startswith("## 1.1.0 (demo-v1.1.0)\n")
    backwards = compare_snapshots("demo", new, old)  # NEW without a version: no entry
    with pytest.raises(ValueError, match="has no version"):
        changelog_entry(backwards, "en")


# ---------------------------------------------------------------------------------------------
# through git, with the command


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                             "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                            cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def write_release(repo: Path, table: str, version: str) -> None:
    folder = repo / "results" / "demo"
    (folder / "2018" / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "2018" / "tables" / "country.csv").write_text(table, encoding="utf-8")
    (folder / "2018" / "tables" / "country.en.md").write_text("# Country\n", encoding="utf-8")
    files = {p.relative_to(repo).as_posix(): p.read_bytes() for p in folder.rglob("*")
             if p.is_file() and p.name != "MANIFEST.json"}
    inputs = {"config/config.yaml": (repo / "config" / "config.yaml").read_bytes()}
    (folder / "MANIFEST.json").write_text(json.dumps(manifest(files, inputs, version), indent=2) + "\n",
                                          encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / "config").mkdir(parents=True)
    (repo / "config" / "config.yaml").write_text("release: demo\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "before the release")
    git(repo, "tag", "before")
    write_release(repo, OLD_TABLE, "1.0.0")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "release 1.0.0")
    git(repo, "tag", "demo-v1.0.0")
    write_release(repo, OLD_TABLE.replace("0.54412", "0.54451"), "1.1.0")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "release 1.1.0")
    git(repo, "tag", "demo-v1.1.0")
    return repo


def command(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "workflow"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "netclean_survey", "release-changes", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


def read_changes(folder: Path) -> list[dict]:
    with (folder / "changes.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_two_tags_name_exactly_the_changed_cell(repo, tmp_path):
    out = tmp_path / "out"
    run = command(repo, "demo-v1.0.0", "demo-v1.1.0", "--release", "demo", "--out", str(out), "--changelog")
    assert run.returncode == 0, run.stderr
    rows = read_changes(out)
    assert [(r["kind"], r["file"], r["row"], r["column"], r["old"], r["new"], r["crosses_rounding"]) for r in rows] == [
        ("cell", "results/demo/2018/tables/country.csv", "wave=2018; question=country; option=sweden", "share",
         "0.54412", "0.54451", "true")]
    english = (out / "CHANGES.en.md").read_text(encoding="utf-8")
    assert "# Changes in demo: 1.0.0 (demo-v1.0.0) → 1.1.0 (demo-v1.1.0)" in english
    assert "Tables with changed values: 1 (1 cells" in english and "Inputs changed: 0" in english
    assert "Tabeller med ändrade värden: 1 (1 celler" in (out / "CHANGES.sv.md").read_text(encoding="utf-8")
    log = repo / "results" / "changelog" / "demo.en.md"
    assert log.read_text(encoding="utf-8").count("## 1.1.0 (demo-v1.1.0)") == 1
    again = command(repo, "demo-v1.0.0", "demo-v1.1.0", "--out", str(out), "--changelog")  # NAME from config
    assert again.returncode == 0, again.stderr
    assert log.read_text(encoding="utf-8").count("## 1.1.0 (") == 1
    assert (repo / "results" / "changelog" / "demo.sv.md").read_text(encoding="utf-8").startswith("# Ändringslogg för demo")


def test_the_working_tree_and_the_default_folder(repo):
    table = repo / "results" / "demo" / "2018" / "tables" / "country.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",10,", ",12,"), encoding="utf-8")
    run = command(repo, "demo-v1.1.0", "working")
    assert run.returncode == 0, run.stderr
    out = repo / "results" / "changes" / "demo" / "demo-v1.1.0..working"
    rows = read_changes(out)
    assert [(r["kind"], r["row"], r["column"], r["old"], r["new"]) for r in rows] == [
        ("cell", "wave=2018; question=country; option=norway", "count", "10", "12")]
    assert "do not match its MANIFEST.json" in (out / "CHANGES.en.md").read_text(encoding="utf-8")
    manifest_path = repo / "results" / "demo" / "MANIFEST.json"
    manifest_path.write_text(manifest_path.read_text(encoding="utf-8").replace('"1.1.0"', '"1.2.0"'), encoding="utf-8")
    logged = command(repo, "demo-v1.1.0", "working", "--out", str(repo.parent / "logged"), "--changelog")
    assert logged.returncode == 0, logged.stderr
    entry = (repo / "results" / "changelog" / "demo.en.md").read_text(encoding="utf-8")
    assert "## 1.2.0 (demo-v1.2.0)\n" in entry and "Compared with 1.1.0 (demo-v1.1.0)." in entry  # the tag to come
    same = command(repo, "demo-v1.1.0", "HEAD", "--out", str(repo.parent / "same"))
    assert same.returncode == 0 and "no differences" in same.stdout
    assert read_changes(repo.parent / "same") == []


@pytest.mark.parametrize("old, words", [("demo-v9.9.9", "'demo-v9.9.9' names no commit"),
                                        ("before", "there is no release demo at before")])
def test_an_unknown_tag_or_a_revision_without_the_release_is_one_paragraph(repo, old, words):
    run = command(repo, old, "demo-v1.1.0")
    assert run.returncode == 2
    assert words in run.stderr and "Traceback" not in run.stderr
    assert run.stderr.startswith("release-changes: ") and run.stderr.count("\n") == 1
    assert not (repo / "results" / "changes").exists()


def test_a_changed_workbook_and_text_file_say_how_much_differs_in_both_languages():
    from openpyxl import Workbook

    from netclean_survey.release.changes import detail_text, file_detail

    def workbook(value) -> bytes:
        book = Workbook()
        book.active["A1"], book.active["B2"] = "share", value
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()

    assert file_detail("t.xlsx", workbook(0.5), workbook(0.6)) == "1 cell(s) or sheet(s) differ"
    assert detail_text("1 cell(s) or sheet(s) differ", "sv") == "1 cell(er) eller blad skiljer sig"
    assert file_detail("t.md", b"a\nb\nc\n", b"a\nB\nC\n") == "2 line(s) differ"
    assert detail_text("2 line(s) differ", "sv") == "2 rad(er) skiljer sig"
    assert file_detail("f.png", b"\x89PNG a", b"\x89PNG b") == ""
