"""Tables (CSV, Markdown, Excel) and figures (PNG, SVG) of the estimates, byte for byte reproducible.

Input everywhere: rows of the estimates table (one row per question and option, codebook order;
columns ``wave, question, kind, option, label_sv, label_en, n_asked, n, nonresponse, count, share,
ci_low, ci_high, ci_method, conf_level, sim_ci_low, sim_ci_high, sim_ci_method, mentions,
share_of_mentions``). Functions take DataFrames and paths and write files; nothing reads
``snakemake``.

Reproducibility, the contract with the users who re-run the pipeline:

* Numbers: every float a writer gets was rounded once, to six decimals, by
  :mod:`netclean_survey.rounding` (the writers check it), so no file depends on the last bits of a
  float and the CSV, the Markdown and the workbook show the same value.
* CSV: UTF-8 without BOM, ``"\\n"`` line ends, floats as ``%.6f``, NaN as an empty cell.
* Markdown: plain text built here (no tabulate), percentages rounded half up from the float's
  shortest decimal representation (``0.1625`` is ``16.3``, not the binary ``16.2``).
* Excel: openpyxl's timestamps are fixed (``docProps/core.xml``) and the zip is rewritten with
  fixed entry dates, a fixed entry order and no compression (``ZIP_STORED``): the bytes then do
  not depend on the clock, nor on which zlib (zlib, zlib-ng) the Python at hand links.
* Figures: drawn on a ``Figure`` with the Agg canvas (no pyplot state, no GUI backend) inside
  ``matplotlib.rc_context`` after ``matplotlib.rcdefaults()``, so neither a user's matplotlibrc
  nor a style set earlier in the process leaks in; fixed figure size, dpi and font (DejaVu Sans,
  shipped with matplotlib); ``svg.hashsalt`` fixed (ids of clip paths); no date nor software
  version in the metadata. ``svg.fonttype`` is ``"path"``: glyphs are drawn as outlines, so the
  SVG looks exactly like the PNG on any machine, whichever fonts the viewer has (with ``"none"``
  the viewer substitutes its own font, the metrics change and long labels can overflow). The
  text stays findable: matplotlib writes every string as an XML comment next to its glyphs, and
  the title and caption (with the synthetic-data note) go into the SVG's ``<title>`` and
  Dublin Core ``description``.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .cells import map_distinct
from .codebook import Question
from .rounding import check_published

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LANGS = ("sv", "en")

# ---------------------------------------------------------------------------------------------
# Fixed strings, both languages, in one place
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Cells: formula injection
# ---------------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A string a spreadsheet could run as a formula gets a leading apostrophe; others unchanged.

    Shared by the CSV, Markdown and Excel writers (OWASP "CSV injection"): a cell starting with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return. Non-strings (numbers, NaN) pass through.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with every string cell and column name neutralised; numeric columns untouched."""
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.map(neutralise_formula)  # on the categories
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = map_distinct(series, neutralise_formula)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


# ---------------------------------------------------------------------------------------------
# What a table says about its question
# ---------------------------------------------------------------------------------------------


def _one(table: pd.DataFrame, column: str):
    values = pd.unique(table[column])
    if len(values) != 1:
        raise ValueError(
            f"expected the rows of one question with one value of {column!r}, got {list(values)!r}"
        )
    return values[0]


def _facts(table: pd.DataFrame) -> dict:
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


def _n_phrase(facts: dict, lang: str, base: str | None) -> str:
    t = TEXTS[lang]
    text = t["n_base"].format(n=facts["n"], base=base) if base else t["n"].format(n=facts["n"])
    if facts["nonresponse"]:
        text += "; " + t["asked"].format(n_asked=facts["n_asked"], nonresponse=facts["nonresponse"])
    return text + "."


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def prepare_path(path: str | Path) -> Path:
    """``path`` as a Path, its parent directory created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_table_csv(table: pd.DataFrame, path: str | Path) -> None:
    """Write rows as CSV: UTF-8, "\\n", floats "%.6f", NaN empty, given row and column order.

    Fields are quoted when needed; the csv module does not count a lone carriage return as
    needing quotes when the line terminator is "\\n", so a table with one in a text cell (free
    text) is written with every field quoted rather than split across lines.
    """
    check_published(table, str(path))  # every number was rounded once, before any writer
    path = prepare_path(path)
    safe = _neutralised(table)
    has_cr = any(_holds_carriage_return(series) for _, series in safe.items())
    quoting = csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL
    text = None if has_cr else text_table_csv(safe)
    if text is None:
        text = safe.to_csv(index=False, lineterminator="\n", float_format="%.6f", na_rep="", quoting=quoting)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _csv_field(value) -> str | None:
    """A text as the csv module writes it (QUOTE_MINIMAL, ",", '"' doubled, "\n" line ends);
    None for anything but text."""
    if not isinstance(value, str):
        return None
    if "," in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def text_table_csv(table: pd.DataFrame) -> str | None:
    """The CSV that ``DataFrame.to_csv`` writes (QUOTE_MINIMAL, "\n", missing as ""), for a table
    of text and categorical text columns only; None for any other table.

    Written here because pandas' writer formats every cell in Python, which makes the responses of
    a million respondents take 20 s: here each distinct text is quoted once, and a row is one
    ``str.join`` of its fields. tests/test_render.py checks it against ``to_csv`` byte for byte.
    """
    if table.shape[1] < 2:  # a lone empty field is written '""': leave such tables to pandas
        return None
    columns = []
    for _, series in table.items():
        if isinstance(series.dtype, pd.CategoricalDtype):
            fields = [_csv_field(category) for category in series.cat.categories]
            if None in fields:
                return None
            columns.append(np.array(fields + [""], dtype=object)[series.cat.codes.to_numpy()])  # code -1: ""
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            fields = map_distinct(series, _csv_field, missing="")
            if fields.isna().any():
                return None
            columns.append(fields.to_numpy())
        else:
            return None
    header = [_csv_field(str(name)) for name in table.columns]
    if None in header:
        return None
    lines = [",".join(header), *map(",".join, zip(*columns))]
    return "\n".join(lines) + "\n"


def _holds_carriage_return(series: pd.Series) -> bool:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = pd.Series(series.cat.categories.astype(object))
    elif not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    return bool(map_distinct(series, lambda value: isinstance(value, str) and "\r" in value, missing=False).any())


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
    facts = _facts(table)
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
    facts = _facts(table)
    level = format_level(facts["conf_level"])
    sentence = [_n_phrase(facts, lang, base),
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


# Excel ---------------------------------------------------------------------------------------

FIXED_TIME = datetime(2000, 1, 1)
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEETS = {"history"}  # Excel refuses a sheet called History


def sheet_names(keys: list[str], reserved: tuple[str, ...] = ("README",)) -> list[str]:
    """Excel sheet names for keys: forbidden characters dropped, at most 31 characters, unique
    ignoring case (as Excel compares them), never one of ``reserved``."""
    taken = {r.casefold() for r in reserved} | _RESERVED_SHEETS
    names = []
    for key in keys:
        base = _SHEET_FORBIDDEN.sub("_", str(key)).strip("'")[:31].strip("'") or "Sheet"
        name, i = base, 1
        while name.casefold() in taken:
            i += 1
            suffix = f"~{i}"
            name = base[: 31 - len(suffix)].rstrip("'") + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _excel_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if pd.isna(value):
        return None
    # illegal characters out first, so "\x01=1" cannot become a formula "=1" afterwards
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _normalised_zip(data: bytes) -> bytes:
    """The same zip with [Content_Types].xml first, then the other entries sorted by name,
    every entry stored (no compression) with a fixed date and fixed attributes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # "Unix", whatever the platform
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path, note) -> None:
    """One Excel workbook: a first sheet "README" with the note and the list of sheets, then one
    sheet per table (keys, e.g. question ids, as sheet names made valid). Same bytes every run.

    ``note`` is a string, or a mapping such as ``SYNTHETIC_NOTE`` (one line per language).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    items = list(tables.items())
    keys = [str(k) for k, _ in items]
    names = sheet_names(keys)
    notes = [note] if isinstance(note, str) else list(note.values()) if note else []

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    bold = Font(bold=True)
    row = 1
    for line in notes:
        readme.cell(row=row, column=1, value=_excel_value(line)).alignment = Alignment(wrap_text=True)
        row += 1
    row += 1
    readme.cell(row=row, column=1, value=TEXTS["en"]["readme_sheet"]).font = bold
    readme.cell(row=row, column=2, value=TEXTS["en"]["readme_table"]).font = bold
    for name, key in zip(names, keys):
        row += 1
        readme.cell(row=row, column=1, value=_excel_value(name))
        readme.cell(row=row, column=2, value=_excel_value(key))
    readme.column_dimensions["A"].width = 100 if notes else 32
    readme.column_dimensions["B"].width = 32

    for name, (_, table) in zip(names, items):
        check_published(table, f"{path}, sheet {name}")  # the workbook stores what the CSV prints
        ws = wb.create_sheet(name)
        for j, column in enumerate(table.columns, start=1):
            ws.cell(row=1, column=j, value=_excel_value(str(column))).font = bold
        float_columns = {j for j, c in enumerate(table.columns, start=1)
                         if pd.api.types.is_float_dtype(table[c])}
        for i, values in enumerate(table.itertuples(index=False, name=None), start=2):
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=i, column=j, value=_excel_value(value))
                if j in float_columns:
                    cell.number_format = "0.000000"
        for j, column in enumerate(table.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in table[column]])
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = min(60, max(10, longest + 2))
        ws.freeze_panes = "A2"

    wb.properties.creator = "netclean_survey"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = None
    buffer = io.BytesIO()
    # ExcelWriter rather than wb.save(), which stamps properties.modified with the current time
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    data = _normalised_zip(buffer.getvalue())
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
    stamps = re.findall(rb"\d{4}-\d{2}-\d{2}T[\d:.]+Z?", core)
    if stamps != [b"2000-01-01T00:00:00Z"] * 2:
        raise RuntimeError("openpyxl wrote a timestamp other than the fixed one into docProps/core.xml")
    prepare_path(path).write_bytes(data)


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

DPI = 150
WIDTH = 8.0  # inches, single-question figures
WIDTH_AGES = 10.0  # inches, the two-panel age figure
FONT_SIZE = 9.0
TITLE_SIZE = 11.0
CAPTION_SIZE = 7.5
COLORS = ("#0173b2", "#de8f05")  # seaborn "colorblind", first two
WHISKER_COLOR = "#222222"
SVG_HASHSALT = "netclean_survey"

RC = {
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib; seaborn's style lists Arial first
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": None,
    "savefig.transparent": False,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "figure.facecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASHSALT,
    "svg.id": None,
    "svg.image_inline": True,
    "text.parse_math": False,  # a "$" in a label is a dollar sign, not mathtext
    "text.usetex": False,
    "axes.formatter.use_locale": False,
    "axes.unicode_minus": True,
}


@contextmanager
def figure_rc() -> Iterator[None]:
    """rcParams for the pipeline's figures, whatever the process had set; restored on exit.

    matplotlib and seaborn are imported here and in the drawing functions, not with the module: a
    job that writes only tables does not pay for loading the plotting stack."""
    import matplotlib
    import seaborn as sns

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # matplotlib's own defaults, not the user's matplotlibrc
        matplotlib.rcParams.update(sns.axes_style("whitegrid"))
        matplotlib.rcParams.update(RC)
        _check_font()
        yield


def font_files() -> list[str]:
    """The font files the figures are drawn with (regular and bold DejaVu Sans)."""
    from matplotlib.font_manager import FontProperties, findfont

    return [findfont(FontProperties(family=["DejaVu Sans"], weight=w), fallback_to_default=False)
            for w in ("normal", "bold")]


_FONT_CHECKED = False


def _check_font() -> None:
    """Warn once if DejaVu Sans resolves to a copy other than matplotlib's own (a system copy of
    another version would change the glyphs, hence the bytes)."""
    global _FONT_CHECKED
    if _FONT_CHECKED:
        return
    _FONT_CHECKED = True
    import matplotlib

    bundled = Path(matplotlib.get_data_path()).resolve()
    for path in font_files():
        if bundled not in Path(path).resolve().parents:
            warnings.warn(f"DejaVu Sans resolves to {path}, not to matplotlib's bundled copy: "
                          "figures may differ in bytes from other machines", stacklevel=3)


def wrap_text(text: str, width_in: float, size: float, factor: float = 0.56) -> list[str]:
    """Wrap to the characters that fit in width_in at font size (DejaVu Sans averages ~0.55 em)."""
    chars = max(20, int(width_in * 72 / (size * factor)))
    return textwrap.wrap(one_line(text), chars, break_on_hyphens=False) or [""]


def caption_lines(paragraphs: list[str], width_in: float) -> list[str]:
    """The caption's lines: each non-empty paragraph wrapped to ``width_in`` at CAPTION_SIZE."""
    lines: list[str] = []
    for paragraph in paragraphs:
        if paragraph:
            lines += wrap_text(paragraph, width_in, CAPTION_SIZE)
    return lines


def caption_height(caption: list[str]) -> float:
    """Height in inches of the band under the plot that holds the caption's lines."""
    return (len(caption) * CAPTION_SIZE * 1.3 + 10) / 72


def new_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas (no pyplot state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def layout_with_caption(fig: Figure, caption: list[str]) -> None:
    """Constrained layout above a band that holds the caption; caption drawn into the band."""
    height = fig.get_size_inches()[1]
    band = caption_height(caption)
    fig.set_layout_engine("constrained", rect=(0, band / height, 1, 1 - band / height),
                          h_pad=0.06, w_pad=0.08)
    fig.text(0.12 / fig.get_size_inches()[0], (band - 4 / 72) / height, "\n".join(caption), ha="left", va="top",
             fontsize=CAPTION_SIZE, linespacing=1.3, color="#333333")


def save_figure(fig: Figure, path_png, path_svg, title: str, description: str, lang: str) -> None:
    """PNG and SVG at DPI, with title and description (caption and note) as metadata and no
    date, creator or software version. Call inside :func:`figure_rc`."""
    meta_common = {"Title": title, "Description": description}
    fig.savefig(prepare_path(path_png), format="png", dpi=DPI,
                metadata={**meta_common, "Software": None})
    fig.savefig(prepare_path(path_svg), format="svg", dpi=DPI,
                metadata={**meta_common, "Date": None, "Creator": None, "Language": lang})


def _plain_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Percent columns; a NaN share (n = 0) is drawn as an empty bar, its whisker left out."""
    out = pd.DataFrame({
        "option": table["option"].astype(str).to_numpy(),
        "pct": (100 * table["share"].astype(float)).fillna(0.0).to_numpy(),
        "low": (100 * table["ci_low"].astype(float)).to_numpy(),
        "high": (100 * table["ci_high"].astype(float)).to_numpy(),
        "missing": table["share"].isna().to_numpy(),
    })
    return out


def _whiskers(ax, centres: np.ndarray, data: pd.DataFrame, horizontal: bool = True) -> None:
    ok = data[["low", "high"]].notna().all(axis=1).to_numpy() & ~data["missing"].to_numpy()
    if not ok.any():
        return
    pct = data["pct"].to_numpy()[ok]
    err = np.vstack([np.clip(pct - data["low"].to_numpy()[ok], 0, None),
                     np.clip(data["high"].to_numpy()[ok] - pct, 0, None)])
    kw = dict(fmt="none", ecolor=WHISKER_COLOR, elinewidth=1.1, capsize=3, capthick=1.1, zorder=3)
    if horizontal:
        ax.errorbar(pct, centres[ok], xerr=err, **kw)
    else:
        ax.errorbar(centres[ok], pct, yerr=err, **kw)


def _bar_centres(ax, container_index: int) -> np.ndarray:
    patches = ax.containers[container_index].patches
    return np.array([p.get_y() + p.get_height() / 2 for p in patches])


def percent_axis(ax, lang: str, k: int, upper: int = 100) -> None:
    """x from 0 to ``upper`` percent (ticks every 20, or 10 / 5 on a shorter axis), its label;
    k rows top to bottom without margins."""
    step = 20 if upper > 50 else 10 if upper > 20 else 5
    ax.set_xlim(0, upper)
    ax.set_xticks(range(0, upper + 1, step))
    ax.set_xlabel(TEXTS[lang]["axis_share"])
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    ax.set_ylim(k - 0.5, -0.5)  # errorbar's autoscale would add margins


def capitalise(text: str) -> str:
    """The first character upper case, the rest unchanged."""
    return text[:1].upper() + text[1:]


def _interval_sentence(facts_list: list[dict], lang: str) -> str:
    pairs = list(dict.fromkeys((format_level(f["conf_level"]), method_name(f["ci_method"])) for f in facts_list))
    return " ".join(TEXTS[lang]["whiskers"].format(level=lv, method=m) for lv, m in pairs)


def plot_question(
    table: pd.DataFrame,
    question: Question,
    lang: str,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
) -> None:
    """Horizontal bars of each option's share (codebook order top to bottom) with interval
    whiskers, the question as title and a caption (wave, n and base, non-response, interval
    method and level, "tick all that apply" for multi questions, the note) under the plot."""
    check_lang(lang)
    facts = _facts(table)
    if facts["question"] != question.id:
        raise ValueError(f"rows of {facts['question']!r} given with question {question.id!r}")
    t = TEXTS[lang]
    data = _plain_shares(table)
    labels = table[f"label_{lang}"].astype(str).tolist()
    k = len(data)

    title_lines = wrap_text(question.text[lang], WIDTH - 0.3, TITLE_SIZE, 0.62)
    paragraphs = [" ".join([t["wave"].format(wave=facts["wave"]),
                            _n_phrase(facts, lang, question.base.get(lang)),
                            _interval_sentence([facts], lang)]
                           + ([t["multi"]] if facts["kind"] == "multi" else [])),
                  note or ""]
    caption = caption_lines(paragraphs, WIDTH - 0.3)
    height = (len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25  # title
              + max(1.0, 0.34 * k) + 0.6  # bars, x axis and its label
              + caption_height(caption))  # caption band
    height = round(height, 2)

    with figure_rc():
        import seaborn as sns

        fig = new_figure(WIDTH, height)
        ax = fig.add_subplot()
        sns.barplot(data=data, x="pct", y="option", order=data["option"].tolist(), orient="y",
                    color=COLORS[0], errorbar=None, width=0.7, ax=ax, zorder=2)
        _whiskers(ax, _bar_centres(ax, 0), data)
        ax.set_yticks(range(k), labels=["\n".join(wrap_text(lb, 2.9, FONT_SIZE)) for lb in labels])
        for y, row, count, n in zip(_bar_centres(ax, 0), data.itertuples(), table["count"], table["n"]):
            right = row.pct if row.missing or pd.isna(row.high) else max(row.pct, row.high)
            ax.text(right + 1.2, y, format_share(count, n, lang),
                    va="center", ha="left", fontsize=FONT_SIZE - 1, color="#333333", clip_on=False)
        percent_axis(ax, lang, k)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH, ha="left", fontsize=TITLE_SIZE,
                     fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, question.text[lang], " ".join(p for p in paragraphs if p), lang)


AGE_OPTIONS = ("age_0_4", "age_5_7", "age_8_10", "age_11_13", "age_14_16", "age_17")


def plot_grouped_ages(
    seen_grooming: pd.DataFrame,
    seen_sextortion: pd.DataFrame,
    common_grooming: pd.DataFrame,
    common_sextortion: pd.DataFrame,
    lang: str,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
) -> None:
    """Two panels (ages seen, most common ages), each grouped horizontal bars of grooming
    against sexual extortion per age bracket, with whiskers; n per group in the caption."""
    check_lang(lang)
    t = TEXTS[lang]
    groups = (t["grooming"], t["sextortion"])
    panels = ((t["ages_seen"], seen_grooming, seen_sextortion),
              (t["ages_common"], common_grooming, common_sextortion))

    order: list[str] = []
    label_of: dict[str, str] = {}
    for _, *tables in panels:
        for table in tables:
            for oid, label in zip(table["option"].astype(str), table[f"label_{lang}"].astype(str)):
                if oid not in label_of:
                    order.append(oid)
                    label_of[oid] = label
    known = [o for o in AGE_OPTIONS if o in label_of]
    order = known + [o for o in order if o not in AGE_OPTIONS]  # age order, anything else after

    all_facts = []
    n_sentences, asked = [], []
    for panel, grooming, sextortion in panels:
        fg, fs = _facts(grooming), _facts(sextortion)
        all_facts += [fg, fs]
        n_sentences.append(t["ages_n"].format(panel=panel,
                                              g=fg["n"], s=fs["n"]))
        for group, f in zip(groups, (fg, fs)):
            if f["nonresponse"]:
                asked.append(t["ages_asked"].format(group=group, panel=panel.lower(),
                                                    n_asked=f["n_asked"], nonresponse=f["nonresponse"]))
    waves = list(dict.fromkeys(str(f["wave"]) for f in all_facts))
    first = " ".join([t["wave"].format(wave=", ".join(waves)), ". ".join(n_sentences) + ".",
                      *([capitalise("; ".join(asked)) + "."] if asked else []),
                      _interval_sentence(all_facts, lang), t["multi"]])
    paragraphs = [first, note or ""]
    caption = caption_lines(paragraphs, WIDTH_AGES - 0.3)
    title_lines = wrap_text(t["ages_title"], WIDTH_AGES - 0.3, TITLE_SIZE, 0.62)
    k = len(order)
    height = round(len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25 + 0.35  # title, legend
                   + max(1.5, 0.5 * k) + 0.75 + caption_height(caption), 2)

    with figure_rc():
        import seaborn as sns

        fig = new_figure(WIDTH_AGES, height)
        axes = fig.subplots(1, 2, sharey=True, sharex=True)
        for ax, (panel, grooming, sextortion) in zip(axes, panels):
            parts = []
            for group, table in zip(groups, (grooming, sextortion)):
                d = _plain_shares(table).set_index("option").reindex(order)
                d["missing"] = d["missing"].fillna(True).astype(bool)
                d["pct"] = d["pct"].fillna(0.0)
                d["group"] = group
                parts.append(d.reset_index())
            data = pd.concat(parts, ignore_index=True)
            sns.barplot(data=data, x="pct", y="option", hue="group", order=order, hue_order=list(groups),
                        orient="y", palette=list(COLORS), errorbar=None, width=0.8, ax=ax, zorder=2,
                        legend=ax is axes[0])
            for j, part in enumerate(parts):
                _whiskers(ax, _bar_centres(ax, j), part)
            ax.set_yticks(range(k), labels=[label_of[o] for o in order])
            ax.set_title(panel, loc="left", fontsize=FONT_SIZE + 1)
            percent_axis(ax, lang, k)
        handles, legend_labels = axes[0].get_legend_handles_labels()
        axes[0].get_legend().remove()
        # top right, on the title's line (a figure legend "outside" would ignore the caption band)
        fig.legend(handles, legend_labels, loc="upper right", ncols=2, frameon=False,
                   bbox_to_anchor=(1 - 0.05 / WIDTH_AGES, 1 - 0.02 / height), borderaxespad=0)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH_AGES, ha="left", fontsize=TITLE_SIZE,
                     fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, t["ages_title"], " ".join(p for p in paragraphs if p), lang)
