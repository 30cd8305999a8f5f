"""What an export file is, from its first bytes and header rows, before any reader touches it.

A statistician brings the file the survey platform gave them: a CSV of SurveyMonkey or Qualtrics
(current, legacy or "Insights" header), an SPSS ``.sav``, an Excel workbook, a zip or gzip
archive, UTF-16 "Unicode text" from Excel. :func:`sniff_export` says which, from the file's
signature (magic bytes, byte order mark) and, for text, its first records; :func:`check_layout`
compares that with what the wave file declares and, where they disagree or the layout is one the
pipeline does not read yet, stops with one paragraph that says what the file looks like and what
to do. Nothing here decodes the whole file. An Excel workbook (a zip archive holding
``xl/workbook.xml``) and, for a Qualtrics wave, an SPSS file are read (:mod:`.workbook_export`,
:mod:`.spss_export`); an ``.xls``, a plain zip and gzip are refused.

Signatures: SPSS system files start with ``$FL2`` (``$FL3`` compressed, ``.zsav``); a zip archive,
and so an ``.xlsx`` workbook, with ``PK\\x03\\x04``; the old binary Excel ``.xls`` (OLE2) with
``D0 CF 11 E0``; gzip with ``1F 8B``; UTF-16 text with the byte order mark ``FF FE`` or ``FE FF``.
Header rows: SurveyMonkey writes two (question text, then option text or "Response"); current
Qualtrics three (column ids, question texts, ``{"ImportId": ...}`` JSON); the Qualtrics "Insights"
export writes the third row as a Python dict (``{'ImportId': ...}``); the legacy Qualtrics export
two, with the metadata columns named ``V1``, ``V2``, ... in the first.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.codebook import Wave
from ..core.errors import ExportError
from .workbook_export import workbook_head

HEAD_BYTES = 1 << 16  # enough for the header rows of any survey export

#: Binary signatures: (prefix, kind, what the file is, what to do).
SIGNATURES = (
    (b"$FL2", "spss", "an SPSS data file (.sav)",
     "export the responses as CSV instead (SurveyMonkey: Export > All responses data > CSV; Qualtrics: "
     "Data & Analysis > Export > CSV)"),
    (b"$FL3", "spss", "a compressed SPSS data file (.zsav)",
     "export the responses as CSV instead"),
    (b"PK\x03\x04", "zip", "a zip archive that is no Excel workbook (it holds no xl/workbook.xml)",
     "unzip it and name the CSV or Excel workbook (.xlsx) inside"),
    (b"\xd0\xcf\x11\xe0", "xls", "an old binary Excel workbook (.xls)",
     "save the sheet as CSV (UTF-8) and name that file"),
    (b"\x1f\x8b", "gzip", "a gzip-compressed file",
     "decompress it (gunzip) and name the CSV inside"),
)
UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
LEGACY_ID = re.compile(r"^V\d+$")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "text", "xlsx" (a zip that is an Excel workbook), or a kind of SIGNATURES ("spss", "zip", ...)
    description: str  # what the file is, in words
    advice: str = ""  # what to do with it, when the pipeline cannot read it as it is
    encoding: str | None = None  # for text: what its byte order mark says ("utf-16-le", "utf-8"), else None
    layout: str | None = None  # for text: "surveymonkey", "qualtrics", "qualtrics-legacy", "qualtrics-insights"


def _records(text: str, delimiter: str) -> list[list[str]]:
    """The first records of a text (the last, maybe cut by HEAD_BYTES, dropped), or [] if it is not CSV."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    return [r for r in records[:-1] if r] if len(records) > 1 else records


def layout_of(records: list[list[str]]) -> str | None:
    """Which platform's header the first records are, or None when none fits."""
    if len(records) >= 3 and any(cell.startswith('{"ImportId"') for cell in records[2]):
        return "qualtrics"
    if len(records) >= 3 and any(cell.startswith("{'ImportId'") for cell in records[2]):
        return "qualtrics-insights"
    if records and sum(bool(LEGACY_ID.match(cell)) for cell in records[0]) >= 3:
        return "qualtrics-legacy"
    if len(records) >= 2 and "Respondent ID" in records[0] and (
        {"Response", "Open-Ended Response"} & set(records[1]) or not any(records[1][:3])
    ):
        return "surveymonkey"
    return None


LAYOUT_WORDS = {
    "surveymonkey": "a SurveyMonkey export (two header rows: question texts, then option texts or \"Response\")",
    "qualtrics": "a Qualtrics export (three header rows: column ids, question texts, ImportId JSON)",
    "qualtrics-insights": "a Qualtrics \"Insights\" export (its third header row is a Python dict, {'ImportId': ...})",
    "qualtrics-legacy": "a legacy Qualtrics export (two header rows, the metadata columns named V1, V2, ...)",
}


def sniff_export(path: str | Path, delimiter: str = ",") -> Sniffed:
    """What the file at ``path`` is, from its first bytes (ExportError if it cannot be read)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        raise ExportError(f"{path}: cannot read the export: {error.strerror}") from None
    for prefix, kind, description, advice in SIGNATURES:
        if head.startswith(prefix):
            if kind == "zip" and is_workbook(path):
                return Sniffed("xlsx", "an Excel workbook (.xlsx)")
            if kind == "xls" and is_encrypted_workbook(path):
                return Sniffed("xls", "a password-protected Excel workbook (an encrypted .xlsx is stored as an OLE2 file, "
                               "as an old .xls is)", "open it in Excel, remove the password (File > Info > Protect "
                               "Workbook) and save it as .xlsx, or save its sheet as CSV (UTF-8)")
            return Sniffed(kind, description, advice)
    for bom, encoding in UTF16_BOMS:
        if head.startswith(bom):
            text = head[len(bom):len(head) - (len(head) - len(bom)) % 2].decode(encoding, errors="replace")
            delimiter = "\t" if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(delimiter) else delimiter
            return Sniffed("text", "UTF-16 text (\"Unicode text\", as Excel saves it)", encoding=encoding,
                           layout=layout_of(_records(text, delimiter)))
    encoding = "utf-8" if head.startswith(codecs.BOM_UTF8) else None
    text = head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    return Sniffed("text", "a text file", encoding=encoding, layout=layout_of(_records(text, delimiter)))


ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the OLE2 stream an encrypted Office file holds


def is_encrypted_workbook(path: Path) -> bool:
    """Whether an OLE2 file is an encrypted Office Open XML file (ECMA-376 Agile or Standard
    encryption: its directory names the stream EncryptedPackage) rather than an old binary .xls."""
    with path.open("rb") as handle:
        return ENCRYPTED_PACKAGE in handle.read(1 << 26)  # the directory of a survey-sized file lies within


def is_workbook(path: Path) -> bool:
    """Whether a zip archive is an Excel workbook (.xlsx, .xlsm): it holds the part xl/workbook.xml."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower() == "xl/workbook.xml" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def spss_refusal(path, wave: Wave, description: str = "an SPSS data file (.sav)") -> ExportError:
    """The paragraph for an SPSS file under a wave file that is not ``format: qualtrics``."""
    return ExportError(
        f"{path}: this is {description}, not a CSV export; the pipeline reads the SPSS files of Qualtrics only "
        f"(`format: qualtrics`), and {wave.path} says `format: {wave.format}`: export the responses from "
        "SurveyMonkey as CSV instead (Export > All responses data > CSV) and name that file under `raw:`."
    )


def check_layout(path: str | Path, wave: Wave) -> Sniffed:
    """The file as sniffed, if the wave file's reader can read it; else ExportError, one paragraph
    naming what the file looks like and what to do. An Excel workbook is checked by the header rows
    of its first worksheet as a CSV is; an SPSS file is read for a Qualtrics wave only (its grid is
    built in the current Qualtrics layout, :mod:`.spss_export`)."""
    sniffed = sniff_export(path, wave.delimiter)
    if sniffed.kind == "spss":
        if wave.format != "qualtrics":
            raise spss_refusal(path, wave, sniffed.description)
        return replace(sniffed, layout="qualtrics")
    if sniffed.kind == "xlsx":
        sniffed = replace(sniffed, layout=layout_of(workbook_head(path)))
    elif sniffed.kind != "text":
        raise ExportError(
            f"{path}: this is {sniffed.description}, not a CSV export; {wave.path} expects a "
            f"{wave.format} CSV: {sniffed.advice}."
        )
    declared = codecs.lookup(wave.encoding).name
    if sniffed.encoding and sniffed.encoding.startswith("utf-16") and not declared.startswith("utf-16"):
        raise ExportError(
            f"{path}: the file is UTF-16 text (its byte order mark says so), as Excel writes \"Unicode text\", "
            f"but {wave.path} declares encoding {wave.encoding!r}: declare `encoding: utf-16` (and `delimiter: "
            "\"\\t\"` if its fields are tab-separated, as Excel's are), or save it as CSV UTF-8."
        )
    layout = sniffed.layout
    if layout is not None and layout.split("-")[0] != wave.format:  # the Qualtrics reader reads its three layouts
        raise ExportError(
            f"{path}: this looks like {LAYOUT_WORDS[layout]}, but {wave.path} says `format: {wave.format}`: "
            f"set `format: {layout.split('-')[0]}` (and map its columns), or check that `raw:` names the right export."
        )
    return sniffed
