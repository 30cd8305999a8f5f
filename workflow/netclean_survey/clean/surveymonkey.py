"""The SurveyMonkey reader: two header rows, the question text over the first column of each
question, then the option text (tick all), "Response" (single choice) or "Open-Ended Response".

The layouts of a question it reads, by its row-2 sub-headers:

- single choice, condensed: one column "Response" holding the chosen option's text;
- single choice, expanded (SurveyMonkey's "expanded" export): one column per option, sub-header the
  option's text, the chosen column holding that text and the others blank, as a tick all;
- an "Other (please specify)" box of a single choice (either layout) or a tick all: one more column,
  its sub-header the wave file's ``other_text.column``; when "Other" is chosen SurveyMonkey leaves the
  "Response" cell blank and writes the text in the box;
- tick all: one column per option, sub-header the option's text;
- grid (matrix question): one column per grid row, sub-header the row's label, each cell the chosen
  column (scale) label; each row is a single-choice question, mapped by ``column`` (the grid's text)
  and ``row`` (the row's label);
- free text: one column "Open-Ended Response".

Every layout gives the raw table of :mod:`.raw`: an expanded single choice the same ``q`` (the
chosen option's text) as the condensed one, so tidying does not know which layout the export had.
"""

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
    complete_multi_columns,
    ignored_column,
    multi_column,
    normalise_labels,
    other_text_column,
    unknown_columns_error,
    unknown_labels_error,
)

SURVEYMONKEY_SINGLE = "Response"
SURVEYMONKEY_TEXT = "Open-Ended Response"


def read_surveymonkey(path: str | Path, wave: Wave) -> pd.DataFrame:
    """A SurveyMonkey export: header row 1 holds the question text over the first column of each
    question, row 2 the option text (tick all, expanded single choice), "Response" (condensed single
    choice), "Open-Ended Response" (free text), the text of an "Other" box or a grid's row labels.

    A single choice is expanded when its question has no "Response" column and at least one column
    whose sub-header is one of its labels; otherwise it is condensed (and a missing "Response"
    column is named as such)."""
    grid = read_grid(path, wave, categorical=True)
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
    expanded: dict[str, list[tuple[int, str]]] = {}  # an expanded single choice: (column index, option id)
    boxes: set[str] = set()  # the raw names of the "Other" boxes: required, unlike a tick-all option's column
    for wq in wave.questions:
        q = normalise_label(wq.column)
        qid = wq.question.id
        other = normalise_label(wq.other_text["column"]) if wq.other_text else None
        if wq.question.kind == "single" and wq.row is not None:  # a grid row
            wanted[(q, normalise_label(wq.row))] = qid
        elif wq.question.kind == "single" and (columns := _expanded_columns(path, wq, q, position, other)):
            wanted[next(iter(columns))] = qid  # its first option column holds the question's place
            expanded[qid] = [(position[key], oid) for key, oid in columns.items()]
        elif wq.question.kind == "single":
            wanted[(q, normalise_label(SURVEYMONKEY_SINGLE))] = qid
        elif wq.question.kind == "text":
            wanted[(q, normalise_label(SURVEYMONKEY_TEXT))] = qid
        else:
            for key, option_id in _option_columns(path, wq, q, position).items():
                wanted[key] = multi_column(qid, option_id)
        if wq.other_text:
            wanted[(q, other)] = other_text_column(qid, wq.other_text["option"])
            boxes.add(other_text_column(qid, wq.other_text["option"]))

    missing = [f"{key[0]!r} / {key[1]!r}" for key, name in wanted.items()
               if key not in position and ("__" not in name or name in boxes)]
    if missing:
        raise ExportError(f"{path}: the header lacks the columns (question / option) {missing} named in {wave.path}")
    taken = {i for columns in expanded.values() for i, _ in columns}
    others = []  # columns the wave file does not map: (index, "question / option", question text)
    for i, h in enumerate(header):
        if h not in wanted and i not in taken:
            question = carried[i]
            others.append((i, " / ".join(filter(None, (question, options_row[i]))), question))
    unknown = [(i, name) for i, name, question in others if not wave.ignores(name, question)]
    if unknown:
        raise unknown_columns_error(path, unknown, grid.iloc[2:], 3, wave)

    data = grid.iloc[2:]
    table = {"_row": np.arange(3, 3 + len(data))}
    names = [" / ".join(filter(None, (question, sub))) for question, sub in zip(carried, options_row)]
    problems: list = []  # expanded single choices: cells that are not their column's option text
    for key, name in wanted.items():
        if name in expanded:
            table[name] = _expanded_answers(path, wave[name], data, expanded[name], names, problems)
        elif key in position:
            table[name] = data[position[key]].array  # as read: Arrow-backed text or a categorical of it
    if problems:
        raise unknown_labels_error(path, wave, problems)
    for i, name, _ in others:  # ignored: for the duplicate screen and the cleaning log only
        table[ignored_column(name)] = data[i].array
    return complete_multi_columns(answers_as_categories(pd.DataFrame(table), wave), wave)


def _option_columns(path, wq: WaveQuestion, q: str, position: dict) -> dict[tuple[str, str], str]:
    """The header key (question / option text) of each option's own column, for the options the
    export has a column for (a tick all, an expanded single choice): option id by key, in the wave
    file's order. An option whose labels name two columns of the question is an ExportError."""
    found = {}
    for option_id, labels in wq.labels.items():
        matches = [(q, normalise_label(label)) for label in labels if (q, normalise_label(label)) in position]
        if len(matches) > 1:
            raise ExportError(f"{path}: option {wq.question.id}.{option_id} appears in {len(matches)} columns")
        if matches:
            found[matches[0]] = option_id
    return found


def _expanded_columns(path, wq: WaveQuestion, q: str, position: dict, other: str | None) -> dict:
    """The option columns of a single choice written in the expanded layout (no "Response" column
    under its question, at least one column whose sub-header is one of its labels; the "Other" box
    left out), or {} for the condensed layout."""
    if (q, normalise_label(SURVEYMONKEY_SINGLE)) in position:
        return {}
    return {key: oid for key, oid in _option_columns(path, wq, q, position).items() if key[1] != other}


def _expanded_answers(path, wq: WaveQuestion, data: pd.DataFrame, columns: list[tuple[int, str]],
                      names: list[str], problems: list) -> np.ndarray:
    """The raw answer of a single choice in SurveyMonkey's expanded layout: one column per option,
    the chosen one holding the option's text, the others blank. Each row gets the text of its one
    non-blank cell ("" if none), what the condensed layout's "Response" column holds.

    A non-blank cell whose text is not a label of its column's option goes to ``problems`` (the
    unknown-label message): taking its text would map the row to whatever option that text names.
    Two non-blank cells in one row are an ExportError naming the rows and the columns. ``data`` are
    the records after the two header rows (row 3 of the file first), ``names`` each column's
    "question / sub-header"."""
    answer = np.full(len(data), "", dtype=object)
    filled = np.zeros((len(data), len(columns)), dtype=bool)
    for j, (i, option_id) in enumerate(columns):
        cells = data[i].to_numpy(dtype=object)
        normalised = normalise_labels(data[i])
        filled[:, j] = (normalised != "").to_numpy(dtype=bool)
        known = {normalise_label(text) for text in wq.accepted(option_id)}
        wrong = filled[:, j] & ~normalised.isin(known).to_numpy(dtype=bool)
        problems += [(value, wq, 3 + int(r)) for r, value in zip(np.flatnonzero(wrong), cells[wrong])]
        answer = np.where(filled[:, j], cells, answer)
    several = np.flatnonzero(filled.sum(axis=1) > 1)
    if several.size:
        rows = (3 + several).tolist()
        shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
        both = " and ".join(f"{i + 1} {names[i]!r}" for (i, _), on in zip(columns, filled[several[0]]) if on)
        raise ExportError(
            f"{path}: column {wq.column!r} ({wq.question.id}) is a single choice, exported in SurveyMonkey's "
            f"expanded layout (one column per option, the chosen one filled), but {len(rows)} row(s) fill more "
            f"than one of its option columns, rows {shown} (row {rows[0]}: columns {both}). A single choice has "
            "one answer: check the export against the survey, and if the question lets a respondent tick "
            "several options, it is a tick-all question (kind multi) in the questionnaire, not a single choice."
        )
    return answer
