"""Codes from a Qualtrics survey definition (``.qsf``) named in the wave file.

The definition is written here by our own code from the documented ``.qsf`` layout (no
third-party file): ``SurveyElements`` with one ``SQ`` element per question, ``Choices``,
``RecodeValues`` and, for a matrix, ``Answers``. Its recoded values are chosen so that they are
NOT the choice ids (workload reversed 3-2-1, regions reversed 5..1): a reader that took choice ids
for codes, or codes for choice ids, maps answers to the wrong option. Every export must give the
responses of the choice-text export of test_qualtrics_layouts (a second method).
"""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from netclean_survey.clean.stage import clean_export
from netclean_survey.clean.survey_definition import choice_text
from netclean_survey.core.codebook import parse_wave
from netclean_survey.core.errors import ConfigError

from crafted_waves import QUALTRICS_WAVE, SM_WAVE
from test_clean import write_csv
from test_qualtrics_layouts import (ANSWERS, CHOICES, CODEBOOK, METADATA, METADATA_IMPORT, METADATA_TEXTS, WORKLOAD,
                                    metadata_cells, reference, split_header)

WORKLOAD_RECODE = {"1": "3", "2": "2", "3": "1"}  # choice id -> the value a numeric export writes
REGION_RECODE = {"1": "5", "2": "4", "3": "3", "4": "2", "5": "1"}
WORKLOAD_CHOICE = {"more_demanding": "1", "unchanged": "2", "less_demanding": "3"}
REGION_CHOICE = {oid: code for oid, _, code in CHOICES}


def definition(matrix=False) -> dict:
    """A .qsf: Q2 a single choice (or, with ``matrix``, row 1 of a matrix Q7 whose answers are the
    workload scale) and Q3 a multiple-answer question, with HTML in one display text."""
    workload_choices = {"1": {"Display": "More demanding"}, "2": {"Display": "<b>About the same</b>"},
                        "3": {"Display": "Less demanding"}}
    if matrix:
        workload = {"QuestionID": "QID7", "DataExportTag": "Q7", "QuestionType": "Matrix", "Selector": "Likert",
                    "SubSelector": "SingleAnswer", "QuestionText": "How has your work changed?",
                    "Choices": {"1": {"Display": "Workload"}, "2": {"Display": "Hours"}},
                    "Answers": workload_choices, "RecodeValues": WORKLOAD_RECODE}
    else:
        workload = {"QuestionID": "QID2", "DataExportTag": "Q2", "QuestionType": "MC", "Selector": "SAVR",
                    "QuestionText": "Workload?", "Choices": workload_choices, "RecodeValues": WORKLOAD_RECODE}
    regions = {"QuestionID": "QID3", "DataExportTag": "Q3", "QuestionType": "MC", "Selector": "MAVR",
               "QuestionText": "Where?", "RecodeValues": REGION_RECODE,
               "Choices": {code: ({"Display": text, "TextEntry": "true"} if oid == "africa" else {"Display": text})
                           for oid, text, code in CHOICES}}
    elements = [{"SurveyID": "SV_1", "Element": "BL", "PrimaryAttribute": "Survey Blocks", "Payload": []}]
    elements += [{"SurveyID": "SV_1", "Element": "SQ", "PrimaryAttribute": p["QuestionID"], "Payload": p}
                 for p in (workload, regions)]
    return {"SurveyEntry": {"SurveyID": "SV_1", "SurveyName": "Crafted"}, "SurveyElements": elements}


def wave(tmp_path, matrix=False, **changes):
    spec = copy.deepcopy(QUALTRICS_WAVE)
    spec["questions"]["victim_regions"]["options"]["africa"] = ["Other region"]
    spec["questions"]["victim_regions"]["other_text"] = {"option": "africa", "column": "Q3_5_TEXT"}
    if matrix:
        spec["questions"]["workload_change"]["column"] = "Q7_1"
    (tmp_path / "survey.qsf").write_text(json.dumps(definition(matrix)), encoding="utf-8")
    spec.update(survey_definition=str(tmp_path / "survey.qsf"), ignore=["Q7_2"], **changes)
    return parse_wave(spec, CODEBOOK, "q-wave.yaml")


def recoded_rows(split: bool, matrix=False):
    """A numeric-values export: workload by its recoded value; regions joined by recoded values, or
    split into Q3_<choice id> columns holding 1."""
    rows = []
    for rid, (work, ticked, other) in ANSWERS.items():
        workload = "" if work is None else WORKLOAD_RECODE[WORKLOAD_CHOICE[work]]
        extra = ["2"] if matrix else []  # Q7_2, the matrix's other row: ignored
        if split:
            regions = ["1" if oid in ticked else "" for oid, _, _ in CHOICES]
        else:
            regions = [",".join(REGION_RECODE[REGION_CHOICE[oid]] for oid in ticked)]
        rows.append(metadata_cells(rid, True) + [workload] + extra + regions + [other])
    return rows


def joined_header(matrix=False):
    workload = (["Q7_1", "Q7_2"], ["How has your work changed? - Workload", "How has your work changed? - Hours"],
                [{"ImportId": "QID7_1"}, {"ImportId": "QID7_2"}]) if matrix else (["Q2"], ["Workload?"], [{"ImportId": "QID2"}])
    ids = METADATA + workload[0] + ["Q3", "Q3_5_TEXT"]
    texts = METADATA_TEXTS + workload[1] + ["Where?", "Where? - Other region - Text"]
    imports = [{"ImportId": i} for i in METADATA_IMPORT] + workload[2] + [{"ImportId": "QID3"}, {"ImportId": "QID3_5_TEXT"}]
    return [ids, texts, [json.dumps(i, separators=(",", ":")) for i in imports]]


@pytest.mark.parametrize("layout", ["joined", "split", "matrix-joined"])
def test_recoded_values_read_through_the_survey_definition(tmp_path, layout):
    matrix = layout.startswith("matrix")
    header = split_header() if layout == "split" else joined_header(matrix)
    path = write_csv(tmp_path / "q.csv", header + recoded_rows(layout == "split", matrix))
    cleaned = clean_export(path, wave(tmp_path, matrix), check_bases=False)
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))


def test_without_the_definition_the_recoded_values_are_not_guessed(tmp_path):
    """The same numeric export, codes typed as choice ids (the mistake the definition prevents):
    the run does not publish reversed answers silently, it stops or maps by the codes it was given."""
    path = write_csv(tmp_path / "q.csv", joined_header() + recoded_rows(False))
    spec = copy.deepcopy(QUALTRICS_WAVE)
    spec["questions"]["victim_regions"]["options"]["africa"] = ["Other region"]
    spec["questions"]["victim_regions"]["other_text"] = {"option": "africa", "column": "Q3_5_TEXT"}
    spec["questions"]["workload_change"]["codes"] = {oid: int(c) for oid, c in WORKLOAD_CHOICE.items()}
    spec["questions"]["victim_regions"]["codes"] = {oid: int(c) for oid, c in REGION_CHOICE.items()}
    responses = clean_export(path, parse_wave(spec, CODEBOOK, "q-wave.yaml"), check_bases=False).responses
    assert not responses.equals(reference(tmp_path))  # the definition is what makes the codes right
    counts = responses["workload_change"].value_counts().to_dict()
    assert counts == {"less_demanding": 2, "unchanged": 1, "more_demanding": 1}  # reversed, worked by hand


def test_codes_the_wave_file_gives_must_agree_with_the_definition(tmp_path):
    w = wave(tmp_path)
    assert w.survey_definition.endswith("survey.qsf")
    spec = copy.deepcopy(QUALTRICS_WAVE)
    spec["questions"]["workload_change"]["codes"] = {"more_demanding": 1}  # the definition says 3
    (tmp_path / "survey.qsf").write_text(json.dumps(definition()), encoding="utf-8")
    spec["survey_definition"] = str(tmp_path / "survey.qsf")
    path = write_csv(tmp_path / "q.csv", joined_header() + recoded_rows(False))
    with pytest.raises(ConfigError, match=r"questions.workload_change.codes.more_demanding: \['1'\] in the wave file, "
                       r"but the survey definition .* gives its choice 'More demanding' the value 3"):
        clean_export(path, parse_wave(spec, CODEBOOK, "q-wave.yaml"), check_bases=False)


@pytest.mark.parametrize("content, message", [
    (None, r"survey_definition: .*survey.qsf does not exist"),
    ("Q1,Q2\n", r"is not a Qualtrics survey definition \(.qsf is JSON"),
    ('{"SurveyEntry": {}}', r"has no SurveyElements: not a Qualtrics .qsf file"),
])
def test_a_definition_that_is_not_one_is_named(tmp_path, content, message):
    w = wave(tmp_path)
    (tmp_path / "survey.qsf").unlink()
    if content is not None:
        (tmp_path / "survey.qsf").write_text(content, encoding="utf-8")
    path = write_csv(tmp_path / "q.csv", joined_header() + recoded_rows(False))
    with pytest.raises(ConfigError, match=message):
        clean_export(path, w, check_bases=False)


def test_a_column_the_definition_lacks_is_named_with_its_questions(tmp_path):
    w = wave(tmp_path)
    data = definition()
    data["SurveyElements"][1]["Payload"]["DataExportTag"] = "Q9"
    (tmp_path / "survey.qsf").write_text(json.dumps(data), encoding="utf-8")
    path = write_csv(tmp_path / "q.csv", joined_header() + recoded_rows(False))
    with pytest.raises(ConfigError, match=r"questions.workload_change: column 'Q2' is no question of the survey "
                       r"definition .*survey.qsf \(its questions are \['Q3', 'Q9'\]"):
        clean_export(path, w, check_bases=False)


def test_a_definition_is_for_qualtrics_only(tmp_path):
    with pytest.raises(ConfigError, match="survey_definition names a Qualtrics survey definition"):
        parse_wave({**SM_WAVE, "survey_definition": "x.qsf"}, CODEBOOK, "w.yaml")


def test_choice_texts_lose_their_html_as_in_an_export():
    assert choice_text("<b>About&nbsp;the</b> <i>same</i> &amp; more") == "About\xa0the same & more"
    assert WORKLOAD["unchanged"][0] == "About the same"
