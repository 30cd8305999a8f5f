"""A weighted run of the shipped release through Snakemake (issue 16): the committed release with
the margins of tests/weights/weighted.config.yaml (``--configfile``). Its weighted shares and both
kinds of interval, and its weights, agree with R's survey package on the same rows and margins to
1e-6 (live where R's survey package is on the machine or can be installed, skipped with the reason
otherwise); the unweighted files keep their bytes; and bad margins are refused in one paragraph with
the committed release left byte-identical. All data are synthetic."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from test_release_integrity import digests, release
from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402
from r_weighted import r_weighted_survey  # noqa: E402

pytestmark = pytest.mark.slow
WEIGHTED = ROOT / "tests" / "weights" / "weighted.config.yaml"


def project_copy(folder: Path) -> Path:
    import shutil

    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, folder / name)
    shutil.copytree(ROOT / "results" / RELEASE, folder / "results" / RELEASE)
    return folder


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    work = project_copy(tmp_path_factory.mktemp("weighted"))
    before = digests(release(work))
    run = run_snakemake(work, "--configfile", str(WEIGHTED))
    assert run.returncode == 0, run.stderr[-5000:]
    return work, before


def test_the_weighted_files_are_added_and_every_other_file_keeps_its_bytes(weighted):
    work, before = weighted
    after = digests(release(work))
    added = {path for path in after if path not in before}
    assert added == {f"{wave}/weights/{name}.csv" for wave in ("2016", "2018")
                     for name in ("margins", "summary", "estimates")} | {"plan/weighted_precision.csv"}
    changed = {path for path in before if after.get(path) != before[path]}
    assert changed == {"MANIFEST.json", "datapackage.json"}  # they list the new files
    descriptor = (release(work) / "datapackage.json").read_text(encoding="utf-8")
    assert "Weighted share of the base" in descriptor and "Kish's design effect" in descriptor


def test_the_summary_says_how_the_weights_were_made(weighted):
    work, _ = weighted
    settings = yaml.safe_load(WEIGHTED.read_text(encoding="utf-8"))["weights"]["raking"]
    for wave in ("2016", "2018"):
        (summary,) = csv.DictReader((release(work) / wave / "weights" / "summary.csv").open(encoding="utf-8"))
        assert summary["weighting"] == "raked: respondent_region" and summary["converged"] == "true"
        assert float(summary["max_margin_error"]) <= settings["tolerance"]
        assert float(summary["trim_lower"]) == settings["trim"]["lower"]
        assert float(summary["trim_upper"]) == settings["trim"]["upper"]
        assert float(summary["weight_max"]) <= settings["trim"]["upper"] + 1e-6
        assert float(summary["design_effect"]) > 1 and float(summary["n_effective"]) < int(summary["respondents"])
        estimates = pd.read_csv(release(work) / wave / "weights" / "estimates.csv", dtype=str, keep_default_na=False)
        assert set(estimates["weighting"]) == {"raked: respondent_region"}
        assert set(estimates["ci_method"]) == {"korn-graubard"}
        assert set(estimates["synthetic"]) == {"true"}
        # Kish's figures are per question: the same on each of its options
        assert (estimates.groupby("question")["design_effect"].nunique() == 1).all()


def test_the_plan_with_weights_multiplies_the_effective_size_by_the_design_effect(weighted):
    import math

    work, _ = weighted
    plan = pd.read_csv(release(work) / "plan" / "weighted_precision.csv", dtype={"wave": str})
    estimates = pd.read_csv(release(work) / "2018" / "weights" / "estimates.csv", dtype={"wave": str})
    merged = plan.merge(estimates, on=["question", "option"], suffixes=("", "_estimate"), validate="one_to_one")
    assert len(merged) == len(plan) > 50 and set(plan["wave"]) == {"2018"}
    assert (merged["share"] == merged["share_estimate"]).all()
    assert (merged["design_effect"] == merged["design_effect_estimate"]).all()
    needed = [math.ceil(e * d - 1e-9) for e, d in zip(plan["effective_needed"], plan["design_effect"])]
    assert plan["respondents_needed"].tolist() == needed
    assert (plan["respondents_needed"] > plan["effective_needed"]).any()  # the weights cost respondents


def r_reference(rows: pd.DataFrame, questions, margins, trim, folder: Path) -> tuple[np.ndarray, pd.DataFrame]:
    data = against_r.indicator_table(rows, questions)
    data.insert(0, "respondent_region", rows["respondent_region"].astype(str).to_numpy())
    return r_weighted_survey(data, margins, (trim["lower"], trim["upper"]), folder)


@pytest.mark.parametrize("wave", ["2016", "2018"])
def test_the_weighted_run_agrees_with_r_survey_to_1e_6(weighted, wave, tmp_path):
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)
    from netclean_survey.clean.stage import clean_export
    from netclean_survey.core.codebook import load_codebook, load_wave, published_questions

    work, _ = weighted
    settings = yaml.safe_load(WEIGHTED.read_text(encoding="utf-8"))["weights"]["raking"]
    spec = load_wave(work / "config" / "waves" / f"{wave}.yaml", load_codebook(work / "config" / "questionnaire.yaml"))
    rows = clean_export(work / spec.raw, spec).responses  # the rows the run weighted, read independently
    r_weights, r_intervals = r_reference(rows, published_questions(spec), settings["margins"][wave],
                                         settings["trim"], tmp_path)
    private = pd.read_csv(work / "results" / ".staging" / "private" / RELEASE / wave / "weights" / "weights.csv",
                          dtype={"respondent_id": str})
    assert private["respondent_id"].tolist() == rows["respondent_id"].astype(str).tolist()
    assert np.max(np.abs(private["weight"].to_numpy() - r_weights)) < 1e-6
    ours = pd.read_csv(release(work) / wave / "weights" / "estimates.csv", dtype={"wave": str})
    ours.index = ours["question"] + "__" + ours["option"]
    theirs = r_intervals.set_index("column").loc[ours.index]
    assert np.max(np.abs(ours["share"].to_numpy() - theirs["share"].to_numpy())) < 1e-6
    for bound in ("low", "high"):
        mine, rs = ours[f"ci_{bound}"].to_numpy(), theirs[f"beta_{bound}"].to_numpy()
        assert np.array_equal(np.isnan(mine), np.isnan(rs))
        assert np.nanmax(np.abs(mine - rs)) < 1e-6
    assert int((~np.isnan(ours["ci_low"].to_numpy())).sum()) > 20  # the comparison is not vacuous


def refused(work: Path, config_text: str) -> str:
    """Run the release with this weights config over config/config.yaml: it must fail without a
    traceback and leave the committed release byte-identical; returns what it printed."""
    config = work / "weighted.yaml"
    config.write_text(config_text, encoding="utf-8")
    before = digests(release(work))
    result = run_snakemake(work, "--configfile", str(config))
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-4000:]
    assert digests(release(work)) == before, "the committed release changed"
    return result.stderr


@pytest.mark.parametrize("old, new, message", [
    ("north_america: 0.35", "north_america: 0.45", "the population shares of 'respondent_region' sum to 1.1, not 1"),
    ("europe: 0.40", "eurasia: 0.40", "answered ['europe'] to 'respondent_region', which have no population share, "
     "and no respondent answered ['eurasia']; check the option ids"),
])
def test_bad_margins_are_refused_in_one_paragraph_and_the_release_is_kept(tmp_path, old, new, message):
    text = WEIGHTED.read_text(encoding="utf-8")
    assert old in text
    printed = refused(project_copy(tmp_path), text.replace(old, new, 1))  # the 2016 margins
    line = next(x for x in printed.splitlines() if "config/config.yaml, weights: raking: margins: 2016: " in x)
    assert message in line and "Traceback" not in printed, printed[-3000:]


def test_weights_on_without_margins_for_a_wave_are_refused(tmp_path):
    printed = refused(project_copy(tmp_path), "weights:\n  source: raking\n  raking:\n    margins:\n      '2018':\n"
                      "        respondent_region: {north_america: 0.35, europe: 0.40, rest: 0.25}\n")
    assert "weights are on (source: raking) but wave(s) 2016 have no margins" in printed, printed[-3000:]


COLUMN_CONFIG = "weights:\n  source: column\n  raking:\n    trim: {lower: null, upper: null}\n"


def test_weights_from_the_exports_columns(tmp_path):
    """Both exports with a column of weights as their platforms write one (tests/platform_rewrites.py):
    the run publishes the weighted shares, and one share worked by hand from the CSV text agrees."""
    import platform_rewrites
    from fractions import Fraction

    work = project_copy(tmp_path)
    written = platform_rewrites.weight_columns(work)
    config = work / "weighted.yaml"
    config.write_text(COLUMN_CONFIG, encoding="utf-8")
    run = run_snakemake(work, "--configfile", str(config))
    assert run.returncode == 0, run.stderr[-5000:]
    for wave, column in platform_rewrites.WEIGHT_COLUMNS.items():
        (summary,) = csv.DictReader((release(work) / wave / "weights" / "summary.csv").open(encoding="utf-8"))
        assert summary["weighting"] == f"export column: {column}"
        assert summary["iterations"] == summary["converged"] == summary["tolerance"] == "" and summary["trimmed"] == "0"
        margins = (release(work) / wave / "weights" / "margins.csv").read_text(encoding="utf-8")
        assert margins.count("\n") == 1  # no margins: the header alone
    ours = pd.read_csv(release(work) / "2018" / "weights" / "estimates.csv", dtype={"wave": str})
    yes = ours[(ours["question"] == "trafficking_link") & (ours["option"] == "yes")].iloc[0]
    private = pd.read_csv(work / "results" / ".staging" / "private" / RELEASE / "2018" / "clean" / "responses.csv",
                          dtype=str, keep_default_na=False)
    weight = {i: Fraction(w) for i, w in written["2018"].items()}
    kept = private[private["trafficking_link"] != ""]
    by_hand = (sum(weight[i] for i in kept.loc[kept["trafficking_link"] == "yes", "respondent_id"])
               / sum(weight[i] for i in kept["respondent_id"]))
    assert abs(yes["share"] - float(by_hand)) <= 5e-7 and yes["n"] == len(kept)


def test_an_unusable_weight_in_the_export_is_named_by_row_and_the_release_is_kept(tmp_path):
    import platform_rewrites

    work = project_copy(tmp_path)
    platform_rewrites.weight_columns(work)
    path = work / "resources" / "raw" / "2018.csv"
    records = platform_rewrites.read_records(path)
    respondent = "10186854861"  # kept by the cleaning (in the published responses): its weight is read
    record = next(i for i, r in enumerate(records) if r and r[0].strip() == respondent)
    records[record][-1] = "heavy"
    platform_rewrites.write_records(path, records)
    printed = refused(work, COLUMN_CONFIG)
    assert (f"resources/raw/2018.csv: column 'Weight': 1 respondent(s) have no usable weight, rows [{record + 1}]"
            in printed), printed[-3000:]
