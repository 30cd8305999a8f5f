"""Weights read from a column of the raw export (config ``weights: source: column``; the column is
the wave file's ``weight_column``, one of its ``metadata_columns``).

Each respondent the clean stage kept gets the weight of its row of the export, matched by the
respondent id (stripped, as the clean stage strips it). A weight must be a positive finite number,
written with the wave file's decimal mark; anything else stops the run with one paragraph naming the
export, the column, the rows (record numbers of the file) and what to do. Rows the cleaning
excluded are not read: their weights do not matter.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.codebook import Wave
from ..core.errors import ExportError


def _numbers(cells: pd.Series, decimal: str) -> np.ndarray:
    """Each cell as a float, NaN where it is not a number (empty, text, or the other decimal mark)."""
    text = cells.astype("string").str.strip().fillna("")
    if decimal != ".":
        text = text.where(~text.str.contains(".", regex=False), "x").str.replace(decimal, ".", regex=False)
    return pd.to_numeric(text.where(text != "", "x"), errors="coerce").to_numpy(dtype=float)


def export_weights(raw: pd.DataFrame, wave: Wave, respondent_ids: pd.Series, path: str = "") -> pd.Series:
    """The weight of each of ``respondent_ids`` (the cleaned responses' ids, in their order and with
    their index) from column ``wave.weight_column`` of the export ``raw`` (as ``clean.ingest.read_export``
    gives it: its own column names and the record number ``_row``)."""
    where = path or wave.raw
    column = wave.weight_column
    if not column:
        raise ExportError(f"{wave.path}: weights are read from the export (config weights: source: column) but the "
                          "wave file names no weight_column; name the export's column of weights there (and in "
                          "metadata_columns), or set weights: source: none")
    if column not in raw.columns:
        raise ExportError(f"{where}: the export has no column {column!r} (weight_column of {wave.path}); check its "
                          "header")
    ids = raw[wave.respondent_id].astype("string").str.strip()
    wanted = set(respondent_ids.astype(str))
    rows = raw[ids.isin(wanted).to_numpy()]
    kept_ids = ids[ids.isin(wanted)].to_numpy(dtype=object)
    values = _numbers(rows[column], wave.decimal)
    bad = ~(np.isfinite(values) & (values > 0))
    if bad.any():
        records = rows["_row"].to_numpy()[bad].tolist()
        shown = rows[column].astype("string").to_numpy()[bad].tolist()
        raise ExportError(
            f"{where}: column {column!r}: {int(bad.sum())} respondent(s) have no usable weight, rows {records[:10]}"
            f"{' ...' if len(records) > 10 else ''} (values {shown[:5]}); every weight must be a positive number "
            f"written with the decimal mark {wave.decimal!r}; correct the export, or set weights: source: none")
    table = pd.DataFrame({"id": kept_ids, "weight": values, "row": rows["_row"].to_numpy()})
    repeated = table[table.duplicated("id", keep=False)]
    if not repeated.empty and (repeated.groupby("id")["weight"].nunique() > 1).any():
        conflict = repeated.groupby("id").filter(lambda g: g["weight"].nunique() > 1)
        raise ExportError(f"{where}: column {column!r}: respondent id(s) {sorted(set(conflict['id']))[:5]} appear "
                          f"on several rows {conflict['row'].tolist()[:10]} with different weights; keep one row "
                          "per respondent")
    first = table.drop_duplicates("id").set_index("id")["weight"]
    weights = respondent_ids.astype(str).map(first)
    if weights.isna().any():  # the clean stage keeps only rows of the export: a bug if reached
        raise RuntimeError(f"{where}: {int(weights.isna().sum())} cleaned respondent(s) have no row in the export")
    total = math.fsum(weights.tolist())
    return pd.Series(weights.to_numpy(dtype=float) * len(weights) / total, index=respondent_ids.index,
                     name="weight")  # scaled to mean 1, as raked weights are: shares do not change
