"""Files of the release written the same way every time: CSV (UTF-8, ``\\n``, ``%.6f``, missing as
empty, formulas neutralised) and plain text. Every number was rounded once before it gets here
(:mod:`.rounding`; checked).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import map_distinct
from .rounding import check_published


def write_text(text: str, path) -> Path:
    path = prepare_path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


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
