"""Tests of netclean_survey.weights.comparison (two waves compared with their weights) and of its
Markdown, by hand on small samples: shares as weighted sums, differences and their variance as
weights.differences has them (checked against R there), Holm as statsmodels has it, Kish's n_eff,
and the gap of a contrast. The live check against R on the shipped waves is
tests/workflow/test_weighted_run.py."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from netclean_survey.compare.sides import Side
from netclean_survey.core.codebook import Option, Question
from netclean_survey.render.weighted_comparison import weighted_between_markdown, weighted_contrast_markdown
from netclean_survey.weights.comparison import (
    WEIGHTED_COMPARE_COLUMNS,
    side_weights,
    weighted_between,
    weighted_contrast,
    weighting_of,
)
from netclean_survey.weights.homogeneity import RAO_SCOTT_TEST, WEIGHTED_MMI_TEST

REGIONS = Question("regions", "multi", {"en": "Regions?", "sv": "Regioner?"}, {"en": "all", "sv": "alla"},
                   (Option("asia", "Asien", "Asia"), Option("europe", "Europa", "Europe"),
                    Option("africa", "Afrika", "Africa")))
ANSWER = Question("answer", "single", {"en": "Answer?", "sv": "Svar?"}, {"en": "all", "sv": "alla"},
                  (Option("yes", "Ja", "Yes"), Option("no", "Nej", "No")))


def make_side(wave: str, question: Question, ticks: list[list[int]], index=None) -> Side:
    frame = pd.DataFrame(np.array(ticks, dtype=bool), columns=question.option_ids)
    return Side(wave, question, frame, len(ticks), pd.Index(index if index is not None else range(len(ticks))))


A_TICKS = [[1, 1, 0], [0, 1, 0], [1, 0, 1], [0, 0, 1], [1, 1, 0]]
B_TICKS = [[1, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 0]]
W_A, W_B = [1.0, 2.0, 1.0, 0.5, 0.5], [2.0, 1.0, 1.0, 1.0]


def test_a_tick_all_question_in_two_weighted_waves_by_hand():
    a, b = make_side("2016", REGIONS, A_TICKS), make_side("2018", REGIONS, B_TICKS)
    result = weighted_between(a, b, W_A, W_B, "korn-graubard", 0.95, "raked: region")
    table = result.options.set_index("option")
    assert list(result.options.columns) == list(WEIGHTED_COMPARE_COLUMNS)
    # Asia: wave a ticks weigh 1 + 1 + 0.5 of 5; wave b 2 + 1 + 1 of 5
    assert table.loc["asia", "share_a"] == pytest.approx(float(Fraction(5, 2) / 5))
    assert table.loc["asia", "share_b"] == pytest.approx(float(Fraction(4, 5)))
    assert table.loc["asia", "difference"] == pytest.approx(0.8 - 0.5)
    assert (table.loc["asia", "count_a"], table.loc["asia", "n_a"]) == (3, 5)  # respondents, unweighted
    # the variance of a weighted share: n / (n - 1) sum (w (y - p))^2 / (sum w)^2, each wave, added
    def variance(y, w):
        y, w = np.array(y, float), np.array(w, float)
        p = (w * y).sum() / w.sum()
        return len(y) / (len(y) - 1) * ((w * (y - p)) ** 2).sum() / w.sum() ** 2
    se = math.sqrt(variance([r[0] for r in A_TICKS], W_A) + variance([r[0] for r in B_TICKS], W_B))
    assert table.loc["asia", "diff_ci_high"] == pytest.approx(0.3 + 1.959963984540054 * se)
    assert table.loc["asia", "statistic"] == pytest.approx(0.3 / se)
    assert result.options["p_holm"].tolist() == pytest.approx(
        multipletests(result.options["p_value"], method="holm")[1].tolist())
    assert table["n_effective_a"].iloc[0] == pytest.approx(5**2 / (1 + 4 + 1 + 0.25 + 0.25))
    assert set(table["weighting"]) == {"raked: region"} and set(table["ci_method"]) == {"korn-graubard"}
    assert result.test["test"] == WEIGHTED_MMI_TEST and len(result.test["per_option"]) == 3


def test_a_single_choice_question_compares_every_option_either_wave_offers():
    a = make_side("1", ANSWER, [[1, 0], [0, 1], [1, 0], [1, 0]])
    b = make_side("2", ANSWER.restricted_to(["yes"]), [[1], [1], [1]])
    result = weighted_between(a, b, [1.0] * 4, [1.0] * 3, "logit", 0.9, "raked: region")
    table = result.options.set_index("option")
    assert table.index.tolist() == ["yes", "no"] and table.loc["no", "share_b"] == 0  # nobody could choose it
    assert table.loc["yes", "share_a"] == 0.75 and set(table["conf_level"]) == {0.9}
    assert result.test["test"] == RAO_SCOTT_TEST


def test_the_weights_of_a_side_follow_its_respondents_and_a_missing_one_is_refused():
    side = make_side("2016", REGIONS, A_TICKS[:3], index=[10, 12, 14])
    weights = pd.Series([3.0, 1.0, 2.0, 4.0], index=[14, 10, 12, 99])
    assert side_weights(side, weights).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="1 respondent"):
        side_weights(side, weights.drop(14))


def test_how_the_weights_were_made_is_said_once_when_the_waves_agree():
    assert weighting_of({"1": "raked: x", "2": "raked: x"}, "1", "2") == "raked: x"
    assert weighting_of({"1": "raked: x", "2": "export column: W"}, "1", "2") == "1: raked: x; 2: export column: W"


def test_the_gap_of_a_contrast_is_the_weighted_mean_of_the_scores():
    a, b = make_side("2016", REGIONS, A_TICKS), make_side("2018", REGIONS, B_TICKS)
    contrast = {"asia": 1, "europe": -0.5, "africa": -0.5}
    table = weighted_contrast(a, b, W_A, W_B, contrast, 0.95, "raked: region")
    scores_a = [r[0] - 0.5 * r[1] - 0.5 * r[2] for r in A_TICKS]
    scores_b = [r[0] - 0.5 * r[1] - 0.5 * r[2] for r in B_TICKS]
    mean_a = sum(s * w for s, w in zip(scores_a, W_A)) / sum(W_A)
    mean_b = sum(s * w for s, w in zip(scores_b, W_B)) / sum(W_B)
    assert table["group"].tolist() == ["2016", "2018", "2018 - 2016"]
    assert table["estimate"].tolist() == pytest.approx([mean_a, mean_b, mean_b - mean_a])
    shares = weighted_between(a, b, W_A, W_B, "logit", 0.95, "x").options.set_index("option")
    assert mean_a == pytest.approx(shares.loc["asia", "share_a"] - 0.5 * shares.loc["europe", "share_a"]
                                   - 0.5 * shares.loc["africa", "share_a"])  # the same contrast of the shares
    assert table["n"].tolist() == [5, 4, 9] and np.isnan(table["n_effective"].iat[2])


def test_the_markdown_says_weighted_and_how_in_both_languages():
    a, b = make_side("2016", REGIONS, A_TICKS), make_side("2018", REGIONS, B_TICKS)
    result = weighted_between(a, b, W_A, W_B, "korn-graubard", 0.95, "raked: region")
    facts = {"kind": "multi", "wave_a": "2016", "wave_b": "2018", "question_a": "Regions?", "question_b": "Regions?",
             "base_a": "all", "base_b": "all", "left_out": []}
    en = weighted_between_markdown(result.options, dict(result.test), facts, "Regions", "en", "Synthetic.")
    assert en.startswith("# Regions (weighted)\n") and "Weighted estimates (raked: region)" in en
    assert "Korn–Graubard" in en and "Bilder–Loughin test of multiple marginal independence with weights" in en
    assert "| Asia | 50.0 [" in en and "| 30.0 [" in en and en.endswith("*Synthetic.*\n")
    sv = weighted_between_markdown(result.options, dict(result.test), facts, "Regioner", "sv", None)
    assert sv.startswith("# Regioner (vägd)\n") and "| Asien | 50,0 [" in sv and "Kishs effektiva urvalsstorlek" in sv
    gap = weighted_contrast(a, b, W_A, W_B, {"asia": 1, "europe": -1}, 0.95, "raked: region")
    text = weighted_contrast_markdown(gap, "Asia − 1 × Europe", "Asia against Europe", "en", None)
    assert "| 2018 - 2016 | 9 | – |" in text and "weighted (raked: region)" in text


def test_a_wave_of_one_respondent_has_no_design_based_test_and_says_why():
    a, b = make_side("2016", REGIONS, A_TICKS[:1]), make_side("2018", REGIONS, B_TICKS)
    result = weighted_between(a, b, W_A[:1], W_B, "korn-graubard", 0.95, "raked: region")
    assert result.test["test"].endswith("(not testable: fewer than two respondents in a wave)")
    assert np.isnan(result.test["p_value"]) and result.options["difference"].isna().all()
    facts = {"kind": "multi", "wave_a": "2016", "wave_b": "2018", "question_a": "Regions?", "question_b": "Regions?",
             "base_a": "all", "base_b": "all", "left_out": []}
    sv = weighted_between_markdown(result.options, dict(result.test), facts, "Regioner", "sv", None)
    assert "Hela frågan kan inte testas (färre än två svarande i en omgång)." in sv


def test_a_margin_of_the_weights_is_said_to_be_one():
    from netclean_survey.weights.comparison import WaveWeights

    weights = WaveWeights({}, {}, "logit", {"2016": ["respondent_region"], "2018": ["respondent_region"]})
    assert weights.is_margin("respondent_region", "2016", "2018") and not weights.is_margin("country", "2016", "2018")
    assert not WaveWeights({}, {}, "logit", {"2016": ["respondent_region"]}).is_margin("respondent_region", "2016",
                                                                                        "2018")
    a, b = make_side("2016", REGIONS, A_TICKS), make_side("2018", REGIONS, B_TICKS)
    result = weighted_between(a, b, W_A, W_B, "korn-graubard", 0.95, "raked: regions")
    facts = {"kind": "multi", "wave_a": "2016", "wave_b": "2018", "question_a": "Regions?", "question_b": "Regions?",
             "base_a": "all", "base_b": "all", "left_out": [], "margin": True}
    en = weighted_between_markdown(result.options, dict(result.test), facts, "Regions", "en", None)
    assert "Both waves are raked to this question's population shares" in en
    facts["margin"] = False
    assert "raked to this question" not in weighted_between_markdown(result.options, dict(result.test), facts,
                                                                     "Regions", "en", None)
