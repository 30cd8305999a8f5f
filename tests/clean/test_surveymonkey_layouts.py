"""SurveyMonkey layouts beyond the condensed one (issue 12): an expanded single choice (one column per
option, as a tick all), an "Other (please specify)" box on a single choice (condensed and expanded)
and on a tick all, and a grid (matrix question) whose rows are single-choice questions mapped by
``row:``. Each fixture export is written here from the documented format: header row 1 the question
text over the first column of each question (blank over its other columns), row 2 the sub-header
("Response", "Open-Ended Response", an option's text, an Other box's text or a grid row's label),
then one row per response. Counts per option are worked out by hand in each test."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from netclean_survey.clean.ingest import read_export
from netclean_survey.clean.screen import screen
from netclean_survey.clean.tidy import (
    free_text_columns,
    published_columns,
    response_schema,
    responses_from_csv_frame,
    responses_to_csv_frame,
    tidy,
)
from netclean_survey.core.codebook import load_codebook, parse_wave
from netclean_survey.core.errors import ConfigError, ExportError

CODEBOOK = load_codebook("config/questionnaire.yaml")
WAVE_FILE = "layouts-wave.yaml"
METADATA = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
TEST_COLLECTOR = "999"

COUNTRY = "In which country do you work?"
WORKLOAD = "Has your work become more or less demanding?"
WORKLOAD_OPTIONS = {"more_demanding": ["More demanding"], "unchanged": ["About the same"],
                    "less_demanding": ["Less demanding"]}
THREAT = "Which type of threat is the most common?"
THREAT_OPTIONS = {"spread_online": ["Threat to spread the images online"],
                  "threat_child": ["Physical threats against the child"]}
OTHER_BOX = "Other (please specify)"
EXTORTED = "What are the children extorted for? (Tick all that apply)"
GRID = "About your investigations"
GRID_ROWS = {"change_3y": "Cases have changed in the last three years",
             "trafficking_link": "I see a connection to trafficking"}
YES_NO = {"yes": ["Yes"], "no": ["No"]}


def wave_of(questions: dict, **changes):
    """A SurveyMonkey wave file (as the dict parse_wave reads) with the given ``questions:``; the
    test collector is screened out, so that each test runs the screens too."""
    spec = {
        "wave": "layouts", "format": "surveymonkey", "raw": "layouts.csv", "respondent_id": "Respondent ID",
        "metadata_columns": METADATA,
        "exclusions": {"test_rows": {"column": "Collector ID", "values": [TEST_COLLECTOR]}},
        "questions": questions,
        **changes,
    }
    return parse_wave(spec, CODEBOOK, WAVE_FILE)


def write_export(path, questions: list[tuple[str, list[str]]], answers: list[list[str]], test_rows=()):
    """A SurveyMonkey CSV export: the metadata columns, then per (question text, sub-headers) one
    column per sub-header, the text over the first only. ``answers`` are the answer cells of each
    response, in column order; ``test_rows`` the indices of the responses sent by the test collector."""
    top, sub = list(METADATA), [""] * len(METADATA)
    for text, subs in questions:
        top += [text] + [""] * (len(subs) - 1)
        sub += subs
    rows = []
    for i, cells in enumerate(answers, start=1):
        assert len(cells) == len(sub) - len(METADATA), cells
        collector = TEST_COLLECTOR if i - 1 in test_rows else "1"
        rows.append([str(1000 + i), collector, f"05/02/2018 10:{i:02d}:00 AM", f"05/02/2018 11:{i:02d}:00 AM",
                     f"192.0.2.{i}", *cells])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([top, sub, *rows])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
    return path


def clean(path, wave):
    """The clean stage, step by step: read the export, screen it, tidy the rows kept."""
    raw = read_export(path, wave)
    screened = screen(raw, wave)
    return raw, screened, tidy(screened.kept, wave)


def counts(series: pd.Series) -> dict:
    """How many respondents gave each option (categories nobody gave left out), missing as None."""
    tally = series.value_counts(dropna=False)
    return {(None if pd.isna(k) else k): int(v) for k, v in tally.items() if v}


def expanded(chosen: str, labels: list[str]) -> list[str]:
    """The cells of an expanded single choice: the chosen option's text in its column, the rest blank."""
    return [label if label == chosen else "" for label in labels]


def refusal(call, error=ExportError) -> str:
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert "Traceback" not in message
    return message


# --- 1. an expanded single choice ------------------------------------------------------------------

WORKLOAD_LABELS = ["More demanding", "About the same", "Less demanding"]


def test_an_expanded_single_choice_reads_as_the_condensed_one(tmp_path):
    """Row 2 writes the option texts under the single choice, not "Response": the chosen column holds
    the option's text. The raw table has the one column ``workload_change`` (the chosen text)."""
    answers = [
        ["Sweden", *expanded("More demanding", WORKLOAD_LABELS)],
        ["Sweden", *expanded("More demanding", WORKLOAD_LABELS)],
        ["USA", "more demanding ", "", ""],  # stray case and space
        ["Sweden", *expanded("About the same", WORKLOAD_LABELS)],
        ["Sweden", *expanded("About the same", WORKLOAD_LABELS)],
        ["Sweden", *expanded("Less demanding", WORKLOAD_LABELS)],
        ["Sweden", "", "", ""],  # answered nothing
        ["Sweden", *expanded("Less demanding", WORKLOAD_LABELS)],  # the test collector: screened out
    ]
    path = write_export(tmp_path / "layouts.csv", [(COUNTRY, ["Response"]), (WORKLOAD, WORKLOAD_LABELS)], answers,
                        test_rows={7})
    wave = wave_of({"country": {"column": COUNTRY, "options": {"sweden": ["Sweden"], "united_states": ["USA"]}},
                    "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS}})
    raw, screened, responses = clean(path, wave)
    assert [c for c in raw.columns if c not in METADATA] == ["_row", "country", "workload_change"]
    assert raw["workload_change"].tolist()[:4] == ["More demanding", "More demanding", "more demanding ",
                                                   "About the same"]
    assert screened.excluded["reason"].tolist() == ["test_rows"]
    # by hand: 3 more demanding (one with stray case), 2 about the same, 1 less (the other is a test row), 1 blank
    assert counts(responses["workload_change"]) == {"more_demanding": 3, "unchanged": 2, "less_demanding": 1,
                                                    None: 1}
    assert list(responses.columns) == ["respondent_id", "country", "workload_change", "respondent_region"]


def test_two_ticks_on_an_expanded_single_choice_are_refused(tmp_path):
    answers = [
        ["Sweden", *expanded("More demanding", WORKLOAD_LABELS)],
        ["Sweden", "More demanding", "", "Less demanding"],  # row 4
        ["Sweden", *expanded("About the same", WORKLOAD_LABELS)],
        ["Sweden", "", "About the same", "Less demanding"],  # row 6
    ]
    path = write_export(tmp_path / "layouts.csv", [(COUNTRY, ["Response"]), (WORKLOAD, WORKLOAD_LABELS)], answers)
    wave = wave_of({"country": {"column": COUNTRY, "options": {"sweden": ["Sweden"]}},
                    "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS}})
    message = refusal(lambda: read_export(path, wave))
    assert message.startswith(f"{path}: column {WORKLOAD!r} (workload_change) is a single choice")
    assert "2 row(s)" in message and "rows 4, 6" in message
    assert f"columns 7 '{WORKLOAD} / More demanding' and 9 '{WORKLOAD} / Less demanding'" in message
    assert "\n" not in message


def test_an_expanded_option_column_the_wave_file_does_not_map_is_an_unknown_column(tmp_path):
    labels = [*WORKLOAD_LABELS, "Much more demanding"]
    answers = [["Sweden", "", "", "", "Much more demanding"], ["Sweden", *expanded("About the same", labels)]]
    path = write_export(tmp_path / "layouts.csv", [(COUNTRY, ["Response"]), (WORKLOAD, labels)], answers)
    wave = wave_of({"country": {"column": COUNTRY, "options": {"sweden": ["Sweden"]}},
                    "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS}})
    message = refusal(lambda: read_export(path, wave))
    assert f"columns the wave file {WAVE_FILE} does not know" in message
    assert f"column 10 '{WORKLOAD} / Much more demanding': data in 1 row(s), rows 3" in message
    # listed under ignore:, the column is counted in the cleaning log and the rest reads as before
    wave = wave_of({"country": {"column": COUNTRY, "options": {"sweden": ["Sweden"]}},
                    "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS}},
                   ignore=[f"{WORKLOAD} / Much more*"])
    _, screened, responses = clean(path, wave)
    assert counts(responses["workload_change"]) == {"unchanged": 1, None: 1}
    assert "data in 1 row(s)" in screened.log.set_index("step").loc["ignored", "reason"]


def test_an_expanded_cell_that_is_not_its_columns_option_is_an_unknown_label(tmp_path):
    answers = [["Sweden", "Less demanding", "", ""], ["Sweden", *expanded("About the same", WORKLOAD_LABELS)]]
    path = write_export(tmp_path / "layouts.csv", [(COUNTRY, ["Response"]), (WORKLOAD, WORKLOAD_LABELS)], answers)
    wave = wave_of({"country": {"column": COUNTRY, "options": {"sweden": ["Sweden"]}},
                    "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS}})
    message = refusal(lambda: read_export(path, wave))
    assert message.startswith(f"{path}: labels the wave file does not know")
    assert f"'Less demanding' in column {WORKLOAD!r} (workload_change): 1 row(s), rows 3" in message


# --- 2. "Other (please specify)" on a single choice ------------------------------------------------

THREAT_LABELS = ["Threat to spread the images online", "Physical threats against the child"]
THREAT_WAVE = {"column": THREAT, "options": THREAT_OPTIONS, "other_text": {"option": "other", "column": OTHER_BOX}}

# (chosen option's text or "" for none, the Other box's text): the same answers in either layout
THREAT_ANSWERS = [
    ("Threat to spread the images online", ""),
    ("Threat to spread the images online", ""),
    ("Threat to spread the images online", ""),
    ("Physical threats against the child", ""),
    ("", "Threats against a pet"),  # chose Other: SurveyMonkey leaves the answer blank
    ("", "  Threats to siblings "),
    ("", ""),  # answered nothing
    ("Physical threats against the child", "and also to the family"),  # an answer and a text: the answer
    ("", "   "),  # a box of spaces is blank
]
THREAT_TEXTS = [None, None, None, None, "Threats against a pet", "Threats to siblings", None,
                "and also to the family", None]


def threat_export(path, layout: str, test_rows=()):
    if layout == "condensed":
        columns = [(THREAT, ["Response", OTHER_BOX])]
        answers = [[choice, text] for choice, text in THREAT_ANSWERS]
    else:
        columns = [(THREAT, [*THREAT_LABELS, OTHER_BOX])]
        answers = [[*expanded(choice, THREAT_LABELS), text] for choice, text in THREAT_ANSWERS]
    return write_export(path, columns, answers, test_rows=test_rows)


@pytest.mark.parametrize("layout", ["condensed", "expanded"])
def test_other_please_specify_on_a_single_choice(tmp_path, layout):
    """The box's text is kept as free text (listed by free_text_columns, in the schema, never
    published by default); the option is the answer's, else Other when the box holds text."""
    path = threat_export(tmp_path / "layouts.csv", layout)
    wave = wave_of({"threat_most_common": THREAT_WAVE})
    raw, _, responses = clean(path, wave)
    assert [c for c in raw.columns if c.startswith("threat")] == ["threat_most_common",
                                                                 "threat_most_common__other__text"]
    # by hand: 3 spread online, 1 + 1 (answer and text) against the child, 2 other with text, 2 blank
    assert counts(responses["threat_most_common"]) == {"spread_online": 3, "threat_child": 2, "other": 2, None: 2}
    assert responses["threat_most_common__other__text"].astype(object).where(
        responses["threat_most_common__other__text"].notna(), None).tolist() == THREAT_TEXTS
    assert "threat_most_common__other__text" in free_text_columns(wave)
    assert "threat_most_common__other__text" in response_schema(wave).columns
    published = published_columns(responses, wave)
    assert published == ["respondent_id", "threat_most_common"]
    # what the clean stage publishes (no free text) reads back, the text unknown
    back = responses_from_csv_frame(responses_to_csv_frame(responses[published]), wave)
    assert back["threat_most_common"].equals(responses["threat_most_common"])
    assert back["threat_most_common__other__text"].isna().all()


def test_the_other_box_named_in_the_wave_file_must_be_in_the_export(tmp_path):
    path = write_export(tmp_path / "layouts.csv", [(THREAT, ["Response"])],
                        [["Threat to spread the images online"]])
    message = refusal(lambda: read_export(path, wave_of({"threat_most_common": THREAT_WAVE})))
    assert message == (f"{path}: the header lacks the columns (question / option) "
                       f"[\"'{THREAT.lower()}' / 'other (please specify)'\"] named in {WAVE_FILE}")


def test_an_other_box_the_wave_file_does_not_name_is_an_unknown_column(tmp_path):
    path = threat_export(tmp_path / "layouts.csv", "condensed")
    wave = wave_of({"threat_most_common": {"column": THREAT, "options": THREAT_OPTIONS}})
    message = refusal(lambda: read_export(path, wave))
    assert f"column 7 '{THREAT} / {OTHER_BOX}': data in 3 row(s), rows 7, 8, 10" in message


def test_other_please_specify_on_a_tick_all_still_works(tmp_path):
    """A tick all writes no tick column for Other: it is ticked when its box holds text."""
    labels = ["More nude images or videos", "Money"]
    answers = [
        ["More nude images or videos", "Money", ""],
        ["", "Money", "Gift cards"],
        ["", "", "Meeting in person"],  # only the box: in the base, other ticked
        ["More nude images or videos", "", ""],
        ["", "", ""],  # ticked nothing: not in the base
    ]
    path = write_export(tmp_path / "layouts.csv", [(EXTORTED, [*labels, OTHER_BOX])], answers)
    wave = wave_of({"extorted_for": {"column": EXTORTED,
                                     "options": {"more_material": labels[:1], "money": labels[1:]},
                                     "other_text": {"option": "other", "column": OTHER_BOX}}})
    _, _, responses = clean(path, wave)
    ticks = responses[["extorted_for__more_material", "extorted_for__money", "extorted_for__other"]]
    # by hand: of the 4 in the base, 2 more material, 2 money, 2 other; the fifth is outside the base
    assert ticks.sum().tolist() == [2, 2, 2] and ticks.notna().all(axis=1).tolist() == [True] * 4 + [False]
    assert responses["extorted_for__other__text"].tolist()[1:3] == ["Gift cards", "Meeting in person"]
    assert "extorted_for__other__text" not in published_columns(responses, wave)


# --- condensed and expanded: the same responses ----------------------------------------------------


def test_the_condensed_and_the_expanded_layout_of_the_same_answers_give_identical_responses(tmp_path):
    workload = ["More demanding", "About the same", "", "More demanding", "Less demanding", "About the same",
                "More demanding", "", "Less demanding"]
    assert len(workload) == len(THREAT_ANSWERS)
    wave = wave_of({"workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS},
                    "threat_most_common": THREAT_WAVE})
    condensed = write_export(
        tmp_path / "condensed.csv", [(WORKLOAD, ["Response"]), (THREAT, ["Response", OTHER_BOX])],
        [[w, choice, text] for w, (choice, text) in zip(workload, THREAT_ANSWERS)], test_rows={1})
    wide = write_export(
        tmp_path / "expanded.csv", [(WORKLOAD, WORKLOAD_LABELS), (THREAT, [*THREAT_LABELS, OTHER_BOX])],
        [[*expanded(w, WORKLOAD_LABELS), *expanded(choice, THREAT_LABELS), text]
         for w, (choice, text) in zip(workload, THREAT_ANSWERS)], test_rows={1})
    raw_c, screened_c, from_condensed = clean(condensed, wave)
    raw_e, screened_e, from_expanded = clean(wide, wave)
    pd.testing.assert_frame_equal(from_condensed, from_expanded)
    pd.testing.assert_frame_equal(raw_c, raw_e)  # the raw tables too: tidy cannot tell the layouts apart
    pd.testing.assert_frame_equal(screened_c.log, screened_e.log)
    assert len(from_condensed) == 8  # the test row is out
    assert counts(from_expanded["workload_change"]) == {"more_demanding": 3, "less_demanding": 2, "unchanged": 1,
                                                        None: 2}


# --- 3. grids -------------------------------------------------------------------------------------

GRID_LABELS = [GRID_ROWS["change_3y"], GRID_ROWS["trafficking_link"], "I work night shifts"]
GRID_ANSWERS = [["Yes", "Yes", "Yes"], ["Yes", "No", ""], ["No", "No", "No"], ["yes", "", ""], ["", "No", ""],
                ["No", "Yes", ""], ["Yes", "Yes", ""]]


def grid_wave(**changes):
    return wave_of({qid: {"column": GRID, "row": label, "options": YES_NO} for qid, label in GRID_ROWS.items()},
                   **changes)


def test_a_grid_row_is_a_single_choice_question(tmp_path):
    """Row 2 holds one row label per column, each cell the chosen scale label; ``row:`` maps a row
    to its question. The grid row the release does not analyse is ignored."""
    path = write_export(tmp_path / "layouts.csv", [(GRID, GRID_LABELS)], GRID_ANSWERS, test_rows={6})
    wave = grid_wave(ignore=[f"{GRID} / I work night*"])
    assert wave["change_3y"].row == GRID_ROWS["change_3y"] and wave["change_3y"].column == GRID
    raw, screened, responses = clean(path, wave)
    assert [c for c in raw.columns if c not in METADATA] == [
        "_row", "change_3y", "trafficking_link", f"ignored: {GRID} / I work night shifts"]
    # by hand, the last row (a test row) left out: change_3y yes 3 (one lower case), no 2, blank 1;
    # trafficking_link yes 2, no 3, blank 1
    assert counts(responses["change_3y"]) == {"yes": 3, "no": 2, None: 1}
    assert counts(responses["trafficking_link"]) == {"yes": 2, "no": 3, None: 1}
    ignored = screened.log[screened.log["step"] == "ignored"]["reason"].tolist()
    assert ignored == [(f"column '{GRID} / I work night shifts' not analysed (ignore: in {WAVE_FILE}); "
                        "data in 2 row(s)")]


def test_a_grid_row_the_wave_file_does_not_map_is_an_unknown_column(tmp_path):
    path = write_export(tmp_path / "layouts.csv", [(GRID, GRID_LABELS)], GRID_ANSWERS)
    message = refusal(lambda: read_export(path, grid_wave()))
    assert message.startswith(f"{path}: columns the wave file {WAVE_FILE} does not know")
    assert f"column 8 '{GRID} / I work night shifts': data in 2 row(s), rows 3, 5" in message


def test_a_grid_row_named_in_the_wave_file_must_be_in_the_export(tmp_path):
    path = write_export(tmp_path / "layouts.csv", [(GRID, GRID_LABELS[1:])], [row[1:] for row in GRID_ANSWERS])
    message = refusal(lambda: read_export(path, grid_wave(unmapped="ignore")))
    assert message == (f"{path}: the header lacks the columns (question / option) "
                       f"[\"'{GRID.lower()}' / '{GRID_ROWS['change_3y'].lower()}'\"] named in {WAVE_FILE}")


def test_row_is_refused_on_a_tick_all_question():
    questions = {"extorted_for": {"column": EXTORTED, "row": "Money", "options": {"money": ["Money"]}}}
    message = refusal(lambda: wave_of(questions), ConfigError)
    assert message.startswith(f"{WAVE_FILE}: questions.extorted_for.row: 'Money' maps a row of a SurveyMonkey grid")
    assert "extorted_for is a multi question" in message and "remove `row:`" in message
    assert "\n" not in message


@pytest.mark.parametrize("questions, changes, expected", [
    ({"change_text": {"column": GRID, "row": "Describe"}}, {},
     f"{WAVE_FILE}: questions.change_text.row: 'Describe' maps a row of a SurveyMonkey grid"),
    ({"change_3y": {"column": "Q5_1", "row": "Changed", "options": YES_NO}}, {"format": "qualtrics"},
     (f"{WAVE_FILE}: questions.change_3y.row: `row:` names a row of a SurveyMonkey grid, but this wave's export is "
      "`format: qualtrics`")),
    ({"change_3y": {"column": GRID, "row": "Same row", "options": YES_NO},
      "trafficking_link": {"column": GRID, "row": " same  ROW", "options": YES_NO}}, {},
     (f"{WAVE_FILE}: questions.change_3y.row and questions.trafficking_link.row both name the row ' same  ROW' of "
      f"the grid {GRID!r}")),
    ({"change_3y": {"column": GRID, "row": 5, "options": YES_NO}}, {}, f"{WAVE_FILE}: questions.change_3y.row"),
])
def test_other_misuses_of_row_are_one_paragraph(questions, changes, expected):
    message = refusal(lambda: wave_of(questions, **changes), ConfigError)
    assert message.startswith(expected) and "\n" not in message


# --- a "numerical value" export ----------------------------------------------------------------------

def test_a_numerical_value_export_maps_by_codes(tmp_path):
    """SurveyMonkey's "numerical value" download writes each choice's number (its position in the
    question) instead of its text: in a condensed single choice's "Response" column, and in the
    ticked column of a tick all. The wave file maps the numbers under ``codes:``."""
    regions = ["Europe", "Asia", "Oceania, Pacific"]
    answers = [
        ["1", "1", "", ""],  # more demanding; Europe
        ["1", "1", "2", ""],  # more demanding; Europe, Asia
        ["2", "", "", "3"],  # about the same; Oceania
        ["3", "", "", ""],  # less demanding; ticked nothing
        ["", "1", "2", "3"],  # not answered; all three
        ["2", "1", "", ""],  # the test collector: screened out
    ]
    path = write_export(tmp_path / "layouts.csv", [(WORKLOAD, ["Response"]), ("Where?", regions)], answers, test_rows={5})
    wave = wave_of({
        "workload_change": {"column": WORKLOAD, "options": WORKLOAD_OPTIONS,
                            "codes": {"more_demanding": 1, "unchanged": 2, "less_demanding": 3}},
        "victim_regions": {"column": "Where?", "options": {"europe": ["Europe"], "asia": ["Asia"],
                                                                 "oceania": ["Oceania, Pacific"]},
                                "codes": {"europe": 1, "asia": 2, "oceania": 3}},
    })
    _, screened, responses = clean(path, wave)
    assert screened.excluded["reason"].tolist() == ["test_rows"]
    # by hand: 2 more demanding, 1 about the same, 1 less, 1 not answered
    assert counts(responses["workload_change"]) == {"more_demanding": 2, "unchanged": 1, "less_demanding": 1, None: 1}
    ticked = {oid: int(responses[f"victim_regions__{oid}"].sum()) for oid in ("europe", "asia", "oceania")}
    assert ticked == {"europe": 3, "asia": 2, "oceania": 2}
    assert int(responses["victim_regions__europe"].notna().sum()) == 4  # respondent 4 ticked nothing
    wrong = [row[:1] + ["2", "", ""] for row in answers[:1]] + answers[1:]  # Asia's number in Europe's column
    path = write_export(tmp_path / "layouts.csv", [(WORKLOAD, ["Response"]), ("Where?", regions)], wrong, test_rows={5})
    message = refusal(lambda: clean(path, wave))
    assert "'2' in column 'Where?' (victim_regions): 1 row(s), rows 3" in message
