"""One wave's published outputs from its estimates: every table and every figure.

The rules call these once per wave (one job per wave and stage, not per question), so the
package and the plotting stack are imported once for all questions of the wave.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import SYNTHETIC_NOTE
from .codebook import AGE_QUESTIONS, AGES_FIGURE, Wave, has_age_figure, published_questions
from .estimate import published_estimates
from .render import plot_grouped_ages, plot_question, write_table_csv, write_table_markdown, write_workbook

def note(wave: Wave, lang: str) -> str | None:
    """The synthetic-data note, for a wave whose rows are our reconstruction."""
    return SYNTHETIC_NOTE[lang] if wave.synthetic else None


def question_rows(estimates: pd.DataFrame, question_id: str) -> pd.DataFrame:
    rows = estimates[estimates["question"] == question_id].reset_index(drop=True)
    if rows.empty:
        raise ValueError(f"the estimates hold no rows for question {question_id!r}")
    return rows


def write_tables(estimates: pd.DataFrame, wave: Wave, out_dir: str | Path, languages: list[str]) -> list[Path]:
    """``{question}.csv``, ``{question}.{lang}.md`` and ``{wave}.xlsx`` in ``out_dir``."""
    out_dir = Path(out_dir)
    estimates = published_estimates(estimates)  # every format takes the same rounded values
    written = []
    tables = {}
    for question in published_questions(wave):
        rows = question_rows(estimates, question.id)
        tables[question.id] = rows
        write_table_csv(rows, out_dir / f"{question.id}.csv")
        written.append(out_dir / f"{question.id}.csv")
        for lang in languages:
            path = out_dir / f"{question.id}.{lang}.md"
            title = f"{wave.title.get(lang, wave.name)}: {question.text[lang]}"
            write_table_markdown(rows, path, title, note(wave, lang), lang=lang, base=question.base[lang])
            written.append(path)
    write_workbook(tables, out_dir / f"{wave.name}.xlsx", {lang: note(wave, lang) for lang in languages} if wave.synthetic else None)
    written.append(out_dir / f"{wave.name}.xlsx")
    return written


def write_figures(estimates: pd.DataFrame, wave: Wave, out_dir: str | Path, languages: list[str]) -> list[Path]:
    """``{question}.{lang}.png`` and ``.svg`` per question, and the grouped age chart, in ``out_dir``."""
    out_dir = Path(out_dir)
    estimates = published_estimates(estimates)
    written = []
    for lang in languages:
        for question in published_questions(wave):
            png, svg = out_dir / f"{question.id}.{lang}.png", out_dir / f"{question.id}.{lang}.svg"
            plot_question(question_rows(estimates, question.id), question, lang, png, svg, note(wave, lang))
            written += [png, svg]
        if has_age_figure(wave):
            png, svg = out_dir / f"{AGES_FIGURE}.{lang}.png", out_dir / f"{AGES_FIGURE}.{lang}.svg"
            tables = [question_rows(estimates, q) for q in AGE_QUESTIONS]
            plot_grouped_ages(*tables, lang, png, svg, note(wave, lang))
            written += [png, svg]
    return written
