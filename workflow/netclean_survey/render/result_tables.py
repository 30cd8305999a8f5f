"""Result tables of comparisons and breakdowns as Markdown: the fixed words in Swedish and English,
the columns of a result table and how a row's cells read, the test's sentence, and the test as a
two-column table (key, value) for ``test.csv``."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from .comparison import test_sentence
from .text import format_decimal, format_percent, md_cell, md_inline, one_line

# A column of a Markdown result table: its header per language, the cell text of a row, and
# whether the cell is a label (text from config or data: escaped and formula-neutralised) or a
# number this module formatted (written as is, so that "-1.7" stays a number).
Column = tuple[dict[str, str], Callable[[object, str], str], bool]


def test_table(test: Mapping) -> pd.DataFrame:
    """A test result as two columns, key and value (lists joined by ";"; tables left out)."""
    rows = []
    for key, value in test.items():
        if isinstance(value, pd.DataFrame):
            continue
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value)
        elif isinstance(value, float):
            value = f"{value:.6g}"  # six significant digits: a p-value of 1e-12 stays readable
        rows.append((key, value))
    return pd.DataFrame(rows, columns=["key", "value"]).astype({"value": "object"})


def pipe_table(header: list[str], rows: list[list[str]], labels: list[bool]) -> str:
    """A Markdown pipe table: label columns (text from config or data) escaped and left-aligned,
    number columns (formatted here) written as they are and right-aligned."""
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |",
             "|" + "|".join(":---" if label else "---:" for label in labels) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(md_cell(c) if label else c for c, label in zip(row, labels)) + " |")
    return "\n".join(lines)


def result_markdown(title: str, sentences: list[str], table: pd.DataFrame, columns: list[Column], lang: str,
                    note: str | None) -> str:
    """Heading, sentences, a pipe table, the note: the Markdown of a result table."""
    rows = [[cell(row, lang) for _, cell, _ in columns] for row in table.itertuples(index=False)]
    lines = pipe_table([h[lang] for h, _, _ in columns], rows, [label for _, _, label in columns])
    parts = [f"# {md_inline(one_line(title))}", " ".join(one_line(s) for s in sentences if s), lines]
    if note:
        parts.append(f"*{one_line(note)}*")
    return "\n\n".join(parts) + "\n"


def percentage_points(value, lang: str) -> str:
    return format_decimal(value, 1, lang, scale=100)


def interval_cell(estimate, low, high, lang: str, points: bool = False) -> str:
    """"16.3 [12.1, 21.4]" (Swedish: "16,3 [12,1; 21,4]"), as in the comparison tables."""
    fmt = percentage_points if points else format_percent
    separator = "; " if lang == "sv" else ", "
    return f"{fmt(estimate, lang)} [{fmt(low, lang)}{separator}{fmt(high, lang)}]"


def test_words(test: Mapping, lang: str) -> str:
    return test_sentence(test, lang).rstrip(".")


WORDS = {
    "en": {
        "option": "Option", "first": "First", "second": "Second", "n": "n", "share_first": "Share first (%)",
        "share_second": "Share second (%)", "difference": "Difference, pp [CI]", "p": "p", "p_holm": "p (Holm)",
        "group": "Group", "estimate": "Estimate, pp [CI]", "count": "Count", "share": "Share (%) [CI]",
        "intervals": "Intervals: {method}, {level} %.",
        "paired": "The same respondents answer both: paired comparisons (McNemar exact test; difference with the "
                  "Newcombe (1998b) interval for paired data), Holm-adjusted over the rows.",
        "within": "Options of {question}, wave {wave} (n = {n} respondents who ticked at least one option).",
        "paired_questions": "{first} against {second}, wave {wave}: respondents who answered both (n = {n}).",
        "mean": "Where the answers sit (per respondent, the mean score of the options ticked; for age brackets "
                "the midpoint in years): {mean_first} against {mean_second}; "
                "difference {diff} [{low}, {high}] ({method}); p {p} ({test}); {robust}: p {robust_p}.",
        "contrast": "The gap {contrast} within each wave, and its change between the waves ({method}, {level} %).",
        "breakdown": "{question} by {by}, wave {wave}. Counts below {k} are shown as <{k}; x marks a count of {k} "
                     "or more hidden so that no count below {k} can be worked out from the totals (secondary "
                     "suppression); hidden counts have no share. Test of association: {test}.",
        "overall": "All options together: {test}.",
    },
    "sv": {
        "option": "Svarsalternativ", "first": "Första", "second": "Andra", "n": "n", "share_first": "Andel första (%)",
        "share_second": "Andel andra (%)", "difference": "Skillnad, procentenheter [KI]", "p": "p",
        "p_holm": "p (Holm)", "group": "Grupp", "estimate": "Skattning, procentenheter [KI]", "count": "Antal",
        "share": "Andel (%) [KI]",
        "intervals": "Intervall: {method}, {level} %.",
        "paired": "Samma svarande svarar på båda: parade jämförelser (McNemars exakta test; skillnad med Newcombes "
                  "(1998b) intervall för parade data), Holm-justerade över raderna.",
        "within": "Svarsalternativ i {question}, omgång {wave} (n = {n} svarande som kryssat minst ett alternativ).",
        "paired_questions": "{first} mot {second}, omgång {wave}: svarande som besvarat båda (n = {n}).",
        "mean": "Var svaren ligger (per svarande medelvärdet av de kryssade alternativens poäng; för "
                "åldersgrupper mittpunkten i år): {mean_first} mot {mean_second}; "
                "skillnad {diff} [{low}; {high}] ({method}); p {p} ({test}); {robust}: p {robust_p}.",
        "contrast": "Skillnaden {contrast} inom varje omgång, och dess förändring mellan omgångarna ({method}, "
                    "{level} %).",
        "breakdown": "{question} efter {by}, omgång {wave}. Antal under {k} visas som <{k}; x markerar ett antal "
                     "på {k} eller fler som döljs för att inget antal under {k} ska kunna räknas ut ur summorna "
                     "(sekundär skyddsundertryckning); dolda antal har ingen andel. Test av samband: {test}.",
        "overall": "Alla alternativ tillsammans: {test}.",
    },
}


def option_label(question, option_id: str, lang: str) -> str:
    return question.option(option_id).label(lang)

