"""Closed-form references worked by hand, shared by the tests (stdlib only, independent of
scipy and statsmodels)."""

import math
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)


def wilson_by_hand(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927) score interval, closed form."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
