"""Read a raw survey export into the raw table: one row per submission, columns as the wave file names them.

A reader per export format (``surveymonkey``, ``qualtrics``). Each returns the same shape so that
screening and tidying never see the format:

- ``_row``: the record number in the file, header rows included (what a user sees in a spreadsheet);
- every metadata column of the wave file, by its name, as text;
- per question ``q`` of the wave: ``q`` (single choice, free text) holding the raw answer text, or
  ``q__{option}`` (tick all) holding the raw text of a ticked option and "" for an unticked one, and
  ``q__{option}__text`` for an "Other (please specify)" box.

Every cell is read as text (``dtype=str``): nothing is coerced on the way in. Anything the wave file
does not know (a column, a header) stops the run with an error that names the file, the row and the
column, and says which line to add to the wave file.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import map_distinct_categorical
from .codebook import Wave, WaveQuestion, normalise_label

SURVEYMONKEY_SINGLE = "Response"
SURVEYMONKEY_TEXT = "Open-Ended Response"


def normalise_labels(cells: pd.Series) -> pd.Series:
    """``normalise_label`` of every cell, worked out once per distinct text. Missing stays missing."""
    return map_distinct_categorical(cells, normalise_label)


class ExportError(ValueError):
    """The raw export cannot be read as the wave file describes it."""


def rows_named(raw: pd.DataFrame, where: pd.Series, limit: int = 10) -> tuple[int, str]:
    """How many rows ``where`` marks, and "rows [3, 7, ...]" by their record numbers in the file."""
    rows = raw.loc[where, "_row"].tolist()
    return len(rows), f"rows {rows[:limit]}{' ...' if len(rows) > limit else ''}"


def multi_column(question_id: str, option_id: str) -> str:
    return f"{question_id}__{option_id}"


def other_text_column(question_id: str, option_id: str) -> str:
    return f"{question_id}__{option_id}__text"


def read_records(path: str | Path, wave: Wave) -> list[list[str]]:
    """All records of a CSV export as lists of text, with the encoding and delimiter the wave declares."""
    path = Path(path)
    text = _export_bytes(path, wave).decode(wave.encoding)
    text = text.removeprefix("\ufeff")  # a BOM is accepted whatever the declared encoding
    if not text.strip():
        raise ExportError(f"{path}: the export is empty")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=wave.delimiter, strict=True))
    except csv.Error as error:
        raise ExportError(f"{path}: not a valid CSV file ({error}).{_delimiter_hint(text.split(chr(10), 1)[0], wave)}") from None
    return [r for r in records if r != []]  # csv yields [] for a blank line


# Encodings in which the delimiter, quote and line breaks are single bytes that never occur inside
# another character (UTF-8 by design, single-byte code pages trivially): there the record widths can
# be checked on the bytes, and pandas' C parser reads the file.
BYTE_DELIMITED_ENCODINGS = {"utf-8", "utf-8-sig", "ascii", "cp1252", "iso8859-1", "iso8859-15"}
CHUNK_BYTES = 1 << 24


def _export_bytes(path: Path, wave: Wave) -> bytes:
    """The export's bytes, checked to be valid in the encoding its wave file declares."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(f"{path}: cannot read the export: {error.strerror}") from None
    _check_encoding(path, data, wave)
    return data


def _check_encoding(path: Path, data: bytes, wave: Wave) -> None:
    """Decode in chunks (bounded memory): stop at the first byte that is not valid in the declared encoding."""
    decoder = codecs.getincrementaldecoder(wave.encoding)()
    try:
        for start in range(0, len(data), CHUNK_BYTES):
            decoder.decode(data[start : start + CHUNK_BYTES], final=start + CHUNK_BYTES >= len(data))
    except UnicodeDecodeError:
        try:  # decode the whole file once more, for the exact position of the bad byte
            data.decode(wave.encoding)
        except UnicodeDecodeError as error:
            raise ExportError(
                f"{path}: byte {error.start} is not valid {wave.encoding}; the wave file {wave.path} "
                f"declares encoding {wave.encoding!r}. If the export was saved in another encoding "
                "(for instance Windows-1252 by Excel), declare that encoding in the wave file."
            ) from None


def _outside_quotes(positions: np.ndarray, quotes: np.ndarray, inside: int) -> np.ndarray:
    """The positions preceded by an even number of quotes (``inside``: 1 if a quote was open before)."""
    return positions[((np.searchsorted(quotes, positions) + inside) & 1) == 0]


def record_widths(data: bytes, delimiter: str) -> np.ndarray:
    """Fields per record of an RFC 4180 file, blank lines left out, computed on the bytes.

    Written here because neither pandas nor the csv module reports a short row without building
    every field as a Python string: pandas' C parser pads a short row with empty cells silently.
    A byte is inside quotes when an odd number of quote bytes precede it (an escaped quote ``""``
    toggles twice), so delimiters and line feeds outside quotes are the structure. Vectorised in
    chunks of 16 MB, carrying the quote parity and the open record across chunk borders.
    """
    quote, sep, newline, cr = ord('"'), ord(delimiter), ord("\n"), ord("\r")
    widths: list[np.ndarray] = []
    inside, carried_separators, carried_bytes = 0, 0, 0  # of the record still open at a chunk's end
    for start in range(0, len(data), CHUNK_BYTES):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(CHUNK_BYTES, len(data) - start), offset=start)
        quotes = np.flatnonzero(chunk == quote)
        ends = _outside_quotes(np.flatnonzero(chunk == newline), quotes, inside)
        seps = _outside_quotes(np.flatnonzero(chunk == sep), quotes, inside)
        inside = (inside + quotes.size) & 1
        if not ends.size:
            carried_separators += seps.size
            carried_bytes += chunk.size
            continue
        before = np.searchsorted(seps, ends)  # separators in the chunk before each line end
        fields = np.diff(before, prepend=0) + 1
        lengths = np.diff(ends, prepend=-1)  # bytes of each line, its line feed included
        fields[0] += carried_separators
        lengths[0] += carried_bytes
        blank = (fields == 1) & ((lengths == 1) | ((lengths == 2) & (chunk[np.maximum(ends - 1, 0)] == cr)))
        widths.append(fields[~blank])
        carried_separators, carried_bytes = seps.size - before[-1], chunk.size - 1 - ends[-1]
    if carried_bytes and not (carried_separators == 0 and data[-carried_bytes:].strip() == b""):
        widths.append(np.array([carried_separators + 1]))  # a last record without a line feed
    return np.concatenate(widths) if widths else np.zeros(0, dtype=np.int64)


def read_grid(path: str | Path, wave: Wave) -> pd.DataFrame:
    """Every record of a CSV export, header rows included, as text columns numbered from 0.

    Blank lines are left out, as a spreadsheet's CSV reader does. The encoding and the delimiter
    are the wave file's. A file that is empty, not valid in its encoding, or has a record wider or
    narrower than its first stops with an ExportError naming the file and the row.
    """
    path = Path(path)
    data = _export_bytes(path, wave)
    if codecs.lookup(wave.encoding).name not in BYTE_DELIMITED_ENCODINGS or len(wave.delimiter) != 1:
        return _grid_from_records(path, wave)
    widths = record_widths(data, wave.delimiter)
    if widths.size == 0 or (widths != widths[0]).any():
        return _grid_from_records(path, wave)  # the csv module names the first bad row
    del data
    encoding = "utf-8-sig" if codecs.lookup(wave.encoding).name == "utf-8" else wave.encoding
    try:
        grid = pd.read_csv(
            path, sep=wave.delimiter, header=None, dtype=object, encoding=encoding, na_filter=False,
            keep_default_na=False, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return _grid_from_records(path, wave)
    if grid.shape != (widths.size, widths[0]):  # the byte count and the parser disagree: trust the csv module
        return _grid_from_records(path, wave)
    return grid


def _grid_from_records(path: Path, wave: Wave) -> pd.DataFrame:
    """The grid read with the csv module in strict mode: slower, and names the first bad row."""
    records = read_records(path, wave)
    first_line = path.read_bytes().split(b"\n", 1)[0].decode(wave.encoding, errors="replace")
    _check_widths(path, records, len(records[0]), _delimiter_hint(first_line, wave))
    return pd.DataFrame(records, dtype=object)


def _check_widths(path, records: list[list[str]], width: int, hint: str = "") -> None:
    for number, record in enumerate(records, start=1):
        if len(record) != width:
            raise ExportError(
                f"{path}, row {number}: {len(record)} fields where the header has {width} "
                f"(a ragged row: a missing or extra delimiter).{hint}"
            )


def _check_metadata(path, names: list[str], wave: Wave) -> None:
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise ExportError(f"{path}: repeated column names in the header: {repeated}")
    missing = [c for c in wave.metadata_columns if c not in names]
    if missing:
        hint = _delimiter_hint(names[0], wave) if len(names) == 1 else ""
        raise ExportError(
            f"{path}: the header lacks the required columns {missing} named by metadata_columns of {wave.path}.{hint}"
        )


def _delimiter_hint(first_line: str, wave: Wave) -> str:
    """A sentence for an export that seems to use another delimiter than its wave file declares."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t") if d != wave.delimiter}
    other, count = max(counts.items(), key=lambda item: item[1])
    if count <= first_line.count(wave.delimiter):
        return ""
    return (f" The file looks {other!r}-delimited while {wave.path} declares delimiter {wave.delimiter!r}: "
            "declare the file's delimiter (and its decimal mark) in the wave file.")


def _unknown_columns_error(
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
    return ExportError(
        f"{path}: columns the wave file {wave.path} does not know:\n" + "\n".join(lines) + "\n"
        "Map each under `questions:` (or list it under `metadata_columns:`) in the wave file, for instance\n"
        f"  questions:\n    <question_id>:\n      column: {unknown[0][1]!r}"
    )


def read_surveymonkey(path: str | Path, wave: Wave) -> pd.DataFrame:
    """A SurveyMonkey export: header row 1 holds the question text over the first column of each
    question, row 2 the option text (tick all), "Response" (single choice) or "Open-Ended Response"."""
    grid = read_grid(path, wave)
    if len(grid) < 2:
        raise ExportError(f"{path}: a SurveyMonkey export has two header rows; found {len(grid)} row(s)")
    questions_row, options_row = grid.iloc[0].tolist(), grid.iloc[1].tolist()
    if any(normalise_label(c) in {normalise_label(m) for m in wave.metadata_columns} for c in options_row):
        raise ExportError(f"{path}: row 2 repeats the column names: the second header row is missing")
    _check_metadata(path, questions_row, wave)
    filled = [m for m in wave.metadata_columns if options_row[questions_row.index(m)].strip()]
    if filled:
        raise ExportError(
            f"{path}: row 2 holds values under the columns {filled}, where a SurveyMonkey export's second "
            "header row (the option texts) is empty: a header row is missing"
        )
    # Row 1 names a question once, over its first column: carry it over the columns that follow.
    header: list[tuple[str, str]] = []
    current = ""
    for name, sub in zip(questions_row, options_row):
        if name:
            current = name
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
    unknown = [(i, " / ".join(filter(None, (questions_row[i] or h[0], options_row[i])))) for i, h in enumerate(header) if h not in wanted]
    if unknown:
        raise _unknown_columns_error(path, unknown, grid.iloc[2:], 3, wave)

    data = grid.iloc[2:]
    table = {"_row": np.arange(3, 3 + len(data))}
    for key, name in wanted.items():
        if key in position:
            table[name] = data[position[key]].to_numpy()
    return _complete_multi_columns(_answers_as_categories(pd.DataFrame(table), wave), wave)


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
    _check_metadata(path, ids, wave)
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
    unknown = [(i, name) for i, name in enumerate(ids) if name not in wanted]
    if unknown:
        raise _unknown_columns_error(path, unknown, grid.iloc[3:], 4, wave)

    data = grid.iloc[3:]
    table = {"_row": np.arange(4, 4 + len(data))}
    for column, name in wanted.items():
        table[name] = data[position[column]].to_numpy()
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
    return _answers_as_categories(frame, wave)


def _answers_as_categories(frame: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """Answer columns hold few distinct texts: as categoricals they take a byte or two per cell, and
    every later per-label step (normalising, mapping to option ids) runs once per distinct text."""
    metadata = set(wave.metadata_columns) | {"_row"}
    for column in frame.columns:
        if column not in metadata:
            frame[column] = pd.Categorical(frame[column])
    return frame


def _complete_multi_columns(frame: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """An option mapped in the wave file but absent from this export is an unticked column."""
    for wq in wave.questions:
        if wq.question.kind == "multi":
            for oid in wq.question.option_ids:
                if multi_column(wq.question.id, oid) not in frame and not (
                    wq.other_text and wq.other_text["option"] == oid
                ):
                    raise ExportError(f"{wave.raw}: no column for option {wq.question.id}.{oid} of {wave.path}")
    return frame


def unknown_labels_error(path, wave: Wave, problems: list[tuple[str, WaveQuestion, int]]) -> ExportError:
    """One message for every unknown label: where it occurs, how many rows, and the line to add."""
    by_value: dict[tuple[str, str], list[int]] = {}
    for value, wq, row in problems:
        by_value.setdefault((wq.question.id, value), []).append(row)
    lines = []
    for (qid, value), rows in sorted(by_value.items()):
        wq = wave[qid]
        shown = ", ".join(str(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else "")
        lines.append(
            f"  - {value!r} in column {wq.column!r} ({qid}): {len(rows)} row(s), rows {shown}; "
            f"to map it, add it to questions.{qid}.options.<option_id> in {wave.path}, "
            f"e.g. `<option_id>: [..., {value!r}]`"
        )
    return ExportError(f"{path}: labels the wave file does not know:\n" + "\n".join(lines))


READERS = {"surveymonkey": read_surveymonkey, "qualtrics": read_qualtrics}


def read_export(path: str | Path, wave: Wave) -> pd.DataFrame:
    """Read a raw export with the reader its wave file names."""
    try:
        reader = READERS[wave.format]
    except KeyError:
        raise ExportError(f"{wave.path}: unknown export format {wave.format!r}; known: {sorted(READERS)}") from None
    return reader(path, wave)
