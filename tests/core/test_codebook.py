"""The questionnaire holds the instrument of SURVEY.md; wave files map onto it."""

from __future__ import annotations

import pytest

from netclean_survey.core.errors import ConfigError
from netclean_survey.core.codebook import load_codebook, load_wave, normalise_label, parse_codebook, parse_wave

CODEBOOK = load_codebook("config/questionnaire.yaml")

# The instrument of docs/reference/SURVEY.md, written out again by hand: the contract.
SURVEY_2018 = {
    "country": "single",
    "grooming_ages_seen": "multi",
    "grooming_ages_common": "multi",
    "sextortion_ages_seen": "multi",
    "sextortion_ages_common": "multi",
    "change_3y": "single",
    "change_text": "text",
    "change_themes": "multi",
    "extorted_for": "multi",
    "threat_types": "multi",
    "threat_most_common": "single",
    "trafficking_link": "single",
    "trafficking_regions": "multi",
}
SURVEY_2016 = {"country": "single", "workload_change": "single", "victim_regions": "multi"}
AGES = ["age_0_4", "age_5_7", "age_8_10", "age_11_13", "age_14_16", "age_17"]
REGIONS = ["north_america", "latin_america", "europe", "africa", "asia", "oceania"]


@pytest.mark.parametrize("wave, instrument", [("2018", SURVEY_2018), ("2016", SURVEY_2016)])
def test_wave_files_cover_the_instrument(wave, instrument):
    spec = load_wave(f"config/waves/{wave}.yaml", CODEBOOK)
    assert {wq.question.id: wq.question.kind for wq in spec.questions} == instrument


def test_options_are_the_contract():
    assert CODEBOOK["grooming_ages_seen"].option_ids == AGES
    assert CODEBOOK["sextortion_ages_common"].option_ids == AGES
    assert CODEBOOK["trafficking_regions"].option_ids == REGIONS
    assert CODEBOOK["threat_most_common"].option_ids == CODEBOOK["threat_types"].option_ids
    assert CODEBOOK["change_3y"].option_ids == ["yes", "no"]
    assert CODEBOOK["extorted_for"].option_ids == ["more_material", "money", "livestream", "physical_meeting", "other"]
    assert CODEBOOK["change_themes"].option_ids == [
        "sextortion_increasing", "grooming_to_sextortion", "messaging_apps", "younger_children", "other"
    ]
    assert CODEBOOK["trafficking_regions"].asked_if == {"trafficking_link": "yes"}
    assert CODEBOOK["change_themes"].asked_if == {"change_3y": "yes"}
    assert CODEBOOK["workload_change"].option_ids == ["more_demanding", "unchanged", "less_demanding"]


def test_countries_2018_and_their_regions():
    countries = CODEBOOK["country"].options
    assert len(countries) == 30  # 29 countries and an international organisation
    wave = load_wave("config/waves/2018.yaml", CODEBOOK)
    assert len(wave["country"].question.options) == 30
    assert len(load_wave("config/waves/2016.yaml", CODEBOOK)["country"].question.options) == 26
    region = {o.id: o.respondent_region for o in countries}
    assert region["united_states"] == region["canada"] == "north_america"
    assert region["mexico"] == "rest" and region["united_kingdom"] == "europe"
    assert sum(r == "europe" for r in region.values()) == 19


def test_victim_regions_harmonise_onto_latin_america():
    harmonised = {o.id: o.harmonised or o.id for o in CODEBOOK["victim_regions"].options}
    assert harmonised["central_america"] == harmonised["south_america"] == "latin_america"
    assert set(harmonised.values()) == set(REGIONS)


def test_every_option_has_both_labels():
    for q in CODEBOOK.questions:
        for o in q.options:
            assert o.sv.strip() and o.en.strip(), (q.id, o.id)


def test_every_question_has_a_short_name_in_both_languages_written_mid_sentence():
    """Comparison titles name the questions by ``short`` (capitalising the title's first letter)."""
    for q in CODEBOOK.questions + CODEBOOK.derived:
        assert set(q.short) == {"sv", "en"}, q.id
        assert all(name.strip() and not name[0].isupper() for name in q.short.values()), q.id
        assert q.name("sv") == q.short["sv"]
    assert CODEBOOK["respondent_region"].name("en") == "respondent's region"


def test_a_short_name_needs_both_languages_and_is_optional():
    question = {"id": "q", "kind": "single", "text": {"sv": "Fråga?", "en": "Question?"}, "base": {"sv": "b", "en": "b"},
                "options": [{"id": "a", "sv": "A", "en": "A"}]}
    assert parse_codebook({"questions": [question]})["q"].name("en") == "Question?"  # no short name: the text
    with pytest.raises(ConfigError, match=r"^questionnaire: questions\[0\]\.short: the key 'en' is missing"):
        parse_codebook({"questions": [{**question, "short": {"sv": "frågan"}}]})


def test_normalise_label():
    assert normalise_label("  United\u00a0 States ") == "united states"
    assert normalise_label("Malme\u0301") == normalise_label("Malmé")


def test_wave_file_naming_an_unknown_option_is_refused():
    with pytest.raises(ConfigError, match="not options of country"):
        parse_wave(
            {"wave": "x", "format": "qualtrics", "raw": "x.csv", "respondent_id": "id",
             "questions": {"country": {"column": "Q1", "options": {"narnia": ["Narnia"]}}}},
            CODEBOOK,
        )


def test_codebook_with_a_bad_kind_is_refused():
    with pytest.raises(ConfigError, match=r"^questionnaire: questions\[0\]\.kind: 'rank' is not one of 'single', 'multi'"):
        parse_codebook({"questions": [{"id": "q", "kind": "rank", "text": {}, "base": {}}]})


def test_wave_file_question_of_another_kind_is_refused():
    wave = {"wave": "x", "format": "qualtrics", "raw": "x.csv", "respondent_id": "id"}
    with pytest.raises(ConfigError, match=r"^wave file: questions\.change_text: options \['a'\] are not options"):
        parse_wave({**wave, "questions": {"change_text": {"column": "Q9", "options": {"a": ["A"]}}}}, CODEBOOK)
    with pytest.raises(ConfigError, match=r"^wave file: questions\.country: a single question needs its options"):
        parse_wave({**wave, "questions": {"country": {"column": "Q1"}}}, CODEBOOK)


def test_wave_file_of_the_wrong_shape_is_refused_before_it_is_used():
    wave = {"wave": "x", "format": "qualtrics", "raw": "x.csv", "respondent_id": "id"}
    with pytest.raises(ConfigError, match=r"^wave file: questions\.country: the key 'column' is missing"):
        parse_wave({**wave, "questions": {"country": {"options": {"sweden": ["Sweden"]}}}}, CODEBOOK)
    with pytest.raises(ConfigError, match=r"^wave file: questions\.country\.options: \['Sweden'\] is not a mapping"):
        parse_wave({**wave, "questions": {"country": {"column": "Q1", "options": ["Sweden"]}}}, CODEBOOK)
    with pytest.raises(ConfigError, match=r"^wave file: questions\.country\.options\.sweden: 'Sweden' is not a list"):
        parse_wave({**wave, "questions": {"country": {"column": "Q1", "options": {"sweden": "Sweden"}}}}, CODEBOOK)
