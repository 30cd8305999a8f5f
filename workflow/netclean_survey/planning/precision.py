"""Respondents needed for a confidence interval of a chosen half-width, at a share as observed.

Two answers, side by side, because they differ where a statistician would look:

- :func:`respondents_normal`: Cochran's formula for the normal-approximation (Wald) interval,
  n = z^2 p (1 - p) / h^2 rounded up (Cochran 1977, eq. 4.2; statsmodels'
  ``samplesize_confint_proportion``), the textbook figure (385 for p = 0.5 and h = 5 points at
  95 %);
- :func:`respondents_for_method`: the smallest n at which the interval the release publishes
  (config ``estimate.interval_method``: Wilson by default) has that half-width at the share held
  fixed (count = p n, not rounded: the intervals take non-integer counts), found by bisection
  on n; no library solves this for the score or exact intervals. The half-width of an interval
  that is not symmetric about the share (Wilson, Clopper-Pearson) is half its length.

A share of 0 or 1 has no normal-approximation answer (n would be 0): NaN, and the method's
answer is the n at which the interval of an all-or-nothing share is that narrow.

References
----------
- Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley, section 4.4.
- Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  *Journal of the American Statistical Association* 22(158), 209-212.
"""

from __future__ import annotations

import math

from ..estimate.intervals import check_conf_level, check_interval_method, proportion_interval

#: The largest sample the search looks at: beyond it the answer is "more than this".
MAX_RESPONDENTS = 100_000_000


def _check_share(share: float) -> float:
    share = float(share)
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"a share must be between 0 and 1, got {share}")
    return share


def _check_half_width(half_width: float) -> float:
    half_width = float(half_width)
    if not 0.0 < half_width < 0.5:
        raise ValueError(f"the half-width must be between 0 and 0.5 (a share), got {half_width}")
    return half_width


def _ceil(n: float) -> int:
    """n rounded up, after rounding away the last bits of a float (384.0000000001 is 384)."""
    return math.ceil(round(n, 6))


def respondents_normal(share: float, half_width: float, conf_level: float = 0.95) -> float:
    """Respondents for a Wald interval of ``half_width`` at ``share``: ceil(z^2 p (1 - p) / h^2)
    (Cochran 1977), through statsmodels; NaN for a share of 0 or 1."""
    from statsmodels.stats.proportion import samplesize_confint_proportion

    share, half_width = _check_share(share), _check_half_width(half_width)
    conf_level = check_conf_level(conf_level)
    if share in (0.0, 1.0):
        return math.nan
    return float(_ceil(samplesize_confint_proportion(share, half_width, alpha=1 - conf_level)))


def interval_half_width(share: float, n: int, method: str, conf_level: float = 0.95) -> float:
    """Half the length of the ``method`` interval of ``share`` among ``n`` respondents."""
    low, high = proportion_interval(share * n, n, method, conf_level)
    return (high - low) / 2


def respondents_for_method(share: float, half_width: float, method: str = "wilson", conf_level: float = 0.95) -> float:
    """The smallest n at which the ``method`` interval of ``share`` (count = share x n) is at most
    ``half_width`` wide on either side on average (half its length): bisection on n, the
    half-width falling as n grows. NaN for the Wald interval of a share of 0 or 1 (it has no
    length at all); ValueError beyond :data:`MAX_RESPONDENTS`."""
    import warnings

    share, half_width = _check_share(share), _check_half_width(half_width)
    check_interval_method(method)
    conf_level = check_conf_level(conf_level)
    if method == "wald" and share in (0.0, 1.0):
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the Wald method's warning: named in the table

        def wide(n: int) -> bool:
            return round(interval_half_width(share, n, method, conf_level), 12) > half_width

        low, high = 1, 2
        while wide(high):
            low, high = high, high * 2
            if high > MAX_RESPONDENTS:
                raise ValueError(f"more than {MAX_RESPONDENTS} respondents for a half-width of {half_width} at {share}")
        if not wide(low):
            return float(low)
        while high - low > 1:  # wide(low), not wide(high)
            middle = (low + high) // 2
            low, high = (middle, high) if wide(middle) else (low, middle)
        return float(high)
