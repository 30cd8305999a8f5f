"""Quantity words (Swedish and English) to an exact interval of a percentage, by the rules and
margins of ``config/lexicon.yaml``: "drygt 16 procent" is more than 16 % and at most 17.5 %."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..core.errors import ClaimError
from ..core.interval import HUNDRED, Interval, number_text
from ..core.schema import check_against_schema
from ..core.yamlfile import read_yaml
from .consistency import decimals_of, parse_printed, rounding_interval

LANGS = ("sv", "en")


#: Qualifier rules of the lexicon (the words are configuration, the rules are these; so are the
#: keys ``lexicon.schema.yaml`` allows under ``qualifiers``).
QUALIFIER_RULES = ("just_over", "just_under", "more_than", "less_than", "at_least", "at_most", "about")


_BOUND_WORDS = {
    "en": {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than", "and": "and"},
    "sv": {"ge": "minst", "gt": "mer än", "le": "högst", "lt": "mindre än", "and": "och"},
}


def describe_interval(low, high, low_closed: bool, high_closed: bool, lang: str = "en") -> str:
    """The interval in words: "more than 80 %", "more than 16 % and at most 17.5 %"."""
    words = _BOUND_WORDS[lang]
    low_text = f"{words['ge' if low_closed else 'gt']} {number_text(low, lang)} %"
    high_text = f"{words['le' if high_closed else 'lt']} {number_text(high, lang)} %"
    if high == HUNDRED and high_closed:
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
    if high > HUNDRED:
        high, high_closed = HUNDRED, True
    meaning = describe_interval(low, high, low_closed, high_closed, lang)
    explanation = f"{phrase}: {meaning}" if phrase else meaning
    return Interval(low, high, bool(low_closed), bool(high_closed), explanation)


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


def _by_lang(section: Mapping) -> dict[str, list[str]]:
    """A {sv: [words], en: [words]} section as normalised words by language."""
    return {lang: [normalise_phrase(w) for w in section[lang]] for lang in LANGS}


def _exact(value) -> Fraction:
    """A number of the file as the exact decimal it is written as (1.5 is 3/2, not a binary fraction)."""
    return Fraction(str(value))


def parse_lexicon(data: Mapping, source: str = "lexicon") -> Lexicon:
    """Validate the lexicon's YAML data (see ``config/lexicon.yaml``) and index its words.

    ClaimError, one paragraph naming the key, for what ``lexicon.schema.yaml`` refuses (a missing
    section or language, an unknown qualifier rule, a margin that is not a positive number, a bound
    outside [0, 100], a number word that is not a whole number, a misspelled key), and for a word
    given two meanings, a phrase listed twice, an empty interval or a fraction of more than 1.
    """
    data = dict(data) if isinstance(data, Mapping) else data
    check_against_schema(data, "lexicon", source, error=ClaimError)
    margins = {key: _exact(value) for key, value in data["margins"].items()}
    units = _by_lang(data["units"])
    articles = _by_lang(data["articles"])

    qualifiers: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for rule, words in data["qualifiers"].items():
        for lang, listed in _by_lang(words).items():
            for word in listed:
                if qualifiers[lang].get(word, rule) != rule:
                    raise ClaimError(
                        f"{source}: qualifiers.{rule}.{lang}: the word {word!r} is both {qualifiers[lang][word]} and "
                        f"{rule}; give each word one rule"
                    )
                qualifiers[lang][word] = rule

    phrases: dict[str, dict[str, tuple]] = {lang: {} for lang in LANGS}
    for index, entry in enumerate(data.get("phrases") or []):
        where = f"{source}: phrases[{index}]"
        low, high = _exact(entry["low"]), _exact(entry["high"])
        closed = (entry["low_closed"], entry["high_closed"])
        if low > high or (low == high and not all(closed)):
            raise ClaimError(
                f"{where}: the interval from low {entry['low']} to high {entry['high']} (low_closed: "
                f"{str(closed[0]).lower()}, high_closed: {str(closed[1]).lower()}) is empty; low is at most high, "
                "and both bounds are closed when they are equal"
            )
        for lang, words in _by_lang(entry).items():
            for word in words:
                if word in phrases[lang]:
                    raise ClaimError(f"{where}.{lang}: the phrase {word!r} is listed twice; list each phrase once")
                phrases[lang][word] = (low, high, closed[0], closed[1])

    number_words = {
        lang: {normalise_phrase(word): int(value) for word, value in data["number_words"][lang].items()}
        for lang in LANGS
    }

    fractions = data["fractions"]
    whole: dict[str, dict[str, Fraction]] = {}
    for lang in LANGS:
        whole[lang] = {}
        for phrase, value in fractions["whole"][lang].items():
            share = Fraction(value.replace(" ", ""))
            if share > 1:
                raise ClaimError(
                    f"{source}: fractions.whole.{lang}.{phrase}: {value!r} is more than 1; a fraction of the whole "
                    "lies from 0 to 1"
                )
            whole[lang][normalise_phrase(phrase)] = share
    parts = {
        lang: {normalise_phrase(word): int(value) for word, value in fractions["parts"][lang].items()} for lang in LANGS
    }
    indefinite = _by_lang(fractions["indefinite"])
    of_words = _by_lang(fractions["of_words"])

    return Lexicon(
        margins=margins,
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


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate ``config/lexicon.yaml`` (``yaml.safe_load``); see :func:`parse_lexicon`."""
    return parse_lexicon(read_yaml(path), str(path))


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
        raise ClaimError(f"{text!r} ({lang}) is {number_text(x)} %, more than 100 %")
    m = lexicon.margins[kind]
    if rule is None:
        if kind == "number":
            half = Fraction(1, 2) / 10**decimals
            return _interval(x - half, x + half, True, False, phrase, lang)
        return _interval(x - m, x + m, True, True, phrase, lang)
    bounds = {
        "just_over": (x, x + m, False, True),
        "just_under": (x - m, x, True, False),
        "more_than": (x, HUNDRED, False, True),
        "less_than": (Fraction(0), x, True, False),
        "at_least": (x, HUNDRED, True, True),
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
    shown = number_text(Fraction(value), lang, places=decimals_of(value))
    word = {"en": "printed", "sv": "tryckt"}[lang]
    return _interval(rounded.low, rounded.high, rounded.low_closed, rounded.high_closed, f"{word} {shown} %", lang)
