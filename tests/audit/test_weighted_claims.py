"""The claims audit with weights (issue 16): every kind of claim judged on the weighted estimates.

On the hand-built respondents of test_claims: with equal weights each weighted figure is the
unweighted one (shares, differences, gaps, the shift of a mean score: the same numbers), and the
intervals are those of a second method (statsmodels' Wald interval of a mean for paired
differences, the paired t interval by hand for the shift); with unequal weights the shares are
worked by hand.
The live checks of the weighted paired statistics against R are tests/weights/test_weighted_paired.py;
of the shipped waves, tests/workflow/test_weighted_run.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from netclean_survey.audit.claims import Weighting, evaluate_claims
from netclean_survey.audit.claims_report import claims_markdown

from test_claims import CODEBOOK, LEX, PICK, claim, evaluate, hand_data, outcome


def weighted_evaluate(claims, weight_of=None, settings=None, interval="korn-graubard", **waves):
    """evaluate_claims with weights: ``weight_of(row of the responses)`` gives each respondent's
    weight (default 1)."""
    estimates, responses, wave_objects = hand_data(**waves)
    weights = {name: frame.apply(weight_of, axis=1).astype(float) if weight_of else
               pd.Series(1.0, index=frame.index) for name, frame in responses.items()}
    weighting = Weighting(weights, "raked: test", interval)
    return evaluate_claims(claims, LEX, estimates, responses, wave_objects, CODEBOOK, settings, weighting)


SHARES = [
    claim("share", "most", wave="t1", question="yesno", option="yes", phrase={"sv": "de flesta", "en": "most"}),
    claim("share", "third", wave="t1", question="pick", option="b",
          phrase={"sv": "nästan en tredjedel", "en": "almost a third"}),
]


def test_with_equal_weights_a_share_is_the_unweighted_share():
    weighted = weighted_evaluate(SHARES, t1=PICK).set_index("id")
    unweighted = evaluate(SHARES, t1=PICK).set_index("id")
    assert weighted.loc["most", "estimate"] == unweighted.loc["most", "estimate"] == 80
    assert outcome(weighted.reset_index(), "most") == ("reproduced", "robust")
    assert outcome(weighted.reset_index(), "third") == outcome(unweighted.reset_index(), "third")
    assert weighted.loc["most", "note"] == "weighted share 80 % of 100 respondents (Kish's effective n 100.0)"
    assert "weighted share (raked: test)" in weighted.loc["most", "method"]
    assert "korn-graubard 95 % interval (as R's svyciprop)" in weighted.loc["most", "method"]


def test_with_unequal_weights_a_share_is_the_weighted_sum_by_hand():
    # "yes" respondents weigh 2, "no" 1: yes = 80 * 2 / (80 * 2 + 20) = 88.89 %
    results = weighted_evaluate(SHARES, lambda r: 2.0 if r["yesno"] == "yes" else 1.0, t1=PICK).set_index("id")
    assert results.loc["most", "estimate"] == pytest.approx(100 * 160 / 180, abs=1e-6)
    # b is ticked by 20 "yes" (a and b) and 10 "no" respondents: (20 * 2 + 10) / 180 = 27.78 %
    assert results.loc["third", "estimate"] == pytest.approx(100 * 50 / 180, abs=1e-6)
    # Kish: 180^2 / (80 * 4 + 20) = 95.3
    assert "(Kish's effective n 95.3)" in results.loc["most", "note"]


def test_the_respondent_mix_is_not_weighted():
    mix = [claim("share", "rest", wave="t1", question="pick", other_than=["a", "b"], printed="10", scope="sample"),
           claim("share", "misprinted", wave="t1", question="pick", other_than=["a", "b"], printed="10.6",
                 scope="sample")]
    heavy = weighted_evaluate(mix, lambda r: 5.0 if r["yesno"] == "no" else 1.0, t1=PICK).set_index("id")
    plain = evaluate(mix, t1=PICK).set_index("id")
    for cid in ("rest", "misprinted"):
        assert heavy.loc[cid, ["estimate", "ci_low", "ci_high", "verdict", "evidence"]].tolist() == \
            plain.loc[cid, ["estimate", "ci_low", "ci_high", "verdict", "evidence"]].tolist()
        assert heavy.loc[cid, "note"].endswith("; not weighted: the figure describes the respondents themselves")
    assert heavy.loc["misprinted", "verdict"] == "inconsistent (rounding)"


ORDERS = [
    claim("mode", "mode_a", wave="t1", question="pick", option="a"),
    claim("order", "c_over_d", wave="t1", question="pick", higher="c", lower="d"),
    claim("order", "b_over_a", wave="t1", question="pick", higher="b", lower="a"),
    claim("equal", "eq_cd", wave="t1", question="pick", options=["c", "d"]),
]


def test_with_equal_weights_paired_differences_are_the_wald_interval_of_the_mean_difference():
    results = weighted_evaluate(ORDERS, t1=PICK).set_index("id")
    plain = evaluate(ORDERS, t1=PICK).set_index("id")
    for cid in ("mode_a", "c_over_d", "b_over_a", "eq_cd"):
        assert results.loc[cid, "estimate"] == pytest.approx(plain.loc[cid, "estimate"], abs=1e-9)
        assert results.loc[cid, "verdict"] == plain.loc[cid, "verdict"]
    # c - d: 6 respondents +1, 4 respondents -1, 90 zero: statsmodels' Wald interval of that mean
    d = np.array([1.0] * 6 + [-1.0] * 4 + [0.0] * 90)
    low, high = DescrStatsW(d).zconfint_mean(alpha=0.05)
    assert results.loc["c_over_d", "ci_low"] == pytest.approx(100 * low, abs=1e-6)
    assert results.loc["c_over_d", "ci_high"] == pytest.approx(100 * high, abs=1e-6)
    assert outcome(results.reset_index(), "mode_a") == ("reproduced", "robust")
    assert outcome(results.reset_index(), "b_over_a") == ("not reproduced", "contradicted")
    assert "weighted (raked: test)" in results.loc["mode_a", "method"] and "McNemar" not in results.loc["mode_a", "method"]


def test_with_equal_weights_the_shift_is_the_paired_t_interval_on_svyttests_degrees_of_freedom():
    up = [(10, {"pick": "a", "pick2": "c"}), (10, {"pick": "a", "pick2": "b"}), (5, {"pick": "b", "pick2": "a"})]
    higher = claim("shift", wave="t1", first="pick", second="pick2", direction="higher")
    row = weighted_evaluate([higher], t1=up).iloc[0]
    differences = np.array([2.0] * 10 + [1.0] * 10 + [-1.0] * 5)
    # the paired t interval of the differences, on n - 2 degrees of freedom as R's svyttest has it
    half = stats.t.ppf(0.975, len(differences) - 2) * differences.std(ddof=1) / math.sqrt(len(differences))
    assert row["estimate"] == pytest.approx(differences.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((1.0 - half, 1.0 + half), abs=1e-6)
    assert "weighted means 1.20 and 2.20" in row["note"] and row["unit"] == "score"


def test_changes_between_waves_with_weights():
    before = [(30, {"pick": "ab", "yesno": "yes"}), (70, {"pick": "a", "yesno": "no"})]
    after = [(60, {"pick": "ab", "yesno": "yes"}), (40, {"pick": "b", "yesno": "no"})]
    sides = {"a": {"wave": "t1", "question": "yesno"}, "b": {"wave": "t2", "question": "yesno"}}
    up = claim("change", "up", option="yes", direction="increase", **sides)
    gap = claim("change", "gap", direction="decrease", contrast={"a": 1, "b": -1},
                a={"wave": "t1", "question": "pick"}, b={"wave": "t2", "question": "pick"})
    equal = weighted_evaluate([up, gap], t1=before, t2=after).set_index("id")
    assert math.isclose(equal.loc["up", "estimate"], 30) and math.isclose(equal.loc["gap", "estimate"], -110)
    assert outcome(equal.reset_index(), "up") == ("reproduced", "robust")
    assert "wave t1: weighted share 30.00 % (n 100)" in equal.loc["up", "note"]
    # "yes" weighs 3: t1 yes = 90 / 160 = 56.25 %, t2 yes = 180 / 220 = 81.82 %
    heavy = weighted_evaluate([up], lambda r: 3.0 if r["yesno"] == "yes" else 1.0, t1=before, t2=after)
    assert heavy.iloc[0]["estimate"] == pytest.approx(100 * (180 / 220 - 90 / 160), abs=1e-6)


def test_presence_is_a_count_whatever_the_weights():
    present = claim("present", wave="t1", questions=["pick"])
    assert weighted_evaluate([present], lambda r: 0.1, t1=PICK).iloc[0]["estimate"] == 4


def test_the_weighted_report_says_so_in_both_languages():
    results = weighted_evaluate(SHARES, t1=PICK)
    en = claims_markdown(results, "en", weighting="raked: test", weighted_interval="korn-graubard")
    assert en.startswith("# Claims of the report, checked against the weighted data\n")
    assert "**Weighted** (raked: test)" in en and "Korn–Graubard interval" in en and "claims.en.md" in en
    sv = claims_markdown(results, "sv", weighting="raked: test", weighted_interval="logit")
    assert sv.startswith("# Rapportens påståenden prövade mot vägda data\n") and "logit-intervall" in sv
    assert "checked against the weighted data" not in claims_markdown(results, "en")


def test_a_claim_on_one_respondent_cannot_be_weighted_and_says_so():
    from netclean_survey.core.errors import ClaimError

    lone = [(1, {"pick": "ab", "yesno": "yes"})]
    with pytest.raises(ClaimError, match=r"claim t-1: 1 respondent\(s\) answered pick in wave t1: a weighted estimate "
                                         "needs at least two"):
        weighted_evaluate([claim("mode", wave="t1", question="pick", option="a")], t1=lone)
