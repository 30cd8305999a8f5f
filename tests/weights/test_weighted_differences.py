"""Tests of netclean_survey.weights.differences against R's survey package: the two samples as the
strata of one design, svyby + svycontrast (live where R's survey package is on the machine or can
be installed, skipped with the reason otherwise), and by hand with equal weights."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netclean_survey.weights.differences import weighted_difference

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import against_r  # noqa: E402


def test_equal_weights_by_hand():
    # 3 of 10 and 6 of 12: v = p (1 - p) / (n - 1) for equal weights
    a, b = [1] * 3 + [0] * 7, [1] * 6 + [0] * 6
    result = weighted_difference(a, [2.0] * 10, b, [0.5] * 12)
    se = math.sqrt(0.3 * 0.7 / 9 + 0.5 * 0.5 / 11)
    assert result["difference"] == pytest.approx(0.2) and result["se"] == pytest.approx(se)
    assert result["ci_low"] == pytest.approx(0.2 - 1.959963984540054 * se)
    assert result["p_value"] == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(0.2 / se / math.sqrt(2)))))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_difference_agrees_with_r_svycontrast(seed, tmp_path):
    reason = against_r.r_unavailable()
    if reason:
        pytest.skip(reason)
    rng = np.random.default_rng(seed)
    n_a, n_b = 180, 240
    y_a, y_b = (rng.random(n_a) < 0.3).astype(int), (rng.random(n_b) < 0.4).astype(int)
    w_a, w_b = np.round(rng.lognormal(0, 0.5, n_a), 4), np.round(rng.lognormal(0, 0.7, n_b), 4)
    data = tmp_path / "two.csv"
    rows = [("a", y, w) for y, w in zip(y_a.tolist(), w_a.tolist())] + [("b", y, w) for y, w in
                                                                         zip(y_b.tolist(), w_b.tolist())]
    data.write_text("wave,y,w\n" + "".join(f"{s},{y},{w!r}\n" for s, y, w in rows), encoding="utf-8")
    script = (f'suppressMessages(library(survey)); x <- read.csv("{data}"); '
              'd <- svydesign(ids = ~1, strata = ~wave, weights = ~w, data = x); '
              'm <- svyby(~y, ~wave, d, svymean, covmat = TRUE); '
              'k <- svycontrast(m, c(-1, 1)); '
              'cat(sprintf("%.15f", c(coef(k), SE(k), confint(k))), "\\n")')
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True).stdout.split()
    r_difference, r_se, r_low, r_high = (float(v) for v in out)
    ours = weighted_difference(y_a, w_a, y_b, w_b)
    assert abs(ours["difference"] - r_difference) < 1e-9 and abs(ours["se"] - r_se) < 1e-9
    assert abs(ours["ci_low"] - r_low) < 1e-9 and abs(ours["ci_high"] - r_high) < 1e-9
