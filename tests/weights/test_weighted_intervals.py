"""Tests of netclean_survey.weights.intervals against R's survey package.

Two references: numbers R 4 with survey 4.1.1 printed for a fixed sample of 40 respondents
(recorded below with the R code that made them, so the check runs everywhere), and, where Rscript
with the survey package is on the machine, a live run of ``svyciprop`` on seeded random samples
(skipped with the reason otherwise). Kish's figures are worked by hand.
"""

from __future__ import annotations

import math
import shutil
import subprocess

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from netclean_survey.weights.intervals import (
    kish_design_effect,
    kish_effective_n,
    korn_graubard_interval,
    logit_interval,
    weighted_share,
)

Y = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1,
     0, 0, 0, 1, 0, 0, 0, 0, 1, 0]
W = [1.2, 0.8, 2.5, 1.0, 0.6, 1.9, 0.7, 1.1, 3.0, 0.9, 1.4, 0.5, 2.2, 1.0, 0.8, 1.6, 1.3, 0.7, 2.8, 1.0,
     0.9, 1.5, 0.6, 2.0, 1.1, 0.8, 1.7, 1.2, 0.5, 2.4, 1.0, 1.3, 0.9, 0.6, 2.1, 1.4, 0.8, 1.0, 1.8, 0.7]

# R: d <- svydesign(ids = ~1, weights = ~w, data = data.frame(y, w)); m <- svymean(~y, d);
#    coef(m), vcov(m); attr(svyciprop(~y, d, method = "beta" | "logit", level = 0.95 | 0.9), "ci")
R_SHARE, R_VARIANCE = 0.315789473684211, 7.252984072520180e-03
R_INTERVALS = {
    ("beta", 0.95): (0.158836364947160, 0.511001706805573),
    ("logit", 0.95): (0.172152132455305, 0.506017471776630),
    ("beta", 0.90): (0.178559187597333, 0.482099356810916),
    ("logit", 0.90): (0.191964142692656, 0.472756523815062),
}
METHODS = {"beta": korn_graubard_interval, "logit": logit_interval}


def test_the_weighted_share_and_its_variance_are_rs():
    p, v = weighted_share(Y, W)
    assert p == pytest.approx(R_SHARE, abs=1e-14)
    assert v == pytest.approx(R_VARIANCE, rel=1e-12)


@pytest.mark.parametrize("method, level", list(R_INTERVALS))
def test_the_intervals_are_rs_svyciprop(method, level):
    low, high = METHODS[method](Y, W, level)
    r_low, r_high = R_INTERVALS[(method, level)]
    assert abs(low - r_low) < 1e-9 and abs(high - r_high) < 1e-9


def test_korn_graubard_with_equal_weights_is_clopper_pearson_with_one_trial_less():
    # equal weights: v = p (1 - p) / (n - 1), so the effective n is n - 1 and its count (n - 1) p
    y = [1] * 7 + [0] * 23
    low, high = korn_graubard_interval(y, [2.0] * 30)
    n_eff = 29
    cp = proportion_confint(n_eff * 7 / 30, n_eff, alpha=0.05, method="beta")
    assert low == pytest.approx(cp[0], abs=1e-12) and high == pytest.approx(cp[1], abs=1e-12)


def test_a_share_of_zero_has_no_interval_as_in_r():
    assert all(math.isnan(x) for x in korn_graubard_interval([0, 0, 0], [1.0, 2.0, 3.0]))
    assert all(math.isnan(x) for x in logit_interval([1, 1], [1.0, 2.0]))


def test_kish_by_hand():
    assert kish_effective_n([1, 1, 2, 2]) == pytest.approx(36 / 10)
    assert kish_design_effect([1, 1, 2, 2]) == pytest.approx(4 / 3.6)
    assert kish_design_effect([3.0] * 10) == pytest.approx(1.0)
    assert kish_effective_n([3.0] * 10) == pytest.approx(10.0)


@pytest.mark.parametrize("values, weights, message", [
    ([1, 0], [1.0], "one 0/1 value"), ([1], [1.0], "at least two"), ([1, 2], [1.0, 1.0], "0 or 1"),
    ([1, 0], [1.0, 0.0], "positive"), ([1, 0], [1.0, float("nan")], "positive"),
])
def test_bad_input_is_refused(values, weights, message):
    with pytest.raises(ValueError, match=message):
        weighted_share(values, weights)


def _r_survey() -> str | None:
    """Why R's survey package cannot be run here, or None when it can."""
    if shutil.which("Rscript") is None:
        return "Rscript is not installed (Debian: apt-get install r-base-core r-cran-survey)"
    probe = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True, text=True)
    return None if probe.returncode == 0 else "R has no survey package (Debian: apt-get install r-cran-survey)"


@pytest.mark.skipif(_r_survey() is not None, reason=str(_r_survey()))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_against_r_survey_live(seed, tmp_path):
    rng = np.random.default_rng(seed)
    n = 200
    y = (rng.random(n) < [0.05, 0.3, 0.6][seed - 1]).astype(int)
    w = np.round(rng.lognormal(0.0, 0.6, n), 4)
    data = tmp_path / "sample.csv"
    data.write_text("y,w\n" + "".join(f"{a},{b!r}\n" for a, b in zip(y.tolist(), w.tolist())), encoding="utf-8")
    script = (f'suppressMessages(library(survey)); x <- read.csv("{data}"); '
              'd <- svydesign(ids = ~1, weights = ~w, data = x); '
              'for (m in c("beta", "logit")) cat(sprintf("%.15f", attr(svyciprop(~y, d, method = m), "ci")), "\\n")')
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True).stdout.split("\n")
    for line, method in zip(out, ("beta", "logit")):
        r_low, r_high = (float(x) for x in line.split())
        low, high = METHODS[method](y, w)
        assert abs(low - r_low) < 1e-6 and abs(high - r_high) < 1e-6, (method, low, high, r_low, r_high)
