"""Tests of netclean_survey.weights.homogeneity, the design-based test of a question across weighted
waves: against R's survey package (``svychisq`` for one table, and the same algebra in R on
``svymean``'s covariance for the options of a tick-all question together; live where R's survey
package is on the machine or can be installed, skipped with the reason otherwise), against scipy's
Pearson statistic with equal weights, and by properties worked by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from netclean_survey.compare.independent import mmi_test
from netclean_survey.weights.homogeneity import RAO_SCOTT_TEST, WEIGHTED_MMI_TEST, rao_scott_test

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402


def two_waves(seed: int, n_a: int = 150, n_b: int = 90):
    rng = np.random.default_rng(seed)
    wave = np.array(["2016"] * n_a + ["2018"] * n_b)
    weights = np.round(rng.lognormal(0, 0.6, n_a + n_b), 4)
    return rng, wave, weights


def single_answers(rng, n_a: int, n_b: int, options: int = 4) -> np.ndarray:
    chosen = np.concatenate([rng.choice(options, n_a, p=[0.4, 0.3, 0.2, 0.1][:options]),
                             rng.choice(options, n_b, p=[0.3, 0.3, 0.3, 0.1][:options])])
    return np.eye(options)[chosen]


def tick_answers(rng, n: int) -> np.ndarray:
    ticks = (rng.random((n, 3)) < [0.3, 0.5, 0.6]).astype(float)
    ticks[:, 1] = np.where(rng.random(n) < 0.5, ticks[:, 0], ticks[:, 1])  # correlated options
    return ticks


def r_values(script: str) -> list[float]:
    done = subprocess.run(["Rscript", "-e", "suppressMessages(library(survey)); " + script], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [float(v) for v in done.stdout.split()]


@pytest.fixture(scope="module")
def r_survey():
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)


def design(path: Path) -> str:
    return f'x <- read.csv("{path}"); d <- svydesign(ids = ~1, strata = ~wave, weights = ~w, data = x); '


def svychisq_values(formula: str) -> str:
    return (f't <- svychisq({formula}, d); cat(sprintf("%.15g", c(t$statistic, t$parameter, t$p.value)), "\\n"); ')


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_single_choice_question_is_svychisq(seed, r_survey, tmp_path):
    rng, wave, weights = two_waves(seed)
    answers = single_answers(rng, 150, 90)
    path = tmp_path / "single.csv"
    pd.DataFrame({"wave": wave, "y": answers.argmax(axis=1), "w": weights}).to_csv(path, index=False)
    f, ndf, ddf, p = r_values(design(path) + svychisq_values("~wave + y"))
    ours = rao_scott_test(answers, wave, weights, "single", ["a", "b", "c", "d"])
    assert ours["test"] == RAO_SCOTT_TEST
    assert ours["f_statistic"] == pytest.approx(f, rel=1e-9) and ours["p_value"] == pytest.approx(p, rel=1e-7)
    assert ours["ndf"] == pytest.approx(ndf, rel=1e-9) and ours["ddf"] == pytest.approx(ddf, rel=1e-9)


@pytest.mark.parametrize("seed", [4, 5])
def test_a_tick_all_question_each_option_is_svychisq_and_together_the_same_algebra_in_r(seed, r_survey, tmp_path):
    rng, wave, weights = two_waves(seed)
    ticks = tick_answers(rng, len(wave))
    path = tmp_path / "multi.csv"
    pd.DataFrame({"wave": wave, "w": weights, "t1": ticks[:, 0].astype(int), "t2": ticks[:, 1].astype(int),
                  "t3": ticks[:, 2].astype(int)}).to_csv(path, index=False)
    each = r_values(design(path) + "".join(svychisq_values(f"~wave + t{j}") for j in (1, 2, 3)))
    # the options together, written in R from survey's own pieces: svymean's covariance of every
    # option's wave x ticked cells, svychisq's contrasts (qr.resid) per option, block-diagonal
    together = r_values(design(path) + """
        cells <- lapply(c("t1", "t2", "t3"), function(v) model.matrix(~interaction(factor(wave), factor(x[[v]])) - 1, x))
        mm <- do.call(cbind, cells); colnames(mm) <- paste0("c", seq_len(ncol(mm)))
        m <- svymean(mm, d); V <- vcov(m); N <- nrow(mm)
        g <- expand.grid(rows = 1:2, cols = 1:2)
        X1 <- model.matrix(~factor(rows) + factor(cols), g); X12 <- model.matrix(~factor(rows) * factor(cols), g)
        C1 <- qr.resid(qr(X1), X12[, -(1:3), drop = FALSE])
        C <- as.matrix(Matrix::bdiag(C1, C1, C1))
        iD <- diag(ifelse(coef(m) == 0, 0, 1 / coef(m)))
        Delta <- solve(t(C) %*% (iD / N) %*% C, t(C) %*% iD %*% V %*% iD %*% C)
        X2 <- sum(sapply(1:3, function(j) suppressWarnings(chisq.test(matrix(N * coef(m)[(4 * j - 3):(4 * j)], 2),
                                                                      correct = FALSE)$statistic)))
        d0 <- sum(diag(Delta))^2 / sum(diag(Delta %*% Delta)); F <- X2 / sum(diag(Delta))
        cat(sprintf("%.15g", c(X2, F, d0, d0 * degf(d), pf(F, d0, d0 * degf(d), lower.tail = FALSE))), "\\n")""")
    ours = rao_scott_test(ticks, wave, weights, "multi", ["t1", "t2", "t3"])
    assert ours["test"] == WEIGHTED_MMI_TEST
    for j, row in ours["per_option"].iterrows():
        f, ndf, ddf, p = each[4 * j:4 * j + 4]
        assert row["F"] == pytest.approx(f, rel=1e-9) and row["p"] == pytest.approx(p, rel=1e-7)
        assert row["ndf"] == pytest.approx(ndf) and row["ddf"] == pytest.approx(ddf)
    x2, f, ndf, ddf, p = together
    assert ours["statistic"] == pytest.approx(x2, rel=1e-9) and ours["f_statistic"] == pytest.approx(f, rel=1e-9)
    assert ours["ndf"] == pytest.approx(ndf, rel=1e-9) and ours["ddf"] == pytest.approx(ddf, rel=1e-9)
    assert ours["p_value"] == pytest.approx(p, rel=1e-7)
    assert ours["p_bonferroni"] == pytest.approx(min(1.0, 3 * min(each[3::4])), rel=1e-7)


def test_with_equal_weights_the_statistic_is_pearsons_and_bilder_loughins():
    rng, wave, _ = two_waves(7)
    ones = np.ones(len(wave))
    answers = single_answers(rng, 150, 90)
    table = np.vstack([answers[:150].sum(axis=0), answers[150:].sum(axis=0)])
    assert rao_scott_test(answers, wave, ones, "single")["statistic"] == pytest.approx(
        chi2_contingency(table, correction=False).statistic, rel=1e-12)
    ticks = tick_answers(rng, len(wave))
    assert rao_scott_test(ticks, wave, ones, "multi")["statistic"] == pytest.approx(
        mmi_test([ticks[:150], ticks[150:]], B=0, seed=1)["statistic"], rel=1e-12)


def test_an_option_ticked_twice_over_is_one_option():
    """Two identical options: X2_S doubles, and so do the design effects' sum and (squared) their
    squares' sum, so F, its degrees of freedom and p are those of the option alone. A test that
    ignored the correlation between options would double the degrees of freedom instead."""
    rng, wave, weights = two_waves(8)
    ticks = tick_answers(rng, len(wave))[:, :1]
    alone = rao_scott_test(ticks, wave, weights, "multi")
    twice = rao_scott_test(np.hstack([ticks, ticks]), wave, weights, "multi")
    assert twice["statistic"] == pytest.approx(2 * alone["statistic"], rel=1e-12)
    for key in ("f_statistic", "ndf", "ddf", "p_value"):
        assert twice[key] == pytest.approx(alone[key], rel=1e-9)


def test_an_option_chosen_by_nobody_is_left_out_and_a_lone_option_is_not_testable():
    rng, wave, weights = two_waves(9)
    answers = np.hstack([single_answers(rng, 150, 90),
                         np.zeros((240, 1))])
    result = rao_scott_test(answers, wave, weights, "single", ["a", "b", "c", "d", "never"])
    assert result["dropped_options"] == ["never"] and np.isfinite(result["p_value"])
    lone = rao_scott_test(np.eye(2)[np.zeros(240, dtype=int)], wave, weights, "single", ["a", "b"])
    assert np.isnan(lone["p_value"]) and lone["dropped_options"] == ["b"]
    everyone = rao_scott_test(np.ones((240, 2)), wave, weights, "multi", ["x", "y"])
    assert np.isnan(everyone["p_value"]) and everyone["dropped_options"] == ["x", "y"]


@pytest.mark.parametrize("weights, message", [
    (np.r_[np.ones(239), 0.0], "positive"),
    (np.ones(10), "one wave and one weight"),
])
def test_bad_weights_are_refused(weights, message):
    _, wave, _ = two_waves(10)
    with pytest.raises(ValueError, match=message):
        rao_scott_test(np.eye(2)[np.arange(240) % 2], wave, weights, "single")


def test_a_wave_of_one_respondent_is_refused():
    with pytest.raises(ValueError, match="two waves of at least two respondents"):
        rao_scott_test(np.eye(2)[[0, 1, 0]], ["a", "a", "b"], [1.0, 1.0, 1.0], "single")
