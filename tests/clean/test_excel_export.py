"""Excel exports (.xlsx): the first worksheet read into the grid a CSV of the same answers gives, so both
readers and the clean stage work on it unchanged. The workbooks are written here with openpyxl, as the
platforms' "Excel" downloads lay them out (SurveyMonkey two header rows, Qualtrics three), with typed
cells: integers, floats, booleans, date-times and empty cells. Each is checked against the CSV written
from the same answers as text (a second method): the same grid, the same responses, the same log."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest

from netclean_survey.clean.export_cells import cell_text
from netclean_survey.clean.grid import read_grid
from netclean_survey.clean.ingest import read_export
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.errors import ExportError

from crafted_waves import QUALTRICS_WAVE
from test_clean import Q_HEADER, SM_HEADER, q_row, sm_row, sm_wave, write_csv
from test_hostile_input import q_wave

SM_TIME = "%m/%d/%Y %I:%M:%S %p"  # SM_WAVE's duration format
Q_TIME = "%Y-%m-%d %H:%M:%S"

# --- SurveyMonkey -------------------------------------------------------------------------------
# the crafted SurveyMonkey layout, with three columns the release does not analyse (ignored): a
# number, a yes/no written by Excel as a boolean, and a date-time that is no time column of the wave
EXTRA = [["Shoe size?", "Consent?", "Recorded?"], ["Response", "Response", "Response"]]
SM_XLSX_HEADER = [SM_HEADER[0] + EXTRA[0], SM_HEADER[1] + EXTRA[1]]
IGNORE = ["Shoe size?", "Consent?", "Recorded?"]
SHOE = [42, 42.0, 42.5, None, 0.1, 1234567.5]  # int, integral float, floats, an empty cell
SHOE_TEXT = ["42", "42", "42.5", "", "0.1", "1234567.5"]
CONSENT = [True, False, True, True, None, False]
RECORDED = [dt.datetime(2018, 5, 2, 11, 0, 5), None, None, None, None, dt.datetime(2018, 5, 3)]
RECORDED_TEXT = ["2018-05-02T11:00:05", "", "", "", "", "2018-05-03T00:00:00"]  # ISO 8601: no time column


def sm_answers():
    """Six responses as the CSV writes them: four analysed, a test collector, a speeder."""
    return [
        sm_row(1, country="Sweden", link="No", start_minute=1),
        sm_row(2, country="USA", link="Yes", regions=("Europe", "Asia", ""), start_minute=2),
        sm_row(3, country="United States", link="Yes", regions=("", "", "Oceania, Pacific"), start_minute=3),
        sm_row(4, country="Sweden", link="Yes", regions=("Europe", "", ""), start_minute=4),
        sm_row(5, collector="999", start_minute=5),  # a test collector
        sm_row(6, minutes=0, start_minute=6),  # 30 seconds against a median of 10 minutes: a speeder
    ]


def typed_sm_cells(row: list[str]) -> list:
    """A CSV row as Excel types its cells: ids as integers, the times as date-times, "" as no cell."""
    rid, collector, start, end, *rest = row
    return [int(rid), int(collector), dt.datetime.strptime(start, SM_TIME), dt.datetime.strptime(end, SM_TIME),
            *[cell or None for cell in rest]]


def write_sm_xlsx(path, other_sheet=False):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    for row in SM_XLSX_HEADER:
        sheet.append([cell or None for cell in row])
    sheet.merge_cells("H1:J1")  # SurveyMonkey merges a question's text over its option columns
    for i, row in enumerate(sm_answers()):
        sheet.append(typed_sm_cells(row) + [SHOE[i], CONSENT[i], RECORDED[i]])
    if other_sheet:  # a second sheet, made the active one: the first sheet is still the one read
        notes = workbook.create_sheet("Notes")
        notes.append(["not", "the", "export"])
        workbook.active = 1
    workbook.save(path)
    return path


def write_sm_csv(path):
    extra = [[SHOE_TEXT[i], ["True", "False", "True", "True", "", "False"][i], RECORDED_TEXT[i]] for i in range(6)]
    return write_csv(path, SM_XLSX_HEADER + [row + extra[i] for i, row in enumerate(sm_answers())])


def test_cells_become_the_text_a_csv_holds():
    assert [cell_text(v) for v in (None, "", " text ", 600, 600.0, -0.0, 601.5, 0.1, 1e20, 2.5e-7, True, False)] == [
        "", "", " text ", "600", "600", "0", "601.5", "0.1", "100000000000000000000", "2.5e-07", "True", "False"]
    stamp = dt.datetime(2018, 5, 2, 14, 1, 9)
    assert cell_text(stamp, SM_TIME) == "05/02/2018 02:01:09 PM"
    assert cell_text(stamp) == "2018-05-02T14:01:09"
    assert cell_text(dt.date(2018, 5, 2)) == "2018-05-02" and cell_text(dt.date(2018, 5, 2), Q_TIME) == "2018-05-02 00:00:00"
    assert cell_text(dt.time(10, 1, 0), Q_TIME) == "10:01:00"  # no date: the time screens name it
    assert cell_text(dt.timedelta(minutes=10)) == "600" and cell_text(dt.timedelta(seconds=1.5)) == "1.5"
    assert float(cell_text(0.1 + 0.2)) == 0.1 + 0.2  # the repr reads back to the same double
    with pytest.raises(TypeError):
        cell_text(object())


def test_the_surveymonkey_workbook_gives_the_grid_of_its_csv(tmp_path):
    xlsx = write_sm_xlsx(tmp_path / "sm.xlsx")
    grid = read_grid(xlsx, sm_wave())
    assert grid.equals(read_grid(write_sm_csv(tmp_path / "sm.csv"), sm_wave()))
    assert grid.shape == (8, 13)
    assert grid.iloc[0].tolist()[7:10] == ["Where?", "", ""]  # the merged text over its first column only
    assert grid.iloc[2].tolist()[:4] == ["1", "1", "05/02/2018 10:01:00 AM", "05/02/2018 10:11:00 AM"]
    assert grid[10].tolist()[2:] == SHOE_TEXT
    assert grid[11].tolist()[2:] == ["True", "False", "True", "True", "", "False"]
    assert grid[12].tolist()[2:] == RECORDED_TEXT


def test_the_surveymonkey_workbook_cleans_as_its_csv(tmp_path):
    wave = sm_wave(ignore=IGNORE)
    from_xlsx = clean_export(write_sm_xlsx(tmp_path / "sm.xlsx"), wave, check_bases=False)
    from_csv = clean_export(write_sm_csv(tmp_path / "sm.csv"), wave, check_bases=False)
    r = from_xlsx.responses
    assert r["respondent_id"].tolist() == ["1", "2", "3", "4"]
    assert r["country"].value_counts().to_dict() == {"sweden": 2, "united_states": 2}
    assert r["trafficking_link"].value_counts().to_dict() == {"yes": 3, "no": 1}
    ticks = {oid: int(r[f"trafficking_regions__{oid}"].sum()) for oid in ("europe", "asia", "oceania")}
    assert ticks == {"europe": 2, "asia": 1, "oceania": 1}
    assert r["trafficking_regions__europe"].isna().sum() == 1  # respondent 1 was not asked
    steps = dict(zip(from_xlsx.log["step"], from_xlsx.log["excluded"]))
    assert (steps["test_rows"], steps["speeders"], from_xlsx.log["rows_out"].iat[-1]) == (1, 1, 4)
    assert "column 'Shoe size? / Response' not analysed (ignore: in sm-wave.yaml); data in 5 row(s)" in set(
        from_xlsx.log["reason"])
    assert r.equals(from_csv.responses)
    assert from_xlsx.log.equals(from_csv.log) and from_xlsx.excluded.equals(from_csv.excluded)
    # read through ingest as well: the raw tables agree
    assert read_export(tmp_path / "sm.xlsx", wave).equals(read_export(tmp_path / "sm.csv", wave))


def test_the_first_sheet_is_read_and_encoding_and_delimiter_do_not_apply(tmp_path):
    xlsx = write_sm_xlsx(tmp_path / "sm.xlsx", other_sheet=True)
    expected = clean_export(write_sm_csv(tmp_path / "sm.csv"), sm_wave(ignore=IGNORE), check_bases=False)
    odd = sm_wave(ignore=IGNORE, encoding="cp1252", delimiter=";")  # declarations for a CSV: ignored
    assert clean_export(xlsx, odd, check_bases=False).responses.equals(expected.responses)


def test_a_time_column_without_a_time_takes_the_time_error_path(tmp_path):
    path = write_sm_xlsx(tmp_path / "sm.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active["C4"] = 43222.5  # a serial number without a date format: openpyxl gives a float
    workbook.active["C4"].number_format = "General"
    workbook.active["C5"] = "yesterday"  # text not in the declared format
    workbook.save(path)
    wave = sm_wave(ignore=IGNORE, fieldwork={"start": "2018-05-01", "end": "2018-05-31"})
    with pytest.raises(ExportError) as error:
        clean_export(path, wave, check_bases=False)
    assert str(error.value).startswith(
        "sm.csv: column 'Start Date': 2 row(s) hold no time in the format '%m/%d/%Y %I:%M:%S %p' of sm-wave.yaml, "
        "rows [4, 5]")


# --- Qualtrics ----------------------------------------------------------------------------------
Q_TIMES = {"times": {"start": "StartDate", "end": "EndDate", "format": Q_TIME},
           "fieldwork": {"start": "2018-05-01", "end": "2018-05-31"},
           "metadata_columns": QUALTRICS_WAVE["metadata_columns"] + ["StartDate", "EndDate"]}
QX_HEADER = [row + extra for row, extra in zip(Q_HEADER, (["StartDate", "EndDate"], ["Start Date", "End Date"],
                                                          ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}']))]
Q_ROWS = [  # (ResponseId, Status, Finished, Duration, Q2, Q3) as Excel types them
    (1, "IP Address", True, 600, "More demanding", "North America,Central America (incl. Mexico, the Caribbean),Asia"),
    (2, "IP Address", True, 601.5, "About the same", "Europe"),
    (3, "Survey Preview", True, 600, "More demanding", "Europe"),  # a preview: test row
    (4, "IP Address", False, 300, "", ""),  # not finished: incomplete
    (5, "IP Address", True, 720.0, "Less demanding", None),  # an empty cell: ticked nothing
    (6, "IP Address", "True", 540, "More demanding", "Europe,Asia"),  # Finished as text
]


def q_start(rid) -> dt.datetime:
    return dt.datetime(2018, 5, 2, 9, 0) + dt.timedelta(hours=rid)


def write_q_xlsx(path):
    workbook = openpyxl.Workbook()
    for row in QX_HEADER:
        workbook.active.append(row)
    for rid, status, finished, seconds, workload, regions in Q_ROWS:
        cells = q_row(rid, status=status, finished=finished, seconds=seconds, workload=workload or None,
                      regions=regions)
        workbook.active.append(cells + [q_start(rid), q_start(rid) + dt.timedelta(seconds=seconds)])
    workbook.save(path)
    return path


def write_q_csv(path):
    rows = []
    for rid, status, finished, seconds, workload, regions in Q_ROWS:
        start = q_start(rid)
        rows.append(q_row(rid, status=status, finished=str(finished), seconds=f"{seconds:g}", workload=workload,
                          regions=regions or "")
                    + [start.strftime(Q_TIME), (start + dt.timedelta(seconds=seconds)).strftime(Q_TIME)])
    return write_csv(path, QX_HEADER + rows, lineterminator="\n")


def test_the_qualtrics_workbook_cleans_as_its_csv(tmp_path):
    wave = q_wave(**Q_TIMES)
    xlsx, csv_path = write_q_xlsx(tmp_path / "q.xlsx"), write_q_csv(tmp_path / "q.csv")
    grid = read_grid(xlsx, wave)
    assert grid.equals(read_grid(csv_path, wave))
    assert grid[3].tolist()[3:] == ["600", "601.5", "600", "300", "720", "540"]  # Duration (in seconds)
    assert grid[2].tolist()[3:] == ["True", "True", "True", "False", "True", "True"]  # Finished
    assert grid[7].tolist()[3:5] == ["2018-05-02 10:00:00", "2018-05-02 11:00:00"]  # StartDate, declared format
    cleaned = clean_export(xlsx, wave, check_bases=False)
    r = cleaned.responses
    assert r["respondent_id"].tolist() == ["R_1", "R_2", "R_5", "R_6"]
    assert r["workload_change"].value_counts().to_dict() == {"more_demanding": 2, "unchanged": 1, "less_demanding": 1}
    ticks = {oid: int(r[f"victim_regions__{oid}"].sum()) for oid in ("north_america", "central_america", "europe", "asia")}
    assert ticks == {"north_america": 1, "central_america": 1, "europe": 2, "asia": 2}
    assert r.loc[r["respondent_id"] == "R_5", "victim_regions__europe"].isna().all()  # ticked nothing
    steps = dict(zip(cleaned.log["step"], cleaned.log["excluded"]))
    assert (steps["test_rows"], steps["incomplete"], cleaned.log["rows_out"].iat[-1]) == (1, 1, 4)
    from_csv = clean_export(csv_path, wave, check_bases=False)
    assert r.equals(from_csv.responses) and cleaned.log.equals(from_csv.log)


# --- refusals and checks ------------------------------------------------------------------------
def test_a_plain_zip_is_refused_in_one_paragraph(tmp_path):
    path = tmp_path / "sm.xlsx"  # named as a workbook, but a zip of a CSV
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("responses.csv", "Respondent ID\r\n1\r\n")
    with pytest.raises(ExportError) as error:
        read_export(path, sm_wave())
    assert str(error.value) == (
        f"{path}: this is a zip archive that is no Excel workbook (it holds no xl/workbook.xml), not a CSV export; "
        "sm-wave.yaml expects a surveymonkey CSV: unzip it and name the CSV or Excel workbook (.xlsx) inside.")


def test_an_old_binary_xls_is_refused_with_its_message(tmp_path):
    path = tmp_path / "sm.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))  # the OLE2 compound-file signature
    with pytest.raises(ExportError) as error:
        read_export(path, sm_wave())
    assert str(error.value) == (
        f"{path}: this is an old binary Excel workbook (.xls), not a CSV export; sm-wave.yaml expects a surveymonkey "
        "CSV: save the sheet as CSV (UTF-8) and name that file.")


def test_a_workbook_of_the_other_platform_is_named(tmp_path):
    with pytest.raises(ExportError, match=r"this looks like a Qualtrics export \(three header rows.* but sm-wave.yaml "
                                          r"says `format: surveymonkey`: set `format: qualtrics`"):
        read_export(write_q_xlsx(tmp_path / "q.xlsx"), sm_wave())


def test_a_value_outside_the_header_columns_names_row_and_column(tmp_path):
    path = write_sm_xlsx(tmp_path / "sm.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active["O5"] = "stray"
    workbook.save(path)
    with pytest.raises(ExportError) as error:
        read_grid(path, sm_wave())
    assert str(error.value) == (
        f"{path}, row 5: a value in column 15 (O), to the right of the 13 columns the header rows fill (a cell "
        "outside the export: delete it, or check that the first worksheet is the export)")


def test_an_empty_workbook_and_blank_rows(tmp_path):
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(ExportError, match="the export is empty"):
        read_grid(empty, sm_wave())
    path = write_sm_xlsx(tmp_path / "sm.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active.insert_rows(5)  # a blank row between responses is left out, as a blank CSV line is
    workbook.save(path)
    grid = read_grid(path, sm_wave())
    assert grid.equals(read_grid(write_sm_csv(tmp_path / "sm.csv"), sm_wave()))
    assert isinstance(grid, pd.DataFrame)
