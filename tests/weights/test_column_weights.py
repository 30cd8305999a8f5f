"""Tests of netclean_survey.weights.column: weights read from a column of the raw export.

Fixtures shaped like the platforms' exports: both shipped exports with a column of weights added as
SurveyMonkey writes a custom variable and Qualtrics an embedded-data field (tests/platform_rewrites.py),
read by the project's readers; the expected weights and a weighted share are worked from the CSV
text with the csv module.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import platform_rewrites
from netclean_survey.clean.ingest import read_export
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.errors import ExportError
from netclean_survey.weights.column import export_weights
from netclean_survey.weights.estimates import weighted_estimate_question

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def weighted_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("weight-column")
    for name in ("config", "resources"):
        shutil.copytree(ROOT / name, copy / name)
    written = platform_rewrites.weight_columns(copy)
    codebook = load_codebook(copy / "config" / "questionnaire.yaml")
    waves = {w: load_wave(copy / "config" / "waves" / f"{w}.yaml", codebook) for w in ("2016", "2018")}
    return copy, written, waves


def read(copy, wave):
    path = copy / wave.raw
    return path, clean_export(path, wave).responses, read_export(path, wave)


@pytest.mark.parametrize("name", ["2016", "2018"])
def test_each_kept_respondent_gets_the_weight_of_its_row_scaled_to_mean_one(weighted_copy, name):
    copy, written, waves = weighted_copy
    path, responses, raw = read(copy, waves[name])
    weights = export_weights(raw, waves[name], responses["respondent_id"], str(path))
    given = [Fraction(written[name][i]) for i in responses["respondent_id"]]
    scale = Fraction(len(given)) / sum(given)
    assert weights.index.equals(responses.index)
    assert weights.tolist() == pytest.approx([float(g * scale) for g in given], rel=1e-14)
    assert len(set(given)) == 4  # the rewrite's four weights all occur: the weights are unequal


def test_a_weighted_share_by_hand_from_the_csv_text(weighted_copy):
    copy, written, waves = weighted_copy
    wave = waves["2018"]
    path, responses, raw = read(copy, wave)
    weights = export_weights(raw, wave, responses["respondent_id"], str(path))
    question = next(wq.question for wq in wave.questions if wq.question.id == "trafficking_link")
    table = weighted_estimate_question(responses, question, weights).set_index("option")
    # from the CSV text: each kept respondent's answer to the question and the weight written on its row
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    column = records[0].index("Do you see a connection between the production of child sexual abuse material "
                              "and trafficking in your investigations?")
    answer = {r[0].strip(): r[column] for r in records[2:] if r}
    kept = set(responses["respondent_id"])
    total = sum(Fraction(written["2018"][i]) for i in kept)
    yes = sum(Fraction(written["2018"][i]) for i in kept if answer[i] == "Yes")
    assert table.loc["yes", "share"] == pytest.approx(float(yes / total), abs=1e-12)


def frame(weights: list[str], ids: list[str] | None = None) -> pd.DataFrame:
    ids = ids or [f"r{i}" for i in range(len(weights))]
    return pd.DataFrame({"Respondent ID": ids, "Weight": weights, "_row": range(3, 3 + len(weights))})


@pytest.fixture(scope="module")
def wave(weighted_copy):
    return weighted_copy[2]["2018"]


@pytest.mark.parametrize("cells, message", [
    (["1", "", "2"], "1 respondent(s) have no usable weight, rows [4]"),
    (["1", "heavy", "0", "-1"], "3 respondent(s) have no usable weight, rows [4, 5, 6]"),
    (["1", "inf", "nan"], "2 respondent(s) have no usable weight, rows [4, 5]"),
])
def test_unusable_weights_are_named_by_row(wave, cells, message):
    with pytest.raises(ExportError, match=r"resources/raw/2018\.csv: column 'Weight': ") as caught:
        export_weights(frame(cells), wave, pd.Series([f"r{i}" for i in range(len(cells))]), "resources/raw/2018.csv")
    assert message in str(caught.value) and "positive number" in str(caught.value)


def test_the_decimal_mark_is_the_wave_files(wave):
    comma = dataclasses.replace(wave, decimal=",")
    weights = export_weights(frame(["1,5", "0,5"]), comma, pd.Series(["r0", "r1"]))
    assert weights.tolist() == pytest.approx([1.5, 0.5])
    with pytest.raises(ExportError, match="decimal mark ','"):
        export_weights(frame(["1.5", "0,5"]), comma, pd.Series(["r0", "r1"]))  # 1.5 is ambiguous: refused


def test_rows_the_cleaning_excluded_are_not_read(wave):
    weights = export_weights(frame(["2", "junk", "1"]), wave, pd.Series(["r0", "r2"], index=[7, 9]))
    assert weights.index.tolist() == [7, 9] and weights.tolist() == pytest.approx([4 / 3, 2 / 3])


def test_one_respondent_with_two_weights_is_refused(wave):
    with pytest.raises(ExportError, match=r"appear on several rows \[3, 4\] with different weights"):
        export_weights(frame(["1", "2"], ["r0", "r0"]), wave, pd.Series(["r0"]))


def test_a_wave_without_a_weight_column_is_refused(wave):
    with pytest.raises(ExportError, match="names no weight_column"):
        export_weights(frame(["1"]), dataclasses.replace(wave, weight_column=""), pd.Series(["r0"]))
