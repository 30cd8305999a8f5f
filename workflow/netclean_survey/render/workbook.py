"""Excel workbooks, byte for byte reproducible: openpyxl's timestamps fixed, the zip rewritten
with fixed entry dates, a fixed entry order and no compression; a README sheet first that says
what each sheet is. For people: shares, their intervals and differences of shares shown as
percentages (the cell holds the fraction the CSV prints), numbers stored as numbers (a test
result's values too), headers in words (the README sheet names the CSV column of each), the header
row frozen and filtered."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.rounding import check_published
from ..core.writers import neutralise_formula, prepare_path
from .text import TEXTS

FIXED_TIME = datetime(2000, 1, 1)
# shares and their intervals, differences of shares: fractions, shown as percentages
PERCENT_COLUMN = re.compile(r"^(share(_of_mentions)?|(sim_)?ci_(low|high)|difference|diff_ci_(low|high))(_[ab])?$")
PERCENT_FORMAT, FRACTION_FORMAT = "0.0%", "0.000000"
NUMBER_TEXT = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$", re.IGNORECASE)
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
# The header a person reads above each CSV column (the README sheet lists both); a column not
# listed is shown by its id with "_" as spaces.
COLUMN_HEADERS = {
    "wave": "Wave", "question": "Question (id)", "kind": "Kind", "option": "Option (id)",
    "label_sv": "Option (sv)", "label_en": "Option (en)", "n_asked": "Asked", "n": "Base n",
    "nonresponse": "Item non-response", "count": "Count", "share": "Share", "ci_low": "CI lower",
    "ci_high": "CI upper", "ci_method": "CI method", "conf_level": "Confidence level",
    "sim_ci_low": "Simultaneous CI lower", "sim_ci_high": "Simultaneous CI upper",
    "sim_ci_method": "Simultaneous CI method", "mentions": "Mentions", "share_of_mentions": "Share of mentions",
    "synthetic": "Synthetic data", "by": "Broken down by", "group": "Group (id)", "group_label_sv": "Group (sv)",
    "group_label_en": "Group (en)", "suppressed": "Count suppressed", "n_suppressed": "Base suppressed",
    "count_a": "Count, first", "count_b": "Count, second", "n_a": "Base n, first", "n_b": "Base n, second",
    "share_a": "Share, first", "share_b": "Share, second", "ci_low_a": "CI lower, first",
    "ci_high_a": "CI upper, first", "ci_low_b": "CI lower, second", "ci_high_b": "CI upper, second",
    "difference": "Difference", "diff_ci_low": "Difference CI lower", "diff_ci_high": "Difference CI upper",
    "diff_ci_method": "Difference CI method", "cohens_h": "Cohen's h", "p_value": "p", "p_holm": "p (Holm)",
    "statistic": "Statistic", "test": "Test", "estimate": "Estimate", "key": "Item", "value": "Value",
    "option_first": "First option", "option_second": "Second option", "share_first": "Share, first option",
    "share_second": "Share, second option", "both": "Both options", "neither": "Neither option",
    "only_first": "Only the first option", "only_second": "Only the second option",
}


def column_header(column: str) -> str:
    """What a sheet's header shows for a CSV column id (:data:`COLUMN_HEADERS`)."""
    return COLUMN_HEADERS.get(column) or column.replace("_", " ").capitalize()


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


def _value_cell(value):
    """A test result's value (``test_table``: text): a number where the text is one."""
    if isinstance(value, str) and NUMBER_TEXT.match(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return _excel_value(value)


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path, note,
                   descriptions: Mapping[str, str] | None = None) -> None:
    """One Excel workbook: a first sheet "README" with the note and the list of sheets (with what
    each holds, from ``descriptions`` by key: a question's text), then one sheet per table (keys,
    e.g. question ids, as sheet names made valid). Same bytes every run.

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
    if descriptions:
        readme.cell(row=row, column=3, value=TEXTS["en"]["readme_what"]).font = bold
    for name, key in zip(names, keys):
        row += 1
        readme.cell(row=row, column=1, value=_excel_value(name))
        readme.cell(row=row, column=2, value=_excel_value(key))
        if descriptions and key in descriptions:
            readme.cell(row=row, column=3, value=_excel_value(descriptions[key]))
    columns = list(dict.fromkeys(str(c) for _, table in items for c in table.columns))
    if columns:  # the headers of the sheets, each with the CSV column it shows
        row += 2
        readme.cell(row=row, column=1, value=TEXTS["en"]["readme_header"]).font = bold
        readme.cell(row=row, column=2, value=TEXTS["en"]["readme_column"]).font = bold
        for column in columns:
            row += 1
            readme.cell(row=row, column=1, value=_excel_value(column_header(column)))
            readme.cell(row=row, column=2, value=_excel_value(column))
    readme.column_dimensions["A"].width = 100 if notes else 32
    readme.column_dimensions["B"].width = 32
    readme.column_dimensions["C"].width = 80

    for name, (_, table) in zip(names, items):
        check_published(table, f"{path}, sheet {name}")  # the workbook stores what the CSV prints
        ws = wb.create_sheet(name)
        for j, column in enumerate(table.columns, start=1):
            ws.cell(row=1, column=j, value=_excel_value(column_header(str(column)))).font = bold
        formats = {j: PERCENT_FORMAT if PERCENT_COLUMN.match(str(c)) else FRACTION_FORMAT
                   for j, c in enumerate(table.columns, start=1) if pd.api.types.is_float_dtype(table[c])}
        value_column = list(table.columns).index("value") + 1 if list(table.columns) == ["key", "value"] else None
        for i, values in enumerate(table.itertuples(index=False, name=None), start=2):
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=i, column=j, value=_value_cell(value) if j == value_column else _excel_value(value))
                if j in formats:
                    cell.number_format = formats[j]
        for j, column in enumerate(table.columns, start=1):
            longest = max([len(column_header(str(column)))] + [len(str(v)) for v in table[column]])
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = min(60, max(10, longest + 2))
        ws.freeze_panes = "A2"
        if len(table.columns):
            ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(table.columns)).column_letter}{len(table) + 1}"

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
