"""Confidence intervals of one proportion and simultaneous intervals of the options of one
single-choice question: statsmodels' arithmetic, the project's method names and checks.

References
----------
- Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  *Journal of the American Statistical Association* 22(158), 209-212.
- Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated
  in the case of the binomial. *Biometrika* 26(4), 404-413.
- Agresti, A. and Coull, B. A. (1998). Approximate is better than "exact" for interval
  estimation of binomial proportions. *The American Statistician* 52(2), 119-126.
- Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
  proportion. *Statistical Science* 16(2), 101-133.
- Goodman, L. A. (1965). On simultaneous confidence intervals for multinomial proportions.
  *Technometrics* 7(2), 247-254.
- Sison, C. P. and Glaz, J. (1995). Simultaneous confidence intervals and sample size
  determination for multinomial proportions. *Journal of the American Statistical
  Association* 90(429), 366-369.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

#: Interval methods for one proportion, by the names used in this project.
INTERVAL_METHODS = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull", "wald")


#: The same methods by statsmodels' ``proportion_confint`` names.
STATSMODELS_INTERVAL_METHODS = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
    "agresti-coull": "agresti_coull",
    "wald": "normal",
}


#: Simultaneous interval methods for the options of one single-choice question.
SIMULTANEOUS_METHODS = ("goodman", "sison-glaz")


def check_interval_method(method: str) -> str:
    """Return statsmodels' name for ``method``; ValueError listing the allowed names otherwise.

    statsmodels itself is lenient (any name starting with ``"jeff"`` is Jeffreys) and raises
    NotImplementedError for unknown names; the project accepts exactly
    :data:`INTERVAL_METHODS`.
    """
    if method not in STATSMODELS_INTERVAL_METHODS:
        raise ValueError(f"unknown interval method {method!r}; allowed: {', '.join(INTERVAL_METHODS)}")
    return STATSMODELS_INTERVAL_METHODS[method]


def check_simultaneous_method(method: str) -> str:
    """Return ``method`` if it is one of :data:`SIMULTANEOUS_METHODS`, else ValueError.

    statsmodels accepts any name starting with ``"sison"``; the project accepts exactly
    :data:`SIMULTANEOUS_METHODS`.
    """
    if method not in SIMULTANEOUS_METHODS:
        raise ValueError(
            f"unknown simultaneous interval method {method!r}; allowed: {', '.join(SIMULTANEOUS_METHODS)}"
        )
    return method


def check_conf_level(conf_level: float) -> float:
    """Return ``conf_level`` as a float if it lies strictly between 0 and 1, else ValueError."""
    try:
        level = float(conf_level)
    except (TypeError, ValueError):
        raise ValueError(f"conf_level must be a number strictly between 0 and 1, got {conf_level!r}") from None
    if not 0.0 < level < 1.0:
        raise ValueError(f"conf_level must be strictly between 0 and 1, got {conf_level!r}")
    return level


def _check_counts(count: np.ndarray, nobs: np.ndarray) -> None:
    """ValueError naming the offending values unless 0 <= count <= nobs everywhere."""
    bad = ~((count >= 0) & (count <= nobs))  # NaN fails too
    if bad.any():
        pairs = ", ".join(f"count={c:g}, nobs={n:g}" for c, n in zip(count[bad][:5], nobs[bad][:5]))
        more = f" (and {int(bad.sum()) - 5} more)" if bad.sum() > 5 else ""
        raise ValueError(f"need 0 <= count <= nobs, got {pairs}{more}")


def proportion_interval(count, nobs, method: str = "wilson", conf_level: float = 0.95):
    """Two-sided confidence interval ``(low, high)`` for the proportion ``count / nobs``.

    A thin wrapper of ``statsmodels.stats.proportion.proportion_confint``, vectorised: scalars
    give a pair of floats, arrays (broadcast together) a pair of float arrays.

    Methods (``method``):

    - ``"wilson"``: the score interval of Wilson (1927). The default, recommended by Brown, Cai
      & DasGupta (2001) for small n; Newcombe (1998) method 3.
    - ``"clopper-pearson"``: the "exact" interval of Clopper & Pearson (1934) from beta
      quantiles (statsmodels ``"beta"``); conservative. Newcombe (1998) method 5.
    - ``"jeffreys"``: the equal-tailed Jeffreys-prior interval, beta(count + 1/2,
      nobs - count + 1/2) quantiles, as recommended by Brown, Cai & DasGupta (2001, sec. 4.1.2),
      with their boundary modification: the lower bound is 0 when count == 0 and the upper
      bound is 1 when count == nobs (statsmodels omits this modification; it is applied here).
    - ``"agresti-coull"``: the adjusted Wald interval of Agresti & Coull (1998) in its general
      form, centre (count + z^2/2) / (nobs + z^2) (statsmodels ``"agresti_coull"``); bounds
      clipped to [0, 1] by statsmodels.
    - ``"wald"``: the textbook normal approximation p +/- z sqrt(p(1-p)/n) (statsmodels
      ``"normal"``). Not recommended: its coverage is poor, erratic and far below nominal near
      0 and 1 (Brown, Cai & DasGupta 2001); every call issues a UserWarning saying so. Its bounds are
      clipped to [0, 1], and it is the degenerate [0, 0] (or [1, 1]) when count is 0 (or nobs).

    Where ``nobs == 0`` (nobody in the base) both bounds are NaN, silently.

    Raises ValueError for an unknown method, a conf_level outside (0, 1), or any count outside
    [0, nobs] (the message names the values). Counts need not be integers (weighted counts).
    """
    sm_method = check_interval_method(method)
    level = check_conf_level(conf_level)
    scalar = np.ndim(count) == 0 and np.ndim(nobs) == 0
    count_a, nobs_a = np.broadcast_arrays(np.asarray(count, dtype=float), np.asarray(nobs, dtype=float))
    _check_counts(count_a, nobs_a)
    if method == "wald":
        warnings.warn(
            "the Wald (normal approximation) interval is not recommended: its coverage is poor "
            "near 0 and 1 (Brown, Cai & DasGupta 2001); its bounds are clipped to [0, 1]",
            UserWarning,
            stacklevel=2,
        )
    empty = nobs_a == 0
    from statsmodels.stats.proportion import proportion_confint  # here: readers of estimates need not load it

    # statsmodels divides by nobs: give it 1 where the base is empty, then blank those bounds.
    low, high = proportion_confint(count_a, np.where(empty, 1.0, nobs_a), alpha=1.0 - level, method=sm_method)
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    if method == "jeffreys":
        low = np.where(count_a == 0, 0.0, low)
        high = np.where(count_a == nobs_a, 1.0, high)
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    if scalar:
        return float(low), float(high)
    return low, high


def simultaneous_intervals(counts, method: str = "goodman", conf_level: float = 0.95) -> pd.DataFrame:
    """Simultaneous confidence intervals for all options of one single-choice question.

    ``counts`` are the respondents per option (the options partition the base, so they are
    multinomial). Returns a DataFrame with columns ``low`` and ``high``, one row per count,
    indexed like ``counts`` if it is a Series. The intervals jointly cover all true shares
    with probability (approximately) ``conf_level``. Wraps statsmodels'
    ``multinomial_proportions_confint``.

    - ``"goodman"``: Goodman (1965), Bonferroni-adjusted score intervals, chi-square(1)
      quantile at 1 - alpha/k; valid when every count is at least about 5.
    - ``"sison-glaz"``: Sison & Glaz (1995), based on an Edgeworth approximation of the
      multinomial; less conservative than Goodman, intervals of (nearly) equal width. Sison &
      Glaz demonstrate it with at least 7 categories; with fewer its approximation is coarse.
      Slow for large totals (its search for the half-width is linear in the count scale).

    If all counts are 0 the bounds are NaN. Raises ValueError for an unknown method, a
    conf_level outside (0, 1) or a negative count.
    """
    check_simultaneous_method(method)
    level = check_conf_level(conf_level)
    index = counts.index if isinstance(counts, pd.Series) else None
    values = np.asarray(counts, dtype=float).reshape(-1)
    if (~(values >= 0)).any():
        raise ValueError(f"counts must be non-negative numbers, got {values.tolist()}")
    if method == "sison-glaz" and 0 < values.size < 7:
        warnings.warn(
            f"Sison-Glaz intervals with {values.size} options: the method is shown to hold its level with "
            "7 or more (Sison and Glaz 1995); prefer goodman for this question",
            UserWarning,
            stacklevel=2,
        )
    if values.size == 0 or values.sum() == 0:
        region = np.full((values.size, 2), np.nan)
    else:
        from statsmodels.stats.proportion import multinomial_proportions_confint

        region = multinomial_proportions_confint(values, alpha=1.0 - level, method=method)
    return pd.DataFrame(np.asarray(region, dtype=float).reshape(-1, 2), columns=["low", "high"], index=index)
