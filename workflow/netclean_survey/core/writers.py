"""Files of the release written the same way every time: CSV (UTF-8, ``\\n``, ``%.6f``, missing as
empty, formulas neutralised) and plain text. Every number was rounded once before it gets here
(:mod:`.rounding`; checked).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterator
from functools import reduce
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .cells import arrow_text, map_distinct
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
            text = arrow_text(series)
            if text is None:  # not all text: cell by cell
                out[column] = map_distinct(series, neutralise_formula)
            else:  # a million identifiers at once, in Arrow's string kernels
                formula = pc.fill_null(reduce(pc.or_, [pc.starts_with(text, p) for p in FORMULA_PREFIXES]), False)
                quoted = pc.binary_join_element_wise(_large("'"), text, _large(""))
                values = pc.if_else(formula, quoted, text).to_numpy(zero_copy_only=False)
                out[column] = pd.Series(np.asarray(values, dtype=object), index=series.index, dtype=object)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def _large(text: str):
    """A text as an Arrow scalar of the type :func:`.cells.arrow_text` gives."""
    return pa.scalar(text, type=pa.large_string())


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
    parts = None if has_cr else text_table_csv_bytes(safe)
    if parts is None:
        parts = (safe.to_csv(index=False, lineterminator="\n", float_format="%.6f", na_rep="", quoting=quoting).encode("utf-8"),)
    with path.open("wb") as handle:
        for part in parts:
            handle.write(part)


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
    of text and categorical text columns only; None for any other table."""
    parts = text_table_csv_bytes(table)
    return None if parts is None else b"".join(parts).decode("utf-8")


#: Rows formatted at once by :func:`text_table_csv_bytes`: its memory is that of one batch of
#: quoted fields, not of the whole table's (a million rows of 58 columns took 1.3 GB at once).
CSV_BATCH_ROWS = 1 << 16


def text_table_csv_bytes(table: pd.DataFrame, batch_rows: int = CSV_BATCH_ROWS) -> Iterator[bytes | memoryview] | None:
    """What :func:`text_table_csv` gives, as UTF-8 bytes: the header line, then the rows, a batch
    of ``batch_rows`` at a time (an iterator, to be written as it comes); None for a table it
    cannot write (decided before any byte is given).

    Written here because pandas' writer formats every cell in Python, which makes the responses of
    a million respondents take 20 s: here every field is quoted (as the csv module quotes it) and
    every row joined in Arrow's string kernels, and the rows are the bytes of one Arrow array.
    tests/clean/test_arrow_reading.py and tests/clean/test_scale.py check it against ``to_csv`` byte for byte.
    """
    if table.shape[1] < 2:  # a lone empty field is written '""': leave such tables to pandas
        return None
    pieces = []  # per column: ("coded", its fields with "" last, codes) or ("text", an Arrow array)
    for _, series in table.items():
        if isinstance(series.dtype, pd.CategoricalDtype):
            fields = [_csv_field(category) for category in series.cat.categories]
            if None in fields:
                return None
            codes = series.cat.codes.to_numpy()
            pieces.append(("coded", fields + [""], np.where(codes < 0, len(fields), codes)))  # code -1 (missing): ""
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            text = arrow_text(series)
            if text is None:
                return None
            pieces.append(("text", text, None))
        else:
            return None
    header = [_csv_field(str(name)) for name in table.columns]
    if None in header:
        return None
    return _csv_batches((",".join(header) + "\n").encode("utf-8"), _grouped_columns(pieces), len(table), batch_rows)


#: How many combinations of fields a group of coded columns may have (:func:`_grouped_columns`).
CSV_GROUP_FIELDS = 1 << 12


def _grouped_columns(pieces: list) -> list:
    """Per group of adjacent columns, the rows start:stop as their fields joined by ",". Adjacent
    coded columns (ticks: "true", "false", "") are formatted together: the group's every
    combination of fields is joined once, and a row takes its combination by one code (a
    mixed-radix number of the columns' codes), so Arrow joins a handful of arrays per row, not
    one per column."""
    columns, group = [], []

    def close_group():
        if not group:
            return
        combinations = pa.array([",".join(combo) for combo in itertools.product(*(fields for fields, _ in group))],
                                type=pa.large_string())
        code = np.zeros(len(group[0][1]), dtype=np.int64)
        for fields, codes in group:
            code = code * len(fields) + codes
        columns.append(lambda start, stop, combinations=combinations, code=code: combinations.take(pa.array(code[start:stop])))
        group.clear()

    for kind, values, codes in pieces:
        if kind == "coded" and group and math.prod(len(f) for f, _ in group) * len(values) <= CSV_GROUP_FIELDS:
            group.append((values, codes))
            continue
        close_group()
        if kind == "coded":
            group.append((values, codes))
        else:
            columns.append(lambda start, stop, text=values: _csv_fields(text.slice(start, stop - start)))
    close_group()
    return columns


def _csv_fields(text: pa.Array) -> pa.Array:
    """Text cells as the csv module writes them (QUOTE_MINIMAL), missing as ""."""
    text = pc.fill_null(text, "")
    quoted = pc.binary_join_element_wise(_large('"'), pc.replace_substring(text, '"', '""'), _large('"'), _large(""))
    return pc.if_else(pc.match_substring_regex(text, '[,"\n]'), quoted, text)


def _csv_batches(head: bytes, columns: list, rows: int, batch_rows: int) -> Iterator[bytes | memoryview]:
    yield head
    for start in range(0, rows, batch_rows):
        stop = min(start + batch_rows, rows)
        joined = pc.binary_join_element_wise(*(column(start, stop) for column in columns), _large(","))
        lines = pc.binary_join_element_wise(joined, _large(""), _large("\n"))  # each row with its line feed
        if isinstance(lines, pa.ChunkedArray):
            lines = lines.combine_chunks()
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
        yield memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]


def _holds_carriage_return(series: pd.Series) -> bool:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = pd.Series(series.cat.categories.astype(object))
    elif not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    text = arrow_text(series)
    if text is not None:
        return bool(pc.any(pc.match_substring(text, "\r")).as_py())
    return bool(map_distinct(series, lambda value: isinstance(value, str) and "\r" in value, missing=False).any())
