"""The SurveyMonkey reader: two header rows, the question text over the first column of each
question, then the option text (tick all), "Response" (single choice) or "Open-Ended Response"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Wave, normalise_label
from ..core.errors import ExportError
from .grid import read_grid
from .raw import (
    answers_as_categories,
    check_metadata,
    complete_multi_columns,
    multi_column,
    other_text_column,
    ignored_column,
    unknown_columns_error,
)

SURVEYMONKEY_SINGLE = "Response"
SURVEYMONKEY_TEXT = "Open-Ended Response"


def read_surveymonkey(path: str | Path, wave: Wave) -> pd.DataFrame:
    """A SurveyMonkey export: header row 1 holds the question text over the first column of each
    question, row 2 the option text (tick all), "Response" (single choice) or "Open-Ended Response"."""
    grid = read_grid(path, wave)
    if len(grid) < 2:
        raise ExportError(f"{path}: a SurveyMonkey export has two header rows; found {len(grid)} row(s)")
    questions_row, options_row = grid.iloc[0].tolist(), grid.iloc[1].tolist()
    if any(normalise_label(c) in {normalise_label(m) for m in wave.metadata_columns} for c in options_row):
        raise ExportError(f"{path}: row 2 repeats the column names: the second header row is missing")
    check_metadata(path, questions_row, wave)
    filled = [m for m in wave.metadata_columns if options_row[questions_row.index(m)].strip()]
    if filled:
        raise ExportError(
            f"{path}: row 2 holds values under the columns {filled}, where a SurveyMonkey export's second "
            "header row (the option texts) is empty: a header row is missing"
        )
    # Row 1 names a question once, over its first column: carry it over the columns that follow.
    header: list[tuple[str, str]] = []
    carried: list[str] = []  # each column's question text, as row 1 writes it
    current = ""
    for name, sub in zip(questions_row, options_row):
        if name:
            current = name
        carried.append(current)
        header.append((normalise_label(current), normalise_label(sub)))
    if len(set(header)) != len(header):
        repeated = sorted({f"{q} / {s}" for q, s in header if header.count((q, s)) > 1})
        raise ExportError(f"{path}: repeated columns (question / option) in the header: {repeated}")
    position = {key: i for i, key in enumerate(header)}

    wanted: dict[tuple[str, str], str] = {(normalise_label(m), ""): m for m in wave.metadata_columns}
    for wq in wave.questions:
        q = normalise_label(wq.column)
        qid = wq.question.id
        if wq.question.kind == "single":
            wanted[(q, normalise_label(SURVEYMONKEY_SINGLE))] = qid
        elif wq.question.kind == "text":
            wanted[(q, normalise_label(SURVEYMONKEY_TEXT))] = qid
        else:
            for option_id, labels in wq.labels.items():
                matches = [(q, normalise_label(label)) for label in labels if (q, normalise_label(label)) in position]
                if len(matches) > 1:
                    raise ExportError(f"{path}: option {qid}.{option_id} appears in {len(matches)} columns")
                if matches:
                    wanted[matches[0]] = multi_column(qid, option_id)
            if wq.other_text:
                wanted[(q, normalise_label(wq.other_text["column"]))] = other_text_column(qid, wq.other_text["option"])

    missing = [f"{key[0]!r} / {key[1]!r}" for key, name in wanted.items() if key not in position and "__" not in name]
    if missing:
        raise ExportError(f"{path}: the header lacks the columns (question / option) {missing} named in {wave.path}")
    others = []  # columns the wave file does not map: (index, "question / option", question text)
    for i, h in enumerate(header):
        if h not in wanted:
            question = carried[i]
            others.append((i, " / ".join(filter(None, (question, options_row[i]))), question))
    unknown = [(i, name) for i, name, question in others if not wave.ignores(name, question)]
    if unknown:
        raise unknown_columns_error(path, unknown, grid.iloc[2:], 3, wave)

    data = grid.iloc[2:]
    table = {"_row": np.arange(3, 3 + len(data))}
    for key, name in wanted.items():
        if key in position:
            table[name] = data[position[key]].to_numpy()
    for i, name, _ in others:  # ignored: for the duplicate screen and the cleaning log only
        table[ignored_column(name)] = data[i].to_numpy()
    return complete_multi_columns(answers_as_categories(pd.DataFrame(table), wave), wave)
