"""Tests of netclean_survey.weights.raking: raking to margins (weightipy) and trimming (R's
``trimWeights``).

References: post-stratification's closed form (one margin: each weight is its group's population
share over its sample share), trimming worked by hand, and R's survey package (``rake`` and
``trimWeights(strict = TRUE)``) on the same rows, live where Rscript with the survey package is on
the machine or can be installed (benchmarks/against_r.py), skipped with the reason otherwise.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netclean_survey.weights.raking import MARGIN_COLUMNS, MarginsError, rake_to_margins, trim_weights

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402
from r_weighted import r_weighted_survey  # noqa: E402

TWO_MARGINS = {"region": {"north_america": 0.35, "europe": 0.45, "rest": 0.2},
               "role": {"officer": 0.5, "analyst": 0.3, "other": 0.2}}


def sample(n: int = 300, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"region": rng.choice(["north_america", "europe", "rest"], n, p=[0.55, 0.3, 0.15]),
                         "role": rng.choice(["officer", "analyst", "other"], n, p=[0.6, 0.3, 0.1])},
                        index=pd.RangeIndex(100, 100 + n))


def test_one_margin_is_post_stratification():
    frame = sample()
    margins = {"region": TWO_MARGINS["region"]}
    result = rake_to_margins(frame, margins, tolerance=1e-12)
    sample_share = frame["region"].value_counts(normalize=True)
    expected = frame["region"].map(lambda g: margins["region"][g] / sample_share[g])
    assert np.allclose(result.weights.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=0)
    assert result.weights.index.equals(frame.index) and result.converged and result.iterations >= 1
    assert result.trimmed == 0 and result.trim_rounds == 0


def test_two_margins_are_met_and_the_weights_have_mean_one():
    frame = sample()
    result = rake_to_margins(frame, TWO_MARGINS, tolerance=1e-10)
    assert result.converged and result.max_margin_error < 1e-10 and result.iterations > 1
    w = result.weights
    assert math.fsum(w) == pytest.approx(len(frame), rel=1e-12)
    for variable, shares in TWO_MARGINS.items():
        achieved = w.groupby(frame[variable]).sum() / w.sum()
        for option, share in shares.items():
            assert achieved[option] == pytest.approx(share, abs=1e-10)
    table = result.margins
    assert list(table.columns) == list(MARGIN_COLUMNS) and len(table) == 6
    officer = table[(table["variable"] == "role") & (table["option"] == "officer")].iloc[0]
    assert officer["respondents"] == int((frame["role"] == "officer").sum())
    assert officer["sample_share"] == pytest.approx(officer["respondents"] / 300)


def test_a_raking_stopped_early_is_reported_as_not_converged():
    result = rake_to_margins(sample(), TWO_MARGINS, tolerance=1e-10, max_iterations=1)
    assert result.iterations == 1 and not result.converged and result.max_margin_error > 1e-10


def test_trimming_by_hand():
    # 5 is above 3: set to 3, and the 2 trimmed spread over the three weights inside (+2/3 each)
    w, rounds, trimmed = trim_weights([1.0, 1.0, 1.0, 5.0], upper=3.0)
    assert w.tolist() == pytest.approx([5 / 3, 5 / 3, 5 / 3, 3.0]) and rounds == 1 and trimmed == 1
    # a lower bound: 0.2 raised to 0.5, the 0.3 taken equally from the other two
    w, rounds, trimmed = trim_weights([0.2, 1.4, 1.4], lower=0.5)
    assert w.tolist() == pytest.approx([0.5, 1.25, 1.25]) and rounds == 1 and trimmed == 1
    # nothing outside: unchanged
    w, rounds, trimmed = trim_weights([1.0, 2.0], lower=0.5, upper=3.0)
    assert w.tolist() == [1.0, 2.0] and rounds == 0 and trimmed == 0


def test_trimming_repeats_until_every_weight_is_inside_and_keeps_the_total():
    weights = [1.0, 3.9, 1.0, 4.0, 10.0]
    w, rounds, _ = trim_weights(weights, upper=4.5)
    assert rounds > 1 and w.max() <= 4.5 and math.fsum(w) == pytest.approx(sum(weights), rel=1e-14)


def test_impossible_trimming_bounds_are_refused():
    with pytest.raises(ValueError, match="widen the trimming bounds"):
        trim_weights([1.0, 1.0, 4.0], upper=1.5)  # mean 2 is above every allowed weight
    with pytest.raises(ValueError, match="below the upper bound"):
        trim_weights([1.0, 2.0], lower=3.0, upper=2.0)


@pytest.mark.parametrize("margins, message", [
    ({}, "no margins to rake to"),
    ({"grade": {"a": 1.0}}, "'grade' is not a column of the responses"),
    ({"region": {"north_america": 0.5, "europe": 0.4, "rest": 0.2}}, "sum to 1.1, not 1"),
    ({"region": {"north_america": 0.6, "europe": 0.4, "rest": 0}}, "between 0 and 1"),
    ({"region": {"north_america": 0.6, "europe": 0.4}}, r"answered \['rest'\] to 'region', which have no population"),
    ({"region": {"north_america": 0.3, "europe": 0.3, "rest": 0.2, "asia": 0.2}},
     r"no respondent answered \['asia'\]"),
    ({"region": {"north_america": 0.6, "europe": 0.2, "resst": 0.2}},
     r"answered \['rest'\] to 'region', which have no population share, and no respondent answered \['resst'\]"),
])
def test_bad_margins_are_named(margins, message):
    with pytest.raises(MarginsError, match=message) as caught:
        rake_to_margins(sample(), margins, where="config/config.yaml, weights: raking: margins: 2018")
    assert str(caught.value).startswith("config/config.yaml, weights: raking: margins: 2018: ")


def test_a_missing_margin_answer_is_named():
    frame = sample()
    frame.loc[frame.index[:3], "region"] = None
    with pytest.raises(MarginsError, match="3 respondent\\(s\\) have no answer to the margin variable 'region'"):
        rake_to_margins(frame, TWO_MARGINS)


@pytest.mark.parametrize("trim", [(None, None), (0.5, 2.0), (0.8, None)])
def test_raking_and_trimming_agree_with_r_survey(trim, tmp_path):
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)
    frame = sample()
    ours = rake_to_margins(frame, TWO_MARGINS, tolerance=1e-10, trim=trim)
    theirs, _ = r_weighted_survey(frame, TWO_MARGINS, trim, tmp_path)
    assert np.max(np.abs(ours.weights.to_numpy() - theirs) / theirs) < 1e-9
    if trim != (None, None):
        assert ours.trimmed > 0  # the bounds bite: the comparison covers the trimming too
