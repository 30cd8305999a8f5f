"""Tests of netclean_survey.compare.

Every expected number comes from somewhere other than the code under test: published tables
(Newcombe 1998), scipy's chi-square of the same tables (a second method), closed forms worked by
hand here (with the standard library's math), an exact permutation distribution enumerated here,
a literal transcription of Bilder & Loughin's (2004) Appendix A matrix algebra, and direct
simulation of null distributions written independently of the module.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from netclean_survey.compare.independent import COMPARE_COLUMNS, DIFF_CI_METHOD, MMI_TEST, TWO_SAMPLE_TEST, homogeneity_test, mmi_test, two_sample_by_option
from netclean_survey.estimate.intervals import proportion_interval


def chi2_1_sf(x: float) -> float:
    """P(chi-square(1) >= x) = erfc(sqrt(x / 2)), stdlib only."""
    return math.erfc(math.sqrt(x / 2))


def holm_by_hand(p: list[float]) -> list[float]:
    """Holm (1979): sort ascending, multiply the i-th smallest (0-based) by k - i, running max, cap 1."""
    k = len(p)
    order = sorted(range(k), key=lambda i: p[i])
    adjusted = [0.0] * k
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (k - rank) * p[i]))
        adjusted[i] = running
    return adjusted


# ----------------------------------------------------------------------------------------------
# two samples option by option


# Newcombe (1998b), Statistics in Medicine 17:873-890, worked examples, method 10 (hybrid score,
# no continuity correction), 95 % intervals for p1 - p2, 4 decimals.
NEWCOMBE_TABLE_II_METHOD_10 = [
    # count1, n1, count2, n2, low, high
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (10, 10, 0, 20, 0.6791, 1.0),
]


def test_newcombe_method_10_published_values_with_b_minus_a():
    # Newcombe's sample 1 is our later wave b, his sample 2 our wave a: difference = b - a.
    c1, n1, c2, n2, low, high = map(np.array, zip(*NEWCOMBE_TABLE_II_METHOD_10))
    table = two_sample_by_option(c2, n2, c1, n1, options=["w", "x", "y", "z"])
    np.testing.assert_allclose(table["diff_ci_low"], low, atol=5e-5)
    np.testing.assert_allclose(table["diff_ci_high"], high, atol=5e-5)
    np.testing.assert_allclose(table["difference"], c1 / n1 - c2 / n2, rtol=1e-12)
    assert (table["diff_ci_method"] == DIFF_CI_METHOD).all()


def test_sign_convention_swapping_samples_negates_difference_interval_statistic_and_h():
    c1, n1, c2, n2, low, high = map(np.array, zip(*NEWCOMBE_TABLE_II_METHOD_10))
    a_first = two_sample_by_option(c1, n1, c2, n2, options=list("wxyz"))  # now b - a = p2 - p1
    np.testing.assert_allclose(a_first["difference"], c2 / n2 - c1 / n1, rtol=1e-12)
    np.testing.assert_allclose(a_first["diff_ci_low"], -high, atol=5e-5)
    np.testing.assert_allclose(a_first["diff_ci_high"], -low, atol=5e-5)
    # b has the larger share in the first row: positive difference, z and h
    row = two_sample_by_option([48], 80, [56], 70, options=["x"]).iloc[0]
    assert row["difference"] > 0 and row["statistic"] > 0 and row["cohens_h"] > 0
    assert row["diff_ci_low"] > 0


def test_score_test_is_pearson_chi_square_of_the_2x2_table():
    # second method: scipy's Pearson chi-square without Yates' correction on the same tables
    counts_a, counts_b = np.array([48, 3, 0, 17, 40]), np.array([56, 9, 5, 12, 40])
    n_a, n_b = np.array([80, 10, 29, 30, 100]), np.array([70, 10, 56, 31, 90])
    table = two_sample_by_option(counts_a, n_a, counts_b, n_b, options=list("vwxyz"))
    for i in range(5):
        observed = [[counts_a[i], n_a[i] - counts_a[i]], [counts_b[i], n_b[i] - counts_b[i]]]
        pearson = stats.chi2_contingency(observed, correction=False)
        assert table["p_value"][i] == pytest.approx(pearson.pvalue, rel=1e-9)
        assert table["statistic"][i] ** 2 == pytest.approx(pearson.statistic, rel=1e-9)
        direction = np.sign(counts_b[i] / n_b[i] - counts_a[i] / n_a[i])
        assert np.sign(table["statistic"][i]) == direction
    assert (table["test"] == TWO_SAMPLE_TEST).all()


def test_cohens_h_by_hand():
    row = two_sample_by_option([48], [80], [56], [70], options=["x"]).iloc[0]
    by_hand = 2 * math.asin(math.sqrt(56 / 70)) - 2 * math.asin(math.sqrt(48 / 80))
    assert row["cohens_h"] == pytest.approx(by_hand, rel=1e-12)
    assert row["cohens_h"] == pytest.approx(0.4421, abs=5e-5)


def test_holm_by_hand():
    # the helper on a hand-worked set: 0.01*3, max(0.03*2, 0.03), max(0.04*1, 0.06)
    assert holm_by_hand([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06], abs=1e-15)
    counts_a, counts_b = np.array([30, 20, 25, 40]), np.array([42, 28, 27, 52])
    table = two_sample_by_option(counts_a, 100, counts_b, 100, options=list("wxyz"))
    expected = holm_by_hand(table["p_value"].tolist())
    np.testing.assert_allclose(table["p_holm"], expected, rtol=1e-12)
    # statsmodels' default (Holm-Sidak) would differ: the test above can tell them apart
    sidak = multipletests(table["p_value"], method="hs")[1]
    assert np.abs(sidak - np.array(expected)).max() > 1e-4


def test_share_intervals_reuse_proportion_interval_and_wilson_closed_form():
    table = two_sample_by_option([15, 0], [148, 20], [1, 7], [29, 20], options=["x", "y"])
    low, high = proportion_interval(np.array([15, 0]), np.array([148, 20]))
    np.testing.assert_allclose(table["ci_low_a"], low)
    np.testing.assert_allclose(table["ci_high_a"], high)
    # Newcombe (1998a) Table I, Wilson: 15/148 -> 0.0624 to 0.1605; 1/29 -> 0.0061 to 0.1718
    assert table["ci_low_a"][0] == pytest.approx(0.0624, abs=5e-5)
    assert table["ci_high_b"][0] == pytest.approx(0.1718, abs=5e-5)
    cp = two_sample_by_option([15], 148, [1], 29, options=["x"], interval_method="clopper-pearson")
    assert cp["ci_low_a"][0] == pytest.approx(0.0578, abs=5e-5)  # Newcombe Table I, method 5


def test_columns_dtypes_and_scalar_or_per_option_bases():
    table = two_sample_by_option([3, 4], 10, [5, 6], [12, 14], options=["x", "y"], conf_level=0.9)
    assert list(table.columns) == list(COMPARE_COLUMNS)
    assert table["n_a"].tolist() == [10, 10] and table["n_b"].tolist() == [12, 14]
    for column in ("n_a", "count_a", "n_b", "count_b"):
        assert table[column].dtype == np.int64
    assert (table["conf_level"] == 0.9).all()
    wider = two_sample_by_option([3, 4], 10, [5, 6], [12, 14], options=["x", "y"], conf_level=0.99)
    assert (wider["diff_ci_high"] - wider["diff_ci_low"] > table["diff_ci_high"] - table["diff_ci_low"]).all()


def test_degenerate_rows_give_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = two_sample_by_option(
            [0, 5, 0, 10, 3], [0, 10, 10, 10, 10], [2, 0, 0, 20, 4], [4, 0, 20, 20, 10], options=list("vwxyz")
        )
    # v: empty base in a, w: empty base in b
    for i in (0, 1):
        row = table.iloc[i]
        blank = ["difference", "diff_ci_low", "diff_ci_high", "statistic", "p_value", "p_holm", "cohens_h"]
        assert np.isnan(row[blank].astype(float)).all()
    assert np.isnan(table["share_a"][0]) and table["share_b"][0] == 0.5
    # x: both 0, y: both 1 -> no test, but a difference of 0 with its interval and h = 0
    for i in (2, 3):
        row = table.iloc[i]
        assert np.isnan(row["statistic"]) and np.isnan(row["p_value"]) and np.isnan(row["p_holm"])
        assert row["difference"] == 0 and row["cohens_h"] == 0
        assert row["diff_ci_low"] < 0 < row["diff_ci_high"]
    # z is the only testable row: Holm over one p-value leaves it unchanged
    assert table["p_holm"][4] == table["p_value"][4]


@pytest.mark.parametrize(
    "kwargs, text",
    [
        ({"counts_a": [11], "n_a": 10}, "exceed the base"),
        ({"counts_a": [2.5], "n_a": 10}, "integer"),
        ({"counts_a": [-1], "n_a": 10}, "integer"),
        ({"counts_a": [1, 2], "n_a": 10}, "options"),
        ({"counts_a": [1], "n_a": [10, 10]}, "options"),
        ({"conf_level": 1.0}, "conf_level"),
        ({"interval_method": "exact"}, "unknown interval method"),
    ],
)
def test_two_sample_validation(kwargs, text):
    arguments = {"counts_a": [1], "n_a": 10, "counts_b": [2], "n_b": 10, "options": ["x"]} | kwargs
    with pytest.raises(ValueError, match=text):
        two_sample_by_option(**arguments)


# ----------------------------------------------------------------------------------------------
# single-choice question: homogeneity


def exact_permutation_p(table: np.ndarray) -> float:
    """Exact p-value of Pearson's X2 for a 2 x c table given its margins (hypergeometric)."""
    table = np.asarray(table)
    col = table.sum(axis=0)
    r1, n = int(table[0].sum()), int(table.sum())

    def x2(first_row):
        full = np.array([first_row, col - np.array(first_row)], dtype=float)
        expected = np.outer(full.sum(axis=1), col) / n
        return ((full - expected) ** 2 / expected).sum()

    observed = x2(table[0])
    p = 0.0
    for first in itertools.product(*(range(int(c) + 1) for c in col)):
        if sum(first) != r1:
            continue
        weight = math.prod(math.comb(int(c), x) for c, x in zip(col, first)) / math.comb(n, r1)
        if x2(first) >= observed * (1 - 1e-12):
            p += weight
    return p


def test_homogeneity_statistic_and_cramers_v_by_hand():
    # margins: rows 50, 50; columns 30, 40, 30; n = 100 -> every expected count 15, 20, 15.
    # X2 = 2 (5^2/15 + 5^2/20 + 0) = 35/6; df = 2; P(chi2_2 >= x) = exp(-x/2);
    # V = sqrt(X2 / (100 * min(2 - 1, 3 - 1))).
    table = pd.DataFrame([[20, 15, 15], [10, 25, 15]], index=["2016", "2018"], columns=["p", "q", "r"])
    result = homogeneity_test(table, seed=1)
    assert result["statistic"] == pytest.approx(35 / 6, rel=1e-12)
    assert result["df"] == 2
    assert result["p_value"] == pytest.approx(math.exp(-35 / 12), rel=1e-9)
    assert result["cramers_v"] == pytest.approx(math.sqrt(35 / 6 / 100), rel=1e-12)
    assert result["min_expected"] == 15
    assert result["test"] == "Pearson chi-square (asymptotic)"
    assert result["dropped_options"] == []


def test_homogeneity_drops_unchosen_options_and_says_so():
    table = pd.DataFrame([[20, 0, 15, 15], [10, 0, 25, 15]], columns=["p", "never", "q", "r"])
    result = homogeneity_test(table, seed=1)
    assert result["dropped_options"] == ["never"]
    assert result["statistic"] == pytest.approx(35 / 6, rel=1e-12) and result["df"] == 2
    plain = homogeneity_test(np.array([[0, 4, 6], [0, 7, 3]]), seed=1, min_expected=0)
    assert plain["dropped_options"] == [0] and plain["df"] == 1
    # the 2 x 2 left, without Yates' correction: 20 (4*3 - 6*7)^2 / (10 * 10 * 11 * 9) = 20/11
    assert plain["statistic"] == pytest.approx(20 / 11, rel=1e-12)


def test_homogeneity_monte_carlo_when_expected_small_and_reproducible():
    table = np.array([[5, 2, 1], [1, 3, 4]])  # n = 16, smallest expected count 2.5
    result = homogeneity_test(table, seed=11)
    assert result["test"] == "Pearson chi-square (Monte Carlo, 9999 resamples, seed 11)"
    assert result["min_expected"] == pytest.approx(2.5)
    assert result["df"] == 2
    again = homogeneity_test(table, seed=11)
    assert again["p_value"] == result["p_value"]
    other = homogeneity_test(table, seed=12)
    assert other["p_value"] != result["p_value"]
    # against the exact permutation p-value enumerated here (Monte Carlo SE about 0.005)
    exact = exact_permutation_p(table)
    assert result["p_value"] == pytest.approx(exact, abs=0.015)
    assert other["p_value"] == pytest.approx(exact, abs=0.015)
    # and it is not the asymptotic p-value, which is visibly off for this table
    asymptotic = stats.chi2.sf(result["statistic"], 2)
    assert abs(asymptotic - exact) > 0.015
    fewer = homogeneity_test(table, seed=11, n_resamples=99)
    assert fewer["test"] == "Pearson chi-square (Monte Carlo, 99 resamples, seed 11)"
    assert (fewer["p_value"] * 100) == pytest.approx(round(fewer["p_value"] * 100))  # (1 + k) / 100


def test_homogeneity_asymptotic_close_to_monte_carlo_on_a_large_table():
    table = np.array([[120, 95, 60, 25], [110, 105, 52, 33], [100, 112, 58, 30]])
    asymptotic = homogeneity_test(table, seed=3)
    assert asymptotic["test"] == "Pearson chi-square (asymptotic)"
    assert 0.05 < asymptotic["p_value"] < 0.95  # a p-value in the body, where they can be compared
    monte_carlo = homogeneity_test(table, seed=3, min_expected=np.inf)
    assert monte_carlo["test"].startswith("Pearson chi-square (Monte Carlo")
    assert monte_carlo["statistic"] == asymptotic["statistic"]
    assert monte_carlo["p_value"] == pytest.approx(asymptotic["p_value"], abs=0.015)


def test_homogeneity_degenerate_and_invalid_input():
    result = homogeneity_test(np.array([[0, 5], [0, 7]]), seed=1)
    assert np.isnan(result["statistic"]) and np.isnan(result["p_value"]) and np.isnan(result["cramers_v"])
    assert "not testable" in result["test"] and result["dropped_options"] == [0]
    for table, text in [
        (np.array([[1, 2, 3]]), "two groups"),
        (np.array([[1, 2], [0, 0]]), "no respondents"),
        (np.array([[1, -2], [1, 1]]), "integer"),
        (np.array([[1.5, 2], [1, 1]]), "integer"),
    ]:
        with pytest.raises(ValueError, match=text):
            homogeneity_test(table, seed=1)
    with pytest.raises(ValueError, match="seed"):
        homogeneity_test(np.array([[1, 2], [2, 1]]), seed=None)
    with pytest.raises(ValueError, match="min_expected"):
        homogeneity_test(np.array([[1, 2], [2, 1]]), seed=1, min_expected=-1)
    with pytest.raises(ValueError, match="n_resamples"):
        homogeneity_test(np.array([[1, 2], [2, 1]]), seed=1, n_resamples=0)


# ----------------------------------------------------------------------------------------------
# tick-all question: Bilder-Loughin MMI

# 2 groups x 5 respondents; options 1-3 vary, "none" is ticked by nobody, "all" by everybody.
HAND_A = np.array([[1, 1, 0, 0, 1], [1, 0, 0, 0, 1], [1, 1, 0, 0, 1], [1, 0, 1, 0, 1], [0, 0, 1, 0, 1]])
HAND_B = np.array([[1, 0, 1, 0, 1], [0, 1, 1, 0, 1], [0, 0, 1, 0, 1], [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]])
HAND_OPTIONS = ["o1", "o2", "o3", "none", "all"]


def test_mmi_statistic_per_option_and_bonferroni_by_hand():
    # 2 x 2 tables [[ticked_a, not_a], [ticked_b, not_b]], X2 = n (ad - bc)^2 / (r1 r2 c1 c2):
    # o1: [[4, 1], [1, 4]] -> 10 * 15^2 / (5 * 5 * 5 * 5) = 3.6
    # o2: [[2, 3], [3, 2]] -> 10 * 5^2 / 625 = 0.4
    # o3: [[2, 3], [4, 1]] -> 10 * 10^2 / (5 * 5 * 6 * 4) = 5/3
    x2 = [3.6, 0.4, 5 / 3]
    result = mmi_test([HAND_A, HAND_B], B=0, seed=1, options=HAND_OPTIONS)
    assert result["test"] == MMI_TEST
    assert result["dropped_options"] == ["none", "all"]
    per_option = result["per_option"]
    assert list(per_option.columns) == ["option", "X2", "p"]
    assert per_option["option"].tolist() == ["o1", "o2", "o3"]
    np.testing.assert_allclose(per_option["X2"], x2, rtol=1e-12)
    np.testing.assert_allclose(per_option["p"], [chi2_1_sf(x) for x in x2], rtol=1e-9)
    assert result["statistic"] == pytest.approx(3.6 + 0.4 + 5 / 3, rel=1e-12)
    # Bonferroni over the 3 options tested: 3 * P(chi2_1 >= 3.6)
    assert result["p_bonferroni"] == pytest.approx(3 * chi2_1_sf(3.6), rel=1e-9)
    assert np.isnan(result["p_bootstrap"]) and result["B"] == 0 and result["seed"] == 1
    # scipy on each option's table agrees (a second method)
    for j, expected in enumerate(x2):
        table = [[HAND_A[:, j].sum(), 5 - HAND_A[:, j].sum()], [HAND_B[:, j].sum(), 5 - HAND_B[:, j].sum()]]
        assert stats.chi2_contingency(table, correction=False).statistic == pytest.approx(expected)


def rs2_appendix_a(groups: list[np.ndarray]) -> tuple[float, float]:
    """(X2_RS2, df) transcribed literally from Bilder & Loughin (2004), Appendix A, as coded in
    the authors' R package MRCV (MMI.test, type "rs2"): 2^c response patterns, per-group
    multinomial covariance V, G = I_r (x) G~, H = I_rc - (J_rr A) (x) I_c,
    D = diag(n / n_i) (x) diag(pi (1 - pi)), eigenvalues of D^-1 H G V G' H'."""
    r, c = len(groups), groups[0].shape[1]
    sizes = np.array([len(g) for g in groups], dtype=float)
    n = sizes.sum()
    patterns = np.array(list(itertools.product([0, 1], repeat=c)), dtype=float)  # 2^c x c
    tau = []
    for g in groups:
        counts = np.array([(g == pattern).all(axis=1).sum() for pattern in patterns], dtype=float)
        tau.append(counts / len(g))
    a = sizes / n
    G = np.kron(np.eye(r), patterns.T)
    pi = np.vstack(groups).mean(axis=0)
    H = np.eye(r * c) - np.kron(np.ones((r, r)) @ np.diag(a), np.eye(c))
    D = np.kron(np.diag(n / sizes), np.diag(pi * (1 - pi)))
    V = np.zeros((r * 2**c, r * 2**c))
    for i in range(r):
        block = slice(i * 2**c, (i + 1) * 2**c)
        V[block, block] = (np.diag(tau[i]) - np.outer(tau[i], tau[i])) / a[i]
    eigenvalues = np.linalg.eigvals(np.linalg.inv(D) @ H @ G @ V @ G.T @ H.T).real
    x2_s = 0.0
    for j in range(c):
        table = np.array([[g[:, j].sum(), len(g) - g[:, j].sum()] for g in groups])
        x2_s += stats.chi2_contingency(table, correction=False).statistic
    sum_sq = (eigenvalues**2).sum()
    return (r - 1) * c * x2_s / sum_sq, (r - 1) ** 2 * c**2 / sum_sq


def test_rs2_matches_a_transcription_of_appendix_a():
    rng = np.random.default_rng(5)
    # three groups with different correlation structures and slightly different shares
    latent = [rng.random((n, 1)) for n in (40, 55, 35)]
    groups = [
        (rng.random((40, 4)) < 0.2 + 0.5 * latent[0]).astype(int),
        (rng.random((55, 4)) < np.array([0.3, 0.4, 0.5, 0.3])).astype(int),
        (rng.random((35, 4)) < 0.1 + 0.7 * (latent[2] > 0.5)).astype(int),
    ]
    result = mmi_test(groups, B=0, seed=1)
    statistic, df = rs2_appendix_a(groups)
    assert result["rs2_statistic"] == pytest.approx(statistic, rel=1e-9)
    assert result["rs2_df"] == pytest.approx(df, rel=1e-9)
    assert result["p_rs2"] == pytest.approx(stats.chi2.sf(statistic, df), rel=1e-9)


def test_rs2_reduces_to_correlation_matrix_form_when_groups_share_one_pattern_distribution():
    # identical groups: lambda = eigenvalues of the options' correlation matrix R, each G-1 times,
    # so df = ((G-1) J)^2 / ((G-1) sum R_jk^2) = (G-1) J^2 / sum R_jk^2, and X2_S = 0.
    rng = np.random.default_rng(8)
    z = rng.random((60, 1))
    base = (rng.random((60, 4)) < 0.15 + 0.6 * z).astype(int)
    correlation = np.corrcoef(base, rowvar=False)
    for n_groups in (2, 3):
        result = mmi_test([base] * n_groups, B=0, seed=1)
        assert result["statistic"] == pytest.approx(0, abs=1e-12)
        assert result["rs2_df"] == pytest.approx((n_groups - 1) * 16 / (correlation**2).sum(), rel=1e-9)
        assert result["p_rs2"] == pytest.approx(1.0)


def correlated_ticks(rng: np.random.Generator, n: int, shares_low: float, shares_high: float, j: int) -> np.ndarray:
    """Tick vectors correlated through a latent 'active respondent' indicator (probability 1/2)."""
    active = rng.random((n, 1)) < 0.5
    return (rng.random((n, j)) < np.where(active, shares_high, shares_low)).astype(int)


def test_rs2_holds_its_level_under_h0_while_a_naive_mentions_chi_square_does_not():
    rng = np.random.default_rng(2018)
    rs2, mentions = [], []
    for _ in range(300):
        groups = [correlated_ticks(rng, 150, 0.05, 0.85, 6), correlated_ticks(rng, 150, 0.05, 0.85, 6)]
        rs2.append(mmi_test(groups, B=0, seed=1)["p_rs2"] < 0.05)
        table_of_mentions = np.stack([g.sum(axis=0) for g in groups])  # groups x options, ticks
        mentions.append(stats.chi2_contingency(table_of_mentions, correction=False).pvalue < 0.05)
    assert 0.02 <= np.mean(rs2) <= 0.09
    # the mentions table counts a respondent up to 6 times: here it almost never rejects (far too
    # conservative; with other correlation structures it can reject too often)
    assert not 0.02 <= np.mean(mentions) <= 0.09


def simulate_null_x2s(pooled: np.ndarray, sizes: list[int], n_sim: int, rng: np.random.Generator) -> np.ndarray:
    """X2_S under H0 by direct simulation: groups drawn from the pooled pattern distribution,
    each option's G x 2 table summed cell by cell as (O - E)^2 / E (written apart from the module)."""
    n = len(pooled)
    out = np.empty(n_sim)
    for start in range(0, n_sim, 1000):
        m = min(1000, n_sim - start)
        drawn = pooled.astype(np.int8)[rng.integers(0, n, size=(m, n))]  # m x n x J
        ticked = np.stack([part.sum(axis=1) for part in np.split(drawn, np.cumsum(sizes)[:-1], axis=1)], axis=1)
        total = ticked.sum(axis=1, keepdims=True)  # m x 1 x J
        x2 = np.zeros((m, pooled.shape[1]))
        for g, size in enumerate(sizes):
            for observed, column in ((ticked[:, g], total[:, 0]), (size - ticked[:, g], n - total[:, 0])):
                expected = size * column / n
                x2 += np.where(expected > 0, (observed - expected) ** 2 / np.where(expected > 0, expected, 1), 0)
        out[start : start + m] = x2.sum(axis=1)
    return out


def test_rs2_and_bootstrap_agree_with_direct_simulation_of_the_null():
    rng = np.random.default_rng(7)
    shift = np.array([0, 0, 0.06, 0.06, 0])
    groups = [correlated_ticks(rng, 200, 0.1, 0.7, 5), correlated_ticks(rng, 200, 0.1 + shift, 0.7 + shift, 5)]
    result = mmi_test(groups, B=4999, seed=3)
    assert 0.02 < result["p_rs2"] < 0.6  # a p-value in the range where the comparison means something
    simulated = simulate_null_x2s(np.vstack(groups), [200, 200], 10_000, np.random.default_rng(99))
    tail = np.mean(simulated >= result["statistic"])
    assert result["p_rs2"] == pytest.approx(tail, abs=0.025)
    assert result["p_bootstrap"] == pytest.approx(tail, abs=0.02)
    # the two moments RS2 matches: E X2_S = (G-1) J = sum lambda; Var X2_S = 2 sum lambda^2,
    # with sum lambda^2 = ((G-1) J)^2 / rs2_df
    assert simulated.mean() == pytest.approx(5, rel=0.05)
    assert simulated.var() == pytest.approx(2 * 25 / result["rs2_df"], rel=0.1)
    # the naive reference distribution chi2((G-1) J) has variance 2 J = 10, far off
    assert simulated.var() > 12


def test_bootstrap_reproducible_with_seed_and_fast():
    rng = np.random.default_rng(4)
    groups = [correlated_ticks(rng, 300, 0.1, 0.6, 6), correlated_ticks(rng, 300, 0.1, 0.6, 6)]
    mmi_test(groups, B=10, seed=1)  # warm-up (first calls of numpy / scipy routines)
    start = time.perf_counter()
    first = mmi_test(groups, B=9999, seed=2016)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert first["B"] == 9999 and first["seed"] == 2016
    assert 0 < first["p_bootstrap"] <= 1
    assert first["p_bootstrap"] * 10000 == pytest.approx(round(first["p_bootstrap"] * 10000))  # (1 + k) / (B + 1)
    again = mmi_test(groups, B=9999, seed=2016)
    assert again["p_bootstrap"] == first["p_bootstrap"]
    other = mmi_test(groups, B=9999, seed=2018)
    assert other["p_bootstrap"] != first["p_bootstrap"]
    assert other["p_bootstrap"] == pytest.approx(first["p_bootstrap"], abs=0.03)


def test_bootstrap_counts_ties_with_the_observed_statistic():
    # identical groups: X2_S = 0 and every resample has X2_S* >= 0, so p = 1 exactly
    base = np.array([[1, 0], [0, 1], [1, 1], [1, 0]])
    result = mmi_test([base, base], B=199, seed=1)
    assert result["p_bootstrap"] == 1.0


def test_mmi_all_options_dropped_and_invalid_input():
    result = mmi_test([np.ones((3, 2)), np.ones((4, 2))], B=10, seed=1, options=["x", "y"])
    assert result["dropped_options"] == ["x", "y"] and result["per_option"].empty
    assert np.isnan(result["statistic"]) and np.isnan(result["p_rs2"]) and np.isnan(result["p_bootstrap"])
    good = np.array([[1, 0], [0, 1]])
    for groups, kwargs, text in [
        ([good], {}, "at least two"),
        ([good, np.array([[1, 0, 1]])], {}, "same number"),
        ([good, np.zeros((0, 2))], {}, "no respondents"),
        ([good, np.array([[1, 2]])], {}, "0/1"),
        ([good, np.array([[1, np.nan]])], {}, "0/1"),
        ([good, good[0]], {}, "two-dimensional"),
        ([good, good], {"options": ["x"]}, "option labels"),
        ([good, good], {"B": -1}, "B must be"),
        ([good, good], {"seed": None}, "seed"),
    ]:
        arguments = {"B": 0, "seed": 1} | kwargs
        with pytest.raises(ValueError, match=text):
            mmi_test(groups, **arguments)
