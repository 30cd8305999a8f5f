"""Weighted comparisons between waves as Markdown (``compare/{name}/weighted/comparison.{lang}.md``),
in Swedish and English: the sides with their effective sample sizes, how the weights were made, the
methods, the whole-question test and a table of weighted shares and differences; and the weighted
gap of a contrast. Shares come from the weights, not from counts: they are printed from the
published (rounded) values, one decimal, half up."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .comparison import format_p, p_relation
from .result_tables import Column, interval_cell, result_markdown
from .text import TEXTS, format_decimal, format_level, method_name

WEIGHTED_WORDS = {
    "en": {
        "title": "{title} (weighted)",
        "side": "Wave {wave}: {question} ({base}, n = {n}; Kish's effective sample size {n_eff})",
        "weighting": "Weighted estimates ({weighting}); the unweighted comparison is comparison.{lang}.md in the "
                     "folder above.",
        "shares": "Weighted shares in percent with {level} % confidence intervals ({method}) in brackets.",
        "differences": "Differences, {b} minus {a}, in percentage points with {level} % Wald intervals "
                       "(linearisation variance, the waves as strata of one design). p: Wald z test for each "
                       "option; p Holm: the same p-values Holm-adjusted over the options.",
        "rao_scott": "Rao–Scott test (second-order, design-based): X² = {x2}, F = {f} on {ndf} and {ddf} degrees "
                     "of freedom; p {p}; mean generalised design effect {deff}.",
        "mmi": "Bilder–Loughin test of multiple marginal independence with weights (Rao–Scott second-order F): "
               "X²_S = {x2}, F = {f} on {ndf} and {ddf} degrees of freedom; p {p}; Bonferroni p {p_bonferroni} "
               "(each option's Rao–Scott test); mean generalised design effect {deff}.",
        "not_testable": "The whole question cannot be tested ({why}).",
        "one_option": "fewer than two options left", "one_respondent": "fewer than two respondents in a wave",
        "margin": "Both waves are raked to this question's population shares: its weighted shares are those shares "
                  "by construction (up to trimming), and their difference says nothing about the respondents.",
        "dropped": "Left out of the test: {options}.",
        "left_out": "Not compared (offered in only one of the questions): {options}.",
        "option": "Option", "side_col": "{wave} (%)", "difference": "Difference (percentage points)", "p": "p",
        "p_holm": "p Holm", "group": "Group", "n": "n", "n_eff": "Effective n", "estimate": "Estimate, pp [CI]",
        "contrast": "The gap {contrast} within each wave, weighted ({weighting}), and its change between the waves "
                    "({method}, {level} %).",
    },
    "sv": {
        "title": "{title} (vägd)",
        "side": "Omgång {wave}: {question} ({base}, n = {n}; Kishs effektiva urvalsstorlek {n_eff})",
        "weighting": "Vägda skattningar ({weighting}); den ovägda jämförelsen är comparison.{lang}.md i mappen "
                     "ovanför.",
        "shares": "Vägda andelar i procent med {level} % konfidensintervall ({method}) inom hakparentes.",
        "differences": "Skillnader, {b} minus {a}, i procentenheter med {level} % Waldintervall "
                       "(linjäriseringsvarians, omgångarna som strata i en design). p: Walds z-test för varje "
                       "alternativ; p Holm: samma p-värden Holm-justerade över alternativen.",
        "rao_scott": "Rao–Scotts test (andra ordningen, designbaserat): X² = {x2}, F = {f} med {ndf} och {ddf} "
                     "frihetsgrader; p {p}; genomsnittlig generaliserad designeffekt {deff}.",
        "mmi": "Bilder–Loughins test av multipelt marginellt oberoende med vikter (Rao–Scotts F, andra ordningen): "
               "X²_S = {x2}, F = {f} med {ndf} och {ddf} frihetsgrader; p {p}; Bonferroni-p {p_bonferroni} "
               "(varje alternativs Rao–Scott-test); genomsnittlig generaliserad designeffekt {deff}.",
        "not_testable": "Hela frågan kan inte testas ({why}).",
        "one_option": "färre än två alternativ kvar", "one_respondent": "färre än två svarande i en omgång",
        "margin": "Båda omgångarna är kalibrerade mot den här frågans populationsandelar: dess vägda andelar är de "
                  "andelarna per konstruktion (så när som på trimningen), och skillnaden säger inget om de svarande.",
        "dropped": "Utelämnade ur testet: {options}.",
        "left_out": "Inte jämförda (fanns bara i en av frågorna): {options}.",
        "option": "Svarsalternativ", "side_col": "{wave} (%)", "difference": "Skillnad (procentenheter)", "p": "p",
        "p_holm": "p Holm", "group": "Grupp", "n": "n", "n_eff": "Effektivt n", "estimate":
            "Skattning, procentenheter [KI]",
        "contrast": "Skillnaden {contrast} inom varje omgång, vägd ({weighting}), och dess förändring mellan "
                    "omgångarna ({method}, {level} %).",
    },
}

#: Weighted interval methods by their config id.
WEIGHTED_METHOD_NAMES = {"korn-graubard": "Korn–Graubard", "logit": "logit"}


def _number(value, lang: str, places: int = 2) -> str:
    return format_decimal(value, places, lang)


def weighted_test_sentence(test: Mapping, lang: str, labels: Mapping[str, str]) -> str:
    """The whole-question test with weights in one sentence (Rao-Scott F, or the Bilder-Loughin test
    with weights), and the options it left out."""
    w = WEIGHTED_WORDS[lang]
    if pd.isna(test.get("f_statistic", float("nan"))):
        reason = "one_respondent" if "fewer than two respondents" in str(test.get("test", "")) else "one_option"
        sentence = w["not_testable"].format(why=w[reason])
    else:
        key = "mmi" if "p_bonferroni" in test else "rao_scott"
        sentence = w[key].format(x2=_number(test["statistic"], lang), f=_number(test["f_statistic"], lang),
                                 ndf=_number(test["ndf"], lang), ddf=_number(test["ddf"], lang),
                                 p=p_relation(test["p_value"], lang),
                                 p_bonferroni=p_relation(test.get("p_bonferroni"), lang),
                                 deff=_number(test["mean_design_effect"], lang))
    dropped = test.get("dropped_options") or []
    if dropped:
        sentence += " " + w["dropped"].format(options=", ".join(labels.get(str(o), str(o)) for o in dropped))
    return sentence


def weighted_between_markdown(table: pd.DataFrame, test: Mapping, facts: Mapping, title: str, lang: str,
                              note: str | None) -> str:
    """The weighted comparison of one question in two waves. ``facts``: wave_a, wave_b, question_a,
    question_b, base_a, base_b (texts in ``lang``), kind, left_out (labels), and margin (True: the
    question is a margin both waves are raked to, which a sentence says)."""
    w, first = WEIGHTED_WORDS[lang], table.iloc[0]
    level = format_level(first["conf_level"])
    sides = [w["side"].format(wave=facts[f"wave_{s}"], question=facts[f"question_{s}"], base=facts[f"base_{s}"],
                              n=int(first[f"n_{s}"]), n_eff=_number(first[f"n_effective_{s}"], lang, 1)) + "."
             for s in ("a", "b")]
    sentences = [*sides, w["weighting"].format(weighting=first["weighting"], lang=lang),
                 w["shares"].format(level=level, method=WEIGHTED_METHOD_NAMES.get(first["ci_method"],
                                                                                  method_name(first["ci_method"]))),
                 w["differences"].format(a=facts["wave_a"], b=facts["wave_b"], level=level)]
    if facts["kind"] == "multi":
        sentences.append(TEXTS[lang]["multi"])
    labels = dict(zip(table["option"].astype(str), table[f"label_{lang}"].astype(str)))
    sentences.append(weighted_test_sentence(test, lang, labels))
    if facts.get("left_out"):
        sentences.append(w["left_out"].format(options=", ".join(facts["left_out"])))
    if facts.get("margin"):
        sentences.append(w["margin"])
    columns: list[Column] = [
        ({k: WEIGHTED_WORDS[k]["option"] for k in WEIGHTED_WORDS}, lambda r, lg: getattr(r, f"label_{lg}"), True),
        ({k: WEIGHTED_WORDS[k]["side_col"].format(wave=facts["wave_a"]) for k in WEIGHTED_WORDS},
         lambda r, lg: interval_cell(r.share_a, r.ci_low_a, r.ci_high_a, lg), False),
        ({k: WEIGHTED_WORDS[k]["side_col"].format(wave=facts["wave_b"]) for k in WEIGHTED_WORDS},
         lambda r, lg: interval_cell(r.share_b, r.ci_low_b, r.ci_high_b, lg), False),
        ({k: WEIGHTED_WORDS[k]["difference"] for k in WEIGHTED_WORDS},
         lambda r, lg: interval_cell(r.difference, r.diff_ci_low, r.diff_ci_high, lg, points=True), False),
        ({k: WEIGHTED_WORDS[k]["p"] for k in WEIGHTED_WORDS}, lambda r, lg: format_p(r.p_value, lg), False),
        ({k: WEIGHTED_WORDS[k]["p_holm"] for k in WEIGHTED_WORDS}, lambda r, lg: format_p(r.p_holm, lg), False),
    ]
    return result_markdown(w["title"].format(title=title), sentences, table, columns, lang, note)


def weighted_contrast_markdown(table: pd.DataFrame, contrast_words: str, title: str, lang: str,
                               note: str | None) -> str:
    """The weighted gap of a contrast in each wave and its change (``weights.comparison.weighted_contrast``'s
    rows)."""
    w = WEIGHTED_WORDS[lang]
    sentence = w["contrast"].format(contrast=contrast_words, weighting=table["weighting"].iat[0],
                                    method=table["ci_method"].iat[0], level=format_level(table["conf_level"].iat[0]))
    columns: list[Column] = [
        ({k: WEIGHTED_WORDS[k]["group"] for k in WEIGHTED_WORDS}, lambda r, lg: str(r.group), True),
        ({k: WEIGHTED_WORDS[k]["n"] for k in WEIGHTED_WORDS}, lambda r, lg: str(int(r.n)), False),
        ({k: WEIGHTED_WORDS[k]["n_eff"] for k in WEIGHTED_WORDS}, lambda r, lg: _number(r.n_effective, lg, 1), False),
        ({k: WEIGHTED_WORDS[k]["estimate"] for k in WEIGHTED_WORDS},
         lambda r, lg: interval_cell(r.estimate, r.ci_low, r.ci_high, lg, points=True), False),
        ({k: WEIGHTED_WORDS[k]["p"] for k in WEIGHTED_WORDS}, lambda r, lg: format_p(r.p_value, lg), False),
    ]
    return result_markdown(w["title"].format(title=title), [sentence], table, columns, lang, note)
