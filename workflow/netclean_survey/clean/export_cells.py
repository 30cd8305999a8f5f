"""The cells of a binary export (an Excel workbook, an SPSS file) as the text a CSV export of the
same answers holds, so that the readers see one grid of text whatever the file.

:func:`cell_text` is the one conversion, exact and the same for both files:

- text as it is; an empty cell (``None``), an SPSS system-missing value (NaN) or a missing time
  (NaT) is ``""``;
- a boolean is ``"True"`` or ``"False"`` (as Qualtrics writes ``Finished`` with choice texts);
- an integer is its digits (``600``); a float that is integral is the integer's digits too (``600.0``
  is ``"600"``, as a CSV export writes it; Excel and SPSS store every number as a float); any other
  float is its ``repr``: Python's shortest decimal that reads back to the very same double, so that
  no digit is invented or lost (``str``-formatting with ``%g`` would write 1234567.5 as ``1.23457e+06``;
  Excel's display rounds to 15 digits). It is the value the file stores, not the one its number
  format displays (a percentage cell holding 0.25 is ``"0.25"``);
- a date or a time stamp (Excel stores it as a number of days and openpyxl gives a ``datetime``;
  SPSS as seconds and pyreadstat gives one too): in a time column of the wave file (``times`` or
  ``duration``: ``start``/``end``, see :func:`time_formats`) the text its declared ``format`` writes
  (``strftime``; a date alone is that day's midnight; fractions of a second the format does not write
  are left out), elsewhere ISO 8601 (``2018-05-02T10:01:00``, ``2018-05-02``);
- a time of day (no date) is ISO 8601 (``10:01:00``) wherever it is: in a time column it is no time
  stamp, and the screens' time parsing names it, as it names any cell that is neither a time stamp nor
  text in the declared format;
- a duration (an Excel ``[h]:mm:ss`` cell, a ``timedelta``) is its number of seconds, by the number
  rule above.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import numpy as np
import pandas as pd

from ..core.codebook import Wave

#: Keys of the ``attrs`` of a grid (and of the raw table a reader makes of it) that a binary export's
#: reader fills; the CSV path fills none. ``READ_AS_BLANK``: {column: cells read as blank because the
#: file marks them missing}; ``LOG_LINES``: the cleaning log's line for each such column (the step
#: ``missing_codes`` of :func:`.screen.screen`).
READ_AS_BLANK = "read_as_blank"
LOG_LINES = "log_lines"
TIME_ZONES = "time_zones"  # {column: time zone}: a Qualtrics ImportId's timeZone (the zone its times are written in)


def time_formats(wave: Wave) -> dict[str, str]:
    """The wave file's time columns (by the name its header writes, row 1) and the format of each:
    ``times`` first, then a duration given by start and end times."""
    formats: dict[str, str] = {}
    for spec in (wave.times, wave.duration):
        if {"start", "end", "format"} <= set(spec):
            for key in ("start", "end"):
                formats.setdefault(spec[key], spec["format"])
    return formats


def number_text(value: float) -> str:
    """An integral number as its digits, any other as the shortest repr that round-trips."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def cell_text(value, time_format: str | None = None) -> str:
    """One cell as text (module docstring); ``time_format`` is the declared format of the cell's
    column when it is a time column. TypeError for a value neither library gives."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "" if math.isnan(value) else number_text(value)
    if isinstance(value, dt.datetime):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        return value.strftime(time_format) if time_format else value.isoformat()
    if isinstance(value, dt.date):
        return value.strftime(time_format) if time_format else value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return number_text(value / dt.timedelta(seconds=1))
    raise TypeError(f"a cell of type {type(value).__name__} ({value!r})")
