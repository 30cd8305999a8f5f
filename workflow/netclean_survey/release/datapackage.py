"""The release described as a Frictionless Data Package (``results/{release}/datapackage.json``).

A standard descriptor (Frictionless Data Package, https://specs.frictionlessdata.io/data-package/)
that a third party validates with a standard tool (``frictionless validate``): every published file
is a resource with its ``bytes`` and ``hash`` (sha256, the same as the release's manifest: a test
checks that they agree); every CSV table has a schema: each column's name, type, unit and a
description in English (``description``) and in Swedish (``description_sv``), its missing-value
marker (an empty cell) and, for breakdowns, how suppressed cells are marked. The release's name,
version and license are the package's. Every resource but the respondent-level files of ``clean/``
says whether its numbers are weighted (``weighting``: ``weighted`` or ``unweighted``,
:func:`resource_weighting`). Nothing in it is a timestamp: the same release gives the same
bytes.

The library is used to validate (in the tests, and by anyone); the descriptor is written here from
what the project knows about its own columns (:data:`FIELDS`): a type inferred by the library from
the data could not say what a column means, and could change with its version. Each column's type
comes from its text, exactly (:func:`field_type`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .manifest import sha256

DATAPACKAGE_NAME = "datapackage.json"

#: The project's license (pyproject.toml): the code and the synthetic data it made.
LICENSE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}

#: The marker of a missing or hidden value in every CSV of a release.
MISSING_VALUES = [""]

#: What a value of a breakdown's ``suppressed`` / ``n_suppressed`` column says (issue 13).
SUPPRESSION = {
    "column": ["suppressed", "n_suppressed"],
    "values": {
        "primary": {"en": "hidden: a count below the threshold (suppress_below, 5)",
                    "sv": "dolt: ett antal under tröskeln (suppress_below, 5)"},
        "secondary": {"en": "hidden to protect another cell (5 or more; otherwise a hidden count below 5 could be "
                            "worked out by subtraction)",
                      "sv": "dolt för att skydda en annan cell (5 eller fler; annars kunde ett dolt antal under 5 "
                            "räknas ut genom subtraktion)"},
    },
    "marker": {"en": "a hidden count, base and share are empty cells", "sv": "ett dolt antal, bas och andel är tomma"},
}

PROPORTION = "proportion (0 to 1)"
RESPONDENTS = "respondents"
POINTS = "difference of proportions (-1 to 1)"

#: Each column a release's CSVs have: (English, Swedish, unit or None).
FIELDS: dict[str, tuple[str, str, str | None]] = {
    "wave": ("Survey wave (year)", "Undersökningsomgång (år)", None),
    "question": ("Question id (config/questionnaire.yaml)", "Frågans id (config/questionnaire.yaml)", None),
    "kind": ("Kind of question or claim: single (one answer), multi (tick all that apply), or the claim's form",
             "Typ av fråga eller påstående: single (ett svar), multi (flera svar möjliga) eller påståendets form",
             None),
    "option": ("Answer option id (or, in a consistency check, the printed value's name)",
               "Svarsalternativets id (eller, i en konsistenskontroll, det tryckta värdets namn)", None),
    "label_sv": ("Option label in Swedish", "Svarsalternativets text på svenska", None),
    "label_en": ("Option label in English", "Svarsalternativets text på engelska", None),
    "n_asked": ("Respondents asked the question", "Svarande som fick frågan", RESPONDENTS),
    "n": ("Base: respondents the share is of (who answered; for tick all, who ticked at least one option)",
          "Bas: svarande som andelen avser (som svarat; för flervalsfrågor, som kryssat minst ett alternativ)",
          RESPONDENTS),
    "nonresponse": ("Respondents asked who did not answer (item non-response)",
                    "Svarande som fick frågan men inte svarade (partiellt bortfall)", RESPONDENTS),
    "count": ("Respondents who chose the option (empty when suppressed)",
              "Svarande som valde alternativet (tomt när det döljs)", RESPONDENTS),
    "share": ("Share of the base who chose the option (count / n)", "Andel av basen som valde alternativet (antal / n)",
              PROPORTION),
    "ci_low": ("Lower bound of the confidence interval (method ci_method, level conf_level)",
               "Konfidensintervallets nedre gräns (metod ci_method, nivå conf_level)", PROPORTION),
    "ci_high": ("Upper bound of the confidence interval (method ci_method, level conf_level)",
                "Konfidensintervallets övre gräns (metod ci_method, nivå conf_level)", PROPORTION),
    "ci_method": ("Method of the confidence interval", "Konfidensintervallets metod", None),
    "conf_level": ("Confidence level of the intervals", "Intervallens konfidensnivå", PROPORTION),
    "sim_ci_low": ("Lower bound of the simultaneous interval over the options (single choice)",
                   "Nedre gräns för det simultana intervallet över alternativen (envalsfrågor)", PROPORTION),
    "sim_ci_high": ("Upper bound of the simultaneous interval over the options (single choice)",
                    "Övre gräns för det simultana intervallet över alternativen (envalsfrågor)", PROPORTION),
    "sim_ci_method": ("Method of the simultaneous interval (empty for tick all)",
                      "Det simultana intervallets metod (tomt för flervalsfrågor)", None),
    "mentions": ("Ticks of all options together", "Alla alternativs kryss sammanlagt", "ticks"),
    "share_of_mentions": ("Share of all ticks (tick all only)", "Andel av alla kryss (endast flervalsfrågor)",
                          PROPORTION),
    "synthetic": ("Whether the rows are synthetic (reconstructed by the project's seeded generator)",
                  "Om raderna är syntetiska (rekonstruerade av projektets seedade generator)", None),
    # breakdowns
    "by": ("Question the respondents are grouped by", "Frågan som de svarande grupperas efter", None),
    "group": ("Group of respondents (an option of `by`; in a contrast, the wave)",
              "Grupp av svarande (ett alternativ i `by`; i en kontrast, omgången)", None),
    "group_label_sv": ("Group label in Swedish", "Gruppens namn på svenska", None),
    "group_label_en": ("Group label in English", "Gruppens namn på engelska", None),
    "suppressed": ("Why the count is hidden: primary, secondary or empty (shown)",
                   "Varför antalet döljs: primary (primär), secondary (sekundär) eller tomt (visas)", None),
    "n_suppressed": ("Why the group's base is hidden: primary, secondary or empty (shown)",
                     "Varför gruppens bas döljs: primary (primär), secondary (sekundär) eller tomt (visas)", None),
    # comparisons between two sides
    "n_a": ("Base of the first side", "Bas för första sidan", RESPONDENTS),
    "count_a": ("Respondents choosing the option, first side", "Svarande som valde alternativet, första sidan",
                RESPONDENTS),
    "share_a": ("Share, first side", "Andel, första sidan", PROPORTION),
    "ci_low_a": ("Lower confidence bound, first side", "Nedre konfidensgräns, första sidan", PROPORTION),
    "ci_high_a": ("Upper confidence bound, first side", "Övre konfidensgräns, första sidan", PROPORTION),
    "n_b": ("Base of the second side", "Bas för andra sidan", RESPONDENTS),
    "count_b": ("Respondents choosing the option, second side", "Svarande som valde alternativet, andra sidan",
                RESPONDENTS),
    "share_b": ("Share, second side", "Andel, andra sidan", PROPORTION),
    "ci_low_b": ("Lower confidence bound, second side", "Nedre konfidensgräns, andra sidan", PROPORTION),
    "ci_high_b": ("Upper confidence bound, second side", "Övre konfidensgräns, andra sidan", PROPORTION),
    "difference": ("Difference of shares: second minus first", "Skillnad mellan andelar: andra minus första", POINTS),
    "diff_ci_low": ("Lower confidence bound of the difference", "Nedre konfidensgräns för skillnaden", POINTS),
    "diff_ci_high": ("Upper confidence bound of the difference", "Övre konfidensgräns för skillnaden", POINTS),
    "diff_ci_method": ("Method of the difference's interval", "Metod för skillnadens intervall", None),
    "statistic": ("Test statistic", "Teststatistika", None),
    "p_value": ("p-value of the test, unadjusted", "Testets p-värde, ojusterat", PROPORTION),
    "p_holm": ("p-value adjusted over the rows (Holm 1979)", "p-värde justerat över raderna (Holm 1979)", PROPORTION),
    "test": ("Test that gave the p-value", "Testet som gav p-värdet", None),
    "cohens_h": ("Effect size: Cohen's h of the two shares", "Effektstorlek: Cohens h för de två andelarna", None),
    # paired comparisons (the same respondents)
    "option_first": ("First option of the pair", "Parets första alternativ", None),
    "option_second": ("Second option of the pair", "Parets andra alternativ", None),
    "both": ("Respondents who ticked both", "Svarande som kryssat båda", RESPONDENTS),
    "only_first": ("Respondents who ticked only the first", "Svarande som kryssat bara det första", RESPONDENTS),
    "only_second": ("Respondents who ticked only the second", "Svarande som kryssat bara det andra", RESPONDENTS),
    "neither": ("Respondents who ticked neither", "Svarande som kryssat inget av dem", RESPONDENTS),
    "share_first": ("Share who ticked the first", "Andel som kryssat det första", PROPORTION),
    "share_second": ("Share who ticked the second", "Andel som kryssat det andra", PROPORTION),
    "estimate": ("Estimate (unit in `unit` where the table has it)", "Skattning (enhet i `unit` där tabellen har den)",
                 None),
    "key": ("Name of the value (a test's result, one per line)", "Värdets namn (ett testresultat per rad)", None),
    "value": ("The value, as text", "Värdet, som text", None),
    # the plan of the next wave
    "ci_half_width": ("Half the length of the share's interval now", "Halva längden av andelens intervall nu",
                      PROPORTION),
    "target_half_width": ("Half-width the next wave should reach (config plan.half_width)",
                          "Halvbredd som nästa omgång ska nå (config plan.half_width)", PROPORTION),
    "respondents_normal": ("Respondents for that half-width, normal approximation (Cochran); empty for a share "
                           "of 0 or 1", "Svarande för den halvbredden, normalapproximation (Cochran); tomt för en "
                           "andel på 0 eller 1", RESPONDENTS),
    "respondents_needed": ("Respondents for that half-width with the release's interval method (ci_method), at "
                           "the share observed", "Svarande för den halvbredden med releasens intervallmetod "
                           "(ci_method), vid den observerade andelen", RESPONDENTS),
    "comparison": ("Name of the comparison (results/{release}/compare/{name}/)",
                   "Jämförelsens namn (results/{release}/compare/{name}/)", None),
    "wave_a": ("Wave of the first side", "Första sidans omgång", None),
    "question_a": ("Question of the first side", "Första sidans fråga", None),
    "wave_b": ("Wave of the second side", "Andra sidans omgång", None),
    "question_b": ("Question of the second side", "Andra sidans fråga", None),
    "detectable_h": ("Cohen's h a two-sided test at alpha detects with the given power, these sample sizes",
                     "Cohens h som ett tvåsidigt test på nivån alpha upptäcker med given styrka, dessa "
                     "urvalsstorlekar", None),
    "detectable_increase": ("Smallest rise from the first share that reaches detectable_h; empty: none",
                            "Minsta ökning från första andelen som når detectable_h; tomt: ingen", POINTS),
    "detectable_decrease": ("Smallest fall from the first share that reaches detectable_h; empty: none",
                            "Minsta minskning från första andelen som når detectable_h; tomt: ingen", POINTS),
    "detectable": ("Whether the change observed is at least that large (|cohens_h| >= detectable_h)",
                   "Om den observerade förändringen är minst så stor (|cohens_h| >= detectable_h)", None),
    "alpha": ("Level of the two-sided test", "Det tvåsidiga testets nivå", PROPORTION),
    "power": ("Power: the probability that the test detects the change", "Styrka: sannolikheten att testet "
              "upptäcker förändringen", PROPORTION),
    "options_compared": ("Options compared, in order", "Jämförda alternativ, i ordning", None),
    "simulations": ("Simulations of the two waves", "Simuleringar av de två omgångarna", None),
    "rejected": ("Simulations in which the test rejected at alpha", "Simuleringar där testet förkastade på "
                 "nivån alpha", None),
    "power_ci_low": ("Lower confidence bound of the simulated power", "Nedre konfidensgräns för den simulerade "
                     "styrkan", PROPORTION),
    "power_ci_high": ("Upper confidence bound of the simulated power", "Övre konfidensgräns för den simulerade "
                      "styrkan", PROPORTION),
    "power_ci_method": ("Method of the simulated power's interval", "Metod för den simulerade styrkans intervall",
                        None),
    "seed": ("Seed of the simulations (numpy default_rng)", "Simuleringarnas seed (numpy default_rng)", None),
    # cleaning
    "step": ("Step of the cleaning or of the disclosure check", "Steg i rensningen eller i röjandekontrollen", None),
    "reason": ("Why rows were excluded (the screen)", "Varför rader uteslöts (kontrollen)", None),
    "rows_in": ("Rows before the step", "Rader före steget", "rows"),
    "excluded": ("Rows excluded by the step", "Rader som steget uteslöt", "rows"),
    "rows_out": ("Rows after the step", "Rader efter steget", "rows"),
    "_row": ("Row of the raw export (1 is the first data row)", "Rad i råexporten (1 är första dataraden)", None),
    "respondent_id": ("Respondent id as the survey platform wrote it", "Den svarandes id som enkätverktyget skrev det",
                      None),
    "detail": ("What the step did", "Vad steget gjorde", None),
    "rows": ("Rows the step concerns", "Rader som steget gäller", "rows"),
    "columns": ("Columns the step concerns", "Kolumner som steget gäller", None),
    # the claims audit
    "id": ("Id of the checked part of a claim", "Id för den prövade delen av ett påstående", None),
    "survey_claim": ("Number of the claim in docs/reference/SURVEY.md", "Påståendets nummer i docs/reference/SURVEY.md",
                     None),
    "words_sv": ("The report's words in Swedish", "Rapportens ord på svenska", None),
    "words_en": ("The report's words in English", "Rapportens ord på engelska", None),
    "statement_sv": ("The claim as tested, in Swedish (ids)", "Påståendet så som det prövas, på svenska (id)", None),
    "statement_en": ("The claim as tested, in English (ids)", "Påståendet så som det prövas, på engelska (id)", None),
    "unit": ("Unit of the estimate", "Skattningens enhet", None),
    "method": ("Method of the estimate's interval or test", "Metod för skattningens intervall eller test", None),
    "verdict": ("Verdict (README: reproduced, not reproduced, inconsistent (rounding); for a consistency check: "
                "consistent or inconsistent)",
                "Utfall (README: reproduced, not reproduced, inconsistent (rounding); för en konsistenskontroll: "
                "consistent eller inconsistent)", None),
    "evidence": ("Evidence: robust, fragile or contradicted (README)", "Stöd: robust, fragile eller contradicted (README)",
                 None),
    "note": ("The numbers behind the verdict, in words", "Siffrorna bakom utfallet, i ord", None),
    "ids": ("Ids of the parts of the claim", "Id för påståendets delar", None),
    "parts": ("Parts of the claim", "Påståendets delar", None),
    "reproduced": ("Parts reproduced", "Delar som reproduceras", None),
    # consistency of printed numbers (GRIM)
    "printed": ("Value as printed in the report", "Värdet som det trycktes i rapporten", None),
    "decimals": ("Decimals printed", "Tryckta decimaler", None),
    "informative": ("Whether the check can fail (some whole count does not give the printed value)",
                    "Om kontrollen kan falla (något helt antal ger inte det tryckta värdet)", None),
    "nearest_half_up": ("Whole counts nearest to the printed value and what they print as (half up)",
                        "De hela antal som ligger närmast det tryckta värdet och hur de trycks (avrundning uppåt vid "
                        "hälften)", None),
    "consistent_rules": ("Rounding rules under which the printed value can occur",
                         "Avrundningsregler under vilka det tryckta värdet kan förekomma", None),
    "options": ("Options of the group, in order", "Gruppens alternativ, i ordning", None),
    "printed_sum": ("Sum of the printed values", "Summan av de tryckta värdena", "percent"),
    "complete": ("Whether the group's options cover every respondent", "Om gruppens alternativ täcker alla svarande",
                 None),
}
for _rule, _en, _sv in (("half_up", "rounding half up", "avrundning uppåt vid hälften"),
                        ("half_even", "rounding half to even", "avrundning till jämn siffra vid hälften"),
                        ("truncate", "truncation", "trunkering")):
    FIELDS.update({
        f"counts_{_rule}": (f"Whole counts of n that print as the value ({_en})",
                            f"Hela antal av n som trycks som värdet ({_sv})", None),
        f"consistent_{_rule}": (f"Whether some whole count gives the printed value ({_en})",
                                f"Om något helt antal ger det tryckta värdet ({_sv})", None),
        f"complete_{_rule}": (f"Whether the group's printed values can add up to every respondent ({_en})",
                              f"Om gruppens tryckta värden kan summera till alla svarande ({_sv})", None),
        f"feasible_{_rule}": (f"Whether one vector of whole counts gives every printed value at once ({_en})",
                              f"Om en och samma uppsättning hela antal ger alla tryckta värden ({_sv})", None),
        f"example_{_rule}": (f"Such a vector of counts, if there is one ({_en})",
                             f"En sådan uppsättning antal, om det finns någon ({_sv})", None),
    })

# weights (results/{release}/{wave}/weights/, when config weights: source is raking)
FIELDS.update({
    "weighting": ("How the weights were made: raked to the margins of the variables named",
                  "Hur vikterna togs fram: kalibrerade (raking) mot marginalerna för de namngivna variablerna", None),
    "unweighted_share": ("Unweighted share of the base who chose the option (count / n)",
                         "Ovägd andel av basen som valde alternativet (antal / n)", PROPORTION),
    "n_effective": ("Kish's effective sample size of the weights, (sum of weights)² / sum of squared weights",
                    "Kishs effektiva urvalsstorlek för vikterna, (summan av vikterna)² / summan av kvadrerade vikter",
                    RESPONDENTS),
    "design_effect": ("Kish's design effect of the weights: respondents / effective sample size",
                      "Kishs designeffekt för vikterna: svarande / effektiv urvalsstorlek", None),
    "variable": ("Margin variable (a single-choice or derived question)",
                 "Marginalvariabel (en envalsfråga eller härledd fråga)", None),
    "target": ("Population share the weights are raked to (config weights: raking: margins)",
               "Populationsandel som vikterna kalibreras mot (config weights: raking: margins)", PROPORTION),
    "respondents": ("Respondents", "Svarande", RESPONDENTS),
    "sample_share": ("Unweighted share of the respondents", "Ovägd andel av de svarande", PROPORTION),
    "raked_share": ("Weighted share after raking, before trimming", "Vägd andel efter raking, före trimning",
                    PROPORTION),
    "weighted_share": ("Weighted share with the published (raked and trimmed) weights",
                       "Vägd andel med de publicerade (kalibrerade och trimmade) vikterna", PROPORTION),
    "iterations": ("Iterations of the raking (weightipy)", "Iterationer av kalibreringen (weightipy)", None),
    "converged": ("Whether every raked margin share is within the tolerance of its target",
                  "Om varje kalibrerad marginalandel ligger inom toleransen från sitt mål", None),
    "max_margin_error": ("Largest distance between a raked margin share and its target",
                         "Största avståndet mellan en kalibrerad marginalandel och dess mål", PROPORTION),
    "tolerance": ("Largest distance allowed (config weights: raking: tolerance)",
                  "Största tillåtna avstånd (config weights: raking: tolerance)", PROPORTION),
    "trim_lower": ("Lower trimming bound, times the mean weight (empty: none)",
                   "Nedre trimningsgräns, gånger medelvikten (tomt: ingen)", None),
    "trim_upper": ("Upper trimming bound, times the mean weight (empty: none)",
                   "Övre trimningsgräns, gånger medelvikten (tomt: ingen)", None),
    "trimmed": ("Weights set to a trimming bound", "Vikter som satts till en trimningsgräns", RESPONDENTS),
    "trim_rounds": ("Rounds of trimming until every weight is within the bounds (R's trimWeights, strict)",
                    "Trimningsomgångar tills varje vikt ligger inom gränserna (R:s trimWeights, strict)", None),
    "weight_min": ("Smallest weight (the weights have mean 1)", "Minsta vikten (vikterna har medelvärde 1)", None),
    "effective_needed": ("Effective sample size needed for the target half-width at the weighted share (the "
                         "release's interval method, equal weights)",
                         "Effektiv urvalsstorlek som behövs för den valda halvbredden vid den vägda andelen "
                         "(utgåvans intervallmetod, lika vikter)", RESPONDENTS),
    "weight_max": ("Largest weight (the weights have mean 1)", "Största vikten (vikterna har medelvärde 1)", None),
    "n_effective_a": ("Kish's effective sample size of the first side's weights in the base",
                      "Kishs effektiva urvalsstorlek för första sidans vikter i basen", RESPONDENTS),
    "n_effective_b": ("Kish's effective sample size of the second side's weights in the base",
                      "Kishs effektiva urvalsstorlek för andra sidans vikter i basen", RESPONDENTS),
})

#: The columns of a weighted comparison between waves whose meaning differs from the unweighted one.
_WEIGHTED_SIDES = {
    f"{column}_{side}": (f"{en}, {which} side", f"{sv}, {vilken} sidan", PROPORTION)
    for side, which, vilken in (("a", "first", "första"), ("b", "second", "andra"))
    for column, en, sv in (
        ("share", "Weighted share", "Vägd andel"),
        ("ci_low", "Lower bound of the weighted share's interval (Korn-Graubard or logit, as R's svyciprop)",
         "Nedre gräns för den vägda andelens intervall (Korn-Graubard eller logit, som R:s svyciprop)"),
        ("ci_high", "Upper bound of the weighted share's interval (Korn-Graubard or logit, as R's svyciprop)",
         "Övre gräns för den vägda andelens intervall (Korn-Graubard eller logit, som R:s svyciprop)"),
    )
}

#: Columns whose meaning depends on the table, by the table's path pattern: used before FIELDS.
TABLE_FIELDS: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "compare/*/weighted/table.csv": {
        **_WEIGHTED_SIDES,
        "count_a": ("Respondents choosing the option, first side (unweighted)",
                    "Svarande som valde alternativet, första sidan (ovägt)", RESPONDENTS),
        "count_b": ("Respondents choosing the option, second side (unweighted)",
                    "Svarande som valde alternativet, andra sidan (ovägt)", RESPONDENTS),
        "difference": ("Difference of the weighted shares: second minus first",
                       "Skillnad mellan de vägda andelarna: andra minus första", POINTS),
        "statistic": ("Wald z of the difference (linearisation variance)", "Walds z för skillnaden "
                      "(linjäriseringsvarians)", None),
    },
    "plan/weighted_detectable.csv": {
        "share_a": ("Weighted share, first side", "Vägd andel, första sidan", PROPORTION),
        "share_b": ("Weighted share, second side", "Vägd andel, andra sidan", PROPORTION),
        "difference": ("Difference of the weighted shares: second minus first",
                       "Skillnad mellan de vägda andelarna: andra minus första", POINTS),
        "detectable_h": ("Cohen's h a two-sided test at alpha detects with the given power, each wave counted as its "
                         "Kish effective sample size", "Cohens h som ett tvåsidigt test på nivån alpha upptäcker med "
                         "given styrka, varje omgång räknad som sin effektiva urvalsstorlek enligt Kish", None),
    },
    "plan/weighted_precision.csv": {
        "share": ("Weighted share of the base who chose the option", "Vägd andel av basen som valde alternativet",
                  PROPORTION),
        "respondents_needed": ("Respondents needed when the next wave's weights are as unequal as this wave's: the "
                               "effective sample size needed times Kish's design effect, rounded up",
                               "Svarande som behövs om nästa omgångs vikter är lika ojämna som denna omgångs: den "
                               "effektiva urvalsstorleken som behövs gånger Kishs designeffekt, avrundat uppåt",
                               RESPONDENTS),
    },
    "*/weights/estimates.csv": {
        "share": ("Weighted share of the base who chose the option (weights of those who chose it / weights of "
                  "the base)", "Vägd andel av basen som valde alternativet (vikterna för dem som valde det / "
                  "basens vikter)", PROPORTION),
        "ci_low": ("Lower bound of the confidence interval of the weighted share (method ci_method: Korn-Graubard "
                   "or logit, as R's svyciprop; level conf_level)",
                   "Nedre gräns för den vägda andelens konfidensintervall (metod ci_method: Korn-Graubard eller "
                   "logit, som R:s svyciprop; nivå conf_level)", PROPORTION),
        "ci_high": ("Upper bound of the confidence interval of the weighted share (method ci_method: Korn-Graubard "
                    "or logit, as R's svyciprop; level conf_level)",
                    "Övre gräns för den vägda andelens konfidensintervall (metod ci_method: Korn-Graubard eller "
                    "logit, som R:s svyciprop; nivå conf_level)", PROPORTION),
    },
}

#: What each kind of published table is, by its path below the release (patterns: ``*`` one part).
TABLES: list[tuple[str, str, str]] = [
    ("*/clean/responses.csv", "{wave}: the cleaned responses, one row per respondent, made safe for publication "
                              "(disclosure.csv says how)",
     "{wave}: de rensade svaren, en rad per svarande, skyddade för publicering (disclosure.csv säger hur)"),
    ("*/clean/disclosure.csv", "{wave}: how the published responses were made safe (k-anonymity)",
     "{wave}: hur de publicerade svaren skyddades (k-anonymitet)"),
    ("*/clean/cleaning_log.csv", "{wave}: every step of the cleaning, with the rows it excluded",
     "{wave}: varje steg i rensningen, med raderna det uteslöt"),
    ("*/clean/exclusions.csv", "{wave}: every excluded row of the raw export and why",
     "{wave}: varje utesluten rad i råexporten och varför"),
    ("*/estimates.csv", "{wave}: shares with confidence intervals, every question and option",
     "{wave}: andelar med konfidensintervall, alla frågor och alternativ"),
    ("*/weights/estimates.csv", "{wave}: weighted shares with confidence intervals and Kish's design effect, every "
                                "question and option",
     "{wave}: vägda andelar med konfidensintervall och Kishs designeffekt, alla frågor och alternativ"),
    ("*/weights/margins.csv", "{wave}: the population margins the weights are raked to, and the shares they reach",
     "{wave}: populationsmarginalerna som vikterna kalibreras mot, och andelarna de når"),
    ("*/weights/summary.csv", "{wave}: how the weights were made: raking, convergence, trimming, design effect",
     "{wave}: hur vikterna togs fram: kalibrering, konvergens, trimning, designeffekt"),
    ("*/tables/*.csv", "{wave}: {question}", "{wave}: {question_sv}"),
    ("*/breakdowns/*/tests.csv", "{wave}: tests of association of each question with {by}",
     "{wave}: test av samband mellan varje fråga och {by_sv}"),
    ("*/breakdowns/*/*.csv", "{wave}: {question}, by {by}; small counts suppressed",
     "{wave}: {question_sv}, efter {by_sv}; små antal dolda"),
    ("compare/*/table.csv", "Comparison {name}: per option", "Jämförelse {name}: per alternativ"),
    ("compare/*/weighted/table.csv", "Comparison {name} with weights: per option (weighted shares and differences)",
     "Jämförelse {name} med vikter: per alternativ (vägda andelar och skillnader)"),
    ("compare/*/weighted/test.csv", "Comparison {name} with weights: the design-based test of the whole question",
     "Jämförelse {name} med vikter: det designbaserade testet av hela frågan"),
    ("compare/*/test.csv", "Comparison {name}: the test of the whole question", "Jämförelse {name}: testet av hela frågan"),
    ("plan/precision.csv", "Plan of the next wave: respondents each share of the last wave needs for the configured "
                           "interval half-width",
     "Plan för nästa omgång: svarande som varje andel i sista omgången behöver för den valda halvbredden"),
    ("plan/detectable.csv", "Plan of the next wave: the change of each share the last two waves' sample sizes detect",
     "Plan för nästa omgång: den förändring av varje andel som de två sista omgångarnas urval upptäcker"),
    ("plan/weighted_precision.csv", "Plan of the next wave, with weights: respondents each weighted share of the last "
                                    "wave needs for the configured interval half-width",
     "Plan för nästa omgång, med vikter: svarande som varje vägd andel i sista omgången behöver för den valda "
     "halvbredden"),
    ("plan/weighted_detectable.csv", "Plan of the next wave, with weights: the change of each weighted share the "
                                     "last two waves' effective sample sizes detect",
     "Plan för nästa omgång, med vikter: den förändring av varje vägd andel som de två sista omgångarnas effektiva "
     "urval upptäcker"),
    ("plan/weighted_power.csv", "Plan of the next wave, with weights: power of the test with weights of each "
                                "tick-all question compared, by simulation",
     "Plan för nästa omgång, med vikter: styrkan hos testet med vikter av varje jämförd fråga med flera "
     "svarsalternativ, genom simulering"),
    ("plan/power.csv", "Plan of the next wave: power of the test of each tick-all question compared, by simulation",
     "Plan för nästa omgång: styrkan hos testet av varje jämförd fråga med flera svarsalternativ, genom simulering"),
    ("audit/claims.csv", "The report's claims tested against the data, part by part",
     "Rapportens påståenden prövade mot data, del för del"),
    ("audit/weighted/claims.csv", "The report's claims tested against the weighted data, part by part",
     "Rapportens påståenden prövade mot vägda data, del för del"),
    ("audit/weighted/claims_summary.csv", "The report's claims tested against the weighted data, one line per "
                                          "claim", "Rapportens påståenden prövade mot vägda data, en rad per påstående"),
    ("audit/claims_summary.csv", "The report's claims tested against the data, one line per claim",
     "Rapportens påståenden prövade mot data, en rad per påstående"),
    ("audit/consistency/*.groups.csv", "Printed values {name}: whether one set of whole counts gives them all",
     "Tryckta värden {name}: om en uppsättning hela antal ger dem alla"),
    ("audit/consistency/*.csv", "Printed values {name}: the whole counts that give each",
     "Tryckta värden {name}: de hela antal som ger vart och ett"),
]

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_BOOLEANS = ({"true", "false"}, {"True", "False"})


def field_type(values: list[str]) -> dict:
    """The Table Schema type of a column from its cells as written (empty cells are missing):
    integer when every cell is a whole number without leading zeros (an id such as ``0012`` stays
    a string), number when every cell is a decimal number (no leading zeros either), boolean when the cells are ``true`` /
    ``false`` (or ``True`` / ``False``), else string; a column of empty cells is a string."""
    filled = [v for v in values if v not in MISSING_VALUES]
    if not filled:
        return {"type": "string"}
    if all(_INTEGER.fullmatch(v) for v in filled):
        return {"type": "integer"}
    if all(_NUMBER.fullmatch(v) for v in filled):
        return {"type": "number"}
    for true_false in _BOOLEANS:
        if set(filled) <= true_false:
            true, false = sorted(true_false, key=lambda v: v.lower() != "true")
            return {"type": "boolean", "trueValues": [true], "falseValues": [false]}
    return {"type": "string"}


def _match(path: PurePosixPath, pattern: str) -> bool:
    parts = pattern.split("/")
    return len(path.parts) == len(parts) and path.match(pattern)


def _question_text(codebook, question_id: str, lang: str) -> str:
    try:
        return codebook[question_id].text[lang]
    except KeyError:
        return question_id


def response_field(column: str, codebook) -> tuple[str, str, str | None]:
    """A column of the published responses: a question (its answer's option id) or, for tick all,
    ``question__option`` (whether it was ticked)."""
    if column in FIELDS:
        return FIELDS[column]
    question, _, option = column.partition("__")
    text = {lang: _question_text(codebook, question, lang) for lang in ("en", "sv")}
    if option:
        try:
            label = {lang: codebook[question].option(option).label(lang) for lang in ("en", "sv")}
        except KeyError:
            label = {"en": option, "sv": option}
        return (f"{text['en']}: ticked “{label['en']}”", f"{text['sv']}: kryssat ”{label['sv']}”", None)
    return (f"{text['en']} (the option id answered; empty: not answered or not asked)",
            f"{text['sv']} (id för alternativet som valts; tomt: inte besvarad eller inte ställd)", None)


def table_description(path: PurePosixPath, codebook) -> tuple[str, str]:
    """What a CSV of the release is (:data:`TABLES`), in English and Swedish; ``path`` below the
    release folder."""
    for pattern, en, sv in TABLES:
        if _match(path, pattern):
            wave = path.parts[0]
            words = {"wave": wave, "name": path.name.removesuffix(".groups.csv").removesuffix(".csv")
                     if path.parts[0] == "audit" else path.parts[1]}
            if "/tables/" in pattern or "/breakdowns/" in pattern:
                question = path.stem
                words.update(question=_question_text(codebook, question, "en"),
                             question_sv=_question_text(codebook, question, "sv"))
            if "/breakdowns/" in pattern:
                by = path.parts[2]
                words.update(by=_question_text(codebook, by, "en"), by_sv=_question_text(codebook, by, "sv"))
            return en.format(**words), sv.format(**words)
    raise ValueError(f"{path}: the release has no table of this kind; add it to datapackage.TABLES")


def table_schema(data: bytes, path: PurePosixPath, codebook) -> dict:
    """The Table Schema of one CSV: a field per column (:data:`FIELDS`, or the questionnaire for the
    responses), typed by :func:`field_type`."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    fields = []
    for i, column in enumerate(header):
        specific = next((f for pattern, f in TABLE_FIELDS.items() if _match(path, pattern)), {})
        if path.name == "responses.csv":
            en, sv, unit = response_field(column, codebook)
        elif column in specific:
            en, sv, unit = specific[column]
        elif column in FIELDS:
            en, sv, unit = FIELDS[column]
        else:
            raise ValueError(f"{path}: column {column!r} has no description; add it to datapackage.FIELDS")
        field = {"name": column, **field_type([row[i] if i < len(row) else "" for row in body]),
                 "description": en, "description_sv": sv}
        if unit:
            field["unit"] = unit
        fields.append(field)
    schema = {"fields": fields, "missingValues": MISSING_VALUES}
    if {"suppressed", "n_suppressed"} & set(header):
        schema["suppression"] = SUPPRESSION
    return schema


_FORMATS = {".csv": ("csv", "text/csv"), ".md": ("md", "text/markdown"), ".png": ("png", "image/png"),
            ".svg": ("svg", "image/svg+xml"),
            ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def resource_name(path: PurePosixPath) -> str:
    """A resource name as the standard wants it (lower case letters, digits, ``-``, ``_``, ``.``)."""
    return re.sub(r"[^a-z0-9._-]+", "-", path.as_posix().lower().replace("/", "-"))


def resource_weighting(path: PurePosixPath) -> str | None:
    """Whether a published file's numbers are ``"weighted"`` (config weights on: a wave's folder
    ``weights/``, a comparison's or the audit's folder ``weighted/``, the plan's ``weighted_*`` files)
    or ``"unweighted"`` (every respondent counts once); None for the respondent-level files of
    ``clean/``, which hold rows and their screening, no estimate."""
    if "clean" in path.parts[:-1]:
        return None
    weighted = {"weights", "weighted"} & set(path.parts[:-1]) or path.name.startswith("weighted")
    return "weighted" if weighted else "unweighted"


def build_datapackage(release: str, version: str, files: Mapping[str, str | Path], codebook,
                      synthetic: bool) -> dict:
    """The descriptor of a release: ``files`` maps each published path below the release folder
    (``2018/tables/country.csv``) to the file holding its bytes (staged or published). CSVs are
    tabular resources with a schema; the other files (Markdown, workbooks, figures) are resources
    with a format, bytes and hash."""
    resources = []
    for published in sorted(files):
        path = PurePosixPath(published)
        source = Path(files[published])
        fmt, mediatype = _FORMATS[path.suffix]
        resource = {"name": resource_name(path), "path": published, "format": fmt, "mediatype": mediatype,
                    "bytes": source.stat().st_size, "hash": f"sha256:{sha256(source)}"}
        weighting = resource_weighting(path)
        if weighting:
            resource["weighting"] = weighting
        if fmt == "csv":
            en, sv = table_description(path, codebook)
            resource.update(type="table", encoding="utf-8", profile="tabular-data-resource", description=en,
                            description_sv=sv, schema=table_schema(source.read_bytes(), path, codebook))
        else:  # a file checked by its bytes and hash (a workbook is not read as a table: its README sheet)
            resource["type"] = "file"
            if fmt in ("md", "svg"):
                resource["encoding"] = "utf-8"
        resources.append(resource)
    note = {"en": " Synthetic data: rows reconstructed by the project's seeded generator so that their aggregates "
                  "agree with the published report; not real responses." if synthetic else "",
            "sv": " Syntetiska data: rader rekonstruerade av projektets seedade generator så att de stämmer med "
                  "den publicerade rapporten; inte verkliga svar." if synthetic else ""}
    return {
        "profile": "data-package",
        "name": resource_name(PurePosixPath(release)),
        "title": f"NetClean survey, release {release}",
        "version": version,
        "description": "Shares with confidence intervals, comparisons between waves and groups, and the check of "
                       "the report's claims, from the NetClean survey of police officers. Each resource says whether "
                       "its numbers are weighted (weighting: weighted or unweighted); unweighted, every respondent "
                       "counts once." + note["en"],
        "description_sv": "Andelar med konfidensintervall, jämförelser mellan omgångar och grupper och prövningen av "
                          "rapportens påståenden, från NetCleans enkät till poliser. Varje resurs anger om dess "
                          "siffror är vägda (weighting: weighted eller unweighted); ovägda räknas varje svarande "
                          "en gång." + note["sv"],
        "licenses": [LICENSE],
        "resources": resources,
    }


def datapackage_text(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def write_datapackage(release: str, version: str, artifacts, staged: str | Path, questionnaire: str | Path,
                      synthetic: bool, out: str | Path) -> dict:
    """Write ``datapackage.json`` for the staged release (``artifacts``: its files below ``staged``)."""
    from ..core.codebook import load_codebook

    staged = Path(staged)
    files = {Path(a).relative_to(staged).as_posix(): a for a in artifacts}
    descriptor = build_datapackage(release, version, files, load_codebook(questionnaire), synthetic)
    with Path(out).open("w", encoding="utf-8", newline="") as handle:
        handle.write(datapackage_text(descriptor))
    return descriptor
