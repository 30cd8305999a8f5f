"""Alphabetical order of labels, the same on every machine: no system locale, no ICU.

:func:`collation_key` sorts Swedish labels as a Swedish dictionary does and English labels as an
English one does, from fixed tables in this module (Python's ``locale.strxfrm`` would depend on the
locales a machine has installed, and PyICU is not available).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ..core.codebook import Question

#: The Swedish alphabet in order (Svenska Akademiens ordlista, 13th edition, 2006: w is a letter of
#: its own, after v; å, ä, ö after z).
SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
ENGLISH_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

#: Letters sorted as other letters of the Swedish alphabet (Svenska skrivregler; CLDR's Swedish
#: collation): Danish/Norwegian æ and ø as ä and ö, ü as y, and the letters a dictionary spells out.
_SWEDISH_AS = {"æ": "ä", "ø": "ö", "ü": "y", "ß": "ss", "ð": "d", "þ": "th", "œ": "oe", "ł": "l", "đ": "d"}
#: The same for English: every accent dropped, ligatures and special letters spelt out.
_ENGLISH_AS = {"æ": "ae", "ø": "o", "ß": "ss", "ð": "d", "þ": "th", "œ": "oe", "ł": "l", "đ": "d"}


def _base_letters(text: str, kept: str, spelt: dict[str, str]) -> str:
    """``text`` case-folded, each letter of ``kept`` kept as it is, each of ``spelt`` replaced, every
    other character stripped of its accents (decomposed, combining marks dropped)."""
    out = []
    for char in unicodedata.normalize("NFC", text).casefold():
        if char in kept:
            out.append(char)
        elif char in spelt:
            out.append(spelt[char])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)))
    return "".join(out)


def _weights(letters: str, alphabet: str) -> tuple[tuple[int, int], ...]:
    """Each character's place: characters that are not letters (spaces, digits, punctuation) first,
    by code point; then the alphabet's letters in its order; then letters of other scripts, by code
    point."""
    place = {c: i for i, c in enumerate(alphabet)}
    return tuple((1, place[c]) if c in place else (2 if c.isalpha() else 0, ord(c)) for c in letters)


def collation_key(text: str, lang: str) -> tuple:
    """A sort key of ``text`` in the alphabetical order of ``lang`` ("sv" or "en"), independent of
    the system locale.

    Swedish (``"sv"``): the rule of Svenska Akademiens ordlista (13th edition) and of Swedish
    dictionaries, as in CLDR's Swedish collation: the alphabet a-z, then å, ä, ö; upper and lower case
    alike; other accented letters as their base letter (é as e, à as a, ç as c, ñ as n); æ as ä,
    ø as ö, ü as y. English (``"en"``): a-z, case and every accent ignored (å, ä and é as a, a and e),
    æ as "ae". In both, a character that is not a letter (space, digit, hyphen) sorts before the
    letters ("Nya Zeeland" before "Nyborg"), letters of other scripts after them.

    Labels equal at that level are ordered unaccented before accented, then lower before upper case
    (then by code point), so the order is total and the same on every machine:
    ``sorted(["Örebro", "Åland", "Zambia", "Éire"], key=lambda s: collation_key(s, "sv"))`` is
    ``["Éire", "Zambia", "Åland", "Örebro"]``.
    """
    if lang == "sv":
        alphabet, spelt = SWEDISH_ALPHABET, _SWEDISH_AS
    elif lang == "en":
        alphabet, spelt = ENGLISH_ALPHABET, _ENGLISH_AS
    else:
        raise ValueError(f"no collation for language {lang!r}; known: sv, en")
    text = unicodedata.normalize("NFC", str(text))
    kept = alphabet[26:]  # å, ä, ö in Swedish: letters of their own, not a, a, o with accents
    primary = _weights(_base_letters(text, kept, spelt), alphabet)
    accents = unicodedata.normalize("NFD", text.casefold())  # the accents, at the second level
    case = tuple(c.isupper() for c in text)  # lower case first, at the third
    return primary, accents, case, text


def sorted_labels(labels, lang: str) -> list[str]:
    """``labels`` in the alphabetical order of ``lang`` (:func:`collation_key`)."""
    return sorted(labels, key=lambda label: collation_key(label, lang))


def listing_order(table: pd.DataFrame, question: Question, lang: str) -> pd.DataFrame:
    """The rows of one question's table (a column ``label_{lang}``) in the order its tables in
    ``lang`` list them: for a question whose options have no order of their own (questionnaire
    ``order: alphabetical``, the countries) by :func:`collation_key` of the label, else as given
    (the questionnaire's order). The CSV keeps the questionnaire's order, the same in every
    language; only the text tables are sorted."""
    if question.order != "alphabetical":
        return table
    labels = [str(label) for label in table[f"label_{lang}"]]
    order = sorted(range(len(labels)), key=lambda i: collation_key(labels[i], lang))
    return table.iloc[order].reset_index(drop=True)
