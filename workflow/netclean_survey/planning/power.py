"""What change between two waves their sample sizes can detect.

- :func:`minimum_detectable_difference`: for one share, the smallest change up and down from the
  earlier wave's share that a two-sided test at ``alpha`` detects with probability ``power``,
  with n_a and n_b respondents: statsmodels' ``NormalIndPower`` solves for Cohen's effect size
  h = 2 asin(sqrt(p_b)) - 2 asin(sqrt(p_a)) (Cohen 1988, ch. 6: the arcsine scale, on which the
  variance of a share does not depend on it), and the share that far from p_a on that scale is
  p_b = sin(asin(sqrt(p_a)) +/- h / 2)^2. Without the other tail's tiny share of the power,
  h = (z_{1 - alpha/2} + z_power) sqrt(1/n_a + 1/n_b).
- :func:`mmi_power`: the power of the Bilder-Loughin test of a tick-all question against the
  shift the two waves show, by seeded simulation: each simulated pair of waves draws n_a
  respondents' whole tick vectors with replacement from wave a and n_b from wave b (so the
  options' shares and their correlation are those observed), and the Rao-Scott (second order)
  p-value of :func:`..compare.independent.mmi_test` is compared with ``alpha``. The bootstrap
  p-value the comparison publishes would need its own resamples inside each simulation; the
  Rao-Scott one is its asymptotic counterpart. The simulated power has a Clopper-Pearson
  interval for its Monte Carlo error. No library simulates this test; written here, following
  Bilder & Loughin (2004).
- :func:`weighted_mmi_power` (weights on): the same for the Bilder-Loughin test with weights,
  drawing respondents with their weights.

References
----------
- Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed. Erlbaum.
- Bilder, C. R. and Loughin, T. M. (2004). Testing for marginal independence between two
  categorical variables with multiple responses. *Biometrics* 60(1), 241-248.
"""

from __future__ import annotations

import math

import numpy as np

from ..compare.independent import check_seed, mmi_test
from ..estimate.intervals import proportion_interval


def _check_probability(value: float, name: str) -> float:
    value = float(value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return value


def _check_sizes(*sizes) -> None:
    for n in sizes:
        if not float(n) >= 1:
            raise ValueError(f"every sample size must be at least 1, got {n}")


def detectable_effect_size(n_a: float, n_b: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Cohen's h that a two-sided z test of two shares at ``alpha`` detects with ``power``
    (statsmodels ``NormalIndPower().solve_power``)."""
    from statsmodels.stats.power import NormalIndPower

    alpha, power = _check_probability(alpha, "alpha"), _check_probability(power, "power")
    _check_sizes(n_a, n_b)
    return float(NormalIndPower().solve_power(effect_size=None, nobs1=float(n_a), alpha=alpha, power=power,
                                              ratio=float(n_b) / float(n_a), alternative="two-sided"))


def minimum_detectable_difference(share_a: float, n_a: float, n_b: float, alpha: float = 0.05,
                                  power: float = 0.8) -> tuple[float, float, float]:
    """(h, increase, decrease): Cohen's h detectable, and the smallest rise and fall of the share
    from ``share_a`` that reach it (as shares, positive; NaN where the share cannot move that far
    on the arcsine scale without leaving [0, 1])."""
    share_a = float(share_a)
    if not 0.0 <= share_a <= 1.0:
        raise ValueError(f"a share must be between 0 and 1, got {share_a}")
    h = detectable_effect_size(n_a, n_b, alpha, power)
    angle = math.asin(math.sqrt(share_a))  # math, not numpy: the same bits on every CPU
    up, down = angle + h / 2, angle - h / 2
    increase = math.sin(up) ** 2 - share_a if up <= math.pi / 2 else math.nan
    decrease = share_a - math.sin(down) ** 2 if down >= 0 else math.nan
    return h, increase, decrease


def mmi_power(ticks_a, ticks_b, n_a: int | None = None, n_b: int | None = None, *, simulations: int, seed: int,
              alpha: float = 0.05, conf_level: float = 0.95) -> dict:
    """Power of the Bilder-Loughin test (Rao-Scott p-value) between two waves of a tick-all
    question, ``ticks_a`` and ``ticks_b`` respondents x options 0/1 matrices (the question's
    base), against the shift they show, by ``simulations`` seeded simulations with ``n_a`` and
    ``n_b`` respondents (default: as observed). A simulation whose every option is ticked by all
    or by none has no test and counts as not detected. Returns a dict: power, ci_low, ci_high
    (Clopper-Pearson at ``conf_level``), simulations, rejected, seed, alpha, n_a, n_b."""
    seed = check_seed(seed)
    alpha = _check_probability(alpha, "alpha")
    a, b = np.asarray(ticks_a, dtype=float), np.asarray(ticks_b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(a.shape[0], b.shape[0]) == 0:
        raise ValueError(f"two respondents x options matrices with the same options are needed, got {a.shape} and {b.shape}")
    n_a = a.shape[0] if n_a is None else int(n_a)
    n_b = b.shape[0] if n_b is None else int(n_b)
    _check_sizes(n_a, n_b)
    simulations = int(simulations)
    if simulations < 1:
        raise ValueError(f"simulations must be at least 1, got {simulations}")
    rng = np.random.default_rng(seed)
    rejected = 0
    for _ in range(simulations):
        draw_a = a[rng.integers(0, a.shape[0], size=n_a)]
        draw_b = b[rng.integers(0, b.shape[0], size=n_b)]
        p = mmi_test([draw_a, draw_b], B=0, seed=seed)["p_rs2"]
        # NaN (no test) is not a rejection; p at 9 decimals, so that the count cannot hang on the
        # last bits of an eigenvalue (they differ between CPUs)
        rejected += bool(round(p, 9) < alpha)
    low, high = proportion_interval(rejected, simulations, "clopper-pearson", conf_level)
    return {"power": rejected / simulations, "ci_low": float(low), "ci_high": float(high), "simulations": simulations,
            "rejected": rejected, "seed": seed, "alpha": alpha, "n_a": n_a, "n_b": n_b}


def weighted_mmi_power(ticks_a, weights_a, ticks_b, weights_b, *, simulations: int, seed: int, alpha: float = 0.05,
                       conf_level: float = 0.95) -> dict:
    """With weights: the power of the Bilder-Loughin test with weights (the Rao-Scott F of
    :func:`..weights.homogeneity.rao_scott_test`) against the shift the two weighted waves show, by
    ``simulations`` seeded simulations of waves of the observed sizes: each draws its respondents,
    with their weights, with replacement from its own wave (so the weighted shares, the options'
    correlation and the inequality of the weights are those observed). Returns the keys of
    :func:`mmi_power`."""
    from ..weights.homogeneity import rao_scott_test

    seed = check_seed(seed)
    alpha = _check_probability(alpha, "alpha")
    a, b = np.asarray(ticks_a, dtype=float), np.asarray(ticks_b, dtype=float)
    w_a, w_b = np.asarray(weights_a, dtype=float), np.asarray(weights_b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(a.shape[0], b.shape[0]) < 2:
        raise ValueError(f"two respondents x options matrices with the same options are needed, got {a.shape} and {b.shape}")
    if w_a.shape != (a.shape[0],) or w_b.shape != (b.shape[0],):
        raise ValueError("one weight per respondent of each wave is needed")
    simulations = int(simulations)
    if simulations < 1:
        raise ValueError(f"simulations must be at least 1, got {simulations}")
    n_a, n_b = a.shape[0], b.shape[0]
    strata = np.array([0] * n_a + [1] * n_b)
    rng = np.random.default_rng(seed)
    rejected = 0
    for _ in range(simulations):
        rows_a, rows_b = rng.integers(0, n_a, size=n_a), rng.integers(0, n_b, size=n_b)
        p = rao_scott_test(np.vstack([a[rows_a], b[rows_b]]), strata, np.concatenate([w_a[rows_a], w_b[rows_b]]),
                           "multi")["p_value"]
        rejected += bool(round(p, 9) < alpha)  # NaN (no test) is not a rejection; 9 decimals: not the last bits
    low, high = proportion_interval(rejected, simulations, "clopper-pearson", conf_level)
    return {"power": rejected / simulations, "ci_low": float(low), "ci_high": float(high), "simulations": simulations,
            "rejected": rejected, "seed": seed, "alpha": alpha, "n_a": n_a, "n_b": n_b}
