"""Every input file has a JSON schema (workflow/schemas/): the questionnaire, the claims and the
lexicon are checked against theirs when read, so a mistake is refused in one paragraph that names
the file and the key path, says what is there and what is expected, before anything uses the file.
Each case below is one edit of a shipped file, as a user would make it."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import netclean_survey.core.codebook as core_codebook
from netclean_survey.audit.claim_specs import CLAIM_KINDS, check_claim, check_claims, load_claims
from netclean_survey.audit.lexicon import QUALIFIER_RULES, load_lexicon
from netclean_survey.core.codebook import KINDS, load_codebook
from netclean_survey.core.errors import ClaimError, ConfigError
from netclean_survey.core.schema import check_against_schema, schema_path, validator
from netclean_survey.core.yamlfile import read_yaml

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "config" / "questionnaire.yaml").is_file())
QUESTIONNAIRE = ROOT / "config" / "questionnaire.yaml"
LEXICON = ROOT / "config" / "lexicon.yaml"
CLAIM_FILES = [ROOT / "config" / "claims" / name for name in ("2018.yaml", "2016.yaml", "2016_vs_2018.yaml")]
SCHEMAS = ("questionnaire", "claims", "lexicon")


def refusal(call, path, error=ConfigError) -> str:
    """The message of the error a call raises: exactly ``error``, one paragraph naming the file."""
    with pytest.raises(ConfigError) as raised:
        call()
    assert type(raised.value) is error, type(raised.value)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"{path}: "), message
    return message


def edited(tmp_path, shipped: Path, old: str, new: str) -> Path:
    """The shipped file with one edit (the first ``old`` replaced by ``new``), written to tmp_path."""
    text = shipped.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / shipped.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- the schemas ---------------------------------------------------------------------------------


def subschemas(schema, path=()):
    """Every mapping of a schema with its path (not the values of ``properties``/``$defs`` maps)."""
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                for name, sub in value.items():
                    yield from subschemas(sub, (*path, key, name))
            elif key not in ("enum", "const", "required", "description", "title", "examples"):
                yield from subschemas(value, (*path, key))
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            yield from subschemas(sub, (*path, i))


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_draft_2020_12_closed_and_described(name):
    schema = read_yaml(schema_path(name))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path, sub in subschemas(schema):
        if "if" in path or any(str(step).startswith("kind_is_") for step in path):
            continue  # a condition (if: kind is share), not the shape of a value
        # a value left empty is a YAML slip, e.g. a comma in a flow mapping: {description: a, b}
        assert None not in sub.values(), path
        if isinstance(sub.get("description"), str):
            assert "\n" not in sub["description"], path
        if "properties" in sub and path != ("$defs", "claim"):  # a claim's keys: those of its kind
            assert sub.get("additionalProperties") is False, path
        for key, prop in sub.get("properties", {}).items():
            if prop is True:  # a key allowed here, checked where the claim's common keys are
                continue
            target = prop
            if "$ref" in prop:
                target = schema["$defs"][prop["$ref"].rpartition("/")[2]]
            assert "description" in prop or "description" in target, (*path, key)


def test_the_schemas_know_the_kinds_and_rules_the_code_knows():
    questionnaire = read_yaml(schema_path("questionnaire"))
    assert tuple(questionnaire["$defs"]["question"]["properties"]["kind"]["enum"]) == KINDS
    claims = read_yaml(schema_path("claims"))
    assert tuple(claims["$defs"]["claim"]["properties"]["kind"]["enum"]) == CLAIM_KINDS
    assert all(kind in claims["$defs"] for kind in CLAIM_KINDS)
    lexicon = read_yaml(schema_path("lexicon"))
    assert tuple(lexicon["properties"]["qualifiers"]["properties"]) == QUALIFIER_RULES


def test_a_validator_is_read_once_and_the_codebook_keeps_its_names():
    assert validator("claims") is validator("claims")
    assert validator("claims", "claim") is validator("claims", "claim")
    assert core_codebook.wave_validator() is validator("wave")
    assert core_codebook.check_against_schema is check_against_schema
    assert core_codebook.WAVE_SCHEMA == schema_path("wave")


def test_a_validator_object_still_works_as_the_snakefile_passes_it():
    """workflow/rules/common.smk checks config/config.yaml with its own validator."""
    config = read_yaml(ROOT / "config" / "config.yaml")
    checker = jsonschema.Draft202012Validator(read_yaml(schema_path("config")))
    core_codebook.check_against_schema(config, checker, "config/config.yaml")
    message = refusal(lambda: core_codebook.check_against_schema({**config, "release": 5}, checker,
                                                                 "config/config.yaml"), "config/config.yaml")
    assert "release: 5 is not a text: write it in quotes" in message


def test_the_schema_module_imports_no_pandas():
    """It is read when the Snakefile is parsed."""
    code = ("import json, sys, netclean_survey.core.schema, netclean_survey.core.codebook\n"
            "print(json.dumps([m for m in ('pandas', 'numpy', 'scipy') if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT / "workflow"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# --- the shipped files ---------------------------------------------------------------------------


def test_the_shipped_questionnaire_claims_and_lexicon_load():
    codebook = load_codebook(QUESTIONNAIRE)
    assert "country" in codebook.ids and [q.id for q in codebook.derived] == ["respondent_region"]
    claims = load_claims(*CLAIM_FILES)
    assert len({c["id"] for c in claims}) == len(claims) > 30
    assert {c["kind"] for c in claims} == set(CLAIM_KINDS)
    assert check_claims(claims) == claims  # checked claims pass again unchanged (evaluate_claims checks them)
    lexicon = load_lexicon(LEXICON)
    assert lexicon.number_words["sv"]["sju"] == 7 and lexicon.qualifiers["en"]["just over"] == "just_over"
    for name, path in (("questionnaire", QUESTIONNAIRE), ("lexicon", LEXICON), *(("claims", p) for p in CLAIM_FILES)):
        assert not list(validator(name).iter_errors(read_yaml(path))), path


# --- the questionnaire ---------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, expected", [
    pytest.param("  - id: workload_change\n    kind: single\n", "  - id: workload_change\n",
                 "questions[1]: the key 'kind' is missing (expected: a question: {id, kind,", id="no-kind"),
    pytest.param("  - id: workload_change\n    kind: single\n", "  - id: workload_change\n    kind: ranking\n",
                 "questions[1].kind: 'ranking' is not one of 'single', 'multi', 'text' (expected: single (one answer)",
                 id="unknown-kind"),
    pytest.param(
        "    options:\n      - {id: more_demanding, sv: \"Mer krävande\", en: \"More demanding\"}\n"
        "      - {id: unchanged, sv: \"Oförändrad\", en: \"Unchanged\"}\n"
        "      - {id: less_demanding, sv: \"Mindre krävande\", en: \"Less demanding\"}\n",
        "    options: [\"More demanding\", \"Unchanged\", \"Less demanding\"]\n",
        "questions[1].options[0]: 'More demanding' is not a mapping (key: value) (expected: an option: {id: ",
        id="options-as-strings"),
    pytest.param('{id: age_17, sv: "17 år", en: "17 years", score: 17}',
                 '{id: age_17, sv: "17 år", en: 17, score: 17}',
                 "option_sets.ages[5].en: 17 is not a text: write it in quotes (expected: the option's English label",
                 id="label-a-number"),
    pytest.param('text: {sv: "Beskriv förändringen.", en: "Please describe the change."}',
                 'text: {sv: "Beskriv förändringen.", en: ["Please describe the change."]}',
                 "questions[8].text.en: ['Please describe the change.'] is not a text", id="text-a-list"),
    pytest.param('asked_if: {trafficking_link: "yes"}', "asked_if: trafficking_link",
                 "questions[14].asked_if: 'trafficking_link' is not a mapping (key: value) (expected: a mapping of a "
                 "question id to one of its option ids", id="asked-if-not-a-mapping"),
    pytest.param('asked_if: {trafficking_link: "yes"}', "asked_if: {trafficking_link: yes}",
                 "questions[14].asked_if.trafficking_link: True is not a text: write it in quotes", id="asked-if-yes"),
    pytest.param("derived_questions:", "derived_question:",
                 "top level: unknown keys ['derived_question']; the top level has ['derived_questions', 'option_sets', "
                 "'questions']", id="misspelled-top-key"),
    pytest.param("    option_set: regions\n", "    optionset: regions\n",
                 "questions[14]: unknown keys ['optionset']; questions[14] has ['asked_if', 'base',",
                 id="misspelled-question-key"),
    pytest.param("    option_set: regions\n", "",
                 "questions[14]: a single or multi question gives exactly one of options (a list) and option_set "
                 "(a name); it gives none of them", id="no-options"),
    # what a schema cannot say, checked in Python
    pytest.param("    option_set: regions\n", "    option_set: region\n",
                 "questions[14].option_set: 'region' is not a name of option_sets, which has ['ages', 'regions',",
                 id="unknown-option-set"),
    pytest.param('asked_if: {trafficking_link: "yes"}', 'asked_if: {trafficking_link: "maybe"}',
                 "questions[14].asked_if.trafficking_link: 'maybe' is not an option of trafficking_link, whose options "
                 "are ['yes', 'no']", id="asked-if-unknown-option"),
    pytest.param('asked_if: {trafficking_link: "yes"}', 'asked_if: {trafficking: "yes"}',
                 "questions[14].asked_if: 'trafficking' is not a question of the questionnaire",
                 id="asked-if-unknown-question"),
    pytest.param("  - id: workload_change\n", "  - id: country\n",
                 "questions[1].id: 'country' is the id of questions[0] too", id="repeated-question-id"),
    pytest.param('      - {id: unchanged, sv: "Oförändrad", en: "Unchanged"}',
                 '      - {id: more_demanding, sv: "Oförändrad", en: "Unchanged"}',
                 "questions[1].options: the option ids ['more_demanding'] are given more than once",
                 id="repeated-option-id"),
    pytest.param("derived_from: country", "derived_from: countries",
                 "derived_questions[0].derived_from: 'countries' is not a question of the questionnaire",
                 id="derived-from-unknown"),
])
def test_a_questionnaire_mistake_is_one_paragraph_naming_the_key(tmp_path, old, new, expected):
    path = edited(tmp_path, QUESTIONNAIRE, old, new)
    message = refusal(lambda: load_codebook(path), path)
    assert expected in message, message


# --- the claims ----------------------------------------------------------------------------------


CLAIMS_2018 = CLAIM_FILES[0]


@pytest.mark.parametrize("old, new, expected", [
    pytest.param('  - id: "2018-06"\n    survey_claim: 6\n', "  - survey_claim: 6\n",
                 "claims[6]: the key 'id' is missing (expected: a claim: {id, survey_claim, kind, words: {sv, en}}",
                 id="no-id"),
    pytest.param("    survey_claim: 6\n    kind: share\n", "    survey_claim: 6\n    kind: shares\n",
                 "claims[6].kind: 'shares' is not one of 'share', 'order', 'mode', 'top', 'equal', 'present', "
                 "'change', 'shift' (expected: the kind of statement", id="unknown-kind"),
    pytest.param("    option: age_11_13\n", "",
                 "claims[2]: the key 'option' is missing (expected: a mode claim: wave, question, option",
                 id="mode-without-option"),
    pytest.param("    higher: more_material\n", "",
                 "claims[16]: the key 'higher' is missing (expected: an order claim", id="order-without-higher"),
    pytest.param("    direction: higher\n", "", "claims[5]: the key 'direction' is missing (expected: a shift claim",
                 id="shift-without-direction"),
    pytest.param('words: {sv: "Svarande: USA 54,4 %", en: "Respondents: USA 54.4 %"}',
                 'words: {sv: "Svarande: USA 54,4 %", en: 54.4}',
                 "claims[22].words.en: 54.4 is not a text: write it in quotes (expected: the report's words in English",
                 id="words-a-number"),
    pytest.param("    question: grooming_ages_common\n    option: age_11_13\n",
                 "    question: 12\n    option: age_11_13\n",
                 "claims[2].question: 12 is not a text: write it in quotes (expected: a question id",
                 id="question-a-number"),
    pytest.param('    printed: "54.4"\n', "    printed: 54.4\n",
                 "claims[22].printed: 54.4 is not a text: write it in quotes (expected: a percentage as the report "
                 "prints it", id="printed-unquoted"),
    pytest.param("    survey_claim: 6\n", '    survey_claim: "six"\n',
                 "claims[6].survey_claim: 'six' is not a whole number", id="survey-claim-words"),
    pytest.param('    phrase: {sv: "Drygt 16 procent"', '    phrases: {sv: "Drygt 16 procent"',
                 "claims[6]: unknown keys ['phrases']; claims[6] has ['harmonise', 'id', 'kind', 'option', 'options',",
                 id="misspelled-key"),
    pytest.param('    phrase: {sv: "Drygt 16 procent", en: "Just over 16 per cent"}\n',
                 '    phrase: {sv: "Drygt 16 procent", en: "Just over 16 per cent"}\n    printed: "16.2"\n',
                 "claims[6]: a share claim gives exactly one of phrase ({sv, en}) and printed (\"54.4\"); it gives "
                 "'phrase', 'printed'", id="phrase-and-printed"),
    pytest.param("    options: [asia, europe, north_america]\n    words:\n      sv: \"Det skiljer",
                 "    options: [asia]\n    words:\n      sv: \"Det skiljer",
                 "claims[21].options: the list has 1 item; it needs at least 2 items (expected: a list of at least two "
                 "option ids", id="equal-of-one"),
    pytest.param("claims:\n", "claim:\n", "top level: unknown keys ['claim']; the top level has ['claims']",
                 id="misspelled-top-key"),
    # what a schema cannot say, checked in Python
    pytest.param('  - id: "2018-07"', '  - id: "2018-06"', "repeated claim ids ['2018-06']", id="repeated-id"),
    pytest.param('    printed: "54.4"\n', '    printed: "154.4"\n',
                 "claims[22].printed: printed value '154.4' is more than 100 %",
                 id="printed-over-100"),
    pytest.param("    lower: money\n", "    lower: [money, more_material]\n",
                 "claims[16].lower: options ['more_material'] are both higher and lower", id="higher-and-lower"),
])
def test_a_claim_mistake_is_one_paragraph_naming_the_file_and_the_key(tmp_path, old, new, expected):
    path = edited(tmp_path, CLAIMS_2018, old, new)
    message = refusal(lambda: load_claims(path), path, ClaimError)
    assert expected in message, message


def test_a_change_claims_waves_are_those_of_its_sides(tmp_path):
    path = edited(tmp_path, CLAIM_FILES[2], 'waves: ["2016", "2018"]', 'waves: ["2018", "2016"]')
    message = refusal(lambda: load_claims(path), path, ClaimError)
    assert "claims[0].waves: ['2018', '2016'] must be [a.wave, b.wave] = ['2016', '2018']" in message
    path = edited(tmp_path, CLAIM_FILES[2], "contrast: {asia: 1,", "contrast: {asia: one,")
    assert "claims[0].contrast.asia: 'one' is not a number" in refusal(lambda: load_claims(path), path, ClaimError)


def test_an_id_repeated_across_files_names_the_files(tmp_path):
    path = edited(tmp_path, CLAIM_FILES[1], 'id: "2016-18a"', 'id: "2018-06"')
    message = refusal(lambda: load_claims(CLAIMS_2018, path), f"{CLAIMS_2018}, {path}", ClaimError)
    assert "repeated claim ids ['2018-06']" in message


def test_claims_checked_as_data_name_their_source_and_index():
    claims = read_yaml(CLAIMS_2018)["claims"]
    wrong = copy.deepcopy(claims)
    wrong[3]["kind"] = "shares"
    message = refusal(lambda: check_claims(wrong, "config/claims/2018.yaml"), "config/claims/2018.yaml", ClaimError)
    assert message.startswith("config/claims/2018.yaml: claims[3].kind: 'shares' is not one of 'share', 'order', ")
    one = refusal(lambda: check_claim(wrong[3], "config/claims/2018.yaml", 3), "config/claims/2018.yaml", ClaimError)
    assert one == message
    assert "is not a list" in refusal(lambda: check_claims({"claims": claims}), "claims", ClaimError)
    assert check_claim(claims[6])["option"] == ["age_0_4"]  # a share's option is a list once checked


# --- the lexicon ---------------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, expected", [
    pytest.param("  number: 1.5\n", "  number: 1.5 points\n",
                 "margins.number: '1.5 points' is not a number (expected: a positive number of percentage points",
                 id="margin-words"),
    pytest.param("  fraction: 3.0\n", "  fraction: 0\n", "margins.fraction: 0 must be greater than 0",
                 id="margin-zero"),
    pytest.param("  about:\n", "  around:\n",
                 "qualifiers: unknown keys ['around']; qualifiers has ['about', 'at_least', 'at_most', 'just_over',",
                 id="unknown-qualifier-rule"),
    pytest.param("sju: 7,", "sju: 7.5,",
                 "number_words.sv.sju: 7.5 is not a whole number (expected: the number the word means",
                 id="number-word"),
    pytest.param("sju: 7,", 'sju: "7",', "number_words.sv.sju: '7' is not a whole number", id="number-word-quoted"),
    pytest.param("  of_words:\n", "  of_word:\n",
                 "fractions: unknown keys ['of_word']; fractions has ['indefinite', 'of_words', 'parts', 'whole']",
                 id="misspelled-key"),
    pytest.param("articles:\n", "article:\n", "top level: unknown keys ['article']", id="misspelled-top-key"),
    pytest.param("    low_closed: false\n", '    low_closed: "no"\n',
                 "phrases[0].low_closed: 'no' is not true or false: write it without quotes", id="closed-quoted"),
    pytest.param("    high: 100\n", "    high: 110\n", "phrases[0].high: 110 must be at most 100", id="bound-over-100"),
    pytest.param('hälften: "1/2"', "hälften: 0.5",
                 "fractions.whole.sv.hälften: 0.5 is not a text: write it in quotes (expected: the share as a "
                 'fraction of 1 written "a/b"', id="whole-a-number"),
    pytest.param("tredjedel: 3,", "tredjedel: 0,", "fractions.parts.sv.tredjedel: 0 must be at least 1",
                 id="part-zero"),
    # what a schema cannot say, checked in Python
    pytest.param('sv: ["cirka",', 'sv: ["drygt",',
                 "qualifiers.about.sv: the word 'drygt' is both just_over and about", id="word-two-rules"),
    pytest.param('sv: ["nästan alltid",', 'sv: ["de flesta",',
                 "phrases[1].sv: the phrase 'de flesta' is listed twice", id="phrase-twice"),
    pytest.param("    low: 50\n", "    low: 100\n", "phrases[0]: the interval from low 100 to high 100", id="empty"),
    pytest.param('hälften: "1/2"', 'hälften: "3/2"', "fractions.whole.sv.hälften: '3/2' is more than 1",
                 id="fraction-over-1"),
])
def test_a_lexicon_mistake_is_one_paragraph_naming_the_key(tmp_path, old, new, expected):
    path = edited(tmp_path, LEXICON, old, new)
    message = refusal(lambda: load_lexicon(path), path, ClaimError)
    assert expected in message, message
