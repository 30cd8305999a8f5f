"""Read a raw survey export into the raw table (:mod:`.raw`), with the reader its wave file names.

Every cell is read as text: nothing is coerced on the way in. Anything the wave file does not
know (a column, a header) stops the run with an error that names the file, the row and the
column, and says which line to add to the wave file. A CSV, an Excel workbook (.xlsx) and, for
Qualtrics, an SPSS file (.sav, .zsav) are read into the same grid of text (:func:`.grid.read_grid`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.cells import release_arrow_memory
from ..core.codebook import Wave
from ..core.errors import ExportError
from .qualtrics import read_qualtrics
from .sniff import check_layout
from .surveymonkey import read_surveymonkey

READERS = {"surveymonkey": read_surveymonkey, "qualtrics": read_qualtrics}


def read_export(path: str | Path, wave: Wave) -> pd.DataFrame:
    """Read a raw export with the reader its wave file names, once the file's signature and header
    (:func:`.sniff.check_layout`) say that reader can read it."""
    try:
        reader = READERS[wave.format]
    except KeyError:
        raise ExportError(f"{wave.path}: unknown export format {wave.format!r}; known: {sorted(READERS)}") from None
    check_layout(path, wave)
    raw = reader(path, wave)
    release_arrow_memory()  # the grid's pages, freed now that the raw table holds the answers as categoricals
    return raw
