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
    return [int(v) for v in column.dropna()]


def test_hand_example_single_choice():
    # a/o0 = 3 is hidden (primary). Option o0 then has one hidden count across groups (its total is
    # in the wave's table): b/o0 = 20 is hidden too. Group a has one hidden count (its counts add up
    # to n = 40): a/o1 = 12 follows; group b likewise: b/o1 = 30. Every line now hides two or none.
    table = table_of({"a": [3, 12, 25], "b": [20, 30, 40]}, {"a": 40, "b": 90}, "single")
    out = suppress(table, 5)
    assert out["count"].tolist() == [pd.NA, pd.NA, 25, pd.NA, pd.NA, 40]
    assert out["suppressed"].tolist() == ["primary", "secondary", "", "secondary", "secondary", ""]
    assert out["share"].isna().tolist() == [True, True, False, True, True, False]
    assert out["n"].tolist() == [40] * 3 + [90] * 3 and out["n_suppressed"].tolist() == [""] * 6


def test_small_group_base_is_hidden_with_the_next_smallest():
    table = table_of({"a": [1, 2], "b": [10, 20], "c": [30, 40]}, {"a": 3, "b": 30, "c": 70}, "multi")
    out = suppress(table, 5)
    assert out["n"].tolist() == [pd.NA, pd.NA, pd.NA, pd.NA, 70, 70]
    assert out["n_suppressed"].tolist() == ["primary", "primary", "secondary", "secondary", "", ""]
    # b's counts (10, 20) are hidden with its base, to protect a's: secondary, not "<5"
    assert out["suppressed"].tolist() == ["primary", "primary", "secondary", "secondary", "", ""]
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
        table = table_of(counts, n, kind)
        out = suppress(table, threshold)
        assert all(v >= threshold for v in published_numbers(out["count"]))
        assert all(v >= threshold for v in published_numbers(out["n"]))
        # a share is shown only where its count is
        shown = out["share"].notna()
        assert out.loc[shown, "count"].notna().all()
        # the flags are true: primary exactly where the count (or its base) is below the threshold,
        # secondary only for hidden counts that are not
        below = (table["count"] < threshold) | (table["n"] < threshold)
        assert ((out["suppressed"] == "primary") == below).all()
        assert (table.loc[out["suppressed"] == "secondary", "count"] >= threshold).all()
        assert ((out["suppressed"] != "") == out["count"].isna()).all()
        assert ((out["n_suppressed"] == "primary") == (table["n"] < threshold)).all()
        # no line (an option across groups; for single choice a group across options) with exactly
        # one hidden count, which subtraction from a published total would reveal
        hidden = out["count"].isna()
        assert not (hidden.groupby(out["option"]).sum() == 1).any()
        if kind == "single":
            assert not (hidden.groupby(out["group"]).sum() == 1).any()


def test_the_markdown_markers_say_only_what_is_true():
    from netclean_survey.compare.publish_breakdowns import _cell

    assert [_cell(pd.NA, "primary", 5), _cell(pd.NA, "secondary", 5), _cell(27, "", 5)] == ["<5", "x", "27"]


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
