"""Whole or nothing, through Snakemake, against the committed release: a run that fails anywhere,
at any stage, leaves every committed file byte-identical, writes nothing into the release and says
what went wrong in one paragraph (file, row, column, what to do), without a traceback; inputs that
are valid but unusual (forced responses, one respondent, a raw export behind a symlink, waves in
another order) give a release that holds exactly what its manifest lists.

Each case is a small change to a copy of the project with the committed release
(``results/netclean-2018/``) in place, as a scheduled rerun would find it. All data are synthetic."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from test_snakemake_errors import edit, row
from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

pytestmark = pytest.mark.slow
RAW_2018, RAW_2016 = "resources/raw/2018.csv", "resources/raw/2016.csv"
WAVE_2018, WAVE_2016 = "config/waves/2018.yaml", "config/waves/2016.yaml"
CONFIG = "config/config.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """The project as a fresh clone has it: the workflow, the raw exports and the committed release."""
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    shutil.copytree(ROOT / "results" / RELEASE, tmp_path / "results" / RELEASE)
    return tmp_path


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def release(project: Path) -> Path:
    return project / "results" / RELEASE


# Lines Snakemake itself prints, which end a job's paragraph (its scheduler may start other jobs
# between a job's message and the report of its failure: "Execute 3 jobs...").
SNAKEMAKE_LINES = ("RuleException", "CalledProcessError", "[", "Shutting down", "Exiting", "Execute ", "Select jobs",
                   "Finished job", "Removing output", "Error in rule", "localrule ", "rule ", "Waiting ", "Will exit",
                   "Complete log")


def error_paragraph(stderr: str) -> str:
    """The job's message: the lines from "error: " up to a blank line or Snakemake's own lines."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("error: "))
    end = next((i for i in range(start + 1, len(lines))
                if not lines[i].strip() or lines[i].startswith(SNAKEMAKE_LINES)),
               len(lines))
    return "\n".join(lines[start:end])


def assert_refused(project: Path, before: dict[str, str], *messages: str) -> str:
    """Run the whole release; it must fail, say ``messages`` in one paragraph, and leave the
    committed release byte-identical."""
    result = run_snakemake(project)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    text = result.stderr if "error: " not in result.stderr else error_paragraph(result.stderr)
    for message in messages:
        assert message in text, text
    assert digests(release(project)) == before, "the committed release changed"
    return text


def set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def columns_of(records, question_text: str) -> list[int]:
    """The columns of a SurveyMonkey question (row 1 names it over its first column)."""
    found, current = [], ""
    for i, name in enumerate(records[0]):
        current = name or current
        if current == question_text:
            found.append(i)
    return found


GROOMING_AGES_SEEN = "In grooming cases, which ages are the children in the images you have seen? (Tick all that apply)"


# --- refused before any job: configuration that does not say what it means --------------------

CONFIG_CASES = [
    pytest.param(WAVE_2018, 'encoding: utf-8-sig', 'encoding: utf-9',
                 ["config/waves/2018.yaml: encoding: 'utf-9' is not a text encoding Python knows"], id="encoding"),
    pytest.param(WAVE_2018, 'delimiter: ","', 'delimiter: ";;"',
                 ["config/waves/2018.yaml: delimiter: ';;' is 2 characters long; it must be exactly 1 character"],
                 id="delimiter"),
    pytest.param(WAVE_2018, "min_share_of_median: 0.3", "min_share_of_median: fast",
                 ["config/waves/2018.yaml: exclusions.speeders.min_share_of_median: 'fast' is not a number"],
                 id="threshold-text"),
    pytest.param(WAVE_2018, "min_share_of_median: 0.3", "min_share_of_median: 5",
                 ["exclusions.speeders.min_share_of_median: 5", "at most 1"], id="threshold-above-one"),
    pytest.param(WAVE_2018, "synthetic: true", 'synthetic: "false"',
                 ["config/waves/2018.yaml: synthetic: 'false' is not true or false: write it without quotes"],
                 id="synthetic-text"),
    pytest.param(WAVE_2018, 'fieldwork: {start: "2018-05-02"', 'fieldwork: {start: "2018-02-30"',
                 ["config/waves/2018.yaml: fieldwork.start: '2018-02-30' is not a date of the calendar"],
                 id="impossible-date"),
    pytest.param(WAVE_2018, 'fieldwork: {start: "2018-05-02"', 'fieldwork: {start: "2018-09-02"',
                 ["config/waves/2018.yaml: fieldwork: start '2018-09-02' is after end '2018-08-13'"],
                 id="fieldwork-backwards"),
    pytest.param(CONFIG, "publish_free_text: false", "publish_free_text: \"no\"",
                 ["config/config.yaml is not valid", "publish_free_text"], id="config-boolean-text"),
]


@pytest.mark.parametrize("path, old, new, messages", CONFIG_CASES)
def test_configuration_is_type_checked_before_any_job(project, path, old, new, messages):
    before = digests(release(project))
    set_line(project / path, old, new)
    assert_refused(project, before, *messages)
    assert not (project / "results" / ".staging").exists()


def test_config_templating_is_refused_before_it_can_run_code(project):
    """Snakemake renders a config with `__use_yte__: true` as a YTE template, whose expressions are
    Python: the pipeline refuses the file before Snakemake reads it."""
    marker = project / "executed"
    config = project / CONFIG
    config.write_text("__use_yte__: true\n" + config.read_text(encoding="utf-8").replace(
        "release: netclean-2018", f"release: ?__import__('pathlib').Path('{marker}').write_text('x') and 'netclean-2018'"),
        encoding="utf-8")
    before = digests(release(project))
    assert_refused(project, before, "config/config.yaml: the key '__use_yte__' would make Snakemake run the file")
    assert not marker.exists()


def test_an_alias_bomb_is_refused_quickly(project):
    bomb = "\n".join([f"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
                     + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)])
    wave = project / WAVE_2018
    wave.write_text(wave.read_text(encoding="utf-8") + "\n# a billion laughs\nlaughs:\n  "
                    + bomb.replace("\n", "\n  ") + "\n", encoding="utf-8")
    before = digests(release(project))
    started = time.monotonic()
    assert_refused(project, before, "config/waves/2018.yaml", "billion laughs")
    assert time.monotonic() - started < 60


# --- refused at clean: exports that cannot give a release ---------------------------------------

def every_row_partial(records):
    link = columns_of(records, "Do you see a connection between the production of child sexual abuse material "
                               "and trafficking in your investigations?")[0]
    for record in records[2:]:
        record[link] = ""


def a_blank_respondent_id(records):
    row(records, 7)[0] = "  "


def a_response_before_the_fieldwork(records):
    row(records, 9)[2] = "04/30/2018 10:00:00 AM"  # Start Date, two days before the fieldwork


@pytest.mark.parametrize("corrupt, messages", [
    pytest.param(edit(every_row_partial), [
        "error: resources/raw/2018.csv: no row is left to analyse: 291 rows in the export;",
        "incomplete excluded", "Check the exclusions of config/waves/2018.yaml"], id="all-screened-out"),
    pytest.param(edit(a_blank_respondent_id), [
        "error: resources/raw/2018.csv: column 'Respondent ID': 1 row(s) have no respondent id, rows [7]",
        "restore the ids"], id="blank-respondent-id"),
    pytest.param(edit(a_response_before_the_fieldwork), [
        "error: resources/raw/2018.csv: 1 response(s) started before 2018-05-02 or ended after 2018-08-13, the "
        "fieldwork of config/waves/2018.yaml: rows [9]", "add `outside_fieldwork: {}` under `exclusions:`"],
        id="outside-fieldwork"),
])
def test_an_export_that_cannot_make_a_release_is_refused_at_clean(project, corrupt, messages):
    before = digests(release(project))
    corrupt(project / RAW_2018)
    text = assert_refused(project, before, *messages)
    assert len(text.splitlines()) == 1, text  # one paragraph


def test_a_duration_of_inf_is_refused_with_its_row(project):
    raw = project / RAW_2016
    records = list(csv.reader(io.StringIO(raw.read_text(encoding="utf-8-sig"), newline="")))
    duration, response_id = records[0].index("Duration (in seconds)"), records[0].index("ResponseId")
    analysed = (release(project) / "2016" / "clean" / "responses.csv").read_text(encoding="utf-8")
    number = next(i for i, record in enumerate(records[3:], start=4) if f"\n{record[response_id]}," in analysed)
    records[number - 1][duration] = "inf"  # a response that is analysed (row `number` of the file)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
    raw.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    before = digests(release(project))
    assert_refused(project, before, "error: resources/raw/2016.csv: column Duration (in seconds): no valid duration "
                                    f"in 1 row(s), rows [{number}]", "a finite number of seconds")


def test_a_question_nobody_answered_is_refused_at_clean(project):
    """A wave too small to estimate: the table of a question without a base cannot be made."""
    def nobody_sees_a_link(records):
        link = columns_of(records, "Do you see a connection between the production of child sexual abuse "
                                   "material and trafficking in your investigations?")[0]
        regions = columns_of(records, "In which parts of the world do you see this connection? (Tick all that apply)")
        for record in records[2:]:
            if record[link] == "Yes":
                record[link] = "No"
                for column in regions:
                    record[column] = ""

    before = digests(release(project))
    edit(nobody_sees_a_link)(project / RAW_2018)
    assert_refused(project, before, "error: resources/raw/2018.csv: too few respondents to estimate",
                   "nobody answered trafficking_regions (asked of 0 with trafficking_link = yes)",
                   "remove it from `questions:` in config/waves/2018.yaml")


# --- a failure at the last stages, and a full disk ------------------------------------------------

def test_a_failure_in_the_audit_after_every_table_leaves_the_release_untouched(project):
    """The claims audit runs last but for the manifest: every table and figure of the run is staged
    by then, and still nothing of it is published."""
    set_line(project / "config" / "claims" / "2018.yaml", "question: trafficking_link", "question: traffic_link")
    before = digests(release(project))
    result = run_snakemake(project, "--keep-going")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "traffic_link" in result.stderr
    assert (project / "results" / ".staging" / RELEASE / "2018" / "tables" / "country.csv").exists()
    assert digests(release(project)) == before


def test_a_full_disk_is_one_paragraph_and_touches_nothing(project):
    staging = project / "results" / ".staging"
    staging.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(staging)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.strip()}")
    try:
        before = digests(release(project))
        text = assert_refused(project, before, "No space left on device", "the disk is full: free some space",
                              "the published release is unchanged")
        # jobs running side by side may each hit the full disk: one paragraph (one line) per job
        assert all(line.startswith("error: ") for line in text.splitlines()), text
    finally:
        subprocess.run(["umount", "-l", str(staging)], check=False)


# --- accepted: unusual but valid inputs give a release that is exactly its manifest -------------

def listed(project: Path) -> set[str]:
    manifest = json.loads((release(project) / "MANIFEST.json").read_text(encoding="utf-8"))
    prefix = f"results/{RELEASE}/"
    return {record["path"].removeprefix(prefix) for record in manifest["artifacts"]} | {"MANIFEST.json"}


def test_a_tick_all_question_everyone_answered_is_read_back_as_written(project):
    """Forced response: every analysed respondent ticks an age, so each option's column holds only
    true and false; it must be read back as ticks, not turned into booleans by pandas."""
    def everyone_ticks_an_age(records):
        ages = columns_of(records, GROOMING_AGES_SEEN)
        for record in records[2:]:
            if not any(record[c].strip() for c in ages):
                record[ages[-1]] = "17 years"

    edit(everyone_ticks_an_age)(project / RAW_2018)
    result = run_snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    table = list(csv.DictReader((release(project) / "2018" / "tables" / "grooming_ages_seen.csv").open(encoding="utf-8")))
    assert {(r["n_asked"], r["n"], r["nonresponse"]) for r in table} == {("272", "272", "0")}
    assert set(digests(release(project))) == listed(project)


def test_raw_exports_behind_symlinks_and_outside_the_checkout(project, tmp_path_factory):
    """A raw export may live on a secure share: a symlink to it, or an absolute path in the wave
    file. The manifest records each path as configured and the hash of its bytes."""
    share = tmp_path_factory.mktemp("secure-share")
    shutil.move(project / RAW_2018, share / "2018.csv")
    (project / RAW_2018).symlink_to(share / "2018.csv")
    shutil.move(project / RAW_2016, share / "2016.csv")
    set_line(project / WAVE_2016, "raw: resources/raw/2016.csv", f"raw: {share / '2016.csv'}")
    before = digests(release(project))
    result = run_snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    inputs = {r["path"]: r["sha256"] for r in json.loads(
        (release(project) / "MANIFEST.json").read_text(encoding="utf-8"))["inputs"]}
    assert inputs[RAW_2018] == hashlib.sha256((share / "2018.csv").read_bytes()).hexdigest()
    assert inputs[str(share / "2016.csv")] == hashlib.sha256((share / "2016.csv").read_bytes()).hexdigest()
    after = digests(release(project))
    changed = {path for path in before if before[path] != after.get(path)}
    assert changed <= {"MANIFEST.json"}, changed  # the same tables and figures; only the inputs' record moves


def test_waves_in_another_order_leave_no_file_the_manifest_does_not_list(project):
    set_line(project / CONFIG, 'waves: ["2016", "2018"]', 'waves: ["2018", "2016"]')
    result = run_snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    files = set(digests(release(project)))
    assert files == listed(project)
    assert "compare/country_2018_vs_2016/table.csv" in files
    assert not any(path.startswith("compare/country_2016_vs_2018/") for path in files)


def test_one_analysed_respondent_gives_a_release(project):
    """The smallest wave that can be estimated: one respondent who answered every question. Every
    column of the responses then holds one value (and a tick-all column only true or false)."""
    responses = list(csv.DictReader((release(project) / "2018" / "clean" / "responses.csv").open(encoding="utf-8")))
    complete = next(r["respondent_id"] for r in responses if all(r.values()))

    def only_that_respondent(records):
        records[2:] = [record for record in records[2:] if record[0] == complete]

    edit(only_that_respondent)(project / RAW_2018)
    result = run_snakemake(project)
    assert result.returncode == 0, result.stderr[-3000:]
    country = list(csv.DictReader((release(project) / "2018" / "tables" / "country.csv").open(encoding="utf-8")))
    assert {r["n"] for r in country} == {"1"} and sum(int(r["count"]) for r in country) == 1
    assert set(digests(release(project))) == listed(project)
