"""Tests of netclean_survey.render_compare: exact Markdown, byte-identical figures on every run."""

from __future__ import annotations

import dataclasses
import html
import math
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
import seaborn as sns

from netclean_survey import SYNTHETIC_NOTE
import netclean_survey.render.comparison as render_comparison
import netclean_survey.render.comparison_figures as render_comparison_figures
import netclean_survey.render.text as render_text
from netclean_survey.core.codebook import load_codebook
from netclean_survey.compare.publish import BETWEEN_EXACT
from netclean_survey.core.rounding import published_table

# a layout that collapses (an artist with an infinite extent, too small a canvas) is a failure
pytestmark = pytest.mark.filterwarnings("error:constrained_layout not applied:UserWarning")

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")
Z95 = 1.959963984540054

# ---------------------------------------------------------------------------------------------
# Comparison tables: Wilson intervals, Newcombe's hybrid score interval of the difference (method
# 10 of Newcombe 1998, Stat Med 17:873), the two-proportion score test, Holm's adjustment
# ---------------------------------------------------------------------------------------------


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(count_a: int, n_a: int, count_b: int, n_b: int) -> tuple[float, float]:
    pa, pb = count_a / n_a, count_b / n_b
    (la, ua), (lb, ub) = wilson(count_a, n_a), wilson(count_b, n_b)
    d = pb - pa
    return d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)


def score_test(count_a: int, n_a: int, count_b: int, n_b: int) -> tuple[float, float]:
    pooled = (count_a + count_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (count_b / n_b - count_a / n_a) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def holm(p: list[float]) -> list[float]:
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def comparison_table(question_id: str, counts_a: list[int], n_a: int, counts_b: list[int], n_b: int) -> pd.DataFrame:
    """The per-option comparison table of a codebook question, as the comparison module gives it."""
    q = CODEBOOK[question_id]
    rows = []
    for option, ca, cb in zip(q.options, counts_a, counts_b):
        la, ha = wilson(ca, n_a)
        lb, hb = wilson(cb, n_b)
        dl, dh = newcombe(ca, n_a, cb, n_b)
        z, p = score_test(ca, n_a, cb, n_b)
        rows.append({
            "option": option.id, "n_a": n_a, "count_a": ca, "share_a": ca / n_a, "ci_low_a": la, "ci_high_a": ha,
            "n_b": n_b, "count_b": cb, "share_b": cb / n_b, "ci_low_b": lb, "ci_high_b": hb,
            "difference": cb / n_b - ca / n_a, "diff_ci_low": dl, "diff_ci_high": dh,
            "diff_ci_method": "newcombe_hybrid", "statistic": z, "p_value": p, "test": "score",
            "cohens_h": 2 * math.asin(math.sqrt(cb / n_b)) - 2 * math.asin(math.sqrt(ca / n_a)),
            "conf_level": 0.95, "label_sv": option.sv, "label_en": option.en,
        })
    table = pd.DataFrame(rows)
    table.insert(table.columns.get_loc("p_value") + 2, "p_holm", holm(table["p_value"].tolist()))
    # as the writers get it: every number rounded once (netclean_survey.rounding)
    return published_table(table[[*render_comparison.COMPARE_COLUMNS, "label_sv", "label_en"]], BETWEEN_EXACT)


REGIONS_A = [281, 67, 252, 36, 151, 22]  # 2016 victim_regions, codebook order, n = 360
REGIONS_B = [26, 8, 27, 7, 27, 3]  # 2018 trafficking_regions, n = 46
BL_TEST = {"test": "Bilder-Loughin MMI", "statistic": 38.2716, "p_rs2": 0.000184, "p_bootstrap": 0.0003,
           "B": 9999, "df_rs2": 4.87}


def regions_table() -> pd.DataFrame:
    return comparison_table("trafficking_regions", REGIONS_A, 360, REGIONS_B, 46)  # harmonised ids


def regions_facts() -> dict:
    return {
        "kind": "multi", "wave_a": "2016", "wave_b": "2018",
        "question_a": CODEBOOK["victim_regions"].text, "question_b": CODEBOOK["trafficking_regions"].text,
        "base_a": CODEBOOK["victim_regions"].base, "base_b": CODEBOOK["trafficking_regions"].base,
        "label_a": {"en": "2016: victim regions", "sv": "2016: barnens regioner"},
        "label_b": {"en": "2018: trafficking regions", "sv": "2018: regioner med trafficking"},
        "n_a": 360, "n_b": 46, "conf_level": 0.95, "ci_method": "wilson", "test": BL_TEST,
    }


# 2016 (n = 370) and 2018 (n = 272) respondents by country, codebook order (the shipped synthetic
# exports); international_org takes the rest
COUNTRY_A = [2, 12, 4, 14, 1, 0, 7, 2, 6, 4, 9, 1, 0, 3, 3, 0, 2, 8, 4, 8, 1, 0, 3, 3, 12, 1, 2, 28, 226]
COUNTRY_B = [1, 7, 2, 8, 1, 1, 4, 1, 3, 2, 4, 1, 1, 2, 2, 1, 1, 5, 3, 10, 1, 1, 3, 2, 18, 1, 1, 33, 148]


def country_table() -> pd.DataFrame:
    return comparison_table("country", COUNTRY_A + [370 - sum(COUNTRY_A)], 370, COUNTRY_B + [272 - sum(COUNTRY_B)], 272)


def country_facts() -> dict:
    q = CODEBOOK["country"]
    return {"kind": "single", "wave_a": "2016", "wave_b": "2018", "question_a": q.text, "question_b": q.text,
            "base_a": q.base, "base_b": q.base, "label_a": "2016", "label_b": "2018", "ci_method": "wilson",
            "test": {"test": "Pearson chi-square (asymptotic)", "statistic": 19.4721, "df": 29,
                     "p_value": 0.9108, "cramers_v": 0.1741}}


# ---------------------------------------------------------------------------------------------
# Numbers and sentences
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p, lang, expected", [
    (0.012, "en", "0.012"), (0.0115, "en", "0.012"), (0.0125, "sv", "0,013"), (0.00099, "en", "< 0.001"),
    (1e-12, "sv", "< 0,001"), (0.001, "en", "0.001"), (0.9996, "en", "1.000"), (1.0, "en", "1.000"),
    (np.nan, "en", "–"), (None, "en", "–"),
])
def test_format_p(p, lang, expected):
    assert render_comparison.format_p(p, lang) == expected


@pytest.mark.parametrize("value, expected", [
    (Fraction(-1, 40) * 100, "-2.5"), (Fraction(1, 40) * 100, "2.5"), (Fraction(-1, 3000), "0.0"),
    (Fraction(649, 2000) * 100, "32.5"), (Fraction(-649, 2000) * 100, "-32.5"), (Fraction(0), "0.0"),
])
def test_format_exact_half_away_from_zero(value, expected):
    assert render_text.format_exact(value, 1, "en") == expected


def test_test_sentences():
    assert render_comparison.test_sentence(BL_TEST, "en") == (
        "Bilder–Loughin test of multiple marginal independence: X²_S = 38.27; Rao–Scott p < 0.001; "
        "bootstrap p < 0.001 (B = 9999).")
    assert render_comparison.test_sentence({"test": "Bilder-Loughin MMI", "statistic": 12.3, "p_rs2": 0.0115,
                             "p_bootstrap": 0.0101, "B": 9999}, "sv") == (
        "Bilder–Loughins test av multipelt marginellt oberoende: X²_S = 12,30; Rao–Scott-p = 0,012; "
        "bootstrap-p = 0,010 (B = 9999).")
    assert render_comparison.test_sentence(country_facts()["test"], "en") == (
        "Pearson's chi-square test (asymptotic): X² = 19.47; df = 29; p = 0.911; Cramér's V = 0.17.")
    # an unknown test keeps its name, an unknown p key its key
    assert render_comparison.test_sentence({"test": "Mantel-Haenszel", "statistic": 2.0, "p_exact": 0.2}, "sv") == (
        "Mantel-Haenszel: teststorhet = 2,00; p_exact = 0,200.")
    assert render_comparison.test_sentence(None, "en") == ""
    with pytest.raises(ValueError, match="names no test"):
        render_comparison.test_sentence({"statistic": 1.0, "p_value": 0.5}, "en")


def test_sentences_of_netclean_survey_compare():
    """The names and keys netclean_survey.compare gives: NaN numbers left out (bootstrap not run,
    test not computable), seed with B, dropped options by label."""
    mmi = {"test": "Bilder-Loughin MMI", "statistic": 9.5, "per_option": pd.DataFrame(), "p_bonferroni": 0.2,
           "rs2_statistic": 8.1, "rs2_df": 4.2, "p_rs2": 0.094, "p_bootstrap": np.nan, "B": 0, "seed": 7,
           "dropped_options": ["oceania"]}
    assert render_comparison.test_sentence(mmi, "en", {"oceania": "Oceania"}) == (
        "Bilder–Loughin test of multiple marginal independence: X²_S = 9.50; Rao–Scott p = 0.094; "
        "Bonferroni p = 0.200. Left out of the test (ticked by all or by none): Oceania.")
    mmi.update(p_bootstrap=0.0871, B=999, dropped_options=[])
    assert "bootstrap p = 0.087 (B = 999, seed 7); Bonferroni p = 0.200." in render_comparison.test_sentence(mmi, "en")
    mc = {"test": "Pearson chi-square (Monte Carlo, 9999 resamples, seed 20180)", "statistic": 19.47, "df": 29,
          "p_value": 0.93, "min_expected": 0.42, "cramers_v": 0.174, "dropped_options": ["cyprus"]}
    assert render_comparison.test_sentence(mc, "sv") == (
        "Pearsons chi2-test (Monte Carlo-p-värde: 9999 omdragningar, seed 20180): X² = 19,47; fg = 29; "
        "p = 0,930; Cramérs V = 0,17. Utelämnade ur testet (kryssade av alla eller ingen): cyprus.")
    untestable = {"test": "Pearson chi-square (not testable: fewer than two options chosen)", "statistic": np.nan,
                  "df": np.nan, "p_value": np.nan, "min_expected": np.nan, "cramers_v": np.nan, "dropped_options": []}
    assert render_comparison.test_sentence(untestable, "sv") == (
        "Pearsons chi2-test kan inte beräknas (färre än två alternativ valda).")
    assert render_comparison.test_name("score (pooled, no continuity correction)", "sv") == (
        "score-test (poolad, utan kontinuitetskorrektion)")
    assert render_comparison.diff_method_name("newcombe", "en") == "Newcombe hybrid score"


# ---------------------------------------------------------------------------------------------
# Markdown: hand-written expected text
# ---------------------------------------------------------------------------------------------


def tiny_table() -> pd.DataFrame:
    """Two options; a formula and a pipe in the English labels; a p below 0.001."""
    return pd.DataFrame({
        "option": ["europe", "asia"],
        "n_a": [80, 80], "count_a": [13, 67], "share_a": [13 / 80, 67 / 80],  # 16.25 and 83.75 %: half up
        "ci_low_a": [0.0975, 0.74], "ci_high_a": [0.2601234567, 0.903],
        "n_b": [46, 46], "count_b": [27, 19], "share_b": [27 / 46, 19 / 46],
        "ci_low_b": [0.443, 0.2834], "ci_high_b": [0.7166, 0.557],
        "difference": [27 / 46 - 13 / 80, 19 / 46 - 67 / 80],  # +42.4456... and -42.4456... pp
        "diff_ci_low": [0.2514, -0.5698], "diff_ci_high": [0.5698, -0.2514],
        "diff_ci_method": ["newcombe_hybrid", "newcombe_hybrid"],
        "statistic": [4.9, -4.9], "p_value": [1.2e-6, 0.0125], "test": ["score", "score"],
        "p_holm": [2.4e-6, 0.0125], "cohens_h": [0.88, -0.88], "conf_level": [0.95, 0.95],
        "label_sv": ["Europa", "Asien"], "label_en": ["=SUM(A1)", "Asia | Pacific"],
    })


def tiny_facts() -> dict:
    return {
        "kind": "multi", "wave_a": "2016", "wave_b": "2018",
        "question_a": {"en": "victim regions", "sv": "barnens regioner"},
        "question_b": {"en": "trafficking regions", "sv": "regioner med trafficking"},
        "base_a": {"en": "all respondents who ticked at least one option",
                   "sv": "alla svarande som kryssat minst ett alternativ"},
        "n_a": 80, "n_b": 46, "conf_level": 0.95, "ci_method": "wilson",
        "test": {"test": "Bilder-Loughin MMI", "statistic": 12.345, "p_rs2": 0.0115, "p_bootstrap": 0.0001,
                 "B": 9999},
    }


EXPECTED_MD_EN = """\
# Regions of the children and of trafficking

Wave 2016: victim regions (all respondents who ticked at least one option, n = 80). Wave 2018: \
trafficking regions (n = 46).

Shares in percent with 95 % confidence intervals (Wilson) in brackets. Differences, 2018: trafficking \
regions minus 2016: victim regions, in percentage points with 95 % confidence intervals (Newcombe \
hybrid score). p: score test for each option; p Holm: the same p-values Holm-adjusted over the \
options. Tick all that apply: shares need not sum to 100 %.

Bilder–Loughin test of multiple marginal independence: X²_S = 12.35; Rao–Scott p = 0.012; \
bootstrap p < 0.001 (B = 9999).

| Option | 2016: victim regions (%) | 2018: trafficking regions (%) | Difference (percentage points) | p | p Holm |
|:---|---:|---:|---:|---:|---:|
| '=SUM(A1) | 16.3 [9.8, 26.0] | 58.7 [44.3, 71.7] | 42.4 [25.1, 57.0] | < 0.001 | < 0.001 |
| Asia \\| Pacific | 83.8 [74.0, 90.3] | 41.3 [28.3, 55.7] | -42.4 [-57.0, -25.1] | 0.013 | 0.013 |

*Synthetic data: rows reconstructed by a seeded generator to agree with the published aggregates; \
not real survey microdata.*
"""

EXPECTED_MD_SV = """\
# Land: 2016 och 2018

Omgång 2016: barnens regioner (alla svarande som kryssat minst ett alternativ, n = 80). Omgång 2018: \
regioner med trafficking (n = 46).

Andelar i procent med 95 % konfidensintervall (Wilson) inom hakparentes. Skillnader, 2018 minus 2016, \
i procentenheter med 95 % konfidensintervall (Newcombes hybrida score-metod). p: score-test för varje \
alternativ; p Holm: samma p-värden Holm-justerade över alternativen.

Pearsons chi2-test (asymptotiskt): X² = 12,35; fg = 1; p < 0,001; Cramérs V = 0,32.

| Svarsalternativ | 2016 (%) | 2018 (%) | Skillnad (procentenheter) | p | p Holm |
|:---|---:|---:|---:|---:|---:|
| Europa | 16,3 [9,8; 26,0] | 58,7 [44,3; 71,7] | 42,4 [25,1; 57,0] | < 0,001 | < 0,001 |
| Asien | 83,8 [74,0; 90,3] | 41,3 [28,3; 55,7] | -42,4 [-57,0; -25,1] | 0,013 | 0,013 |
"""


def test_markdown_exact_text_en(tmp_path):
    path = tmp_path / "sub" / "c.en.md"
    facts = {**tiny_facts(), "label_a": "2016: victim regions", "label_b": {"en": "2018: trafficking regions"}}
    render_comparison.write_comparison_markdown(tiny_table(), path, "en", "Regions of the children and of trafficking",
                                 facts, SYNTHETIC_NOTE["en"])
    assert path.read_bytes() == EXPECTED_MD_EN.encode("utf-8")


def test_markdown_exact_text_sv_single_without_note():
    facts = {**tiny_facts(), "kind": "single",  # no labels: the waves
             "test": {"test": "Pearson chi-square (asymptotic)", "statistic": 12.345, "df": 1,
                      "p_value": 0.00044, "cramers_v": 0.3189}}
    assert render_comparison.comparison_markdown(tiny_table(), "sv", "Land: 2016 och 2018", facts, None) == EXPECTED_MD_SV


# ---------------------------------------------------------------------------------------------
# Titles: what is compared, in words (the questionnaire's short names), in Swedish and English
# ---------------------------------------------------------------------------------------------


def name(question: str, lang: str) -> str:
    return CODEBOOK[question].name(lang)


def test_title_of_one_question_in_two_waves():
    for lang, expected in (("en", "Respondent's region, 2016 and 2018"), ("sv", "Svarandes region, 2016 och 2018")):
        got = render_comparison.sides_title(name("respondent_region", lang), "2016", name("respondent_region", lang),
                                            "2018", lang)
        assert got == expected
    assert render_comparison.sides_title(name("country", "sv"), "2016", name("country", "sv"), "2018", "sv") == (
        "Svarandes land, 2016 och 2018")


def test_title_of_two_questions_of_one_wave_says_their_shared_words_once():
    expected = {
        ("grooming_ages_common", "en"): "Most common ages in grooming cases and in sexual extortion cases, 2018",
        ("grooming_ages_common", "sv"): "Vanligaste åldrar i fall med grooming och med sexuell utpressning, 2018",
        ("grooming_ages_seen", "en"): "Ages seen in grooming cases and in sexual extortion cases, 2018",
        ("grooming_ages_seen", "sv"): "Åldrar som förekommer i fall med grooming och med sexuell utpressning, 2018",
    }
    for (first, lang), title in expected.items():
        second = first.replace("grooming", "sextortion")
        assert render_comparison.sides_title(name(first, lang), "2018", name(second, lang), "2018", lang) == title


def test_title_of_two_questions_of_two_waves():
    titles = {lang: render_comparison.sides_title(name("victim_regions", lang), "2016",
                                                  name("trafficking_regions", lang), "2018", lang)
              for lang in ("en", "sv")}
    assert titles == {
        "en": "Where the children in the material come from (2016) and where officers see a link to trafficking (2018)",
        "sv": "Var barnen i materialet kommer ifrån (2016) och var poliserna ser en koppling till trafficking (2018)",
    }


def test_titles_of_options_within_a_question_and_of_a_gap_across_waves():
    options = {"en": ["North America", "Europe", "Asia"], "sv": ["Nordamerika", "Europa", "Asien"]}
    assert render_comparison.within_title(name("victim_regions", "en"), "2016", options["en"], "en") == (
        "Where the children in the material come from, 2016: North America, Europe and Asia compared")
    assert render_comparison.within_title(name("victim_regions", "sv"), "2016", options["sv"], "sv") == (
        "Var barnen i materialet kommer ifrån, 2016: Nordamerika, Europa och Asien jämförda")
    gap = render_comparison.contrast_title(["Asien"], ["Nordamerika", "Europa"], name("victim_regions", "sv"), "2016",
                                           name("trafficking_regions", "sv"), "2018", "sv")
    assert gap == ("Asien mot Nordamerika och Europa: var barnen i materialet kommer ifrån (2016) och var poliserna "
                   "ser en koppling till trafficking (2018)")
    gap = render_comparison.contrast_title(["Asia"], ["North America", "Europe"], "regions", "2016", "regions", "2018",
                                           "en")
    assert gap == "Asia against North America and Europe: regions, 2016 and 2018"


def test_names_are_joined_by_their_language_and_only_a_preposition_is_shared():
    joined = render_comparison.joined_names
    assert joined("most common threat", "most common age", "en") == "most common threat and most common age"
    assert joined("share of yes", "share of no", "en") == "share of yes and of no"
    assert joined("andelen i Europa", "andelen i Asien", "sv") == "andelen i Europa och i Asien"
    assert joined("in Europe", "in Asia", "en") == "in Europe and in Asia"
    assert joined("respondent's region", "respondent's region", "en") == "respondent's region"
    words = render_comparison.word_list
    assert [words(x, "sv") for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == ["", "A", "A och B", "A, B och C"]
    assert words(["A", "B", "C"], "en") == "A, B and C"


def test_a_question_without_a_short_name_is_named_by_its_text():
    question = dataclasses.replace(CODEBOOK["trafficking_link"], short=None)
    assert question.name("en") == (
        "Do you see a connection between the production of child sexual abuse material and trafficking?")
    assert CODEBOOK["trafficking_link"].name("sv") == "koppling mellan övergreppsmaterial och trafficking"


def test_a_title_with_markup_is_escaped_in_the_markdown_heading():
    text = render_comparison.comparison_markdown(tiny_table(), "en", "Yes | *no*, 2016 and 2018", tiny_facts(), None)
    assert text.startswith("# Yes \\| \\*no\\*, 2016 and 2018\n")


@pytest.fixture(scope="module")
def published_comparisons(tmp_path_factory):
    """The shipped comparisons but the bootstrap of regions (tick all, 9999 resamples), written by
    compare.publish.write_comparison from the synthetic exports."""
    from netclean_survey.clean.stage import clean_export
    from netclean_survey.compare.publish import write_comparison
    from netclean_survey.core.codebook import load_wave
    from netclean_survey.core.plan import configured_comparisons
    from netclean_survey.core.yamlfile import read_yaml

    config = read_yaml(ROOT / "config" / "config.yaml")
    waves = {w: load_wave(ROOT / "config" / "waves" / f"{w}.yaml", CODEBOOK) for w in ("2016", "2018")}
    responses = {w: clean_export(ROOT / wave.raw, wave).responses for w, wave in waves.items()}
    out = tmp_path_factory.mktemp("compare")
    for c in configured_comparisons(config, waves, CODEBOOK):
        if c.name in ("respondent_region_2016_vs_2018", "victim_regions_2016_options",
                      "ages_common_grooming_vs_sextortion_2018", "asia_gap_2016_vs_2018"):
            write_comparison(c.name, c.kind, c.spec, responses, waves, CODEBOOK, config["compare"],
                             config["estimate"]["interval_method"], out / c.name, ["sv", "en"])
    return out


@pytest.mark.parametrize("comparison, en, sv", [
    ("respondent_region_2016_vs_2018", "Respondent's region, 2016 and 2018", "Svarandes region, 2016 och 2018"),
    ("victim_regions_2016_options", "Where the children in the material come from, 2016: North America, Europe and "
     "Asia compared", "Var barnen i materialet kommer ifrån, 2016: Nordamerika, Europa och Asien jämförda"),
    ("ages_common_grooming_vs_sextortion_2018",
     "Most common ages in grooming cases and in sexual extortion cases, 2018", "Vanligaste åldrar i fall med grooming och med sexuell utpressning, 2018"),
    ("asia_gap_2016_vs_2018", "Asia against North America and Europe: where the children in the material come from "
     "(2016) and where officers see a link to trafficking (2018)", "Asien mot Nordamerika och Europa: var barnen i "
     "materialet kommer ifrån (2016) och var poliserna ser en koppling till trafficking (2018)"),
])
def test_published_comparisons_are_titled_in_words(published_comparisons, comparison, en, sv):
    for lang, title in (("en", en), ("sv", sv)):
        text = (published_comparisons / comparison / f"comparison.{lang}.md").read_text(encoding="utf-8")
        assert text.split("\n")[0] == f"# {title}"
        for figure in published_comparisons.glob(f"{comparison}/*.{lang}.svg"):  # between waves: the figures too
            assert f"<dc:title>{escape(title)}</dc:title>" in figure.read_text(encoding="utf-8")
    assert list(published_comparisons.glob("respondent_region_2016_vs_2018/*.svg"))


def test_markdown_shares_and_differences_from_counts_not_floats():
    """A share printed from the counts, whatever the six-decimal float read back from a CSV says."""
    table = tiny_table().assign(share_a=[0.1625, 0.8375])  # 16.3 / 83.8 either way
    table.loc[0, "difference"] = round(table.loc[0, "difference"], 6)
    text = render_comparison.comparison_markdown(table, "en", "T", tiny_facts(), None)
    assert "| 16.3 [9.8, 26.0] | 58.7 [44.3, 71.7] | 42.4 [25.1, 57.0] |" in text


def test_markdown_without_whole_question_test_and_with_empty_base():
    table = tiny_table()
    table[["n_b", "count_b"]] = 0
    table[["share_b", "ci_low_b", "ci_high_b", "difference", "diff_ci_low", "diff_ci_high", "p_value",
           "p_holm"]] = np.nan
    text = render_comparison.comparison_markdown(table, "en", "T", {**tiny_facts(), "test": None, "n_b": None}, None)
    assert "Bilder" not in text
    assert "| '=SUM(A1) | 16.3 [9.8, 26.0] | – | – | – | – |" in text


def test_markdown_with_the_table_of_netclean_survey_comparisons():
    """ci_method as a table column, no side labels (the waves then), options not compared."""
    table = tiny_table()
    table.insert(3, "ci_method", "wilson")
    facts = {k: v for k, v in tiny_facts().items() if k not in ("ci_method", "base_a")}
    facts["left_out"] = {"en": ["Central America"], "sv": ["Centralamerika"]}
    text = render_comparison.comparison_markdown(table, "en", "T", facts, None)
    assert "| Option | 2016 (%) | 2018 (%) | Difference (percentage points) | p | p Holm |" in text
    assert "Differences, 2018 minus 2016, in percentage points" in text
    assert "confidence intervals (Wilson) in brackets" in text
    assert "\n\nNot compared (offered in only one of the questions): Central America.\n\n" in text
    with pytest.raises(ValueError, match="ci_method"):
        render_comparison.comparison_markdown(table, "en", "T", {**facts, "ci_method": "jeffreys"}, None)


@pytest.mark.parametrize("change, message", [
    (lambda t, f: f.pop("ci_method"), "facts lack"),
    (lambda t, f: f.update(n_b=47), "n_b"),
    (lambda t, f: f.update(kind="text"), "kind"),
    (lambda t, f: t.loc.__setitem__((1, "n_a"), 81), "one value of 'n_a'"),
    (lambda t, f: t.loc.__setitem__((0, "share_b"), 0.6), "share_b"),
    (lambda t, f: t.loc.__setitem__((1, "difference"), 0.1), "difference"),
    (lambda t, f: t.__setitem__("test", ""), "name of their test"),
    (lambda t, f: t.__setitem__("diff_ci_method", np.nan), "diff_ci_method"),
    (lambda t, f: f.update(question_a={"en": "only English"}), "'sv'"),
])
def test_inconsistent_input_refused(change, message):
    table, facts = tiny_table(), tiny_facts()
    change(table, facts)
    with pytest.raises(ValueError, match=re.escape(message)):
        render_comparison.comparison_markdown(table, "sv", "T", facts, None)


def test_unknown_language_refused(tmp_path):
    with pytest.raises(ValueError, match="lang"):
        render_comparison.comparison_markdown(tiny_table(), "de", "T", tiny_facts(), None)


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


def test_workbook_same_bytes_and_content(tmp_path):
    sheets = {"victim_regions_2016_vs_trafficking_regions_2018": regions_table(), "country": country_table()}
    render_comparison.write_comparison_workbook(sheets, tmp_path / "a.xlsx", SYNTHETIC_NOTE)
    render_comparison.write_comparison_workbook(sheets, tmp_path / "b.xlsx", SYNTHETIC_NOTE)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["README", "victim_regions_2016_vs_traffick", "country"]
    ws = wb["country"]
    from netclean_survey.render.workbook import column_header

    assert [c.value for c in ws[1]] == [column_header(c) for c in
                                        [*render_comparison.COMPARE_COLUMNS, "label_sv", "label_en"]]
    assert ws.max_row == 31


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def draw(tmp_path, name, kind="dumbbell", lang="en", which="regions"):
    table, facts = (regions_table(), regions_facts()) if which == "regions" else (country_table(), country_facts())
    titles = {"regions": {"en": "Where the children come from (2016) and where officers see trafficking (2018)",
                          "sv": "Var barnen kommer ifrån (2016) och var poliserna ser trafficking (2018)"},
              "country": {"en": "Respondents by country, 2016 and 2018", "sv": "Svarande per land, 2016 och 2018"}}
    png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
    if kind == "dumbbell":
        render_comparison_figures.plot_dumbbell(table, lang, None, None, titles[which][lang], facts, png, svg, SYNTHETIC_NOTE[lang])
    else:
        render_comparison_figures.plot_forest(table, lang, titles[which][lang], facts, png, svg, SYNTHETIC_NOTE[lang])
    return png.read_bytes(), svg.read_bytes()


def svg_text(svg: bytes) -> str:
    """The strings matplotlib wrote as comments beside the glyph outlines, whitespace collapsed."""
    comments = re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", " ".join(comments)))  # "&lt; 0.001"


FIGURES = [(kind, lang, which) for kind in ("dumbbell", "forest") for lang in ("en", "sv")
           for which in ("regions", "country")]


@pytest.mark.parametrize("kind, lang, which", FIGURES)
def test_figure_twice_same_bytes(tmp_path, kind, lang, which):
    first = draw(tmp_path, "a", kind, lang, which)
    second = draw(tmp_path, "b", kind, lang, which)
    assert first == second
    png, svg = first
    assert png.startswith(b"\x89PNG") and svg.startswith(b"<?xml")
    text = svg.decode("utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    assert b"Software" not in png and b"atplotlib" not in png


@pytest.mark.parametrize("kind, lang, which", FIGURES)
def test_figure_says_what_it_shows(tmp_path, kind, lang, which):
    _, svg = draw(tmp_path, "a", kind, lang, which)
    text = svg_text(svg)
    assert SYNTHETIC_NOTE[lang] in text
    assert escape(SYNTHETIC_NOTE[lang]) in svg.decode("utf-8")  # also in <dc:description>
    test = regions_facts()["test"] if which == "regions" else country_facts()["test"]
    assert render_comparison.test_name(test["test"], lang) in text
    assert render_comparison.test_sentence(test, lang) in text
    assert render_text.TEXTS[lang]["whiskers" if kind == "dumbbell" else "wave"].split(" ")[0] in text
    n_a, n_b = (360, 46) if which == "regions" else (370, 272)
    assert f"n = {n_a}" in text and f"n = {n_b}" in text
    assert (render_text.TEXTS[lang]["multi"] in text) == (which == "regions")
    labels = CODEBOOK["trafficking_regions" if which == "regions" else "country"].options
    for option in labels:
        assert option.label(lang) in text
    if kind == "dumbbell":
        assert render_text.TEXTS[lang]["whiskers"].format(level="95", method="Wilson") in text
        if which == "regions":
            assert f"{regions_facts()['label_a'][lang]} (n = 360)" in text  # legend
    else:
        assert render_comparison.DIFF_METHOD_NAMES["newcombe hybrid"][lang] in text
        assert render_comparison.TEXTS[lang]["p_holm_caption"].format(test=render_comparison.test_name("score", lang)) in text
        assert render_comparison.TEXTS[lang]["p_header"] in text
        assert render_comparison.format_p(regions_table()["p_holm"].iloc[0] if which == "regions" else 1.0, lang) in text


HOSTILE = {
    "font.size": 20, "font.family": "serif", "svg.fonttype": "none", "svg.hashsalt": None,
    "figure.dpi": 33, "savefig.dpi": 42, "savefig.bbox": "tight", "lines.linewidth": 5, "lines.markersize": 20,
    "errorbar.capsize": 10, "axes.facecolor": "black", "text.color": "red", "axes.formatter.use_locale": True,
    "figure.figsize": (2, 2), "legend.frameon": True, "legend.fontsize": 30, "axes.prop_cycle":
    matplotlib.cycler(color=["red", "green"]), "text.parse_math": True, "axes.unicode_minus": False,
}


@pytest.mark.parametrize("kind", ["dumbbell", "forest"])
def test_figure_unaffected_by_hostile_rcparams(tmp_path, kind):
    clean = draw(tmp_path, "clean", kind)
    with matplotlib.rc_context():
        sns.set_theme(style="darkgrid", palette="husl", font_scale=1.8, context="poster")
        matplotlib.rcParams.update(HOSTILE)
        before = dict(matplotlib.rcParams)
        hostile = draw(tmp_path, "hostile", kind)
        after = dict(matplotlib.rcParams)
    assert hostile == clean
    assert before == after  # and the call leaves the caller's settings as they were


def test_figure_same_bytes_in_another_process(tmp_path):
    """As with --cores 4: another interpreter, another hash seed, same bytes."""
    here = draw(tmp_path, "here", "forest", "sv")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
            "from pathlib import Path; import test_render_compare as t;"
            "t.draw(Path(sys.argv[3]), 'there', 'forest', 'sv')")
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    subprocess.run([sys.executable, "-c", code, str(ROOT / "workflow"), str(Path(__file__).parent), str(tmp_path)],
                   check=True, env=env, cwd=tmp_path)
    assert here == ((tmp_path / "there.png").read_bytes(), (tmp_path / "there.svg").read_bytes())


def test_figures_with_an_empty_side(tmp_path):
    """A side with n = 0 (NaN shares, differences, p): drawn without error, "–" for its p."""
    table = tiny_table()
    table[["n_b", "count_b"]] = 0
    table[["share_b", "ci_low_b", "ci_high_b", "difference", "diff_ci_low", "diff_ci_high", "p_value",
           "p_holm"]] = np.nan
    facts = {**tiny_facts(), "n_b": None}
    render_comparison_figures.plot_dumbbell(table, "en", "a", "b", "T", facts, tmp_path / "d.png", tmp_path / "d.svg", None)
    render_comparison_figures.plot_forest(table, "en", "T", facts, tmp_path / "f.png", tmp_path / "f.svg", None)
    text = svg_text((tmp_path / "f.svg").read_bytes())
    assert "n = 0" in text and "–" in text


@pytest.mark.parametrize("lang, expected", [
    ("en", "The intervals are unadjusted 95 % confidence intervals, one option at a time; the p-values are "
           "Holm-adjusted over the options."),
    ("sv", "Intervallen är ojusterade 95 % konfidensintervall, ett alternativ i taget; p-värdena är "
           "Holm-justerade över alternativen."),
])
def test_forest_says_its_intervals_are_unadjusted_and_its_p_values_adjusted(tmp_path, lang, expected):
    _, svg = draw(tmp_path, "f", "forest", lang)
    assert expected in svg_text(svg)
    assert escape(expected) in svg.decode("utf-8")  # also in <dc:description>
    # the level is the table's (config compare.conf_level), not a fixed 95
    table = country_table().assign(conf_level=0.9)
    fig = render_comparison_figures.plot_forest(table, lang, "T", country_facts(), tmp_path / "g.png",
                                                tmp_path / "g.svg", None)
    caption = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert expected.replace("95", "90") in caption and "95" not in caption
    # without p-values, only the intervals
    table = tiny_table().assign(p_value=np.nan, p_holm=np.nan, test="")
    facts = {**tiny_facts(), "test": None}
    render_comparison_figures.plot_forest(table, lang, "T", facts, tmp_path / "h.png", tmp_path / "h.svg", None)
    text = svg_text((tmp_path / "h.svg").read_bytes())
    assert expected.split(";")[0] + "." in text and expected.split("; ")[1] not in text


def test_forest_ticks_in_swedish_have_a_decimal_comma(tmp_path):
    table = comparison_table("trafficking_regions", [50_000] * 6, 100_000, [50_100] * 6, 100_000)
    facts = {**tiny_facts(), "n_a": None, "n_b": None}
    render_comparison_figures.plot_forest(table, "sv", "T", facts, tmp_path / "f.png", tmp_path / "f.svg", None)
    text = svg_text((tmp_path / "f.svg").read_bytes())
    ticks = re.findall(r"(?<![\d,.])−?\d,\d+(?![\d,])", text.split("Skillnad")[0])
    assert len(ticks) >= 3 and not re.search(r"\d\.\d", text.split("Skillnad")[0])


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_long_country_comparison_draws_the_options_chosen_by_five_or_more_sorted_by_the_later_share(tmp_path, lang):
    """Of 30 countries, 10 were chosen by 5 or more respondents in 2016 or in 2018 (worked from
    COUNTRY_A and COUNTRY_B): they are drawn, by the 2018 share (Germany and Denmark, 4 each in 2018,
    by their 2016 counts 9 and 7); the caption says that the other 20 are in the table only."""
    expected = {"en": ["United States", "United Kingdom", "Sweden", "Norway", "Canada", "Australia", "Netherlands",
                       "Germany", "Denmark", "Finland"],
                "sv": ["USA", "Storbritannien", "Sverige", "Norge", "Kanada", "Australien", "Nederländerna",
                       "Tyskland", "Danmark", "Finland"]}
    rows, sentence = render_comparison_figures.drawn_rows(country_table(), CODEBOOK["country"], lang, ("2016", "2018"))
    assert rows[f"label_{lang}"].tolist() == expected[lang]
    assert sentence == {"en": "20 options chosen by fewer than 5 respondents in 2016 and in 2018 are not drawn; "
                              "the table lists every option.",
                        "sv": "20 alternativ som färre än 5 svarande valde både 2016 och 2018 visas inte; "
                              "tabellen listar alla alternativ."}[lang]
    png, svg = tmp_path / "d.png", tmp_path / "d.svg"
    fig = render_comparison_figures.plot_forest(rows, lang, "Respondents by country", country_facts(), png, svg,
                                               None, sentence)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == expected[lang]
    assert sentence in svg_text(svg.read_bytes())
    # a multi question, or a short list, is drawn as its table
    table = regions_table()
    assert render_comparison_figures.drawn_rows(table, CODEBOOK["trafficking_regions"], lang, ("a", "b"))[0].equals(table)
