"""The plan of the next wave as the release publishes it (rule plan: :func:`write_plan`):
results/{release}/plan/precision.csv, detectable.csv, power.csv, plan.{lang}.md and the figure
precision.{lang}.png/.svg; with weights on, weighted_precision.csv, weighted_detectable.csv,
weighted_power.csv and weighted_plan.{lang}.md. Every number rounded once (:mod:`netclean_survey.core.rounding`) before
any writer; the shares from their whole counts exactly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import output_note
from ..compare.runs import aligned_sides, comparison_sides
from ..core.codebook import Codebook
from ..core.plan import Comparison
from ..core.rounding import difference, published_table, ratio
from ..core.writers import write_table_csv, write_text
from ..render.comparison import sides_title
from ..render.figures import draw_charts
from ..render.plan_figure import plot_precision
from ..render.result_tables import interval_cell, percentage_points, pipe_table
from ..render.text import capitalise, format_decimal, format_level, format_percent, md_inline, method_name, one_line
from ..weights.comparison import WaveWeights, side_weights, weighting_of
from .tables import (
    detectable_table,
    precision_table,
    question_precision,
    tick_all_power_table,
    weighted_detectable_table,
    weighted_precision_table,
    weighted_tick_all_power_table,
)

PRECISION_EXACT = {"share": ratio("count", "n")}
DETECTABLE_EXACT = {"share_a": ratio("count_a", "n_a"), "share_b": ratio("count_b", "n_b"),
                    "difference": difference(ratio("count_b", "n_b"), ratio("count_a", "n_a"))}
POWER_EXACT = {"power": ratio("rejected", "simulations")}

WORDS = {
    "en": {
        "title": "Planning the next wave: respondents needed and changes that can be detected",
        "intro": "From the release's last wave, {wave}, and its comparison with {earlier}. These are the "
                 "answers of the sample as it is: the shares observed stand in for the next wave's.",
        "precision": "Respondents for intervals of ±{points} points, wave {wave}",
        "precision_text": "For each share, the respondents its {method} interval ({level} %) needs to be at most "
                          "±{points} percentage points wide (half its length), at the share observed; Cochran's "
                          "figure is that of the normal approximation, n = z² p (1 − p) / h², empty for a share "
                          "of 0 or 100 %.",
        "detectable": "Changes the sample sizes of {earlier} and {wave} can detect",
        "detectable_text": "For each option compared, the smallest rise and fall from the {earlier} share that a "
                           "two-sided test at α = {alpha} detects with {power} % power with these sample sizes "
                           "(Cohen's h on the arcsine scale; statsmodels' NormalIndPower), and whether the change "
                           "observed is that large (–: the share cannot fall that far). A smaller change may be "
                           "real: this sample would detect it with less than {power} % probability.",
        "power": "Power of the test of a tick-all question against the shift observed",
        "power_text": "The Bilder-Loughin test of all options together (second-order Rao-Scott p-value, α = "
                      "{alpha}), in {simulations} simulations of both waves drawn from their own respondents "
                      "(seed {seed}); the interval is Clopper-Pearson ({level} %) for the simulations' "
                      "error.",
        "none": "The release has no comparison between two waves: nothing to plan from.",
        "no_tick_all": "No tick-all question is compared between these waves.",
        "question": "Question", "option": "Option", "n": "n", "share": "Share (%)", "now": "± now (pp)",
        "needed": "Respondents needed", "cochran": "Cochran (normal)", "comparison": "Comparison",
        "change": "Change (pp)", "rise": "Detectable rise (pp)", "fall": "Detectable fall (pp)",
        "large": "Observed ≥ detectable", "yes": "yes", "no": "no", "power_col": "Power (%) [CI]",
        "simulations": "Simulations",
    },
    "sv": {
        "title": "Planering av nästa omgång: antal svarande som behövs och förändringar som kan upptäckas",
        "intro": "Utifrån releasens sista omgång, {wave}, och dess jämförelse med {earlier}. Så svarar urvalet som "
                 "det är: de observerade andelarna står för nästa omgångs.",
        "precision": "Svarande för intervall på ±{points} procentenheter, omgång {wave}",
        "precision_text": "För varje andel: hur många svarande dess {method}-intervall ({level} %) behöver för att "
                          "vara högst ±{points} procentenheter brett (halva längden), vid den observerade andelen; "
                          "Cochrans tal är normalapproximationens, n = z² p (1 − p) / h², tomt för en andel på 0 "
                          "eller 100 %.",
        "detectable": "Förändringar som urvalen {earlier} och {wave} kan upptäcka",
        "detectable_text": "För varje jämfört alternativ: den minsta ökning och minskning från andelen {earlier} som "
                           "ett tvåsidigt test på nivån α = {alpha} upptäcker med {power} % styrka med dessa "
                           "urvalsstorlekar (Cohens h på arcsinusskalan; statsmodels NormalIndPower), och om den "
                           "observerade förändringen är så stor (–: andelen kan inte minska så mycket). En mindre "
                           "förändring kan vara verklig: detta urval skulle upptäcka den med mindre än {power} % "
                           "sannolikhet.",
        "power": "Styrkan hos testet av en fråga med flera svarsalternativ mot den observerade förskjutningen",
        "power_text": "Bilder-Loughins test av alla alternativ tillsammans (Rao-Scotts p-värde av andra "
                      "ordningen, α = {alpha}), i {simulations} simuleringar av båda omgångarna dragna ur deras "
                      "egna svarande (seed {seed}); intervallet är Clopper-Pearsons ({level} %) för "
                      "simuleringarnas fel.",
        "none": "Releasen har ingen jämförelse mellan två omgångar: inget att planera utifrån.",
        "no_tick_all": "Ingen fråga med flera svarsalternativ jämförs mellan dessa omgångar.",
        "question": "Fråga", "option": "Svarsalternativ", "n": "n", "share": "Andel (%)", "now": "± nu (pe)",
        "needed": "Svarande som behövs", "cochran": "Cochran (normal)", "comparison": "Jämförelse",
        "change": "Förändring (pe)", "rise": "Upptäckbar ökning (pe)", "fall": "Upptäckbar minskning (pe)",
        "large": "Observerad ≥ upptäckbar", "yes": "ja", "no": "nej", "power_col": "Styrka (%) [KI]",
        "simulations": "Simuleringar",
    },
}


WEIGHTED_WORDS = {
    "en": {
        "title": "Planning the next wave with weights",
        "intro": "The plan of the release's last wave, {wave}, and its comparison with {earlier}, with the weights "
                 "({weighting}): every share is weighted, and the weights cost precision. The unweighted plan is "
                 "plan.{lang}.md.",
        "precision": "Respondents for intervals of ±{points} points with weights, wave {wave}",
        "precision_text": "For each weighted share, the effective sample size its {method} interval ({level} %) "
                          "needs to be at most ±{points} percentage points wide, and the respondents that takes if "
                          "the next wave's weights are as unequal as this wave's: the effective size times Kish's "
                          "design effect of the question's weights, rounded up.",
        "detectable": "Changes the weighted samples of {earlier} and {wave} can detect",
        "detectable_text": "As in the unweighted plan, with the weighted shares and each wave counted as its Kish "
                           "effective sample size (α = {alpha}, {power} % power).",
        "power": "Power of the test of a tick-all question with weights against the shift observed",
        "power_text": "The Bilder-Loughin test with weights (Rao-Scott second-order F, α = {alpha}), in "
                      "{simulations} simulations of both waves drawn, with their weights, from their own respondents "
                      "(seed {seed}); the interval is Clopper-Pearson ({level} %) for the simulations' error.",
        "deff": "Design effect", "effective": "Effective n needed", "n_eff": "Effective n",
    },
    "sv": {
        "title": "Planering av nästa omgång med vikter",
        "intro": "Planen utifrån releasens sista omgång, {wave}, och dess jämförelse med {earlier}, med vikterna "
                 "({weighting}): varje andel är vägd, och vikterna kostar precision. Den ovägda planen är "
                 "plan.{lang}.md.",
        "precision": "Svarande för intervall på ±{points} procentenheter med vikter, omgång {wave}",
        "precision_text": "För varje vägd andel: den effektiva urvalsstorlek som dess {method}-intervall ({level} %) "
                          "behöver för att vara högst ±{points} procentenheter brett, och hur många svarande det "
                          "kräver om nästa omgångs vikter är lika ojämna som denna omgångs: den effektiva storleken "
                          "gånger Kishs designeffekt för frågans vikter, avrundat uppåt.",
        "detectable": "Förändringar som de vägda urvalen {earlier} och {wave} kan upptäcka",
        "detectable_text": "Som i den ovägda planen, med de vägda andelarna och varje omgång räknad som sin effektiva "
                           "urvalsstorlek enligt Kish (α = {alpha}, {power} % styrka).",
        "power": "Styrkan hos testet med vikter av en fråga med flera svarsalternativ mot den observerade "
                 "förskjutningen",
        "power_text": "Bilder-Loughins test med vikter (Rao-Scotts F av andra ordningen, α = {alpha}), i "
                      "{simulations} simuleringar av båda omgångarna dragna, med sina vikter, ur deras egna svarande "
                      "(seed {seed}); intervallet är Clopper-Pearsons ({level} %) för simuleringarnas fel.",
        "deff": "Designeffekt", "effective": "Effektivt n som behövs", "n_eff": "Effektivt n",
    },
}


def weighted_plan_markdown(precision: pd.DataFrame, detectable: pd.DataFrame | None, power: pd.DataFrame | None,
                           titles: dict, question_names: dict, settings: dict, waves: tuple[str | None, str],
                           lang: str, note: str | None) -> str:
    """The plan with weights in ``lang`` (``weighted_plan.{lang}.md``): the respondents each weighted
    share needs (weighted_precision.csv) and, when there is an earlier wave, the changes the weighted
    samples detect (weighted_detectable.csv) and the power of the tick-all test with weights
    (weighted_power.csv)."""
    w, base = WEIGHTED_WORDS[lang], WORDS[lang]
    earlier, wave = waves
    level = format_level(settings["conf_level"])
    points = format_decimal(settings["half_width"], 1, lang).removesuffix(".0").removesuffix(",0")
    weighting = precision["weighting"].iat[0] if len(precision) else ""
    parts = [f"# {md_inline(w['title'])}",
             w["intro"].format(wave=wave, earlier=earlier or "–", weighting=weighting, lang=lang),
             f"## {md_inline(w['precision'].format(points=points, wave=wave))}",
             w["precision_text"].format(method=method_name(settings["interval_method"]), level=level, points=points)]
    rows = [[capitalise(question_names[r.question]), r[f"label_{lang}"], str(r.n), format_percent(r.share, lang),
             format_decimal(r.design_effect, 2, lang), _whole(r.effective_needed), _whole(r.respondents_needed)]
            for _, r in precision.iterrows()]
    parts.append(_pipe_table([base["question"], base["option"], base["n"], base["share"], w["deff"], w["effective"],
                              base["needed"]], rows, 2))
    if detectable is not None and earlier is not None:
        parts += [f"## {md_inline(w['detectable'].format(earlier=earlier, wave=wave))}",
                  w["detectable_text"].format(alpha=format_decimal(settings["alpha"], 2, lang),
                                              power=format_decimal(settings["power"], 0, lang, scale=100))]
        rows = [[titles[r.comparison], r[f"label_{lang}"], format_decimal(r.n_effective_a, 1, lang),
                 format_decimal(r.n_effective_b, 1, lang), format_percent(r.share_a, lang),
                 format_percent(r.share_b, lang), percentage_points(r.difference, lang),
                 percentage_points(r.detectable_increase, lang), percentage_points(r.detectable_decrease, lang),
                 base["yes"] if r.detectable else base["no"]]
                for _, r in detectable.iterrows()]
        parts.append(_pipe_table([base["comparison"], base["option"], f"{w['n_eff']} {earlier}",
                                  f"{w['n_eff']} {wave}", f"{earlier} (%)", f"{wave} (%)", base["change"],
                                  base["rise"], base["fall"], base["large"]], rows, 2))
    if power is not None and earlier is not None:
        parts += power_section(power, titles, w, settings, waves, lang)
    if note:
        parts.append(f"*{one_line(note)}*")
    return "\n\n".join(parts) + "\n"


def power_section(power: pd.DataFrame, titles: dict, words: dict, settings: dict, waves: tuple[str, str],
                  lang: str) -> list[str]:
    """The power table of the plan (or of the plan with weights: ``words`` gives its heading and
    sentence), as Markdown parts."""
    w = WORDS[lang]
    earlier, wave = waves
    parts = [f"## {md_inline(words['power'])}",
             words["power_text"].format(alpha=format_decimal(settings["alpha"], 2, lang),
                                        simulations=settings["simulations"], seed=settings["seed"],
                                        level=format_level(settings["conf_level"]))]
    if power.empty:
        return parts + [w["no_tick_all"]]
    rows = [[titles[r.comparison], str(r.n_a), str(r.n_b), interval_cell(r.power, r.power_ci_low, r.power_ci_high, lang),
             str(r.simulations)] for _, r in power.iterrows()]
    return parts + [_pipe_table([w["comparison"], f"n {earlier}", f"n {wave}", w["power_col"], w["simulations"]],
                                rows, 1)]


def _whole(value) -> str:
    return "" if pd.isna(value) else str(int(value))


def _pipe_table(header: list[str], rows: list[list[str]], labels: int) -> str:
    """A pipe table whose first ``labels`` columns are text."""
    return pipe_table(header, rows, [i < labels for i in range(len(header))])


def plan_markdown(precision: pd.DataFrame, detectable: pd.DataFrame, power: pd.DataFrame, titles: dict,
                  question_names: dict, settings: dict, waves: tuple[str | None, str], lang: str,
                  note: str | None) -> str:
    """The plan's page in ``lang``: the three tables, each with the sentence that says how it was
    made. ``titles``: comparison name -> its title in ``lang``; ``question_names``: question id ->
    its name in ``lang``; ``waves``: (the earlier wave or None, the last wave)."""
    w = WORDS[lang]
    earlier, wave = waves
    level = format_level(settings["conf_level"])
    points = format_decimal(settings["half_width"], 1, lang).removesuffix(".0").removesuffix(",0")
    alpha = format_decimal(settings["alpha"], 2, lang)
    parts = [f"# {md_inline(w['title'])}"]
    if earlier is not None:
        parts.append(w["intro"].format(wave=wave, earlier=earlier))
    parts += [f"## {md_inline(w['precision'].format(points=points, wave=wave))}",
              w["precision_text"].format(method=method_name(settings["interval_method"]), level=level,
                                         points=points)]
    rows = [[capitalise(question_names[r.question]), r[f"label_{lang}"], str(r.n), format_percent(r.share, lang),
             percentage_points(r.ci_half_width, lang), _whole(r.respondents_needed), _whole(r.respondents_normal)]
            for _, r in precision.iterrows()]
    parts.append(_pipe_table([w["question"], w["option"], w["n"], w["share"], w["now"], w["needed"], w["cochran"]],
                             rows, 2))
    if earlier is None:
        parts.append(w["none"])
    else:
        parts += [f"## {md_inline(w['detectable'].format(earlier=earlier, wave=wave))}",
                  w["detectable_text"].format(earlier=earlier, alpha=alpha,
                                              power=format_decimal(settings["power"], 0, lang, scale=100))]
        rows = [[titles[r.comparison], r[f"label_{lang}"], format_percent(r.share_a, lang),
                 format_percent(r.share_b, lang), percentage_points(r.difference, lang), percentage_points(r.detectable_increase, lang),
                 percentage_points(r.detectable_decrease, lang), w["yes"] if r.detectable else w["no"]]
                for _, r in detectable.iterrows()]
        parts.append(_pipe_table([w["comparison"], w["option"], f"{earlier} (%)", f"{wave} (%)", w["change"],
                                  w["rise"], w["fall"], w["large"]], rows, 2))
        parts += power_section(power, titles, w, settings, waves, lang)
    if note:
        parts.append(f"*{one_line(note)}*")
    return "\n\n".join(parts) + "\n"


def comparison_pairs(comparisons: list[dict], responses: dict, waves: dict, codebook: Codebook) -> list[tuple]:
    """(name, side a, side b, the options compared, ticks a, ticks b) of each comparison (name, kind,
    spec); the options one side lacks are left out, as the comparison leaves them."""
    pairs = []
    for c in comparisons:
        comparison = Comparison(c["kind"], c["name"], c["spec"])
        a, b = comparison_sides(comparison, responses, waves, codebook)
        options, _, ticks_a, ticks_b = aligned_sides(a, b)
        pairs.append((c["name"], a, b, options, ticks_a, ticks_b))
    return pairs


def plan_tables(estimates: pd.DataFrame, responses: dict, waves: dict, codebook: Codebook,
                comparisons: list[dict], settings: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list]:
    """The plan's three tables (rounded for publication) and the comparisons' (name, side a, side b)
    they come from. ``estimates``: the last wave's; ``comparisons``: those between the last two
    waves (name, kind, spec); ``settings``: half_width (points), power, alpha, simulations, seed,
    interval_method, conf_level."""
    half_width = settings["half_width"] / 100
    precision = precision_table(estimates, half_width, settings["interval_method"], settings["conf_level"])
    pairs = comparison_pairs(comparisons, responses, waves, codebook)
    detectable = detectable_table(pairs, settings["alpha"], settings["power"])
    power = tick_all_power_table(pairs, settings["alpha"], settings["simulations"], settings["seed"],
                                 settings["conf_level"])
    return (published_table(precision, PRECISION_EXACT), published_table(detectable, DETECTABLE_EXACT),
            published_table(power, POWER_EXACT), [(name, a, b) for name, a, b, *_ in pairs])


def write_plan(estimates: pd.DataFrame, responses: dict, waves: dict, codebook: Codebook, comparisons: list[dict],
               settings: dict, out_dir, languages, synthetic: bool, weighted: pd.DataFrame | None = None,
               wave_weights: WaveWeights | None = None) -> list[Path]:
    """Compute the plan (:func:`plan_tables`) and write its files into ``out_dir``; the files written.
    With ``weighted`` (the last wave's weighted estimates, weights on), also weighted_precision.csv
    (:func:`.tables.weighted_precision_table`) and weighted_plan.{lang}.md; with ``wave_weights`` (the
    last two waves' weights), weighted_detectable.csv and weighted_power.csv
    (:func:`.tables.weighted_detectable_table`, :func:`.tables.weighted_tick_all_power_table`)."""
    out_dir = Path(out_dir)
    precision, detectable, power, sides = plan_tables(estimates, responses, waves, codebook, comparisons, settings)
    written = []
    weighted_precision = weighted_detectable = weighted_power = None
    if weighted is not None:
        weighted_precision = published_table(weighted_precision_table(
            weighted, settings["half_width"] / 100, settings["interval_method"], settings["conf_level"]))
        written.append(out_dir / "weighted_precision.csv")
        write_table_csv(weighted_precision, written[-1])
    if wave_weights is not None:
        pairs = comparison_pairs(comparisons, responses, waves, codebook)
        weights = [(side_weights(a, wave_weights.weights[a.wave]), side_weights(b, wave_weights.weights[b.wave]))
                   for _, a, b, *_ in pairs]
        label = weighting_of(wave_weights.labels, *wave_weights.labels)
        weighted_detectable = published_table(weighted_detectable_table(pairs, weights, label, settings["alpha"],
                                                                        settings["power"]))
        weighted_power = published_table(weighted_tick_all_power_table(
            pairs, weights, label, settings["alpha"], settings["simulations"], settings["seed"],
            settings["conf_level"]), POWER_EXACT)
        for name, table in (("weighted_detectable", weighted_detectable), ("weighted_power", weighted_power)):
            written.append(out_dir / f"{name}.csv")
            write_table_csv(table, written[-1])
    for name, table in (("precision", precision), ("detectable", detectable), ("power", power)):
        write_table_csv(table, out_dir / f"{name}.csv")
        written.append(out_dir / f"{name}.csv")
    last = str(estimates["wave"].iat[0]) if len(estimates) else ""
    earlier = sides[0][1].wave if sides else None
    per_question = question_precision(precision)
    charts = []
    for lang in languages:
        titles = {name: sides_title(a.question.name(lang), a.wave, b.question.name(lang), b.wave, lang)
                  for name, a, b in sides}
        names = {q: codebook[q].name(lang) for q in precision["question"].unique()}
        note = output_note(lang, synthetic)
        text = plan_markdown(precision, detectable, power, titles, names, settings, (earlier, last), lang, note)
        written.append(write_text(text, out_dir / f"plan.{lang}.md"))
        if weighted_precision is not None:
            names = {**names, **{q: codebook[q].name(lang) for q in weighted_precision["question"].unique()}}
            text = weighted_plan_markdown(weighted_precision, weighted_detectable, weighted_power, titles, names,
                                          settings, (earlier, last), lang, output_note(lang, synthetic, weighted=True))
            written.append(write_text(text, out_dir / f"weighted_plan.{lang}.md"))
        png, svg = out_dir / f"precision.{lang}.png", out_dir / f"precision.{lang}.svg"
        charts.append((plot_precision, (per_question, names, settings, last, lang, png, svg, note)))
        written += [png, svg]
    draw_charts(charts)
    return written
