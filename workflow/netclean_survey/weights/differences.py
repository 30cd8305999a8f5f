"""The difference between two weighted shares of independent samples (two waves), for a design
with weights only in each wave: what R's ``survey`` package gives for the two waves as strata of one
design (``svydesign(ids = ~1, strata = ~wave, weights = ~w)``, ``svyby(~y, ~wave, svymean)`` and
``svycontrast``): d = p_b - p_a, with variance v_a + v_b (each wave's linearisation variance,
:func:`.intervals.weighted_share`; the strata are independent) and a Wald interval on the normal
quantile, as ``confint`` of a contrast gives it. No maintained Python library computes this for
survey weights (statsmodels' ``confint_proportions_2indep`` takes counts): written here.

Reference: Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, sections 2.2
and 3.3 (stratified designs, contrasts).
"""

from __future__ import annotations

import math

from scipy.stats import norm

from .intervals import weighted_mean, weighted_share


def weighted_difference(values_a, weights_a, values_b, weights_b, conf_level: float = 0.95
                        ) -> dict[str, float]:
    """{share_a, share_b, difference (b - a), se, ci_low, ci_high, z, p_value} for two independent
    weighted samples of 0/1 values; a two-sided Wald z test of no difference."""
    return _difference(weighted_share(values_a, weights_a), weighted_share(values_b, weights_b), conf_level, "share")


def weighted_mean_difference(values_a, weights_a, values_b, weights_b, conf_level: float = 0.95
                             ) -> dict[str, float]:
    """{mean_a, mean_b, difference (b - a), se, ci_low, ci_high, z, p_value}: as
    :func:`weighted_difference`, for values other than 0/1 (respondent-level contrast scores)."""
    return _difference(weighted_mean(values_a, weights_a), weighted_mean(values_b, weights_b), conf_level, "mean")


def wald_interval(estimate: float, variance: float, conf_level: float = 0.95) -> tuple[float, float, float]:
    """(low, high, two-sided p of the z test of 0) on the normal quantile, as ``confint`` of a survey
    contrast; NaN p when the variance is 0."""
    se = math.sqrt(variance)
    quantile = float(norm.ppf(1 - (1 - conf_level) / 2))
    p_value = float(2 * norm.sf(abs(estimate / se))) if se > 0 else math.nan
    return estimate - quantile * se, estimate + quantile * se, p_value


def _difference(a: tuple[float, float], b: tuple[float, float], conf_level: float, what: str) -> dict[str, float]:
    (p_a, v_a), (p_b, v_b) = a, b
    difference = p_b - p_a
    se = math.sqrt(v_a + v_b)
    low, high, p_value = wald_interval(difference, v_a + v_b, conf_level)
    return {f"{what}_a": p_a, f"{what}_b": p_b, "difference": difference, "se": se, "ci_low": low, "ci_high": high,
            "z": difference / se if se > 0 else math.nan, "p_value": p_value}
