"""``python -m netclean_survey draft-wave``: a wave file drafted from an export reads it.

Checked two ways: with ``--like`` the drafted file of each shipped (synthetic) export gives exactly
the responses and exclusions of the release, made with the hand-written wave files (a second
method); for a crafted export of another survey, the drafted wave file and questionnaire entries
clean it with the counts worked by hand."""

from __future__ import annotations

import gzip
import shutil
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
    write_cleaned(cleaned, drafted, False, tmp_path / "r.csv", tmp_path / "l.csv", tmp_path / "e.csv")
    release = ROOT / "results" / "netclean-2018" / wave / "clean"
    assert (tmp_path / "r.csv").read_bytes() == (release / "responses.csv").read_bytes()
    assert (tmp_path / "e.csv").read_bytes() == (release / "exclusions.csv").read_bytes()


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
