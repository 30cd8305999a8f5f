"""Configuration files say what they mean: read safely (no alias bombs, no huge files, no repeated
keys, no YTE templating), and a wave file of the wrong shape or type is refused in one paragraph
naming the file and the key, before anything uses it."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import jsonschema
import pytest
import yaml

import netclean_survey.core.codebook as core_codebook
import netclean_survey.core.errors as core_errors
import netclean_survey.core.yamlfile as core_yamlfile
from netclean_survey.core.errors import ConfigError
from netclean_survey.core.codebook import load_codebook, load_wave, parse_wave, wave_validator
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.core.yamlfile import MAX_BYTES, check_config_file
from crafted_waves import QUALTRICS_WAVE, SM_WAVE

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")
WAVE_FILES = [ROOT / "config" / "waves" / "2016.yaml", ROOT / "config" / "waves" / "2018.yaml",
              ROOT / "tests" / "fixtures" / "wave_2019" / "2019.yaml"]
WAVE_2018 = (ROOT / "config" / "waves" / "2018.yaml").read_text(encoding="utf-8")


def refusal(call, path) -> str:
    """The message of the ConfigError a call raises: one paragraph, naming the file, no traceback."""
    with pytest.raises(ConfigError) as raised:
        call()
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(f"{path}: "), message
    return message


def write(tmp_path, text, name="file.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped files ---------------------------------------------------------------------------


def test_the_shipped_configuration_loads():
    config = check_config_file(ROOT / "config" / "config.yaml")
    assert config["waves"] and "__use_yte__" not in config
    assert CODEBOOK.ids
    for path in WAVE_FILES:
        assert load_wave(path, CODEBOOK).questions, path


def test_every_shipped_yaml_file_reads_as_safe_load_reads_it():
    paths = sorted((ROOT / "config").rglob("*.yaml")) + WAVE_FILES[2:]
    assert len(paths) >= 10
    for path in paths:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_the_wave_files_built_by_the_tests_pass_the_schema():
    jsonschema.Draft202012Validator.check_schema(read_yaml(core_codebook.WAVE_SCHEMA))
    for data in (SM_WAVE, QUALTRICS_WAVE, *(read_yaml(path) for path in WAVE_FILES)):
        assert not list(wave_validator().iter_errors(data))
    assert wave_validator() is wave_validator()  # read once per process


def test_codebook_re_exports_the_reader_and_the_error():
    assert core_errors.ConfigError is core_errors.ConfigError
    assert core_yamlfile.read_yaml is core_yamlfile.read_yaml


# --- reading YAML ------------------------------------------------------------------------------


def billion_laughs() -> str:
    """Nine levels of ten aliases each: 10**10 values once written out, 11 lines of text."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]" for level in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_without_expanding_it(tmp_path):
    path = write(tmp_path, billion_laughs())
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refusal(lambda: read_yaml(path), path)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "would expand the value at line" in message and "billion laughs" in message
    assert seconds < 0.25
    assert peak < 8 * 2**20  # the expansion would be ten billion values


def test_an_alias_inside_its_own_anchor_and_too_many_aliases_are_refused(tmp_path):
    path = write(tmp_path, "a: &a [1, *a]\n")
    assert "the alias at line 1 refers to a value that contains it" in refusal(lambda: read_yaml(path), path)
    path = write(tmp_path, f"a: &a 1\nb: [{', '.join(['*a'] * 1001)}]\n")
    assert "more than 1,000 uses of aliases" in refusal(lambda: read_yaml(path), path)


def test_a_few_aliases_and_merges_are_fine(tmp_path):
    path = write(tmp_path, "base: &b {a: 1, b: 2}\nover: {<<: *b, a: 3}\nlist: &l [x]\nagain: *l\n")
    assert read_yaml(path) == {"base": {"a": 1, "b": 2}, "over": {"a": 3, "b": 2}, "list": ["x"], "again": ["x"]}


def test_a_big_file_is_refused_unread(tmp_path):
    path = write(tmp_path, "a: 1\n" + "#" * MAX_BYTES + "\n")
    assert "larger than 2,097,152 bytes" in refusal(lambda: read_yaml(path), path)
    assert max(p.stat().st_size for p in (ROOT / "config").rglob("*.yaml")) < MAX_BYTES / 50


@pytest.mark.parametrize("text, key, lines", [
    ("a: 1\nb: 2\na: 3\n", "'a'", "lines 1 and 3"),
    ("top:\n  x: 1\n  y: 2\n  x: 1\n", "'x'", "lines 2 and 4"),
    ("flow: {a: 1, a: 2}\n", "'a'", "both on line 1"),
    ("q:\n  yes: [Yes]\n  true: [Y]\n", "True", "lines 2 and 3"),  # both load as the key True
])
def test_a_repeated_key_is_refused_with_its_lines(tmp_path, text, key, lines):
    path = write(tmp_path, text)
    message = refusal(lambda: read_yaml(path), path)
    assert f"the key {key} is given twice in one mapping ({lines})" in message


@pytest.mark.parametrize("text, expected", [
    ("a: [1, 2\nb: 3\n", "not valid YAML: while parsing a flow sequence; did not find expected ',' or ']' at line 2"),
    ("a:\n\tb: 1\n", "not valid YAML: "),
    ("a: 1\n---\nb: 2\n", "not valid YAML: expected a single document"),
    ("a: !!python/object/apply:os.system [ls]\n", "not valid YAML: could not determine a constructor"),
    ("fieldwork: {start: 2018-02-30}\n", "not valid YAML: '2018-02-30' reads as a date, but day is out of range"),
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", "not valid YAML: "),
    ('a: "bell \x07"\n', "not valid YAML: unacceptable character #x0007"),
    ("- a\n- b\n", "expected a mapping at the top level (key: value lines), found a list"),
    ("", "expected a mapping at the top level (key: value lines), found nothing (the file is empty)"),
])
def test_text_that_is_not_a_mapping_of_yaml_is_refused(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert expected in refusal(lambda: read_yaml(path), path)


def test_a_file_that_cannot_be_read_is_refused(tmp_path):
    missing = tmp_path / "missing.yaml"
    assert "cannot be read (no such file or directory)" in refusal(lambda: read_yaml(missing), missing)
    assert "cannot be read (is a directory)" in refusal(lambda: read_yaml(tmp_path), tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: Malmö\n".encode("cp1252"))
    assert "byte 7 is not valid UTF-8" in refusal(lambda: read_yaml(latin), latin)


@pytest.mark.parametrize("value", ["true", "false"])
def test_a_config_file_for_yte_is_refused(tmp_path, value):
    text = f"__use_yte__: {value}\n" + (ROOT / "config" / "config.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text, "config.yaml")
    assert read_yaml(path)["__use_yte__"] is (value == "true")  # plain YAML: read_yaml has no opinion
    message = refusal(lambda: check_config_file(path), path)
    assert "the key '__use_yte__' would make Snakemake run the file as a YTE template" in message
    assert "remove the key" in message


# --- the wave file's shape and types -------------------------------------------------------------


def wave_file(tmp_path, old: str, new: str) -> Path:
    """The shipped 2018 wave file with one edit, as a user would make it."""
    assert WAVE_2018.count(old) >= 1, old
    return write(tmp_path, WAVE_2018.replace(old, new, 1), "2018.yaml")


@pytest.mark.parametrize("old, new, expected", [
    pytest.param("synthetic: true", 'synthetic: "false"',
                 "synthetic: 'false' is not true or false: write it without quotes", id="synthetic-string"),
    pytest.param("{min_share_of_median: 0.3}", "{min_share_of_median: abc}",
                 "exclusions.speeders.min_share_of_median: 'abc' is not a number", id="share-text"),
    pytest.param("{min_share_of_median: 0.3}", "{min_share_of_median: 0}",
                 "exclusions.speeders.min_share_of_median: 0 must be greater than 0", id="share-zero"),
    pytest.param('delimiter: ","', 'delimiter: ";;"',
                 "delimiter: ';;' is 2 characters long; it must be exactly 1 character", id="delimiter"),
    pytest.param('decimal: "."', 'decimal: ""', "decimal: '' is empty; it must be exactly 1 character", id="decimal"),
    pytest.param("encoding: utf-8-sig", "encoding: utf-9",
                 "encoding: 'utf-9' is not a text encoding Python knows", id="encoding"),
    pytest.param("encoding: utf-8-sig", "encoding: base64",
                 "encoding: 'base64' is not a text encoding Python knows", id="encoding-of-bytes"),
    pytest.param('start: "2018-05-02"', 'start: "2018-02-30"',
                 "fieldwork.start: '2018-02-30' is not a date of the calendar (day is out of range for month)",
                 id="impossible-date"),
    pytest.param('start: "2018-05-02"', 'start: "2018-08-14"',
                 "fieldwork: start '2018-08-14' is after end '2018-08-13'", id="start-after-end"),
    pytest.param('start: "2018-05-02"', 'start: "2018/05/02"',
                 "fieldwork.start: '2018/05/02' is not of the expected form (expected: a date written YYYY-MM-DD",
                 id="date-form"),
    pytest.param('start: "2018-05-02"', "start: 2018-05-02",
                 "fieldwork.start: 2018-05-02 is not a text: write it in quotes", id="date-unquoted"),
    pytest.param('    column: "In which country do you work?"\n', "",
                 "questions.country: the key 'column' is missing", id="question-without-column"),
    pytest.param('    options:\n      "yes": ["Yes"]\n      "no": ["No"]\n', '    options: ["Yes", "No"]\n',
                 "questions.change_3y.options: ['Yes', 'No'] is not a mapping", id="options-as-a-list"),
    pytest.param('      "no": ["No"]', "      no: [No]",
                 "questions.change_3y.options: the key False is not a text: write it in quotes", id="option-id-no"),
    pytest.param("same_answers: true", 'same_answers: "yes"',
                 "exclusions.duplicates.same_answers: 'yes' is not true or false", id="same-answers"),
    pytest.param("keep: first", "keep: earliest",
                 "exclusions.duplicates.keep: 'earliest' is not one of 'first', 'last'", id="keep"),
    pytest.param("format: surveymonkey", "format: spss",
                 "format: 'spss' is not one of 'surveymonkey', 'qualtrics'", id="format"),
    pytest.param("  speeders:", "  speeder:",
                 "exclusions: unknown keys ['speeder']; exclusions has ['duplicates', 'incomplete', "
                 "'outside_fieldwork', 'speeders', 'test_rows']", id="exclusion-name"),
    pytest.param('  format: "%m/%d/%Y %I:%M:%S %p"\n', "",
                 "duration: the key 'format' is missing (expected: either {seconds}", id="duration-half"),
    pytest.param('wave: "2018"', "wave: 2018", "wave: 2018 is not a text: write it in quotes", id="wave-number"),
])
def test_a_wave_file_of_the_wrong_type_is_refused_naming_the_key(tmp_path, old, new, expected):
    path = wave_file(tmp_path, old, new)
    message = refusal(lambda: load_wave(path, CODEBOOK), path)
    assert expected in message, message


def test_the_checks_the_tests_already_assert_come_first(tmp_path):
    path = wave_file(tmp_path, "exclusions:", "exclusion:")
    assert "unknown keys ['exclusion']" in refusal(lambda: load_wave(path, CODEBOOK), path)
    path = wave_file(tmp_path, "respondent_id:", "respondent:")
    assert "unknown keys ['respondent']" in refusal(lambda: load_wave(path, CODEBOOK), path)
    with pytest.raises(ConfigError, match=r"^sm-wave\.yaml: the key 'raw' is missing$"):
        parse_wave({k: v for k, v in SM_WAVE.items() if k != "raw"}, CODEBOOK, "sm-wave.yaml")


def test_the_first_problem_in_file_order_is_named(tmp_path):
    text = WAVE_2018.replace('delimiter: ","', 'delimiter: ";;"').replace("keep: first", "keep: earliest")
    path = write(tmp_path, text, "2018.yaml")
    assert "delimiter: ';;'" in refusal(lambda: load_wave(path, CODEBOOK), path)
