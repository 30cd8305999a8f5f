"""One wave's tables from its estimates: a CSV and a Markdown table (sv, en) per question, and a
workbook of them all (rule tables_{wave}: one job per wave, so the package is imported once for all
questions of the wave)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.codebook import Wave, published_questions
from ..core.writers import write_table_csv
from ..estimate.shares import published_estimates
from .collation import listing_order
from .text import note, question_rows, write_table_markdown
from .workbook import write_workbook


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
            write_table_markdown(listing_order(rows, question, lang), path, title, note(wave, lang), lang=lang, base=question.base[lang])
            written.append(path)
    descriptions = {q.id: q.text["en"] for q in published_questions(wave)}
    write_workbook(tables, out_dir / f"{wave.name}.xlsx", {lang: note(wave, lang) for lang in languages},
                   descriptions)
    written.append(out_dir / f"{wave.name}.xlsx")
    return written
