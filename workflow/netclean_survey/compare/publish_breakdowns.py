"""The published outputs of breakdowns: every question of a wave by respondent group, suppressed for
publication, with its test of association, as CSV, Markdown (sv, en) and a workbook (rule
breakdowns_{wave}: :func:`write_breakdowns`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import output_note
from ..core.codebook import Codebook, Wave
from ..core.rounding import published_table, published_values, ratio
from ..core.writers import write_table_csv, write_text
from ..render.result_tables import WORDS, Column, interval_cell, result_markdown, test_table, test_words
from ..render.text import format_level, method_name
from ..render.workbook import write_workbook
from .breakdowns import PRIMARY, SECONDARY, breakdown, suppress

BREAKDOWN_EXACT = {"share": ratio("count", "n")}


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
        notes = {lang: output_note(lang, wave.synthetic) for lang in languages}
        descriptions = {qid: f"{codebook[qid].text['en']} (by {codebook[by].text['en'].lower()})" for qid in tables}
        descriptions["tests"] = "the test of association of each question with the grouping"
        write_workbook({**tables, "tests": tests_table}, out_dir / f"{by}.xlsx", notes, descriptions)
        written += [out_dir / "tests.csv", out_dir / f"{by}.xlsx"]
    return written


SECONDARY_MARKER = "x"


def _cell(value, flag: str, threshold: int) -> str:
    """A published count, or its marker: "<5" where it is below the threshold (primary), "x" where
    it is hidden to protect another (secondary), never "<5" for a count that is not below it."""
    if flag == PRIMARY:
        return f"<{threshold}"
    if flag == SECONDARY:
        return SECONDARY_MARKER
    return str(int(value))


def _breakdown_markdown(published, test, codebook, wave, qid, by, threshold, lang) -> str:
    w = WORDS[lang]
    question = codebook[qid]
    columns: list[Column] = [
        ({k: WORDS[k]["group"] for k in WORDS}, lambda r, lang: getattr(r, f"group_label_{lang}"), True),
        ({k: WORDS[k]["option"] for k in WORDS}, lambda r, lang: getattr(r, f"label_{lang}"), True),
        ({k: WORDS[k]["n"] for k in WORDS}, lambda r, lang: _cell(r.n, r.n_suppressed, threshold), False),
        ({k: WORDS[k]["count"] for k in WORDS}, lambda r, lang: _cell(r.count, r.suppressed, threshold), False),
        ({k: WORDS[k]["share"] for k in WORDS},
         lambda r, lang: "–" if pd.isna(r.share) else interval_cell(r.share, r.ci_low, r.ci_high, lang), False),
    ]
    sentences = [
        w["breakdown"].format(question=question.text[lang], by=codebook[by].text[lang].lower(), wave=wave.name,
                              k=threshold, test=test_words(test, lang)),
        w["intervals"].format(method=method_name(published["ci_method"].iat[0]),
                              level=format_level(published["conf_level"].iat[0])),
    ]
    return result_markdown(f"{wave.title.get(lang, wave.name)}: {question.text[lang]}", sentences, published, columns,
                           lang, output_note(lang, wave.synthetic))

