"""``python -m netclean_survey draft-wave``: a wave file drafted from an export reads it.

Checked two ways: with ``--like`` the drafted file of each shipped (synthetic) export gives exactly
the responses and exclusions of the release, made with the hand-written wave files (a second
method); for a crafted export of another survey, the drafted wave file and questionnaire entries
clean it with the counts worked by hand."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netclean_survey.__main__ import main
from netclean_survey.clean.draft import add_to_questionnaire, draft_wave, slug
from netclean_survey.clean.stage import clean_export, write_cleaned
from netclean_survey.core.codebook import load_codebook, load_wave, parse_wave
from netclean_survey.core.yamlfile import read_yaml

from test_clean import write_csv

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")


@pytest.mark.parametrize("wave", ["2016", "2018"])
def test_a_draft_like_the_earlier_wave_gives_the_release_responses(tmp_path, wave):
    like = load_wave(ROOT / "config" / "waves" / f"{wave}.yaml", CODEBOOK)
    draft = draft_wave(ROOT / like.raw, f"{wave}b", CODEBOOK, like)
    assert draft.questionnaire_yaml == ""  # every question placed on the questionnaire
    drafted = parse_wave(yaml.safe_load(draft.wave_yaml), CODEBOOK, "drafted.yaml")
    cleaned = clean_export(ROOT / like.raw, drafted)
    write_cleaned(cleaned, drafted, False, tmp_path / "full.csv", tmp_path / "l.csv", tmp_path / "e.csv", tmp_path / "r.csv",
                  tmp_path / "d.csv")  # r.csv: the responses the release publishes
    release = ROOT / "results" / "netclean-2018" / wave / "clean"
    assert (tmp_path / "r.csv").read_bytes() == (release / "responses.csv").read_bytes()
    assert (tmp_path / "e.csv").read_bytes() == (release / "exclusions.csv").read_bytes()


def test_a_reworded_question_is_placed_by_its_answers_and_an_option_without_a_column_dropped(tmp_path):
    """The 2019 fixture rewords the country question and has no Oceania column: the draft like 2018
    reads it to the responses and exclusions of the hand-written fixture wave file (a second method)."""
    fixture = ROOT / "tests" / "fixtures" / "wave_2019"
    like = load_wave(ROOT / "config" / "waves" / "2018.yaml", CODEBOOK)
    draft = draft_wave(fixture / "2019.csv", "2019", CODEBOOK, like)
    assert draft.questionnaire_yaml == ""
    report = "\n".join(draft.report)
    assert ("guessed: 'In which country are you based?' on country by its option labels (each is country's in "
            f"{like.path}; the question text differs)") in report
    assert "not offered (no column): ['oceania']" in report
    assert "guessed: fieldwork 2019-05-06 to 2019-08-15" in report  # the first start and the last end, worked from the cells
    assert "  country:   # CHECK: guessed by its option labels" in draft.wave_yaml
    drafted = parse_wave(yaml.safe_load(draft.wave_yaml), CODEBOOK, "drafted.yaml")
    assert "oceania" not in drafted["trafficking_regions"].labels
    hand_written = load_wave(fixture / "2019.yaml", CODEBOOK)
    for name, wave in (("drafted", drafted), ("hand", hand_written)):
        write_cleaned(clean_export(fixture / "2019.csv", wave), wave, False, tmp_path / f"{name}-r.csv",
                      tmp_path / f"{name}-l.csv", tmp_path / f"{name}-e.csv")
    for kind in ("r", "e"):
        assert (tmp_path / f"drafted-{kind}.csv").read_bytes() == (tmp_path / f"hand-{kind}.csv").read_bytes()


def test_a_reworded_question_whose_answers_fit_two_questions_is_drafted_not_guessed(tmp_path):
    rows = [["Respondent ID", "Is this a new yes/no question?"], ["", "Response"], ["1", "Yes"], ["2", "No"]]
    write_csv(tmp_path / "yesno.csv", rows)
    draft = draft_wave(tmp_path / "yesno.csv", "x", CODEBOOK)  # change_3y and trafficking_link both answer Yes/No
    assert [line.split(" (")[0] for line in draft.report if "yes_no" in line] == ["drafted: is_this_a_new_yes_no_question"]
    assert not any(line.startswith("guessed: 'Is this") for line in draft.report)


OTHER_SURVEY = [  # a SurveyMonkey export of another survey: one question the questionnaire has, two it lacks
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "In which country do you work?",
     "How many years have you served?", "Which platforms do offenders use? (Tick all that apply)", "", "Comments"],
    ["", "", "", "", "", "Response", "Response", "Chat apps", "Games", "Open-Ended Response"],
]


def other_row(k, country, years, chat, games):
    return [str(100 + k), "7", f"05/0{k}/2019 10:00:00 AM", f"05/0{k}/2019 10:20:00 AM", f"192.0.2.{k}", country, years,
            "Chat apps" if chat else "", "Games" if games else "", "a comment" if k == 1 else ""]


def test_an_export_of_another_survey_runs_with_the_drafted_files(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy2(ROOT / "config" / "questionnaire.yaml", tmp_path / "questionnaire.yaml")
    rows = [other_row(1, "Sweden", "0-5", True, False), other_row(2, "Sweden", "6-10", True, True),
            other_row(3, "Norway", "0-5", False, True), other_row(4, "Norway", "0-5", False, False)]
    write_csv(tmp_path / "other.csv", OTHER_SURVEY + rows)
    status = main(["draft-wave", "other.csv", "--wave", "other", "--questionnaire", "questionnaire.yaml",
                   "--out", "other.yaml"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "placed: 'In which country do you work?' on country by its question text; 2 options" in printed
    assert "drafted: how_many_years_have_you_served (single, 2 options)" in printed
    assert "drafted: which_platforms_do_offenders_use_tick_al (multi, 2 options)" in printed
    assert "not placed: free-text column 'Comments'" in printed
    codebook = load_codebook("questionnaire.yaml")  # the drafted entries parse, the old ones are untouched
    assert codebook["how_many_years_have_you_served"].option_ids == ["q_0_5", "q_6_10"]
    assert len(codebook.ids) == len(CODEBOOK.ids) + 2
    wave = load_wave("other.yaml", codebook)
    cleaned = clean_export("other.csv", wave)
    r = cleaned.responses
    assert r["country"].value_counts().to_dict() == {"sweden": 2, "norway": 2}
    assert r["how_many_years_have_you_served"].value_counts().to_dict() == {"q_0_5": 3, "q_6_10": 1}
    ticks = "which_platforms_do_offenders_use_tick_al"
    assert int(r[f"{ticks}__chat_apps"].sum()) == 2 and int(r[f"{ticks}__games"].sum()) == 2
    assert int(r[f"{ticks}__games"].notna().sum()) == 3  # respondent 4 ticked nothing: not in the base
    assert "respondent_region" in r  # derived from country, as for the shipped waves
    assert read_yaml("other.yaml")["ignore"] == ["Comments"]  # free text: ignored, counted in the log
    assert "column 'Comments / Open-Ended Response' not analysed" in " ".join(cleaned.log["reason"])


def test_draft_wave_refuses_in_one_paragraph(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.csv.gz").write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert main(["draft-wave", "export.csv.gz", "--wave", "x", "--questionnaire",
                 str(ROOT / "config" / "questionnaire.yaml"), "--out", "x.yaml"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("draft-wave: export.csv.gz: a gzip-compressed file, not an export draft-wave reads")
    assert "Traceback" not in error and error.count("\n") == 1
    (tmp_path / "x.yaml").write_text("kept\n", encoding="utf-8")
    assert main(["draft-wave", "export.csv.gz", "--wave", "x", "--out", "x.yaml"]) == 2
    assert "x.yaml exists: draft-wave does not overwrite a wave file" in capsys.readouterr().err
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == "kept\n"


def test_ids_are_ascii_unique_and_yaml_safe():
    taken = {"country"}
    assert [slug(t, taken) for t in ("Country", "Ålder (år)?", "Ålder (år)?", "0-5", "yes")] == [
        "country_2", "alder_ar", "alder_ar_2", "q_0_5", "yes"]
    text = "questions:\n  - id: a\nderived_questions:\n  - id: b\n"
    assert add_to_questionnaire(text, "  - id: new\n") == "questions:\n  - id: a\n  - id: new\n\nderived_questions:\n  - id: b\n"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`draft-wave ... | head -1`: the pipe closes before the report is printed."""
    shutil.copy2(ROOT / "config" / "questionnaire.yaml", tmp_path / "questionnaire.yaml")
    command = [sys.executable, "-m", "netclean_survey", "draft-wave", str(ROOT / "resources" / "raw" / "2018.csv"),
               "--wave", "x", "--like", str(ROOT / "config" / "waves" / "2018.yaml"),
               "--questionnaire", "questionnaire.yaml", "--out", "x.yaml"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "workflow")}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # no reader: the first print meets a broken pipe
    error = process.stderr.read().decode()
    assert process.wait() == 1 and error == ""
    assert (tmp_path / "x.yaml").exists()  # written before the report


def test_a_numeric_export_is_drafted_from_its_survey_definition(tmp_path, monkeypatch):
    """A numeric-values Qualtrics export holds codes (recoded, reversed): with the .qsf the draft
    takes the choice texts and kinds from the definition, names it in the wave file, and the
    drafted files clean the export to the counts worked by hand (test_qualtrics_layouts)."""
    from test_survey_definition import definition, joined_header, recoded_rows

    monkeypatch.chdir(tmp_path)
    shutil.copy2(ROOT / "config" / "questionnaire.yaml", tmp_path / "questionnaire.yaml")
    write_csv(tmp_path / "q.csv", joined_header() + recoded_rows(split=False))
    (tmp_path / "survey.qsf").write_text(json.dumps(definition()), encoding="utf-8")
    assert main(["draft-wave", "q.csv", "--wave", "q", "--survey-definition", "survey.qsf",
                 "--questionnaire", "questionnaire.yaml", "--out", "q.yaml"]) == 0
    assert read_yaml("q.yaml")["survey_definition"] == "survey.qsf"
    codebook = load_codebook("questionnaire.yaml")
    assert codebook["workload"].kind == "single" and codebook["where"].kind == "multi"
    assert codebook["workload"].option_ids == ["more_demanding", "about_the_same", "less_demanding"]
    responses = clean_export("q.csv", load_wave("q.yaml", codebook), check_bases=False).responses
    assert responses["workload"].value_counts().to_dict() == {"more_demanding": 2, "about_the_same": 1, "less_demanding": 1}
    ticks = {c.split("__")[1]: int(responses[c].sum()) for c in responses if c.startswith("where__") and c.count("__") == 1}
    assert ticks == {"north_america": 1, "central_america_incl_mexico_the_caribbea": 2, "europe": 2, "asia": 2,
                     "other_region": 1}
    without = draft_wave("q.csv", "q", CODEBOOK)  # the cells alone: codes, not choices
    assert '{id: q_3, sv: "3", en: "3"}' in without.questionnaire_yaml and "more_demanding" not in without.questionnaire_yaml
    assert responses.set_index("respondent_id").loc["R_4", "where__other_region__text"] == "Greenland"


@pytest.mark.parametrize("layout", ["numeric_split_with_a_survey_definition", "insights_import_ids", "an_excel_workbook", "an_spss_file",
                                    "unicode_text_from_excel"])
def test_a_draft_like_the_shipped_wave_reads_each_platform_layout(tmp_path, monkeypatch, layout):
    """The shipped exports rewritten in other layouts (tests/platform_rewrites.py): a
    draft made with the shipped wave file as --like (its layout no longer the export's) reads each
    to the release's responses, with no edit; the numeric one with its .qsf."""
    import platform_rewrites

    for name in ("config", "resources"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    shipped = {w: load_wave(f"config/waves/{w}.yaml", CODEBOOK) for w in ("2016", "2018")}
    wave = getattr(platform_rewrites, layout)(tmp_path)
    export = load_wave(f"config/waves/{wave}.yaml", CODEBOOK).raw  # the rewritten export's name
    definition = "resources/raw/2016.qsf" if layout.startswith("numeric") else None
    draft = draft_wave(export, f"{wave}b", CODEBOOK, shipped[wave], definition)
    drafted = parse_wave(yaml.safe_load(draft.wave_yaml), CODEBOOK, "drafted.yaml")
    write_cleaned(clean_export(export, drafted), drafted, False, tmp_path / "full.csv", tmp_path / "l.csv",
                  tmp_path / "e.csv", tmp_path / "r.csv", tmp_path / "d.csv")  # r.csv: as the release publishes
    assert (tmp_path / "r.csv").read_bytes() == (ROOT / "results" / "netclean-2018" / wave / "clean" / "responses.csv").read_bytes()


def drafted_and_cleaned(tmp_path, monkeypatch, write_export, name, edit=None):
    """draft-wave on a crafted export, no --like: the drafted wave file and questionnaire entries
    (with ``edit`` made to the wave file's text), then the export cleaned with them."""
    monkeypatch.chdir(tmp_path)
    shutil.copy2(ROOT / "config" / "questionnaire.yaml", tmp_path / "questionnaire.yaml")
    write_export(tmp_path / f"{name}.csv")
    assert main(["draft-wave", f"{name}.csv", "--wave", name, "--questionnaire", "questionnaire.yaml", "--out", f"{name}.yaml"]) == 0
    if edit is not None:
        (tmp_path / f"{name}.yaml").write_text(edit((tmp_path / f"{name}.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    codebook = load_codebook("questionnaire.yaml")
    return codebook, clean_export(f"{name}.csv", load_wave(f"{name}.yaml", codebook), check_bases=False)


def test_a_draft_reads_the_crafted_surveymonkey_layouts(tmp_path, capsys, monkeypatch):
    """Expanded single choice, a single choice with an Other box, a grid (tests/crafted_exports.py):
    drafted without --like, each is a question of the right kind; with the one edit the README
    names (the test collector, which a SurveyMonkey export cannot tell), the counts are those worked
    by hand in tests/workflow/test_crafted_layouts.py."""
    from crafted_exports import surveymonkey_export

    def test_collector(text):  # the README's edit, word for word
        assert "# CHECK: Collector ID holds '1' (6 row(s)), '999' (1 row(s))" in text
        return text.replace('exclusions: {"duplicates"', 'exclusions: {"test_rows": {"column": "Collector ID", '
                            '"values": ["999"]}, "duplicates"', 1)

    codebook, cleaned = drafted_and_cleaned(tmp_path, monkeypatch, surveymonkey_export, "sm", test_collector)
    printed = capsys.readouterr().out
    assert "a single choice written expanded" in printed
    assert "guessed: 'Which type of threat is the most common?' on threat_most_common by its option labels" in printed
    assert "placed: text box 'Other (please specify)' as the free text of threat_most_common.other" in printed
    assert dict(zip(cleaned.log["step"], cleaned.log["excluded"]))["test_rows"] == 1
    r = cleaned.responses
    assert r["country"].value_counts().to_dict() == {"sweden": 2, "norway": 2, "united_states": 2}
    workload = "how_has_your_workload_changed"
    assert codebook[workload].kind == "single"
    assert r[workload].value_counts().to_dict() == {"more_demanding": 3, "about_the_same": 1, "less_demanding": 1}
    assert r["threat_most_common"].value_counts().to_dict() == {"spread_online": 3, "threat_child": 1, "other": 1}
    grid = sorted(q for q in codebook.ids if q.startswith("about_your_investigations"))
    assert [codebook[q].kind for q in grid] == ["single", "single"]
    assert [r[q].value_counts().to_dict() for q in grid] == [{"yes": 4, "no": 2}, {"yes": 4, "no": 2}]


def test_a_draft_reads_the_crafted_legacy_qualtrics_export(tmp_path, capsys, monkeypatch):
    """Legacy layout (V1..V10, numeric, split "Where?-Europe", a text box): the draft takes the
    choice texts from the columns' common part, places the split columns by their choice ids, the
    box on its choice, and screens Status and Finished as guessed; counts as worked by hand."""
    from crafted_exports import legacy_qualtrics_export

    codebook, cleaned = drafted_and_cleaned(tmp_path, monkeypatch, legacy_qualtrics_export, "q")
    printed = capsys.readouterr().out
    assert "placed: text box 'Q3_5_TEXT' as the free text of" in printed
    assert "placed: 'Q3' on victim_regions" not in printed  # "Where?" is not the questionnaire's text: drafted
    r = cleaned.responses
    steps = dict(zip(cleaned.log["step"], cleaned.log["excluded"]))
    assert steps["test_rows"] == 1 and steps["incomplete"] == 1  # R_9 the preview, R_6 unfinished
    where = next(q for q in codebook.ids if q.startswith("where"))
    assert codebook[where].option_ids == ["north_america", "central_america_incl_mexico_the_caribbea", "europe", "asia",
                                          "other_region"]
    assert {o: int(r[f"{where}__{o}"].sum()) for o in codebook[where].option_ids} == {
        "north_america": 1, "central_america_incl_mexico_the_caribbea": 2, "europe": 2, "asia": 2, "other_region": 1}
    assert r.set_index("respondent_id").loc["R_4", f"{where}__other_region__text"] == "Greenland"


def test_a_qualtrics_matrix_is_drafted_as_one_single_choice_per_row(tmp_path, capsys, monkeypatch):
    """Q7_1, Q7_2 (a matrix: cells the scale's labels) beside Q3_1, Q3_2 (a split tick all: cells its
    choice text): the matrix rows become single choices, the tick all one question; counts by hand."""
    def export(path):
        ids = ["ResponseId", "Q7_1", "Q7_2", "Q3_1", "Q3_2"]
        texts = ["Response ID", "Your view - Cases grow", "Your view - Apps matter", "Where? - Europe", "Where? - Asia"]
        imports = ['{"ImportId":"_recordId"}', '{"ImportId":"QID7_1"}', '{"ImportId":"QID7_2"}',
                   '{"ImportId":"QID3","choiceId":"1"}', '{"ImportId":"QID3","choiceId":"2"}']
        rows = [["R_1", "Agree", "Agree", "Europe", ""], ["R_2", "Disagree", "Agree", "Europe", "Asia"],
                ["R_3", "Agree", "", "", "Asia"], ["R_4", "", "Disagree", "", ""]]
        write_csv(path, [ids, texts, imports, *rows])

    codebook, cleaned = drafted_and_cleaned(tmp_path, monkeypatch, export, "m")
    printed = capsys.readouterr().out
    assert "drafted: your_view_cases_grow (single, 2 options) from column 'Q7_1'" in printed
    assert "drafted: your_view_apps_matter (single, 2 options) from column 'Q7_2'" in printed
    assert "drafted: where (multi, 2 options) from column 'Q3'" in printed
    r = cleaned.responses
    assert r["your_view_cases_grow"].value_counts().to_dict() == {"agree": 2, "disagree": 1}
    assert r["your_view_apps_matter"].value_counts().to_dict() == {"agree": 2, "disagree": 1}
    assert int(r["where__europe"].sum()) == 2 and int(r["where__asia"].sum()) == 2
    assert int(r["where__europe"].notna().sum()) == 3  # R_4 ticked nothing
