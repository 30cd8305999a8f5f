"""Breakdowns by respondent region: shares, tests of association, and small-cell suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netclean_survey.compare.breakdowns import breakdown, suppress
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, load_wave

CODEBOOK = load_codebook("config/questionnaire.yaml")


def table_of(counts: dict[str, list[int]], n: dict[str, int], kind: str) -> pd.DataFrame:
    rows = []
    for group, values in counts.items():
        for i, count in enumerate(values):
            rows.append({"group": group, "option": f"o{i}", "kind": kind, "n": n[group], "count": count,
                         "share": count / n[group] if n[group] else np.nan, "ci_low": 0.0, "ci_high": 1.0})
    return pd.DataFrame(rows)


def published_numbers(column: pd.Series) -> list[int]:
    return [int(v) for v in column if not str(v).startswith("<")]


def test_hand_example_single_choice():
    # a/o0 = 3 is hidden. Option o0 then has one hidden count across groups (its total is in the
    # wave's table): b/o0 = 20 is hidden too. Group a has one hidden count (its counts add up to
    # n = 40): a/o1 = 12 follows; group b likewise: b/o1 = 30. Every line now hides two or none.
    table = table_of({"a": [3, 12, 25], "b": [20, 30, 40]}, {"a": 40, "b": 90}, "single")
    out = suppress(table, 5)
    assert out["count"].tolist() == ["<5", "<5", "25", "<5", "<5", "40"]
    assert out["suppressed"].tolist() == [True, True, False, True, True, False]
    assert out["share"].isna().tolist() == [True, True, False, True, True, False]
    assert out["n"].tolist() == ["40"] * 3 + ["90"] * 3


def test_small_group_base_is_hidden_with_the_next_smallest():
    table = table_of({"a": [1, 2], "b": [10, 20], "c": [30, 40]}, {"a": 3, "b": 30, "c": 70}, "multi")
    out = suppress(table, 5)
    assert out["n"].tolist() == ["<5", "<5", "<5", "<5", "70", "70"]
    assert out.loc[out["group"].isin(["a", "b"]), "share"].isna().all()


@pytest.mark.parametrize("kind", ["single", "multi"])
def test_no_published_cell_below_the_threshold_whatever_the_data(kind):
    rng = np.random.default_rng(5)
    for _ in range(300):
        groups = rng.integers(2, 5)
        options = rng.integers(2, 7)
        threshold = int(rng.integers(3, 11))
        counts = {f"g{g}": list(rng.integers(0, 30, size=options)) for g in range(groups)}
        n = {g: int(sum(v)) + (0 if kind == "single" else int(rng.integers(0, 10))) for g, v in counts.items()}
        out = suppress(table_of(counts, n, kind), threshold)
        assert all(v >= threshold for v in published_numbers(out["count"]))
        assert all(v >= threshold for v in published_numbers(out["n"]))
        # a share is shown only where its count is
        shown = out["share"].notna()
        assert not out.loc[shown, "count"].str.startswith("<").any()
        # no line (an option across groups; for single choice a group across options) with exactly
        # one hidden count, which subtraction from a published total would reveal
        hidden = out["count"].str.startswith("<")
        assert not (hidden.groupby(out["option"]).sum() == 1).any()
        if kind == "single":
            assert not (hidden.groupby(out["group"]).sum() == 1).any()


@pytest.fixture(scope="module")
def responses_2018():
    wave = load_wave("config/waves/2018.yaml", CODEBOOK)
    return wave, clean_export(wave.raw, wave).responses


def test_breakdown_counts_add_up_to_the_wave(responses_2018):
    wave, responses = responses_2018
    table, test = breakdown(responses, CODEBOOK, wave, "trafficking_link", "respondent_region", seed=1, resamples=999)
    by_option = table.groupby("option", sort=False)["count"].sum()
    whole = responses["trafficking_link"].value_counts()
    assert by_option.to_dict() == {"yes": whole["yes"], "no": whole["no"]}
    assert set(table["group"]) == {"north_america", "europe", "rest"}
    assert "chi-square" in test["test"].lower()
    rows = table[table["group"] == "europe"]
    n_europe = int((responses["respondent_region"] == "europe").sum())
    assert rows["n"].tolist() == [n_europe, n_europe]


def test_breakdown_of_a_tick_all_question_uses_bilder_loughin(responses_2018):
    wave, responses = responses_2018
    table, test = breakdown(responses, CODEBOOK, wave, "threat_types", "respondent_region", seed=1, resamples=199)
    assert "Bilder" in test["test"]
    asked = responses.loc[responses["threat_types__spread_online"].notna()]
    assert table.groupby("group")["n"].first().sum() == len(asked)
