"""The one rounding of every published number, before any writer.

A float computed by numpy or SciPy may differ in its last bits from one CPU to another (vectorised
``arcsin``, ``exp`` and friends, summation order); a file that depends on those bits differs between
the machine that made a release and the machine that verifies it. So every number a stage publishes
passes once through :func:`published_table` (tables) or :func:`published_values` (a test's numbers),
and every writer (CSV, Markdown, Excel, figures) takes those values and nothing else:

- a float in a table is rounded to :data:`DECIMALS` decimals (the CSVs' ``%.6f``), half up from its
  exact binary value, ``-0.0`` written as ``0.0``; the workbook then stores ``0.157968``, never
  ``0.1579678744784661``;
- a share that is a ratio of whole counts (``count / n``) is rounded from the counts in exact
  arithmetic (``fractions.Fraction``), so that no last bit can push it across a rounding boundary
  (``1/128 = 0.0078125`` is a tie that a float one ulp below would round down);
- a test's numbers (statistics, p-values) keep :data:`SIGNIFICANT` significant digits (a p-value of
  1e-12 stays readable).

Markdown and figures print these values at their own coarser precision (one decimal of a
percentage): a deterministic function of the published value, so the CSV, the Markdown and the
workbook always agree.

The writers check that what they get is rounded (:func:`check_published`): a float that did not
pass here is a bug, and stops the job. ``NETCLEAN_PERTURB_ULP=up`` (or ``down``) moves every float by
one ulp on its way in here; the test suite runs the whole workflow so and checks that every output
file keeps its bytes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

DECIMALS = 6
SIGNIFICANT = 6
PERTURB_ENV = "NETCLEAN_PERTURB_ULP"


#: An exact value per row of a table, from its whole-number columns (None where there is none).
ExactColumn = Callable[[pd.DataFrame], list]


def _perturbation() -> float | None:
    """+inf or -inf: the direction every float is moved by one ulp in a perturbation test run."""
    direction = os.environ.get(PERTURB_ENV, "").strip().lower()
    if direction in ("", "0", "off"):
        return None
    if direction not in ("up", "down"):
        raise ValueError(f"{PERTURB_ENV} must be 'up' or 'down', got {direction!r}")
    return math.inf if direction == "up" else -math.inf


def perturbed(values: np.ndarray) -> np.ndarray:
    """``values`` moved one ulp in the direction of ``NETCLEAN_PERTURB_ULP``; unchanged without it."""
    towards = _perturbation()
    if towards is None:
        return values
    return np.nextafter(values, towards)


def round_half_up(value: float | Fraction, decimals: int = DECIMALS) -> float:
    """``value`` rounded to ``decimals`` decimals, ties away from zero, in exact arithmetic (a float is
    taken at its exact binary value); NaN stays NaN; a zero is +0.0."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    exact = Decimal(value) if not isinstance(value, Fraction) else Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, Fraction):  # the division above is at 28 digits: round the fraction itself
        scaled = abs(value) * 10**decimals
        whole = int(scaled + Fraction(1, 2))
        rounded = Decimal(whole if value >= 0 else -whole).scaleb(-decimals)
    else:
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0: no -0.0


def round_significant(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` with ``digits`` significant digits, ties away from zero (exact); NaN, inf and 0 unchanged."""
    if not math.isfinite(value) or value == 0:
        return value + 0.0
    exponent = Decimal(value).adjusted()
    return round_half_up(value, digits - 1 - exponent)


def ratio(numerator: str | tuple[str, ...], denominator: str) -> ExactColumn:
    """The exact ``numerator / denominator`` of whole-number columns, the numerator one column or the
    sum of several (None where the denominator is 0 or a count is not a number)."""
    names = (numerator,) if isinstance(numerator, str) else tuple(numerator)

    def exact(table: pd.DataFrame) -> list:
        rows = zip(*(table[name] for name in names), table[denominator])
        return [_fraction(values[:-1], values[-1]) for values in rows]
    return exact


def difference(first: ExactColumn, second: ExactColumn) -> ExactColumn:
    """``first - second`` of two exact columns, row by row."""
    def exact(table: pd.DataFrame) -> list:
        return [None if a is None or b is None else a - b for a, b in zip(first(table), second(table))]
    return exact


def _fraction(numerators, denominator) -> Fraction | None:
    try:
        a, b = sum(_whole(v) for v in numerators), _whole(denominator)
    except (TypeError, ValueError):
        return None
    return Fraction(a, b) if b else None


def _whole(value) -> int:
    """A whole count (an int, or a float that is one); ValueError for anything else."""
    if isinstance(value, (float, np.floating)) and not float(value).is_integer():
        raise ValueError(value)
    return int(value)


def _is_float_column(series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series) and not isinstance(series.dtype, pd.CategoricalDtype)


def published_table(table: pd.DataFrame, exact: Mapping[str, ExactColumn] | None = None) -> pd.DataFrame:
    """A copy of ``table`` with every float column rounded once to :data:`DECIMALS` decimals; the
    columns of ``exact`` (e.g. ``{"share": ratio("count", "n")}``) from their whole counts, exactly."""
    out = table.copy()
    exact = dict(exact or {})
    for column, series in table.items():
        if not _is_float_column(series):
            continue
        values = perturbed(series.to_numpy(dtype=float))
        rounded = [round_half_up(float(v)) for v in values]
        if column in exact:
            fractions = exact[column](table)
            rounded = [r if f is None or math.isnan(r) else round_half_up(f) for r, f in zip(rounded, fractions)]
        out[column] = pd.Series(rounded, index=table.index, dtype="float64")
    return out


def published_values(values: Mapping) -> dict:
    """A test's numbers (a mapping of names to values) with every float at :data:`SIGNIFICANT`
    significant digits; other values (text, whole numbers, lists, tables) unchanged."""
    out = {}
    for key, value in values.items():
        if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
            value = round_significant(float(perturbed(np.array([float(value)]))[0]))
        out[key] = value
    return out


def is_published(value: float) -> bool:
    """Whether a float is what :func:`published_table` or :func:`published_values` gives."""
    if not math.isfinite(value) or value == 0:
        return True
    return value == round_half_up(value) or value == round_significant(value)


def check_published(table: pd.DataFrame, where: str) -> None:
    """RuntimeError if a float column of ``table`` holds a value that was not rounded for publication
    (a writer was handed a number that did not pass through this module: a bug of the pipeline)."""
    for column, series in table.items():
        if not _is_float_column(series):
            continue
        bad = [v for v in series.to_numpy(dtype=float) if not is_published(float(v))]
        if bad:
            raise RuntimeError(f"{where}: column {column!r} holds {bad[0]!r}, not rounded for publication "
                               "(netclean_survey.core.rounding.published_table)")
