"""Tests of netclean_survey.weights.paired against R's survey package (live where R's survey package
is on the machine or can be installed, skipped with the reason otherwise): the difference of two
options over the same weighted respondents as ``svymean`` of the respondent-level difference with
``confint``, and the shift of a mean score as ``svyttest``; and by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netclean_survey.weights.paired import weighted_option_pairs, weighted_score_shift

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402
from r_weighted import r_numbers  # noqa: E402


@pytest.fixture(scope="module")
def r_survey():
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize("seed", [1, 2])
def test_each_pair_of_options_is_svymean_of_the_difference(seed, r_survey, tmp_path):
    rng = np.random.default_rng(seed)
    n = 160
    ticks = pd.DataFrame((rng.random((n, 3)) < [0.6, 0.4, 0.3]).astype(int), columns=["a", "b", "c"])
    w = np.round(rng.lognormal(0, 0.5, n), 4)
    pairs = weighted_option_pairs(ticks, w, ["a", "b", "c"])
    script = ('for (p in list(c("a", "b"), c("a", "c"), c("b", "c"))) { x$dd <- x[[p[1]]] - x[[p[2]]]; '
              'd <- update(d, dd = x$dd); m <- svymean(~dd, d); '
              'cat(sprintf("%.15g", c(coef(m), confint(m))), "\\n") }')
    r = np.reshape(r_numbers(ticks.assign(w=w), script, tmp_path), (3, 3))
    assert np.max(np.abs(pairs[["difference", "ci_low", "ci_high"]].to_numpy() - r)) < 1e-9
    assert pairs[["option_first", "option_second"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]


@pytest.mark.parametrize("seed", [3, 4])
def test_the_shift_of_a_mean_score_is_svyttest(seed, r_survey, tmp_path):
    rng = np.random.default_rng(seed)
    n = 120
    options = ["young", "middle", "old"]
    scores = {"young": 5.0, "middle": 10.0, "old": 15.0}
    first = pd.DataFrame((rng.random((n, 3)) < [0.5, 0.5, 0.2]).astype(bool), columns=options,
                         index=[f"r{i}" for i in range(n)])
    second = pd.DataFrame((rng.random((n, 3)) < [0.3, 0.5, 0.4]).astype(bool), columns=options, index=first.index)
    weights = pd.Series(np.round(rng.lognormal(0, 0.5, n), 4), index=first.index)
    ours = weighted_score_shift(first, second, scores, weights)
    score = np.array([5.0, 10.0, 15.0])
    x, y = first.to_numpy(int), second.to_numpy(int)
    scored = (x.sum(axis=1) > 0) & (y.sum(axis=1) > 0)
    shift = (y[scored] @ score) / y[scored].sum(axis=1) - (x[scored] @ score) / x[scored].sum(axis=1)
    data = pd.DataFrame({"shift": shift, "w": weights.to_numpy()[scored]})
    t = r_numbers(data, 'r <- svyttest(shift ~ 0, d); cat(sprintf("%.15g", c(r$estimate, r$conf.int, r$p.value)), '
                        '"\\n")', tmp_path)
    assert ours["n"] == int(scored.sum()) and ours["n_answered_both"] == n
    assert ours["mean_difference"] == pytest.approx(t[0], abs=1e-12)
    assert (ours["ci_low"], ours["ci_high"]) == pytest.approx((t[1], t[2]), abs=1e-9)
    assert ours["p_value"] == pytest.approx(t[3], rel=1e-7)


def test_pairs_by_hand_and_a_respondent_without_a_weight():
    ticks = pd.DataFrame({"a": [1, 1, 0, 1], "b": [0, 1, 1, 0]})
    pairs = weighted_option_pairs(ticks, [1.0, 3.0, 2.0, 2.0], ["a", "b"])
    # a: (1 + 3 + 2) / 8; b: (3 + 2) / 8; the difference 1/8
    assert pairs.loc[0, ["share_first", "share_second", "difference"]].tolist() == pytest.approx([0.75, 0.625, 0.125])
    with pytest.raises(ValueError, match="at least two distinct"):
        weighted_option_pairs(ticks, [1.0] * 4, ["a", "a"])
    first = pd.DataFrame({"x": [True, True]}, index=["r1", "r2"])
    with pytest.raises(ValueError, match="1 respondent"):
        weighted_score_shift(first, first, {"x": 1.0}, pd.Series([1.0], index=["r1"]))
