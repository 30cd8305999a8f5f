"""Verify: a difference of one byte in a committed table is found and named, down to the cell."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from netclean_survey.manifest import build_manifest, manifest_text, write_manifest
from netclean_survey.verify import compare_releases, csv_cell_differences, report


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
