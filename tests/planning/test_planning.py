"""Tests of netclean_survey.planning: respondents for a half-width, detectable differences and the
simulated power of the Bilder-Loughin test.

References independent of the code under test: Cochran's n = z^2 p (1 - p) / h^2 with the
standard library's NormalDist (385 at p = 0.5, h = 5 points: the textbook figure); the Wilson
interval's half-width in closed form (tests/hand_formulas.py) searched n by n; the Clopper-Pearson
upper bound of a zero count, 1 - (alpha/2)^(1/n), solved with logarithms; the closed form of the
detectable Cohen's h, (z_{1-alpha/2} + z_power) sqrt(1/n_a + 1/n_b), and the identity
sin^2(pi/4 + h/2) - 1/2 = sin(h)/2; the normal power of a two-sample test of shares on the
arcsine scale, against which the simulation must land within its Monte Carlo error.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hand_formulas import wilson_by_hand
from netclean_survey.planning.power import detectable_effect_size, minimum_detectable_difference, mmi_power
from netclean_survey.planning.precision import interval_half_width, respondents_for_method, respondents_normal
from netclean_survey.planning.tables import detectable_table, precision_table, question_precision, tick_all_power_table

Z = NormalDist().inv_cdf


def cochran(p: float, h: float, level: float = 0.95) -> int:
    z = Z(1 - (1 - level) / 2)
    return math.ceil(round(z * z * p * (1 - p) / (h * h), 6))


# ---------------------------------------------------------------- respondents for a half-width


@pytest.mark.parametrize("share, half_width, expected", [(0.5, 0.05, 385), (0.3, 0.05, 323), (0.5, 0.03, 1068),
                                                         (0.1, 0.02, 865)])
def test_cochran_respondents_are_the_textbook_figures(share, half_width, expected):
    assert cochran(share, half_width) == expected  # the hand formula itself, against the printed figures
    assert respondents_normal(share, half_width) == expected


def test_cochran_has_no_answer_for_a_share_of_zero_or_one():
    assert math.isnan(respondents_normal(0.0, 0.05))
    assert math.isnan(respondents_normal(1.0, 0.05))


def test_a_99_percent_interval_needs_more_respondents():
    assert respondents_normal(0.5, 0.05, 0.99) == cochran(0.5, 0.05, 0.99) == 664


@pytest.mark.parametrize("share", [0.5, 0.3, 0.12, 0.03])
def test_wilson_respondents_are_the_first_n_whose_interval_is_narrow_enough(share):
    def half(n):
        low, high = wilson_by_hand(share * n, n)
        return (high - low) / 2

    by_hand = next(n for n in range(1, 5000) if half(n) <= 0.05)
    assert respondents_for_method(share, 0.05, "wilson") == by_hand
    assert half(by_hand) <= 0.05 < half(by_hand - 1)


def test_wald_respondents_agree_with_cochran_away_from_the_bounds():
    assert respondents_for_method(0.3, 0.05, "wald") == respondents_normal(0.3, 0.05) == 323
    assert respondents_for_method(0.5, 0.05, "wald") == 385
    assert math.isnan(respondents_for_method(0.0, 0.05, "wald"))


def test_clopper_pearson_respondents_for_a_share_of_zero():
    # the interval of 0 of n is [0, 1 - 0.025^(1/n)]: half of it is at most 0.05 from n = 36 on
    by_hand = math.ceil(math.log(0.025) / math.log(0.9))
    assert by_hand == 36
    assert respondents_for_method(0.0, 0.05, "clopper-pearson") == by_hand


def test_the_interval_half_width_is_half_its_length():
    low, high = wilson_by_hand(30, 100)
    assert interval_half_width(0.3, 100, "wilson") == pytest.approx((high - low) / 2, abs=1e-12)


@pytest.mark.parametrize("share, half_width", [(-0.1, 0.05), (1.2, 0.05), (0.5, 0.0), (0.5, 0.5), (0.5, -1)])
def test_impossible_shares_and_half_widths_are_refused(share, half_width):
    with pytest.raises(ValueError):
        respondents_normal(share, half_width)
    with pytest.raises(ValueError):
        respondents_for_method(share, half_width)


def test_an_unknown_interval_method_is_refused():
    with pytest.raises(ValueError, match="unknown interval method"):
        respondents_for_method(0.5, 0.05, "bayes")


# ---------------------------------------------------------------- detectable differences


@pytest.mark.parametrize("n_a, n_b", [(400, 400), (370, 272), (1000, 250)])
def test_the_detectable_effect_size_is_the_closed_form(n_a, n_b):
    by_hand = (Z(0.975) + Z(0.8)) * math.sqrt(1 / n_a + 1 / n_b)
    # the closed form leaves out the other tail's share of the power (below 1e-6 here)
    assert detectable_effect_size(n_a, n_b) == pytest.approx(by_hand, abs=1e-5)


def test_400_and_400_respondents_detect_about_ten_points_at_one_half():
    h, increase, decrease = minimum_detectable_difference(0.5, 400, 400)
    assert h == pytest.approx(0.198101, abs=2e-5)
    # sin^2(pi/4 + h/2) - 1/2 = sin(h)/2, and the fall is as large by symmetry
    assert increase == pytest.approx(math.sin(h) / 2, abs=1e-12)
    assert decrease == pytest.approx(increase, abs=1e-12)
    assert increase == pytest.approx(0.0984, abs=1e-4)


def test_the_detectable_change_has_the_power_asked_for():
    share_a, n_a, n_b = 0.2, 370, 272
    h, increase, decrease = minimum_detectable_difference(share_a, n_a, n_b)
    for share_b in (share_a + increase, share_a - decrease):
        effect = abs(2 * math.asin(math.sqrt(share_b)) - 2 * math.asin(math.sqrt(share_a)))
        shift = effect / math.sqrt(1 / n_a + 1 / n_b)
        power = NormalDist().cdf(shift - Z(0.975)) + NormalDist().cdf(-shift - Z(0.975))
        assert power == pytest.approx(0.8, abs=1e-6)


def test_a_share_near_zero_cannot_fall_by_the_detectable_change():
    h, increase, decrease = minimum_detectable_difference(0.005, 370, 272)
    assert math.isnan(decrease) and increase > 0
    assert 2 * math.asin(math.sqrt(0.005)) < h  # below the detectable distance from 0 on the arcsine scale


# ---------------------------------------------------------------- power of the Bilder-Loughin test


def _ticks(counts, n):
    """n respondents x len(counts) options, option j ticked by the first counts[j] respondents."""
    return np.array([[1.0 if i < c else 0.0 for c in counts] for i in range(n)])


def test_the_simulated_power_of_one_option_is_the_normal_power():
    a, b = _ticks([90], 300), _ticks([120], 300)  # 30 % against 40 %
    result = mmi_power(a, b, simulations=2000, seed=1)
    effect = 2 * math.asin(math.sqrt(0.4)) - 2 * math.asin(math.sqrt(0.3))
    normal = NormalDist().cdf(effect / math.sqrt(2 / 300) - Z(0.975))
    assert normal == pytest.approx(0.73, abs=0.01)
    assert result["power"] == pytest.approx(normal, abs=0.035)  # 3.5 Monte Carlo standard errors


def test_without_a_shift_the_power_is_the_level():
    a = _ticks([90, 150, 30], 300)
    result = mmi_power(a, a.copy(), simulations=2000, seed=2)
    assert result["power"] == pytest.approx(0.05, abs=0.02)


def test_the_simulation_is_seeded_and_its_interval_is_clopper_pearson():
    a, b = _ticks([40, 20], 120), _ticks([55, 25], 100)
    first = mmi_power(a, b, simulations=300, seed=7)
    assert mmi_power(a, b, simulations=300, seed=7) == first
    k, m = first["rejected"], first["simulations"]
    assert first["power"] == k / m
    assert first["ci_low"] == pytest.approx(stats.beta.ppf(0.025, k, m - k + 1) if k else 0.0, abs=1e-9)
    assert first["ci_high"] == pytest.approx(stats.beta.ppf(0.975, k + 1, m - k) if k < m else 1.0, abs=1e-9)


def test_mismatched_tick_matrices_are_refused():
    with pytest.raises(ValueError, match="same options"):
        mmi_power(_ticks([1, 2], 5), _ticks([1], 5), simulations=10, seed=1)
    with pytest.raises(ValueError, match="simulations"):
        mmi_power(_ticks([1], 5), _ticks([1], 5), simulations=0, seed=1)


# ---------------------------------------------------------------- the plan's tables


def _estimates():
    rows = [("q1", "single", "a", 200, 100), ("q1", "single", "b", 200, 60), ("q1", "single", "c", 200, 40),
            ("q2", "multi", "x", 150, 0), ("q2", "multi", "y", 150, 15), ("q3", "multi", "z", 0, 0)]
    return pd.DataFrame([{"wave": "2020", "question": q, "kind": k, "option": o, "label_sv": o, "label_en": o.upper(),
                          "n": n, "count": c} for q, k, o, n, c in rows])


def test_the_precision_table_plans_every_share_with_a_base():
    table = precision_table(_estimates(), 0.05, "wilson", 0.95)
    assert list(table["option"]) == ["a", "b", "c", "x", "y"]  # z has nobody in its base
    a = table.iloc[0]
    assert a["share"] == 0.5 and a["respondents_normal"] == 385
    assert a["respondents_needed"] == respondents_for_method(0.5, 0.05, "wilson")
    x = table.iloc[3]
    assert pd.isna(x["respondents_normal"]) and x["respondents_needed"] > 0  # a share of 0
    assert str(table["respondents_normal"].dtype) == "Int64"


def test_the_question_precision_is_its_most_demanding_share():
    per_question = question_precision(precision_table(_estimates(), 0.05, "wilson", 0.95))
    assert list(per_question["question"]) == ["q1", "q2"]
    assert list(per_question["option"]) == ["a", "y"]
    assert list(per_question["n"]) == [200, 150]


class _Side:
    def __init__(self, wave, question_id, kind, n):
        self.wave, self.kind, self.n = wave, kind, n
        self.question = type("Q", (), {"id": question_id})()


def _option(option_id):
    return type("O", (), {"id": option_id, "sv": option_id, "en": option_id.upper()})()


def test_the_detectable_table_says_whether_each_change_is_large_enough():
    options = [_option("big"), _option("small")]
    ticks_a = pd.DataFrame(_ticks([100, 50], 400).astype(bool), columns=["big", "small"])
    ticks_b = pd.DataFrame(_ticks([200, 55], 400).astype(bool), columns=["big", "small"])
    pairs = [("q_1_vs_2", _Side("1", "q", "multi", 400), _Side("2", "q", "multi", 400), options, ticks_a, ticks_b)]
    table = detectable_table(pairs, 0.05, 0.8)
    big, small = table.iloc[0], table.iloc[1]
    assert big["share_a"] == 0.25 and big["share_b"] == 0.5 and big["difference"] == 0.25
    h = detectable_effect_size(400, 400)
    assert big["detectable_h"] == pytest.approx(h) and big["detectable"]
    assert not small["detectable"]
    assert small["cohens_h"] == pytest.approx(2 * math.asin(math.sqrt(55 / 400)) - 2 * math.asin(math.sqrt(50 / 400)))

    power = tick_all_power_table(pairs, 0.05, 200, 3, 0.95)
    assert list(power["options_compared"]) == ["big;small"] and power["simulations"].iat[0] == 200
    assert power["power"].iat[0] > 0.9  # 25 % against 50 % of 400: detected nearly always


def test_single_choice_comparisons_have_no_tick_all_power():
    options = [_option("a")]
    ticks = pd.DataFrame({"a": [True, False]})
    pairs = [("s", _Side("1", "q", "single", 2), _Side("2", "q", "single", 2), options, ticks, ticks)]
    assert tick_all_power_table(pairs, 0.05, 100, 1, 0.95).empty


def test_weighted_precision_is_the_effective_size_times_kishs_design_effect():
    """With weights: the effective n the interval needs at the weighted share (Cochran's 385 for the
    Wald interval at one half, 5 points), times the design effect, rounded up (Kish 1965)."""
    from netclean_survey.planning.tables import WEIGHTED_PRECISION_COLUMNS, weighted_precision_table

    weighted = pd.DataFrame({
        "wave": ["2018"] * 3, "weighting": ["raked: respondent_region"] * 3, "question": ["q", "q", "r"],
        "kind": ["single"] * 3, "option": ["a", "b", "c"], "label_sv": ["A", "B", "C"], "label_en": ["A", "B", "C"],
        "n": [300, 300, 1], "share": [0.5, 0.5, 1.0], "n_effective": [250.0, 250.0, 1.0],
        "design_effect": [1.2, 1.0, 1.0],
    })
    table = weighted_precision_table(weighted, 0.05, "wald", 0.95)
    assert list(table.columns) == WEIGHTED_PRECISION_COLUMNS
    assert table["effective_needed"].tolist() == [385, 385]  # the one-respondent question has no share to plan from
    assert table["respondents_needed"].tolist() == [462, 385]  # ceil(385 x 1.2) = 462; deff 1 leaves 385


def test_weighted_detectable_changes_count_each_wave_as_its_effective_size():
    """With weights: the weighted shares (by hand), and the h a test detects when each wave counts as
    its Kish effective size; equal weights give the unweighted table's figures."""
    from netclean_survey.planning.tables import WEIGHTED_DETECTABLE_COLUMNS, weighted_detectable_table

    options = [_option("big"), _option("small")]
    ticks_a = pd.DataFrame(_ticks([100, 50], 400).astype(bool), columns=["big", "small"])
    ticks_b = pd.DataFrame(_ticks([200, 55], 400).astype(bool), columns=["big", "small"])
    pairs = [("q_1_vs_2", _Side("1", "q", "multi", 400), _Side("2", "q", "multi", 400), options, ticks_a, ticks_b)]
    equal = weighted_detectable_table(pairs, [(np.ones(400), np.ones(400))], "raked: r", 0.05, 0.8)
    plain = detectable_table(pairs, 0.05, 0.8)
    assert list(equal.columns) == WEIGHTED_DETECTABLE_COLUMNS and set(equal["weighting"]) == {"raked: r"}
    for column in ("share_a", "share_b", "difference", "cohens_h", "detectable_h", "detectable"):
        assert equal[column].tolist() == pytest.approx(plain[column].tolist()), column
    assert equal["n_effective_a"].tolist() == [400.0, 400.0]
    # wave a: the first 200 respondents weigh 3, the rest 1 -> n_eff = 800^2 / (200 x 9 + 200) = 320
    w_a = np.r_[np.full(200, 3.0), np.ones(200)]
    table = weighted_detectable_table(pairs, [(w_a, np.ones(400))], "raked: r", 0.05, 0.8)
    big = table.iloc[0]
    first = ticks_a["big"].to_numpy()
    assert big["share_a"] == pytest.approx((3 * first[:200].sum() + first[200:].sum()) / 800)
    assert big["n_effective_a"] == pytest.approx(320) and big["n_effective_b"] == pytest.approx(400)
    assert big["detectable_h"] == pytest.approx(detectable_effect_size(320, 400))
    z = NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.8)
    assert big["detectable_h"] == pytest.approx(z * math.sqrt(1 / 320 + 1 / 400), rel=1e-3)  # the closed form


def test_the_simulated_power_with_weights():
    """The test with weights: with equal weights one option's power is the normal power (3.5 Monte
    Carlo standard errors, as unweighted); without a shift it is the level; unequal weights cost
    power (a design effect of 1.36 on each wave: about the power of 300 / 1.36 respondents each);
    seeded."""
    from netclean_survey.planning.power import weighted_mmi_power

    a, b = _ticks([90], 300), _ticks([120], 300)  # 30 % against 40 %
    ones = np.ones(300)
    equal = weighted_mmi_power(a, ones, b, ones, simulations=1000, seed=1)
    effect = 2 * math.asin(math.sqrt(0.4)) - 2 * math.asin(math.sqrt(0.3))
    assert equal["power"] == pytest.approx(NormalDist().cdf(effect / math.sqrt(2 / 300) - Z(0.975)), abs=0.05)
    same = _ticks([90, 150, 30], 300)
    assert weighted_mmi_power(same, ones, same.copy(), ones, simulations=1000, seed=2)["power"] == pytest.approx(
        0.05, abs=0.025)
    # weights 1 and 4 alternating, independent of the ticks: Kish's deff = 300 x 2550 / 750^2 = 1.36
    uneven = np.tile([1.0, 4.0], 150)
    deff = 300 * (uneven**2).sum() / uneven.sum() ** 2
    weighted = weighted_mmi_power(a, uneven, b, uneven, simulations=1000, seed=1)
    expected = NormalDist().cdf(effect / math.sqrt(2 * deff / 300) - Z(0.975))
    assert weighted["power"] == pytest.approx(expected, abs=0.06) and weighted["power"] < equal["power"]
    assert weighted_mmi_power(a, uneven, b, uneven, simulations=50, seed=3) == \
        weighted_mmi_power(a, uneven, b, uneven, simulations=50, seed=3)
    with pytest.raises(ValueError, match="one weight per respondent"):
        weighted_mmi_power(a, ones[:10], b, ones, simulations=10, seed=1)
