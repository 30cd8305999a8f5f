"""The grid of a CSV export: every record as text, with the encoding and delimiter its wave file
declares, checked to be rectangular (a short or long row is named), read by pandas' C parser where
the encoding allows and by the csv module otherwise. :func:`read_grid` is the one entry point: an
Excel workbook (:mod:`.workbook_export`) or a Qualtrics SPSS file (:mod:`.spss_export`), told by its
signature, is read there into the same grid of text."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from ..core.codebook import Wave
from ..core.errors import ExportError
from .sniff import sniff_export
from .spss_export import read_spss_grid
from .workbook_export import read_workbook_grid


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
        raise ExportError(f"{path}: not a valid CSV file ({error}).{delimiter_hint(text.split(chr(10), 1)[0], wave)}") from None
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


def read_grid(path: str | Path, wave: Wave, categorical: bool = False) -> pd.DataFrame:
    """Every record of a CSV export, header rows included, as text columns numbered from 0.

    Blank lines are left out, as a spreadsheet's CSV reader does. The encoding and the delimiter
    are the wave file's. A file that is empty, not valid in its encoding, or has a record wider or
    narrower than its first stops with an ExportError naming the file and the row. An Excel
    workbook or an SPSS file (by its signature, :func:`.sniff.sniff_export`) is read by its module
    into the same grid; any other file is read as CSV.

    With ``categorical`` (the readers of the raw table, which keep the answers as categoricals),
    a UTF-8 CSV read by Arrow comes as categoricals of its texts (but for columns of mostly
    distinct texts), never held as one string per cell: well under half the memory for a large
    export. The cells are the same texts either way.
    """
    path = Path(path)
    kind = sniff_export(path, wave.delimiter).kind
    if kind == "xlsx":
        return as_text(read_workbook_grid(path, wave))
    if kind == "spss":
        return as_text(read_spss_grid(path, wave))
    utf8 = codecs.lookup(wave.encoding).name in ("utf-8", "utf-8-sig") and len(wave.delimiter) == 1
    # Arrow reads the file itself, in blocks, and checks it is valid UTF-8: the export's bytes are
    # not held in memory beside the grid. Where Arrow cannot vouch for it, the paths below read
    # the bytes and name the bad byte or row.
    if utf8 and (grid := _grid_by_arrow(path, wave.delimiter, categorical)) is not None:
        return grid
    data = _export_bytes(path, wave)
    if codecs.lookup(wave.encoding).name not in BYTE_DELIMITED_ENCODINGS or len(wave.delimiter) != 1:
        return as_text(_grid_from_records(path, wave))
    widths = record_widths(data, wave.delimiter)
    if widths.size == 0 or (widths != widths[0]).any():
        return as_text(_grid_from_records(path, wave))  # the csv module names the first bad row
    del data
    encoding = "utf-8-sig" if codecs.lookup(wave.encoding).name == "utf-8" else wave.encoding
    try:
        grid = pd.read_csv(
            path, sep=wave.delimiter, header=None, dtype=object, encoding=encoding, na_filter=False,
            keep_default_na=False, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return as_text(_grid_from_records(path, wave))
    if grid.shape != (widths.size, widths[0]):  # the byte count and the parser disagree: trust the csv module
        return as_text(_grid_from_records(path, wave))
    return as_text(grid)


def as_text(grid: pd.DataFrame) -> pd.DataFrame:
    """Every column of a grid in pandas' text dtype (``str``: Arrow-backed where pyarrow is installed),
    whichever reader read it, so that a workbook and its CSV give the same grid."""
    return grid.astype("str")


def _first_record_width(path: Path, delimiter: str) -> int | None:
    """Fields of the first record (read by the csv module from the first megabyte), None if unreadable."""
    try:
        with open(path, "rb") as file:
            head = file.read(1 << 20).decode("utf-8", errors="ignore").removeprefix("\ufeff")
    except OSError:
        return None
    try:
        first = next((r for r in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter) if r != []), None)
    except csv.Error:
        return None
    return len(first) if first else None


def _grid_by_arrow(path: Path, delimiter: str, categorical: bool = False) -> pd.DataFrame | None:
    """The grid of a UTF-8 export (the file, read in blocks) by pyarrow's CSV reader
    (multi-threaded, every cell as text checked to be valid UTF-8, the columns Arrow-backed: a
    third of the memory of Python strings), or None where it cannot
    vouch for the result (a record wider or narrower than the first: the slower paths then name
    the row). It reads every file as pandas' C parser does (RFC 4180 quotes, quoted line
    breaks, blank lines skipped, a BOM dropped), and unlike that parser it never pads a short row.
    With ``categorical``, Arrow encodes each column as it reads it (indices into its distinct
    texts) and a column is a pandas categorical, or text where most of its cells are distinct."""
    width = _first_record_width(path, delimiter)
    if not width:
        return None
    names = [str(i) for i in range(width)]
    cell_type = pa.dictionary(pa.int32(), pa.string()) if categorical else pa.large_string()
    try:
        table = pa_csv.read_csv(
            pa.OSFile(str(path)),  # as it is: never decompressed by its name
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                              escape_char=False, newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(column_types={n: cell_type for n in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError):  # a ragged row or a bad byte: the slower paths name it
        return None
    arrays, columns = table.columns, {}
    del table
    for i in range(width):  # column by column, each Arrow column released once converted
        column, arrays[i] = arrays[i], None
        if categorical and sum(len(chunk.dictionary) for chunk in column.chunks) > len(column) // 2:
            column = column.cast(pa.large_string())  # mostly distinct (identifiers, addresses): text
        elif categorical:
            column = column.unify_dictionaries()  # one set of categories for the whole column
        columns[i] = column.to_pandas()
    return pd.DataFrame(columns)


def _grid_from_records(path: Path, wave: Wave) -> pd.DataFrame:
    """The grid read with the csv module in strict mode: slower, and names the first bad row."""
    records = read_records(path, wave)
    first_line = path.read_bytes().split(b"\n", 1)[0].decode(wave.encoding, errors="replace")
    _check_widths(path, records, len(records[0]), delimiter_hint(first_line, wave))
    return pd.DataFrame(records, dtype=object)


def _check_widths(path, records: list[list[str]], width: int, hint: str = "") -> None:
    for number, record in enumerate(records, start=1):
        if len(record) != width:
            raise ExportError(
                f"{path}, row {number}: {len(record)} fields where the header has {width} "
                f"(a ragged row: a missing or extra delimiter).{hint}"
            )


def delimiter_hint(first_line: str, wave: Wave) -> str:
    """A sentence for an export that seems to use another delimiter than its wave file declares."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t") if d != wave.delimiter}
    other, count = max(counts.items(), key=lambda item: item[1])
    if count <= first_line.count(wave.delimiter):
        return ""
    return (f" The file looks {other!r}-delimited while {wave.path} declares delimiter {wave.delimiter!r}: "
            "declare the file's delimiter (and its decimal mark) in the wave file.")
