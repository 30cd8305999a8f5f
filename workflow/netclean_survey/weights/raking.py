"""Weights by raking to population margins, then trimming: one weight per respondent.

- :func:`rake_to_margins`: iterative proportional fitting (Deming and Stephan 1940) of one weight per
  respondent so that the weighted shares of each margin variable (a single-choice or derived
  question, e.g. the respondent's region) equal the population shares given in config. The raking
  itself is weightipy's (``weightipy.weight`` with a ``scheme_from_dict`` scheme): a maintained,
  pandas-only implementation of rim weighting. samplics 0.6 was the other candidate: it needs polars
  and its ``trim`` is not implemented, and its ``rake`` bounds only stop iterating, they trim nothing.
- :func:`trim_weights`: R's ``survey::trimWeights(design, upper, lower, strict = TRUE)``, written
  here because weightipy's own two-sided cap fails (``Rake`` compares the pair of bounds with a
  number) and its one-sided cap trims inside the iterations, which R does not: weights outside the
  bounds are set to the bound and the amount trimmed is spread equally over the weights inside,
  again until none is outside. The bounds are relative to the mean weight (1 here).

The weights have mean 1 (they sum to the number of respondents), as weightipy writes them. Whether
the raking converged is judged on what it produced, not on weightipy's own stopping rule (a
relative improvement per iteration): the largest distance between a weighted margin share and its
target, against ``tolerance``. Trimming moves the margins again; the margins table shows the shares
before and after it.

References
----------
- Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
  table when the expected marginal totals are known. *Ann. Math. Statist.* 11(4), 427-444.
- Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, section 7.4 (``rake``,
  ``trimWeights``).
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import ConfigError

#: Columns of :attr:`RakingResult.margins`, in order.
MARGIN_COLUMNS = ("variable", "option", "target", "respondents", "sample_share", "raked_share", "weighted_share")


class MarginsError(ConfigError):
    """The margins cannot be raked to: the message names the wave, the variable and the option."""


@dataclass(frozen=True)
class RakingResult:
    """The weights (index of the responses, mean 1) and how they were reached."""

    weights: pd.Series
    iterations: int          # weightipy's iterations of the raking
    converged: bool          # every raked margin share within ``tolerance`` of its target
    max_margin_error: float  # the largest |raked share - target|, before trimming
    trimmed: int             # weights set to a bound by the trimming
    trim_rounds: int         # rounds of trimWeights(strict = TRUE) until none is outside
    margins: pd.DataFrame    # MARGIN_COLUMNS: one row per variable and option
    log: str                 # what weightipy printed


def trim_weights(weights, lower: float | None = None, upper: float | None = None,
                 max_rounds: int = 1000) -> tuple[np.ndarray, int, int]:
    """(weights, rounds, trimmed) after R's ``trimWeights(strict = TRUE)`` with bounds ``lower``
    and ``upper`` (absolute; None: no bound): each round sets the weights outside to the bound and
    adds the sum trimmed, divided equally, to the weights inside; rounds go on until none is
    outside. ``trimmed`` counts the weights that end at a bound. The sum of the weights is kept."""
    w = np.asarray(weights, dtype=float).copy()
    low = -math.inf if lower is None else float(lower)
    high = math.inf if upper is None else float(upper)
    if not low < high:
        raise ValueError(f"the lower trimming bound {lower} must be below the upper bound {upper}")
    if w.size and (low * w.size > math.fsum(w.tolist()) or high * w.size < math.fsum(w.tolist())):
        raise ValueError(f"no weights of this total fit between {lower} and {upper} (mean weight "
                         f"{math.fsum(w.tolist()) / w.size:g}): widen the trimming bounds")
    rounds = 0
    while True:
        outside = (w < low) | (w > high)
        if not outside.any():
            break
        rounds += 1
        if rounds > max_rounds:
            raise ValueError(f"trimming did not settle in {max_rounds} rounds: widen the bounds")
        clipped = np.clip(w, low, high)
        trimmed = math.fsum((w - clipped).tolist())
        inside = ~outside
        if not inside.any():
            raise ValueError(f"every weight is outside the bounds {lower} and {upper}: widen the trimming bounds")
        clipped[inside] += trimmed / int(inside.sum())
        w = clipped
    at_bound = int(((w == low) | (w == high)).sum()) if rounds else 0
    return w, rounds, at_bound


def trim_to_mean(weights, trim: tuple[float | None, float | None]) -> tuple[np.ndarray, int, int]:
    """:func:`trim_weights` with the bounds ``trim`` = (lower, upper) given as multiples of the mean
    weight (config ``weights: raking: trim``; None: no bound)."""
    w = np.asarray(weights, dtype=float)
    mean = math.fsum(w.tolist()) / w.size
    lower, upper = (None if bound is None else bound * mean for bound in trim)
    return trim_weights(w, lower, upper)


def _check_margins(frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float]], where: str) -> None:
    if not margins:
        raise MarginsError(f"{where}: no margins to rake to; give at least one variable with its population shares")
    for variable, shares in margins.items():
        if variable not in frame.columns:
            raise MarginsError(f"{where}: the margin variable {variable!r} is not a column of the responses "
                               f"(a single-choice or derived question of the wave); check its name")
        column = frame[variable]
        missing = int(column.isna().sum())
        if missing:
            raise MarginsError(f"{where}: {missing} respondent(s) have no answer to the margin variable {variable!r}, "
                               "so raking cannot give them a weight; rake on a question everyone answers")
        bad = {o: s for o, s in shares.items() if not (isinstance(s, (int, float)) and 0 < s < 1)}
        if bad:
            raise MarginsError(f"{where}: the population shares {bad} of {variable!r} must be numbers between 0 "
                               "and 1 (exclusive)")
        total = math.fsum(float(s) for s in shares.values())
        if abs(total - 1) > 1e-9:
            raise MarginsError(f"{where}: the population shares of {variable!r} sum to {total:.12g}, not 1; "
                               "correct them in config (weights: raking: margins:)")
        seen = column.astype(str).value_counts()
        unknown = sorted(set(seen.index) - set(shares))
        absent = sorted(set(shares) - set(seen.index))
        if unknown and absent:  # most often a misspelt option id
            raise MarginsError(f"{where}: {int(seen[unknown].sum())} respondent(s) answered {unknown} to {variable!r}, "
                               f"which have no population share, and no respondent answered {absent}; check the "
                               "option ids against config/questionnaire.yaml")
        if unknown:
            raise MarginsError(f"{where}: {int(seen[unknown].sum())} respondent(s) answered {unknown} to {variable!r}, "
                               "which have no population share; give every option of the variable a share")
        if absent:
            raise MarginsError(f"{where}: no respondent answered {absent} to {variable!r}, so no weight can "
                               "reach their population share; merge those options or drop them from the margins")


def _shares(weights: np.ndarray, column: pd.Series, options) -> list[float]:
    total = math.fsum(weights.tolist())
    return [math.fsum(weights[(column == o).to_numpy()].tolist()) / total for o in options]


def rake_to_margins(frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float]], *,
                    tolerance: float = 1e-6, max_iterations: int = 1000,
                    trim: tuple[float | None, float | None] = (None, None), where: str = "raking") -> RakingResult:
    """Rake one weight per row of ``frame`` to ``margins`` ({variable: {option: population share}})
    with weightipy, then trim to ``trim`` = (lower, upper) times the mean weight (:func:`trim_weights`).

    Raises :class:`MarginsError` (naming ``where``, the variable and the option) when a variable is
    missing or unanswered, when its shares are not in (0, 1) or do not sum to 1, when respondents
    answered an option that has no share, or when an option with a share has no respondent."""
    import weightipy

    _check_margins(frame, margins, where)
    variables = list(margins)
    data = pd.DataFrame({v: frame[v].astype(str).to_numpy() for v in variables})
    # weightipy takes percentages; its scheme's name is fixed so that nothing random enters
    scheme = weightipy.scheme_from_dict({v: {o: 100 * float(s) for o, s in margins[v].items()} for v in variables},
                                        name="raking", rim_params={"max_iterations": int(max_iterations)})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        raked = weightipy.weight(data, scheme).to_numpy(dtype=float)
    (group,) = scheme.groups.values()  # a flat scheme has one group of targets
    iterations = int(group["iterations"])
    rows, worst = [], 0.0
    trimmed_weights, rounds, at_bound = trim_to_mean(raked, trim)
    for v in variables:
        options = list(margins[v])
        column = data[v]
        raked_shares = _shares(raked, column, options)
        trimmed_shares = _shares(trimmed_weights, column, options)
        counts = column.value_counts()
        for option, raked_share, trimmed_share in zip(options, raked_shares, trimmed_shares):
            target = float(margins[v][option])
            worst = max(worst, abs(raked_share - target))
            rows.append((v, option, target, int(counts[option]), int(counts[option]) / len(column), raked_share,
                         trimmed_share))
    return RakingResult(
        weights=pd.Series(trimmed_weights, index=frame.index, name="weight"),
        iterations=iterations,
        converged=worst <= tolerance,
        max_margin_error=worst,
        trimmed=at_bound,
        trim_rounds=rounds,
        margins=pd.DataFrame(rows, columns=list(MARGIN_COLUMNS)),
        log=printed.getvalue(),
    )
