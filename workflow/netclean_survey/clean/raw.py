"""The raw table every reader returns, and what the readers share: its column names, the checks of
its header against the wave file, and the messages about unknown columns and labels.

- ``_row``: the record number in the file, header rows included (what a user sees in a spreadsheet);
- every metadata column of the wave file, by its name, as text (a categorical of its texts where at
  most half its cells are distinct: :func:`answers_as_categories`);
- per question ``q`` of the wave: ``q`` (single choice, free text) holding the raw answer text, or
  ``q__{option}`` (tick all) holding the raw text of a ticked option and "" for an unticked one, and
  ``q__{option}__text`` for an "Other (please specify)" box;
- ``attrs``: what the grid says of its cells, carried over by the Qualtrics reader: for an SPSS file the
  cells read as blank because it marks them missing (:data:`.export_cells.READ_AS_BLANK`) and the
  cleaning log's lines on them (:data:`.export_cells.LOG_LINES`); empty for a CSV or a workbook.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.cells import arrow_text, map_distinct_categorical
from ..core.codebook import Wave, WaveQuestion, normalise_label
from ..core.errors import ExportError
from .grid import delimiter_hint


#: What Python's ``\s`` and ``str.strip()`` take for whitespace among the ASCII characters.
_ASCII_WHITESPACE = "[\t\n\v\f\r\x1c-\x1f ]+"


def normalise_label_arrow(array: pa.Array) -> pa.Array:
    """``normalise_label`` of every text of an Arrow text array, the ASCII ones at once in Arrow's
    string kernels (NFC and case folding are then plain lower case, whitespace Python's ASCII
    whitespace), the others one by one in Python. Missing stays missing."""
    ascii_ = pc.fill_null(pc.string_is_ascii(array), True)
    collapsed = pc.utf8_trim(pc.replace_substring_regex(array, _ASCII_WHITESPACE, " "), " ")
    result = pc.ascii_lower(collapsed)
    others = pc.invert(ascii_)
    if not pc.any(others).as_py():
        return result
    texts = pc.filter(array, others).to_pylist()
    return pc.replace_with_mask(result, others, pa.array([normalise_label(t) for t in texts], type=result.type))


def normalise_label_array(texts: np.ndarray) -> np.ndarray:
    """``normalise_label`` of every text of an object array (:func:`normalise_label_arrow`)."""
    array = arrow_text(texts)
    if array is None:  # not all text (a number read from a workbook)
        return np.array([normalise_label(t) for t in texts], dtype=object)
    return np.asarray(normalise_label_arrow(array).to_numpy(zero_copy_only=False), dtype=object)


def normalised_label_codes(cells: pd.Series) -> np.ndarray:
    """One integer per distinct normalised text of a column, -1 for a missing cell: equal codes
    for cells ``normalise_labels`` makes equal. A text column (identifiers, addresses: mostly
    distinct) is normalised and encoded in Arrow, never as a million Python strings."""
    array = None if isinstance(cells.dtype, pd.CategoricalDtype) else arrow_text(cells)
    if array is None:
        return pd.factorize(normalise_labels(cells), use_na_sentinel=True)[0]
    indices = pc.dictionary_encode(normalise_label_arrow(array)).indices
    return pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def normalise_labels(cells: pd.Series) -> pd.Series:
    """``normalise_label`` of every cell, worked out once per distinct text. Missing stays missing."""
    return map_distinct_categorical(cells, normalise_label, normalise_label_array)


def rows_named(raw: pd.DataFrame, where: pd.Series, limit: int = 10) -> tuple[int, str]:
    """How many rows ``where`` marks, and "rows [3, 7, ...]" by their record numbers in the file."""
    rows = raw.loc[where, "_row"].tolist()
    return len(rows), f"rows {rows[:limit]}{' ...' if len(rows) > limit else ''}"


def multi_column(question_id: str, option_id: str) -> str:
    return f"{question_id}__{option_id}"


def other_text_column(question_id: str, option_id: str) -> str:
    return f"{question_id}__{option_id}__text"


def check_metadata(path, names: list[str], wave: Wave) -> None:
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise ExportError(f"{path}: repeated column names in the header: {repeated}")
    missing = [c for c in wave.metadata_columns if c not in names]
    if missing:
        hint = delimiter_hint(names[0], wave) if len(names) == 1 else ""
        raise ExportError(
            f"{path}: the header lacks the required columns {missing} named by metadata_columns of {wave.path}.{hint}"
        )


def unknown_columns_error(
    path, unknown: list[tuple[int, str]], data: pd.DataFrame, first_row: int, wave: Wave
) -> ExportError:
    """One message for every unknown column: where it is, how many rows carry data (a non-empty cell)
    in it and which, and the line to add. ``data`` are the records after the header (``read_grid``),
    the first of them row ``first_row`` of the file."""
    lines = []
    for i, name in unknown:
        rows = (first_row + np.flatnonzero(data[i].str.strip().ne("").to_numpy())).tolist()
        shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        lines.append(f"  - column {i + 1} {name!r}: data in {len(rows)} row(s)" + (f", rows {shown}" if rows else ""))
    example = unknown[0][1].split(" / ")[0]  # SurveyMonkey: a question is mapped by its text alone
    return ExportError(
        f"{path}: columns the wave file {wave.path} does not know:\n" + "\n".join(lines) + "\n"
        "Map each under `questions:` (or list it under `metadata_columns:`) in the wave file, for instance\n"
        f"  questions:\n    <question_id>:\n      column: {example!r}\n"
        f"or, if the release does not analyse it, list it under `ignore:` (patterns allowed), e.g.\n"
        f"  ignore: [{unknown[0][1]!r}]\nor set `unmapped: ignore` to ignore every column the wave file does not map."
    )


def answers_as_categories(frame: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """Answer columns hold few distinct texts: as categoricals they take a byte or two per cell, and
    every later per-label step (normalising, mapping to option ids) runs once per distinct text.
    A metadata column is a categorical too where at most half its cells are distinct (a collector,
    a date, an empty column), text otherwise (an identifier, an address), whichever way the grid
    held it: every reader gives the same raw table."""
    metadata = set(wave.metadata_columns)
    for column in frame.columns:
        if column == "_row":
            continue
        cells = frame[column]
        if column in metadata and 2 * _distinct_count(cells) > len(cells):
            frame[column] = cells.astype("str") if isinstance(cells.dtype, pd.CategoricalDtype) else cells
        else:
            frame[column] = _sorted_categorical(cells)
    return frame


def _distinct_count(cells: pd.Series) -> int:
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return int(_codes_used(cells).sum())
    array = arrow_text(cells)
    return int(pc.count_distinct(array, mode="all").as_py()) if array is not None else int(cells.nunique(dropna=False))


def _codes_used(cells: pd.Series) -> np.ndarray:
    """Which codes of a categorical occur, missing (-1) first: one pass, no sort."""
    present = np.zeros(len(cells.cat.categories) + 1, dtype=bool)
    present[cells.cat.codes.to_numpy().astype(np.intp) + 1] = True
    return present


def _sorted_categorical(cells: pd.Series) -> pd.Categorical:
    """The cells as ``pd.Categorical`` of text makes them (the categories used, sorted), from text
    or from a categorical of the grid."""
    if not isinstance(cells.dtype, pd.CategoricalDtype):
        return pd.Categorical(cells)
    used = np.flatnonzero(_codes_used(cells)[1:])
    categories = cells.cat.categories[used]
    order = categories.argsort(kind="stable")
    recode = np.full(len(cells.cat.categories) + 1, -1, dtype=np.int64)  # old code + 1 -> new code
    recode[used + 1] = np.argsort(order)
    return pd.Categorical.from_codes(recode[cells.cat.codes.to_numpy().astype(np.intp) + 1],
                                     categories=categories[order], validate=False)


def complete_multi_columns(frame: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """An option mapped in the wave file but absent from this export is an unticked column."""
    for wq in wave.questions:
        if wq.question.kind == "multi":
            for oid in wq.question.option_ids:
                if multi_column(wq.question.id, oid) not in frame and not (
                    wq.other_text and wq.other_text["option"] == oid
                ):
                    raise ExportError(f"{wave.raw}: no column for option {wq.question.id}.{oid} of {wave.path}")
    return frame


NUMBER = re.compile(r"^-?\d+$")


def unknown_labels_error(path, wave: Wave, problems: list[tuple[str, WaveQuestion, int]]) -> ExportError:
    """One message for every unknown label: where it occurs, how many rows, and the line to add."""
    by_value: dict[tuple[str, str], list[int]] = {}
    for value, wq, row in problems:
        by_value.setdefault((wq.question.id, value), []).append(row)
    lines = []
    for (qid, value), rows in sorted(by_value.items()):
        wq = wave[qid]
        shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        if NUMBER.match(str(value).strip()):  # a numeric export writes codes, not choice texts
            fix = (f"to map it, give the option's code under questions.{qid}.codes in {wave.path}, e.g. "
                   f"`<option_id>: {str(value).strip()}`, or, if it means \"seen, not answered\", list it under "
                   "`missing_codes:`")
        else:
            fix = (f"to map it, add it to questions.{qid}.options.<option_id> in {wave.path}, "
                   f"e.g. `<option_id>: [..., {value!r}]`")
        lines.append(f"  - {value!r} in column {wq.column!r} ({qid}): {len(rows)} row(s), rows {shown}; {fix}")
    return ExportError(f"{path}: labels the wave file does not know:\n" + "\n".join(lines))


IGNORED = "ignored: "  # the prefix of an ignored column in the raw table


def ignored_column(name: str) -> str:
    """The raw table's name of a column of the export the wave file ignores: kept for the duplicate
    screen and counted in the cleaning log, never mapped nor published."""
    return IGNORED + name
