"""What an export file is, before a reader touches it: every file a statistician may bring from the
survey platforms (or from Excel) is read, or refused in one paragraph that says what the file is and
what to do. The files are written here from the platforms' documented layouts (signatures, header
rows), by our own code."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile

import openpyxl
import pytest

from netclean_survey.clean.sniff import layout_of, sniff_export
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.errors import ExportError

from test_clean import Q_HEADER, SM_HEADER, clean_sm, q_row, sm_row, sm_wave, write_csv
from test_hostile_input import q_wave


def csv_text(rows, delimiter=",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


SM_ROWS = SM_HEADER + [sm_row(1, start_minute=1), sm_row(2, start_minute=2)]


def spss(path):
    # an SPSS system file begins with its record type and product name (IBM's documented header)
    path.write_bytes(b"$FL2@(#) IBM SPSS STATISTICS 64-bit MS Windows 27.0.0.0".ljust(176, b" ") + b"\x02\x00\x00\x00")


def xlsx(path):
    workbook = openpyxl.Workbook()
    for row in SM_ROWS:
        workbook.active.append(row)
    workbook.save(path)


def zipped(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("responses.csv", csv_text(SM_ROWS))


def xls(path):
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))  # the OLE2 compound-file signature


def encrypted_xlsx(path):
    # a password-protected .xlsx is an OLE2 compound file (MS-OFFCRYPTO) whose directory, at sector 1
    # here, names the streams EncryptionInfo and EncryptedPackage (128-byte entries, UTF-16LE names)
    def entry(name):
        encoded = name.encode("utf-16-le") + b"\0\0"
        return encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes(62)

    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
                     + entry("Root Entry") + entry("EncryptionInfo") + entry("EncryptedPackage") + bytes(128))


def gzipped(path):
    path.write_bytes(gzip.compress(csv_text(SM_ROWS).encode("utf-8")))


@pytest.mark.parametrize("write, words", [
    pytest.param(spss, "this is an SPSS data file (.sav), not a CSV export", id="sav"),  # under a SurveyMonkey wave
    pytest.param(zipped, "this is a zip archive that is no Excel workbook", id="zip"),
    pytest.param(xls, "this is an old binary Excel workbook (.xls), not a CSV export", id="xls"),
    pytest.param(gzipped, "this is a gzip-compressed file, not a CSV export", id="gzip"),
    pytest.param(encrypted_xlsx, "this is a password-protected Excel workbook", id="encrypted-xlsx"),
])
def test_a_binary_file_is_named_for_what_it_is(tmp_path, write, words):
    path = tmp_path / "export.csv"
    write(path)
    with pytest.raises(ExportError) as error:
        clean_export(path, sm_wave())
    message = str(error.value)
    assert message.startswith(f"{path}: {words}") and "\n" not in message
    assert "not valid utf-8" not in message  # what it said before: a misleading encoding hint


def test_an_excel_workbook_is_read_whatever_its_name(tmp_path):
    # read as its CSV is (tests/clean/test_excel_export.py); an SPSS file of Qualtrics too (test_spss_export.py)
    path = tmp_path / "export.csv"
    xlsx(path)
    assert sniff_export(path).kind == "xlsx"
    cleaned = clean_export(path, sm_wave(), check_bases=False)
    assert cleaned.responses.equals(clean_sm(tmp_path, SM_ROWS[2:]).responses)


def test_utf16_from_excel_is_named_and_read_when_declared(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("\ufeff".encode("utf-16-le") + csv_text(SM_ROWS, delimiter="\t").encode("utf-16-le"))
    sniffed = sniff_export(path)
    assert (sniffed.encoding, sniffed.layout) == ("utf-16-le", "surveymonkey")
    with pytest.raises(ExportError, match="the file is UTF-16 text .* declare `encoding: utf-16`"):
        clean_export(path, sm_wave())
    cleaned = clean_export(path, sm_wave(encoding="utf-16", delimiter="\t"), check_bases=False)
    assert cleaned.responses["respondent_id"].tolist() == ["1", "2"]
    assert cleaned.responses.equals(clean_sm(tmp_path, SM_ROWS[2:]).responses)


LEGACY = [  # the legacy Qualtrics layout: metadata columns named V1..V10 over their labels
    ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q2", "Q3"],
    ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
     "StartDate", "EndDate", "Finished", "Workload?", "Where?"],
    ["R_1", "Default Response Set", "Anonymous", "", "", "198.51.100.1", "0", "2016-06-10 10:00:00",
     "2016-06-10 10:10:00", "1", "More demanding", "Europe"],
]
INSIGHTS = Q_HEADER[:2] + [[cell.replace('"', "'") for cell in Q_HEADER[2]], q_row(1)]


@pytest.mark.parametrize("rows, layout", [
    pytest.param(LEGACY, "qualtrics-legacy", id="legacy"), pytest.param(INSIGHTS, "qualtrics-insights", id="insights"),
])
def test_older_qualtrics_layouts_are_identified(tmp_path, rows, layout):
    # read by the Qualtrics reader: tests/clean/test_qualtrics_layouts.py
    assert sniff_export(write_csv(tmp_path / "q.csv", rows)).layout == layout


def test_a_format_the_wave_file_does_not_declare_is_named(tmp_path):
    surveymonkey = write_csv(tmp_path / "sm.csv", SM_ROWS)
    with pytest.raises(ExportError, match=r"this looks like a SurveyMonkey export .* but q-wave.yaml says "
                                          r"`format: qualtrics`: set `format: surveymonkey`"):
        clean_export(surveymonkey, q_wave())
    qualtrics = write_csv(tmp_path / "q.csv", Q_HEADER + [q_row(1)])
    with pytest.raises(ExportError, match=r"this looks like a Qualtrics export \(three header rows.* but "
                                          r"sm-wave.yaml says `format: surveymonkey`"):
        clean_export(qualtrics, sm_wave())


@pytest.mark.parametrize("rows, expected", [
    (SM_ROWS, "surveymonkey"), (Q_HEADER + [q_row(1)], "qualtrics"), (LEGACY, "qualtrics-legacy"),
    (INSIGHTS, "qualtrics-insights"), ([["a", "b"], ["1", "2"]], None), ([], None),
])
def test_layouts_by_their_header_rows(rows, expected):
    assert layout_of(rows) == expected
