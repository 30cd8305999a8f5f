"""Two versions of a release through Snakemake (issue 17): the committed release tagged as its
version, then one answer of the 2018 export corrected, the version raised and the release rerun;
the change log names exactly the cells that differ (checked against a plain cell-by-cell comparison
of the two folders), and the corrected release is tagged as the new version."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from test_workflow import RELEASE, ROOT, copy_clone, run_snakemake

from netclean_survey.release.changes import release_changes, write_changes

pytestmark = pytest.mark.slow

RESPONDENT = "10186854861"  # a 2018 respondent in the published responses
OLD_ANSWER = "Threat to spread the images online, e.g. on social media"
NEW_ANSWER = "Threat to send the images to people the child knows"


def committed_version() -> str:
    """The release version config/config.yaml names now (the test raises it by one minor step)."""
    import yaml

    return str(yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["version"])


OLD_VERSION = committed_version()
NEW_VERSION = "{}.{}.0".format(OLD_VERSION.split(".")[0], int(OLD_VERSION.split(".")[1]) + 1)


def git(work: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=work,
                          check=True, capture_output=True, text=True).stdout.strip()


def tag(work: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(work / "workflow"), "GIT_AUTHOR_NAME": "Test",
           "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    return subprocess.run([sys.executable, "-m", "netclean_survey.release.versions", "tag"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)


def correct_the_export(path: Path) -> None:
    """One answer of one respondent: the most common threat, column "Which type of threat is the most common?"."""
    raw = path.read_bytes()
    bom, text = (b"\xef\xbb\xbf", raw[3:]) if raw.startswith(b"\xef\xbb\xbf") else (b"", raw)
    lines = text.decode("utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    column = header.index("Which type of threat is the most common?")
    for i, line in enumerate(lines):
        if line.startswith(RESPONDENT + ","):
            cells = next(csv.reader([line]))
            assert cells[column] == OLD_ANSWER
            cells[column] = NEW_ANSWER
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(cells)
            lines[i] = out.getvalue()
            break
    else:
        raise AssertionError(f"respondent {RESPONDENT} is not in {path}")
    path.write_bytes(bom + "\n".join(lines).encode("utf-8"))


def csv_cells(folder: Path) -> dict[str, list[list[str]]]:
    return {p.relative_to(folder).as_posix(): list(csv.reader(p.open(encoding="utf-8", newline="")))
            for p in sorted(folder.rglob("*.csv"))}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    work = copy_clone(tmp_path_factory.mktemp("versions"))
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the release as committed")
    first = tag(work)
    assert first.returncode == 0, first.stderr
    old = work / "old"
    shutil.copytree(work / "results" / RELEASE, old)
    # the correction: one answer of the export, and the version it makes
    correct_the_export(work / "resources" / "raw" / "2018.csv")
    config = work / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert f"\nversion: {OLD_VERSION}\n" in text
    config.write_text(text.replace(f"version: {OLD_VERSION}", f"version: {NEW_VERSION}"), encoding="utf-8")
    git(work, "commit", "-qam", "2018: one answer corrected")
    run = run_snakemake(work)
    assert run.returncode == 0, run.stderr[-5000:]
    return work, old


def test_the_change_log_names_exactly_the_cells_that_differ(two_versions):
    work, old = two_versions
    changes = release_changes(work, f"{RELEASE}-v{OLD_VERSION}", "working", RELEASE)
    out = work / "changes"
    write_changes(changes, out)
    table = pd.read_csv(work / "changes" / "changes.csv", dtype=str, keep_default_na=False)
    # a plain comparison of the two folders, cell by cell (every CSV keeps its shape: one answer moved)
    before, after = csv_cells(old), csv_cells(work / "results" / RELEASE)
    assert before.keys() == after.keys()
    expected = set()
    for path, rows in before.items():
        assert len(rows) == len(after[path]) and rows[0] == after[path][0], path
        for old_row, new_row in zip(rows[1:], after[path][1:]):
            for column, a, b in zip(rows[0], old_row, new_row):
                if a != b:
                    expected.add((f"results/{RELEASE}/{path}", column, a, b))
    cells = table[table["kind"] == "cell"]
    assert set(zip(cells["file"], cells["column"], cells["old"], cells["new"])) == expected
    assert len(cells) == len(expected) > 0
    assert not table["kind"].isin(["row_added", "row_removed", "file_added", "file_removed"]).any()
    # by hand: one respondent moved from "spread_online" to "spread_to_known"
    counts = {(f, r, o, n) for f, r, c, o, n in zip(cells["file"], cells["row"], cells["column"], cells["old"],
                                                     cells["new"]) if c == "count"}
    tables = f"results/{RELEASE}/2018/tables/threat_most_common.csv"
    moved = {r: int(n) - int(o) for f, r, o, n in counts if f == tables}
    assert moved == {"wave=2018; question=threat_most_common; option=spread_online": -1,
                     "wave=2018; question=threat_most_common; option=spread_to_known": 1}
    responses = cells[cells["file"] == f"results/{RELEASE}/2018/clean/responses.csv"]
    assert responses[["row", "column", "old", "new"]].values.tolist() == [
        [f"respondent_id={RESPONDENT}", "threat_most_common", "spread_online", "spread_to_known"]]
    inputs = table[table["kind"] == "input_changed"]["file"].tolist()
    assert "resources/raw/2018.csv" in inputs and "config/config.yaml" in inputs
    assert "2016" not in " ".join(cells["file"])  # the 2016 wave did not change
    for lang in ("sv", "en"):
        assert (out / f"CHANGES.{lang}.md").read_text(encoding="utf-8").count(NEW_VERSION) >= 1


def test_the_corrected_release_is_tagged_as_its_version_once_committed(two_versions):
    work, _ = two_versions
    refused = tag(work)  # results/ not committed yet: the committed manifest still says the old version
    assert refused.returncode == 2 and (f"records version '{OLD_VERSION}' and config/config.yaml says "
                                       f"'{NEW_VERSION}'") in refused.stderr
    git(work, "add", "results")
    git(work, "commit", "-qm", f"release {NEW_VERSION}")
    tagged = tag(work)
    assert tagged.returncode == 0, tagged.stderr
    assert git(work, "tag", "--list").split() == [f"{RELEASE}-v{OLD_VERSION}", f"{RELEASE}-v{NEW_VERSION}"]
