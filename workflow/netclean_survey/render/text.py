"""Text of the tables: the fixed strings in Swedish and English, numbers as printed (rounded half
up, decimal comma in Swedish), Markdown cells, and the Markdown table of one question."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from .. import SYNTHETIC_NOTE
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


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|&])")


def md_cell(value) -> str:
    """A Markdown table cell: one line, then formula-neutralised (after the whitespace is
    collapsed, so " =1" cannot turn into "=1"), then Markdown punctuation escaped."""
    text = neutralise_formula(one_line(value))
    return _MD_ESCAPE.sub(r"\\\1", text)


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
    parts = [f"# {one_line(title)}", " ".join(sentence), markdown_table(table, lang).rstrip("\n")]
    if note:
        parts.append(f"*{one_line(note)}*")
    path = prepare_path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n\n".join(parts) + "\n")


def capitalise(text: str) -> str:
    """The first character upper case, the rest unchanged."""
    return text[:1].upper() + text[1:]


def note(wave: Wave, lang: str) -> str | None:
    """The synthetic-data note, for a wave whose rows are our reconstruction."""
    return SYNTHETIC_NOTE[lang] if wave.synthetic else None


def question_rows(estimates: pd.DataFrame, question_id: str) -> pd.DataFrame:
    rows = estimates[estimates["question"] == question_id].reset_index(drop=True)
    if rows.empty:
        raise ValueError(f"the estimates hold no rows for question {question_id!r}")
    return rows
