"""Hostile and broken input: each case stops with a clear error naming the file (and row and
column where there is one), or is accepted when the wave file declares it."""

from __future__ import annotations

import csv
import io

import pytest

from netclean_survey.clean.stage import clean_export
from netclean_survey.core.errors import ConfigError
from netclean_survey.core.codebook import load_codebook, parse_wave
from netclean_survey.estimate.intervals import proportion_interval
from netclean_survey.core.errors import ExportError
from netclean_survey.core.writers import write_table_csv
from test_clean import Q_HEADER, QUALTRICS_WAVE, SM_HEADER, SM_WAVE, q_row, sm_row, sm_wave, write_csv

CODEBOOK = load_codebook("config/questionnaire.yaml")


def q_wave(**changes):
    return parse_wave({**QUALTRICS_WAVE, **changes}, CODEBOOK, "q-wave.yaml")


def write_q(path, rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(Q_HEADER + rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_duplicated_column_names(tmp_path):
    header = [Q_HEADER[0][:-1] + ["Q2"], *Q_HEADER[1:]]
    path = tmp_path / "q.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(header + [q_row(1)])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(ExportError, match=r"q\.csv: repeated column names in the header: \['Q2'\]"):
        clean_export(path, q_wave())


def test_missing_required_column(tmp_path):
    header = [row[:3] + row[4:] for row in SM_HEADER]
    rows = [r[:3] + r[4:] for r in [sm_row(1)]]
    path = write_csv(tmp_path / "sm.csv", header + rows)
    with pytest.raises(ExportError, match=r"lacks the required columns \['End Date'\]"):
        clean_export(path, sm_wave())


def test_unknown_columns_are_named_with_the_rows_that_carry_data(tmp_path):
    header = [SM_HEADER[0] + ["Shoe size?", "Pets?"], SM_HEADER[1] + ["Response", "Response"]]
    rows = [sm_row(i, start_minute=i) + [size, ""] for i, size in ((1, "42"), (2, " "), (3, "38"))]
    path = write_csv(tmp_path / "sm.csv", header + rows)
    with pytest.raises(ExportError) as error:
        clean_export(path, sm_wave())
    message = str(error.value)
    assert message.startswith(f"{path}: columns the wave file sm-wave.yaml does not know:\n")
    assert "  - column 11 'Shoe size? / Response': data in 2 row(s), rows 3, 5\n" in message  # a blank cell is no data
    assert "  - column 12 'Pets? / Response': data in 0 row(s)\n" in message
    assert "      column: 'Shoe size?'\n" in message  # the line to add: a question is mapped by its text
    assert "  ignore: ['Shoe size? / Response']\n" in message and "`unmapped: ignore`" in message

    q_path = tmp_path / "q.csv"
    q_header = [Q_HEADER[0] + ["Q9"], Q_HEADER[1] + ["Shoe size?"], Q_HEADER[2] + ['{"ImportId":"QID9"}']]
    write_csv(q_path, q_header + [q_row(i) + [str(40 + i)] for i in range(1, 8)], lineterminator="\n")
    with pytest.raises(ExportError, match=r"column 8 'Q9': data in 7 row\(s\), rows 4, 5, 6, 7, 8 \.\.\."):
        clean_export(q_path, q_wave())


def test_header_rows_without_a_response_row(tmp_path):
    path = write_csv(tmp_path / "sm.csv", SM_HEADER)
    with pytest.raises(ExportError, match=r"sm\.csv: the export has its header rows but not one response row"):
        clean_export(path, sm_wave())
    with pytest.raises(ExportError, match=r"q\.csv: the export has its header rows but not one response row"):
        clean_export(write_q(tmp_path / "q.csv", []), q_wave())


def test_one_header_row_missing(tmp_path):
    path = write_q(tmp_path / "q.csv", [])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + lines[1] + "".join(q_row_text(i) for i in (1, 2)), encoding="utf-8")
    with pytest.raises(ExportError, match="row 3 should hold the ImportId JSON"):
        clean_export(path, q_wave())


def q_row_text(i):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(q_row(i))
    return buffer.getvalue()


def test_semicolons_and_decimal_commas_accepted_when_declared(tmp_path):
    rows = [q_row(i, seconds=f"{600 + i},5") for i in range(1, 5)]
    path = write_q(tmp_path / "q.csv", rows, delimiter=";")
    cleaned = clean_export(path, q_wave(delimiter=";", decimal=","))
    assert len(cleaned.responses) == 4


def test_semicolons_refused_with_a_hint_when_not_declared(tmp_path):
    path = write_q(tmp_path / "q.csv", [q_row(1)], delimiter=";")
    with pytest.raises(ExportError, match=r"q\.csv: .*looks ';'-delimited while q-wave.yaml declares delimiter ','"):
        clean_export(path, q_wave())


def test_windows_1252_accepted_when_declared_and_named_otherwise(tmp_path):
    wave = {**QUALTRICS_WAVE, "questions": {**QUALTRICS_WAVE["questions"],
                                           "country": {"column": "Q1", "options": {"sweden": ["Sverige – Malmö"]}}}}
    header = [Q_HEADER[0] + ["Q1"], Q_HEADER[1] + ["Land?"], Q_HEADER[2] + ['{"ImportId":"QID1"}']]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(header + [q_row(i) + ["Sverige – Malmö"] for i in (1, 2)])
    path = tmp_path / "q.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    declared = clean_export(path, parse_wave({**wave, "encoding": "cp1252"}, CODEBOOK, "q-wave.yaml"))
    assert declared.responses["country"].tolist() == ["sweden", "sweden"]  # no mojibake
    with pytest.raises(ExportError, match="not valid utf-8-sig.*declares encoding 'utf-8-sig'.*Windows-1252"):
        clean_export(path, parse_wave({**wave, "encoding": "utf-8-sig"}, CODEBOOK, "q-wave.yaml"))


def test_utf8_bom_accepted(tmp_path):
    rows = [sm_row(i, start_minute=i) for i in (1, 2)]
    path = write_csv(tmp_path / "sm.csv", SM_HEADER + rows, bom=True)
    assert len(clean_export(path, sm_wave(), check_bases=False).responses) == 2


def test_respondent_id_repeated_with_different_answers(tmp_path):
    rows = [sm_row(1, start_minute=1), sm_row(1, country="USA", ip="192.0.2.9", start_minute=2)]
    path = write_csv(tmp_path / "sm.csv", SM_HEADER + rows)
    with pytest.raises(ExportError, match=r"sm\.csv: column 'Respondent ID': respondent ids repeated with different answers"):
        clean_export(path, sm_wave())


def test_single_choice_with_two_answers(tmp_path):
    path = write_q(tmp_path / "q.csv", [q_row(1, workload="More demanding,Less demanding"), q_row(2)])
    with pytest.raises(ExportError, match=r"'More demanding,Less demanding' in column 'Q2' \(workload_change\): 1 row\(s\), rows 4"):
        clean_export(path, q_wave())


def test_tick_all_answer_outside_the_option_list(tmp_path):
    path = write_q(tmp_path / "q.csv", [q_row(1, regions="Europe,Antarctica"), q_row(2)])
    with pytest.raises(ExportError, match=r"'antarctica' in column 'Q3' \(victim_regions\): 1 row\(s\), rows 4"):
        clean_export(path, q_wave())


@pytest.mark.parametrize("count, nobs", [(-1, 10), (11, 10)])
def test_a_count_that_cannot_be(count, nobs):
    with pytest.raises(ValueError, match="count"):
        proportion_interval(count, nobs)


def test_misspelled_wave_file_key_and_bad_wave_names():
    with pytest.raises(ConfigError, match=r"unknown keys \['exclusion'\]"):
        parse_wave({**SM_WAVE, "exclusion": {}}, CODEBOOK, "sm-wave.yaml")
    for name in ("../2018", "a/b", "..", ""):
        with pytest.raises(ConfigError, match="no path separator"):
            parse_wave({**SM_WAVE, "wave": name}, CODEBOOK, "sm-wave.yaml")


def test_free_text_formulas_are_neutralised_in_csv(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"text": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain"]})
    write_table_csv(table, tmp_path / "t.csv")
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as handle:
        cells = [row[0] for row in csv.reader(handle)][1:]
    assert cells == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
