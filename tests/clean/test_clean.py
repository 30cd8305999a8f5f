"""Cleaning: one small crafted export per kind of messiness, with the exact counts expected in the log."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, parse_wave
from netclean_survey.core.errors import ExportError
from netclean_survey.clean.qualtrics import split_choices
from netclean_survey.clean.tidy import responses_from_csv_frame, responses_to_csv_frame

from crafted_waves import QUALTRICS_WAVE, SM_WAVE  # tests/crafted_waves.py

CODEBOOK = load_codebook("config/questionnaire.yaml")

SM_HEADER = [
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Country?", "Link?", "Where?", "", ""],
    ["", "", "", "", "", "Response", "Response", "Europe", "Asia", "Oceania, Pacific"],
]


def sm_row(rid, country="Sweden", link="No", regions=("", "", ""), collector="1", minutes=10, ip=None, start_minute=0):
    start = f"05/02/2018 10:{start_minute:02d}:00 AM"
    end_minutes = start_minute + minutes
    end = f"05/02/2018 {10 + end_minutes // 60}:{end_minutes % 60:02d}:{'30' if minutes < 1 else '00'} AM"
    return [str(rid), collector, start, end, ip or f"192.0.2.{rid}", country, link, *regions]


def write_csv(path, rows, bom=True, lineterminator="\r\n"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8", newline="")
    return path


def sm_wave(**changes):
    spec = {**SM_WAVE, **changes}
    return parse_wave(spec, CODEBOOK, "sm-wave.yaml")


def clean_sm(tmp_path, rows, **changes):
    path = write_csv(tmp_path / "sm.csv", SM_HEADER + rows)
    return clean_export(path, sm_wave(**changes), check_bases=False)  # a few crafted rows: not every question


def log_counts(cleaned):
    return dict(zip(cleaned.log["step"], cleaned.log["excluded"])), cleaned.log["rows_out"].iat[-1]


def test_clean_rows_pass_with_bom_stray_case_and_comma_in_label(tmp_path):
    rows = [
        sm_row(1, country="  sweden ", link="YES", regions=("Europe", "", "Oceania, Pacific"), start_minute=1),
        sm_row(2, country="USA", link="no", start_minute=2),
        sm_row(3, country="United  States", link="Yes", regions=("", "", ""), start_minute=3),
    ]
    cleaned = clean_sm(tmp_path, rows)
    counts, analysed = log_counts(cleaned)
    assert analysed == 3 and sum(counts.values()) == 0
    r = cleaned.responses
    assert r["country"].tolist() == ["sweden", "united_states", "united_states"]
    assert r["trafficking_link"].tolist() == ["yes", "no", "yes"]
    assert r["trafficking_regions__europe"].tolist()[:2] == [True, pd.NA] or r["trafficking_regions__europe"].isna().iat[1]
    assert r.loc[0, ["trafficking_regions__europe", "trafficking_regions__asia", "trafficking_regions__oceania"]].tolist() == [True, False, True]
    # respondent 3 said yes and ticked nothing: item non-response, outside the base
    assert r.loc[2, ["trafficking_regions__europe", "trafficking_regions__asia"]].isna().all()
    assert r["respondent_region"].tolist() == ["europe", "north_america", "north_america"]


def test_each_screen_counts_its_rows(tmp_path):
    valid = [sm_row(i, start_minute=i) for i in range(1, 7)]
    test_row = sm_row(7, collector="999", start_minute=7)
    partial = sm_row(8, link="", start_minute=8)
    duplicate = sm_row(9, ip="192.0.2.1", start_minute=9)  # same IP and answers as respondent 1, later
    speeder = sm_row(10, minutes=0, start_minute=10)  # 30 seconds against a median of 10 minutes
    shared_ip = sm_row(11, country="USA", ip="192.0.2.2", start_minute=11)  # same IP, other answers: kept
    cleaned = clean_sm(tmp_path, valid + [test_row, partial, duplicate, speeder, shared_ip])
    counts, analysed = log_counts(cleaned)
    assert counts == {"raw": 0, "test_rows": 1, "outside_fieldwork": 0, "incomplete": 1, "duplicates": 1, "speeders": 1,
                      "analysed": 0}
    assert analysed == 7
    assert cleaned.log["rows_in"].iat[0] == 11
    assert cleaned.excluded["reason"].tolist() == ["test_rows", "incomplete", "duplicates", "speeders"]
    assert cleaned.excluded["respondent_id"].tolist() == ["7", "8", "9", "10"]
    # the log adds up: rows in = rows analysed + every exclusion
    assert cleaned.log["rows_in"].iat[0] == analysed + cleaned.log["excluded"].sum()


def test_unknown_label_is_named_with_rows_and_fix(tmp_path):
    rows = [sm_row(1, country="Narnia", start_minute=1), sm_row(2, country="Narnia", start_minute=2), sm_row(3)]
    with pytest.raises(ExportError) as error:
        clean_sm(tmp_path, rows)
    message = str(error.value)
    assert "'Narnia'" in message and "2 row(s)" in message and "rows 3, 4" in message
    assert "questions.country.options" in message


def test_skip_logic_violation_is_an_error(tmp_path):
    rows = [sm_row(1, link="No", regions=("Europe", "", ""), start_minute=1), sm_row(2)]
    with pytest.raises(ExportError, match="skip logic"):
        clean_sm(tmp_path, rows)


def test_ragged_row_names_file_and_row(tmp_path):
    rows = [sm_row(1), sm_row(2)[:-1]]
    with pytest.raises(ExportError, match=r"sm\.csv, row 4: 9 fields"):
        clean_sm(tmp_path, rows)


def test_empty_and_header_only_exports(tmp_path):
    empty = tmp_path / "sm.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="empty"):
        clean_export(empty, sm_wave())
    header_only = write_csv(tmp_path / "h.csv", SM_HEADER[:1])
    with pytest.raises(ExportError, match="two header rows"):
        clean_export(header_only, sm_wave())


def test_unknown_column_is_named(tmp_path):
    header = [SM_HEADER[0] + ["Shoe size?"], SM_HEADER[1] + ["Response"]]
    path = write_csv(tmp_path / "sm.csv", header + [sm_row(1) + ["42"]])
    with pytest.raises(ExportError, match="Shoe size"):
        clean_export(path, sm_wave())


def test_wrong_encoding_is_named(tmp_path):
    path = tmp_path / "sm.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(SM_HEADER + [sm_row(1, country="Sverige – Malmö")])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    with pytest.raises(ExportError, match="not valid utf-8"):
        clean_export(path, sm_wave())


Q_HEADER = [
    ["ResponseId", "Status", "Finished", "Duration (in seconds)", "IPAddress", "Q2", "Q3"],
    ["Response ID", "Response Type", "Finished", "Duration (in seconds)", "IP Address", "Workload?", "Where?"],
    ['{"ImportId":"_recordId"}', '{"ImportId":"status"}', '{"ImportId":"finished"}', '{"ImportId":"duration"}', '{"ImportId":"ipAddress"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3"}'],
]


def q_row(rid, status="IP Address", finished="True", seconds="600", ip=None, workload="More demanding", regions="Europe"):
    return [f"R_{rid}", status, finished, seconds, ip or f"198.51.100.{rid}", workload, regions]


def test_qualtrics_screens_and_comma_in_choice_text(tmp_path):
    rows = [
        q_row(1, regions="North America,Central America (incl. Mexico, the Caribbean),Asia"),
        q_row(2, regions=" europe , ASIA"),
        q_row(3, workload="about the same", regions=""),
        q_row(4, status="Survey Preview"),
        q_row(5, status="Survey Test"),
        q_row(6, finished="False"),
        q_row(7, ip="198.51.100.1", regions="North America,Central America (incl. Mexico, the Caribbean),Asia"),
        q_row(8, seconds="45"),
        q_row(9, seconds="700"),
    ]
    path = write_csv(tmp_path / "q.csv", Q_HEADER + rows, lineterminator="\n")
    cleaned = clean_export(path, parse_wave(QUALTRICS_WAVE, CODEBOOK, "q-wave.yaml"))
    counts, analysed = log_counts(cleaned)
    assert counts == {"raw": 0, "test_rows": 2, "outside_fieldwork": 0, "incomplete": 1, "duplicates": 1, "speeders": 1,
                      "analysed": 0}
    assert analysed == 4
    r = cleaned.responses.set_index("respondent_id")
    ticks = ["victim_regions__north_america", "victim_regions__central_america", "victim_regions__europe", "victim_regions__asia"]
    assert r.loc["R_1", ticks].tolist() == [True, True, False, True]
    assert r.loc["R_2", ticks].tolist() == [False, False, True, True]
    assert r.loc["R_3", ticks].isna().all()
    assert r.loc["R_3", "workload_change"] == "unchanged"


def test_split_choices_reports_unknown_piece():
    wave = parse_wave(QUALTRICS_WAVE, CODEBOOK, "q-wave.yaml")
    ticked, unknown = split_choices("Europe,Atlantis,Asia", wave["victim_regions"])
    assert ticked == {"europe": "europe", "asia": "asia"} and unknown == ["atlantis"]


def test_responses_round_trip_through_csv(tmp_path):
    rows = [sm_row(1, link="Yes", regions=("Europe", "", "Oceania, Pacific"), start_minute=1), sm_row(2, start_minute=2)]
    cleaned = clean_sm(tmp_path, rows)
    text = responses_to_csv_frame(cleaned.responses)
    assert text.loc[0, "trafficking_regions__asia"] == "false" and text.loc[1, "trafficking_regions__asia"] == ""
    back = responses_from_csv_frame(text, sm_wave())
    pd.testing.assert_frame_equal(back, cleaned.responses)


def test_times_resaved_by_a_spreadsheet_are_named_with_the_format_they_now_have(tmp_path):
    rows = [sm_row(i, start_minute=i) for i in range(1, 4)]
    rows[1][2] = "5/2/2018 10:02"  # Excel rewrote the start time on saving (US locale, no seconds)
    rows[2][2] = "5/2/2018 10:03"
    path = write_csv(tmp_path / "sm.csv", SM_HEADER + rows)
    with pytest.raises(ExportError) as error:
        clean_export(path, sm_wave(), check_bases=False)
    assert str(error.value) == (
        "sm.csv: column 'Start Date': 2 row(s) hold no time in the format '%m/%d/%Y %I:%M:%S %p' of sm-wave.yaml, "
        "rows [4, 5]: for instance ['5/2/2018 10:02', '5/2/2018 10:03']. They read as '%m/%d/%Y %H:%M': if a "
        "spreadsheet program saved the export again, use the file as downloaded, or declare "
        "`format: '%m/%d/%Y %H:%M'` in sm-wave.yaml if every time is written so."
    )
