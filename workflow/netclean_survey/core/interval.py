"""Exact intervals of real numbers: ends that are fractions, each open or closed.

One class for the two places that reason about intervals exactly: the rounding intervals of a
printed number (``audit.consistency``, GRIM) and the intervals that a claim's words stand for
(``audit.lexicon``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

HUNDRED = Fraction(100)


def number_text(value, lang: str = "en", places: int = 2) -> str:
    """A number with at most ``places`` decimals (trailing zeros dropped), decimal comma in Swedish.

    Exact rationals are rounded half up from their exact value (1/3 of 100 is "33.33").
    """
    exact = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)
    scaled = abs(exact) * 10**places
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // 10**places}"
    rest = whole % 10**places
    if rest:
        text += "." + f"{rest:0{places}d}".rstrip("0")
    if exact < 0 and whole:
        text = "-" + text
    return text.replace(".", ",") if lang == "sv" else text


@dataclass(frozen=True)
class Interval:
    """A real interval with exact ends, each open or closed (``low`` <= ``high``), and what it
    means in words (``explanation``, for a claim's interval of a percentage).

    ``low`` and ``high`` are exact rationals (:class:`fractions.Fraction`): "en tredjedel" is
    exactly 100/3 and the rounding interval of "16.3" exactly [16.25, 16.35), so a share on the
    line (13 of 80 is 16.25 %) falls on the side the rule says, not the side binary floating
    point happens to give. They compare equal to ints and floats of the same value.
    """

    low: Fraction
    high: Fraction
    low_closed: bool
    high_closed: bool
    explanation: str = ""

    def contains(self, value) -> bool:
        """Whether the number ``value`` (percent; int, float or Fraction) lies in the interval."""
        x = float(value) if isinstance(value, float) else Fraction(value)
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return bool(above and below)

    def contains_range(self, low, high) -> bool:
        """Whether the whole closed range [low, high] (e.g. a confidence interval) lies inside."""
        return self.contains(low) and self.contains(high)

    def misses_range(self, low, high) -> bool:
        """Whether the closed range [low, high] and the interval have no point in common."""
        left = high < self.low or (high == self.low and not self.low_closed)
        right = low > self.high or (low == self.high and not self.high_closed)
        return bool(left or right)

    def same_set(self, other: "Interval") -> bool:
        """Whether both intervals hold the same numbers (their explanations may differ)."""
        return (self.low, self.high, self.low_closed, self.high_closed) == (
            other.low,
            other.high,
            other.low_closed,
            other.high_closed,
        )

    def notation(self, lang: str = "en") -> str:
        """ "(16, 17.5]" in English, "(16; 17,5]" in Swedish (decimal comma, semicolon)."""
        separator = "; " if lang == "sv" else ", "
        return (
            ("[" if self.low_closed else "(")
            + number_text(self.low, lang)
            + separator
            + number_text(self.high, lang)
            + ("]" if self.high_closed else ")")
        )

    def __str__(self) -> str:
        return self.notation("en")

    def scaled(self, factor: Fraction) -> Interval:
        """The interval times a positive ``factor`` (ends keep their open or closed kind)."""
        if factor <= 0:
            raise ValueError(f"scale factor must be positive, got {factor}")
        return Interval(self.low * factor, self.high * factor, self.low_closed, self.high_closed, self.explanation)

    def clipped(self, low: Fraction, high: Fraction) -> Interval | None:
        """The part of the interval inside the closed ``[low, high]``; None if that is empty."""
        new_low, low_closed = (self.low, self.low_closed) if self.low > low else (low, self.low_closed or self.low < low)
        new_high, high_closed = (
            (self.high, self.high_closed) if self.high < high else (high, self.high_closed or self.high > high)
        )
        if new_low > new_high or (new_low == new_high and not (low_closed and high_closed)):
            return None
        return Interval(new_low, new_high, low_closed, high_closed, self.explanation)

    def integers(self) -> range:
        """The whole numbers in the interval, as a (possibly empty) range; no loop."""
        first = math.ceil(self.low) if self.low_closed else math.floor(self.low) + 1
        last = math.floor(self.high) if self.high_closed else math.ceil(self.high) - 1
        return range(first, max(first, last + 1))



def sum_contains(intervals: list[Interval], target: Fraction) -> bool:
    """Whether one value from each interval can add up to exactly ``target``.

    The set of such sums is the interval from the sum of the lower ends to the sum of the upper
    ends, closed at an end only if every interval is closed there.
    """
    total = Interval(
        sum((i.low for i in intervals), Fraction(0)),
        sum((i.high for i in intervals), Fraction(0)),
        all(i.low_closed for i in intervals),
        all(i.high_closed for i in intervals),
    )
    return total.contains(target)
