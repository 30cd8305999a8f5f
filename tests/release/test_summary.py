"""The closing summary of a run (netclean_survey.release.summary), checked against the committed
release counted a second way (its files on disk, by folder and suffix). All data are synthetic."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from netclean_survey.release.summary import release_parts, release_summary, verdict_counts

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "results/netclean-2018"


def test_parts_and_kinds_are_counted_per_folder_and_suffix():
    parts = release_parts(["2018/tables/a.csv", "2018/tables/a.sv.md", "2018/figures/a.sv.png", "2018/figures/a.sv.svg",
                           "2018/tables/2018.xlsx", "audit/claims.csv", "MANIFEST.json", "compare/x/notes.txt"])
    assert parts == {"2018": Counter({"CSV tables": 1, "Markdown texts": 1, "figures (PNG)": 1, "figures (SVG)": 1,
                                      "workbooks": 1}),
                     "audit": Counter({"CSV tables": 1}), "compare": Counter({"other files": 1})}


def test_the_summary_of_the_committed_release_counts_its_files_on_disk():
    text = release_summary(str(ROOT / RELEASE), "logs/netclean-2018", synthetic=True, promoted_now=True)
    release = ROOT / RELEASE
    on_disk = [p for p in release.rglob("*") if p.is_file() and p.name != "MANIFEST.json"]
    assert f"{len(on_disk)} files, each listed with its sha256" in text
    for part in ("2016", "2018", "compare", "audit"):
        files = [p for p in on_disk if p.relative_to(release).parts[0] == part]
        figures = sum(p.suffix == ".png" for p in files)
        line = next(line for line in text.splitlines() if line.split()[:1] == [part])
        assert f"{len(files)} files" in line and (f"{figures} figures (PNG)" in line or not figures), line
    assert "synthetic" in text and "make report" in text and "logs/netclean-2018/" in text


def test_the_claims_verdicts_are_those_of_the_summary_table():
    path = ROOT / RELEASE / "audit" / "claims_summary.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = verdict_counts(path)
    assert sum(counts.values()) == len(rows) and counts["reproduced"] == sum(r["verdict"] == "reproduced" for r in rows)
    text = release_summary(str(ROOT / RELEASE), "logs/x", synthetic=False, promoted_now=False)
    assert f"Claims audit: {len(rows)} claims of the report: {counts['reproduced']} reproduced" in text
    assert "did not reach rule promote" in text and "synthetic" not in text


def test_no_release_yet_is_said(tmp_path):
    assert "No release" in release_summary(str(tmp_path / "r"), "logs/r", True, False)


def test_a_manifest_with_no_artifacts_gives_a_summary(tmp_path):
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"artifacts": []}), encoding="utf-8")
    assert "0 files" in release_summary(str(tmp_path), "logs/r", False, True)
