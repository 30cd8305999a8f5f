"""A weighted share and its confidence intervals, for a sample with weights and no strata or
clusters, as R's ``survey`` package computes them (Lumley 2004; ``svymean`` and ``svyciprop`` on
``svydesign(ids = ~1, weights = ~w)``). No maintained Python library gives these two intervals for
survey weights (statsmodels' ``proportion_confint`` takes counts only): written here, following
the R code of ``svyciprop`` and the papers it cites.

- :func:`weighted_share`: p = sum w y / sum w and its linearisation variance with replacement,
  v = n / (n - 1) sum (w_i (y_i - p))^2 / (sum w)^2 (``svymean``'s); :func:`weighted_mean` the
  same for values other than 0/1 (contrast scores).
- :func:`korn_graubard_interval`: Korn & Graubard (1998): the Clopper-Pearson interval with the
  effective sample size n* = p (1 - p) / v in place of n, and n* p in place of the count:
  [Beta^-1(a/2; n* p, n* (1 - p) + 1), Beta^-1(1 - a/2; n* p + 1, n* (1 - p))]
  (``svyciprop(method = "beta")``; its degrees-of-freedom factor (t_{n-1} / t_df)^2 is 1 here,
  since a design without clusters has df = n - 1).
- :func:`logit_interval`: the Wald interval on the logit scale with t on n - 1 degrees of
  freedom, transformed back: expit(logit p +/- t sqrt(v) / (p (1 - p)))
  (``svyciprop(method = "logit")``: ``svyglm`` with quasibinomial family, intercept only, whose
  sandwich variance of the intercept is v / (p (1 - p))^2).
- :func:`kish_effective_n` and :func:`kish_design_effect`: Kish (1965): n_eff = (sum w)^2 /
  sum w^2, deff = n / n_eff, the variance lost to unequal weights.

A share of 0 or 1 has no variance (v = 0): both intervals are then NaN, as in R.

References
----------
- Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with small expected
  number of positive counts estimated from survey data. *Survey Methodology* 24(2), 193-201.
- Kish, L. (1965). *Survey Sampling*. Wiley, section 11.7.
- Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software* 9(8).
"""

from __future__ import annotations

import math

import numpy as np


def _check(values, weights, binary: bool = True) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if y.ndim != 1 or y.shape != w.shape:
        what = "0/1 value" if binary else "value"
        raise ValueError(f"one {what} and one weight per respondent are needed, got shapes {y.shape} and {w.shape}")
    if y.size < 2:
        raise ValueError(f"a weighted {'share' if binary else 'mean'} needs at least two respondents")
    if binary and not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("the values must be 0 or 1 (missing answers removed first)")
    if not np.isfinite(y).all():
        raise ValueError("the values must be finite numbers (missing answers removed first)")
    if not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError("every weight must be a positive finite number")
    return y, w


def _sum(values: np.ndarray) -> float:
    return math.fsum(values.tolist())  # exactly rounded: the same bits on every CPU


def kish_effective_n(weights) -> float:
    """(sum w)^2 / sum w^2 (Kish 1965): the sample size with equal weights that gives the same
    variance of a mean."""
    w = np.asarray(weights, dtype=float)
    return _sum(w) ** 2 / _sum(w * w)


def kish_design_effect(weights) -> float:
    """n sum w^2 / (sum w)^2 (Kish 1965): 1 for equal weights, larger the more unequal they are."""
    w = np.asarray(weights, dtype=float)
    return w.size / kish_effective_n(w)


def weighted_share(values, weights) -> tuple[float, float]:
    """(p, v): the weighted share of ``values`` (0/1 per respondent) and its variance, as R's
    ``svymean`` on a design with weights only."""
    return _weighted_mean(*_check(values, weights))


def weighted_mean(values, weights) -> tuple[float, float]:
    """(m, v): the weighted mean of ``values`` (any finite number per respondent, e.g. a contrast
    of ticks) and its variance, by the same linearisation as :func:`weighted_share`."""
    return _weighted_mean(*_check(values, weights, binary=False))


def _weighted_mean(y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    total = _sum(w)
    p = _sum(w * y) / total
    n = y.size
    return p, n / (n - 1) * _sum((w * (y - p)) ** 2) / total**2


def korn_graubard_interval(values, weights, conf_level: float = 0.95) -> tuple[float, float]:
    """Korn & Graubard (1998) interval of the weighted share (R ``svyciprop(method = "beta")``)."""
    from scipy.stats import beta

    p, v = weighted_share(values, weights)
    if v == 0:
        return math.nan, math.nan
    alpha = 1 - conf_level
    n_eff = p * (1 - p) / v
    low = float(beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1))
    high = float(beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)))
    return low, high


def logit_interval(values, weights, conf_level: float = 0.95) -> tuple[float, float]:
    """Logit interval of the weighted share (R ``svyciprop(method = "logit")``), t on n - 1 df."""
    from scipy.stats import t

    p, v = weighted_share(values, weights)
    if v == 0:
        return math.nan, math.nan
    n = np.asarray(values).size
    quantile = float(t.ppf(1 - (1 - conf_level) / 2, n - 1))
    centre, half = math.log(p / (1 - p)), quantile * math.sqrt(v) / (p * (1 - p))
    return tuple(1 / (1 + math.exp(-x)) for x in (centre - half, centre + half))
