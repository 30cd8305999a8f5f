"""Tests of netclean_survey.render: exact text of tables, byte-identical files on every run."""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
import seaborn as sns

from netclean_survey import SYNTHETIC_NOTE
import netclean_survey.core.writers as core_writers
import netclean_survey.render.collation as render_collation
import netclean_survey.render.figures as render_figures
import netclean_survey.render.text as render_text
import netclean_survey.render.workbook as render_workbook
from netclean_survey.core.codebook import load_codebook
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.estimate.shares import published_estimates

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")

COLUMNS = ["wave", "question", "kind", "option", "label_sv", "label_en", "n_asked", "n", "nonresponse",
           "count", "share", "ci_low", "ci_high", "ci_method", "conf_level", "sim_ci_low", "sim_ci_high",
           "sim_ci_method", "mentions", "share_of_mentions"]


def tiny_table() -> pd.DataFrame:
    """Two options of a single question, with a formula, a pipe and a comma in the labels."""
    return pd.DataFrame({
        "wave": ["2018", "2018"],
        "question": ["change_3y", "change_3y"],
        "kind": ["single", "single"],
        "option": ["yes", "no"],
        "label_sv": ["Ja", "Nej, aldrig"],
        "label_en": ["=SUM(A1)", "No | maybe"],
        "n_asked": np.array([82, 82], dtype="int64"),
        "n": np.array([80, 80], dtype="int64"),
        "nonresponse": np.array([2, 2], dtype="int64"),
        "count": np.array([13, 67], dtype="int64"),
        "share": [13 / 80, 67 / 80],  # 0.1625 and 0.8375: half-up rounding gives 16.3 and 83.8
        "ci_low": [0.0975, 0.74],
        "ci_high": [0.2601234567, 0.903],
        "ci_method": ["wilson", "wilson"],
        "conf_level": [0.95, 0.95],
        "sim_ci_low": [0.083, 0.72],
        "sim_ci_high": [0.28, 0.917],
        "sim_ci_method": ["goodman", "goodman"],
        "mentions": np.array([80, 80], dtype="int64"),
        "share_of_mentions": [np.nan, np.nan],
    })[COLUMNS].pipe(published_estimates)  # as the writers get it: every number rounded once


def rows_for(question_id: str, counts: list[int], n: int, n_asked: int | None = None,
             method: str = "wilson", wave: str = "2018") -> pd.DataFrame:
    """Estimates-table rows for a question of the codebook (normal-approximation bounds)."""
    q = CODEBOOK[question_id]
    n_asked = n if n_asked is None else n_asked
    rows = []
    for option, count in zip(q.options, counts):
        p = count / n
        half = 1.96 * (p * (1 - p) / n) ** 0.5
        single = q.kind == "single"
        rows.append({
            "wave": wave, "question": q.id, "kind": q.kind, "option": option.id,
            "label_sv": option.sv, "label_en": option.en, "n_asked": n_asked, "n": n,
            "nonresponse": n_asked - n, "count": count, "share": p,
            "ci_low": max(0.0, p - half), "ci_high": min(1.0, p + half), "ci_method": method,
            "conf_level": 0.95,
            "sim_ci_low": max(0.0, p - 1.3 * half) if single else np.nan,
            "sim_ci_high": min(1.0, p + 1.3 * half) if single else np.nan,
            "sim_ci_method": "goodman" if single else "",
            "mentions": sum(counts), "share_of_mentions": np.nan if single else count / sum(counts),
        })
    table = pd.DataFrame(rows)[COLUMNS]
    for c in ("n_asked", "n", "nonresponse", "count", "mentions"):
        table[c] = table[c].astype("int64")
    return published_estimates(table)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Yes", "Yes"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise_formula_strings(value, expected):
    assert core_writers.neutralise_formula(value) == expected


def test_neutralise_formula_leaves_numbers_alone():
    assert core_writers.neutralise_formula(-1.5) == -1.5
    assert core_writers.neutralise_formula(-3) == -3
    assert np.isnan(core_writers.neutralise_formula(np.nan))


@pytest.mark.parametrize("value, lang, expected", [
    (0.1625, "en", "16.3"), (0.1625, "sv", "16,3"), (0.8375, "en", "83.8"), (0.0, "en", "0.0"),
    (-0.0, "en", "0.0"), (1.0, "en", "100.0"), (np.nan, "en", "–"), (0.163, "en", "16.3"),
])
def test_format_percent(value, lang, expected):
    assert render_text.format_percent(value, lang) == expected


@pytest.mark.parametrize(
    "count, n, lang, expected",
    [(13, 80, "en", "16.3"), (1, 8, "sv", "12,5"), (1, 3, "en", "33.3"), (2, 3, "en", "66.7"), (0, 0, "en", "–"),
     (649, 2000, "en", "32.5"),  # 32.45 % exactly: half up
     # 32.44996 %: the six-decimal share in a CSV (0.324500) would print 32.5; the counts say 32.4
     (3244996, 10_000_000, "en", "32.4")],
)
def test_format_share_rounds_the_exact_fraction_half_up(count, n, lang, expected):
    assert render_text.format_share(count, n, lang) == expected


@pytest.mark.parametrize("method, expected", [
    ("wilson", "Wilson"), ("clopper-pearson", "Clopper–Pearson"), ("clopper_pearson", "Clopper–Pearson"),
    ("agresti-coull", "Agresti–Coull"), ("sison-glaz", "Sison–Glaz"), ("goodman", "Goodman"),
    ("new_method", "new method"), ("", ""),
])
def test_method_name(method, expected):
    assert render_text.method_name(method) == expected


def test_estimates_read_back_from_csv(tmp_path):
    """The render rules read estimates.csv: int wave, empty sim_ci_method read as NaN."""
    core_writers.write_table_csv(rows_for("threat_types", [50, 30, 10, 5, 8, 20, 3], 70, 75), tmp_path / "e.csv")
    table = pd.read_csv(tmp_path / "e.csv")
    assert table["sim_ci_method"].isna().all()
    render_text.write_table_markdown(table, tmp_path / "t.md", "T", "note")
    text = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert "Simultaneous" not in text and "| 71.4 |" in text
    _, svg = draw_question(tmp_path, "csv", "en", table)
    assert "Wave 2018." in svg_text(svg)


def test_sheet_names_valid_and_unique():
    names = render_workbook.sheet_names(["readme", "a" * 40, "a" * 40, "A" * 40, "x[1]:y?", "History", ""])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names} | {"readme"}) == len(names) + 1
    assert names[4] == "x_1__y_"
    assert names[1] == "a" * 31 and names[2] == "a" * 29 + "~2" and names[3] == "A" * 29 + "~3"
    assert names[5].casefold() != "history" and names[6] == "Sheet"


# ---------------------------------------------------------------------------------------------
# CSV and Markdown: hand-written expected text
# ---------------------------------------------------------------------------------------------

EXPECTED_CSV = (
    "wave,question,kind,option,label_sv,label_en,n_asked,n,nonresponse,count,share,ci_low,ci_high,"
    "ci_method,conf_level,sim_ci_low,sim_ci_high,sim_ci_method,mentions,share_of_mentions\n"
    "2018,change_3y,single,yes,Ja,'=SUM(A1),82,80,2,13,0.162500,0.097500,0.260123,"
    "wilson,0.950000,0.083000,0.280000,goodman,80,\n"
    '2018,change_3y,single,no,"Nej, aldrig",No | maybe,82,80,2,67,0.837500,0.740000,0.903000,'
    "wilson,0.950000,0.720000,0.917000,goodman,80,\n"
)


def test_csv_exact_text(tmp_path):
    path = tmp_path / "sub" / "t.csv"
    core_writers.write_table_csv(tiny_table(), path)
    assert path.read_bytes() == EXPECTED_CSV.encode("utf-8")
    assert b"\r" not in path.read_bytes()


def test_csv_keeps_row_and_column_order(tmp_path):
    table = tiny_table().iloc[::-1][["option", "share", "label_en"]]
    core_writers.write_table_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == (
        "option,share,label_en\nno,0.837500,No | maybe\nyes,0.162500,'=SUM(A1)\n")


def test_csv_does_not_modify_input(tmp_path):
    table = tiny_table()
    core_writers.write_table_csv(table, tmp_path / "t.csv")
    pd.testing.assert_frame_equal(table, tiny_table())


EXPECTED_MD_EN = """\
# Have cases changed?

Base: all respondents, n = 80; asked of 82, 2 did not answer. Shares in percent with 95 % \
confidence intervals (Wilson). Simultaneous 95 % intervals for all options together: Goodman.

| Option | Count | Share (%) | CI lower (%) | CI upper (%) | Simultaneous lower (%) | Simultaneous upper (%) |
|:---|---:|---:|---:|---:|---:|---:|
| '=SUM(A1) | 13 | 16.3 | 9.8 | 26.0 | 8.3 | 28.0 |
| No \\| maybe | 67 | 83.8 | 74.0 | 90.3 | 72.0 | 91.7 |

*Synthetic data: rows reconstructed by a seeded generator to agree with the published aggregates; \
not real survey microdata.*
"""

EXPECTED_MD_SV_MULTI = """\
# Har fallen förändrats?

n = 80. Andelar i procent med 95 % konfidensintervall (Clopper–Pearson). Flera svar möjliga: \
andelarna behöver inte summera till 100 %.

| Svarsalternativ | Antal | Andel (%) | KI nedre (%) | KI övre (%) |
|:---|---:|---:|---:|---:|
| Ja | 13 | 16,3 | 9,8 | 26,0 |
| Nej, aldrig | 67 | 83,8 | 74,0 | 90,3 |
"""


def test_markdown_exact_text_en(tmp_path):
    path = tmp_path / "t.md"
    render_text.write_table_markdown(tiny_table(), path, "Have cases changed?", SYNTHETIC_NOTE["en"],
                                base="all respondents")
    assert path.read_text(encoding="utf-8") == EXPECTED_MD_EN


def test_markdown_exact_text_sv_multi_without_note(tmp_path):
    table = tiny_table().assign(kind="multi", nonresponse=0, n_asked=80, ci_method="clopper_pearson",
                                sim_ci_low=np.nan, sim_ci_high=np.nan, sim_ci_method="")
    path = tmp_path / "t.md"
    render_text.write_table_markdown(table, path, "Har fallen förändrats?", None, lang="sv")
    assert path.read_text(encoding="utf-8") == EXPECTED_MD_SV_MULTI


def test_markdown_refuses_rows_of_two_questions(tmp_path):
    table = pd.concat([tiny_table(), tiny_table().assign(question="other", n=5)])
    with pytest.raises(ValueError, match="one question"):
        render_text.write_table_markdown(table, tmp_path / "t.md", "x", "y")


def test_markdown_cell_neutralised_after_whitespace_collapse():
    assert render_text._md_cell("  =1") == "'=1"
    assert render_text._md_cell("a*b_c") == "a*b_c"  # one "*", an underscore within a word: no markup
    assert render_text._md_cell("a*b*c") == "a\\*b\\*c"  # these two would be emphasis


# (text, cell): what a renderer would read as markup is escaped, and nothing else: for CommonMark
# with GitHub's tables (the spec's flanking delimiter runs, HTML, entities, links) and for
# Python-Markdown, which has no backslash escape for "<", "&", "~" or "$" (a character reference).
MARKDOWN_CELLS = [
    ("north_america, europe, asia", "north_america, europe, asia"),  # "_" within words: never emphasis
    ("+23.3 pp [16.4, 30.0], Holm p < 0.001", "'+23.3 pp [16.4, 30.0], Holm p < 0.001"),  # no link, no tag
    ("the *_common questions", "the *_common questions"),  # nothing closes the "*" or the "_"
    ("5 * 3 * 2", "5 * 3 * 2"),  # a "*" between spaces neither opens nor closes
    ("No | maybe", "No \\| maybe"),  # "|" would end the cell
    ("*new* and _old_", "\\*new\\* and \\_old\\_"),
    ("**bold**", "\\*\\*bold\\*\\*"),
    ("~~struck~~", "&#126;&#126;struck&#126;&#126;"),
    ("`code` and $x$", "\\`code\\` and &#36;x&#36;"),
    ("one ` tick, one $", "one ` tick, one $"),
    ("<b>tag</b>, <5, a < b", "&lt;b>tag&lt;/b>, <5, a < b"),  # "<" before a letter or "/" only
    ("&amp; R&D &#35", "&amp;amp; R&D &amp;#35"),  # references only
    ("[a link](http://x) and [16.4, 30.0]", "[a link\\](http://x) and [16.4, 30.0]"),
    ("C:\\dir and \\*", "C:\\dir and \\\\*"),  # a backslash before punctuation would escape it
    ("55 -> 20.2; x > 0", "55 -> 20.2; x > 0"),
]


@pytest.mark.parametrize("text, cell", MARKDOWN_CELLS)
def test_markdown_cells_escape_only_what_a_renderer_would_read_as_markup(text, cell):
    assert render_text.md_cell(text) == cell


def test_markdown_cells_read_as_written_in_python_markdown():
    """Each cell above, in a table rendered by Python-Markdown (the HTML report's renderer): one
    cell, no markup, the text as written (a formula prefix neutralised)."""
    markdown = pytest.importorskip("markdown")
    import html

    for text, cell in MARKDOWN_CELLS:
        page = markdown.markdown(f"| h |\n|---|\n| {cell} |", extensions=["tables"])
        cells = re.findall(r"<td>(.*?)</td>", page, re.S)
        assert len(cells) == 1 and "<" not in cells[0], (text, page)
        assert html.unescape(cells[0]) == core_writers.neutralise_formula(text), text


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


def workbook_tables() -> dict[str, pd.DataFrame]:
    return {
        "change_3y": tiny_table(),
        "threat_types": rows_for("threat_types", [50, 30, 10, 5, 8, 20, 3], 70, 75),
        "a_very_long_question_identifier_of_more_than_31_characters": tiny_table().head(1),
    }


def test_workbook_same_bytes_at_another_time(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    render_workbook.write_workbook(workbook_tables(), first, SYNTHETIC_NOTE["en"])
    time.sleep(2.1)  # zip entries carry times to 2 s; openpyxl's core.xml to 1 s
    render_workbook.write_workbook(workbook_tables(), second, SYNTHETIC_NOTE["en"])
    assert first.read_bytes() == second.read_bytes()


def test_workbook_fixed_dates_and_order(tmp_path):
    path = tmp_path / "a.xlsx"
    render_workbook.write_workbook(workbook_tables(), path, SYNTHETIC_NOTE)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"\d{4}-\d{2}-\d{2}T[0-9:]+Z", core) == ["2000-01-01T00:00:00Z"] * 2
    assert str(datetime.date.today().year) not in core


def test_workbook_content(tmp_path):
    path = tmp_path / "a.xlsx"
    render_workbook.write_workbook(workbook_tables(), path, SYNTHETIC_NOTE)
    wb = openpyxl.load_workbook(path)
    long_name = "a_very_long_question_identifier_of_more_than_31_characters"[:31]
    assert wb.sheetnames == ["README", "change_3y", "threat_types", long_name]
    readme = wb["README"]
    assert readme["A1"].value == SYNTHETIC_NOTE["en"]
    assert readme["A2"].value == SYNTHETIC_NOTE["sv"]
    listed = {readme.cell(row=r, column=1).value: readme.cell(row=r, column=2).value
              for r in range(5, readme.max_row + 1)}
    assert listed[long_name] == "a_very_long_question_identifier_of_more_than_31_characters"
    ws = wb["change_3y"]
    header = [c.value for c in ws[1]]
    column_header = render_workbook.column_header
    assert header == [column_header(c) for c in COLUMNS]
    assert header[COLUMNS.index("ci_low")] == "CI lower" and header[COLUMNS.index("n")] == "Base n"
    legend = {readme.cell(row=r, column=2).value: readme.cell(row=r, column=1).value
              for r in range(5, readme.max_row + 1)}
    assert all(legend[c] == column_header(c) for c in COLUMNS)  # the README names each header's CSV column
    label = ws.cell(row=2, column=COLUMNS.index("label_en") + 1)
    assert label.value == "'=SUM(A1)" and label.data_type == "s"
    assert ws.cell(row=2, column=COLUMNS.index("share") + 1).value == pytest.approx(0.1625)
    assert ws.cell(row=2, column=COLUMNS.index("count") + 1).value == 13
    assert ws.cell(row=2, column=COLUMNS.index("share_of_mentions") + 1).value is None
    back = pd.read_excel(path, sheet_name="threat_types")  # headers in words; the CSV keeps the ids
    assert back[column_header("option")].tolist() == CODEBOOK["threat_types"].option_ids


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def age_tables() -> tuple[pd.DataFrame, ...]:
    return (rows_for("grooming_ages_seen", [20, 40, 70, 90, 80, 30], 110, 115),
            rows_for("sextortion_ages_seen", [10, 25, 50, 85, 95, 60], 120),
            rows_for("grooming_ages_common", [2, 10, 45, 80, 40, 5], 105),
            rows_for("sextortion_ages_common", [1, 5, 20, 70, 90, 30], 118, 121))


def draw_question(tmp_path, name, lang="en", table=None, qid="threat_types", note=None):
    table = rows_for(qid, [50, 30, 10, 5, 8, 20, 3], 70, 75) if table is None else table
    png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
    render_figures.plot_question(table, CODEBOOK[qid], lang, png, svg, SYNTHETIC_NOTE[lang] if note is None else note)
    return png.read_bytes(), svg.read_bytes()


def draw_ages(tmp_path, name, lang="en"):
    png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
    render_figures.plot_grouped_ages(*age_tables(), lang, png, svg, SYNTHETIC_NOTE[lang])
    return png.read_bytes(), svg.read_bytes()


def svg_text(svg: bytes) -> str:
    """The strings matplotlib wrote as comments beside the glyph outlines, whitespace collapsed."""
    comments = re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", " ".join(comments))


def assert_clean_metadata(png: bytes, svg: bytes) -> None:
    text = svg.decode("utf-8")
    assert "<dc:date>" not in text and datetime.date.today().isoformat() not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    assert "Matplotlib v" not in text
    assert b"Software" not in png and b"atplotlib" not in png


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_question_figure_twice_same_bytes(tmp_path, lang):
    first = draw_question(tmp_path, "a", lang)
    second = draw_question(tmp_path, "b", lang)
    assert first == second
    png, svg = first
    assert png.startswith(b"\x89PNG") and svg.startswith(b"<?xml")
    assert_clean_metadata(png, svg)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_question_figure_says_what_it_shows(tmp_path, lang):
    _, svg = draw_question(tmp_path, "a", lang)
    text = svg_text(svg)
    q = CODEBOOK["threat_types"]
    assert SYNTHETIC_NOTE[lang] in text
    assert escape(SYNTHETIC_NOTE[lang]) in svg.decode("utf-8")  # also in <dc:description>
    assert q.text[lang] in text
    assert render_text.TEXTS[lang]["axis_share"] in text
    assert render_text.TEXTS[lang]["multi"] in text
    assert "n = 70" in text and "75" in text  # n, and asked of 75 (5 did not answer)
    assert render_text.TEXTS[lang]["whiskers"].format(level="95", method="Wilson") in text
    for option in q.options:  # labels may be wrapped over lines
        assert option.label(lang) in text
    expected = render_text.format_percent(50 / 70, lang)
    assert expected in text


def test_single_question_caption_has_no_multi_sentence(tmp_path):
    table = rows_for("change_3y", [51, 75], 126)
    _, svg = draw_question(tmp_path, "a", "en", table, "change_3y")
    text = svg_text(svg)
    assert render_text.TEXTS["en"]["multi"] not in text
    assert "did not answer" not in text  # no non-response
    assert "n = 126" in text


def test_question_figure_unaffected_by_hostile_rcparams(tmp_path):
    clean = draw_question(tmp_path, "clean")
    with matplotlib.rc_context():
        sns.set_theme(style="darkgrid", palette="husl", font_scale=1.8)
        matplotlib.rcParams.update({
            "font.size": 20, "font.family": "serif", "svg.fonttype": "none", "svg.hashsalt": None,
            "figure.dpi": 33, "savefig.dpi": 42, "savefig.bbox": "tight", "lines.linewidth": 5,
            "errorbar.capsize": 10, "axes.facecolor": "black", "text.color": "red",
            "axes.formatter.use_locale": True, "figure.figsize": (2, 2),
        })
        before = dict(matplotlib.rcParams)
        hostile = draw_question(tmp_path, "hostile")
        after = dict(matplotlib.rcParams)
    assert hostile == clean
    assert before == after  # and the call leaves the caller's settings as they were


def test_question_figure_same_bytes_in_another_process(tmp_path):
    """As with --cores 4: another interpreter, another hash seed, same bytes."""
    here = draw_question(tmp_path, "here")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "from pathlib import Path; import test_render as t;"
        "t.draw_question(Path(sys.argv[3]), 'there')"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(ROOT / "workflow"), str(Path(__file__).parent),
                    str(tmp_path)], check=True, env=env, cwd=tmp_path)
    there = ((tmp_path / "there.png").read_bytes(), (tmp_path / "there.svg").read_bytes())
    assert here == there


def test_question_figure_rejects_wrong_question_and_language(tmp_path):
    table = rows_for("change_3y", [51, 75], 126)
    with pytest.raises(ValueError):
        render_figures.plot_question(table, CODEBOOK["threat_types"], "en", tmp_path / "a.png", tmp_path / "a.svg", "")
    with pytest.raises(ValueError):
        render_figures.plot_question(table, CODEBOOK["change_3y"], "de", tmp_path / "a.png", tmp_path / "a.svg", "")


def test_question_figure_with_empty_base_and_odd_labels(tmp_path):
    """n = 0 (NaN shares), a "$" and a formula in a label: drawn, no error, text kept literally."""
    table = rows_for("change_3y", [0, 0], 1).assign(
        n=0, n_asked=3, nonresponse=3, share=np.nan, ci_low=np.nan, ci_high=np.nan,
        sim_ci_low=np.nan, sim_ci_high=np.nan, label_en=["$5 or $10", "=1+1"])
    _, svg = draw_question(tmp_path, "a", "en", table, "change_3y")
    text = svg_text(svg)
    assert "$5 or $10" in text and "n = 0" in text and "–" in text


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_age_figure_twice_same_bytes_and_captioned(tmp_path, lang):
    first = draw_ages(tmp_path, "a", lang)
    second = draw_ages(tmp_path, "b", lang)
    assert first == second
    png, svg = first
    assert_clean_metadata(png, svg)
    text = svg_text(svg)
    t = render_text.TEXTS[lang]
    assert SYNTHETIC_NOTE[lang] in text
    assert t["grooming"] in text and t["sextortion"] in text
    assert t["ages_seen"] in text and t["ages_common"] in text
    for n in ("110", "120", "105", "118"):
        assert f"{n} (" in text or f"= {n} (" in text
    assert "115" in text and "121" in text  # asked of, where some did not answer
    assert t["multi"] in text
    for option in CODEBOOK["grooming_ages_seen"].options:
        assert option.label(lang) in text


def test_age_figure_unaffected_by_hostile_rcparams(tmp_path):
    clean = draw_ages(tmp_path, "clean")
    with matplotlib.rc_context():
        sns.set_theme(style="ticks", context="poster")
        matplotlib.rcParams["svg.hashsalt"] = "another"
        hostile = draw_ages(tmp_path, "hostile")
    assert hostile == clean


def test_figures_use_matplotlibs_own_dejavu():
    data = Path(matplotlib.get_data_path()).resolve()
    for path in render_figures.font_files():
        assert data in Path(path).resolve().parents


# ---------------------------------------------------------------------------------------------
# Long single-choice lists sorted and grouped; Swedish alphabetical order; value labels on a box
# ---------------------------------------------------------------------------------------------


def test_swedish_and_english_collation_of_a_hand_made_list():
    names = ["Örebro", "Åland", "Ängelholm", "Zambia", "Ecuador", "Éire"]
    sort = render_collation.sorted_labels
    assert sort(names, "sv") == ["Ecuador", "Éire", "Zambia", "Åland", "Ängelholm", "Örebro"]
    assert sort(names, "en") == ["Åland", "Ängelholm", "Ecuador", "Éire", "Örebro", "Zambia"]
    assert sorted(names) != sort(names, "sv")  # code points put É after Z, Ä before Å
    # case does not count (USA among the U's, not before them), then lower case first; unaccented first;
    # a space before the letters; æ and ø as ä and ö, ü as y in Swedish; the same for decomposed input
    assert sort(["USA", "Ungern", "ungern", "Uganda"], "sv") == ["Uganda", "ungern", "Ungern", "USA"]
    assert sort(["Éire", "Eire", "Eira"], "sv") == ["Eira", "Eire", "Éire"]
    assert sort(["Nyborg", "Nya Zeeland", "Nyår"], "sv") == ["Nya Zeeland", "Nyborg", "Nyår"]
    assert sort(["Öland", "Ørsted", "Ærø", "Ängby", "Zürich", "Zydeco", "Zucker"], "sv") == [
        "Zucker", "Zydeco", "Zürich", "Ängby", "Ærø", "Öland", "Ørsted"]  # Zürich as Zyrich
    assert sort(["A\u030aland", "Zambia"], "sv") == ["Zambia", "A\u030aland"]  # Å decomposed
    with pytest.raises(ValueError, match="collation"):
        render_collation.collation_key("x", "de")


def test_collation_ignores_the_system_locale():
    """Same order in a process with another locale set (the key never reads it)."""
    names = ["Örebro", "Åland", "Ängelholm", "Zambia", "Ecuador", "Éire", "USA", "Ungern"]
    code = ("import locale, sys, json\n"
            "for name in ('C.UTF-8', 'en_US.UTF-8', 'de_DE.UTF-8'):\n"
            "    try:\n        locale.setlocale(locale.LC_ALL, name); break\n"
            "    except locale.Error:\n        pass\n"
            "from netclean_survey.render.collation import sorted_labels\n"
            f"print(json.dumps(sorted_labels({names!r}, 'sv')))")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONPATH": str(ROOT / "workflow"), "PYTHONIOENCODING": "utf-8"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         encoding="utf-8")
    assert json.loads(out.stdout) == render_collation.sorted_labels(names, "sv")


COUNTRY_TIES = {"argentina": "Örebro", "australia": "Åland", "brazil": "Ängelholm", "canada": "Zambia",
                "croatia": "Ecuador", "cyprus": "Éire"}  # relabelled, 6 respondents each


def country_rows() -> pd.DataFrame:
    """n = 100: Sweden 34; six options of 6 with the hand-made labels; Hungary and the United States
    5 each (not below 5: kept); eight options of 4 to 1 (20 together) and 13 options of 0, grouped."""
    counts = {"sweden": 34, **dict.fromkeys(COUNTRY_TIES, 6), "hungary": 5, "united_states": 5,
              "denmark": 4, "estonia": 4, "finland": 3, "france": 3, "germany": 2, "greece": 2, "ireland": 1,
              "italy": 1}
    q = CODEBOOK["country"]
    table = rows_for("country", [counts.get(o, 0) for o in q.option_ids], 100)
    for option, label in COUNTRY_TIES.items():
        table.loc[table["option"] == option, ["label_sv", "label_en"]] = label
    return table


EXPECTED_COUNTRY_TICKS = {
    "sv": ["Sverige", "Ecuador", "Éire", "Zambia", "Åland", "Ängelholm", "Örebro", "Ungern", "USA", "Övriga"],
    "en": ["Sweden", "Åland", "Ängelholm", "Ecuador", "Éire", "Örebro", "Zambia", "Hungary", "United States",
           "Other"],
}
# the Wilson 95 % interval of 20 / 100, worked by hand: centre (0.2 + z²/200) / (1 + z²/100) = 0.211098,
# half-width z / (1 + z²/100) * sqrt(0.2 * 0.8 / 100 + z² / 40000) = 0.077732 (z = 1.959964)
WILSON_20_OF_100 = (0.133367, 0.288829)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_long_single_choice_list_sorted_by_share_and_small_options_grouped_last(tmp_path, lang):
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    fig = render_figures.plot_question(country_rows(), CODEBOOK["country"], lang, png, svg, SYNTHETIC_NOTE[lang])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == EXPECTED_COUNTRY_TICKS[lang]
    # the grouped bar: 20 of 100 respondents, its bar, printed share and whisker (percent)
    assert ax.containers[0].patches[-1].get_width() == pytest.approx(20.0)
    values = [t.get_text() for t in ax.texts]
    assert values == [render_text.format_share(c, 100, lang) for c in (34, 6, 6, 6, 6, 6, 6, 5, 5, 20)]
    whiskers = [c for c in ax.collections if len(c.get_segments()) == 10][0].get_segments()
    (low, _), (high, _) = whiskers[-1]
    assert (low, high) == pytest.approx((100 * WILSON_20_OF_100[0], 100 * WILSON_20_OF_100[1]), abs=1e-4)
    text = svg_text(svg.read_bytes())
    assert {"sv": "Övriga: 21 alternativ med färre än 5 svarande vardera (20 svarande sammanlagt).",
            "en": "Other: 21 options with fewer than 5 respondents each (20 respondents together)."}[lang] in text
    assert render_text.TEXTS[lang]["whiskers"].format(level="95", method="Wilson") in text


def test_grouped_figure_same_bytes_twice(tmp_path):
    first = draw_question(tmp_path, "a", "sv", country_rows(), "country")
    assert draw_question(tmp_path, "b", "sv", country_rows(), "country") == first
    assert_clean_metadata(*first)


def test_grouped_row_has_the_estimates_interval_rounded_once():
    rows, sentence = render_figures.display_rows(country_rows(), CODEBOOK["country"], "en")
    last = rows.iloc[-1]
    assert (last["option"], last["label_sv"], last["label_en"]) == (render_figures.GROUPED_OPTION, "Övriga", "Other")
    assert (int(last["count"]), int(last["n"]), last["share"]) == (20, 100, 0.2)
    assert (last["ci_low"], last["ci_high"]) == WILSON_20_OF_100  # Wilson, as ci_method says; six decimals
    assert pd.isna(last["sim_ci_low"]) and len(rows) == 10
    assert sentence.startswith("Other: 21 options")
    # another method, as the estimates would have it: the same function, another interval
    jeffreys, _ = render_figures.display_rows(country_rows().assign(ci_method="jeffreys"), CODEBOOK["country"], "en")
    assert jeffreys.iloc[-1]["ci_low"] != last["ci_low"]


def test_grouping_threshold_raised_to_keep_at_most_max_bars():
    """max_bars 8: 9 options have 5 or more, so the threshold rises to 6 (the two options of 5 go too,
    together: options of one count are never split)."""
    grouping = render_figures.Grouping(max_bars=8, below_count=5)
    rows, sentence = render_figures.display_rows(country_rows(), CODEBOOK["country"], "sv", grouping)
    assert rows["label_sv"].tolist() == EXPECTED_COUNTRY_TICKS["sv"][:7] + ["Övriga"]
    assert int(rows.iloc[-1]["count"]) == 30
    assert sentence == "Övriga: 23 alternativ med färre än 6 svarande vardera (30 svarande sammanlagt)."
    assert render_figures.display_rows(country_rows(), CODEBOOK["country"], "sv",
                                       render_figures.Grouping(max_bars=30))[1] is None  # not long: as it is


def test_tick_all_questions_and_ordered_scales_keep_their_order():
    few = render_figures.Grouping(max_bars=3, below_count=5)
    multi = rows_for("threat_types", [2, 30, 1, 50, 3, 20, 1], 70)
    rows, sentence = render_figures.display_rows(multi, CODEBOOK["threat_types"], "en", few)
    assert rows["option"].tolist() == CODEBOOK["threat_types"].option_ids and sentence is None
    # a single-choice age bracket: its options have a score (the questionnaire's mark of a scale)
    ages = dataclasses.replace(CODEBOOK["grooming_ages_seen"], kind="single")
    table = rows_for("grooming_ages_seen", [1, 2, 40, 50, 3, 4], 100).assign(kind="single")
    rows, sentence = render_figures.display_rows(table, ages, "en", few)
    assert rows["option"].tolist() == ages.option_ids and sentence is None
    unscored = dataclasses.replace(ages, options=tuple(dataclasses.replace(o, score=None) for o in ages.options))
    rows, sentence = render_figures.display_rows(table, unscored, "en", few)  # the same, not a scale: grouped
    assert rows["option"].tolist() == ["age_11_13", "age_8_10", render_figures.GROUPED_OPTION] and sentence


def test_grouped_label_differs_from_an_option_called_other():
    table = country_rows()
    table.loc[table["option"] == "sweden", ["label_sv", "label_en"]] = ["Övriga", "Other"]
    rows, sentence = render_figures.display_rows(table, CODEBOOK["country"], "en")
    assert rows["label_en"].tolist()[0] == "Other" and rows["label_en"].tolist()[-1] == "Other (combined)"
    assert rows["label_sv"].tolist()[-1] == "Övriga (sammanslagna)" and sentence.startswith("Other (combined): 21")


def test_grouping_settings_default_as_the_config_schema_says():
    schema = read_yaml(ROOT / "workflow" / "schemas" / "config.schema.yaml")
    props = schema["properties"]["figures"]["properties"]["group_small_options"]["properties"]
    defaults = render_figures.Grouping(props["max_bars"]["default"], props["below_count"]["default"])
    assert render_figures.Grouping() == defaults
    config = read_yaml(ROOT / "config" / "config.yaml")
    assert render_figures.Grouping.from_config(config["figures"]["group_small_options"]) == render_figures.Grouping()
    assert render_figures.Grouping.from_config({"max_bars": 6}) == render_figures.Grouping(6, 5)
    with pytest.raises(ValueError, match="unknown keys"):
        render_figures.Grouping.from_config({"max_bar": 6})
    with pytest.raises(ValueError, match="max_bars"):
        render_figures.Grouping(max_bars=2)


def test_value_labels_sit_on_an_opaque_box_above_the_gridlines(tmp_path):
    """The first label crosses the 80 % gridline (140 of 200: 70.0 %, upper bound 76.4 %, label from
    about 77.6 %): the gridlines are drawn below the labels, and each label's opaque white box hides them."""
    table = rows_for("threat_types", [140, 60, 20, 10, 16, 40, 6], 200)
    fig = render_figures.plot_question(table, CODEBOOK["threat_types"], "en", tmp_path / "a.png",
                                       tmp_path / "a.svg", None)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    grid = [line for line in ax.xaxis.get_gridlines() if line.get_visible()]
    assert grid and max(line.get_zorder() for line in grid) < min(t.get_zorder() for t in ax.texts)
    assert [t.get_text() for t in ax.texts][0] == "70.0"
    for label in ax.texts:
        box = label.get_bbox_patch()
        assert box is not None, label.get_text()
        assert matplotlib.colors.to_rgba(box.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
    first = ax.texts[0].get_bbox_patch().get_window_extent(renderer)
    assert first.x0 < ax.transData.transform((80, 0))[0] < first.x1  # the case the box is for


def test_workbook_for_people(tmp_path):
    """Shares and intervals shown as percentages (the cell keeps the CSV's fraction), other floats
    with six decimals, a test result's values as numbers, the header filtered and frozen, and the
    README sheet saying what each sheet holds."""
    path = tmp_path / "a.xlsx"
    tables = workbook_tables()
    tables["test"] = pd.DataFrame({"key": ["test", "statistic", "p_value", "df", "B"],
                                   "value": ["chi-square", "3.25", "0.0713", "2", "9999"]}).astype({"value": "object"})
    render_workbook.write_workbook(tables, path, None, {"change_3y": "Have the cases changed?"})
    wb = openpyxl.load_workbook(path)
    ws = wb["change_3y"]
    share = ws.cell(row=2, column=COLUMNS.index("share") + 1)
    assert share.number_format == "0.0%" and share.value == pytest.approx(0.1625)  # shown as 16.3 %
    assert ws.cell(row=2, column=COLUMNS.index("ci_low") + 1).number_format == "0.0%"
    assert ws.cell(row=2, column=COLUMNS.index("conf_level") + 1).number_format == "0.000000"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(COLUMNS)).column_letter}{ws.max_row}"
    assert ws.freeze_panes == "A2"
    values = [c.value for c in wb["test"]["B"][1:]]
    assert values == ["chi-square", 3.25, 0.0713, 2, 9999]
    readme = wb["README"]
    rows = {readme.cell(row=r, column=1).value: readme.cell(row=r, column=3).value for r in range(1, readme.max_row + 1)}
    assert rows["Sheet"] == "What it holds" and rows["change_3y"] == "Have the cases changed?"


def test_every_workbook_header_says_one_column_in_words():
    """Headers in words (issue 14), none shared by two columns, and every column of the committed
    workbooks has one written for it (none falls back to its id)."""
    headers = render_workbook.COLUMN_HEADERS
    assert len(set(headers.values())) == len(headers)
    root = Path(__file__).resolve().parents[2] / "results" / "netclean-2018"
    for path in sorted(root.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        readme = wb["README"]
        legend = {readme.cell(row=r, column=2).value: readme.cell(row=r, column=1).value
                  for r in range(1, readme.max_row + 1)}
        for ws in wb.worksheets[1:]:
            for cell in ws[1]:
                column = next((c for c, h in legend.items() if h == cell.value), None)
                assert column in headers and headers[column] == cell.value, (path.name, ws.title, cell.value)


# the questionnaire's countries in the alphabetical order of each language, written out by hand
COUNTRIES_ALPHABETICAL = {
    "en": ["Argentina", "Australia", "Brazil", "Canada", "Croatia", "Cyprus", "Denmark", "Estonia", "Finland",
           "France", "Germany", "Greece", "Hungary", "International organisation (e.g. Europol, INTERPOL)",
           "Ireland", "Italy", "Latvia", "Mexico", "Netherlands", "New Zealand", "Norway", "Portugal", "Romania",
           "South Africa", "Sweden", "Switzerland", "Taiwan", "Thailand", "United Kingdom", "United States"],
    "sv": ["Argentina", "Australien", "Brasilien", "Cypern", "Danmark", "Estland", "Finland", "Frankrike",
           "Grekland", "Internationell organisation (t.ex. Europol, INTERPOL)", "Irland", "Italien", "Kanada",
           "Kroatien", "Lettland", "Mexiko", "Nederländerna", "Norge", "Nya Zeeland", "Portugal", "Rumänien",
           "Schweiz", "Storbritannien", "Sverige", "Sydafrika", "Taiwan", "Thailand", "Tyskland", "Ungern", "USA"],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_tables_list_countries_in_their_languages_alphabetical_order(tmp_path, lang):
    """country has `order: alphabetical`: its Markdown tables list the options as a dictionary of
    their language would; the CSV keeps the questionnaire's order (one file for every language)."""
    from netclean_survey.core.codebook import load_wave
    from netclean_survey.render.tables import write_tables

    assert CODEBOOK["country"].order == "alphabetical"
    rows = rows_for("country", list(range(1, 31)), 465)
    assert render_collation.listing_order(rows, CODEBOOK["country"], lang)[f"label_{lang}"].tolist() \
        == COUNTRIES_ALPHABETICAL[lang]
    wave = load_wave(ROOT / "config" / "waves" / "2018.yaml", CODEBOOK)
    from netclean_survey.core.codebook import published_questions

    others = pd.concat([rows_for(q.id, [1] * len(q.options), 10) for q in published_questions(wave)
                        if q.id != "country"])
    write_tables(pd.concat([others, rows]), wave, tmp_path, [lang])
    markdown = (tmp_path / f"country.{lang}.md").read_text(encoding="utf-8")
    listed = [line.split(" | ")[0].removeprefix("| ") for line in markdown.splitlines()[6:36]]
    assert listed == COUNTRIES_ALPHABETICAL[lang]
    assert pd.read_csv(tmp_path / "country.csv")["option"].tolist() == CODEBOOK["country"].option_ids
    # a question in the questionnaire's order keeps it
    workload = rows_for("workload_change", [5, 3, 2], 10)
    assert render_collation.listing_order(workload, CODEBOOK["workload_change"], lang).equals(workload)


def test_order_scale_is_a_scale_without_scores_and_an_unknown_order_is_refused():
    from netclean_survey.core.codebook import parse_codebook
    from netclean_survey.core.errors import ConfigError

    data = read_yaml(ROOT / "config" / "questionnaire.yaml")
    workload = next(q for q in data["questions"] if q["id"] == "workload_change")
    assert not CODEBOOK["workload_change"].is_scale and CODEBOOK["grooming_ages_seen"].is_scale  # by its scores
    workload["order"] = "scale"
    assert parse_codebook(data)["workload_change"].is_scale
    workload["order"] = "by share"
    with pytest.raises(ConfigError, match="order"):
        parse_codebook(data, "config/questionnaire.yaml")
