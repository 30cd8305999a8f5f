"""Which whole counts can give a published percentage or mean: the GRIM test, in exact arithmetic.

An auditor who has only the printed report can still check its numbers. A share of ``n``
respondents is ``k / n`` for a whole ``k``; printed with ``d`` decimals it is that fraction
rounded. So, for a printed value and a base ``n``, the counts ``k`` that give it form a (possibly
empty) run of whole numbers, found by solving one interval inequality. No ``k`` at all means the
printed value and the base cannot both be right. This is the GRIM test (granularity-related
inconsistency of means) of Brown & Heathers (2017), for means of integer data; a percentage is the
mean of 0/1 answers times 100, so the same reasoning applies to it.

Everything is exact: printed values are parsed as text into :class:`decimal.Decimal` (so ``"40"``
and ``"40.0"`` are different claims, with different rounding intervals) and all arithmetic is in
:class:`fractions.Fraction`. Binary floats are never used: ``0.1`` has no exact float, and
Python's ``round`` (half-even on the binary value) gives ``round(2.675, 2) == 2.67``.

Rounding rules (``rule``), with the :mod:`decimal` mode they agree with:

- ``"half-up"``: to the nearest value, halves away from zero (``ROUND_HALF_UP``; Excel's ROUND,
  SPSS, SAS, most people by hand). On negative numbers this is "half away from zero", not
  "half towards plus infinity".
- ``"half-even"``: to the nearest value, halves to the even last digit (``ROUND_HALF_EVEN``;
  R's ``round``, IEEE 754's default, numpy's ``round``).
- ``"truncate"``: digits dropped, towards zero (``ROUND_DOWN``).

Public functions: :func:`counts_for` (and :func:`count_range`) for one printed share,
:func:`grim_mean` (and :func:`grim_mean_check`) for a mean of integer data, :func:`check_rows`
and :func:`check_groups` for a table of printed shares, and :func:`check_published`, which reads
such a table from a CSV file (``config/published/*.csv``; see the README there).

References
----------
- Brown, N. J. L. and Heathers, J. A. J. (2017). The GRIM test: a simple technique detects
  numerous anomalies in the reporting of results in psychology. *Social Psychological and
  Personality Science* 8(4), 363-369.
- Python Software Foundation. :mod:`decimal` documentation, "Rounding modes" (the names of
  the three rules).
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from os import PathLike

import pandas as pd

from ..core.interval import Interval, sum_contains

#: The rounding rules, in the order of the output columns.
RULES = ("half-up", "half-even", "truncate")


#: Columns a published-values table must have (:func:`check_rows`, :func:`check_groups`).
INPUT_COLUMNS = ("group", "option", "printed", "n")


#: Columns of :func:`check_rows`, in order.
ROW_COLUMNS = (
    "group",
    "option",
    "printed",
    "n",
    "decimals",
    "counts_half_up",
    "counts_half_even",
    "counts_truncate",
    "consistent_half_up",
    "consistent_half_even",
    "consistent_truncate",
    "verdict",
    "consistent_rules",
    "informative",
    "nearest_half_up",
)


#: Columns of :func:`check_groups`, in order.
GROUP_COLUMNS = (
    "group",
    "n",
    "options",
    "printed",
    "printed_sum",
    "complete",
    "complete_half_up",
    "feasible_half_up",
    "example_half_up",
    "complete_half_even",
    "feasible_half_even",
    "example_half_even",
    "complete_truncate",
    "feasible_truncate",
    "example_truncate",
    "verdict",
    "consistent_rules",
)


#: Runs of more counts than this are written ``"first..last"`` by :func:`format_counts`.
MAX_LISTED_COUNTS = 10


# A printed number: optional sign, digits, optionally one decimal point or comma and digits
# (".5" and ",5" too). No exponent, no thousands separator, no percent sign.
_NUMBER = re.compile(r"([+-]?)([0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)")


def check_rule(rule: str) -> str:
    """Return ``rule`` if it is one of :data:`RULES`, else ValueError listing them."""
    if rule not in RULES:
        raise ValueError(f"unknown rounding rule {rule!r}; allowed: {', '.join(RULES)}")
    return rule


def _check_whole(value, name: str, minimum: int) -> int:
    """``value`` as an int if it is a whole number (not a bool, not a float) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def parse_printed(printed: str) -> Decimal:
    """The exact value of a number as printed, keeping its decimals.

    ``printed`` must be text: ``"40"`` (no decimals) and ``"40.0"`` (one decimal) are different
    claims, a distinction a float cannot keep. Accepted: an optional sign, digits and at most
    one decimal point or decimal comma (``"16.3"``, ``"16,3"``, ``".5"``), surrounding white
    space ignored. Rejected with a ValueError: anything else (thousands separators, exponents,
    percent signs, empty text). A non-string raises a ValueError too.
    """
    if not isinstance(printed, str):
        raise ValueError(
            f"the printed value must be text as printed (e.g. '54.4'), got {type(printed).__name__} {printed!r}; "
            "a number cannot tell '40' from '40.0'"
        )
    text = printed.strip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(
            f"printed value {printed!r} is not a plain decimal number "
            "(digits with at most one decimal point or comma; no %, exponent or thousands separator)"
        )
    return Decimal(match.group(1) + match.group(2).replace(",", "."))


def decimals_of(value: Decimal) -> int:
    """Number of decimals ``value`` is printed with (``Decimal("40.0")`` -> 1, ``"40"`` -> 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -int(exponent))


def round_exact(x: Fraction, decimals: int, rule: str) -> Decimal:
    """The exact number ``x`` rounded to ``decimals`` decimals by ``rule``, as a Decimal.

    Integer arithmetic only (the forward direction of :func:`rounding_interval`); used to say
    what neighbouring counts print as. A result of zero is unsigned (``"0.0"``, never ``"-0.0"``).
    """
    check_rule(rule)
    q = Fraction(x) * 10**decimals
    sign = -1 if q < 0 else 1
    a = abs(q)
    whole = math.floor(a)
    rest = a - whole
    if rule == "truncate":
        digits = whole
    elif rule == "half-up":
        digits = whole + (rest >= Fraction(1, 2))
    else:  # half-even
        digits = whole + (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2 == 1))
    return Decimal(sign * digits).scaleb(-decimals)


def rounding_interval(value: Decimal, rule: str) -> Interval:
    """All exact numbers that ``rule`` rounds to ``value`` (with ``value``'s decimals).

    With ``u = 10**-d`` for ``d`` decimals and ``h = u / 2``, for ``value > 0``:

    - half-up: ``[value - h, value + h)``;
    - half-even: ``[value - h, value + h]`` if the last digit is even, ``(value - h, value + h)``
      if it is odd (a tie goes to the even neighbour);
    - truncate: ``[value, value + u)``.

    A negative value is the mirror image (half-up: ``(value - h, value + h]``, truncate:
    ``(value - u, value]``). A printed ``-0`` (``Decimal("-0.0")``) is a negative number rounded
    to zero: half-up ``(-h, 0)``, half-even ``[-h, 0)``, truncate ``(-u, 0)``. An unsigned zero is
    read leniently as either sign (reports often drop the sign of a negative zero): half-up
    ``(-h, h)``, half-even ``[-h, h]``, truncate ``(-u, u)``; for shares (never negative) only
    the non-negative part matters.
    """
    check_rule(rule)
    d = decimals_of(value)
    u = Fraction(1, 10**d)
    h = u / 2
    v = Fraction(value)
    if value.is_zero():
        if rule == "half-up":
            neg, pos = Interval(-h, Fraction(0), False, False), Interval(Fraction(0), h, True, False)
        elif rule == "half-even":
            neg, pos = Interval(-h, Fraction(0), True, False), Interval(Fraction(0), h, True, True)
        else:
            neg, pos = Interval(-u, Fraction(0), False, False), Interval(Fraction(0), u, True, False)
        if value.is_signed():
            return neg
        return Interval(neg.low, pos.high, neg.low_closed, pos.high_closed)
    a = abs(v)
    if rule == "half-up":
        positive = Interval(a - h, a + h, True, False)
    elif rule == "half-even":
        even = int(abs(value).scaleb(d)) % 2 == 0
        positive = Interval(a - h, a + h, even, even)
    else:
        positive = Interval(a, a + u, True, False)
    if v > 0:
        return positive
    return Interval(-positive.high, -positive.low, positive.high_closed, positive.low_closed)


def share_interval(value: Decimal, rule: str, scale: int = 100) -> Interval | None:
    """The exact shares in ``[0, scale]`` that print as ``value`` under ``rule``; None if none.

    ValueError if ``value`` is negative (or ``-0``) or exceeds ``scale``: a share cannot (a
    value above ``scale`` usually means the wrong scale, e.g. a percentage with ``scale=1``).
    """
    scale = _check_whole(scale, "scale", 1)
    if value.is_signed():
        raise ValueError(f"a share cannot be negative, got {value}")
    if value > scale:
        raise ValueError(f"a share cannot exceed the whole ({scale}), got {value}; is the scale right?")
    return rounding_interval(value, rule).clipped(Fraction(0), Fraction(scale))


def count_range(printed: str, n: int, rule: str, scale: int = 100) -> range:
    """The whole counts ``k`` in ``0..n`` whose share ``k / n * scale`` prints as ``printed``.

    Solved directly, without a loop: ``k`` lies in ``n / scale`` times the rounding interval of
    ``printed`` (:func:`rounding_interval`), i.e. from ``ceil(n * lo / scale)`` to
    ``floor(n * hi / scale)``, one less or more at an open end. The result is a run of
    consecutive counts (a ``range``; empty when the printed value and ``n`` are inconsistent).
    """
    n = _check_whole(n, "n", 1)
    check_rule(rule)
    interval = share_interval(parse_printed(printed), rule, scale)
    if interval is None:
        return range(0)
    return interval.scaled(Fraction(n, scale)).integers()


def counts_for(printed: str, n: int, rule: str, scale: int = 100) -> list[int]:
    """The whole counts ``k`` in ``0..n`` with ``k / n * scale``, rounded by ``rule`` to the decimals
    printed, equal to ``printed`` (text: ``"40"`` and ``"40.0"`` differ; ``"16,3"`` is accepted).

    GRIM for a share (Brown & Heathers 2017): an empty list means no whole number of the ``n``
    respondents gives the printed value. Exact arithmetic; see :func:`count_range`.
    ``scale`` is 100 for percentages, 1 for proportions, 1000 for per mille.
    """
    return list(count_range(printed, n, rule, scale))


def informative(n: int, decimals: int, scale: int = 100) -> bool:
    """Whether a share of ``n`` printed with ``decimals`` decimals can be inconsistent at all.

    Consecutive shares are ``scale / n`` apart, a printed value's rounding interval is
    ``10**-decimals`` wide: once ``n >= scale * 10**decimals`` every printed value in
    ``[0, scale]`` has a count (GRIM cannot tell); below that some value has none (there are more
    printed values than counts).
    """
    return n < scale * 10**decimals


def format_counts(counts: range | list[int]) -> str:
    """Counts as text: ``""`` (none), ``"148"``, ``"147;148"``; a run longer than
    :data:`MAX_LISTED_COUNTS` as ``"first..last"`` (every count from first to last)."""
    counts = list(counts) if not isinstance(counts, range) else counts
    if len(counts) == 0:
        return ""
    if len(counts) > MAX_LISTED_COUNTS:
        return f"{counts[0]}..{counts[-1]}"
    return ";".join(str(k) for k in counts)


def nearest_counts(value: Decimal, n: int, scale: int = 100) -> str:
    """The counts either side of ``value * n / scale`` and what they print as under half-up,
    e.g. ``"55 -> 20.2; 56 -> 20.6"``: what an auditor shows next to an inconsistent value."""
    exact = Fraction(value) * n / scale
    ks = sorted({min(n, max(0, math.floor(exact))), min(n, max(0, math.ceil(exact)))})
    d = decimals_of(value)
    return "; ".join(f"{k} -> {round_exact(Fraction(k * scale, n), d, 'half-up')}" for k in ks)


@dataclass(frozen=True)
class GrimResult:
    """The outcome of :func:`grim_mean_check`.

    ``totals``: the integer totals ``T`` with ``T / (n * items)`` printing as the mean (a range;
    empty when inconsistent). ``informative``: False when ``n * items >= 10**decimals``, where
    every value with this many decimals has a total and GRIM cannot tell (``consistent`` is then
    always True and says nothing).
    """

    printed: str
    n: int
    items: int
    rule: str
    decimals: int
    totals: range
    consistent: bool
    informative: bool


def grim_mean_check(printed: str, n: int, rule: str = "half-up", items: int = 1) -> GrimResult:
    """GRIM (Brown & Heathers 2017) for a mean of ``n`` answers, each the sum of ``items``
    integer items: is there an integer total ``T`` with ``T / (n * items)`` printing as
    ``printed`` under ``rule``? Returns the totals and whether the test can tell at all.

    The total is unbounded (any integer, either sign): the scale's range is not known here, so
    only granularity is tested. ``printed`` is text (``"5.20"`` and ``"5.2"`` differ).
    """
    n = _check_whole(n, "n", 1)
    items = _check_whole(items, "items", 1)
    check_rule(rule)
    value = parse_printed(printed)
    d = decimals_of(value)
    cells = n * items
    totals = rounding_interval(value, rule).scaled(Fraction(cells)).integers()
    return GrimResult(
        printed=printed,
        n=n,
        items=items,
        rule=rule,
        decimals=d,
        totals=totals,
        consistent=len(totals) > 0,
        informative=cells < 10**d,
    )


def grim_mean(printed: str, n: int, rule: str = "half-up", items: int = 1) -> bool:
    """True if some integer total gives the printed mean of ``n`` answers (``items`` items each).

    Brown & Heathers (2017): a mean of 5.19 from 28 integer answers is impossible (145/28 =
    5.179, 146/28 = 5.214). When ``n * items >= 10**decimals`` every printed value passes and
    the True is uninformative; :func:`grim_mean_check` says so in its ``informative`` field.
    """
    return grim_mean_check(printed, n, rule, items).consistent


@dataclass(frozen=True)
class _Row:
    line: int
    group: str
    option: str
    printed: str
    value: Decimal
    n: int


def _where(source: str, position: int, column: str) -> str:
    """``"file.csv, line 3 (data row 2), column 'n'"``: data row ``position + 1``, +1 for the header."""
    return f"{source}, line {position + 2} (data row {position + 1}), column {column!r}"


def _parse_n(raw, where: str) -> int:
    """A base written as a positive whole number (text of digits, or an int)."""
    if isinstance(raw, str):
        text = raw.strip()
        if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
            raise ValueError(f"{where}: n must be a positive whole number written with digits only, got {raw!r}")
        return int(text)
    if isinstance(raw, numbers.Integral) and not isinstance(raw, bool) and raw >= 1:
        return int(raw)
    raise ValueError(f"{where}: n must be a positive whole number, got {raw!r}")


def _parse_label(raw, where: str, what: str) -> str:
    """A non-empty group or option name without ``;`` (the separator of the output lists)."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"{where}: the {what} must be non-empty text, got {raw!r}")
    if ";" in raw:
        raise ValueError(f"{where}: the {what} must not contain ';' (it separates lists in the output), got {raw!r}")
    return raw.strip()


def _validated_rows(table: pd.DataFrame, source: str, scale: int) -> list[_Row]:
    """Parse and check every row; ValueError naming ``source``, the line and the column."""
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{source}: expected a DataFrame, got {type(table).__name__}")
    missing = [c for c in INPUT_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(
            f"{source}: missing column(s) {missing}; need {list(INPUT_COLUMNS)}, got {list(table.columns)}"
        )
    rows = []
    for position, record in enumerate(table[list(INPUT_COLUMNS)].itertuples(index=False, name=None)):
        group, option, printed, n = record
        group = _parse_label(group, _where(source, position, "group"), "group")
        option = _parse_label(option, _where(source, position, "option"), "option")
        where = _where(source, position, "printed")
        try:
            value = parse_printed(printed)
            share_interval(value, "half-up", scale)  # sign and range
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        rows.append(
            _Row(position + 2, group, option, printed.strip(), value, _parse_n(n, _where(source, position, "n")))
        )
    return rows


def check_rows(table: pd.DataFrame, source: str, scale: int = 100) -> pd.DataFrame:
    """GRIM for every printed share of ``table``, under each rule of :data:`RULES`.

    ``table`` has columns ``group, option, printed, n`` as text (extra columns are ignored):
    ``printed`` a plain decimal number (decimal point or comma), ``n`` a positive whole number.
    A bad value raises a ValueError naming ``source``, the file line (data row + 1 for the
    header) and the column.

    One output row per input row, columns :data:`ROW_COLUMNS`: the counts that give the printed
    value under each rule (:func:`format_counts`: ``"148"``, ``"147;148"``, ``""`` for none),
    whether there are any, ``verdict`` (``"consistent"`` if some rule gives a count, else
    ``"inconsistent"``), ``consistent_rules`` (the rules that do, ``;``-separated),
    ``informative`` (False when ``n`` is so large that every printed value has a count:
    :func:`informative`) and ``nearest_half_up`` (:func:`nearest_counts`).
    """
    out = []
    for row in _validated_rows(table, source, scale):
        record = {
            "group": row.group,
            "option": row.option,
            "printed": row.printed,
            "n": row.n,
            "decimals": decimals_of(row.value),
        }
        ranges = {rule: count_range(row.printed, row.n, rule, scale) for rule in RULES}
        for rule in RULES:
            record[f"counts_{_key(rule)}"] = format_counts(ranges[rule])
        for rule in RULES:
            record[f"consistent_{_key(rule)}"] = len(ranges[rule]) > 0
        good = [rule for rule in RULES if len(ranges[rule]) > 0]
        record["verdict"] = "consistent" if good else "inconsistent"
        record["consistent_rules"] = ";".join(good)
        record["informative"] = informative(row.n, decimals_of(row.value), scale)
        record["nearest_half_up"] = nearest_counts(row.value, row.n, scale)
        out.append(record)
    return _frame(out, ROW_COLUMNS)


def _key(rule: str) -> str:
    return rule.replace("-", "_")


def _frame(records: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(columns))
    for column in columns:
        if (
            column.startswith(("consistent_half", "consistent_truncate", "feasible_", "complete"))
            or column == "informative"
        ):
            frame[column] = frame[column].astype(bool)
        elif column in ("n", "decimals"):
            frame[column] = frame[column].astype("int64")
    return frame


def complete_under(values: list[Decimal], rule: str, scale: int = 100) -> bool:
    """Whether printed shares can add up to the whole (``scale``) within ``rule``'s rounding.

    True if one exact share from each value's rounding interval under ``rule`` (clipped to
    ``[0, scale]``: :func:`share_interval`) can sum to exactly ``scale``: the sum of the lower
    ends <= ``scale`` <= the sum of the upper ends, open ends respected. The printed options are
    then taken to be all the options of the question. A judgement from the printed values
    alone: a group missing only a tiny option can look complete.
    """
    intervals = [share_interval(v, rule, scale) for v in values]
    return all(i is not None for i in intervals) and sum_contains(intervals, Fraction(scale))


def joint_counts(ranges: list[range], n: int, complete: bool) -> list[int] | None:
    """One count per option, each in its range, summing to ``n`` (``complete``) or at most ``n``.

    Exact and direct: feasible iff every range is non-empty and ``sum(firsts) <= n``, and for
    a complete group also ``n <= sum(lasts)``. Returns an example vector (the smallest counts,
    topped up option by option to reach ``n`` for a complete group) or None if infeasible.
    """
    if any(len(r) == 0 for r in ranges):
        return None
    low = sum(r[0] for r in ranges)
    high = sum(r[-1] for r in ranges)
    if low > n or (complete and high < n):
        return None
    counts = [r[0] for r in ranges]
    if complete:
        short = n - low
        for i, r in enumerate(ranges):
            step = min(short, r[-1] - r[0])
            counts[i] += step
            short -= step
    return counts


def check_groups(table: pd.DataFrame, source: str = "<table>", scale: int = 100) -> pd.DataFrame:
    """GRIM for whole groups: can ONE vector of whole counts give every printed share at once?

    A group is the options of one single-choice question (options exclusive), all with the same
    ``n`` (ValueError otherwise, naming the group and lines). Under a rule, a group is complete
    when its printed values can add up to the whole within that rule's rounding
    (:func:`complete_under`); then the counts must sum to ``n``, otherwise (options not
    printed) to at most ``n``. Completeness is judged per rule, so that a rule is never declared
    inconsistent only because another rule's rounding could make the group look complete. Each
    option's feasible counts form a run (:func:`count_range`), so the joint question is a sum
    constraint, solved exactly by :func:`joint_counts`. A group can fail although each value
    alone passes.

    One output row per group (in order of first appearance), columns :data:`GROUP_COLUMNS`:
    ``options`` and ``printed`` (``;``-separated, in input order), ``printed_sum`` (exact),
    ``complete`` (complete under at least one rule), per rule ``complete_*``, ``feasible_*`` and
    ``example_*`` (a count vector in option order, ``""`` if infeasible), ``verdict``
    (``"consistent"`` if some rule is feasible, else ``"inconsistent"``) and
    ``consistent_rules``. Input rules as for :func:`check_rows`; an option twice in one group is
    an error.
    """
    rows = _validated_rows(table, source, scale)
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    out = []
    for name, members in groups.items():
        ns = sorted({r.n for r in members})
        if len(ns) > 1:
            detail = ", ".join(f"line {r.line}: n={r.n}" for r in members)
            raise ValueError(f"{source}: group {name!r} has more than one n ({detail}); a group is one question's base")
        seen: dict[str, int] = {}
        for r in members:
            if r.option in seen:
                raise ValueError(
                    f"{source}: group {name!r} has option {r.option!r} twice (lines {seen[r.option]} and {r.line})"
                )
            seen[r.option] = r.line
        n = ns[0]
        values = [r.value for r in members]
        complete = {rule: complete_under(values, rule, scale) for rule in RULES}
        record = {
            "group": name,
            "n": n,
            "options": ";".join(r.option for r in members),
            "printed": ";".join(r.printed for r in members),
            "printed_sum": str(sum(values, Decimal(0))),
            "complete": any(complete.values()),
        }
        good = []
        for rule in RULES:
            vector = joint_counts([count_range(r.printed, n, rule, scale) for r in members], n, complete[rule])
            record[f"complete_{_key(rule)}"] = complete[rule]
            record[f"feasible_{_key(rule)}"] = vector is not None
            record[f"example_{_key(rule)}"] = "" if vector is None else ";".join(str(k) for k in vector)
            if vector is not None:
                good.append(rule)
        record["verdict"] = "consistent" if good else "inconsistent"
        record["consistent_rules"] = ";".join(good)
        out.append(record)
    return _frame(out, GROUP_COLUMNS)


def check_published(path: str | PathLike, scale: int = 100) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a published-values CSV (columns ``group,option,printed,n``, UTF-8 with or without
    BOM, every cell as text) and return ``(check_rows(...), check_groups(...))``.

    ValueError naming the file if it has no data rows or a bad cell (see :func:`check_rows`).
    """
    source = str(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if table.empty:
        raise ValueError(f"{source}: no data rows")
    return check_rows(table, source, scale), check_groups(table, source, scale)
