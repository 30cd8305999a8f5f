"""The audit report of the claims, in Swedish or English (``claims.{lang}.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import pandas as pd

from .. import output_note
from ..core.interval import number_text
from .claim_specs import claim_settings
from .claims import RESULT_COLUMNS, fixed_text, summarise_claims
from .lexicon import LANGS

_TEXT = {
    "en": {
        "title": "Claims of the report, checked against the data",
        "how": "How to read this",
        "how_text": [
            "Each row is one statement of the report, in the report's words, turned into a statement the "
            'data can test ("Tested"). Quantity words follow the project\'s lexicon (config/lexicon.yaml): '
            '"just over 16 per cent" means more than 16 % and at most 17.5 %, a printed "54.4" means '
            "54.35 % up to (not including) 54.45 %.",
            "**Verdict**: *reproduced* when the estimate from the data satisfies the statement, *not reproduced* "
            "otherwise. *Inconsistent (rounding)* marks a printed share that no whole count of its base can give "
            "(e.g. 20.3 % of 272: 55 respondents print as 20.2 %, 56 as 20.6 %), while the data's count is one of "
            "the two nearest: the report printed a value that cannot be (often 100 minus the other rounded shares), "
            "which is not evidence against the claim; the note names the nearest counts. A claim whose other parts "
            "are reproduced is then *reproduced, with a printing inconsistency*.",
            "**Evidence**: *robust* when the whole confidence interval satisfies it (for which option is named more "
            "often: every comparison needed is significant, after Holm's adjustment, in the claimed direction); "
            "*fragile* when the interval crosses the line, so the data neither establish nor refute it; "
            "*contradicted* when the data speak against it (the interval lies wholly on the wrong side, or a needed "
            "comparison is significant in the wrong direction). A figure that describes the respondents themselves "
            "(the respondent mix) has no sampling error: it is robust when reproduced and contradicted when not.",
            '**Equal** ("about equally common") means every pairwise difference lies within ± {margin} percentage '
            "points; robust when every paired interval lies inside that margin, contradicted when a difference is "
            "significant or an interval lies wholly outside it.",
            "Estimates are shares in percent (%), differences in percentage points (pp), counts in respondents; "
            "intervals are {level} confidence intervals, tests at level {alpha}.",
        ],
        "weighted_title": "Claims of the report, checked against the weighted data",
        "weighted_text": "**Weighted** ({weighting}): every share, difference and gap is the weighted estimate with "
                         "its design-based interval: a share's {method} interval (as R's svyciprop); differences "
                         "between options, between waves and the shift of a mean score as weighted means of each "
                         "respondent's difference, with the linearisation variance (Wald z; t on n − 2 degrees of "
                         "freedom for the shift), Holm as before. What describes the respondents themselves (the "
                         "respondent mix) and whether an option occurs at all are not weighted. The report printed "
                         "unweighted figures: a claim not reproduced here would read otherwise had the respondents "
                         "been weighted to the population margins; it is not a misprint. The unweighted audit is "
                         "claims.{lang}.md in the folder above.",
        "summary": "Per claim of the survey reference",
        "detail": "Claim by claim",
        "cols_summary": ["Claim", "Tested as", "Parts reproduced", "Verdict", "Evidence"],
        "cols": ["Id", "Claim", "Wave", "The report's words", "Tested", "Estimate [CI]", "Verdict", "Evidence", "Note"],
        "verdict": {"reproduced": "reproduced", "not reproduced": "not reproduced",
                    "inconsistent (rounding)": "inconsistent (rounding)",
                    "reproduced, with a printing inconsistency": "reproduced, with a printing inconsistency"},
        "evidence": {"robust": "robust", "fragile": "fragile", "contradicted": "contradicted"},
        "units": {"percent": "%", "percentage points": "pp", "respondents": "respondents", "score": "score"},
        "unknown": "the configured",
    },
    "sv": {
        "title": "Rapportens påståenden prövade mot data",
        "how": "Så läser du tabellen",
        "how_text": [
            "Varje rad är ett påstående i rapporten, med rapportens ord, översatt till ett påstående som data kan "
            'pröva ("Prövat"). Ord för mängder följer projektets lexikon (config/lexicon.yaml): "drygt 16 procent" '
            'betyder mer än 16 % och högst 17,5 %, en tryckt siffra "54,4" betyder från 54,35 % upp till (men inte '
            "med) 54,45 %.",
            "**Utfall**: *reproduceras* när skattningen från data uppfyller påståendet, annars *reproduceras inte*. "
            "*Inkonsekvent (avrundning)* markerar en tryckt andel som inget helt antal av basen kan ge (t.ex. "
            "20,3 % av 272: 55 svarande blir 20,2 %, 56 blir 20,6 %), medan antalet i data är ett av de två "
            "närmaste: rapporten tryckte ett värde som inte kan förekomma (ofta 100 minus de andra avrundade "
            "andelarna), vilket inte talar emot påståendet; anmärkningen anger de närmaste antalen. Ett påstående "
            "vars övriga delar reproduceras är då *reproduceras, med en inkonsekvens i trycket*.",
            "**Stöd**: *robust* när hela konfidensintervallet uppfyller det (för vilket alternativ som nämns oftare: "
            "varje jämförelse som behövs är signifikant, efter Holms justering, i påståendets riktning); *osäkert* "
            "när intervallet korsar gränsen, så att data varken bekräftar eller motsäger det; *motsägs* när data "
            "talar emot det (intervallet ligger helt på fel sida, eller en jämförelse som behövs är signifikant åt "
            "fel håll). "
            "En siffra som beskriver de svarande själva (svarandesammansättningen) har inget urvalsfel: den är robust "
            "när den reproduceras och motsägs annars.",
            '**Lika** ("ungefär lika vanligt") betyder att varje parvis skillnad ligger inom ± {margin} '
            "procentenheter; robust när varje parat intervall ligger inom den marginalen, motsägs när en skillnad är "
            "signifikant eller ett intervall ligger helt utanför den.",
            "Skattningar är andelar i procent (%), skillnader i procentenheter (pe), antal i svarande; intervallen är "
            "{level} konfidensintervall, testerna på nivån {alpha}.",
        ],
        "weighted_title": "Rapportens påståenden prövade mot vägda data",
        "weighted_text": "**Vägt** ({weighting}): varje andel, skillnad och kontrast är den vägda skattningen med "
                         "sitt designbaserade intervall: en andels {method}-intervall (som R:s svyciprop); skillnader "
                         "mellan alternativ, mellan omgångar och förskjutningen av en medelpoäng som vägda medelvärden "
                         "av varje svarandes skillnad, med linjäriseringsvariansen (Walds z; t med n − 2 "
                         "frihetsgrader för förskjutningen), Holm som förut. Det som beskriver de svarande själva "
                         "(svarandesammansättningen) och om ett alternativ förekommer alls vägs inte. Rapporten "
                         "tryckte ovägda siffror: ett påstående som inte reproduceras här skulle lyda annorlunda om "
                         "de svarande vägts mot populationens marginaler; det är inget tryckfel. Den ovägda "
                         "prövningen är claims.{lang}.md i mappen ovanför.",
        "summary": "Per påstående i referensen",
        "detail": "Påstående för påstående",
        "cols_summary": ["Påstående", "Prövat som", "Delar som reproduceras", "Utfall", "Stöd"],
        "cols": [
            "Id",
            "Påstående",
            "Omgång",
            "Rapportens ord",
            "Prövat",
            "Skattning [KI]",
            "Utfall",
            "Stöd",
            "Anmärkning",
        ],
        "verdict": {"reproduced": "reproduceras", "not reproduced": "reproduceras inte",
                    "inconsistent (rounding)": "inkonsekvent (avrundning)",
                    "reproduced, with a printing inconsistency": "reproduceras, med en inkonsekvens i trycket"},
        "evidence": {"robust": "robust", "fragile": "osäkert", "contradicted": "motsägs"},
        "units": {"percent": "%", "percentage points": "pe", "respondents": "svarande", "score": "poäng"},
        "unknown": "den inställda",
    },
}


def _estimate_cell(row, lang: str) -> str:
    unit = _TEXT[lang]["units"].get(row.unit, row.unit)
    if row.unit == "respondents":
        return f"{int(row.estimate)} {unit}"
    places = 2 if row.unit == "score" else 1
    signed = row.unit != "percent"
    separator = "; " if lang == "sv" else ", "
    text = f"{fixed_text(row.estimate, places, lang, signed=signed)} {unit}"
    if not (pd.isna(row.ci_low) or pd.isna(row.ci_high)):
        text += f" [{fixed_text(row.ci_low, places, lang)}{separator}{fixed_text(row.ci_high, places, lang)}]"
    return text


def _md(value) -> str:
    from ..render.text import md_cell  # escaped only where a renderer would read markup

    return md_cell(value)


def claims_markdown(
    results: pd.DataFrame, lang: str = "en", synthetic: bool = False, settings: Mapping | None = None,
    weighting: str | None = None, weighted_interval: str | None = None,
) -> str:
    """The audit report of :func:`evaluate_claims`' results, in Swedish (``"sv"``) or English.

    A heading; how to read it (what reproduced, robust, fragile, contradicted and equal mean,
    with the margin, level and alpha of ``settings``, :func:`claim_settings`, which should be the
    settings the results were computed with); the verdict per numbered claim of the survey
    reference (:func:`summarise_claims`); and a table claim by claim: the report's words in
    ``lang``, the statement tested, estimate [CI], verdict, evidence and note, questions and
    options named by the questionnaire's text and labels in ``lang`` (``statement_labelled_{lang}``,
    ``note_labelled_{lang}``; claims.csv keeps the ids). The note (:func:`netclean_survey.output_note`:
    "Unweighted" unless ``weighting``, and the synthetic-data note with ``synthetic``) is printed under
    the heading and at the end.
    Cells are escaped where a renderer would read markup (``render.text.md_cell``), nowhere else.
    ``weighting`` (how the weights were made, for the audit with weights; ``weighted_interval`` the
    interval method of a weighted share): the title says weighted and a first paragraph says what
    is weighted and what is not.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise ValueError(f"results lack the columns {missing} of evaluate_claims")
    t = _TEXT[lang]
    used = claim_settings(settings)
    margin = number_text(used["equivalence_margin"], lang)
    level = number_text(100 * used["conf_level"], lang) + " %"
    alpha = number_text(Fraction(repr(used["alpha"])), lang, places=3)
    lines = [f"# {t['weighted_title'] if weighting else t['title']}", ""]
    note = output_note(lang, synthetic, weighted=bool(weighting))
    if note:
        lines += [f"*{note}*", ""]
    lines += [f"## {t['how']}", ""]
    if weighting:
        method = {"korn-graubard": "Korn–Graubard"}.get(weighted_interval, weighted_interval)
        lines += [t["weighted_text"].format(weighting=weighting, method=method, lang=lang), ""]
    for paragraph in t["how_text"]:
        lines += [paragraph.format(margin=margin, level=level, alpha=alpha), ""]

    lines += [f"## {t['summary']}", ""]
    header = t["cols_summary"]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join(["---:", ":---", "---:", ":---", ":---"]) + "|"]
    for row in summarise_claims(results).itertuples(index=False):
        lines.append(
            "| "
            + " | ".join(
                [
                    str(row.survey_claim),
                    _md(row.ids),
                    f"{row.reproduced}/{row.parts}",
                    t["verdict"][row.verdict],
                    t["evidence"][row.evidence],
                ]
            )
            + " |"
        )
    lines += ["", f"## {t['detail']}", ""]
    header = t["cols"]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join([":---", "---:"] + [":---"] * (len(header) - 2)) + "|"]
    for row in results.itertuples(index=False):
        lines.append(
            "| "
            + " | ".join(
                [
                    _md(row.id),
                    str(row.survey_claim),
                    _md(row.wave),
                    _md(getattr(row, f"words_{lang}")),
                    _md(getattr(row, f"statement_labelled_{lang}")),
                    _estimate_cell(row, lang),  # digits, signs, brackets: nothing to escape
                    t["verdict"][row.verdict],
                    t["evidence"][row.evidence],
                    _md(getattr(row, f"note_labelled_{lang}")),
                ]
            )
            + " |"
        )
    if note:
        lines += ["", f"*{note}*"]
    return "\n".join(lines) + "\n"
