"""The report's pages (netclean_survey.render.report_pages): every Markdown text of the committed
release keeps each of its table rows and cells as HTML, a CSV log becomes a table with every cell as
written, and nothing a cell holds is read as HTML. All data are synthetic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netclean_survey.render.report_pages import csv_page, markdown_page, write_report_pages

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "results" / "netclean-2018"
MARKDOWN = sorted(RELEASE.rglob("*.md"))


def markdown_rows(text: str) -> list[list[str]]:
    """The cells of a Markdown pipe table, read by hand: lines that start with "|", without the
    alignment line."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            rows.append([cell.strip() for cell in cells])
    return rows


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.relative_to(RELEASE).as_posix())
def test_every_markdown_text_of_the_release_keeps_its_table(path):
    text = path.read_text(encoding="utf-8")
    page = markdown_page(text, "sv" if ".sv." in path.name else "en")
    expected = markdown_rows(text)
    assert page.count("<tr>") == len(expected), path
    first_cells = re.findall(r"<tr>\s*<t[hd][^>]*>(.*?)</t[hd]>", page, re.S)
    assert len(first_cells) == len(expected)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page


def test_a_small_table_in_markdown_becomes_a_page_with_numbers_aligned():
    text = "# Wave 2018: In which country?\n\nBase: all, n = 12.\n\n| Option | Count |\n|:---|---:|\n| Sweden | <5 |\n| Norway | 7 |\n"
    page = markdown_page(text, "en")
    assert "<title>Wave 2018: In which country?</title>" in page and '<html lang="en">' in page
    assert '<td class="number">7</td>' in page
    assert '<td class="number">&lt;5</td>' in page  # a hidden count is text, never a tag


def test_a_csv_log_is_a_table_with_every_cell_as_written():
    text = "step,rows,note\nraw,300,\nspeeders,-4,<b>fast</b>\n"
    page = csv_page(text, "Cleaning log, wave 2018", "Synthetic data.", "en")
    assert "<h1>Cleaning log, wave 2018</h1>" in page and "<p>Synthetic data.</p>" in page
    assert '<th class="number">rows</th>' in page and '<td class="number">-4</td>' in page
    assert "<td>&lt;b&gt;fast&lt;/b&gt;</td>" in page
    assert page.count("<tr>") == 3


def test_the_pages_are_written_where_they_are_asked_for(tmp_path):
    source = RELEASE / "2018" / "clean" / "cleaning_log.csv"
    targets = [str(tmp_path / "a" / "log.html"), str(tmp_path / "b" / "table.html")]
    sources = [str(source), str(RELEASE / "2018" / "tables" / "country.en.md")]
    written = write_report_pages(sources, targets, ["Cleaning log", ""], ["en", "en"], "")
    assert [str(p) for p in written] == targets
    rows = source.read_text(encoding="utf-8").splitlines()
    assert Path(targets[0]).read_text(encoding="utf-8").count("<tr>") == len(rows)
    assert b"\r\n" not in Path(targets[1]).read_bytes()


def test_the_report_lists_the_ages_figure_by_its_title():
    """common.smk repeats the ages figure's title (the Snakefile cannot import render.text, which
    imports pandas): the two must agree."""
    import ast

    from netclean_survey.render.text import TEXTS

    rules = (ROOT / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    literal = re.search(r"AGES_FIGURE_TITLE = (\{.*?\n\})", rules, re.S).group(1)
    titles = ast.literal_eval(re.sub(r"#.*", "", literal))
    assert titles == {lang: TEXTS[lang]["ages_title"] for lang in titles}
