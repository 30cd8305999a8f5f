"""Text of the tables: the fixed strings in Swedish and English, numbers as printed (rounded half
up, decimal comma in Swedish), Markdown cells, and the Markdown table of one question."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from .. import output_note
from ..core.codebook import Wave
from ..core.writers import neutralise_formula, prepare_path

LANGS = ("sv", "en")
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "axis_share": "Share of respondents (%)",
        "wave": "Wave {wave}.",
        "n": "n = {n}",
        "n_base": "Base: {base}, n = {n}",
        "asked": "asked of {n_asked}, {nonresponse} did not answer",
        "whiskers": "Whiskers: {level} % confidence intervals ({method}).",
        "multi": "Tick all that apply: shares need not sum to 100 %.",
        "md_intervals": "Shares in percent with {level} % confidence intervals ({method}).",
        "md_simultaneous": "Simultaneous {level} % intervals for all options together: {method}.",
        "col_option": "Option",
        "col_count": "Count",
        "col_share": "Share (%)",
        "col_low": "CI lower (%)",
        "col_high": "CI upper (%)",
        "col_sim_low": "Simultaneous lower (%)",
        "col_sim_high": "Simultaneous upper (%)",
        "ages_title": "Ages of the children: grooming and sexual extortion",
        "ages_seen": "Ages seen",
        "ages_common": "Most common ages",
        "grooming": "Grooming",
        "sextortion": "Sexual extortion",
        "ages_n": "{panel}: n = {g} (grooming), {s} (sexual extortion)",
        "ages_asked": "{group}, {panel}: asked of {n_asked}, {nonresponse} did not answer",
        "readme_sheet": "Sheet",
        "readme_table": "Table",
        "readme_what": "What it holds",
        "readme_header": "Header",
        "readme_column": "CSV column",
    },
    "sv": {
        "axis_share": "Andel av de svarande (%)",
        "wave": "Omgång {wave}.",
        "n": "n = {n}",
        "n_base": "Bas: {base}, n = {n}",
        "asked": "frågan ställdes till {n_asked}, {nonresponse} svarade inte",
        "whiskers": "Felstaplar: {level} % konfidensintervall ({method}).",
        "multi": "Flera svar möjliga: andelarna behöver inte summera till 100 %.",
        "md_intervals": "Andelar i procent med {level} % konfidensintervall ({method}).",
        "md_simultaneous": "Simultana {level} % intervall för alla alternativ samtidigt: {method}.",
        "col_option": "Svarsalternativ",
        "col_count": "Antal",
        "col_share": "Andel (%)",
        "col_low": "KI nedre (%)",
        "col_high": "KI övre (%)",
        "col_sim_low": "Simultant nedre (%)",
        "col_sim_high": "Simultant övre (%)",
        "ages_title": "Barnens åldrar: grooming och sexuell utpressning",
        "ages_seen": "Åldrar som förekommer",
        "ages_common": "Vanligaste åldrar",
        "grooming": "Grooming",
        "sextortion": "Sexuell utpressning",
        "ages_n": "{panel}: n = {g} (grooming), {s} (sexuell utpressning)",
        "ages_asked": "{group}, {panel}: frågan ställdes till {n_asked}, {nonresponse} svarade inte",
        "readme_sheet": "Blad",
        "readme_table": "Tabell",
        "readme_what": "Innehåll",
        "readme_header": "Rubrik",
        "readme_column": "CSV-kolumn",
    },
}


# Interval method ids (config: estimate.interval_method / simultaneous_method, hyphens or
# underscores) -> names for captions. An id not listed is shown as written, "_" and "-" as spaces.
METHOD_NAMES: dict[str, str] = {
    "wilson": "Wilson",
    "clopper_pearson": "Clopper–Pearson",
    "jeffreys": "Jeffreys",
    "agresti_coull": "Agresti–Coull",
    "wald": "Wald",
    "normal": "Wald",
    "goodman": "Goodman",
    "sison_glaz": "Sison–Glaz",
    "quesenberry_hurst": "Quesenberry–Hurst",
    "bonferroni_wilson": "Wilson, Bonferroni",
}


MISSING = "–"  # shown for a share that cannot be computed (n = 0)


def check_lang(lang: str) -> None:
    """Raise ValueError unless ``lang`` is one of :data:`LANGS`."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def method_name(method: str) -> str:
    method = "" if method is None or (isinstance(method, float) and np.isnan(method)) else str(method)
    key = method.strip().lower().replace("-", "_")
    return METHOD_NAMES.get(key, method.replace("_", " ").replace("-", " "))


def format_level(conf_level: float) -> str:
    """0.95 -> "95", 0.995 -> "99.5"."""
    return f"{100 * float(conf_level):g}"


def _decimal_text(d: Decimal, places: int, lang: str) -> str:
    if d.is_zero():
        d = abs(d)  # no "-0.0"
    text = f"{d:.{places}f}"
    return text.replace(".", ",") if lang == "sv" else text


def format_decimal(value: float, places: int = 1, lang: str = "en", scale: int = 1) -> str:
    """``value * scale`` with ``places`` decimals, rounded half up (ties away from zero); "–" for
    NaN. Decimal comma in Swedish.

    Rounds the float's shortest decimal representation (``repr``), so 0.1625 at scale 100 gives
    "16.3" as a person would write it, not "16.2" from the binary value 16.249999...
    """
    if value is None or pd.isna(value):
        return MISSING
    d = (Decimal(repr(float(value))) * scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _decimal_text(d, places, lang)


def format_percent(value: float, lang: str = "en") -> str:
    """A share (0..1) as a percentage with one decimal, rounded half up; "–" for NaN.

    See :func:`format_decimal`: 13/80 = 0.1625 gives "16.3". Swedish uses a decimal comma.
    """
    return format_decimal(value, 1, lang, scale=100)


def format_exact(value: Fraction, places: int = 1, lang: str = "en") -> str:
    """A rational number with ``places`` decimals, rounded half up (ties away from zero) in exact
    arithmetic: no binary float and no finite-precision division on the way."""
    scaled = abs(Fraction(value)) * 10**places
    whole = int(scaled + Fraction(1, 2))  # floor(x + 1/2): half up for x >= 0
    sign = -1 if value < 0 else 1
    return _decimal_text(Decimal(sign * whole).scaleb(-places), places, lang)


def format_share(count: int, n: int, lang: str = "en") -> str:
    """A printed share from its whole counts, in exact arithmetic (count / n as a fraction, half
    up), so that a share written to CSV with six decimals cannot round differently; "–" for n = 0."""
    if int(n) == 0:
        return MISSING
    return format_exact(Fraction(int(count), int(n)) * 100, 1, lang)


def _one(table: pd.DataFrame, column: str):
    values = pd.unique(table[column])
    if len(values) != 1:
        raise ValueError(
            f"expected the rows of one question with one value of {column!r}, got {list(values)!r}"
        )
    return values[0]


def question_facts(table: pd.DataFrame) -> dict:
    """The per-question values of a question's rows (which must agree across its rows)."""
    if table.empty:
        raise ValueError("no rows: expected the rows of one question")
    facts = {c: _one(table, c) for c in ("wave", "question", "kind", "n_asked", "n", "nonresponse",
                                          "ci_method", "conf_level")}
    sim = table["sim_ci_method"].map(lambda v: "" if pd.isna(v) else str(v))  # NaN once read from CSV
    sim_methods = [m for m in pd.unique(sim) if m]
    if len(sim_methods) > 1:
        raise ValueError(f"more than one sim_ci_method in one question: {sim_methods!r}")
    has_sim = bool(sim_methods) and table[["sim_ci_low", "sim_ci_high"]].notna().any().any()
    facts["sim_ci_method"] = sim_methods[0] if has_sim else ""
    for key in ("n_asked", "n", "nonresponse"):
        facts[key] = int(facts[key])
    facts["conf_level"] = float(facts["conf_level"])
    return facts


def n_phrase(facts: dict, lang: str, base: str | None) -> str:
    t = TEXTS[lang]
    text = t["n_base"].format(n=facts["n"], base=base) if base else t["n"].format(n=facts["n"])
    if facts["nonresponse"]:
        text += "; " + t["asked"].format(n_asked=facts["n_asked"], nonresponse=facts["nonresponse"])
    return text + "."


# Markdown escaping: what a renderer would read as markup gets a backslash or becomes a character
# reference, and nothing else does, so that "north_america", "[16.4, 30.0]" and "p < 0.001" read as
# written. Safe for CommonMark with GitHub's tables and for Python-Markdown (the tables extension),
# which knows fewer backslash escapes: "\<" would show its backslash there. Escaped: every "|" (it
# ends a table cell); a "\" before ASCII punctuation (else it escapes that); a "<" before a letter,
# "/", "!" or "?" (an HTML tag, a comment, an autolink) as "&lt;"; the "&" of an entity or character
# reference ("&amp;", "&#35;", "&#35") as "&amp;"; a "]" before "(" or "[" after a "[" (the end of a
# link's text); "`" and "$" when the text has two runs of them (a code span, GitHub's inline math;
# "$" as "&#36;"); "*", "_" and "~" ("~" as "&#126;") when one of their runs could open emphasis (or
# strikethrough) and a later one close it, to CommonMark (its flanking rules) or Python-Markdown. A
# run that can only be read as itself ("*_common" alone, "5 * 3", "snake_case") is left as written.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?=#|[A-Za-z0-9]+;)")  # Python-Markdown reads "&#35" without its ";" too
_RUNS = {char: re.compile(re.escape(char) + "+") for char in "*_~`$"}
_REFERENCES = {"<": "&lt;", "&": "&amp;", "~": "&#126;", "$": "&#36;"}  # no backslash escape in Python-Markdown


def _space(char: str | None) -> bool:
    return char is None or char.isspace()  # the text's ends count as whitespace


def _punctuation_either(char: str | None) -> tuple[bool, bool]:
    """Whether ``char`` is punctuation to CommonMark 0.29 (GitHub: ASCII punctuation and Unicode P)
    and to 0.31 (Unicode P and S): a run is read as markup if either reading allows it."""
    if char is None:
        return False, False
    category = unicodedata.category(char)
    old = char in _ASCII_PUNCTUATION or category.startswith("P")
    return old, old or category.startswith("S")


def _can_open_close(char: str, before: str | None, after: str | None) -> tuple[bool, bool]:
    """Whether a delimiter run of ``char`` between ``before`` and ``after`` can open and close
    emphasis (or strikethrough) to some renderer: to CommonMark under either reading of punctuation
    ("left- and right-flanking"), or to Python-Markdown (a "*" run between two spaces is text; an
    "_" run opens after, and closes before, anything but a letter, digit or "_")."""
    can_open = can_close = False
    for punct_before, punct_after in zip(_punctuation_either(before), _punctuation_either(after)):
        left = not _space(after) and (not punct_after or _space(before) or punct_before)
        right = not _space(before) and (not punct_before or _space(after) or punct_after)
        if char == "_":
            can_open |= left and (not right or punct_before)
            can_close |= right and (not left or punct_after)
        else:
            can_open |= left
            can_close |= right
    if char == "*":
        can_open |= not (_space(before) and _space(after))
        can_close |= not (_space(before) and _space(after))
    elif char == "_":
        can_open |= not _word(before)
        can_close |= not _word(after)
    return can_open, can_close


def _word(char: str | None) -> bool:
    return char is not None and (char.isalnum() or char == "_")


def _paired_runs(text: str, char: str) -> list[range]:
    """The runs of ``char`` to escape: all of them when one could be markup with a later one
    (emphasis, strikethrough: by flanking; a code span or inline math: any two runs), else none."""
    runs = [(m.start(), m.end()) for m in _RUNS[char].finditer(text)]
    if len(runs) < 2:
        return []
    if char not in "*_~":
        return [range(s, e) for s, e in runs]
    sides = [_can_open_close(char, text[s - 1] if s else None, text[e] if e < len(text) else None) for s, e in runs]
    opened = False
    for can_open, can_close in sides:
        if opened and can_close:
            return [range(s, e) for s, e in runs]
        opened |= can_open
    return []


def md_inline(value) -> str:
    """Text as Markdown that reads as written: each character a renderer would take for markup
    escaped (a backslash, or a character reference where Python-Markdown has no backslash escape:
    see the comment above), none elsewhere. For table cells (``|`` is escaped) and headings; the
    text is taken as one line."""
    text = str(value)
    marked = {i for i, char in enumerate(text) if char == "|"}
    marked |= {i for i, char in enumerate(text[:-1]) if char == "\\" and text[i + 1] in _ASCII_PUNCTUATION}
    marked |= {i for i, char in enumerate(text[:-1])
               if char == "<" and (text[i + 1] in "/!?" or ("a" <= text[i + 1].lower() <= "z"))}
    marked |= {m.start() for m in _ENTITY.finditer(text)}
    marked |= {i for i, char in enumerate(text[:-1]) if char == "]" and text[i + 1] in "([" and "[" in text[:i]}
    for char in "*_~`$":
        for run in _paired_runs(text, char):
            marked.update(run)
    return "".join(_REFERENCES.get(char, "\\" + char) if i in marked else char for i, char in enumerate(text))


def md_cell(value) -> str:
    """A Markdown table cell: one line, then formula-neutralised (after the whitespace is
    collapsed, so " =1" cannot turn into "=1"), then escaped where a renderer would read markup
    (:func:`md_inline`): "north_america" and "[16.4, 30.0]" stay as written, "No | maybe" becomes
    "No \\| maybe"."""
    return md_inline(neutralise_formula(one_line(value)))


_md_cell = md_cell  # the former private name (tests/test_render.py)


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces, ends stripped."""
    return re.sub(r"\s+", " ", str(text)).strip()


def markdown_table(table: pd.DataFrame, lang: str = "en") -> str:
    """The pipe table of one question's rows: label, count, share and bounds in percent."""
    check_lang(lang)
    t = TEXTS[lang]
    facts = question_facts(table)
    header = [t["col_option"], t["col_count"], t["col_share"], t["col_low"], t["col_high"]]
    if facts["sim_ci_method"]:
        header += [t["col_sim_low"], t["col_sim_high"]]
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    for row in table.itertuples(index=False):
        cells = [
            md_cell(getattr(row, f"label_{lang}")),
            str(int(row.count)),
            format_share(row.count, row.n, lang),
            format_percent(row.ci_low, lang),
            format_percent(row.ci_high, lang),
        ]
        if facts["sim_ci_method"]:
            cells += [format_percent(row.sim_ci_low, lang), format_percent(row.sim_ci_high, lang)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_table_markdown(
    table: pd.DataFrame,
    path: str | Path,
    title: str,
    note: str | None,
    *,
    lang: str = "en",
    base: str | None = None,
) -> None:
    """Write one question's rows as Markdown: heading, a sentence on n, base and intervals, the
    pipe table (percentages, one decimal; decimal comma in Swedish), then the note in italics.

    ``base`` (e.g. ``question.base[lang]``) names whom the shares are of; ``lang`` picks the
    labels, headers and sentences.
    """
    check_lang(lang)
    t = TEXTS[lang]
    facts = question_facts(table)
    level = format_level(facts["conf_level"])
    sentence = [n_phrase(facts, lang, base),
                t["md_intervals"].format(level=level, method=method_name(facts["ci_method"]))]
    if facts["sim_ci_method"]:
        sentence.append(t["md_simultaneous"].format(level=level, method=method_name(facts["sim_ci_method"])))
    if facts["kind"] == "multi":
        sentence.append(t["multi"])
    parts = [f"# {md_inline(one_line(title))}", " ".join(sentence), markdown_table(table, lang).rstrip("\n")]
    if note:
        parts.append(f"*{one_line(note)}*")
    path = prepare_path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n\n".join(parts) + "\n")


def capitalise(text: str) -> str:
    """The first character upper case, the rest unchanged."""
    return text[:1].upper() + text[1:]


def note(wave: Wave, lang: str) -> str | None:
    """The note of a wave's unweighted outputs: "Unweighted", and the synthetic-data note for a wave
    whose rows are our reconstruction (:func:`netclean_survey.output_note`)."""
    return output_note(lang, wave.synthetic)


def question_rows(estimates: pd.DataFrame, question_id: str) -> pd.DataFrame:
    rows = estimates[estimates["question"] == question_id].reset_index(drop=True)
    if rows.empty:
        raise ValueError(f"the estimates hold no rows for question {question_id!r}")
    return rows
