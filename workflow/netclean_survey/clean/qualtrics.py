"""The Qualtrics reader, for the three header layouts Qualtrics has written and both ways it writes
answers.

Header layouts (:mod:`.sniff` tells them apart):

- current: three header rows, the column ids (``Q1``, ``Q3_1``, ``StartDate``), the question texts
  and the ImportId JSON of each column (``{"ImportId":"QID3","choiceId":"1"}``);
- "Insights" (2016): the same three rows, the third written as a Python dict
  (``{'ImportId': 'QID3-1'}``);
- legacy: two header rows, the column ids (the metadata named ``V1``...``V10``) and the question
  texts, often with an empty column without a header at the end (read and said in the cleaning log).

Answers: a single choice in one column, by its choice text or, in a "numeric values" export, by its
code (``codes:`` in the wave file); a tick-all question either joined in one cell
("Europe,Asia" or "1,3", split by the longest known label or code) or split into one column per
choice (``Q3_1``, ``Q3_2``, ... holding ``1`` or the choice text, empty when not ticked), each column
placed on its option by its choiceId (a code), by the choice text after the question text in row 2
("Where? - Europe"), or by the texts its cells hold; a text box (``Q3_4_TEXT``) by ``other_text``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Wave, WaveQuestion, normalise_label
from ..core.errors import ExportError
from .export_cells import TIME_ZONES
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
from .sniff import LAYOUT_WORDS, layout_of

UNTICKED = ("", "0")  # a split tick-all cell that is not ticked (Qualtrics may write 0 for "seen, not chosen")
TICKED = "1"  # what a split tick-all cell holds in a "numeric values" export
SPLIT_NAME = re.compile(r"^(?P<question>.+)_(?P<choice>[^_]+)$")
LOOP_NAME = re.compile(r"^(?P<loop>\d+)_(?P<question>Q.*)$")  # loop and merge: 1_Q3, 2_Q3_1, ...
IMPORT_CHOICE = re.compile(r"^QID\d+[-_](?P<choice>[^_]+)$")  # Insights and older ImportIds: QID3-1, QID3_1


def split_choices(cell: str, wq: WaveQuestion) -> tuple[dict[str, str], list[str]]:
    """Split a Qualtrics tick-all cell ("Europe,Asia", or codes "1,3") into option ids.

    Choice texts may contain the delimiter themselves ("Central America (incl. Mexico, the
    Caribbean)"), so the cell is parsed by matching the longest known label or code at each
    position, not by splitting on commas. Returns the ticked option ids with their raw text, and
    the pieces no label matches.
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


@dataclass(frozen=True)
class Header:
    """The header rows of a Qualtrics export, whatever its layout, and the records after them."""

    layout: str  # "qualtrics", "qualtrics-insights" or "qualtrics-legacy"
    ids: list[str]  # row 1: the column ids
    texts: list[str]  # row 2: the question texts ("Where? - Europe" for a split choice)
    import_ids: list[dict]  # row 3, parsed ({} for every column of a legacy export)
    data: pd.DataFrame  # the records after the header
    first_row: int  # the record number of the first of them in the file


def read_header(path: str | Path, wave: Wave) -> Header:
    """The header of a Qualtrics export in any of its layouts; ExportError (one paragraph) when the
    rows are not a Qualtrics header."""
    return header_of(read_grid(path, wave, categorical=True), path, wave)


def header_of(grid: pd.DataFrame, path, wave: Wave) -> Header:
    """The header of a grid already read (:func:`read_header`)."""
    head = grid.iloc[:3].to_numpy().tolist()
    layout = layout_of(head)
    if layout == "qualtrics-legacy":
        if len(grid) < 2:
            raise ExportError(f"{path}: a legacy Qualtrics export has two header rows; found {len(grid)} row(s)")
        ids, texts = grid.iloc[0].tolist(), grid.iloc[1].tolist()
        check_metadata(path, ids, wave)
        return Header(layout, ids, texts, [{} for _ in ids], grid.iloc[2:], 3)
    if len(grid) < 3:
        raise ExportError(f"{path}: a Qualtrics export has three header rows; found {len(grid)} row(s)")
    ids, texts = grid.iloc[0].tolist(), grid.iloc[1].tolist()
    check_metadata(path, ids, wave)  # a header without the metadata columns is named as such first
    if layout not in ("qualtrics", "qualtrics-insights"):
        raise ExportError(
            f"{path}: row 3 should hold the ImportId JSON of each column; a header row is missing "
            "(a Qualtrics export has ids, question texts and ImportIds)"
        )
    import_ids = [_import_id(path, cell, i, layout) for i, cell in enumerate(grid.iloc[2].tolist())]
    return Header(layout, ids, texts, import_ids, grid.iloc[3:], 4)


def _import_id(path, cell: str, index: int, layout: str) -> dict:
    """Row 3 of one column: JSON (current) or a Python dict literal ("Insights"), read without
    evaluating anything; an empty cell is an empty dict."""
    if not cell.strip():
        return {}
    try:
        value = json.loads(cell) if layout == "qualtrics" else ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        value = None
    if not isinstance(value, dict):
        raise ExportError(
            f"{path}, row 3, column {index + 1}: {cell[:80]!r} is not the ImportId of a column; {LAYOUT_WORDS[layout]} "
            "writes one for each column, e.g. " + ('{"ImportId":"QID3"}' if layout == "qualtrics" else "{'ImportId': 'QID3'}")
        )
    return value


def choice_key(name: str, import_id: dict) -> str:
    """The choice a split column holds: the ImportId's choiceId, the choice of an ImportId written
    QID3-1 or QID3_1, or the suffix of the column id (Q3_1)."""
    if "choiceId" in import_id:
        return str(import_id["choiceId"])
    found = IMPORT_CHOICE.match(str(import_id.get("ImportId", "")))
    if found:
        return found["choice"]
    return SPLIT_NAME.match(name)["choice"]


def split_columns(header: Header, wq: WaveQuestion) -> list[int]:
    """The columns of a tick-all question split into one column per choice: ids ``{column}_{choice}``
    (text boxes, ``_TEXT``, excluded)."""
    return [
        i for i, name in enumerate(header.ids)
        if not name.upper().endswith("_TEXT") and (m := SPLIT_NAME.match(name)) and m["question"] == wq.column
    ]


def option_of_split_column(path, header: Header, i: int, wq: WaveQuestion) -> str | None:
    """The option a split column holds, by the choice text after the question text in row 2
    ("Where? - Europe") and by its choiceId among the question's codes; if both place it they must
    agree (a recoded choice can have a code that is another choice's id). Else by the texts its
    ticked cells hold; None when nothing places it."""
    labels = {normalise_label(label): oid for oid, labels in wq.labels.items() for label in labels}
    text = header.texts[i]
    by_text = next(
        (labels[normalise_label(text[m.end():])] for m in re.finditer(" - ", text)  # a choice text may hold " - "
         if normalise_label(text[m.end():]) in labels),
        None,
    )
    if wq.choice_ids:  # the survey definition's choice ids: not the recoded values
        codes = {normalise_label(cid): oid for oid, cid in wq.choice_ids.items()}
    else:
        codes = {normalise_label(code): oid for oid in wq.labels for code in wq.codes.get(oid, ())}
    choice = choice_key(header.ids[i], header.import_ids[i])
    by_code = codes.get(normalise_label(choice))
    if by_text and by_code and by_text != by_code:
        raise ExportError(
            f"{path}: column {header.ids[i]!r} ({text!r}) of {wq.column} ({wq.question.id}) is choice {choice!r}, which "
            f"`codes:` gives to {by_code}, while its text is a label of {by_text}: the choice's code is not its "
            "choiceId (recoded values?); correct `codes:` or the labels so that both name the same option"
        )
    if by_text or by_code:
        return by_text or by_code
    cells = {normalise_label(c) for c in header.data[i].unique()} - {normalise_label(u) for u in UNTICKED + (TICKED,)}
    placed = {labels[c] for c in cells if c in labels}
    return placed.pop() if len(placed) == 1 and len(cells) == 1 else None


def loop_note(names: list[str]) -> str:
    """What to do with loop-and-merge columns (``1_Q3``, ``2_Q3``: loop 1 and 2 of Q3), if the names
    hold any; "" otherwise. The pipeline reads one answer per respondent and question: a loop's
    several answers would need a table of their own, so loops are named, not read."""
    loops: dict[str, list[str]] = {}
    for name in names:
        if found := LOOP_NAME.match(name):
            loops.setdefault(found["question"], []).append(name)
    if not loops:
        return ""
    shown = "; ".join(f"{question}: {columns[:4]}{' ...' if len(columns) > 4 else ''}" for question, columns in loops.items())
    question = next(iter(loops))
    return (
        f"\nThe columns {shown} are loop-and-merge columns (the loop's number before the question id), which "
        "this pipeline does not read (one answer per respondent and question). Map one loop's column as the "
        f"question (`column: {loops[question][0]}`) if the release analyses that loop alone, or list them under "
        f"`ignore:` (e.g. `ignore: [\"*_{question}\"]`)."
    )


def read_qualtrics(path: str | Path, wave: Wave) -> pd.DataFrame:
    """A Qualtrics export in any of its header layouts, with answers as choice texts or codes and
    tick-all questions joined or split (module docstring); the raw table of :mod:`.raw`."""
    header = read_header(path, wave)
    ids, texts, data = header.ids, header.texts, header.data
    position = {name: i for i, name in enumerate(ids)}
    columns: dict[int, str] = {position[m]: m for m in wave.metadata_columns}  # export column -> raw column
    split: dict[str, dict[int, str]] = {}  # question id -> {export column: option id}
    missing, unplaced = [], []
    for wq in wave.questions:
        qid = wq.question.id
        if wq.other_text:
            if wq.other_text["column"] in position:
                columns[position[wq.other_text["column"]]] = other_text_column(qid, wq.other_text["option"])
            else:
                missing.append(wq.other_text["column"])
        if wq.column in position:
            columns[position[wq.column]] = qid
        elif wq.question.kind == "multi" and (choice_columns := split_columns(header, wq)):
            split[qid] = {}
            for i in choice_columns:
                if wave.ignores(ids[i], texts[i]):
                    continue  # a choice the release does not analyse: an ignored column
                oid = option_of_split_column(path, header, i, wq)
                if oid is None:
                    unplaced.append((i, wq))
                elif oid in split[qid].values():
                    first = next(ids[j] for j, o in split[qid].items() if o == oid)
                    raise ExportError(
                        f"{path}: the columns {first!r} and {ids[i]!r} of {wq.column} ({qid}) both hold option {oid}; "
                        f"give each choice its own label or code in {wave.path}"
                    )
                else:
                    split[qid][i] = oid
                    columns[i] = multi_column(qid, oid)
        else:
            missing.append(wq.column)
    if missing:
        raise ExportError(f"{path}: the header lacks the columns {missing} named in {wave.path}" + loop_note(ids))
    if unplaced:
        raise _unplaced_error(path, wave, header, unplaced)
    others = [(i, name) for i, name in enumerate(ids) if i not in columns]
    empty = {i for i, name in others if not name and not data[i].str.strip().ne("").any()}
    unknown = [(i, name) for i, name in others if i not in empty and not wave.ignores(name, texts[i])]
    if unknown:
        error = unknown_columns_error(path, unknown, data, header.first_row, wave)
        raise ExportError(str(error) + loop_note([name for _, name in unknown]))

    table = {"_row": np.arange(header.first_row, header.first_row + len(data))}
    for i, name in columns.items():
        table[name] = data[i].array  # as read: Arrow-backed text or a categorical of it
    for i, name in others:  # ignored: for the duplicate screen and the cleaning log only
        table[ignored_column(name or f"column {i + 1}, without a header and empty")] = data[i].array
    frame = pd.DataFrame(table)
    frame.attrs.update(data.attrs)  # what the grid says of its cells (an SPSS file's user-missing counts)
    frame.attrs[TIME_ZONES] = {ids[i]: str(header.import_ids[i]["timeZone"]) for i in columns
                               if ids[i] in wave.metadata_columns and header.import_ids[i].get("timeZone")}
    problems: list = []
    for wq in wave.questions:
        if wq.question.kind != "multi":
            continue
        if wq.question.id in split:
            _read_split_ticks(frame, wq, problems)
        else:
            _split_joined_cells(frame, wq, problems)
    if problems:
        raise unknown_labels_error(path, wave, sorted(problems, key=lambda p: p[2]))
    return complete_multi_columns(answers_as_categories(frame, wave), wave)


def _split_joined_cells(frame: pd.DataFrame, wq: WaveQuestion, problems: list) -> None:
    """A tick-all question in one column: each distinct cell split once, rows take their cell's split."""
    qid = wq.question.id
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


def _read_split_ticks(frame: pd.DataFrame, wq: WaveQuestion, problems: list) -> None:
    """Split columns: a cell is ticked when it holds 1, the option's code or its label; empty (or 0)
    when not. Ticked cells become the option's first label or code, what tidy expects; any other
    text is an unknown label. Options without a column of their own are unticked columns."""
    qid = wq.question.id
    for oid in wq.question.option_ids:
        column = multi_column(qid, oid)
        if column not in frame:
            if not (wq.other_text and wq.other_text["option"] == oid):
                frame[column] = ""
            continue
        normalised = normalise_labels(frame[column]).astype(object)  # once per distinct text
        accepted = {normalise_label(t) for t in wq.accepted(oid)} | {TICKED}
        ticked = ~normalised.isin(UNTICKED)
        wrong = ticked & ~normalised.isin(accepted)
        problems += [(value, wq, int(row)) for value, row in zip(frame.loc[wrong, column], frame.loc[wrong, "_row"])]
        frame[column] = np.where(ticked & ~wrong, wq.accepted(oid)[0], "")


def _unplaced_error(path, wave: Wave, header: Header, unplaced: list[tuple[int, WaveQuestion]]) -> ExportError:
    lines = []
    choices = [choice_key(header.ids[i], header.import_ids[i]) for i, _ in unplaced]
    for (i, _), choice in zip(unplaced, choices):
        cells = sorted({c for c in header.data[i].unique() if c not in UNTICKED})[:3]
        lines.append(f"  - column {i + 1} {header.ids[i]!r} ({header.texts[i]!r}), choice {choice!r}, cells {cells}")
    qid = unplaced[0][1].question.id
    return ExportError(
        f"{path}: split tick-all columns that no option of the wave file matches:\n" + "\n".join(lines) + "\n"
        f"Place each by its choice code under questions.{qid}.codes (e.g. `<option_id>: "
        f"{choices[0]}`) or by its choice text under "
        f"questions.{qid}.options in {wave.path}, or list the column under `ignore:` if the release does not analyse it."
    )
