"""The published outputs of comparisons: table.csv, test.csv, comparison.{lang}.md, comparison.xlsx
and, between waves, the dumbbell and forest figures (rule compare_{job}: :func:`write_comparison`).
Every p-value names its test, every interval its method and level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from .. import output_note
from ..core.codebook import Codebook
from ..core.plan import Comparison
from ..core.rounding import difference, published_table, published_values, ratio
from ..core.writers import write_table_csv, write_text
from ..render.collation import listing_order
from ..render.comparison import (
    comparison_facts,
    comparison_markdown,
    contrast_title,
    format_p,
    p_relation,
    sides_title,
    within_title,
)
from ..render.comparison_figures import drawn_rows, plot_dumbbell, plot_forest
from ..render.figures import Grouping, draw_charts
from ..render.result_tables import (
    WORDS,
    Column,
    interval_cell,
    option_label,
    result_markdown,
    test_table,
    test_words,
)
from ..render.text import format_decimal, format_level, format_percent
from ..render.weighted_comparison import weighted_between_markdown, weighted_contrast_markdown
from ..render.workbook import write_workbook
from ..weights.comparison import WaveWeights, side_weights, weighted_between, weighted_contrast, weighting_of
from .runs import run_between, run_contrast, run_paired_questions, run_within

# Shares and differences that are ratios of whole counts, published from the counts exactly.
BETWEEN_EXACT = {"share_a": ratio("count_a", "n_a"), "share_b": ratio("count_b", "n_b"),
                 "difference": difference(ratio("count_b", "n_b"), ratio("count_a", "n_a"))}


PAIRED_EXACT = {"share_first": ratio(("both", "only_first"), "n"), "share_second": ratio(("both", "only_second"), "n"),
                "difference": difference(ratio(("both", "only_first"), "n"), ratio(("both", "only_second"), "n"))}


def _write_between(comparison: Comparison, result, out_dir: Path, languages, synthetic: bool,
                   grouping: Grouping | None, charts: list) -> list[Path]:
    """The tables now; the dumbbell and forest charts appended to ``charts`` (function, arguments),
    drawn by the caller."""
    a, b = result.a, result.b
    table = published_table(result.options, BETWEEN_EXACT)  # every format takes these values
    published_test = published_values(result.test)
    facts = {
        "kind": a.kind, "wave_a": a.wave, "wave_b": b.wave,
        "question_a": a.question.text, "question_b": b.question.text, "base_a": a.question.base,
        "base_b": b.question.base,
        "ci_method": table["ci_method"].iat[0], "test": published_test, "left_out": result.left_out,
    }
    test = dict(published_test)
    test.update({"wave_a": a.wave, "question_a": a.question.id, "n_a": a.n, "n_asked_a": a.n_asked,
                 "wave_b": b.wave, "question_b": b.question.id, "n_b": b.n, "n_asked_b": b.n_asked,
                 "options_not_compared": result.left_out})

    def title(lang):
        return sides_title(a.question.name(lang), a.wave, b.question.name(lang), b.wave, lang)

    def markdown(lang):
        return comparison_markdown(listing_order(table, a.question, lang), lang, title(lang), facts,
                                   output_note(lang, synthetic))

    written = _write_result(table, test, markdown, out_dir, languages, synthetic)
    for lang in languages:
        note = output_note(lang, synthetic)
        sides = comparison_facts(table, facts, lang)
        rows, left_out = drawn_rows(table, a.question, lang, (sides["label_a"], sides["label_b"]), grouping)
        png, svg = out_dir / f"dumbbell.{lang}.png", out_dir / f"dumbbell.{lang}.svg"
        charts.append((plot_dumbbell, (rows, lang, None, None, title(lang), facts, png, svg, note, left_out)))
        written += [png, svg]
        png, svg = out_dir / f"forest.{lang}.png", out_dir / f"forest.{lang}.svg"
        charts.append((plot_forest, (rows, lang, title(lang), facts, png, svg, note, left_out)))
        written += [png, svg]
    return written


def _paired_columns(question, option_column: str | None) -> list[Column]:
    w = WORDS
    columns: list[Column] = []
    if option_column == "pair":
        columns += [
            ({k: w[k]["first"] for k in w}, lambda r, lang: option_label(question, r.option_first, lang), True),
            ({k: w[k]["second"] for k in w}, lambda r, lang: option_label(question, r.option_second, lang), True),
        ]
    else:
        columns.append(({k: w[k]["option"] for k in w}, lambda r, lang: option_label(question, r.option, lang), True))
    columns += [
        ({k: w[k]["n"] for k in w}, lambda r, lang: str(int(r.n)), False),
        ({k: w[k]["share_first"] for k in w}, lambda r, lang: format_percent(r.share_first, lang), False),
        ({k: w[k]["share_second"] for k in w}, lambda r, lang: format_percent(r.share_second, lang), False),
        ({k: w[k]["difference"] for k in w},
         lambda r, lang: interval_cell(r.difference, r.ci_low, r.ci_high, lang, points=True), False),
        ({k: w[k]["p"] for k in w}, lambda r, lang: format_p(r.p_value, lang), False),
        ({k: w[k]["p_holm"] for k in w}, lambda r, lang: format_p(r.p_holm, lang), False),
    ]
    return columns


def _write_result(table: pd.DataFrame, test: dict, markdown: Callable[[str], str], out_dir: Path, languages,
                  synthetic: bool) -> list[Path]:
    """table.csv, test.csv, comparison.{lang}.md and comparison.xlsx of a comparison."""
    write_table_csv(table, out_dir / "table.csv")
    write_table_csv(test_table(test), out_dir / "test.csv")
    written = [out_dir / "table.csv", out_dir / "test.csv"]
    for lang in languages:
        written.append(write_text(markdown(lang), out_dir / f"comparison.{lang}.md"))
    notes = {lang: output_note(lang, synthetic) for lang in languages}
    write_workbook({"table": table, "test": test_table(test)}, out_dir / "comparison.xlsx", notes)
    return written + [out_dir / "comparison.xlsx"]


def _write_within(comparison, s, pairs, overall, out_dir, languages, synthetic) -> list[Path]:
    pairs, overall = published_table(pairs, PAIRED_EXACT), published_values(overall)
    columns = _paired_columns(s.question, "pair")
    options = comparison.spec.get("options") or s.question.option_ids  # as run_within compares them

    def markdown(lang):
        w = WORDS[lang]
        title = within_title(s.question.name(lang), s.wave, [option_label(s.question, o, lang) for o in options], lang)
        sentences = [
            w["within"].format(question=s.question.text[lang], wave=s.wave, n=s.n),
            w["paired"],
            w["overall"].format(test=test_words(overall, lang)),
        ]
        return result_markdown(title, sentences, pairs, columns, lang, output_note(lang, synthetic))

    return _write_result(pairs, overall, markdown, out_dir, languages, synthetic)


def _write_paired_questions(comparison, first, second, per_option, summary, out_dir, languages, synthetic):
    per_option, summary = published_table(per_option, PAIRED_EXACT), published_values(summary)
    columns = _paired_columns(first.question, "option")

    def markdown(lang):
        w = WORDS[lang]
        title = sides_title(first.question.name(lang), first.wave, second.question.name(lang), second.wave, lang)
        number = lambda v: format_decimal(v, 2, lang)  # noqa: E731
        sentences = [
            w["paired_questions"].format(first=first.question.text[lang], second=second.question.text[lang],
                                         wave=first.wave, n=summary.get("n_answered_both", "")),
            w["paired"],
            w["mean"].format(mean_first=number(summary["mean_first"]),
                             mean_second=number(summary["mean_second"]), diff=number(summary["mean_difference"]),
                             low=number(summary["ci_low"]), high=number(summary["ci_high"]),
                             method=summary["ci_method"], p=p_relation(summary["p_value"], lang), test=summary["test"],
                             robust=summary["robustness_test"],
                             robust_p=p_relation(summary["robustness_p_value"], lang)),
        ]
        return result_markdown(title, sentences, per_option, columns, lang, output_note(lang, synthetic))

    return _write_result(per_option, summary, markdown, out_dir, languages, synthetic)


def contrast_words(a, weights, lang) -> str:
    """The contrast in words: "Asia − 0.5 × North America − 0.5 × Europe"."""
    terms = [f"{'+' if w > 0 else '−'} {abs(w):g} × {option_label(a.question, o, lang)}" for o, w in weights.items()]
    return " ".join(terms).lstrip("+ ")


def contrast_heading(a, b, weights, lang) -> str:
    # the options by the later wave's labels: it names harmonised options plainly (sides.shared_options)
    labels = {o: option_label(b.question, o, lang) for o in weights}
    return contrast_title([labels[o] for o, w in weights.items() if w > 0],
                          [labels[o] for o, w in weights.items() if w < 0],
                          a.question.name(lang), a.wave, b.question.name(lang), b.wave, lang)


def _write_contrast(comparison, a, b, table, out_dir, languages, synthetic):
    change = published_values(table.iloc[-1].to_dict())  # the test: six significant digits
    table = published_table(table)
    weights = comparison.spec["weights"]

    columns: list[Column] = [
        ({k: WORDS[k]["group"] for k in WORDS}, lambda r, lang: str(r.group), True),
        ({k: WORDS[k]["n"] for k in WORDS}, lambda r, lang: "" if pd.isna(r.n) else str(int(r.n)), False),
        ({k: WORDS[k]["estimate"] for k in WORDS},
         lambda r, lang: interval_cell(r.estimate, r.ci_low, r.ci_high, lang, points=True), False),
        ({k: WORDS[k]["p"] for k in WORDS}, lambda r, lang: format_p(r.p_value, lang), False),
    ]

    def title(lang):
        return contrast_heading(a, b, weights, lang)

    def markdown(lang):
        sentences = [WORDS[lang]["contrast"].format(contrast=contrast_words(a, weights, lang),
                                                    method=table["ci_method"].iat[-1],
                                                    level=format_level(table["conf_level"].iat[0]))]
        return result_markdown(title(lang), sentences, table, columns, lang, output_note(lang, synthetic))

    return _write_result(table, change, markdown, out_dir, languages, synthetic)


def _write_weighted_tables(table: pd.DataFrame, test: Mapping, out_dir: Path, languages, synthetic: bool
                           ) -> list[Path]:
    """weighted/table.csv, test.csv and comparison.xlsx (the two as sheets) of a weighted comparison."""
    write_table_csv(table, out_dir / "table.csv")
    write_table_csv(test_table(test), out_dir / "test.csv")
    notes = {lang: output_note(lang, synthetic, weighted=True) for lang in languages} if synthetic else None
    write_workbook({"table": table, "test": test_table(test)}, out_dir / "comparison.xlsx", notes)
    return [out_dir / "table.csv", out_dir / "test.csv", out_dir / "comparison.xlsx"]


def _write_weighted_between(a, b, weighted: WaveWeights, conf_level: float, left_out: list, out_dir: Path,
                            languages, synthetic: bool) -> list[Path]:
    """weighted/table.csv, test.csv and comparison.{lang}.md: the question in the two waves with their
    weights (:func:`..weights.comparison.weighted_between`)."""
    result = weighted_between(a, b, side_weights(a, weighted.weights[a.wave]), side_weights(b, weighted.weights[b.wave]),
                              weighted.interval_method, conf_level, weighting_of(weighted.labels, a.wave, b.wave))
    table, test = published_table(result.options), published_values(result.test)
    record = dict(test)
    record.update({"weighting": table["weighting"].iat[0], "wave_a": a.wave, "question_a": a.question.id,
                   "n_a": a.n, "wave_b": b.wave, "question_b": b.question.id, "n_b": b.n,
                   "options_not_compared": left_out})
    written = _write_weighted_tables(table, record, out_dir, languages, synthetic)
    for lang in languages:
        facts = {"kind": a.kind, "wave_a": a.wave, "wave_b": b.wave, "question_a": a.question.text[lang],
                 "question_b": b.question.text[lang], "base_a": a.question.base[lang], "base_b": b.question.base[lang],
                 "left_out": [option_label(a.question if o in a.question.option_ids else b.question, o, lang)
                              for o in left_out],
                 "margin": a.question.id == b.question.id and weighted.is_margin(a.question.id, a.wave, b.wave)}
        title = sides_title(a.question.name(lang), a.wave, b.question.name(lang), b.wave, lang)
        text = weighted_between_markdown(table, test, facts, title, lang, output_note(lang, synthetic, weighted=True))
        written.append(write_text(text, out_dir / f"comparison.{lang}.md"))
    return written


def _write_weighted_contrast(comparison, a, b, weighted: WaveWeights, conf_level: float, out_dir: Path, languages,
                             synthetic: bool) -> list[Path]:
    """weighted/table.csv, test.csv and comparison.{lang}.md of a gap compared across two weighted waves."""
    weights = comparison.spec["weights"]
    table = weighted_contrast(a, b, side_weights(a, weighted.weights[a.wave]), side_weights(b, weighted.weights[b.wave]),
                              weights, conf_level, weighting_of(weighted.labels, a.wave, b.wave))
    change = published_values(table.drop(columns="n_effective").iloc[-1].to_dict())  # n_eff is each wave's
    table = published_table(table)
    written = _write_weighted_tables(table, change, out_dir, languages, synthetic)
    for lang in languages:
        text = weighted_contrast_markdown(table, contrast_words(a, weights, lang), contrast_heading(a, b, weights, lang),
                                          lang, output_note(lang, synthetic, weighted=True))
        written.append(write_text(text, out_dir / f"comparison.{lang}.md"))
    return written


def write_comparisons(comparisons: list[dict], responses: dict, waves: dict, codebook: Codebook, settings: dict,
                      interval_method: str, out_dirs: Mapping[str, Path], languages, figures: dict | None = None,
                      processes: int = 1, weighted: WaveWeights | None = None) -> dict[str, list[Path]]:
    """The comparisons of one job (``comparisons``: name, kind, spec and waves of each), each into
    ``out_dirs[name]``: the statistics and tables of each once, in turn, then every chart of the job
    drawn in ``processes`` forked processes (the job's threads; :func:`.figures.draw_charts`: the
    files are the same however many). ``weighted``: the waves' weights (config weights on): a
    comparison between two waves then also has its weighted tables in ``weighted/``. The files
    written, by comparison."""
    charts: list = []
    written = {
        c["name"]: write_comparison(c["name"], c["kind"], c["spec"], {w: responses[w] for w in c["waves"]},
                                    {w: waves[w] for w in c["waves"]}, codebook, settings, interval_method,
                                    out_dirs[c["name"]], languages, figures, charts, weighted)
        for c in comparisons
    }
    draw_charts(charts, processes)
    return written


def write_comparison(name, kind, spec, responses: dict, waves: dict, codebook: Codebook, settings: dict,
                     interval_method: str, out_dir, languages, figures: dict | None = None,
                     charts: list | None = None, weighted: WaveWeights | None = None) -> list[Path]:
    """Run one configured comparison and write its outputs into ``out_dir``. ``figures``: config
    ``figures`` (its ``group_small_options`` for long single-choice lists; None: the defaults).
    ``charts``: a list the figures are appended to, as (function, arguments), for the caller to draw
    (:func:`write_comparisons`); None: drawn here, in this process. ``weighted``: the waves' weights,
    for a comparison between two waves (:meth:`Comparison.between_waves`): its weighted tables go to
    ``out_dir/weighted``."""
    comparison = Comparison(kind, name, spec)
    out_dir = Path(out_dir)
    synthetic = any(waves[w].synthetic for w in comparison.waves)
    weigh = weighted is not None and comparison.between_waves
    if kind == "between":
        result = run_between(comparison, responses, waves, codebook, settings, interval_method)
        grouping = Grouping.from_config((figures or {}).get("group_small_options"))
        drawn_here = charts is None
        charts = [] if drawn_here else charts
        written = _write_between(comparison, result, out_dir, languages, synthetic, grouping, charts)
        if weigh:
            written += _write_weighted_between(result.a, result.b, weighted, settings["conf_level"], result.left_out,
                                               out_dir / "weighted", languages, synthetic)
        if drawn_here:
            draw_charts(charts)
        return written
    if kind == "within":
        s, pairs, overall = run_within(comparison, responses, waves, codebook, settings)
        return _write_within(comparison, s, pairs, overall, out_dir, languages, synthetic)
    if kind == "paired_questions":
        first, second, per_option, summary = run_paired_questions(comparison, responses, waves, codebook, settings)
        return _write_paired_questions(comparison, first, second, per_option, summary, out_dir, languages, synthetic)
    if kind == "contrasts":
        a, b, table = run_contrast(comparison, responses, waves, codebook, settings)
        written = _write_contrast(comparison, a, b, table, out_dir, languages, synthetic)
        if weigh:
            written += _write_weighted_contrast(comparison, a, b, weighted, settings["conf_level"],
                                                out_dir / "weighted", languages, synthetic)
        return written
    raise ValueError(f"unknown comparison kind {kind!r}")

