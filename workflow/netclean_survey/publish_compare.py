"""The published outputs of comparisons and breakdowns: CSV tables, Markdown (sv, en), Excel and
figures. Each function runs one configured comparison (or one wave's breakdowns) and writes it.

Every table says what it is: every p-value names its test, every interval its method and level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from . import SYNTHETIC_NOTE
from .breakdowns import breakdown, suppress
from .codebook import Codebook, Wave
from .comparisons import run_between, run_contrast, run_paired_questions, run_within
from .plan import Comparison
from .rounding import difference, published_table, published_values, ratio
from .render import (
    format_decimal,
    format_level,
    format_percent,
    md_cell,
    method_name,
    one_line,
    prepare_path,
    write_table_csv,
    write_workbook,
)
from .render_compare import comparison_markdown, format_p, p_relation, plot_dumbbell, plot_forest, test_sentence

# A column of a Markdown result table: its header per language, the cell text of a row, and
# whether the cell is a label (text from config or data: escaped and formula-neutralised) or a
# number this module formatted (written as is, so that "-1.7" stays a number).
Column = tuple[dict[str, str], Callable[[object, str], str], bool]


# Shares and differences that are ratios of whole counts, published from the counts exactly.
BETWEEN_EXACT = {"share_a": ratio("count_a", "n_a"), "share_b": ratio("count_b", "n_b"),
                 "difference": difference(ratio("count_b", "n_b"), ratio("count_a", "n_a"))}
PAIRED_EXACT = {"share_first": ratio(("both", "only_first"), "n"), "share_second": ratio(("both", "only_second"), "n"),
                "difference": difference(ratio(("both", "only_first"), "n"), ratio(("both", "only_second"), "n"))}
BREAKDOWN_EXACT = {"share": ratio("count", "n")}


def note_for(synthetic: bool, lang: str) -> str | None:
    return SYNTHETIC_NOTE[lang] if synthetic else None


def test_table(test: Mapping) -> pd.DataFrame:
    """A test result as two columns, key and value (lists joined by ";"; tables left out)."""
    rows = []
    for key, value in test.items():
        if isinstance(value, pd.DataFrame):
            continue
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value)
        elif isinstance(value, float):
            value = f"{value:.6g}"  # six significant digits: a p-value of 1e-12 stays readable
        rows.append((key, value))
    return pd.DataFrame(rows, columns=["key", "value"]).astype({"value": "object"})


def result_markdown(title: str, sentences: list[str], table: pd.DataFrame, columns: list[Column], lang: str,
                    note: str | None) -> str:
    """Heading, sentences, a pipe table, the note: the Markdown of a result table."""
    header = "| " + " | ".join(md_cell(h[lang]) for h, _, _ in columns) + " |"
    rule = "|" + "|".join(":---" if label else "---:" for _, _, label in columns) + "|"
    lines = [header, rule]
    for row in table.itertuples(index=False):
        cells = [md_cell(cell(row, lang)) if label else cell(row, lang) for _, cell, label in columns]
        lines.append("| " + " | ".join(cells) + " |")
    parts = [f"# {one_line(title)}", " ".join(one_line(s) for s in sentences if s), "\n".join(lines)]
    if note:
        parts.append(f"*{one_line(note)}*")
    return "\n\n".join(parts) + "\n"


def write_text(text: str, path) -> Path:
    path = prepare_path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def _pp(value, lang: str) -> str:
    return format_decimal(value, 1, lang, scale=100)


def _interval_cell(estimate, low, high, lang: str, points: bool = False) -> str:
    """"16.3 [12.1, 21.4]" (Swedish: "16,3 [12,1; 21,4]"), as in the comparison tables."""
    fmt = _pp if points else format_percent
    separator = "; " if lang == "sv" else ", "
    return f"{fmt(estimate, lang)} [{fmt(low, lang)}{separator}{fmt(high, lang)}]"


def _test_words(test: Mapping, lang: str) -> str:
    return test_sentence(test, lang).rstrip(".")


WORDS = {
    "en": {
        "option": "Option", "first": "First", "second": "Second", "n": "n", "share_first": "Share first (%)",
        "share_second": "Share second (%)", "difference": "Difference, pp [CI]", "p": "p", "p_holm": "p (Holm)",
        "group": "Group", "estimate": "Estimate, pp [CI]", "count": "Count", "share": "Share (%) [CI]",
        "intervals": "Intervals: {method}, {level} %.",
        "paired": "The same respondents answer both: paired comparisons (McNemar exact test; difference with the "
                  "Newcombe (1998b) interval for paired data), Holm-adjusted over the rows.",
        "within": "Options of {question}, wave {wave} (n = {n} respondents who ticked at least one option).",
        "paired_questions": "{first} against {second}, wave {wave}: respondents who answered both (n = {n}).",
        "mean": "Where the answers sit (per respondent, the mean score of the options ticked; for age brackets "
                "the midpoint in years): {mean_first} against {mean_second}; "
                "difference {diff} [{low}, {high}] ({method}); p {p} ({test}); {robust}: p {robust_p}.",
        "contrast": "The gap {contrast} within each wave, and its change between the waves ({method}, {level} %).",
        "breakdown": "{question} by {by}, wave {wave}. Counts below {k} are shown as <{k} and their shares are not "
                     "shown. Test of association: {test}.",
        "overall": "All options together: {test}.",
    },
    "sv": {
        "option": "Svarsalternativ", "first": "Första", "second": "Andra", "n": "n", "share_first": "Andel första (%)",
        "share_second": "Andel andra (%)", "difference": "Skillnad, procentenheter [KI]", "p": "p",
        "p_holm": "p (Holm)", "group": "Grupp", "estimate": "Skattning, procentenheter [KI]", "count": "Antal",
        "share": "Andel (%) [KI]",
        "intervals": "Intervall: {method}, {level} %.",
        "paired": "Samma svarande svarar på båda: parade jämförelser (McNemars exakta test; skillnad med Newcombes "
                  "(1998b) intervall för parade data), Holm-justerade över raderna.",
        "within": "Svarsalternativ i {question}, omgång {wave} (n = {n} svarande som kryssat minst ett alternativ).",
        "paired_questions": "{first} mot {second}, omgång {wave}: svarande som besvarat båda (n = {n}).",
        "mean": "Var svaren ligger (per svarande medelvärdet av de kryssade alternativens poäng; för "
                "åldersgrupper mittpunkten i år): {mean_first} mot {mean_second}; "
                "skillnad {diff} [{low}; {high}] ({method}); p {p} ({test}); {robust}: p {robust_p}.",
        "contrast": "Skillnaden {contrast} inom varje omgång, och dess förändring mellan omgångarna ({method}, "
                    "{level} %).",
        "breakdown": "{question} efter {by}, omgång {wave}. Antal under {k} visas som <{k} och deras andelar visas "
                     "inte. Test av samband: {test}.",
        "overall": "Alla alternativ tillsammans: {test}.",
    },
}


def _option_label(question, option_id: str, lang: str) -> str:
    return question.option(option_id).label(lang)


def _write_between(comparison: Comparison, result, out_dir: Path, languages, synthetic: bool) -> list[Path]:
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
        return f"{a.label(lang)} — {b.label(lang)}"

    def markdown(lang):
        return comparison_markdown(table, lang, title(lang), facts, note_for(synthetic, lang))

    written = _write_result(table, test, markdown, out_dir, languages, synthetic)
    for lang in languages:
        note = note_for(synthetic, lang)
        png, svg = out_dir / f"dumbbell.{lang}.png", out_dir / f"dumbbell.{lang}.svg"
        plot_dumbbell(table, lang, None, None, title(lang), facts, png, svg, note)
        written += [png, svg]
        png, svg = out_dir / f"forest.{lang}.png", out_dir / f"forest.{lang}.svg"
        plot_forest(table, lang, title(lang), facts, png, svg, note)
        written += [png, svg]
    return written


def _paired_columns(question, option_column: str | None) -> list[Column]:
    w = WORDS
    columns: list[Column] = []
    if option_column == "pair":
        columns += [
            ({k: w[k]["first"] for k in w}, lambda r, lang: _option_label(question, r.option_first, lang), True),
            ({k: w[k]["second"] for k in w}, lambda r, lang: _option_label(question, r.option_second, lang), True),
        ]
    else:
        columns.append(({k: w[k]["option"] for k in w}, lambda r, lang: _option_label(question, r.option, lang), True))
    columns += [
        ({k: w[k]["n"] for k in w}, lambda r, lang: str(int(r.n)), False),
        ({k: w[k]["share_first"] for k in w}, lambda r, lang: format_percent(r.share_first, lang), False),
        ({k: w[k]["share_second"] for k in w}, lambda r, lang: format_percent(r.share_second, lang), False),
        ({k: w[k]["difference"] for k in w},
         lambda r, lang: _interval_cell(r.difference, r.ci_low, r.ci_high, lang, points=True), False),
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
    notes = {lang: note_for(synthetic, lang) for lang in languages} if synthetic else None
    write_workbook({"table": table, "test": test_table(test)}, out_dir / "comparison.xlsx", notes)
    return written + [out_dir / "comparison.xlsx"]


def _write_within(comparison, s, pairs, overall, out_dir, languages, synthetic) -> list[Path]:
    pairs, overall = published_table(pairs, PAIRED_EXACT), published_values(overall)
    columns = _paired_columns(s.question, "pair")

    def markdown(lang):
        w = WORDS[lang]
        sentences = [
            w["within"].format(question=s.question.text[lang], wave=s.wave, n=s.n),
            w["paired"],
            w["overall"].format(test=_test_words(overall, lang)),
        ]
        return result_markdown(comparison.name, sentences, pairs, columns, lang, note_for(synthetic, lang))

    return _write_result(pairs, overall, markdown, out_dir, languages, synthetic)


def _write_paired_questions(comparison, first, second, per_option, summary, out_dir, languages, synthetic):
    per_option, summary = published_table(per_option, PAIRED_EXACT), published_values(summary)
    columns = _paired_columns(first.question, "option")

    def markdown(lang):
        w = WORDS[lang]
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
        return result_markdown(comparison.name, sentences, per_option, columns, lang, note_for(synthetic, lang))

    return _write_result(per_option, summary, markdown, out_dir, languages, synthetic)


def _write_contrast(comparison, a, b, table, out_dir, languages, synthetic):
    change = published_values(table.iloc[-1].to_dict())  # the test: six significant digits
    table = published_table(table)
    weights = comparison.spec["weights"]

    def contrast_words(lang):
        terms = [f"{'+' if w > 0 else '−'} {abs(w):g} × {_option_label(a.question, o, lang)}" for o, w in weights.items()]
        return " ".join(terms).lstrip("+ ")

    columns: list[Column] = [
        ({k: WORDS[k]["group"] for k in WORDS}, lambda r, lang: str(r.group), True),
        ({k: WORDS[k]["n"] for k in WORDS}, lambda r, lang: "" if pd.isna(r.n) else str(int(r.n)), False),
        ({k: WORDS[k]["estimate"] for k in WORDS},
         lambda r, lang: _interval_cell(r.estimate, r.ci_low, r.ci_high, lang, points=True), False),
        ({k: WORDS[k]["p"] for k in WORDS}, lambda r, lang: format_p(r.p_value, lang), False),
    ]

    def markdown(lang):
        sentences = [WORDS[lang]["contrast"].format(contrast=contrast_words(lang), method=table["ci_method"].iat[-1],
                                                    level=format_level(table["conf_level"].iat[0]))]
        return result_markdown(comparison.name, sentences, table, columns, lang, note_for(synthetic, lang))

    return _write_result(table, change, markdown, out_dir, languages, synthetic)


def write_comparison(name, kind, spec, responses: dict, waves: dict, codebook: Codebook, settings: dict,
                     interval_method: str, out_dir, languages) -> list[Path]:
    """Run one configured comparison and write its outputs into ``out_dir``."""
    comparison = Comparison(kind, name, spec)
    out_dir = Path(out_dir)
    synthetic = any(waves[w].synthetic for w in comparison.waves)
    if kind == "between":
        result = run_between(comparison, responses, waves, codebook, settings, interval_method)
        return _write_between(comparison, result, out_dir, languages, synthetic)
    if kind == "within":
        s, pairs, overall = run_within(comparison, responses, waves, codebook, settings)
        return _write_within(comparison, s, pairs, overall, out_dir, languages, synthetic)
    if kind == "paired_questions":
        first, second, per_option, summary = run_paired_questions(comparison, responses, waves, codebook, settings)
        return _write_paired_questions(comparison, first, second, per_option, summary, out_dir, languages, synthetic)
    if kind == "contrasts":
        a, b, table = run_contrast(comparison, responses, waves, codebook, settings)
        return _write_contrast(comparison, a, b, table, out_dir, languages, synthetic)
    raise ValueError(f"unknown comparison kind {kind!r}")


def write_breakdowns(responses: pd.DataFrame, codebook: Codebook, wave: Wave, by_list, questions, threshold: int,
                     settings: dict, interval_method: str, out_root, languages) -> list[Path]:
    """Every question by each grouping, suppressed for publication, with the tests of association."""
    written = []
    for by in by_list:
        out_dir = Path(out_root) / by
        tables, tests = {}, []
        for qid in questions:
            table, test = breakdown(responses, codebook, wave, qid, by, settings["conf_level"], interval_method,
                                    settings["seed"], settings["bootstrap_resamples"], settings["min_expected"])
            published, test = suppress(published_table(table, BREAKDOWN_EXACT), threshold), published_values(test)
            tables[qid] = published
            tests.append(test_table(test).assign(question=qid)[["question", "key", "value"]])
            write_table_csv(published, out_dir / f"{qid}.csv")
            written.append(out_dir / f"{qid}.csv")
            for lang in languages:
                text = _breakdown_markdown(published, test, codebook, wave, qid, by, threshold, lang)
                written.append(write_text(text, out_dir / f"{qid}.{lang}.md"))
        tests_table = pd.concat(tests, ignore_index=True)
        write_table_csv(tests_table, out_dir / "tests.csv")
        notes = {lang: SYNTHETIC_NOTE[lang] for lang in languages} if wave.synthetic else None
        write_workbook({**tables, "tests": tests_table}, out_dir / f"{by}.xlsx", notes)
        written += [out_dir / "tests.csv", out_dir / f"{by}.xlsx"]
    return written


def _breakdown_markdown(published, test, codebook, wave, qid, by, threshold, lang) -> str:
    w = WORDS[lang]
    question = codebook[qid]
    columns: list[Column] = [
        ({k: WORDS[k]["group"] for k in WORDS}, lambda r, lang: getattr(r, f"group_label_{lang}"), True),
        ({k: WORDS[k]["option"] for k in WORDS}, lambda r, lang: getattr(r, f"label_{lang}"), True),
        ({k: WORDS[k]["n"] for k in WORDS}, lambda r, lang: str(r.n), False),
        ({k: WORDS[k]["count"] for k in WORDS}, lambda r, lang: str(r.count), False),
        ({k: WORDS[k]["share"] for k in WORDS},
         lambda r, lang: "–" if pd.isna(r.share) else _interval_cell(r.share, r.ci_low, r.ci_high, lang), False),
    ]
    sentences = [
        w["breakdown"].format(question=question.text[lang], by=codebook[by].text[lang].lower(), wave=wave.name,
                              k=threshold, test=_test_words(test, lang)),
        w["intervals"].format(method=method_name(published["ci_method"].iat[0]),
                              level=format_level(published["conf_level"].iat[0])),
    ]
    return result_markdown(f"{wave.title.get(lang, wave.name)}: {question.text[lang]}", sentences, published, columns,
                           lang, note_for(wave.synthetic, lang))
