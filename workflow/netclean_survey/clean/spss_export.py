"""The grid of a Qualtrics SPSS export (.sav, or compressed .zsav): the three header rows a Qualtrics
CSV has, built from the file's dictionary, and every value as the text the CSV holds, so the Qualtrics
reader reads it as it reads the CSV.

An SPSS file carries, for each variable, its name (Qualtrics: ``Q1``, ``Q3_1``, ``StartDate``,
``ResponseId``, ``Status``; SPSS names have no spaces, so ``Duration (in seconds)`` is
``Duration__in_seconds_``, and the wave file names what the file holds), its label (the question
text), its value labels (code -> option text) and its user-defined missing values (e.g. -99 "seen, not
answered"). It is read with pyreadstat (``read_sav(path, user_missing=True)``: user-defined missing
values kept as they are stored, so they can be told from system-missing ones and counted). The grid:

- row 1: the variable names; row 2: their labels (``""`` for a variable without one); row 3:
  ``{"ImportId":"<variable name>"}``, the JSON a Qualtrics CSV writes there;
- then each value as text:

  - a user-defined missing value of the variable (one of its discrete missing values or within its
    missing range) is ``""``, and counted: the grid's ``attrs`` hold, per variable, how many cells
    were read so (:data:`.export_cells.READ_AS_BLANK`) and the cleaning log's line for each
    (:data:`.export_cells.LOG_LINES`, under the step ``missing_codes``);
  - a value with a value label is the label's text, so that the options map by label as in a CSV
    export with choice texts (``1`` labelled "Europe" is ``"Europe"``);
  - a value without a label is the value as text (:func:`.export_cells.cell_text`: ``1.0`` is ``"1"``,
    other numbers the repr that round-trips; strings as stored, SPSS's trailing blanks dropped), so a
    "numeric values" export maps by ``codes:``;
  - a system-missing value is ``""``;
  - a date or time variable (pyreadstat gives datetimes) is, in a time column of the wave file, the
    text of its declared format, elsewhere ISO 8601, as for an Excel export.

The wave file's ``encoding`` and ``delimiter`` do not apply (an SPSS file records its own character
encoding) and are ignored. Only Qualtrics SPSS files are read: a SurveyMonkey one is refused
(:func:`.sniff.spss_refusal`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Wave
from ..core.errors import ExportError
from .export_cells import LOG_LINES, READ_AS_BLANK, cell_text, time_formats
from .sniff import spss_refusal


def _missing(value, ranges: list[dict]) -> bool:
    """Whether ``value`` is a user-defined missing value: equal to a discrete one (``lo == hi``) or
    within a range (``lo`` to ``hi``), compared only with values of its own kind (number or text)."""
    for span in ranges:
        lo, hi = span["lo"], span["hi"]
        if isinstance(value, str) != isinstance(lo, str):
            continue
        if lo <= value <= hi:
            return True
    return False


def column_texts(values: pd.Series, labels: dict, ranges: list[dict], time_format: str | None) -> tuple[np.ndarray, int, list[str]]:
    """One variable's values as text (module docstring), how many were user-defined missing, and which
    (as text); each distinct value converted once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts, missing = [], np.zeros(len(uniques) + 1, dtype=bool)
    found = []
    for k, value in enumerate(uniques):
        if isinstance(value, (int, float, str, np.number)) and not isinstance(value, bool) and _missing(value, ranges):
            texts.append("")
            missing[k] = True
            found.append(cell_text(value))
        elif value in labels:
            texts.append(str(labels[value]))
        else:
            texts.append(cell_text(value, time_format))
    texts.append("")  # system-missing (NaN, NaT, None): pandas' code -1, the last entry
    return np.array(texts, dtype=object)[codes], int(missing[codes].sum()), sorted(found, key=_number_first)


def _number_first(text: str):
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def read_spss_grid(path: str | Path, wave: Wave) -> pd.DataFrame:
    """The grid of a Qualtrics SPSS file (module docstring), with the counts of user-defined missing
    cells in its ``attrs``; ExportError (one paragraph) for a file pyreadstat cannot read or a wave file
    that is not ``format: qualtrics``."""
    path = Path(path)
    if wave.format != "qualtrics":
        raise spss_refusal(path, wave)
    import pyreadstat  # only an SPSS export needs it

    try:
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, UnicodeError) as error:
        raise ExportError(
            f"{path}: not a readable SPSS file ({error}); export the responses again from Qualtrics (Data & "
            "Analysis > Export & Import > Export data > SPSS), or as CSV"
        ) from None
    names = list(meta.column_names)
    labels = [label or "" for label in meta.column_labels]
    formats = time_formats(wave)
    columns, read_as_blank, lines = [], {}, []
    for name, label in zip(names, labels):
        try:
            texts, count, values = column_texts(
                data[name], meta.variable_value_labels.get(name, {}), meta.missing_ranges.get(name, []),
                formats.get(name),
            )
        except TypeError as error:
            raise ExportError(f"{path}: variable {name!r}: a value the pipeline cannot read as text: {error}") from None
        header = [name, label, json.dumps({"ImportId": name}, ensure_ascii=False, separators=(",", ":"))]
        columns.append(np.concatenate([np.array(header, dtype=object), texts]))
        if count:
            read_as_blank[name] = count
            lines.append(f"column {name!r}: {count} cell(s) hold a user-defined missing value of the SPSS file "
                         f"({', '.join(values)}), read as not answered")
    grid = pd.DataFrame(np.column_stack(columns) if columns else np.empty((3, 0), dtype=object), dtype=object)
    grid.attrs[READ_AS_BLANK] = read_as_blank
    grid.attrs[LOG_LINES] = lines
    return grid
