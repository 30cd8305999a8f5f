"""Every Qualtrics layout the reader reads, written here by our own code from Qualtrics' documented
export formats (no third-party file): the current three-row header, the "Insights" header (its
third row a Python dict) and the legacy two-row header (metadata named V1..V10, a trailing empty
column); answers as choice texts or numeric codes; tick-all questions joined in one cell or split
into one column per choice; a text box on a choice (``_TEXT``); ``-99`` as "seen, not answered".

The same five respondents answer in every layout, so every layout must give the same responses
as the plain choice-text export (a second method), and the counts worked by hand below:
workload_change more_demanding 2, unchanged 1, less_demanding 1, not answered 1; victim_regions
answered by 4: north_america 1, central_america 2, europe 2, asia 2, africa ("Other") 1.
"""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from netclean_survey.clean.screen import PLATFORM_CODES
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, parse_wave
from netclean_survey.core.errors import ConfigError, ExportError
from netclean_survey.core.yamlfile import read_yaml

from crafted_waves import QUALTRICS_WAVE
from test_clean import write_csv

CODEBOOK = load_codebook("config/questionnaire.yaml")

CHOICES = [  # (option id, choice text, choiceId / code)
    ("north_america", "North America", "1"),
    ("central_america", "Central America (incl. Mexico, the Caribbean)", "2"),
    ("europe", "Europe", "3"),
    ("asia", "Asia", "4"),
    ("africa", "Other region", "5"),
]
WORKLOAD = {"more_demanding": ("More demanding", "1"), "unchanged": ("About the same", "2"), "less_demanding": ("Less demanding", "3")}
# respondent -> (workload option or None, ticked options, text of the "Other" box)
ANSWERS = {
    "R_1": ("more_demanding", ["north_america", "central_america", "asia"], ""),
    "R_2": ("unchanged", ["europe"], ""),
    "R_3": ("less_demanding", [], ""),
    "R_4": ("more_demanding", ["europe", "asia", "africa"], "Greenland"),
    "R_5": (None, ["central_america"], ""),
}
TEXT = {oid: text for oid, text, _ in CHOICES}
CODE = {oid: code for oid, _, code in CHOICES}

METADATA = ["ResponseId", "Status", "Finished", "Duration (in seconds)", "IPAddress"]
METADATA_TEXTS = ["Response ID", "Response Type", "Finished", "Duration (in seconds)", "IP Address"]
METADATA_IMPORT = ["_recordId", "status", "finished", "duration", "ipAddress"]


def wave(numeric=False, legacy=False, **changes):
    spec = copy.deepcopy(QUALTRICS_WAVE)
    spec["questions"]["victim_regions"]["options"]["africa"] = ["Other region"]
    spec["questions"]["victim_regions"]["other_text"] = {"option": "africa", "column": "Q3_5_TEXT"}
    if numeric:
        spec["questions"]["workload_change"]["codes"] = {oid: int(code) for oid, (_, code) in WORKLOAD.items()}
        spec["questions"]["victim_regions"]["codes"] = {oid: int(code) for oid, _, code in CHOICES}
    if legacy:  # the legacy export names its metadata V1..V10
        spec.update(respondent_id="V1", metadata_columns=[f"V{i}" for i in range(1, 11)],
                    duration={"start": "V8", "end": "V9", "format": "%Y-%m-%d %H:%M:%S"})
        spec["exclusions"] = {"test_rows": {"column": "V7", "values": ["1", "2"]},
                              "incomplete": {"column": "V10", "complete_values": ["1"]},
                              "duplicates": {"columns": ["V6"], "same_answers": True},
                              "speeders": {"min_share_of_median": 0.3}}
    spec.update(changes)
    return parse_wave(spec, CODEBOOK, "q-wave.yaml")


def metadata_cells(rid, numeric, status=None):
    status = status or ("0" if numeric else "IP Address")
    return [rid, status, "1" if numeric else "True", "600", f"198.51.100.{rid[2:]}"]


def workload_cell(option, numeric):
    return "" if option is None else WORKLOAD[option][1 if numeric else 0]


def joined_export(numeric=False, extra_rows=()):
    """The current layout, tick-all joined in one cell ("1,2,4" or the choice texts)."""
    header = [METADATA + ["Q2", "Q3", "Q3_5_TEXT"],
              METADATA_TEXTS + ["Workload?", "Where?", "Where? - Other region - Text"],
              [json.dumps({"ImportId": i}, separators=(",", ":")) for i in METADATA_IMPORT + ["QID2", "QID3", "QID3_5_TEXT"]]]
    rows = []
    for rid, (work, ticked, other) in ANSWERS.items():
        cell = ",".join(CODE[o] if numeric else TEXT[o] for o in ticked)
        rows.append(metadata_cells(rid, numeric) + [workload_cell(work, numeric), cell, other])
    return header + rows + list(extra_rows)


def split_header(numeric_import=True, insights=False):
    ids = METADATA + ["Q2"] + [f"Q3_{code}" for _, _, code in CHOICES] + ["Q3_5_TEXT"]
    texts = METADATA_TEXTS + ["Workload?"] + [f"Where? - {text}" for _, text, _ in CHOICES] + ["Where? - Other region - Text"]
    imports = [{"ImportId": i} for i in METADATA_IMPORT] + [{"ImportId": "QID2"}]
    if insights:
        imports += [{"ImportId": f"QID3-{code}"} for _, _, code in CHOICES] + [{"ImportId": "QID3_5_TEXT"}]
        return [ids, texts, [repr(i) for i in imports]]
    imports += [{"ImportId": "QID3", "choiceId": code} for _, _, code in CHOICES] + [{"ImportId": "QID3_5_TEXT"}]
    return [ids, texts, [json.dumps(i, separators=(",", ":")) for i in imports]]


def split_rows(numeric, unticked="", workload_numeric=None):
    rows = []
    for rid, (work, ticked, other) in ANSWERS.items():
        ticks = [("1" if numeric else TEXT[o]) if o in ticked else unticked for o, _, _ in CHOICES]
        workload = workload_cell(work, numeric if workload_numeric is None else workload_numeric)
        rows.append(metadata_cells(rid, numeric) + [workload] + ticks + [other])
    return rows


def legacy_export():
    """Two header rows, metadata V1..V10 (ResponseID ... Finished), split tick-all holding 1, and the
    empty column without a header a legacy export often ends with."""
    ids = [f"V{i}" for i in range(1, 11)] + ["Q2"] + [f"Q3_{code}" for _, _, code in CHOICES] + ["Q3_5_TEXT", ""]
    texts = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
             "StartDate", "EndDate", "Finished", "Workload?"] + [f"Where?-{text}" for _, text, _ in CHOICES] + ["Where?-TEXT", ""]
    rows = []
    for k, (rid, (work, ticked, other)) in enumerate(ANSWERS.items()):
        metadata = [rid, "Default Response Set", "Anonymous", "", "", f"198.51.100.{k + 1}", "0",
                    f"2016-06-10 10:0{k}:00", f"2016-06-10 10:1{k}:00", "1"]
        rows.append(metadata + [workload_cell(work, True)] + ["1" if o in ticked else "" for o, _, _ in CHOICES] + [other, ""])
    preview = ["R_9", "Default Response Set", "Anonymous", "", "", "198.51.100.9", "1", "2016-06-10 11:00:00",
               "2016-06-10 11:10:00", "1", "1", "1", "", "", "", "", "", ""]
    return [ids, texts] + rows + [preview]


def expected_counts(responses):
    workload = responses["workload_change"].value_counts()
    ticks = {oid: int(responses[f"victim_regions__{oid}"].sum()) for oid, _, _ in CHOICES}
    return {k: int(v) for k, v in workload.items()}, int(responses["workload_change"].isna().sum()), ticks


def reference(tmp_path):
    return clean_export(write_csv(tmp_path / "reference.csv", joined_export()), wave(), check_bases=False).responses


def test_the_choice_text_export_gives_the_counts_worked_by_hand(tmp_path):
    responses = reference(tmp_path)
    counts, missing, ticks = expected_counts(responses)
    assert counts == {"more_demanding": 2, "unchanged": 1, "less_demanding": 1} and missing == 1
    assert ticks == {"north_america": 1, "central_america": 2, "europe": 2, "asia": 2, "africa": 1}
    assert int(responses["victim_regions__europe"].notna().sum()) == 4  # R_3 ticked nothing: not in the base
    assert responses.set_index("respondent_id").loc["R_4", "victim_regions__africa__text"] == "Greenland"


@pytest.mark.parametrize("rows, numeric, legacy", [
    pytest.param(lambda: joined_export(numeric=True), True, False, id="numeric-joined"),
    pytest.param(lambda: split_header() + split_rows(numeric=False), False, False, id="split-choice-text"),
    pytest.param(lambda: split_header() + split_rows(numeric=True), True, False, id="split-numeric"),
    pytest.param(lambda: split_header() + split_rows(numeric=True, unticked="0"), True, False, id="split-numeric-zeros"),
    pytest.param(lambda: split_header(insights=True) + split_rows(numeric=False), False, False, id="insights-split"),
    pytest.param(legacy_export, True, True, id="legacy-split-numeric"),
])
def test_every_layout_gives_the_responses_of_the_choice_text_export(tmp_path, rows, numeric, legacy):
    path = write_csv(tmp_path / "q.csv", rows())
    cleaned = clean_export(path, wave(numeric=numeric, legacy=legacy), check_bases=False)
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))
    if legacy:  # the preview row (V7 = 1) screened; the empty trailing column said in the log
        assert dict(zip(cleaned.log["step"], cleaned.log["excluded"]))["test_rows"] == 1
        assert "column 'column 18, without a header and empty' not analysed" in " ".join(cleaned.log["reason"])


def test_split_columns_are_placed_by_their_choice_text_without_codes(tmp_path):
    # no codes in the wave file: Q3_1.. are placed by the text after "Where? - " in row 2
    path = write_csv(tmp_path / "q.csv", split_header() + split_rows(numeric=True, workload_numeric=False))
    cleaned = clean_export(path, wave(numeric=False), check_bases=False)
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))


def test_numeric_status_and_finished_are_screened(tmp_path):
    extra = [metadata_cells("R_7", True, status="1") + ["1", "3", ""],  # a survey preview
             metadata_cells("R_8", True, status="2") + ["1", "3", ""],  # a survey test
             metadata_cells("R_6", True)[:2] + ["0"] + metadata_cells("R_6", True)[3:] + ["1", "3", ""]]  # unfinished
    path = write_csv(tmp_path / "q.csv", joined_export(numeric=True, extra_rows=extra))
    cleaned = clean_export(path, wave(numeric=True), check_bases=False)
    steps = dict(zip(cleaned.log["step"], cleaned.log["excluded"]))
    assert steps["test_rows"] == 2 and steps["incomplete"] == 1
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))


def test_missing_codes_read_as_not_answered_and_counted(tmp_path):
    rows = joined_export(numeric=True)
    rows[3 + 4][5] = "-99"  # R_5 saw the workload question and did not answer
    path = write_csv(tmp_path / "q.csv", rows)
    with pytest.raises(ExportError, match=r"'-99' in column 'Q2' \(workload_change\): 1 row\(s\), rows 8"):
        clean_export(path, wave(numeric=True), check_bases=False)
    cleaned = clean_export(path, wave(numeric=True, missing_codes=[-99]), check_bases=False)
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))
    line = cleaned.log[cleaned.log["step"] == "missing_codes"]
    assert line["reason"].tolist() == ["column 'workload_change': 1 cell(s) hold a missing code (-99), read as not answered"]
    assert int(line["excluded"].iat[0]) == 0


def test_a_split_column_no_option_matches_is_named_with_what_to_add(tmp_path):
    header = split_header()
    header[1][METADATA.index("IPAddress") + 2] = "Where? - North Am."  # its text no longer matches a label
    path = write_csv(tmp_path / "q.csv", header + split_rows(numeric=True, workload_numeric=False))
    with pytest.raises(ExportError) as error:
        clean_export(path, wave(numeric=False), check_bases=False)
    message = str(error.value)
    assert "split tick-all columns that no option of the wave file matches" in message
    assert "'Q3_1' ('Where? - North Am.'), choice '1', cells ['1']" in message
    assert "questions.victim_regions.codes (e.g. `<option_id>: 1`)" in message
    assert "Traceback" not in message


def test_a_tick_that_is_not_the_choice_is_an_unknown_label(tmp_path):
    rows = split_header() + split_rows(numeric=False)
    rows[3][METADATA.index("IPAddress") + 2] = "Asia"  # R_1's North America column holds another choice
    with pytest.raises(ExportError, match=r"labels the wave file does not know:\n  - 'Asia' in column 'Q3'"):
        clean_export(write_csv(tmp_path / "q.csv", rows), wave(), check_bases=False)


def test_an_unreadable_importid_row_is_named(tmp_path):
    header = split_header(insights=True)
    header[2][6] = "{'ImportId': QID3-1}"  # not a Python literal
    with pytest.raises(ExportError, match=r"row 3, column 7: .* is not the ImportId of a column; a Qualtrics \"Insights\" export"):
        clean_export(write_csv(tmp_path / "q.csv", header + split_rows(numeric=False)), wave(), check_bases=False)


def test_a_code_that_is_also_another_options_label_is_refused():
    with pytest.raises(ConfigError, match=r"'3' stands for both less_demanding and unchanged|'3' stands for both"):
        parse_wave({**QUALTRICS_WAVE, "questions": {"workload_change": {
            "column": "Q2", "options": {"more_demanding": ["More demanding"], "unchanged": ["3"]},
            "codes": {"less_demanding": 3}}}}, CODEBOOK, "q-wave.yaml")


def test_a_choice_whose_code_and_text_name_different_options_is_refused(tmp_path):
    header = split_header()
    header[1][METADATA.index("IPAddress") + 2] = "Where? - Asia"  # choice 1 is written as Asia, code 1 is north_america
    path = write_csv(tmp_path / "q.csv", header + split_rows(numeric=True))
    with pytest.raises(ExportError, match=r"column 'Q3_1' \('Where\? - Asia'\) of Q3 \(victim_regions\) is choice '1', "
                       r"which `codes:` gives to north_america, while its text is a label of asia"):
        clean_export(path, wave(numeric=True), check_bases=False)


def test_loop_and_merge_columns_are_named_with_what_to_do(tmp_path):
    rows = joined_export()
    looped = [[*r[:5], r[5], r[5], *r[6:]] for r in rows]  # Q2 asked in two loops: 1_Q2, 2_Q2
    looped[0][5:7], looped[1][5:7] = ["1_Q2", "2_Q2"], ["1 - Workload?", "2 - Workload?"]
    looped[2][5:7] = ['{"ImportId":"1_QID2"}', '{"ImportId":"2_QID2"}']
    with pytest.raises(ExportError) as error:
        clean_export(write_csv(tmp_path / "q.csv", looped), wave(), check_bases=False)
    message = str(error.value)
    assert message.startswith("q.csv: the header lacks the columns ['Q2'] named in q-wave.yaml".replace("q.csv", str(tmp_path / "q.csv")))
    assert "The columns Q2: ['1_Q2', '2_Q2'] are loop-and-merge columns" in message
    assert "(`column: 1_Q2`)" in message and 'ignore: ["*_Q2"]' in message
    questions = copy.deepcopy(QUALTRICS_WAVE["questions"])
    questions["workload_change"]["column"] = "1_Q2"
    questions["victim_regions"]["options"]["africa"] = ["Other region"]
    questions["victim_regions"]["other_text"] = {"option": "africa", "column": "Q3_5_TEXT"}
    with pytest.raises(ExportError, match=r"(?s)columns the wave file q-wave.yaml does not know:\n  - column 7 '2_Q2'.*"
                       r"The columns Q2: \['2_Q2'\] are loop-and-merge columns"):
        clean_export(write_csv(tmp_path / "q.csv", looped), wave(questions=questions), check_bases=False)
    responses = clean_export(write_csv(tmp_path / "q.csv", looped), wave(questions=questions, ignore=["*_Q2"]),
                             check_bases=False).responses
    pd.testing.assert_frame_equal(responses, reference(tmp_path))  # loop 1 read as the question, as suggested


def test_the_time_zone_of_the_importid_is_named_where_times_meet_the_fieldwork(tmp_path):
    """The shipped 2016 export's ImportIds say its times are written in America/Denver."""
    from netclean_survey.core.codebook import load_wave

    shipped = load_wave("config/waves/2016.yaml", CODEBOOK)
    log = clean_export(shipped.raw, shipped).log
    reason = log.loc[log["step"] == "outside_fieldwork", "reason"].item()
    assert reason.endswith("within 2016-06-09 to 2016-09-13 (times as the export writes them, in America/Denver)")
    narrow = parse_wave({**read_yaml("config/waves/2016.yaml"), "fieldwork": {"start": "2016-06-10", "end": "2016-09-13"}},
                        CODEBOOK, "narrow.yaml")
    with pytest.raises(ExportError, match=r"the fieldwork of narrow.yaml \(times as the export writes them, in America/Denver\)"):
        clean_export(shipped.raw, narrow)
    crafted = clean_export(write_csv(tmp_path / "q.csv", joined_export()), wave(), check_bases=False)
    assert "America" not in " ".join(crafted.log["reason"])  # no timeZone in its ImportIds: none named


def test_a_legacy_status_named_in_words_screens_its_numeric_codes(tmp_path):
    """A legacy export writes Status (V7) and Finished (V10) as numbers: a wave file that names the
    response types in words, as for a current export, screens the preview row all the same."""
    words = {"test_rows": {"column": "V7", "values": ["Survey Preview", "Survey Test"]},
             "incomplete": {"column": "V10", "complete_values": ["True"]},
             "duplicates": {"columns": ["V6"], "same_answers": True}, "speeders": {"min_share_of_median": 0.3}}
    cleaned = clean_export(write_csv(tmp_path / "q.csv", legacy_export()), wave(numeric=True, legacy=True, exclusions=words),
                           check_bases=False)
    steps = dict(zip(cleaned.log["step"], cleaned.log["excluded"]))
    assert steps["test_rows"] == 1 and steps["incomplete"] == 0  # R_9, the preview; every other row finished (1)
    pd.testing.assert_frame_equal(cleaned.responses, reference(tmp_path))


@pytest.mark.parametrize("word, code", [pair for pair in PLATFORM_CODES["qualtrics"]["status"] if pair[1] != "0"])
def test_every_status_code_is_screened_by_its_word_and_its_number(tmp_path, word, code):
    """Qualtrics' response types ("Understanding your dataset"): 1 Survey Preview, 2 Survey Test,
    4 Imported, 8 Spam, 16 Offline (0, "IP Address", is an ordinary response). A row written with
    the word is screened by a rule naming the word or the number, and so is one written with the
    number in a numeric export."""
    text_row = metadata_cells("R_8", False, status=word) + ["More demanding", "Europe", ""]
    number_row = metadata_cells("R_7", True, status=code) + ["1", "3", ""]
    exports = {"text": (write_csv(tmp_path / "t.csv", joined_export(extra_rows=[text_row])), False),
               "numeric": (write_csv(tmp_path / "n.csv", joined_export(numeric=True, extra_rows=[number_row])), True)}
    for name, (path, numeric) in exports.items():
        for values in ([word], [code]):
            rules = {"test_rows": {"column": "Status", "values": values}}
            cleaned = clean_export(path, wave(numeric=numeric, exclusions=rules), check_bases=False)
            assert cleaned.excluded["respondent_id"].tolist() == ["R_7" if numeric else "R_8"], (name, values)
