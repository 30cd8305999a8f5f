"""Columns the release does not analyse: listed under ``ignore:`` (names or patterns) or all of them
with ``unmapped: ignore``; each is counted in the cleaning log and compared by the duplicate screen,
never mapped nor published. Screens name the columns they use; a column a rule names that the wave
file does not list is one paragraph."""

from __future__ import annotations

import pytest

from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, parse_wave
from netclean_survey.core.errors import ConfigError, ExportError

from crafted_waves import SM_WAVE
from test_clean import Q_HEADER, SM_HEADER, q_row, sm_row, sm_wave, write_csv
from test_hostile_input import q_wave

CODEBOOK = load_codebook("config/questionnaire.yaml")
EXTRA = [SM_HEADER[0] + ["Shoe size?", "Pets?", ""], SM_HEADER[1] + ["Response", "Dog", "Cat"]]


def extra_rows(*cells):
    return [sm_row(i, start_minute=i) + list(extra) for i, extra in enumerate(cells, start=1)]


def test_ignored_columns_by_name_and_pattern_are_counted_and_not_published(tmp_path):
    path = write_csv(tmp_path / "sm.csv", EXTRA + extra_rows(("42", "Dog", ""), ("", "", "Cat"), ("38", "", "")))
    cleaned = clean_export(path, sm_wave(ignore=["Shoe size?", "pets? / *"]), check_bases=False)
    assert len(cleaned.responses) == 3
    assert not [c for c in cleaned.responses.columns if "shoe" in c.lower() or "pets" in c.lower()]
    ignored = cleaned.log[cleaned.log["step"] == "ignored"]
    assert ignored["reason"].tolist() == [
        "column 'Shoe size? / Response' not analysed (ignore: in sm-wave.yaml); data in 2 row(s)",
        "column 'Pets? / Dog' not analysed (ignore: in sm-wave.yaml); data in 1 row(s)",
        "column 'Pets? / Cat' not analysed (ignore: in sm-wave.yaml); data in 1 row(s)",
    ]
    assert (ignored["excluded"] == 0).all() and (ignored["rows_in"] == 3).all()


def test_without_ignore_the_unknown_columns_stop_the_run(tmp_path):
    path = write_csv(tmp_path / "sm.csv", EXTRA + extra_rows(("42", "Dog", "")))
    with pytest.raises(ExportError, match="columns the wave file sm-wave.yaml does not know"):
        clean_export(path, sm_wave(ignore=["Shoe size?"]), check_bases=False)  # Pets? is not ignored
    cleaned = clean_export(path, sm_wave(unmapped="ignore"), check_bases=False)
    assert (cleaned.log["step"] == "ignored").sum() == 3


def test_qualtrics_columns_are_ignored_by_id_or_question_text(tmp_path):
    header = [Q_HEADER[0] + ["Q9", "Q10_1"], Q_HEADER[1] + ["Shoe size?", "Pets? - Dog"],
              Q_HEADER[2] + ['{"ImportId":"QID9"}', '{"ImportId":"QID10_1"}']]
    path = write_csv(tmp_path / "q.csv", header + [q_row(i) + [str(40 + i), "1"] for i in range(1, 4)],
                     lineterminator="\n")
    cleaned = clean_export(path, q_wave(ignore=["shoe size?", "Q10_*"]), check_bases=False)
    assert [r for r in cleaned.log["reason"] if r.startswith("column")] == [
        "column 'Q9' not analysed (ignore: in q-wave.yaml); data in 3 row(s)",
        "column 'Q10_1' not analysed (ignore: in q-wave.yaml); data in 3 row(s)",
    ]


def test_the_duplicate_screen_compares_every_answer_column_of_the_export(tmp_path):
    """Two officers of one station (one IP address) who give the same mapped answers but differ in a
    column the release does not analyse are two respondents; the same submission twice is one."""
    same_ip = "192.0.2.9"
    rows = [sm_row(1, ip=same_ip, start_minute=1) + ["42", "", ""],
            sm_row(2, ip=same_ip, start_minute=2) + ["44", "", ""],  # differs only in an ignored column
            sm_row(3, ip=same_ip, start_minute=3) + ["42", "", ""]]  # repeats the first entirely
    path = write_csv(tmp_path / "sm.csv", EXTRA + rows)
    cleaned = clean_export(path, sm_wave(unmapped="ignore"), check_bases=False)
    assert cleaned.excluded[["_row", "reason"]].values.tolist() == [[5, "duplicates"]]
    reason = cleaned.log.set_index("step").loc["duplicates", "reason"]
    # by hand: country, trafficking_link and trafficking_regions (its option columns part of it); Shoe size, Dog, Cat
    assert reason == ("same IP Address as an earlier submission, with identical answers to all 3 question(s) of "
                      "sm-wave.yaml and in the 3 column(s) of the export it ignores")


@pytest.mark.parametrize("changes, key, column", [
    ({"respondent_id": "Response ID"}, "respondent_id", "Response ID"),
    ({"exclusions": {**SM_WAVE["exclusions"], "test_rows": {"column": "Collector", "values": ["1"]}}},
     "exclusions.test_rows.column", "Collector"),
    ({"exclusions": {**SM_WAVE["exclusions"], "duplicates": {"columns": ["IP"]}}},
     "exclusions.duplicates.columns[0]", "IP"),
])
def test_a_column_a_rule_names_must_be_a_metadata_column(changes, key, column):
    with pytest.raises(ConfigError) as error:
        parse_wave({**SM_WAVE, **changes}, CODEBOOK, "sm-wave.yaml")
    message = str(error.value)
    assert message.startswith(f"sm-wave.yaml: {key} names the column {column!r}, which metadata_columns does not list")
    assert "remove the rule" in message and "\n" not in message


def test_a_wave_without_exclusions_screens_nothing_and_says_so(tmp_path):
    path = write_csv(tmp_path / "sm.csv", SM_HEADER + [sm_row(1, start_minute=1), sm_row(2, start_minute=2)])
    cleaned = clean_export(path, parse_wave({**SM_WAVE, "exclusions": {}}, CODEBOOK, "sm-wave.yaml"), check_bases=False)
    assert len(cleaned.responses) == 2 and cleaned.excluded.empty
    log = cleaned.log.set_index("step")["reason"]
    assert log["test_rows"] == log["duplicates"] == log["speeders"] == "not configured"


STATUS_CODES = [("IP Address", "0"), ("Survey Preview", "1"), ("Survey Test", "2"), ("Imported", "4"), ("Spam", "8"),
                ("Offline", "16")]


@pytest.mark.parametrize("form", ["choice text", "numeric values"])
def test_qualtrics_status_and_finished_are_screened_in_either_form(tmp_path, form):
    """A test per code: the wave file names the response types in words; an export with numeric
    values writes them as codes, and the same rows are screened."""
    rows = []
    for i, (word, code) in enumerate(STATUS_CODES, start=1):
        rows.append(q_row(i, status=word if form == "choice text" else code,
                          finished="True" if form == "choice text" else "1"))
    rows.append(q_row(7, finished="False" if form == "choice text" else "0"))  # a partial response
    path = write_csv(tmp_path / "q.csv", Q_HEADER + rows, lineterminator="\n")
    spec = {"exclusions": {"test_rows": {"column": "Status", "values": ["Survey Preview", "Survey Test", "Spam"]},
                           "incomplete": {"column": "Finished", "complete_values": ["True"]}}}
    cleaned = clean_export(path, q_wave(**spec), check_bases=False)
    reasons = dict(zip(cleaned.excluded["respondent_id"], cleaned.excluded["reason"]))
    assert reasons == {"R_2": "test_rows", "R_3": "test_rows", "R_5": "test_rows", "R_7": "incomplete"}
    assert cleaned.responses["respondent_id"].tolist() == ["R_1", "R_4", "R_6"]  # ordinary, imported, offline
