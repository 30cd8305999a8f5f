"""The difference between two weighted shares of independent samples (two waves), for a design
with weights only in each wave: what R's ``survey`` package gives for the two waves as strata of one
design (``svydesign(ids = ~1, strata = ~wave, weights = ~w)``, ``svyby(~y, ~wave, svymean)`` and
``svycontrast``): d = p_b - p_a, with variance v_a + v_b (each wave's linearisation variance,
:func:`.intervals.weighted_share`; the strata are independent) and a Wald interval on the normal
quantile, as ``confint`` of a contrast gives it. No maintained Python library computes this for
survey weights (statsmodels' ``confint_proportions_2indep`` takes counts): written here.

Not wired into the comparisons yet: the weighted between-wave comparisons come next (issue 16).

Reference: Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, sections 2.2
and 3.3 (stratified designs, contrasts).
"""

from __future__ import annotations

import math

from scipy.stats import norm

from .intervals import weighted_share


def weighted_difference(values_a, weights_a, values_b, weights_b, conf_level: float = 0.95
                        ) -> dict[str, float]:
    """{share_a, share_b, difference (b - a), se, ci_low, ci_high, z, p_value} for two independent
    weighted samples of 0/1 values; a two-sided Wald z test of no difference."""
    p_a, v_a = weighted_share(values_a, weights_a)
    p_b, v_b = weighted_share(values_b, weights_b)
    difference = p_b - p_a
    se = math.sqrt(v_a + v_b)
    quantile = float(norm.ppf(1 - (1 - conf_level) / 2))
    z = difference / se if se > 0 else math.nan
    return {"share_a": p_a, "share_b": p_b, "difference": difference, "se": se,
            "ci_low": difference - quantile * se, "ci_high": difference + quantile * se,
            "z": z, "p_value": float(2 * norm.sf(abs(z))) if se > 0 else math.nan}
