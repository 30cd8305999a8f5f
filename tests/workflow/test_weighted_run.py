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
from r_weighted import WAVES_AS_STRATA, r_numbers, r_weighted_survey  # noqa: E402
from weighting_stated import unstated_weighting  # noqa: E402

pytestmark = pytest.mark.slow
WEIGHTED = ROOT / "tests" / "weights" / "weighted.config.yaml"
# the comparisons of two different waves: each has weighted tables when weights are on
BETWEEN_WAVES = ("country_2016_vs_2018", "respondent_region_2016_vs_2018", "regions_2016_vs_2018",
                 "asia_gap_2016_vs_2018")


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
    weighted_comparisons = {f"compare/{name}/weighted/{file}" for name in BETWEEN_WAVES
                            for file in ("table.csv", "test.csv", "comparison.sv.md", "comparison.en.md",
                                         "comparison.xlsx")}
    weighted_claims = {f"audit/weighted/{file}" for file in ("claims.csv", "claims_summary.csv", "claims.sv.md",
                                                             "claims.en.md")}
    assert added == {f"{wave}/weights/{name}" for wave in ("2016", "2018")
                     for name in ("margins.csv", "summary.csv", "estimates.csv", "weighted.xlsx")} \
        | {"plan/weighted_precision.csv", "plan/weighted_detectable.csv", "plan/weighted_power.csv",
           "plan/weighted_plan.sv.md",
           "plan/weighted_plan.en.md"} | weighted_comparisons | weighted_claims
    changed = {path for path in before if after.get(path) != before[path]}
    assert changed == {"MANIFEST.json", "datapackage.json"}  # they list the new files
    descriptor = (release(work) / "datapackage.json").read_text(encoding="utf-8")
    assert "Weighted share of the base" in descriptor and "Kish's design effect" in descriptor


def test_every_file_of_the_weighted_run_says_whether_it_is_weighted(weighted):
    """The weighted files name their weighting and never say "Unweighted"; the unweighted files beside
    them still say it; datapackage.json tells which is which (tests/weighting_stated.py)."""
    work, _ = weighted
    assert unstated_weighting(release(work)) == []
    descriptor = (release(work) / "datapackage.json").read_text(encoding="utf-8")
    assert '"path": "compare/country_2016_vs_2018/weighted/table.csv"' in descriptor


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


def test_the_weighted_workbooks_hold_the_published_tables(weighted):
    from openpyxl import load_workbook

    work, _ = weighted
    book = load_workbook(release(work) / "2018" / "weights" / "weighted.xlsx", read_only=True)
    assert book.sheetnames == ["README", "summary", "margins", "estimates"]
    estimates = pd.read_csv(release(work) / "2018" / "weights" / "estimates.csv")
    rows = list(book["estimates"].iter_rows(values_only=True))
    # the headers are in words (the README sheet names each one's CSV column), in the CSV's order
    assert len(rows[0]) == len(estimates.columns) and len(rows) == len(estimates) + 1
    share = list(estimates.columns).index("share")
    assert [r[share] for r in rows[1:]] == pytest.approx(estimates["share"].tolist(), abs=1e-12)
    book = load_workbook(release(work) / "compare" / "country_2016_vs_2018" / "weighted" / "comparison.xlsx",
                         read_only=True)
    assert book.sheetnames == ["README", "table", "test"]


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


def test_the_weighted_plan_of_changes_reads_the_weighted_comparisons_shares(weighted):
    """plan/weighted_detectable.csv: the weighted shares the weighted comparison publishes (the same
    rows and weights, another code path), each wave counted as its Kish effective size."""
    from netclean_survey.planning.power import detectable_effect_size

    work, _ = weighted
    plan = pd.read_csv(release(work) / "plan" / "weighted_detectable.csv", dtype={"wave_a": str, "wave_b": str})
    assert set(plan["comparison"]) == set(BETWEEN_WAVES) - {"asia_gap_2016_vs_2018"}  # a gap has no options
    for name, group in plan.groupby("comparison"):
        table = pd.read_csv(release(work) / "compare" / name / "weighted" / "table.csv").set_index("option")
        mine = group.set_index("option")
        for column in ("share_a", "share_b", "n_effective_a", "n_effective_b"):
            assert np.allclose(mine[column], table.loc[mine.index, column], rtol=0, atol=1e-6), (name, column)
        first = mine.iloc[0]
        assert first["detectable_h"] == pytest.approx(
            detectable_effect_size(first["n_effective_a"], first["n_effective_b"]), abs=1e-5)
    page = (release(work) / "plan" / "weighted_plan.sv.md").read_text(encoding="utf-8")
    assert page.startswith("# Planering av nästa omgång med vikter") and "(raked: respondent_region)" in page
    assert "## Förändringar som de vägda urvalen 2016 och 2018 kan upptäcka" in page


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


def private_rows(work: Path, wave: str) -> pd.DataFrame:
    """The full responses the run analysed, with each respondent's weight from the private weights.csv."""
    private = work / "results" / ".staging" / "private" / RELEASE / wave
    rows = pd.read_csv(private / "clean" / "responses.csv", dtype=str, keep_default_na=False)
    weights = pd.read_csv(private / "weights" / "weights.csv", dtype=str, keep_default_na=False)
    rows["w"] = rows["respondent_id"].map(dict(zip(weights["respondent_id"], weights["weight"])))
    assert rows["w"].ne("").all() and rows["w"].notna().all()
    rows.insert(0, "wave", wave)
    return rows


def r_survey(script: str, data: pd.DataFrame, folder: Path) -> list[float]:
    """Numbers R prints for ``script`` run on ``data`` as the design d: the waves as strata, weights w."""
    return r_numbers(data, script, folder, WAVES_AS_STRATA)


# each 0/1 column of the data (all but wave, w and answer): the difference between the waves and its interval
R_CONTRASTS = ('for (v in setdiff(names(x), c("wave", "w", "answer"))) { m <- svyby(as.formula(paste0("~", v)), '
               '~wave, d, svymean, covmat = TRUE); k <- svycontrast(m, c(-1, 1)); '
               'cat(sprintf("%.15g", c(coef(k), confint(k))), "\\n") }')


def test_the_weighted_comparisons_agree_with_r_survey(weighted, tmp_path):
    """The weighted comparison of two waves against R on the same rows and weights: each option's
    difference (svyby + svycontrast), the single-choice test (svychisq), and the gap of a contrast;
    the weighted shares of an option as rule weights published them."""
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)
    work, _ = weighted
    rows = pd.concat([private_rows(work, w) for w in ("2016", "2018")], ignore_index=True)
    folder = release(work) / "compare"

    answered = rows[rows["country"] != ""]
    options = sorted(set(answered["country"]))
    data = pd.DataFrame({"wave": answered["wave"], "w": answered["w"].astype(float),
                         "answer": answered["country"], **{o: (answered["country"] == o).astype(int) for o in options}})
    t = 'r <- svychisq(~wave + answer, d); cat(sprintf("%.15g", c(r$statistic, r$parameter, r$p.value)), "\\n"); '
    values = r_survey(t + R_CONTRASTS, data, tmp_path)
    test = dict(csv.reader((folder / "country_2016_vs_2018" / "weighted" / "test.csv").open(encoding="utf-8")))
    for key, r_value in zip(("f_statistic", "ndf", "ddf", "p_value"), values[:4]):
        assert float(test[key]) == pytest.approx(r_value, rel=1e-5, abs=1e-6)  # test.csv: six significant digits
    table = pd.read_csv(folder / "country_2016_vs_2018" / "weighted" / "table.csv").set_index("option")
    r_table = pd.DataFrame(np.reshape(values[4:], (-1, 3)), index=options, columns=["d", "low", "high"])
    assert set(table.index) >= set(options)
    for column, r_column in (("difference", "d"), ("diff_ci_low", "low"), ("diff_ci_high", "high")):
        assert np.max(np.abs(table.loc[options, column].to_numpy() - r_table[r_column].to_numpy())) < 1e-6
    estimates = pd.read_csv(release(work) / "2018" / "weights" / "estimates.csv").query("question == 'country'")
    shown = estimates.set_index("option")["share"]
    assert np.allclose(table.loc[shown.index, "share_b"], shown, atol=0, rtol=0)  # the same rows and weights

    # the gap of asia_gap_2016_vs_2018: Asia minus the mean of North America and Europe, harmonised options
    questions = {"2016": "victim_regions", "2018": "trafficking_regions"}
    scores = []
    for wave, question in questions.items():
        part = rows[(rows["wave"] == wave) & (rows[f"{question}__asia"] != "")]
        tick = {o: (part[f"{question}__{o}"] == "true").astype(int) for o in ("asia", "north_america", "europe")}
        scores.append(pd.DataFrame({"wave": wave, "w": part["w"].astype(float),
                                    "score": tick["asia"] - 0.5 * tick["north_america"] - 0.5 * tick["europe"]}))
    script = ('m <- svyby(~score, ~wave, d, svymean, covmat = TRUE); k <- svycontrast(m, c(-1, 1)); '
              'cat(sprintf("%.15g", c(coef(m), confint(m), coef(k), confint(k))), "\\n")')
    mean_a, mean_b, low_a, low_b, high_a, high_b, change, low, high = r_survey(script, pd.concat(scores), tmp_path)
    gap = pd.read_csv(folder / "asia_gap_2016_vs_2018" / "weighted" / "table.csv", dtype={"group": str})
    expected = [[mean_a, low_a, high_a], [mean_b, low_b, high_b], [change, low, high]]
    assert np.max(np.abs(gap[["estimate", "ci_low", "ci_high"]].to_numpy() - np.array(expected))) < 1e-6


def test_the_weighted_claims_audit_reads_the_weighted_estimates(weighted):
    """Each weighted claim's numbers are those the other weighted outputs publish (two code paths):
    a share as weights/estimates.csv has it, the change of a gap as the weighted comparison's; the
    respondent mix keeps its unweighted figures; every row says how the weights were made."""
    work, _ = weighted
    audit = release(work) / "audit"
    claims = pd.read_csv(audit / "weighted" / "claims.csv", dtype={"wave": str}).set_index("id")
    plain = pd.read_csv(audit / "claims.csv", dtype={"wave": str}).set_index("id")
    assert list(claims.index) == list(plain.index) and set(claims["weighting"]) == {"raked: respondent_region"}
    estimates = pd.read_csv(release(work) / "2018" / "weights" / "estimates.csv").set_index(["question", "option"])
    for cid, question, option in (("2018-06", "grooming_ages_seen", "age_0_4"), ("2018-15", "trafficking_link", "no")):
        row = estimates.loc[(question, option)]
        for ours, theirs in (("estimate", "share"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
            assert claims.loc[cid, ours] == pytest.approx(100 * row[theirs], abs=1e-4), (cid, ours)
        assert "weighted share" in claims.loc[cid, "note"]
    gap = pd.read_csv(release(work) / "compare" / "asia_gap_2016_vs_2018" / "weighted" / "table.csv").iloc[-1]
    change = claims.loc["2016v2018-19"]
    assert [change["estimate"], change["ci_low"], change["ci_high"]] == pytest.approx(
        [100 * gap["estimate"], 100 * gap["ci_low"], 100 * gap["ci_high"]], abs=1e-4)
    mix = [cid for cid in claims.index if cid.endswith(("20a", "20b", "20c", "20g"))]
    assert (claims.loc[mix, ["estimate", "ci_low", "ci_high", "verdict"]]
            == plain.loc[mix, ["estimate", "ci_low", "ci_high", "verdict"]]).all().all()
    text = (audit / "weighted" / "claims.en.md").read_text(encoding="utf-8")
    assert text.startswith("# Claims of the report, checked against the weighted data") and "Synthetic data" in text


def test_the_weighted_comparison_of_a_margin_says_it_is_one(weighted):
    work, _ = weighted
    compare = release(work) / "compare"
    margin = "Both waves are raked to this question's population shares"
    assert margin in (compare / "respondent_region_2016_vs_2018" / "weighted" / "comparison.en.md").read_text()
    assert margin not in (compare / "country_2016_vs_2018" / "weighted" / "comparison.en.md").read_text()


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
    assert unstated_weighting(release(work)) == []  # every weighted file names the export's column
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
