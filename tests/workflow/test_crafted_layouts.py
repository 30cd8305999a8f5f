"""Through Snakemake, the two crafted waves of tests/crafted_exports.py (SurveyMonkey expanded,
Other box and grid; legacy Qualtrics numeric and split), each read, screened, estimated and
tabulated beside the shipped waves, with the counts worked by hand."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from crafted_exports import Q_WAVE, SM_WAVE, legacy_qualtrics_export, surveymonkey_export
from test_workflow import RELEASE, copy_project, run_snakemake

pytestmark = pytest.mark.slow


def table(work, wave, question) -> dict[str, dict]:
    text = (work / f"results/.staging/{RELEASE}/{wave}/tables/{question}.csv").read_text(encoding="utf-8")
    return {row["option"]: row for row in csv.DictReader(io.StringIO(text))}


def log(work, wave) -> dict[str, list[str]]:
    """The cleaning log's lines by step: reason, rows in, excluded, rows out."""
    text = (work / f"results/.staging/{RELEASE}/{wave}/clean/cleaning_log.csv").read_text(encoding="utf-8")
    return {row[1]: row[2:] for row in csv.reader(io.StringIO(text))}


def counts(rows: dict[str, dict]) -> dict[str, int]:
    return {option: int(row["count"]) for option, row in rows.items()}


TABLES = {"sm_layouts": ["country", "workload_change", "threat_most_common", "change_3y", "trafficking_link"],
          "q_legacy": ["workload_change", "victim_regions"]}


def test_crafted_layouts_through_the_pipeline_give_the_counts_worked_by_hand(tmp_path):
    work = copy_project(tmp_path)
    surveymonkey_export(work / "resources" / "raw" / "sm_layouts.csv")
    legacy_qualtrics_export(work / "resources" / "raw" / "q_legacy.csv")
    for spec in (SM_WAVE, Q_WAVE):
        (work / "config" / "waves" / f"{spec['wave']}.yaml").write_text(
            "# TEST FIXTURE (tests/workflow/test_crafted_layouts.py), not survey data\n"
            + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = work / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert 'waves: ["2016", "2018"]' in text
    config.write_text(text.replace('waves: ["2016", "2018"]', 'waves: ["2016", "2018", "sm_layouts", "q_legacy"]'),
                      encoding="utf-8")
    targets = [f"results/.staging/{RELEASE}/{wave}/tables/{q}.csv" for wave, questions in TABLES.items() for q in questions]
    targets += [f"results/.staging/{RELEASE}/{wave}/clean/cleaning_log.csv" for wave in TABLES]
    result = run_snakemake(work, *targets)
    assert result.returncode == 0, result.stderr[-3000:]

    # SurveyMonkey, worked by hand from SM_ANSWERS (the seventh row screened out as a test)
    assert counts(table(work, "sm_layouts", "country")) == {"sweden": 2, "norway": 2, "united_states": 2}
    workload = table(work, "sm_layouts", "workload_change")
    assert counts(workload) == {"more_demanding": 3, "unchanged": 1, "less_demanding": 1}
    assert {(r["n"], r["nonresponse"]) for r in workload.values()} == {("5", "1")}
    threat = table(work, "sm_layouts", "threat_most_common")
    assert counts(threat) == {"spread_online": 3, "threat_child": 1, "other": 1}  # row 2 chose Other and wrote in its box
    assert {(r["n"], r["nonresponse"]) for r in threat.values()} == {("5", "1")}
    assert counts(table(work, "sm_layouts", "change_3y")) == {"yes": 4, "no": 2}
    assert counts(table(work, "sm_layouts", "trafficking_link")) == {"yes": 4, "no": 2}
    assert log(work, "sm_layouts")["test_rows"] == ["Collector ID is one of ['999']", "7", "1", "6"]

    # legacy Qualtrics, worked by hand from Q_ANSWERS (R_6 unfinished, R_9 a preview)
    workload = table(work, "q_legacy", "workload_change")
    assert counts(workload) == {"more_demanding": 2, "unchanged": 1, "less_demanding": 1}
    assert {(r["n"], r["nonresponse"]) for r in workload.values()} == {("4", "1")}
    regions = table(work, "q_legacy", "victim_regions")
    assert counts(regions) == {"north_america": 1, "central_america": 2, "europe": 2, "asia": 2, "africa": 1}
    assert {(r["n"], r["nonresponse"]) for r in regions.values()} == {("4", "1")}  # R_3 ticked nothing
    q_log = log(work, "q_legacy")
    assert q_log["test_rows"] == ["V7 is one of ['Survey Preview', 'Survey Test']", "7", "1", "6"]
    assert q_log["incomplete"] == ["V10 is not one of ['True']", "6", "1", "5"]
    assert "column 18, without a header and empty" in q_log["ignored"][0]
    published = (work / f"results/.staging/{RELEASE}/q_legacy/clean/responses.csv").read_text(encoding="utf-8")
    assert "Greenland" not in published  # the Other box is free text: never published by default
