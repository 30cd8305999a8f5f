"""Tests of netclean_survey.weights.estimates: weighted shares of every question and option.

References: with equal weights, the unweighted share and Kish's n and deff of 1; a weighted share
summed by hand; and R's survey package on the shipped 2018 responses raked to the margins of the
test config (tests/weights/weighted.config.yaml): weights, shares and both intervals of every option
of every question, to 1e-6 (live where R's survey package is on the machine or can be installed,
skipped with the reason otherwise).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from netclean_survey.core.codebook import Option, Question
from netclean_survey.weights.estimates import (
    WEIGHTED_ESTIMATE_COLUMNS,
    weighted_estimate_question,
    weighted_estimate_wave,
)
from netclean_survey.weights.intervals import korn_graubard_interval
from netclean_survey.weights.raking import rake_to_margins

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402
from r_weighted import r_weighted_survey  # noqa: E402

COLOUR = Question("colour", "single", {"sv": "Färg", "en": "Colour"}, {"sv": "alla", "en": "all"},
                  (Option("red", "Röd", "Red"), Option("blue", "Blå", "Blue"), Option("green", "Grön", "Green")))
PETS = Question("pets", "multi", {"sv": "Djur", "en": "Pets"}, {"sv": "de med djur", "en": "pet owners"},
                (Option("cat", "Katt", "Cat"), Option("dog", "Hund", "Dog")), asked_if={"has_pets": "yes"})
HAS_PETS = Question("has_pets", "single", {"sv": "Djur?", "en": "Pets?"}, {"sv": "alla", "en": "all"},
                    (Option("yes", "Ja", "Yes"), Option("no", "Nej", "No")))


def responses() -> pd.DataFrame:
    cat = pd.array([True, False, True, pd.NA, pd.NA, True], dtype="boolean")
    dog = pd.array([True, True, False, pd.NA, pd.NA, False], dtype="boolean")
    return pd.DataFrame({
        "colour": pd.Categorical(["red", "blue", "red", None, "green", "red"]),
        "has_pets": pd.Categorical(["yes", "yes", "yes", "no", "no", "yes"]),
        "pets__cat": cat, "pets__dog": dog,
    }, index=pd.RangeIndex(10, 16))


WEIGHTS = pd.Series([1.0, 2.0, 0.5, 1.5, 3.0, 1.0], index=pd.RangeIndex(10, 16))


def test_equal_weights_give_the_unweighted_shares_and_no_design_effect():
    table = weighted_estimate_question(responses(), COLOUR, pd.Series(2.0, index=WEIGHTS.index))
    assert list(table.columns) == list(WEIGHTED_ESTIMATE_COLUMNS)
    assert table["n"].tolist() == [5] * 3 and table["count"].tolist() == [3, 1, 1]
    assert table["share"].tolist() == pytest.approx([3 / 5, 1 / 5, 1 / 5])
    assert table["share"].tolist() == pytest.approx(table["unweighted_share"].tolist())
    assert table["n_effective"].tolist() == pytest.approx([5.0] * 3)
    assert table["design_effect"].tolist() == pytest.approx([1.0] * 3)


def test_weighted_shares_by_hand():
    single = weighted_estimate_question(responses(), COLOUR, WEIGHTS)
    # answered: rows 10, 11, 12, 14, 15 with weights 1, 2, 0.5, 3, 1 (total 7.5); red = 1 + 0.5 + 1
    assert single["share"].tolist() == pytest.approx([2.5 / 7.5, 2 / 7.5, 3 / 7.5])
    assert single["n_effective"].iloc[0] == pytest.approx(7.5**2 / (1 + 4 + 0.25 + 9 + 1))
    assert single["design_effect"].iloc[0] == pytest.approx(5 * (1 + 4 + 0.25 + 9 + 1) / 7.5**2)
    low, high = korn_graubard_interval([1, 0, 1, 0, 1], [1.0, 2.0, 0.5, 3.0, 1.0])
    assert (single["ci_low"].iloc[0], single["ci_high"].iloc[0]) == (low, high)
    assert set(single["ci_method"]) == {"korn-graubard"}
    # tick-all, asked only of pet owners: rows 10, 11, 12, 15 (weights 1, 2, 0.5, 1; total 4.5)
    multi = weighted_estimate_question(responses(), PETS, WEIGHTS, method="logit")
    assert multi["n"].tolist() == [4, 4] and multi["count"].tolist() == [3, 2]
    assert multi["share"].tolist() == pytest.approx([2.5 / 4.5, 3 / 4.5])
    assert set(multi["ci_method"]) == {"logit"}


def test_the_wave_table_says_how_it_was_weighted():
    table = weighted_estimate_wave(responses(), [COLOUR, HAS_PETS, PETS], WEIGHTS, "2018", "raked: region",
                                   synthetic=True)
    assert list(table.columns) == ["wave", "weighting", *WEIGHTED_ESTIMATE_COLUMNS, "synthetic"]
    assert set(table["weighting"]) == {"raked: region"} and set(table["synthetic"]) == {"true"}
    assert table["question"].tolist() == ["colour"] * 3 + ["has_pets"] * 2 + ["pets"] * 2


def test_weights_of_other_rows_are_refused():
    with pytest.raises(ValueError, match="their rows differ"):
        weighted_estimate_question(responses(), COLOUR, WEIGHTS.reset_index(drop=True))
    with pytest.raises(ValueError, match="unknown interval method"):
        weighted_estimate_question(responses(), COLOUR, WEIGHTS, method="wilson")


@pytest.fixture(scope="module")
def raked_2018():
    from netclean_survey.clean.stage import clean_export
    from netclean_survey.core.codebook import load_codebook, load_wave, published_questions

    codebook = load_codebook(ROOT / "config" / "questionnaire.yaml")
    wave = load_wave(ROOT / "config" / "waves" / "2018.yaml", codebook)
    rows = clean_export(ROOT / wave.raw, wave).responses
    settings = yaml.safe_load((HERE / "weighted.config.yaml").read_text(encoding="utf-8"))["weights"]
    raking = settings["raking"]
    margins = raking["margins"]["2018"]
    result = rake_to_margins(rows, margins, tolerance=raking["tolerance"], max_iterations=raking["max_iterations"],
                             trim=(raking["trim"]["lower"], raking["trim"]["upper"]))
    return rows, published_questions(wave), margins, (raking["trim"]["lower"], raking["trim"]["upper"]), result


def test_the_2018_wave_raked_to_the_test_margins_agrees_with_r_survey(raked_2018, tmp_path):
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)
    rows, questions, margins, trim, result = raked_2018
    assert result.converged
    data = against_r.indicator_table(rows, questions)
    data.insert(0, "respondent_region", rows["respondent_region"].astype(str).to_numpy())
    r_weights, r_intervals = r_weighted_survey(data, margins, trim, tmp_path)
    assert np.max(np.abs(result.weights.to_numpy() - r_weights)) < 1e-6
    theirs = r_intervals.set_index("column")
    compared = 0
    for method, prefix in (("korn-graubard", "beta"), ("logit", "logit")):
        ours = pd.concat([weighted_estimate_question(rows, q, result.weights, method) for q in questions])
        ours.index = ours["question"] + "__" + ours["option"]
        assert set(ours.index) == set(theirs.index)
        r = theirs.loc[ours.index]
        assert np.max(np.abs(ours["share"].to_numpy() - r["share"].to_numpy())) < 1e-6
        for bound in ("low", "high"):
            mine, rs = ours[f"ci_{bound}"].to_numpy(), r[f"{prefix}_{bound}"].to_numpy()
            assert np.array_equal(np.isnan(mine), np.isnan(rs))  # no interval at a share of 0 or 1, as in R
            assert np.nanmax(np.abs(mine - rs)) < 1e-6, (method, bound)
        compared += int((~np.isnan(ours["ci_low"].to_numpy())).sum())
    assert compared > 100  # most options have an interval: the comparison is not vacuous


def test_the_test_margins_are_met_before_trimming_and_the_trimming_bites(raked_2018):
    rows, _, margins, (lower, upper), result = raked_2018
    table = result.margins.set_index("option")
    assert table["raked_share"].to_dict() == pytest.approx(margins["respondent_region"], abs=1e-6)
    # the sample is far from the margins (North America over half of it), so the weights differ
    assert table.loc["north_america", "sample_share"] > 0.5
    # the rest of the world, under a tenth of the sample raked to a quarter, hits the upper bound
    weights = result.weights
    mean = weights.mean()
    assert result.trimmed > 0 and weights.max() <= upper * mean * (1 + 1e-12) and weights.min() >= lower * mean
    achieved = weights.groupby(rows["respondent_region"].astype(str)).sum() / weights.sum()
    assert table["weighted_share"].to_dict() == pytest.approx(achieved.to_dict(), abs=1e-12)
