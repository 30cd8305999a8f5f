"""The report's claims, claim by claim, as testable statements checked against the data.

The report says "drygt 16 procent", "nästan en tredjedel", "de allra flesta i åldersspannet elva
till tretton år", "lika vanligt i alla tre världsdelarna". This module turns such words into
statements about the survey's shares and says, for each, whether the data give it:

- :func:`load_lexicon` / :func:`parse_phrase`: quantity words (Swedish and English) to an
  :class:`Interval` of a percentage, by the rules and margins of ``config/lexicon.yaml``;
- :func:`load_claims` / :func:`check_claims`: the claims in their structured form
  (``config/claims/*.yaml``), one kind each (:data:`CLAIM_KINDS`);
- :func:`evaluate_claims`: one result row per claim (:data:`RESULT_COLUMNS`) with a verdict
  (:data:`VERDICTS`) and the strength of the evidence (:data:`EVIDENCE`);
- :func:`summarise_claims`: one row per numbered claim of the survey reference (several claims
  may test parts of one numbered claim);
- :func:`claims_markdown`: the audit report, in Swedish or English.

Verdict and evidence (the contract shown to auditors):

- ``reproduced``: the point estimate satisfies the claim; ``not reproduced`` otherwise.
- ``robust``: the whole confidence interval satisfies it (or, for comparisons of options, every
  needed difference is significant after Holm's adjustment in the claimed direction);
  ``fragile``: the data neither establish nor refute it (the interval crosses the line);
  ``contradicted``: the data speak against it (the interval lies wholly on the wrong side, or a
  needed difference is significant in the wrong direction).

The statistics are the project's own, reused, never rewritten here: shares and intervals from the
estimates table (:mod:`netclean_survey.estimate`; :func:`~netclean_survey.estimate.proportion_interval`
for shares the table does not hold), the respondents of a question from
:func:`netclean_survey.sides.side`, paired comparisons of options from
:func:`netclean_survey.paired.compare_options` (McNemar 1947 exact test, Newcombe 1998b method 10
interval) with Holm (1979) by :func:`netclean_survey.paired.holm_adjust`, where the distribution
of two questions sits from :func:`netclean_survey.comparisons.run_paired_questions`
(:func:`~netclean_survey.paired.compare_paired_questions`), a gap between options across waves
from :func:`netclean_survey.comparisons.run_contrast` (:func:`~netclean_survey.paired.gap_contrast`)
and a difference of shares between waves from :func:`netclean_survey.compare.two_sample_by_option`
(Newcombe 1998 hybrid score interval, score test).

"About equally common" is an equivalence statement (Schuirmann 1987; Wellek 2010): options are
equal when every pairwise difference lies within +/- a margin fixed in advance
(``settings["equivalence_margin"]``, percentage points); the evidence is robust when every
paired interval lies inside the margin.

No file I/O in :func:`evaluate_claims` (the loaders read YAML with ``yaml.safe_load`` only).

References
----------
- McNemar, Q. (1947). Note on the sampling error of the difference between correlated
  proportions or percentages. *Psychometrika* 12(2), 153-157.
- Newcombe, R. G. (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890.
- Newcombe, R. G. (1998b). Improved confidence intervals for the difference between binomial
  proportions based on paired data. *Statistics in Medicine* 17(22), 2635-2650.
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2), 65-70.
- Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
  approach for assessing the equivalence of average bioavailability. *Journal of
  Pharmacokinetics and Biopharmaceutics* 15(6), 657-680.
- Wellek, S. (2010). *Testing Statistical Hypotheses of Equivalence and Noninferiority*, 2nd ed.
  Chapman & Hall/CRC.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from . import SYNTHETIC_NOTE
from .codebook import Codebook, ConfigError, Wave, read_yaml
from .compare import DIFF_CI_METHOD, TWO_SAMPLE_TEST, two_sample_by_option
from .consistency import decimals_of, parse_printed, rounding_interval
from .comparisons import run_contrast, run_paired_questions
from .estimate import check_conf_level, check_interval_method, proportion_interval
from .paired import (
    GAP_DIFFERENCE_INTERVAL_METHOD,
    MCNEMAR_TEST,
    MEAN_SCORE_INTERVAL_METHOD,
    MEAN_SCORE_TEST,
    PAIRED_INTERVAL_METHOD,
    compare_options,
    holm_adjust,
)
from .plan import Comparison
from .sides import side

LANGS = ("sv", "en")

#: Qualifier rules of the lexicon (the words are configuration, the rules are these).
QUALIFIER_RULES = ("just_over", "just_under", "more_than", "less_than", "at_least", "at_most", "about")

#: Claim kinds and the fields each needs (besides ``id``, ``survey_claim``, ``words``, ``kind``).
CLAIM_KINDS = ("share", "order", "mode", "top", "equal", "present", "change", "shift")

VERDICTS = ("reproduced", "not reproduced")
EVIDENCE = ("robust", "fragile", "contradicted")

#: Columns of :func:`evaluate_claims`, in order.
RESULT_COLUMNS = (
    "id",
    "survey_claim",
    "wave",
    "kind",
    "words_sv",
    "words_en",
    "statement_sv",
    "statement_en",
    "estimate",
    "ci_low",
    "ci_high",
    "unit",
    "n",
    "method",
    "verdict",
    "evidence",
    "note",
)

#: ``unit`` values of the result rows.
UNITS = ("percent", "percentage points", "respondents", "score")

#: Settings of :func:`evaluate_claims` and their defaults. ``equivalence_margin`` is in
#: percentage points; ``alpha`` is the level of the tests (Holm-adjusted where several are needed).
DEFAULT_SETTINGS = {
    "conf_level": 0.95,
    "alpha": 0.05,
    "equivalence_margin": 10.0,
    "interval_method": "wilson",
}

_HUNDRED = Fraction(100)


class ClaimError(ConfigError):
    """A claim or the lexicon is wrong, or a phrase is not understood: the message says where."""


# --------------------------------------------------------------------------------------------
# numbers as text


def _number_text(value, lang: str = "en", places: int = 2) -> str:
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


def _fixed(value: float, places: int, lang: str, signed: bool = False) -> str:
    """``value`` with exactly ``places`` decimals (half up on the shortest repr); "–" for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    exact = Fraction(repr(float(value)))
    scaled = abs(exact) * 10**places
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // 10**places}"
    if places:
        text += "." + f"{whole % 10**places:0{places}d}"
    if exact < 0 and whole:
        text = "-" + text
    elif signed and whole:
        text = "+" + text
    return text.replace(".", ",") if lang == "sv" else text


# --------------------------------------------------------------------------------------------
# intervals


@dataclass(frozen=True)
class Interval:
    """An interval of a percentage (0-100) with open or closed ends, and what it means in words.

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
            + _number_text(self.low, lang)
            + separator
            + _number_text(self.high, lang)
            + ("]" if self.high_closed else ")")
        )

    def __str__(self) -> str:
        return self.notation("en")


_BOUND_WORDS = {
    "en": {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than", "and": "and"},
    "sv": {"ge": "minst", "gt": "mer än", "le": "högst", "lt": "mindre än", "and": "och"},
}


def describe_interval(low, high, low_closed: bool, high_closed: bool, lang: str = "en") -> str:
    """The interval in words: "more than 80 %", "more than 16 % and at most 17.5 %"."""
    words = _BOUND_WORDS[lang]
    low_text = f"{words['ge' if low_closed else 'gt']} {_number_text(low, lang)} %"
    high_text = f"{words['le' if high_closed else 'lt']} {_number_text(high, lang)} %"
    if high == _HUNDRED and high_closed:
        return low_text
    if low == 0 and low_closed:
        return high_text
    return f"{low_text} {words['and']} {high_text}"


def _interval(low, high, low_closed, high_closed, phrase: str, lang: str) -> Interval:
    """An Interval clipped to [0, 100] (a clipped end is closed: 0 % and 100 % are shares too),
    explained as '<phrase>: <the interval in words>'."""
    low, high = Fraction(low), Fraction(high)
    if low < 0:
        low, low_closed = Fraction(0), True
    if high > _HUNDRED:
        high, high_closed = _HUNDRED, True
    meaning = describe_interval(low, high, low_closed, high_closed, lang)
    explanation = f"{phrase}: {meaning}" if phrase else meaning
    return Interval(low, high, bool(low_closed), bool(high_closed), explanation)


# --------------------------------------------------------------------------------------------
# the lexicon


@dataclass(frozen=True)
class Lexicon:
    """The quantity words of ``config/lexicon.yaml``, normalised, by language."""

    margins: dict[str, Fraction]  # "number", "fraction": percentage points
    units: dict[str, tuple[str, ...]]
    articles: dict[str, tuple[str, ...]]
    qualifiers: dict[str, dict[str, str]]  # lang -> word -> rule
    phrases: dict[str, dict[str, tuple]]  # lang -> phrase -> (low, high, low_closed, high_closed)
    number_words: dict[str, dict[str, int]]
    whole_fractions: dict[str, dict[str, Fraction]]
    parts: dict[str, dict[str, int]]
    indefinite: dict[str, tuple[str, ...]]
    of_words: dict[str, tuple[str, ...]]
    source: str = "lexicon"

    def known_words(self, lang: str) -> str:
        """Every word the lexicon knows in ``lang``, for error messages."""
        qualifiers = sorted(self.qualifiers[lang], key=lambda w: (self.qualifiers[lang][w], w))
        numbers = self.number_words[lang]
        return (
            f"phrases: {', '.join(sorted(self.phrases[lang]))}; "
            f"qualifiers: {', '.join(f'{w} ({self.qualifiers[lang][w]})' for w in qualifiers)}; "
            f"fractions: {', '.join(sorted(self.whole_fractions[lang]))}, "
            f"<count> <part> with parts {', '.join(sorted(self.parts[lang]))}, "
            f"<a> {'/'.join(self.of_words[lang])} <b>; "
            f"number words: {', '.join(sorted(numbers, key=lambda w: (numbers[w], w)))}; "
            f"plain numbers (16, 16.3, 16,3) with an optional unit ({', '.join(self.units[lang])})"
        )


def normalise_phrase(text: str) -> str:
    """NFC, case folded, dashes and non-breaking spaces made plain, whitespace collapsed, ends
    stripped of spaces and sentence punctuation."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-").replace("\u2010", "-")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" :;!?")


def _by_lang(data, key: str, source: str) -> dict[str, list]:
    """``data[key]`` as {lang: list of normalised strings} for both languages."""
    section = data.get(key)
    if not isinstance(section, Mapping) or set(section) != set(LANGS):
        raise ClaimError(f"{source}: {key} must map each of {LANGS} to a list of words")
    out = {}
    for lang in LANGS:
        words = section[lang]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ClaimError(f"{source}: {key}.{lang} must be a list of non-empty strings")
        out[lang] = [normalise_phrase(w) for w in words]
    return out


def _bound(value, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ClaimError(f"{where}: expected a number, got {value!r}")
    try:
        number = Fraction(str(value))
    except ValueError:
        raise ClaimError(f"{where}: expected a number, got {value!r}") from None
    if not 0 <= number <= 100:
        raise ClaimError(f"{where}: a percentage must lie in [0, 100], got {value!r}")
    return number


def parse_lexicon(data: Mapping, source: str = "lexicon") -> Lexicon:
    """Validate the lexicon's YAML data (see ``config/lexicon.yaml``) and index its words.

    ClaimError naming the key for a missing section, an unknown qualifier rule, a margin that is
    not a positive number, a bound outside [0, 100], or a word given two meanings.
    """
    if not isinstance(data, Mapping):
        raise ClaimError(f"{source}: expected a mapping at the top level")
    margins = data.get("margins")
    if not isinstance(margins, Mapping) or set(margins) != {"number", "fraction"}:
        raise ClaimError(f"{source}: margins must give exactly 'number' and 'fraction' (percentage points)")
    parsed_margins = {}
    for key, value in margins.items():
        number = _bound(value, f"{source}: margins.{key}")
        if number <= 0:
            raise ClaimError(f"{source}: margins.{key} must be positive, got {value!r}")
        parsed_margins[key] = number

    units = _by_lang(data, "units", source)
    articles = _by_lang(data, "articles", source)

    raw_qualifiers = data.get("qualifiers")
    if not isinstance(raw_qualifiers, Mapping):
        raise ClaimError(f"{source}: qualifiers must map rules {QUALIFIER_RULES} to words by language")
    unknown = [r for r in raw_qualifiers if r not in QUALIFIER_RULES]
    if unknown:
        raise ClaimError(f"{source}: qualifiers: unknown rules {unknown}; the rules are {QUALIFIER_RULES}")
    qualifiers: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for rule, words in raw_qualifiers.items():
        for lang, listed in _by_lang({"q": words}, "q", f"{source}: qualifiers.{rule}").items():
            for word in listed:
                if qualifiers[lang].get(word, rule) != rule:
                    raise ClaimError(
                        f"{source}: qualifier {word!r} ({lang}) is both {qualifiers[lang][word]} and {rule}"
                    )
                qualifiers[lang][word] = rule

    phrases: dict[str, dict[str, tuple]] = {lang: {} for lang in LANGS}
    for index, entry in enumerate(data.get("phrases") or []):
        where = f"{source}: phrases[{index}]"
        if not isinstance(entry, Mapping):
            raise ClaimError(f"{where}: expected a mapping")
        missing = [k for k in ("low", "high", "low_closed", "high_closed") if k not in entry]
        if missing:
            raise ClaimError(f"{where}: missing {missing}")
        low, high = _bound(entry["low"], f"{where}.low"), _bound(entry["high"], f"{where}.high")
        closed = (entry["low_closed"], entry["high_closed"])
        if not all(isinstance(c, bool) for c in closed):
            raise ClaimError(f"{where}: low_closed and high_closed must be true or false")
        if low > high or (low == high and not all(closed)):
            raise ClaimError(f"{where}: the interval is empty")
        for lang, words in _phrase_words(entry, where).items():
            for word in words:
                if word in phrases[lang]:
                    raise ClaimError(f"{where}: phrase {word!r} ({lang}) is listed twice")
                phrases[lang][word] = (low, high, closed[0], closed[1])

    raw_numbers = data.get("number_words")
    if not isinstance(raw_numbers, Mapping) or set(raw_numbers) != set(LANGS):
        raise ClaimError(f"{source}: number_words must map each of {LANGS} to word: number")
    number_words = {}
    for lang in LANGS:
        table = raw_numbers[lang]
        if not isinstance(table, Mapping) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in table.values()
        ):
            raise ClaimError(f"{source}: number_words.{lang} must map words to whole numbers >= 0")
        number_words[lang] = {normalise_phrase(k): int(v) for k, v in table.items()}

    fractions = data.get("fractions")
    if not isinstance(fractions, Mapping):
        raise ClaimError(f"{source}: fractions must give whole, parts, indefinite and of_words")
    whole_raw = fractions.get("whole")
    parts_raw = fractions.get("parts")
    if not isinstance(whole_raw, Mapping) or set(whole_raw) != set(LANGS):
        raise ClaimError(f"{source}: fractions.whole must map each of {LANGS} to phrase: 'a/b'")
    if not isinstance(parts_raw, Mapping) or set(parts_raw) != set(LANGS):
        raise ClaimError(f"{source}: fractions.parts must map each of {LANGS} to word: denominator")
    whole = {}
    parts = {}
    for lang in LANGS:
        whole[lang] = {}
        for phrase, value in (whole_raw[lang] or {}).items():
            try:
                share = Fraction(str(value))
            except ValueError:
                raise ClaimError(f"{source}: fractions.whole.{lang}.{phrase}: expected 'a/b', got {value!r}") from None
            if not 0 <= share <= 1:
                raise ClaimError(f"{source}: fractions.whole.{lang}.{phrase}: a fraction of 1 must lie in [0, 1]")
            whole[lang][normalise_phrase(phrase)] = share
        parts[lang] = {}
        for word, value in (parts_raw[lang] or {}).items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ClaimError(f"{source}: fractions.parts.{lang}.{word}: a denominator must be a whole number >= 1")
            parts[lang][normalise_phrase(word)] = value
    indefinite = _by_lang(fractions, "indefinite", f"{source}: fractions")
    of_words = _by_lang(fractions, "of_words", f"{source}: fractions")

    return Lexicon(
        margins=parsed_margins,
        units={k: tuple(v) for k, v in units.items()},
        articles={k: tuple(v) for k, v in articles.items()},
        qualifiers=qualifiers,
        phrases=phrases,
        number_words=number_words,
        whole_fractions=whole,
        parts=parts,
        indefinite={k: tuple(v) for k, v in indefinite.items()},
        of_words={k: tuple(v) for k, v in of_words.items()},
        source=source,
    )


def _phrase_words(entry: Mapping, where: str) -> dict[str, list[str]]:
    """The sv and en words of one entry of ``phrases``."""
    out = {}
    for lang in LANGS:
        words = entry.get(lang)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise ClaimError(f"{where}.{lang}: expected a non-empty list of phrases")
        out[lang] = [normalise_phrase(w) for w in words]
    return out


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate ``config/lexicon.yaml`` (``yaml.safe_load``); see :func:`parse_lexicon`."""
    return parse_lexicon(read_yaml(path), str(path))


# --------------------------------------------------------------------------------------------
# phrases


_DIGITS = re.compile(r"^(\d+)(?:[.,](\d+))?$")


def _number_word(word: str, lexicon: Lexicon, lang: str) -> int | None:
    """A number word, or a compound of tens and units ("tjugofem", "twenty-five"), else None."""
    words = lexicon.number_words[lang]
    if word in words:
        return words[word]
    tens = {w: v for w, v in words.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)}
    units = {w: v for w, v in words.items() if 1 <= v <= 9}
    for ten_word, ten in tens.items():
        for joiner in ("", "-", " "):
            prefix = ten_word + joiner
            if word.startswith(prefix) and word[len(prefix) :] in units:
                return ten + units[word[len(prefix) :]]
    return None


def _count(text: str, lexicon: Lexicon, lang: str) -> int | None:
    """A whole count in digits, a number word or an indefinite article (one), else None."""
    if text.isdigit():
        return int(text)
    if text in lexicon.indefinite[lang]:
        return 1
    return _number_word(text, lexicon, lang)


def _quantity(text: str, lexicon: Lexicon, lang: str):
    """(value in percent, kind "number"/"fraction", decimals printed or None) of a quantity, or None."""
    match = _DIGITS.match(text)
    if match:
        decimals = len(match.group(2) or "")
        value = Fraction(match.group(1) + ("." + match.group(2) if match.group(2) else ""))
        return value, "number", decimals
    number = _number_word(text, lexicon, lang)
    if number is not None:
        return Fraction(number), "number", 0
    if text in lexicon.whole_fractions[lang]:
        return lexicon.whole_fractions[lang][text] * 100, "fraction", None
    for of_word in sorted(lexicon.of_words[lang], key=len, reverse=True):
        pieces = text.split(f" {of_word} ")
        if len(pieces) == 2:
            a, b = _count(pieces[0], lexicon, lang), _count(pieces[1], lexicon, lang)
            if a is not None and b and a <= b:
                return Fraction(a, b) * 100, "fraction", None
    words = text.split(" ")
    part = lexicon.parts[lang].get(words[-1])
    if part is not None:
        count = 1 if len(words) == 1 else _count(" ".join(words[:-1]), lexicon, lang)
        if count is not None and count <= part:
            return Fraction(count, part) * 100, "fraction", None
    return None


def _strip_unit(text: str, lexicon: Lexicon, lang: str) -> str:
    for unit in sorted(lexicon.units[lang], key=len, reverse=True):
        if text.endswith(unit):
            rest = text[: -len(unit)]
            if rest.endswith(" ") or (rest and rest[-1].isdigit()):
                return rest.strip()
    return text


def parse_phrase(text: str, lexicon: Lexicon, lang: str) -> Interval:
    """The interval of a percentage that the words ``text`` (in ``lang``, "sv" or "en") state.

    See ``config/lexicon.yaml`` for the rules: "Drygt 16 procent" -> (16, 17.5], "nästan en
    tredjedel" -> [30.33, 33.33), "över 80 procent" -> (80, 100], "sju procent" -> [6.5, 7.5),
    "16,3" -> [16.25, 16.35), "de flesta" -> (50, 100]. The interval's ``explanation`` repeats
    the phrase and says what it means ("över 80 procent: mer än 80 %").

    ClaimError, listing every word the lexicon knows in that language, when the phrase is not
    understood; ValueError for a language other than sv or en.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if not isinstance(text, str):
        raise ClaimError(f"a phrase must be text, got {text!r}")
    phrase = normalise_phrase(text)
    if phrase in lexicon.phrases[lang]:
        low, high, low_closed, high_closed = lexicon.phrases[lang][phrase]
        return _interval(low, high, low_closed, high_closed, phrase, lang)

    rest = _strip_unit(phrase, lexicon, lang)
    rule = None
    for word in sorted(lexicon.qualifiers[lang], key=len, reverse=True):
        if rest.startswith(word + " "):
            rule, rest = lexicon.qualifiers[lang][word], rest[len(word) + 1 :].strip()
            break
    for article in lexicon.articles[lang]:
        if rest.startswith(article + " "):
            rest = rest[len(article) + 1 :].strip()
            break
    quantity = _quantity(rest, lexicon, lang) if rest else None
    if quantity is None:
        raise ClaimError(
            f"cannot read {text!r} ({lang}) as a share: expected a phrase, or [qualifier] [article] "
            f"quantity [unit]. Known words ({lexicon.source}): {lexicon.known_words(lang)}"
        )
    x, kind, decimals = quantity
    if x > 100:
        raise ClaimError(f"{text!r} ({lang}) is {_number_text(x)} %, more than 100 %")
    m = lexicon.margins[kind]
    if rule is None:
        if kind == "number":
            half = Fraction(1, 2) / 10**decimals
            return _interval(x - half, x + half, True, False, phrase, lang)
        return _interval(x - m, x + m, True, True, phrase, lang)
    bounds = {
        "just_over": (x, x + m, False, True),
        "just_under": (x - m, x, True, False),
        "more_than": (x, _HUNDRED, False, True),
        "less_than": (Fraction(0), x, True, False),
        "at_least": (x, _HUNDRED, True, True),
        "at_most": (Fraction(0), x, True, True),
        "about": (x - m, x + m, True, True),
    }[rule]
    return _interval(*bounds, phrase, lang)


def printed_interval(printed: str, lang: str = "en") -> Interval:
    """The rounding interval of a printed percentage: "54.4" -> [54.35, 54.45), "26" -> [25.5, 26.5).

    ``printed`` must be text (so its decimals are kept: "2.90" is not "2.9"), a plain number with
    a decimal point or comma. The interval is that of rounding half up, from
    :func:`netclean_survey.consistency.rounding_interval`. ClaimError otherwise.
    """
    if not isinstance(printed, str):
        raise ClaimError(f'a printed value must be quoted text such as "54.4" (its decimals count), got {printed!r}')
    if not _DIGITS.match(printed.strip()):
        raise ClaimError(f'a printed value must be a plain number such as "54.4" or "54,4", got {printed!r}')
    value = parse_printed(printed)
    if value > 100:
        raise ClaimError(f"printed value {printed!r} is more than 100 %")
    rounded = rounding_interval(value, "half-up")
    shown = _number_text(Fraction(value), lang, places=decimals_of(value))
    word = {"en": "printed", "sv": "tryckt"}[lang]
    return _interval(rounded.lo, rounded.hi, rounded.lo_closed, rounded.hi_closed, f"{word} {shown} %", lang)


# --------------------------------------------------------------------------------------------
# claims: structure


_COMMON_FIELDS = {"id", "survey_claim", "words", "kind", "remark"}
_KIND_FIELDS = {
    "share": ({"wave", "question"}, {"option", "options", "other_than", "phrase", "printed", "scope", "harmonise"}),
    "order": ({"wave", "question", "higher", "lower"}, {"harmonise"}),
    "mode": ({"wave", "question", "option"}, {"harmonise"}),
    "top": ({"wave", "question", "options"}, {"harmonise"}),
    "equal": ({"wave", "question", "options"}, {"harmonise"}),
    "present": ({"wave"}, {"question", "questions"}),
    "shift": ({"wave", "first", "second", "direction"}, set()),
    "change": ({"a", "b", "direction"}, {"waves", "harmonise", "contrast", "option"}),
}


def _text_list(value, where: str) -> list[str]:
    """An option id or a list of option ids as a list of strings; ClaimError otherwise."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v for v in items):
        raise ClaimError(f"{where}: expected an option id or a non-empty list of option ids, got {value!r}")
    if len(set(items)) != len(items):
        raise ClaimError(f"{where}: repeated option ids in {items}")
    return list(items)


def _wave_name(value, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ClaimError(f'{where}: a wave is a name such as "2018", got {value!r}')
    return str(value)


def check_claim(claim: Mapping, where: str = "claim") -> dict:
    """One claim, validated, as a plain dict with its lists normalised (see ``config/claims``).

    ClaimError naming the claim and the field for a missing or unknown field, a kind not in
    :data:`CLAIM_KINDS`, words not given in both languages, or a field of the wrong shape.
    """
    if not isinstance(claim, Mapping):
        raise ClaimError(f"{where}: a claim is a mapping, got {claim!r}")
    cid = claim.get("id")
    if not isinstance(cid, str) or not cid:
        raise ClaimError(f'{where}: a claim needs an id (text such as "2018-06")')
    where = f"{where} ({cid})"
    kind = claim.get("kind")
    if kind not in CLAIM_KINDS:
        raise ClaimError(f"{where}: kind must be one of {CLAIM_KINDS}, got {kind!r}")
    required, optional = _KIND_FIELDS[kind]
    allowed = _COMMON_FIELDS | required | optional
    missing = sorted((required | {"survey_claim", "words"}) - set(claim))
    if missing:
        raise ClaimError(f"{where}: a {kind} claim needs {missing}")
    unknown = sorted(set(claim) - allowed)
    if unknown:
        raise ClaimError(f"{where}: unknown fields {unknown} for a {kind} claim; allowed: {sorted(allowed)}")
    number = claim["survey_claim"]
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ClaimError(
            f"{where}: survey_claim is the claim's number in the survey reference (1, 2, ...), got {number!r}"
        )
    words = claim["words"]
    if (
        not isinstance(words, Mapping)
        or set(words) != set(LANGS)
        or not all(isinstance(words[k], str) and words[k].strip() for k in LANGS)
    ):
        raise ClaimError(f"{where}: words must give the report's words in sv and en, got {words!r}")
    if "remark" in claim and not isinstance(claim["remark"], str):
        raise ClaimError(f"{where}: remark must be text")

    out = dict(claim)
    out["words"] = {k: str(words[k]).strip() for k in LANGS}
    if "harmonise" in out and not isinstance(out["harmonise"], bool):
        raise ClaimError(f"{where}: harmonise must be true or false")
    if "wave" in out:
        out["wave"] = _wave_name(out["wave"], f"{where}: wave")
    for key in ("question", "first", "second"):
        if key in out and (not isinstance(out[key], str) or not out[key]):
            raise ClaimError(f"{where}: {key} must be a question id")

    if kind == "share":
        given = [k for k in ("option", "options", "other_than") if k in out]
        if len(given) != 1:
            raise ClaimError(f"{where}: a share claim needs exactly one of option, options, other_than; got {given}")
        for key in given:
            out[key] = _text_list(out[key], f"{where}: {key}")
        if ("phrase" in out) == ("printed" in out):
            raise ClaimError(f'{where}: a share claim needs exactly one of phrase ({{sv, en}}) and printed ("54.4")')
        if "phrase" in out:
            phrase = out["phrase"]
            if (
                not isinstance(phrase, Mapping)
                or set(phrase) != set(LANGS)
                or not all(isinstance(phrase[k], str) for k in LANGS)
            ):
                raise ClaimError(f"{where}: phrase must give the quantity words in sv and en, got {phrase!r}")
        else:
            printed_interval(out["printed"])  # ClaimError if not a quoted plain number
        scope = out.setdefault("scope", "population")
        if scope not in ("population", "sample"):
            raise ClaimError(f"{where}: scope must be population (default) or sample, got {scope!r}")
    elif kind == "order":
        out["higher"] = _text_list(out["higher"], f"{where}: higher")
        out["lower"] = _text_list(out["lower"], f"{where}: lower")
        overlap = sorted(set(out["higher"]) & set(out["lower"]))
        if overlap:
            raise ClaimError(f"{where}: options {overlap} are both higher and lower")
    elif kind == "mode":
        if not isinstance(out["option"], str):
            raise ClaimError(f"{where}: option must be one option id")
    elif kind in ("top", "equal"):
        out["options"] = _text_list(out["options"], f"{where}: options")
        if kind == "equal" and len(out["options"]) < 2:
            raise ClaimError(f"{where}: options equally common needs at least two options")
    elif kind == "present":
        given = [k for k in ("question", "questions") if k in out]
        if len(given) != 1:
            raise ClaimError(f"{where}: a present claim needs exactly one of question, questions")
        out["questions"] = _text_list(out.pop(given[0]), f"{where}: {given[0]}")
    elif kind == "shift":
        if out["direction"] not in ("higher", "lower"):
            raise ClaimError(
                f"{where}: direction must be higher or lower (second against first), got {out['direction']!r}"
            )
    elif kind == "change":
        for key in ("a", "b"):
            spec = out[key]
            if not isinstance(spec, Mapping) or set(spec) != {"wave", "question"}:
                raise ClaimError(f"{where}: {key} must be {{wave, question}}, got {spec!r}")
            out[key] = {"wave": _wave_name(spec["wave"], f"{where}: {key}.wave"), "question": str(spec["question"])}
        if ("contrast" in out) == ("option" in out):
            raise ClaimError(f"{where}: a change claim needs exactly one of contrast (option: weight) and option")
        if "contrast" in out:
            contrast = out["contrast"]
            if (
                not isinstance(contrast, Mapping)
                or not contrast
                or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in contrast.values()
                )
            ):
                raise ClaimError(f"{where}: contrast must map option ids to finite weights, got {contrast!r}")
            out["contrast"] = {str(k): float(v) for k, v in contrast.items()}
        elif not isinstance(out["option"], str):
            raise ClaimError(f"{where}: option must be one option id")
        if out["direction"] not in ("increase", "decrease", "differs"):
            raise ClaimError(
                f"{where}: direction must be increase, decrease or differs (b against a), got {out['direction']!r}"
            )
        waves = [out["a"]["wave"], out["b"]["wave"]]
        if "waves" in out and [_wave_name(w, f"{where}: waves") for w in out["waves"]] != waves:
            raise ClaimError(f"{where}: waves {out['waves']} must be [a.wave, b.wave] = {waves}")
        out["waves"] = waves
    return out


def check_claims(claims: Sequence[Mapping], source: str = "claims") -> list[dict]:
    """Every claim validated by :func:`check_claim`; ClaimError for a repeated id."""
    if isinstance(claims, Mapping) or isinstance(claims, str) or not isinstance(claims, Sequence):
        raise ClaimError(f"{source}: expected a list of claims")
    checked = [check_claim(c, f"{source}: claims[{i}]") for i, c in enumerate(claims)]
    ids = [c["id"] for c in checked]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ClaimError(f"{source}: repeated claim ids {repeated}")
    return checked


def load_claims(*paths: str | Path) -> list[dict]:
    """The claims of one or more files (``claims:`` a list, read with ``yaml.safe_load``), in order.

    ClaimError naming the file for a file without a ``claims`` list, an invalid claim, or an id
    repeated within or across the files.
    """
    claims: list[dict] = []
    for path in paths:
        data = read_yaml(path)
        if not isinstance(data.get("claims"), list):
            raise ClaimError(f"{path}: expected a list under 'claims'")
        claims += check_claims(data["claims"], str(path))
    return check_claims(claims, ", ".join(str(p) for p in paths))


def claim_settings(settings: Mapping | None = None) -> dict:
    """:data:`DEFAULT_SETTINGS` updated with ``settings``, validated.

    ValueError for an unknown key, a conf_level or alpha outside (0, 1), a margin that is not a
    positive number (percentage points, at most 100), or an unknown interval method.
    """
    merged = dict(DEFAULT_SETTINGS)
    if settings:
        unknown = sorted(set(settings) - set(DEFAULT_SETTINGS))
        if unknown:
            raise ValueError(f"unknown claim settings {unknown}; known: {sorted(DEFAULT_SETTINGS)}")
        merged.update(settings)
    merged["conf_level"] = check_conf_level(merged["conf_level"])
    try:
        alpha = float(merged["alpha"])
        margin = float(merged["equivalence_margin"])
    except (TypeError, ValueError):
        raise ValueError(f"alpha and equivalence_margin must be numbers, got {merged}") from None
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {merged['alpha']!r}")
    if not 0 < margin <= 100:
        raise ValueError(
            f"equivalence_margin must be a positive number of percentage points, got {merged['equivalence_margin']!r}"
        )
    check_interval_method(merged["interval_method"])
    merged.update(alpha=alpha, equivalence_margin=margin)
    return merged


# --------------------------------------------------------------------------------------------
# claims: evaluation


@dataclass(frozen=True)
class _Data:
    lexicon: Lexicon
    estimates: Mapping[str, pd.DataFrame]
    responses: Mapping[str, pd.DataFrame]
    waves: Mapping[str, Wave]
    codebook: Codebook
    settings: dict


def _wave_inputs(data: _Data, wave: str, cid: str) -> None:
    for name, table in (("estimates", data.estimates), ("responses", data.responses), ("waves", data.waves)):
        if wave not in table:
            raise ClaimError(f"claim {cid}: no {name} for wave {wave!r} (have {sorted(table)})")


def _side(data: _Data, wave: str, question: str, harmonise: bool, cid: str):
    _wave_inputs(data, wave, cid)
    try:
        return side(data.responses[wave], data.codebook, data.waves[wave], question, harmonise)
    except KeyError as error:
        raise ClaimError(f"claim {cid}: {error.args[0]}") from None


def _check_options(options: Sequence[str], available: Sequence[str], cid: str, where: str) -> None:
    unknown = [o for o in options if o not in available]
    if unknown:
        raise ClaimError(f"claim {cid}: {unknown} are not options of {where}; its options: {list(available)}")


def _estimate_rows(data: _Data, wave: str, question: str) -> pd.DataFrame | None:
    table = data.estimates[wave]
    rows = table[table["question"] == question]
    return rows if len(rows) else None


def _pct(value) -> float:
    return float("nan") if value is None or pd.isna(value) else 100.0 * float(value)


def _level_text(level: float) -> str:
    return f"{100 * float(level):g} %"


def _interval_evidence(interval: Interval, low: float, high: float) -> str:
    """robust: the closed range [low, high] lies inside; contradicted: wholly outside; else fragile."""
    if any(pd.isna(v) for v in (low, high)):
        return "fragile"
    if interval.contains_range(float(low), float(high)):
        return "robust"
    if interval.misses_range(float(low), float(high)):
        return "contradicted"
    return "fragile"


def _share_claim(claim: dict, data: _Data) -> dict:
    cid, wave, question = claim["id"], claim["wave"], claim["question"]
    _wave_inputs(data, wave, cid)
    harmonise = claim.get("harmonise", False)
    rows = None if harmonise else _estimate_rows(data, wave, question)
    single = claim.get("option")
    if rows is not None and single is not None and len(single) == 1:
        _check_options(single, list(rows["option"]), cid, f"{question} in wave {wave}")
        row = rows[rows["option"] == single[0]].iloc[0]
        count, n = int(row["count"]), int(row["n"])
        low, high = row["ci_low"], row["ci_high"]
        method = f"share and its {row['ci_method']} {_level_text(row['conf_level'])} interval (estimates table)"
        chosen = single
    else:
        s = _side(data, wave, question, harmonise, cid)
        listed = single or claim.get("options") or claim.get("other_than")
        _check_options(listed, s.question.option_ids, cid, f"{question} in wave {wave}")
        chosen = listed if "other_than" not in claim else [o for o in s.question.option_ids if o not in listed]
        n = s.n
        count = int(s.ticks[chosen].any(axis=1).sum()) if n else 0
        low, high = proportion_interval(count, n, data.settings["interval_method"], data.settings["conf_level"])
        method = (
            f"share of respondents choosing {'any of ' if len(chosen) > 1 else ''}the option(s), from the responses, "
            f"with its {data.settings['interval_method']} {_level_text(data.settings['conf_level'])} interval "
            "(estimate.proportion_interval)"
        )
    if n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    exact = Fraction(count * 100, n)
    if "phrase" in claim:
        intervals = {lang: parse_phrase(claim["phrase"][lang], data.lexicon, lang) for lang in LANGS}
        if not intervals["sv"].same_set(intervals["en"]):
            raise ClaimError(
                f"claim {cid}: the Swedish phrase {claim['phrase']['sv']!r} means {intervals['sv'].notation()} but "
                f"the English {claim['phrase']['en']!r} means {intervals['en'].notation()}: the translation must say "
                "the same"
            )
    else:
        intervals = {lang: printed_interval(claim["printed"], lang) for lang in LANGS}
    interval = intervals["sv"]
    reproduced = interval.contains(exact)
    low_pct, high_pct = _pct(low), _pct(high)
    if claim["scope"] == "sample":
        evidence = "robust" if reproduced else "contradicted"
        scope_note = (
            "describes the respondents themselves (scope: sample): no sampling error, so the evidence is the exact "
            "share; the interval is shown for information"
        )
    else:
        evidence = _interval_evidence(interval, low_pct, high_pct)
        scope_note = ""
    if "other_than" in claim:
        what = {
            "en": f"{question} other than {', '.join(claim['other_than'])}",
            "sv": f"{question} utom {', '.join(claim['other_than'])}",
        }
    elif len(chosen) > 1:
        what = {"en": f"{question} = any of {', '.join(chosen)}", "sv": f"{question} = något av {', '.join(chosen)}"}
    else:
        what = {"en": f"{question} = {chosen[0]}", "sv": f"{question} = {chosen[0]}"}
    statements = {
        "en": f"share of {what['en']} (wave {wave}) in {interval.notation('en')}: {intervals['en'].explanation}",
        "sv": f"andelen {what['sv']} (omgång {wave}) i {interval.notation('sv')}: {intervals['sv'].explanation}",
    }
    note = f"{count} of {n} = {_number_text(exact, 'en', 2)} %"
    if not reproduced:
        side_word = "below" if exact < interval.low or (exact == interval.low and not interval.low_closed) else "above"
        note += f", {side_word} the claimed interval"
    if scope_note:
        note += "; " + scope_note
    return {
        "wave": wave,
        "statement_en": statements["en"],
        "statement_sv": statements["sv"],
        "estimate": float(exact),
        "ci_low": low_pct,
        "ci_high": high_pct,
        "unit": "percent",
        "n": n,
        "method": method,
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": evidence,
        "note": note,
    }


def _needed_pairs(pairs: pd.DataFrame, needed: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """For each (higher, lower) the difference higher - lower, its interval and raw p-value, from
    :func:`~netclean_survey.paired.compare_options`' pairs table (which orders each pair once)."""
    index = {(r.option_first, r.option_second): r for r in pairs.itertuples(index=False)}
    out = []
    for hi, lo in needed:
        if (hi, lo) in index:
            r = index[(hi, lo)]
            diff, low, high = r.difference, r.ci_low, r.ci_high
        else:
            r = index[(lo, hi)]
            diff, low, high = -r.difference, -r.ci_high, -r.ci_low
        out.append(
            {"higher": hi, "lower": lo, "difference": diff, "ci_low": low, "ci_high": high, "p_value": r.p_value}
        )
    table = pd.DataFrame(out, columns=["higher", "lower", "difference", "ci_low", "ci_high", "p_value"])
    table["p_holm"] = holm_adjust(table["p_value"].to_numpy(dtype=float))
    return table


def _p_text(p: float) -> str:
    if pd.isna(p):
        return "NaN"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _pair_text(row) -> str:
    return (
        f"{row.higher} − {row.lower} = {_fixed(100 * row.difference, 1, 'en', signed=True)} pp "
        f"[{_fixed(100 * row.ci_low, 1, 'en')}, {_fixed(100 * row.ci_high, 1, 'en')}], Holm p {_p_text(row.p_holm)}"
    )


def _order_claim(claim: dict, data: _Data) -> dict:
    """order / mode / top: options named more often than others, by paired comparisons."""
    cid, wave, question, kind = claim["id"], claim["wave"], claim["question"], claim["kind"]
    s = _side(data, wave, question, claim.get("harmonise", False), cid)
    options = s.question.option_ids
    if kind == "order":
        higher, lower = claim["higher"], claim["lower"]
    elif kind == "mode":
        higher = [claim["option"]]
        lower = [o for o in options if o != claim["option"]]
    else:
        higher = claim["options"]
        lower = [o for o in options if o not in higher]
    _check_options(higher + lower, options, cid, f"{question} in wave {wave}")
    if not lower:
        raise ClaimError(f"claim {cid}: the options {higher} are all the options of {question}: nothing to be above")
    if s.n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    level, alpha = data.settings["conf_level"], data.settings["alpha"]
    pairs, _ = compare_options(s.ticks.astype(bool), options, conf_level=level)
    needed = _needed_pairs(pairs, [(h, lo) for h in higher for lo in lower])
    significant = needed["p_holm"] < alpha
    reproduced = bool((needed["difference"] > 0).all())
    if bool((significant & (needed["difference"] > 0)).all()):
        evidence = "robust"
    elif bool((significant & (needed["difference"] < 0)).any()):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    weakest = needed.sort_values(["difference", "p_holm"], kind="stable").iloc[0]
    hardest = needed.sort_values(["p_holm", "difference"], ascending=[False, True], kind="stable").iloc[0]
    listed_hi, listed_lo = ", ".join(higher), ", ".join(lower)
    if kind == "mode":
        en = f"{higher[0]} is named more often than every other option ({listed_lo})"
        sv = f"{higher[0]} nämns oftare än vart och ett av de andra alternativen ({listed_lo})"
    elif kind == "top":
        en = f"{listed_hi} are the {len(higher)} most named: each above every other option ({listed_lo})"
        sv = f"{listed_hi} är de {len(higher)} mest nämnda: vart och ett över alla andra alternativ ({listed_lo})"
    else:
        en = f"{listed_hi} named more often than {listed_lo}"
        sv = f"{listed_hi} nämns oftare än {listed_lo}"
    en = f"{question} (wave {wave}): {en}"
    sv = f"{question} (omgång {wave}): {sv}"
    if claim.get("harmonise"):
        en += " (harmonised options)"
        sv += " (harmoniserade alternativ)"
    single = (
        " (single choice: on the one-hot answers McNemar's exact test is the binomial test of the two counts)"
        if s.kind == "single"
        else ""
    )
    note = f"smallest difference: {_pair_text(weakest)}"
    if hardest.higher != weakest.higher or hardest.lower != weakest.lower:
        note += f"; largest Holm p: {_pair_text(hardest)}"
    against = needed[significant & (needed["difference"] < 0)]
    if len(against):
        note += "; significant against the claim: " + "; ".join(_pair_text(r) for r in against.itertuples(index=False))
    return {
        "wave": wave,
        "statement_en": en,
        "statement_sv": sv,
        "estimate": 100 * float(weakest.difference),
        "ci_low": 100 * float(weakest.ci_low),
        "ci_high": 100 * float(weakest.ci_high),
        "unit": "percentage points",
        "n": s.n,
        "method": (
            f"paired comparisons of options within respondents: {MCNEMAR_TEST}, {PAIRED_INTERVAL_METHOD} "
            f"{_level_text(level)} interval, Holm over the {len(needed)} comparisons the claim needs, "
            f"alpha {alpha:g}{single}"
        ),
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": evidence,
        "note": note,
    }


def _equal_claim(claim: dict, data: _Data) -> dict:
    cid, wave, question = claim["id"], claim["wave"], claim["question"]
    s = _side(data, wave, question, claim.get("harmonise", False), cid)
    options = claim["options"]
    _check_options(options, s.question.option_ids, cid, f"{question} in wave {wave}")
    if s.n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    level, alpha = data.settings["conf_level"], data.settings["alpha"]
    margin = data.settings["equivalence_margin"]
    m = margin / 100
    pairs, _ = compare_options(s.ticks.astype(bool), options, conf_level=level)  # Holm over these pairs
    reproduced = bool((pairs["difference"].abs() <= m).all())
    inside = (pairs["ci_low"] >= -m) & (pairs["ci_high"] <= m)
    outside = (pairs["ci_low"] > m) | (pairs["ci_high"] < -m)
    significant = pairs["p_holm"] < alpha
    if bool(inside.all()):
        evidence = "robust"
    elif bool((significant | outside).any()):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    widest = pairs.iloc[int(np.argmax(pairs["difference"].abs().to_numpy()))]
    margin_en, margin_sv = _number_text(margin, "en"), _number_text(margin, "sv")
    listed = ", ".join(options)
    en = (
        f"{question} (wave {wave}): {listed} about equally common; equal means every pairwise difference "
        f"within ±{margin_en} percentage points"
    )
    sv = (
        f"{question} (omgång {wave}): {listed} ungefär lika vanliga; lika betyder att varje parvis skillnad "
        f"ligger inom ±{margin_sv} procentenheter"
    )
    if claim.get("harmonise"):
        en += " (harmonised options)"
        sv += " (harmoniserade alternativ)"
    details = "; ".join(
        f"{r.option_first} − {r.option_second} = {_fixed(100 * r.difference, 1, 'en', signed=True)} pp "
        f"[{_fixed(100 * r.ci_low, 1, 'en')}, {_fixed(100 * r.ci_high, 1, 'en')}], Holm p {_p_text(r.p_holm)}"
        for r in pairs.itertuples(index=False)
    )
    note = details
    if evidence == "fragile":
        note += f"; the intervals are wider than ±{margin_en} pp: equivalence is not shown, nor is a difference"
    return {
        "wave": wave,
        "statement_en": en,
        "statement_sv": sv,
        "estimate": 100 * float(widest.difference),
        "ci_low": 100 * float(widest.ci_low),
        "ci_high": 100 * float(widest.ci_high),
        "unit": "percentage points",
        "n": s.n,
        "method": (
            f"equivalence of paired shares within ±{margin_en} pp: {PAIRED_INTERVAL_METHOD} {_level_text(level)} "
            f"intervals inside the margin; {MCNEMAR_TEST}, Holm over the {len(pairs)} pairs, alpha {alpha:g}"
        ),
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": evidence,
        "note": note,
    }


def _option_counts(data: _Data, wave: str, question: str, cid: str) -> tuple[pd.Series, int]:
    """Respondents per option and the base: from the estimates table, or from the responses for a
    question the table does not hold (a derived question)."""
    rows = _estimate_rows(data, wave, question)
    if rows is not None:
        return pd.Series(rows["count"].to_numpy(dtype=np.int64), index=list(rows["option"])), int(rows["n"].iloc[0])
    s = _side(data, wave, question, False, cid)
    return s.counts, s.n


def _present_claim(claim: dict, data: _Data) -> dict:
    cid, wave = claim["id"], claim["wave"]
    _wave_inputs(data, wave, cid)
    least = []
    missing = []
    for question in claim["questions"]:
        counts, n = _option_counts(data, wave, question, cid)
        option = counts.idxmin()
        least.append((question, option, int(counts[option]), n))
        missing += [f"{question} = {o}" for o, c in counts.items() if c < 1]
    reproduced = not missing
    question, option, smallest, n = min(least, key=lambda x: x[2])
    listed = " and ".join(claim["questions"])
    listed_sv = " och ".join(claim["questions"])
    note = "; ".join(f"{q}: least named {o} ({c} of {b})" for q, o, c, b in least)
    if missing:
        note += "; named by nobody: " + ", ".join(missing)
    return {
        "wave": wave,
        "statement_en": f"every option of {listed} (wave {wave}) is named by at least one respondent",
        "statement_sv": f"varje alternativ i {listed_sv} (omgång {wave}) nämns av minst en svarande",
        "estimate": float(smallest),
        "ci_low": float("nan"),
        "ci_high": float("nan"),
        "unit": "respondents",
        "n": n,
        "method": "count of respondents naming each option; one suffices (the claim is that it occurs at all)",
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": "robust" if reproduced else "contradicted",
        "note": note,
    }


def _shift_claim(claim: dict, data: _Data) -> dict:
    cid, wave = claim["id"], claim["wave"]
    _wave_inputs(data, wave, cid)
    spec = {"wave": wave, "first": claim["first"], "second": claim["second"]}
    try:
        first, second, _, summary = run_paired_questions(
            Comparison("paired_questions", cid, spec),
            data.responses,
            data.waves,
            data.codebook,
            {"conf_level": data.settings["conf_level"]},
        )
    except KeyError as error:
        raise ClaimError(f"claim {cid}: {error.args[0]}") from None
    except ValueError as error:
        raise ClaimError(f"claim {cid}: {error}") from None
    sign = 1 if claim["direction"] == "higher" else -1
    shift, low, high = summary["mean_difference"], summary["ci_low"], summary["ci_high"]
    reproduced = bool(sign * shift > 0)
    if pd.isna(low) or pd.isna(high):
        evidence = "fragile"
    elif (sign > 0 and low > 0) or (sign < 0 and high < 0):
        evidence = "robust"
    elif (sign > 0 and high < 0) or (sign < 0 and low > 0):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    scores = ", ".join(f"{o}={_number_text(v)}" for o, v in summary["scores"].items())
    word_en = "higher" if sign > 0 else "lower"
    word_sv = "högre" if sign > 0 else "lägre"
    return {
        "wave": wave,
        "statement_en": (
            f"{claim['second']} sits {word_en} than {claim['first']} (wave {wave}, same respondents): mean score "
            f"difference (second − first) {'>' if sign > 0 else '<'} 0"
        ),
        "statement_sv": (
            f"{claim['second']} ligger {word_sv} än {claim['first']} (omgång {wave}, samma svarande): skillnaden i "
            f"medelpoäng (andra − första) {'>' if sign > 0 else '<'} 0"
        ),
        "estimate": float(shift),
        "ci_low": float(low),
        "ci_high": float(high),
        "unit": "score",
        "n": int(summary["n"]),
        "method": (
            f"{MEAN_SCORE_TEST} of each respondent's mean score of the options ticked; "
            f"{MEAN_SCORE_INTERVAL_METHOD} {_level_text(summary['conf_level'])} interval"
        ),
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": evidence,
        "note": (
            f"scores (questionnaire): {scores}; means {_fixed(summary['mean_first'], 2, 'en')} and "
            f"{_fixed(summary['mean_second'], 2, 'en')}; t-test p {_p_text(summary['p_value'])}, "
            f"{summary['robustness_test']} p {_p_text(summary['robustness_p_value'])}; "
            f"{summary['n_answered_both']} respondents answered both"
        ),
    }


def _contrast_text(weights: Mapping[str, float]) -> str:
    """{asia: 1, north_america: -0.5, europe: -0.5} -> "asia − 0.5 north_america − 0.5 europe"."""
    parts = []
    for i, (option, weight) in enumerate(weights.items()):
        size = "" if abs(weight) == 1 else f"{_number_text(abs(weight))} "
        sign = "− " if weight < 0 else ("+ " if i else "")
        parts.append(f"{sign}{size}{option}")
    return " ".join(parts)


def _change_claim(claim: dict, data: _Data) -> dict:
    cid = claim["id"]
    a, b = claim["a"], claim["b"]
    for spec in (a, b):
        _wave_inputs(data, spec["wave"], cid)
    harmonise = claim.get("harmonise", False)
    level = data.settings["conf_level"]
    margin = data.settings["equivalence_margin"]
    if "contrast" in claim:
        spec = {"a": a, "b": b, "harmonise": harmonise, "weights": claim["contrast"]}
        try:
            side_a, side_b, table = run_contrast(
                Comparison("contrasts", cid, spec), data.responses, data.waves, data.codebook, {"conf_level": level}
            )
        except KeyError as error:
            raise ClaimError(f"claim {cid}: {error.args[0]}") from None
        except ValueError as error:
            raise ClaimError(f"claim {cid}: {error}") from None
        row_a, row_b, row = (table.iloc[i] for i in range(3))
        estimate, low, high, p = (float(row[k]) for k in ("estimate", "ci_low", "ci_high", "p_value"))
        terms = _contrast_text(claim["contrast"])
        what_en = f"the contrast {terms}"
        what_sv = f"kontrasten {terms}"
        n = int(row["n"])
        method = f"{GAP_DIFFERENCE_INTERVAL_METHOD}, {_level_text(level)}; z-test (paired.gap_contrast)"
        note = "; ".join(
            f"wave {spec['wave']}: {_fixed(100 * r['estimate'], 1, 'en', signed=True)} pp "
            f"[{_fixed(100 * r['ci_low'], 1, 'en')}, {_fixed(100 * r['ci_high'], 1, 'en')}] (n {int(r['n'])})"
            for spec, r in ((a, row_a), (b, row_b))
        )
        note += f"; p {_p_text(p)}"
    else:
        option = claim["option"]
        side_a = _side(data, a["wave"], a["question"], harmonise, cid)
        side_b = _side(data, b["wave"], b["question"], harmonise, cid)
        for s in (side_a, side_b):
            _check_options([option], s.question.option_ids, cid, f"{s.question.id} in wave {s.wave}")
        table = two_sample_by_option(
            [int(side_a.counts[option])],
            side_a.n,
            [int(side_b.counts[option])],
            side_b.n,
            [option],
            conf_level=level,
            interval_method=data.settings["interval_method"],
        )
        row = table.iloc[0]
        estimate, low, high, p = (float(row[k]) for k in ("difference", "diff_ci_low", "diff_ci_high", "p_value"))
        what_en = f"the share of {option}"
        what_sv = f"andelen {option}"
        n = int(row["n_a"] + row["n_b"])
        method = (
            f"difference of independent shares: {DIFF_CI_METHOD} {_level_text(level)} interval (Newcombe 1998), "
            f"{TWO_SAMPLE_TEST} test"
        )
        note = (
            f"wave {a['wave']}: {int(row['count_a'])} of {int(row['n_a'])}; wave {b['wave']}: "
            f"{int(row['count_b'])} of {int(row['n_b'])}; p {_p_text(p)}"
        )
    estimate, low, high = 100 * estimate, 100 * low, 100 * high
    direction = claim["direction"]
    if direction == "differs":
        reproduced = estimate != 0
        if low > 0 or high < 0:
            evidence = "robust"
        elif low >= -margin and high <= margin:
            evidence = "contradicted"
            note += f"; the interval lies within ±{_number_text(margin)} pp (the equivalence margin): no real change"
        else:
            evidence = "fragile"
        verb_en, verb_sv = "differs", "skiljer sig"
    else:
        sign = 1 if direction == "increase" else -1
        reproduced = bool(sign * estimate > 0)
        if (sign > 0 and low > 0) or (sign < 0 and high < 0):
            evidence = "robust"
        elif (sign > 0 and high < 0) or (sign < 0 and low > 0):
            evidence = "contradicted"
        else:
            evidence = "fragile"
        verb_en = "increases" if sign > 0 else "decreases"
        verb_sv = "ökar" if sign > 0 else "minskar"
    relation = {"differs": "≠", "increase": ">", "decrease": "<"}[direction]
    harmonised_en = ", harmonised options" if harmonise else ""
    harmonised_sv = ", harmoniserade alternativ" if harmonise else ""
    return {
        "wave": f"{a['wave']} vs {b['wave']}",
        "statement_en": (
            f"{what_en} {verb_en} from {a['question']} (wave {a['wave']}) to {b['question']} (wave {b['wave']}"
            f"{harmonised_en}): difference b − a {relation} 0"
        ),
        "statement_sv": (
            f"{what_sv} {verb_sv} från {a['question']} (omgång {a['wave']}) till {b['question']} (omgång {b['wave']}"
            f"{harmonised_sv}): skillnaden b − a {relation} 0"
        ),
        "estimate": estimate,
        "ci_low": low,
        "ci_high": high,
        "unit": "percentage points",
        "n": n,
        "method": method,
        "verdict": VERDICTS[0] if reproduced else VERDICTS[1],
        "evidence": evidence,
        "note": note,
    }


_EVALUATORS = {
    "share": _share_claim,
    "order": _order_claim,
    "mode": _order_claim,
    "top": _order_claim,
    "equal": _equal_claim,
    "present": _present_claim,
    "shift": _shift_claim,
    "change": _change_claim,
}


def evaluate_claims(
    claims: Sequence[Mapping],
    lexicon: Lexicon,
    estimates: Mapping[str, pd.DataFrame],
    responses: Mapping[str, pd.DataFrame],
    waves: Mapping[str, Wave],
    codebook: Codebook,
    settings: Mapping | None = None,
) -> pd.DataFrame:
    """One row per claim (in the given order), columns :data:`RESULT_COLUMNS`.

    ``estimates`` and ``responses`` map a wave name to its estimates table
    (:func:`~netclean_survey.estimate.estimate_wave` / ``read_estimates``) and its tidy responses
    (``clean_export(...).responses`` / ``read_responses``); ``waves`` to its :class:`Wave`.
    ``settings``: see :data:`DEFAULT_SETTINGS` (:func:`claim_settings`).

    Per kind (``estimate``, ``ci_low``, ``ci_high`` in ``unit``):

    - ``share``: the share (percent) of the option (or of respondents choosing any of
      ``options``, or any option ``other_than`` those listed) and its interval, from the estimates
      table when it holds the share, else from the responses with
      :func:`~netclean_survey.estimate.proportion_interval`; the claim's interval is its
      ``phrase`` (the Swedish and English words must mean the same interval) or the rounding
      interval of its ``printed`` value. Reproduced when the exact share count/n lies in it;
      robust when the whole confidence interval does, contradicted when none of it does. With
      ``scope: sample`` (a figure describing the respondents themselves, such as the respondent
      mix) there is no sampling error: robust when reproduced, contradicted otherwise.
    - ``order`` (every ``higher`` option above every ``lower`` one), ``mode`` (``option`` above
      every other option), ``top`` (each of ``options`` above every other option): the paired
      comparisons of :func:`~netclean_survey.paired.compare_options` on the respondents of the
      question (:func:`~netclean_survey.sides.side`), Holm over the comparisons the claim needs.
      Reproduced when every needed difference is positive; robust when every one is significant
      (Holm p < alpha) and positive; contradicted when one is significant and negative. The
      estimate is the smallest needed difference (percentage points) with its paired interval.
    - ``equal``: every pair of ``options``, Holm over those pairs. Reproduced when every
      difference lies within +/- ``equivalence_margin``; robust when every paired interval lies
      inside the margin (equivalence shown); otherwise contradicted when a difference is
      significant (Holm p < alpha) or an interval lies wholly outside the margin; otherwise
      fragile. The estimate is the largest difference with its interval.
    - ``present``: every option of each question named by at least one respondent; the estimate
      is the smallest count (respondents). Reproduced (and robust: one respondent proves
      presence) or not (and contradicted).
    - ``shift``: ``second`` sits higher (or lower) than ``first``: the mean score difference of
      :func:`~netclean_survey.paired.compare_paired_questions` (second - first, option scores of
      the questionnaire) with its paired t interval; robust when the interval excludes 0 on the
      claimed side, contradicted when it lies wholly on the other.
    - ``change``: wave b against wave a: the change of a ``contrast`` of options
      (:func:`~netclean_survey.paired.gap_contrast`) or of one ``option``'s share
      (:func:`~netclean_survey.compare.two_sample_by_option`), in percentage points, b - a.
      ``increase`` / ``decrease``: reproduced by the sign, robust when the interval excludes 0 on
      that side, contradicted when it lies wholly on the other. ``differs``: robust when the
      interval excludes 0, contradicted when it lies within +/- ``equivalence_margin``.

    Pure and deterministic (no resampling). ClaimError naming the claim for an unknown wave,
    question or option, or an untranslatable phrase.
    """
    data = _Data(lexicon, estimates, responses, waves, codebook, claim_settings(settings))
    rows = []
    for claim in check_claims(claims):
        result = _EVALUATORS[claim["kind"]](claim, data)
        note = result.pop("note")
        if claim.get("remark"):
            note = f"{note}; {claim['remark']}" if note else claim["remark"]
        rows.append(
            {
                "id": claim["id"],
                "survey_claim": claim["survey_claim"],
                "kind": claim["kind"],
                "words_sv": claim["words"]["sv"],
                "words_en": claim["words"]["en"],
                **result,
                "note": note,
            }
        )
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    return table.astype(
        {
            "survey_claim": "int64",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n": "int64",
        }
    )


def summarise_claims(results: pd.DataFrame) -> pd.DataFrame:
    """One row per numbered claim of the survey reference (``survey_claim``), in number order.

    A numbered claim may be tested in parts (several result rows). Its verdict is ``reproduced``
    when every part is; its evidence the weakest of its parts (contradicted, then fragile, then
    robust). Columns: ``survey_claim``, ``ids`` (the parts, comma-separated), ``parts``,
    ``reproduced`` (parts reproduced), ``verdict``, ``evidence``.
    """
    rank = {e: i for i, e in enumerate(("contradicted", "fragile", "robust"))}
    rows = []
    for number, group in results.groupby("survey_claim", sort=True):
        rows.append(
            {
                "survey_claim": int(number),
                "ids": ", ".join(group["id"]),
                "parts": len(group),
                "reproduced": int((group["verdict"] == VERDICTS[0]).sum()),
                "verdict": VERDICTS[0] if (group["verdict"] == VERDICTS[0]).all() else VERDICTS[1],
                "evidence": min(group["evidence"], key=rank.__getitem__),
            }
        )
    return pd.DataFrame(rows, columns=["survey_claim", "ids", "parts", "reproduced", "verdict", "evidence"])


# --------------------------------------------------------------------------------------------
# the audit report


_TEXT = {
    "en": {
        "title": "Claims of the report, checked against the data",
        "how": "How to read this",
        "how_text": [
            "Each row is one statement of the report, in the report's words, turned into a statement the "
            'data can test ("Tested"). Quantity words follow the project\'s lexicon (config/lexicon.yaml): '
            '"just over 16 per cent" means more than 16 % and at most 17.5 %, a printed "54.4" means '
            "54.35 % up to (not including) 54.45 %.",
            "**Verdict**: *reproduced* when the estimate from the data satisfies the statement, *not reproduced* "
            "otherwise.",
            "**Evidence**: *robust* when the whole confidence interval satisfies it (for which option is named more "
            "often: every comparison needed is significant, after Holm's adjustment, in the claimed direction); "
            "*fragile* when the interval crosses the line, so the data neither establish nor refute it; "
            "*contradicted* when the data speak against it (the interval lies wholly on the wrong side, or a needed "
            "comparison is significant in the wrong direction). A figure that describes the respondents themselves "
            "(the respondent mix) has no sampling error: it is robust when reproduced and contradicted when not.",
            '**Equal** ("about equally common") means every pairwise difference lies within ± {margin} percentage '
            "points; robust when every paired interval lies inside that margin, contradicted when a difference is "
            "significant or an interval lies wholly outside it.",
            "Estimates are shares in percent (%), differences in percentage points (pp), counts in respondents; "
            "intervals are {level} confidence intervals, tests at level {alpha}.",
        ],
        "summary": "Per claim of the survey reference",
        "detail": "Claim by claim",
        "cols_summary": ["Claim", "Tested as", "Parts reproduced", "Verdict", "Evidence"],
        "cols": ["Id", "Claim", "Wave", "The report's words", "Tested", "Estimate [CI]", "Verdict", "Evidence", "Note"],
        "verdict": {"reproduced": "reproduced", "not reproduced": "not reproduced"},
        "evidence": {"robust": "robust", "fragile": "fragile", "contradicted": "contradicted"},
        "units": {"percent": "%", "percentage points": "pp", "respondents": "respondents", "score": "score"},
        "unknown": "the configured",
    },
    "sv": {
        "title": "Rapportens påståenden prövade mot data",
        "how": "Så läser du tabellen",
        "how_text": [
            "Varje rad är ett påstående i rapporten, med rapportens ord, översatt till ett påstående som data kan "
            'pröva ("Prövat"). Ord för mängder följer projektets lexikon (config/lexicon.yaml): "drygt 16 procent" '
            'betyder mer än 16 % och högst 17,5 %, en tryckt siffra "54,4" betyder från 54,35 % upp till (men inte '
            "med) 54,45 %.",
            "**Utfall**: *reproduceras* när skattningen från data uppfyller påståendet, annars *reproduceras inte*.",
            "**Stöd**: *robust* när hela konfidensintervallet uppfyller det (för vilket alternativ som nämns oftare: "
            "varje jämförelse som behövs är signifikant, efter Holms justering, i påståendets riktning); *osäkert* "
            "när intervallet korsar gränsen, så att data varken bekräftar eller motsäger det; *motsägs* när data "
            "talar emot det (intervallet ligger helt på fel sida, eller en jämförelse som behövs är signifikant åt "
            "fel håll). "
            "En siffra som beskriver de svarande själva (svarandesammansättningen) har inget urvalsfel: den är robust "
            "när den reproduceras och motsägs annars.",
            '**Lika** ("ungefär lika vanligt") betyder att varje parvis skillnad ligger inom ± {margin} '
            "procentenheter; robust när varje parat intervall ligger inom den marginalen, motsägs när en skillnad är "
            "signifikant eller ett intervall ligger helt utanför den.",
            "Skattningar är andelar i procent (%), skillnader i procentenheter (pe), antal i svarande; intervallen är "
            "{level} konfidensintervall, testerna på nivån {alpha}.",
        ],
        "summary": "Per påstående i referensen",
        "detail": "Påstående för påstående",
        "cols_summary": ["Påstående", "Prövat som", "Delar som reproduceras", "Utfall", "Stöd"],
        "cols": [
            "Id",
            "Påstående",
            "Omgång",
            "Rapportens ord",
            "Prövat",
            "Skattning [KI]",
            "Utfall",
            "Stöd",
            "Anmärkning",
        ],
        "verdict": {"reproduced": "reproduceras", "not reproduced": "reproduceras inte"},
        "evidence": {"robust": "robust", "fragile": "osäkert", "contradicted": "motsägs"},
        "units": {"percent": "%", "percentage points": "pe", "respondents": "svarande", "score": "poäng"},
        "unknown": "den inställda",
    },
}


def _estimate_cell(row, lang: str) -> str:
    unit = _TEXT[lang]["units"].get(row.unit, row.unit)
    if row.unit == "respondents":
        return f"{int(row.estimate)} {unit}"
    places = 2 if row.unit == "score" else 1
    signed = row.unit != "percent"
    separator = "; " if lang == "sv" else ", "
    text = f"{_fixed(row.estimate, places, lang, signed=signed)} {unit}"
    if not (pd.isna(row.ci_low) or pd.isna(row.ci_high)):
        text += f" [{_fixed(row.ci_low, places, lang)}{separator}{_fixed(row.ci_high, places, lang)}]"
    return text


def _md(value) -> str:
    from .render import md_cell  # render imports matplotlib: only when a report is written

    return md_cell(value)


def claims_markdown(
    results: pd.DataFrame, lang: str = "en", synthetic: bool = False, settings: Mapping | None = None
) -> str:
    """The audit report of :func:`evaluate_claims`' results, in Swedish (``"sv"``) or English.

    A heading; how to read it (what reproduced, robust, fragile, contradicted and equal mean,
    with the margin, level and alpha of ``settings``, :func:`claim_settings`, which should be the
    settings the results were computed with); the verdict per numbered claim of the survey
    reference (:func:`summarise_claims`); and a table claim by claim: the report's words in
    ``lang``, the statement tested, estimate [CI], verdict, evidence and note. With
    ``synthetic`` the synthetic-data note (:data:`netclean_survey.SYNTHETIC_NOTE`) is printed
    under the heading and at the end. Cells are Markdown-escaped.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise ValueError(f"results lack the columns {missing} of evaluate_claims")
    t = _TEXT[lang]
    used = claim_settings(settings)
    margin = _number_text(used["equivalence_margin"], lang)
    level = _number_text(100 * used["conf_level"], lang) + " %"
    alpha = _number_text(Fraction(repr(used["alpha"])), lang, places=3)
    lines = [f"# {t['title']}", ""]
    if synthetic:
        lines += [f"*{SYNTHETIC_NOTE[lang]}*", ""]
    lines += [f"## {t['how']}", ""]
    for paragraph in t["how_text"]:
        lines += [paragraph.format(margin=margin, level=level, alpha=alpha), ""]

    lines += [f"## {t['summary']}", ""]
    header = t["cols_summary"]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join(["---:", ":---", "---:", ":---", ":---"]) + "|"]
    for row in summarise_claims(results).itertuples(index=False):
        lines.append(
            "| "
            + " | ".join(
                [
                    str(row.survey_claim),
                    _md(row.ids),
                    f"{row.reproduced}/{row.parts}",
                    t["verdict"][row.verdict],
                    t["evidence"][row.evidence],
                ]
            )
            + " |"
        )
    lines += ["", f"## {t['detail']}", ""]
    header = t["cols"]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join([":---", "---:"] + [":---"] * (len(header) - 2)) + "|"]
    for row in results.itertuples(index=False):
        lines.append(
            "| "
            + " | ".join(
                [
                    _md(row.id),
                    str(row.survey_claim),
                    _md(row.wave),
                    _md(getattr(row, f"words_{lang}")),
                    _md(getattr(row, f"statement_{lang}")),
                    _estimate_cell(row, lang),  # digits, signs, brackets: nothing to escape
                    t["verdict"][row.verdict],
                    t["evidence"][row.evidence],
                    _md(row.note),
                ]
            )
            + " |"
        )
    if synthetic:
        lines += ["", f"*{SYNTHETIC_NOTE[lang]}*"]
    return "\n".join(lines) + "\n"
