"""Qualtrics SPSS exports (.sav, .zsav): the file's dictionary and values read with pyreadstat into the
three header rows and the text cells of a Qualtrics CSV, so the Qualtrics reader and the clean stage
work on it unchanged. The files are written here with ``pyreadstat.write_sav`` as Qualtrics lays them
out: variable names and labels, value labels (code -> choice text), a user-defined missing value -99
("seen, not answered") and a missing range, date-time variables, a tick-all question split into one
variable per choice. Each is checked against the CSV written from the same answers as text (a second
method): the same grid, the same responses, the same log but for the lines on the missing cells."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from netclean_survey.clean.export_cells import LOG_LINES, READ_AS_BLANK
from netclean_survey.clean.grid import read_grid
from netclean_survey.clean.ingest import read_export
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.errors import ExportError

from test_clean import sm_wave, write_csv
from test_hostile_input import q_wave

Q_TIME = "%Y-%m-%d %H:%M:%S"
MISSING = -99.0  # Qualtrics' "seen but not answered", declared a user-defined missing value
STATUS = {0.0: "IP Address", 1.0: "Survey Preview", 2.0: "Survey Test"}
FINISHED = {0.0: "False", 1.0: "True"}
WORKLOAD = {1.0: "More demanding", 2.0: "About the same", 3.0: "Less demanding"}
CHOICES = ["North America", "Central America (incl. Mexico, the Caribbean)", "Europe", "Asia"]
VARIABLES = ["ResponseId", "StartDate", "EndDate", "Status", "IPAddress", "Duration__in_seconds_", "Finished",
             "RecordedDate", "Q2", "Q3_1", "Q3_2", "Q3_3", "Q3_4", "Q9"]
LABELS = ["Response ID", "Start Date", "End Date", "Response Type", "IP Address", "Duration (in seconds)", "Finished",
          "Recorded Date", "Workload?", *[f"Where? - {c}" for c in CHOICES], "Shoe size?"]

# the answers, once: (id, status, finished, seconds, workload, ticked choices, shoe size); None is no
# answer (system-missing), MISSING the user-defined missing value
ANSWERS = [
    (1, "IP Address", "True", 600, "More demanding", {CHOICES[0], CHOICES[1], CHOICES[3]}, 42),
    (2, "IP Address", "True", 601.5, "About the same", {"Europe"}, 42.5),
    (3, "Survey Preview", "True", 600, "More demanding", {"Europe"}, None),  # a preview: test row
    (4, "IP Address", "False", 300, None, set(), None),  # not finished: incomplete
    (5, "IP Address", "True", 720, MISSING, {"Asia": MISSING}, -95),  # missing codes: -99, and -95 in -99..-90
    (6, "IP Address", "True", 540, "Less demanding", {"Europe", "Asia"}, 43),
]


def start(rid) -> dt.datetime:
    return dt.datetime(2018, 5, 2, 9, 0) + dt.timedelta(hours=rid)


def end(rid, seconds) -> dt.datetime:
    return start(rid) + dt.timedelta(seconds=seconds)


def code(labels: dict, text):
    """The SPSS value of an answer: its code, NaN for no answer, the missing value as it is."""
    if text is None:
        return np.nan
    if text == MISSING:
        return MISSING
    return next(value for value, label in labels.items() if label == text)


def answers_frame() -> pd.DataFrame:
    columns = {name: [] for name in VARIABLES}
    for rid, status, finished, seconds, workload, ticked, shoe in ANSWERS:
        row = [f"R_{rid}", start(rid), end(rid, seconds), code(STATUS, status), f"198.51.100.{rid}", float(seconds),
               code(FINISHED, finished), start(rid) + dt.timedelta(minutes=30), code(WORKLOAD, workload)]
        for choice in CHOICES:  # 1 when ticked, system-missing when not (as Qualtrics writes it)
            row.append(ticked[choice] if isinstance(ticked, dict) and choice in ticked else
                       1.0 if choice in ticked else np.nan)
        row.append(np.nan if shoe is None else float(shoe))
        for name, value in zip(VARIABLES, row):
            columns[name].append(value)
    return pd.DataFrame(columns)


def write_sav(path, frame=None, compress=False):
    labels = {"Status": STATUS, "Finished": FINISHED, "Q2": {**WORKLOAD, MISSING: "Seen but not answered"}}
    labels |= {f"Q3_{k}": {1.0: choice, MISSING: "Seen but not answered"} for k, choice in enumerate(CHOICES, start=1)}
    pyreadstat.write_sav(
        answers_frame() if frame is None else frame, str(path), compress=compress,
        column_labels=dict(zip(VARIABLES, LABELS)), variable_value_labels=labels,
        missing_ranges={"Q2": [MISSING], "Q3_4": [MISSING], "Q9": [{"lo": -99.0, "hi": -90.0}]},
    )
    return path


def write_equivalent_csv(path):
    """The Qualtrics CSV of the same answers, cell by cell as text (choice texts, the missing codes blank)."""
    rows = [VARIABLES, LABELS, ['{"ImportId":"' + name + '"}' for name in VARIABLES]]
    for rid, status, finished, seconds, workload, ticked, shoe in ANSWERS:
        rows.append([f"R_{rid}", start(rid).strftime(Q_TIME), end(rid, seconds).strftime(Q_TIME), status,
                     f"198.51.100.{rid}", f"{seconds:g}", finished,
                     (start(rid) + dt.timedelta(minutes=30)).isoformat(), workload if isinstance(workload, str) else "",
                     *[c if c in ticked and not isinstance(ticked, dict) else "" for c in CHOICES],
                     "" if shoe is None or shoe < 0 else f"{shoe:g}"])
    return write_csv(path, rows, lineterminator="\n")


def wave(**changes):
    return q_wave(
        metadata_columns=["ResponseId", "Status", "Finished", "Duration__in_seconds_", "IPAddress", "StartDate",
                          "EndDate"],
        duration={"seconds": "Duration__in_seconds_"},
        times={"start": "StartDate", "end": "EndDate", "format": Q_TIME},
        fieldwork={"start": "2018-05-01", "end": "2018-05-31"},
        ignore=["Q9", "RecordedDate"], **changes)


def test_the_sav_gives_the_three_header_rows_and_the_cells_of_its_csv(tmp_path):
    sav = write_sav(tmp_path / "q.sav")
    grid = read_grid(sav, wave())
    assert grid.iloc[0].tolist() == VARIABLES
    assert grid.iloc[1].tolist() == LABELS
    assert grid.iloc[2].tolist()[:2] == ['{"ImportId":"ResponseId"}', '{"ImportId":"StartDate"}']
    column = dict(zip(VARIABLES, range(len(VARIABLES))))
    data = grid.iloc[3:]
    assert data[column["Status"]].tolist()[:3] == ["IP Address", "IP Address", "Survey Preview"]  # value labels
    assert data[column["Duration__in_seconds_"]].tolist() == ["600", "601.5", "600", "300", "720", "540"]
    assert data[column["StartDate"]].tolist()[:2] == ["2018-05-02 10:00:00", "2018-05-02 11:00:00"]  # declared format
    assert data[column["RecordedDate"]].tolist()[0] == "2018-05-02T10:30:00"  # no time column: ISO 8601
    assert data[column["Q2"]].tolist() == ["More demanding", "About the same", "More demanding", "", "", "Less demanding"]
    assert data[column["Q9"]].tolist() == ["42", "42.5", "", "", "", "43"]  # no labels: the numbers; -95 missing
    assert grid.equals(read_grid(write_equivalent_csv(tmp_path / "q.csv"), wave()))
    assert grid.attrs[READ_AS_BLANK] == {"Q2": 1, "Q3_4": 1, "Q9": 1}
    assert grid.attrs[LOG_LINES][0] == (
        "column 'Q2': 1 cell(s) hold a user-defined missing value of the SPSS file (-99), read as not answered")


def test_the_sav_cleans_as_its_csv_and_the_log_counts_the_missing_cells(tmp_path):
    cleaned = clean_export(write_sav(tmp_path / "q.sav"), wave(), check_bases=False)
    r = cleaned.responses
    assert r["respondent_id"].tolist() == ["R_1", "R_2", "R_5", "R_6"]
    assert r["workload_change"].value_counts().to_dict() == {"more_demanding": 1, "unchanged": 1, "less_demanding": 1}
    assert r["workload_change"].isna().sum() == 1  # R_5: -99, seen but not answered
    ticks = {oid: int(r[f"victim_regions__{oid}"].sum()) for oid in ("north_america", "central_america", "europe", "asia")}
    assert ticks == {"north_america": 1, "central_america": 1, "europe": 2, "asia": 2}
    assert r.loc[r["respondent_id"] == "R_5", "victim_regions__asia"].isna().all()  # ticked nothing
    steps = dict(zip(cleaned.log["step"], cleaned.log["excluded"]))
    assert (steps["test_rows"], steps["incomplete"], cleaned.log["rows_out"].iat[-1]) == (1, 1, 4)
    missing = cleaned.log[cleaned.log["step"] == "missing_codes"]
    assert missing["reason"].tolist() == [
        "column 'Q2': 1 cell(s) hold a user-defined missing value of the SPSS file (-99), read as not answered",
        "column 'Q3_4': 1 cell(s) hold a user-defined missing value of the SPSS file (-99), read as not answered",
        "column 'Q9': 1 cell(s) hold a user-defined missing value of the SPSS file (-95), read as not answered",
    ]
    assert (missing["excluded"] == 0).all() and (missing["rows_in"] == 6).all()
    from_csv = clean_export(write_equivalent_csv(tmp_path / "q.csv"), wave(), check_bases=False)
    assert r.equals(from_csv.responses) and cleaned.excluded.equals(from_csv.excluded)
    assert cleaned.log[cleaned.log["step"] != "missing_codes"].reset_index(drop=True).equals(from_csv.log)
    assert read_export(tmp_path / "q.sav", wave()).equals(read_export(tmp_path / "q.csv", wave()))


def test_a_compressed_zsav_is_read_as_the_sav(tmp_path):
    zsav = write_sav(tmp_path / "q.zsav", compress=True)
    assert zsav.read_bytes()[:4] == b"$FL3"
    assert read_grid(zsav, wave()).equals(read_grid(write_sav(tmp_path / "q.sav"), wave()))


def test_a_time_variable_without_a_time_takes_the_time_error_path(tmp_path):
    frame = answers_frame()
    frame["StartDate"] = [value.strftime(Q_TIME) for value in frame["StartDate"]]  # a string variable
    frame.loc[1, "StartDate"] = "yesterday"
    with pytest.raises(ExportError) as error:
        clean_export(write_sav(tmp_path / "q.sav", frame), wave(), check_bases=False)
    assert str(error.value).startswith(
        "q.csv: column 'StartDate': 1 row(s) hold no time in the format '%Y-%m-%d %H:%M:%S' of q-wave.yaml, rows [5]")


def test_a_surveymonkey_sav_is_refused_in_one_paragraph(tmp_path):
    path = write_sav(tmp_path / "sm.sav")
    for read in (read_export, read_grid):
        with pytest.raises(ExportError) as error:
            read(path, sm_wave())
        assert str(error.value) == (
            f"{path}: this is an SPSS data file (.sav), not a CSV export; the pipeline reads the SPSS files of "
            "Qualtrics only (`format: qualtrics`), and sm-wave.yaml says `format: surveymonkey`: export the "
            "responses from SurveyMonkey as CSV instead (Export > All responses data > CSV) and name that file "
            "under `raw:`.")


def test_an_unreadable_sav_is_named(tmp_path):
    path = tmp_path / "q.sav"
    path.write_bytes(b"$FL2@(#) IBM SPSS STATISTICS 64-bit MS Windows 27.0.0.0".ljust(176, b" ") + b"\x02\x00\x00\x00")
    with pytest.raises(ExportError, match=r"q\.sav: not a readable SPSS file \(.*\); export the responses again "
                                          r"from Qualtrics"):
        read_export(path, wave())
