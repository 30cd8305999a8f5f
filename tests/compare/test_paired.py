"""Tests of netclean_survey.paired.

Every expected number comes from somewhere other than the code under test: published worked
examples of Newcombe (1998b) method 10 (Newcombe's own example; Fagerland, Lydersen & Laake's
Bentur et al. and Cavo et al. examples), exact binomial tail sums and Cochran's formula worked
by hand, counts made by hand on hand-built frames, and, for the gap contrast, a seeded
percentile bootstrap as a second method.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netclean_survey.compare.paired import COCHRAN_TEST, GAP_COLUMNS, MCNEMAR_TEST, OPTION_COLUMNS, PAIR_COLUMNS, PAIRED_INTERVAL_METHOD, cochrans_q, compare_options, compare_paired_questions, gap_contrast, mcnemar_exact, paired_difference_interval
from netclean_survey.compare.multiple import holm_adjust

from hand_formulas import Z95, wilson_by_hand  # noqa: E402


def mcnemar_p_by_hand(only_first: int, only_second: int) -> float:
    """Two-sided exact McNemar: 2 P(Bin(b + c, 1/2) <= min(b, c)), capped at 1."""
    m = only_first + only_second
    tail = sum(math.comb(m, k) for k in range(min(only_first, only_second) + 1))
    return min(1.0, 2 * tail / 2**m)


# ----------------------------------------------------------------------------------------------
# Newcombe (1998b) method 10: published values

# (both, only_first, only_second, neither), 95 % limits as published, decimals, source.
NEWCOMBE_PAIRED_PUBLISHED = [
    # Newcombe (1998b), Stat Med 17:2635-2650, worked example (a, b, c, d) = (20, 12, 2, 16),
    # method 10: 0.0562 to 0.3292 (quoted as "Newcombe's method 10 result" in the published-example
    # tests of R ratesci, tests/testthat/test3.R). The plain phi coefficient instead of Newcombe's
    # corrected one gives 0.0618 to 0.3242, so this example tells the two apart.
    ((20, 12, 2, 16), (0.0562, 0.3292), 4, "Newcombe 1998b"),
    # Bentur et al. (2009), airway hyper-responsiveness before/after stem cell transplantation,
    # rbind(c(1, 1), c(7, 12)): Fagerland, Lydersen & Laake (2014), Stat Med 33:2850-2875, Newcombe
    # square-and-add -0.507 to -0.026 (as quoted in ratesci tests/testthat/test3.R).
    ((1, 1, 7, 12), (-0.507, -0.026), 3, "Fagerland et al. 2014, Bentur et al. 2009"),
    # Cavo et al. (2012), complete response before/after consolidation therapy,
    # matrix(c(59, 6, 16, 80), 2, byrow = TRUE): Fagerland, Lydersen & Laake (2017), Statistical
    # Analysis of Contingency Tables, ch. 8, "estimate = -0.0621 (95% CI -0.1186 to -0.0046)"
    # (R contingencytables, tests/testthat/test-ch8.R, Newcombe_square_and_add_CI_paired_2x2).
    ((59, 6, 16, 80), (-0.1186, -0.0046), 4, "Fagerland et al. 2017 ch. 8, Cavo et al. 2012"),
    # Tang et al. (2010) example (8, 3, 1, 2), matched by ratesci's MOVER-Wilson with Newcombe's
    # corrected correlation: -0.1574 to 0.4136 (ratesci tests/testthat/test3.R).
    ((8, 3, 1, 2), (-0.1574, 0.4136), 4, "Tang et al. 2010 via ratesci"),
]


@pytest.mark.parametrize(("cells", "published", "decimals", "source"), NEWCOMBE_PAIRED_PUBLISHED)
def test_newcombe_method_10_matches_published_values(cells, published, decimals, source):
    low, high = paired_difference_interval(*cells)
    assert round(low, decimals) == pytest.approx(published[0], abs=1e-12), source
    assert round(high, decimals) == pytest.approx(published[1], abs=1e-12), source


def test_newcombe_cavo_point_estimate():
    # the published point estimate (6 - 16) / 161 = -0.0621 (Fagerland et al. 2017, ch. 8)
    result = mcnemar_exact(
        np.repeat([1, 1, 0, 0], [59, 6, 16, 80]),
        np.repeat([1, 0, 1, 0], [59, 6, 16, 80]),
    )
    assert round(result["difference"], 4) == -0.0621
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((-0.11862, -0.00463), abs=5e-5)


def test_newcombe_phi_zero_regime_is_plain_square_and_add():
    # Bentur: ad - bc = 12 - 7 = 5 <= n/2 = 10.5, so Newcombe's corrected phi is 0 and the limits
    # are the square-and-add of the two Wilson intervals, worked here in closed form.
    n, p1, p2 = 21, 2 / 21, 8 / 21
    l1, u1 = wilson_by_hand(2, n)
    l2, u2 = wilson_by_hand(8, n)
    expected = (p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(p2 - l2, u1 - p1))
    assert paired_difference_interval(1, 1, 7, 12) == pytest.approx(expected, abs=1e-12)


def test_newcombe_negative_association_uses_plain_phi():
    # ad - bc < 0: phi = (ad - bc) / sqrt(product of margins), uncorrected (Newcombe 1998b).
    a, b, c, d = 2, 9, 6, 3
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_by_hand(a + b, n)
    l2, u2 = wilson_by_hand(a + c, n)
    phi = (a * d - b * c) / math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    assert phi < 0
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2)
    assert paired_difference_interval(a, b, c, d) == pytest.approx((low, high), abs=1e-12)


def test_newcombe_empty_margin_sets_phi_to_zero():
    # Everybody ticked both: no variation, phi undefined -> 0; D = 0, limits -/+ (1 - Wilson low).
    l, _ = wilson_by_hand(5, 5)
    assert paired_difference_interval(5, 0, 0, 0) == pytest.approx((-(1 - l), 1 - l), abs=1e-12)
    # Everybody ticked only the first: p1 = 1, p2 = 0, phi -> 0.
    l1, u1 = wilson_by_hand(3, 3)
    l2, u2 = wilson_by_hand(0, 3)
    expected = (1 - math.hypot(1 - l1, u2), 1 - math.hypot(l2, u1 - 1))
    assert paired_difference_interval(0, 3, 0, 0) == pytest.approx(expected, abs=1e-12)
    assert expected[1] == pytest.approx(1.0)


def test_newcombe_no_respondents_is_nan_and_swapping_negates():
    low, high = paired_difference_interval(0, 0, 0, 0)
    assert math.isnan(low) and math.isnan(high)
    low, high = paired_difference_interval(20, 12, 2, 16)
    assert paired_difference_interval(20, 2, 12, 16) == pytest.approx((-high, -low), abs=1e-12)


def test_newcombe_vectorised_and_levels():
    lows, highs = paired_difference_interval([20, 1, 0], [12, 1, 0], [2, 7, 0], [16, 12, 0])
    assert lows[:2] == pytest.approx([0.05616, -0.50692], abs=5e-5)
    assert highs[:2] == pytest.approx([0.32921, -0.02556], abs=5e-5)
    assert np.isnan(lows[2]) and np.isnan(highs[2])
    # a higher level gives a wider interval around the same estimate
    low90, high90 = paired_difference_interval(20, 12, 2, 16, conf_level=0.90)
    assert 0.0562 < low90 and high90 < 0.3292


@pytest.mark.parametrize(
    ("cells", "level"),
    [((-1, 2, 3, 4), 0.95), ((1, float("nan"), 3, 4), 0.95), ((1, 2, 3, 4), 1.0), ((1, 2, 3, 4), 0)],
)
def test_newcombe_rejects_bad_input(cells, level):
    with pytest.raises(ValueError):
        paired_difference_interval(*cells, conf_level=level)


# ----------------------------------------------------------------------------------------------
# McNemar exact


def test_mcnemar_exact_by_hand():
    # both = 1, only_first = 1, only_second = 6, neither = 0
    first = [1, 1, 0, 0, 0, 0, 0, 0]
    second = [1, 0, 1, 1, 1, 1, 1, 1]
    result = mcnemar_exact(first, second)
    assert (result["n"], result["both"], result["only_first"], result["only_second"], result["neither"]) == (
        8,
        1,
        1,
        6,
        0,
    )
    # p = 2 P(Bin(7, 1/2) <= 1) = 2 (1 + 7) / 128 = 0.125
    assert result["p_value"] == pytest.approx(0.125, abs=1e-12)
    assert result["share_first"] == pytest.approx(2 / 8)
    assert result["share_second"] == pytest.approx(7 / 8)
    assert result["difference"] == pytest.approx(-5 / 8)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(paired_difference_interval(1, 1, 6, 0))
    assert result["ci_method"] == PAIRED_INTERVAL_METHOD == "Newcombe (1998b) method 10"
    assert result["test"] == MCNEMAR_TEST == "McNemar exact (binomial)"


@pytest.mark.parametrize(
    ("only_first", "only_second", "expected"), [(0, 5, 2 / 32), (3, 3, 1.0), (0, 0, 1.0), (9, 2, 2 * 67 / 2048)]
)
def test_mcnemar_exact_tail_sums(only_first, only_second, expected):
    first = [1] * only_first + [0] * only_second + [1, 0]
    second = [0] * only_first + [1] * only_second + [1, 0]
    assert mcnemar_p_by_hand(only_first, only_second) == pytest.approx(expected)
    assert mcnemar_exact(first, second)["p_value"] == pytest.approx(expected, abs=1e-12)


def test_mcnemar_exact_accepts_bool_and_rejects_bad_input():
    result = mcnemar_exact(np.array([True, False]), pd.Series([False, False], dtype="boolean"))
    assert (result["only_first"], result["neither"]) == (1, 1)
    empty = mcnemar_exact([], [])
    assert empty["n"] == 0 and math.isnan(empty["p_value"]) and math.isnan(empty["ci_low"])
    with pytest.raises(ValueError, match="same respondents"):
        mcnemar_exact([1, 0, 1], [1, 0])
    with pytest.raises(ValueError, match="missing"):
        mcnemar_exact([1, np.nan], [1, 0])
    with pytest.raises(ValueError, match="0/1"):
        mcnemar_exact([1, 2], [1, 0])


# ----------------------------------------------------------------------------------------------
# Cochran's Q


def cochran_by_hand(matrix) -> float:
    """Q = (k - 1)[k sum C_j^2 - N^2] / (k N - sum R_i^2), in exact fractions."""
    k = len(matrix[0])
    columns = [sum(row[j] for row in matrix) for j in range(k)]
    rows = [sum(row) for row in matrix]
    total = sum(rows)
    return float(Fraction((k - 1) * (k * sum(c * c for c in columns) - total**2), k * total - sum(r * r for r in rows)))


def test_cochrans_q_by_hand():
    matrix = [[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 1, 0], [1, 0, 1], [0, 0, 0]]
    # C = (4, 3, 2), N = 9, sum R^2 = 19: Q = 2 (3 * 29 - 81) / (27 - 19) = 1.5
    assert cochran_by_hand(matrix) == 1.5
    result = cochrans_q(np.array(matrix))
    assert result["statistic"] == pytest.approx(1.5, abs=1e-12)
    assert result["df"] == 2
    # chi-square with 2 df: P(X > q) = exp(-q / 2)
    assert result["p_value"] == pytest.approx(math.exp(-0.75), abs=1e-12)
    assert result["n"] == 6
    assert result["test"] == COCHRAN_TEST


def test_cochrans_q_two_options_is_mcnemar_chi_square():
    # for k = 2, Q = (b - c)^2 / (b + c), here b = 5, c = 1 -> 16 / 6
    matrix = [[1, 0]] * 5 + [[0, 1]] + [[1, 1]] * 3 + [[0, 0]] * 2
    assert cochrans_q(matrix)["statistic"] == pytest.approx(16 / 6, abs=1e-12)


def test_cochrans_q_degenerate_inputs():
    no_variation = cochrans_q(np.array([[1, 1, 1], [0, 0, 0], [0, 0, 0]]))
    assert (no_variation["statistic"], no_variation["p_value"]) == (0.0, 1.0)
    all_zero = cochrans_q(np.zeros((4, 3)))
    assert (all_zero["statistic"], all_zero["p_value"]) == (0.0, 1.0)
    empty = cochrans_q(np.zeros((0, 3)))
    assert empty["n"] == 0 and math.isnan(empty["statistic"]) and math.isnan(empty["p_value"])
    with pytest.raises(ValueError, match="at least two"):
        cochrans_q(np.ones((3, 1)))
    with pytest.raises(ValueError, match="two-dimensional"):
        cochrans_q([1, 0, 1])
    with pytest.raises(ValueError, match="missing"):
        cochrans_q(pd.DataFrame({"a": pd.array([True, None], dtype="boolean"), "b": [True, False]}))


# ----------------------------------------------------------------------------------------------
# compare_options


def region_ticks() -> pd.DataFrame:
    """Ten respondents in the base, three options, counted by hand below."""
    return pd.DataFrame(
        {
            "asia": [1, 0, 0, 0, 0, 0, 0, 1, 0, 0],
            "europe": [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
            "north_america": [1, 1, 1, 0, 0, 0, 1, 1, 1, 0],
        },
        index=[f"r{i}" for i in range(10)],
    ).astype(bool)


EXPECTED_PAIR_COLUMNS = [
    "option_first", "option_second", "n", "both", "only_first", "only_second", "neither",
    "share_first", "share_second", "difference", "ci_low", "ci_high", "ci_method", "conf_level",
    "test", "p_value", "p_holm",
]  # fmt: skip


def test_compare_options_counts_tests_and_holm_by_hand():
    pairs, overall = compare_options(region_ticks())
    assert list(pairs.columns) == EXPECTED_PAIR_COLUMNS == list(PAIR_COLUMNS)
    assert list(zip(pairs["option_first"], pairs["option_second"])) == [
        ("asia", "europe"),
        ("asia", "north_america"),
        ("europe", "north_america"),
    ]
    # cells counted by hand from region_ticks()
    cells = pairs[["n", "both", "only_first", "only_second", "neither"]].to_numpy().tolist()
    assert cells == [[10, 1, 1, 5, 3], [10, 2, 0, 4, 4], [10, 3, 3, 3, 1]]
    assert pairs["share_first"].tolist() == pytest.approx([0.2, 0.2, 0.6])
    assert pairs["share_second"].tolist() == pytest.approx([0.6, 0.6, 0.6])
    assert pairs["difference"].tolist() == pytest.approx([-0.4, -0.4, 0.0])
    # exact McNemar: 2 (1 + 6) / 64, 2 / 16, min(1, 2 * 42 / 64)
    assert pairs["p_value"].tolist() == pytest.approx([14 / 64, 0.125, 1.0], abs=1e-12)
    # Holm by hand: sorted 0.125 (x3), 0.21875 (x2), 1 (x1), running maximum
    assert pairs["p_holm"].tolist() == pytest.approx([max(3 * 0.125, 2 * 14 / 64), 3 * 0.125, 1.0], abs=1e-12)
    assert pairs["p_holm"].tolist() == pytest.approx([0.4375, 0.375, 1.0], abs=1e-12)
    for row in pairs.itertuples():
        assert (row.ci_low, row.ci_high) == pytest.approx(
            paired_difference_interval(row.both, row.only_first, row.only_second, row.neither), abs=1e-12
        )
    assert set(pairs["ci_method"]) == {"Newcombe (1998b) method 10"}
    assert set(pairs["test"]) == {"McNemar exact (binomial)"}
    assert set(pairs["conf_level"]) == {0.95}
    assert pairs["n"].dtype == "int64" and pairs["p_holm"].dtype == "float64"

    # Cochran's Q by hand: C = (2, 6, 6), N = 14, sum R^2 = 26: Q = 2 (3 * 76 - 196) / (42 - 26) = 4
    assert cochran_by_hand(region_ticks().astype(int).to_numpy().tolist()) == 4.0
    assert overall["test"] == COCHRAN_TEST
    assert overall["statistic"] == pytest.approx(4.0, abs=1e-12)
    assert overall["p_value"] == pytest.approx(math.exp(-2.0), abs=1e-12)
    assert (overall["df"], overall["n"]) == (2, 10)
    assert overall["options"] == ["asia", "europe", "north_america"]


def test_compare_options_subset_in_given_order_uses_mcnemar_overall():
    pairs, overall = compare_options(region_ticks(), ["europe", "asia"], conf_level=0.9)
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["option_first"], row["option_second"]) == ("europe", "asia")
    assert (row["only_first"], row["only_second"]) == (5, 1)
    assert row["difference"] == pytest.approx(0.4)
    assert row["p_holm"] == pytest.approx(row["p_value"]) and row["p_value"] == pytest.approx(14 / 64)
    assert row["conf_level"] == 0.9
    assert overall["test"] == MCNEMAR_TEST
    assert overall["p_value"] == pytest.approx(14 / 64)
    assert overall["options"] == ["europe", "asia"]


def test_compare_options_rejects_bad_input():
    ticks = region_ticks()
    with pytest.raises(ValueError, match="not columns"):
        compare_options(ticks, ["asia", "africa"])
    with pytest.raises(ValueError, match="at least two"):
        compare_options(ticks, ["asia"])
    with pytest.raises(ValueError, match="repeated"):
        compare_options(ticks, ["asia", "asia"])
    with pytest.raises(ValueError, match="string"):
        compare_options(ticks, "asia")
    partial = ticks.astype("boolean")
    partial.iloc[0, 0] = pd.NA
    with pytest.raises(ValueError, match="missing"):
        compare_options(partial)


def test_holm_adjust_leaves_nan_out_of_the_family():
    adjusted = holm_adjust([0.01, np.nan, 0.04, 0.03])
    # family of three: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 -> running max 0.06
    assert adjusted[[0, 2, 3]] == pytest.approx([0.03, 0.06, 0.06])
    assert np.isnan(adjusted[1])


# ----------------------------------------------------------------------------------------------
# compare_paired_questions


def age_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Grooming (first) and extortion (second) ages; r5 and r6 each miss one question, r7 is only
    in second, and second lists its respondents in another order."""
    na = [pd.NA] * 3
    first = pd.DataFrame(
        [[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], na, [1, 0, 0], [1, 0, 0], [1, 0, 0]],
        index=["r1", "r2", "r3", "r4", "r5", "r6", "r8", "r9"],
        columns=["young", "mid", "old"],
    ).astype("boolean")
    second = pd.DataFrame(
        [[0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 1, 1], [1, 0, 0], na, [0, 0, 1], [0, 0, 1], [0, 1, 0]],
        index=["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"],
        columns=["young", "mid", "old"],
    ).astype("boolean")
    return first, second.iloc[::-1][["old", "young", "mid"]]


def test_compare_paired_questions_per_option_by_hand():
    first, second = age_frames()
    per_option, summary = compare_paired_questions(first, second, {"young": 6, "mid": 12, "old": 15})
    assert list(per_option.columns) == ["option", *EXPECTED_PAIR_COLUMNS[2:]] == list(OPTION_COLUMNS)
    assert per_option["option"].tolist() == ["young", "mid", "old"]
    # answered both: r1, r2, r3, r4, r8, r9 (r5, r6 miss one question, r7 is not in first)
    cells = per_option[["n", "both", "only_first", "only_second", "neither"]].to_numpy().tolist()
    assert cells == [[6, 0, 4, 0, 2], [6, 2, 1, 2, 1], [6, 1, 0, 3, 2]]
    assert per_option["share_first"].tolist() == pytest.approx([4 / 6, 3 / 6, 1 / 6])
    assert per_option["share_second"].tolist() == pytest.approx([0, 4 / 6, 4 / 6])
    assert per_option["difference"].tolist() == pytest.approx([4 / 6, -1 / 6, -3 / 6])
    # McNemar exact: 2/16, min(1, 2 * 4/8), 2/8; Holm: 0.125 x 3, 0.25 x 2, 1
    assert per_option["p_value"].tolist() == pytest.approx([0.125, 1.0, 0.25], abs=1e-12)
    assert per_option["p_holm"].tolist() == pytest.approx([0.375, 1.0, 0.5], abs=1e-12)
    assert summary["n_answered_both"] == 6


def test_compare_paired_questions_mean_score_summary_by_hand():
    first, second = age_frames()
    _, summary = compare_paired_questions(first, second, {"young": 6, "mid": 12, "old": 15})
    # respondent mean scores (first -> second): r1 6 -> 12, r2 9 -> 13.5, r3 12 -> 15,
    # r4 13.5 -> 13.5, r8 6 -> 15, r9 6 -> 12; differences 6, 4.5, 3, 0, 9, 6
    assert summary["n"] == 6 and summary["n_without_score"] == 0
    assert summary["mean_first"] == pytest.approx(52.5 / 6)
    assert summary["mean_second"] == pytest.approx(81 / 6)
    assert summary["mean_difference"] == pytest.approx(4.75)
    # sd of the differences^2 = 46.875 / 5 = 9.375, se = sqrt(9.375 / 6) = 1.25, t = 3.8 on 5 df;
    # t(0.975, 5) = 2.570582 (t table)
    assert summary["statistic"] == pytest.approx(3.8)
    assert summary["df"] == 5
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx(
        (4.75 - 2.570582 * 1.25, 4.75 + 2.570582 * 1.25), abs=1e-5
    )
    assert summary["p_value"] == pytest.approx(2 * stats.t.sf(3.8, 5))
    assert 0.01 < summary["p_value"] < 0.02
    # Wilcoxon, zero difference (r4) dropped: all 5 remaining positive -> exact p = 2 / 2^5
    assert summary["robustness_p_value"] == pytest.approx(2 / 32)
    assert summary["ci_method"] == "paired t (scipy.stats.ttest_rel)"
    assert "Wilcoxon" in summary["robustness_test"]
    assert summary["scores"] == {"young": 6.0, "mid": 12.0, "old": 15.0}


def test_compare_paired_questions_leaves_out_respondents_without_ticks():
    first = pd.DataFrame({"x": [True, False, True], "y": [False, False, True]}, index=[1, 2, 3])
    second = pd.DataFrame({"x": [False, True, True], "y": [True, False, True]}, index=[1, 2, 3])
    per_option, summary = compare_paired_questions(first, second, {"x": 0, "y": 10})
    # respondent 2 ticked nothing in first: in the per-option counts, not in the mean score
    assert per_option["n"].tolist() == [3, 3]
    assert (summary["n_answered_both"], summary["n"], summary["n_without_score"]) == (3, 2, 1)
    # respondent 1: 0 -> 10; respondent 3: 5 -> 5
    assert (summary["mean_first"], summary["mean_second"], summary["mean_difference"]) == pytest.approx((2.5, 7.5, 5.0))


def test_compare_paired_questions_rejects_bad_input():
    first, second = age_frames()
    scores = {"young": 6, "mid": 12, "old": 15}
    with pytest.raises(ValueError, match="same options"):
        compare_paired_questions(first, second.drop(columns="old"), scores)
    with pytest.raises(ValueError, match="missing"):
        compare_paired_questions(first, second, {"young": 6, "mid": 12})
    with pytest.raises(ValueError, match="not options"):
        compare_paired_questions(first, second, scores | {"older": 18})
    with pytest.raises(ValueError, match="finite"):
        compare_paired_questions(first, second, scores | {"old": float("nan")})
    partial = first.copy()
    partial.loc["r1", "mid"] = pd.NA
    with pytest.raises(ValueError, match="some option columns missing"):
        compare_paired_questions(partial, second, scores)
    with pytest.raises(ValueError, match="repeated respondent"):
        compare_paired_questions(pd.concat([first, first.iloc[:1]]), second, scores)


# ----------------------------------------------------------------------------------------------
# gap_contrast

WEIGHTS = {"asia": 1.0, "north_america": -0.5, "europe": -0.5}


def test_gap_contrast_by_hand():
    columns = ["asia", "europe", "north_america", "africa"]  # africa: not in the contrast
    a = pd.DataFrame([[1, 1, 1, 1], [0, 1, 1, 0], [0, 1, 0, 1], [1, 0, 0, 0]], columns=columns).astype(bool)
    b = pd.DataFrame([[0, 1, 1, 0], [0, 1, 0, 0], [0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 1, 1]], columns=columns).astype(
        bool
    )
    table = gap_contrast(a, b, WEIGHTS, labels=("2016", "2018"))
    assert list(table.columns) == ["group", "n", "estimate", "ci_low", "ci_high", "ci_method", "conf_level", "p_value"]
    assert list(table.columns) == list(GAP_COLUMNS)
    assert table["group"].tolist() == ["2016", "2018", "2018 - 2016"]
    assert table["n"].tolist() == [4, 5, 9]
    # contrast scores d_i: a = 0, -1, -0.5, 1 (mean -0.125 = 0.5 - 0.5 * 0.5 - 0.5 * 0.75);
    # b = -1, -0.5, -0.5, 0.5, -1 (mean -0.5)
    # var(se^2): a = (2.1875 / 3) / 4 = 35/192; b = (1.5 / 4) / 5 = 3/40
    se2 = [35 / 192, 3 / 40, 35 / 192 + 3 / 40]
    estimate = [-0.125, -0.5, -0.375]
    for row, est, var in zip(table.itertuples(), estimate, se2):
        se = math.sqrt(var)
        assert row.estimate == pytest.approx(est, abs=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx((est - Z95 * se, est + Z95 * se), abs=1e-12)
        assert row.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(est) / se)), abs=1e-12)
        assert row.conf_level == 0.95
    assert table["ci_method"].iloc[0] == "Wald on respondent-level contrast scores"
    assert "variances add" in table["ci_method"].iloc[2]


def test_gap_contrast_edge_cases_and_validation():
    one = pd.DataFrame({"asia": [True], "north_america": [False], "europe": [False]})
    none = one.iloc[:0]
    table = gap_contrast(one, none, WEIGHTS)
    assert table["estimate"].iloc[0] == 1.0 and math.isnan(table["ci_low"].iloc[0])
    assert math.isnan(table["estimate"].iloc[1]) and math.isnan(table["estimate"].iloc[2])
    with pytest.raises(ValueError, match="not columns"):
        gap_contrast(one, one, WEIGHTS | {"africa": 1.0})
    with pytest.raises(ValueError, match="all zero"):
        gap_contrast(one, one, {"asia": 0.0})
    with pytest.raises(ValueError, match="non-empty"):
        gap_contrast(one, one, {})
    with pytest.raises(ValueError, match="0/1"):
        gap_contrast(one.astype(int) * 2, one, WEIGHTS)


def correlated_ticks(rng: np.random.Generator, n: int, rates: dict[str, float]) -> pd.DataFrame:
    """Respondents of two kinds (ticking much or little), so options are strongly correlated."""
    broad = rng.random(n) < 0.5
    columns = {}
    for option, shift in rates.items():
        p = np.where(broad, 0.85 + shift, 0.10 + shift)
        columns[option] = rng.random(n) < p
    return pd.DataFrame(columns)


def percentile_bootstrap(scores: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """Means of ``resamples`` resamples of ``scores`` with replacement (Efron & Tibshirani 1993)."""
    index = rng.integers(0, scores.size, size=(resamples, scores.size))
    return scores[index].mean(axis=1)


def test_gap_contrast_agrees_with_percentile_bootstrap():
    rng = np.random.default_rng(20180601)
    a = correlated_ticks(rng, 1500, {"asia": 0.0, "north_america": 0.05, "europe": 0.08})
    b = correlated_ticks(rng, 1500, {"asia": 0.04, "north_america": 0.02, "europe": 0.05})
    table = gap_contrast(a, b, WEIGHTS)

    w = np.array([WEIGHTS[o] for o in ["asia", "north_america", "europe"]])
    scores_a = a[["asia", "north_america", "europe"]].to_numpy(float) @ w
    scores_b = b[["asia", "north_america", "europe"]].to_numpy(float) @ w
    boot_a = percentile_bootstrap(scores_a, rng, 2000)
    boot_b = percentile_bootstrap(scores_b, rng, 2000)
    for row, boot in zip(table.itertuples(), [boot_a, boot_b, boot_b - boot_a]):
        low, high = np.quantile(boot, [0.025, 0.975])
        se = (row.ci_high - row.ci_low) / (2 * Z95)
        # the percentile endpoints' Monte Carlo error with 2000 resamples is about 0.06 se
        assert abs(row.ci_low - low) < 0.25 * se
        assert abs(row.ci_high - high) < 0.25 * se

    # The check can fail: ignoring the within-respondent correlation (shares as independent
    # binomials) gives intervals far wider than the bootstrap's.
    shares = a[["asia", "north_america", "europe"]].mean().to_numpy()
    naive_se = math.sqrt(np.sum(w**2 * shares * (1 - shares)) / len(a))
    wald_se = (table["ci_high"].iloc[0] - table["ci_low"].iloc[0]) / (2 * Z95)
    boot_se = boot_a.std(ddof=1)
    assert abs(naive_se - boot_se) > 0.25 * boot_se
    assert abs(wald_se - boot_se) < 0.1 * boot_se
