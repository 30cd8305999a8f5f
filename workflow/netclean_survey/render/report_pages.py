"""Pages of the Snakemake report (``snakemake --report``): the release's Markdown texts (tables,
breakdowns, comparisons, the claims audit) and its CSV logs (cleaning, disclosure, consistency) as
HTML pages, which the report shows in place; it offers every other kind of file only as a download.

Markdown is converted by Python-Markdown with its ``tables`` extension; a CSV file becomes an HTML
table here (a few lines, with :func:`html.escape`). The pages are the report's only: they are written
next to the staging tree, not into the release, whose files stay CSV, Markdown, workbooks and
figures."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import markdown

# Small, fixed and inline: the report is one self-contained file and its pages must not fetch anything.
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; margin: 1.5rem; }
main { max-width: 72rem; }
h1 { font-size: 1.3rem; line-height: 1.3; }
p { max-width: 60rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d9dee3; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f0f3f5; text-align: left; position: sticky; top: 0; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f7f9fa; }
""".strip()

NUMBER = re.compile(r"[-+−]?\d[\d\s]*(?:[.,]\d+)?\s*%?")


def page(body: str, title: str, lang: str) -> str:
    """A whole HTML document around ``body`` (already HTML)."""
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def markdown_page(text: str, lang: str) -> str:
    """One Markdown text of the release as a page; its first heading is the page's title."""
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    body = markdown.markdown(text, extensions=["tables"], output_format="html")
    # Python-Markdown aligns cells with style="text-align: right;": a class keeps the numbers in
    # tabular figures as well (and the page's look in its style sheet).
    body = body.replace(' style="text-align: right;"', ' class="number"')
    return page(body, heading, lang)


def csv_page(text: str, title: str, note: str, lang: str) -> str:
    """A CSV file of the release as an HTML table under ``title`` and ``note``: every cell as
    written in the file (nothing rounded or reformatted), numbers right-aligned."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    numeric = [bool(body) and all(NUMBER.fullmatch(row[i]) or not row[i] for row in body if i < len(row))
               for i in range(len(header))]

    def cell(tag: str, value: str, i: int) -> str:
        number = ' class="number"' if i < len(numeric) and numeric[i] else ""
        return f"<{tag}{number}>{html.escape(value)}</{tag}>"

    lines = [f"<h1>{html.escape(title)}</h1>"]
    if note:
        lines.append(f"<p>{html.escape(note)}</p>")
    lines.append("<table>")
    lines.append("<thead><tr>" + "".join(cell("th", v, i) for i, v in enumerate(header)) + "</tr></thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(cell("td", v, i) for i, v in enumerate(row)) + "</tr>" for row in body]
    lines.append("</tbody>\n</table>")
    return page("\n".join(lines), title, lang)


def write_report_pages(sources: list[str], targets: list[str], titles: list[str], languages: list[str],
                       note: str) -> list[Path]:
    """Each source (``.md`` or ``.csv``) as the HTML page at the same place in ``targets``; a CSV's
    page gets its title from ``titles`` and ``note`` under it (a Markdown text has its own)."""
    written = []
    for source, target, title, lang in zip(sources, targets, titles, languages, strict=True):
        text = Path(source).read_text(encoding="utf-8")
        content = markdown_page(text, lang) if source.endswith(".md") else csv_page(text, title, note, lang)
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        written.append(path)
    return written
