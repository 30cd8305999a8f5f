"""Per-cell work done once per distinct value.

A column of survey answers holds a handful of distinct texts however many respondents there are,
so a Python function of one cell (normalising a label, neutralising a formula, reading "true")
is applied to the distinct values and the results are taken back to the rows: the cost grows with
the number of distinct values, and the rows are handled by NumPy.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa


def map_distinct(cells: pd.Series, function: Callable, missing=np.nan) -> pd.Series:
    """``cells.map(function)`` (an object Series), with ``function`` called once per distinct value;
    missing cells give ``missing``."""
    try:
        codes, distinct = pd.factorize(cells, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): one call per cell
        return pd.Series([function(value) for value in cells], index=cells.index, name=cells.name, dtype=object)
    results = np.empty(len(distinct) + 1, dtype=object)
    results[:-1] = [function(value) for value in distinct]
    results[-1] = missing  # code -1: a missing cell
    return pd.Series(results[codes], index=cells.index, name=cells.name, dtype=object)


def arrow_text(cells) -> pa.Array | None:
    """The cells of a text column (a Series, categorical or not, or an object array) as one Arrow
    array of large strings (64-bit offsets: no 2 GB limit), missing cells null; an Arrow-backed
    column is taken without a copy. None when a cell is not text (a number read from a workbook)."""
    try:
        array = pa.array(cells, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if pa.types.is_dictionary(array.type):  # a categorical
        array = array.dictionary_decode()
    if pa.types.is_null(array.type):  # every cell missing
        return pa.nulls(len(array), type=pa.large_string())
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    return array.cast(pa.large_string())


def map_distinct_categorical(cells: pd.Series, function: Callable[[object], str],
                             on_distinct: Callable[[np.ndarray], np.ndarray] | None = None) -> pd.Series:
    """Like ``map_distinct`` for a ``function`` that gives text, as a categorical Series: a
    comparison with a text then compares small integer codes, not a million Python strings.
    Missing cells stay missing. ``on_distinct``, if given, does what ``function`` does to an array
    of the distinct values at once (for a column of a million distinct identifiers)."""
    codes, distinct = pd.factorize(cells, use_na_sentinel=True)
    if on_distinct is not None:
        results = on_distinct(np.asarray(distinct, dtype=object))
    else:
        results = np.array([function(value) for value in distinct], dtype=object)
    result_codes, categories = pd.factorize(results)  # two texts may give the same result
    codes = np.where(codes >= 0, result_codes[codes] if result_codes.size else -1, -1)
    categorical = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))
    return pd.Series(categorical, index=cells.index, name=cells.name)


def release_arrow_memory() -> None:
    """Hand the pages Arrow's allocator keeps for reuse back to the system. Arrow's default
    allocator (mimalloc) keeps what a stage freed, so a stage's peak would be its own memory on
    top of every earlier stage's; called between the steps of a large wave, it keeps the peak to
    what is alive (a few milliseconds each)."""
    pa.default_memory_pool().release_unused()
