"""The grid of an Excel export (.xlsx): the first worksheet, cell by cell, as the text a CSV export of
the same answers holds, so the SurveyMonkey and Qualtrics readers read it as they read the CSV.

Both platforms offer an "Excel" download with the header rows of their CSV (SurveyMonkey two,
Qualtrics three). The workbook is read with openpyxl in read-only mode, values only: a formula cell
gives the value Excel last computed and saved with it (none, an empty cell, if the file was never
opened in Excel). Each cell becomes text by :func:`.export_cells.cell_text` (numbers without a
spurious ``.0``, dates in the format the wave file declares for its time columns, ISO 8601
elsewhere). What a CSV has and a workbook does not is left aside: the wave file's ``encoding`` and
``delimiter`` do not apply (a workbook stores Unicode text in cells) and are ignored.

- Only the first worksheet is read (the export's; a workbook with other sheets is read all the same,
  those sheets unread).
- A merged cell holds its value in its first (top-left) cell and nothing in the others, as Excel's own
  "Save as CSV" writes it: a SurveyMonkey question text merged over its option columns is the text over
  the first column, exactly the CSV layout.
- A row without any value is left out, as the CSV path leaves out blank lines: the record numbers
  (``_row``) then count the rows with values, as they count the records of a CSV.
- The grid is as wide as the header rows reach (SurveyMonkey's second row names the options to the
  right of its question text); a value in a column to the right of them stops the run, naming the row
  and the column, as a ragged CSV row does; shorter rows are padded with empty cells (a workbook does
  not store empty cells).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from ..core.codebook import Wave
from ..core.errors import ExportError
from .export_cells import cell_text, time_formats

HEADER_ROWS = {"surveymonkey": 2, "qualtrics": 3}  # how many header rows each platform writes


def _rows(path: Path, limit: int | None = None):
    """(row number in the sheet, raw cell values) of every row with a value of the first worksheet,
    trailing empty cells dropped; at most ``limit`` rows."""
    import openpyxl  # only an Excel export needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        handle = path.open("rb")  # a handle, not the name: openpyxl refuses a name not ending in .xlsx
    except OSError as error:
        raise ExportError(f"{path}: cannot read the export: {error.strerror}") from None
    with handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError, OSError) as error:
            raise ExportError(
                f"{path}: not a readable Excel workbook ({type(error).__name__}: {error}); open it in Excel and "
                "save it again as .xlsx, or save its sheet as CSV (UTF-8)"
            ) from None
        try:
            if not workbook.worksheets:
                raise ExportError(f"{path}: the workbook holds no worksheet")
            rows = []
            for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                values = list(values)
                while values and (values[-1] is None or values[-1] == ""):
                    values.pop()
                if values:
                    rows.append((number, values))
                    if limit is not None and len(rows) >= limit:
                        break
            return rows
        finally:
            workbook.close()


def workbook_head(path: str | Path) -> list[list[str]]:
    """The first three rows with values of the first worksheet, as text: what :mod:`.sniff` reads the
    platform's header layout from."""
    return [[cell_text(v) for v in values] for _, values in _rows(Path(path), limit=3)]


def read_workbook_grid(path: str | Path, wave: Wave) -> pd.DataFrame:
    """Every row with a value of the first worksheet, header rows included, as text columns numbered
    from 0 (module docstring): the grid :func:`.grid.read_grid` returns for a CSV."""
    path = Path(path)
    rows = _rows(path)
    if not rows:
        raise ExportError(f"{path}: the export is empty (the first worksheet of the workbook holds no value)")
    width = max(len(values) for _, values in rows[: HEADER_ROWS.get(wave.format, 1)])
    header = [cell_text(v) for v in rows[0][1]]
    formats = [time_formats(wave).get(name) for name in header + [""] * (width - len(header))]
    records = []
    for number, values in rows:
        if len(values) > width:
            column = next(i for i in range(width, len(values)) if values[i] not in (None, ""))
            raise ExportError(
                f"{path}, row {number}: a value in column {column + 1} ({_letters(column)}), to the right of the "
                f"{width} columns the header rows fill (a cell outside the export: delete it, or check that the "
                "first worksheet is the export)"
            )
        try:
            record = [cell_text(v, formats[i]) for i, v in enumerate(values)]
        except TypeError as error:
            raise ExportError(f"{path}, row {number}: a cell the pipeline cannot read as text: {error}") from None
        records.append(record + [""] * (width - len(record)))
    return pd.DataFrame(records, dtype=object)


def _letters(index: int) -> str:
    """The spreadsheet letters of a column numbered from 0 (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
