"""The Qualtrics reader: header rows of column ids, question texts and ImportId JSON; tick-all
answers joined in one cell, split by the longest known label."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Wave, WaveQuestion, normalise_label
from ..core.errors import ExportError
from .grid import read_grid
from .raw import (
    answers_as_categories,
    check_metadata,
    ignored_column,
    multi_column,
    unknown_columns_error,
    unknown_labels_error,
)


def split_choices(cell: str, wq: WaveQuestion) -> tuple[dict[str, str], list[str]]:
    """Split a Qualtrics tick-all cell ("Europe,Asia") into option ids.

    Choice texts may contain the delimiter themselves ("Central America (incl. Mexico, the
    Caribbean)"), so the cell is parsed by matching the longest known label at each position,
    not by splitting on commas. Returns the ticked option ids with their raw text, and the
    pieces no label matches.
    """
    lookup = wq.label_lookup()
    labels = sorted(lookup, key=len, reverse=True)
    text = normalise_label(cell)
    ticked: dict[str, str] = {}
    unknown: list[str] = []
    position = 0
    while position < len(text):
        rest = text[position:]
        match = next((lab for lab in labels if rest.startswith(lab) and rest[len(lab):].lstrip(" ")[:1] in ("", ",")), None)
        if match is None:
            piece = rest.split(",", 1)[0]
            unknown.append(piece.strip())
        else:
            ticked[lookup[match]] = match
            piece = match + rest[len(match):].split(",", 1)[0]  # the label and spaces before the comma
        position += len(piece) + 1  # past the comma
        while position < len(text) and text[position] == " ":
            position += 1
    return ticked, unknown


def read_qualtrics(path: str | Path, wave: Wave) -> pd.DataFrame:
    """A Qualtrics export: header rows of column ids, question texts and ImportId JSON; tick-all
    answers joined in one cell."""
    grid = read_grid(path, wave)
    if len(grid) < 3:
        raise ExportError(f"{path}: a Qualtrics export has three header rows; found {len(grid)} row(s)")
    ids, import_ids = grid.iloc[0].tolist(), grid.iloc[2].tolist()
    check_metadata(path, ids, wave)
    if not all(c.startswith("{") for c in import_ids if c):
        raise ExportError(
            f"{path}: row 3 should hold the ImportId JSON of each column; a header row is missing "
            "(a Qualtrics export has ids, question texts and ImportIds)"
        )
    position = {name: i for i, name in enumerate(ids)}
    wanted = {m: m for m in wave.metadata_columns}
    for wq in wave.questions:
        wanted[wq.column] = wq.question.id
    missing = [c for c in wanted if c not in position]
    if missing:
        raise ExportError(f"{path}: the header lacks the columns {missing} named in {wave.path}")
    texts = grid.iloc[1].tolist()
    others = [(i, name) for i, name in enumerate(ids) if name not in wanted]
    unknown = [(i, name) for i, name in others if not wave.ignores(name, texts[i])]
    if unknown:
        raise unknown_columns_error(path, unknown, grid.iloc[3:], 4, wave)

    data = grid.iloc[3:]
    table = {"_row": np.arange(4, 4 + len(data))}
    for column, name in wanted.items():
        table[name] = data[position[column]].to_numpy()
    for i, name in others:  # ignored: for the duplicate screen and the cleaning log only
        table[ignored_column(name)] = data[i].to_numpy()
    frame = pd.DataFrame(table)
    problems = []
    for wq in wave.questions:
        if wq.question.kind != "multi":
            continue
        qid = wq.question.id
        # each distinct cell is split once; rows take their cell's split
        codes, cells = pd.factorize(frame.pop(qid).to_numpy())
        columns = {oid: np.full(len(cells), "", dtype=object) for oid in wq.question.option_ids}
        for k, cell in enumerate(cells):
            ticked, unknown_pieces = split_choices(cell, wq)
            for oid, text in ticked.items():
                columns[oid][k] = text
            rows = frame["_row"].to_numpy()[codes == k] if unknown_pieces else ()
            problems += [(piece, wq, int(row)) for row in rows for piece in unknown_pieces]
        for oid, values in columns.items():
            frame[multi_column(qid, oid)] = values[codes]
    if problems:
        raise unknown_labels_error(path, wave, sorted(problems, key=lambda p: p[2]))
    return answers_as_categories(frame, wave)
