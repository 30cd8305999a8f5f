"""Whether every published file of a release says if its numbers are weighted (issue 16: "unweighted
stays the default, and every output says which"), read from the files themselves: a Markdown page,
an SVG's text, a PNG's description and a workbook's README sheet of an unweighted output carry the
"Unweighted" note in their language; a weighted one never does and names its weighting instead; a
weighted CSV has a ``weighting`` column (a test's key, value table a row); datapackage.json gives
every resource but the respondent files of ``clean/`` its ``weighting``. The notes are written out
here, not imported, so that a changed wording fails."""

from __future__ import annotations

import csv
import json
from pathlib import Path, PurePosixPath

UNWEIGHTED = {"en": "Unweighted: every respondent counts once.",
              "sv": "Ovägda siffror: varje svarande räknas en gång."}
# how a weighted page names its weighting (weights.config.weighting_label), in either language
WEIGHTING_LABELS = ("raked: ", "export column: ")


def expected_weighting(published: PurePosixPath) -> str | None:
    """What a file is, from where the pipeline writes it (README, "Weighted estimates")."""
    if "clean" in published.parts[:-1]:
        return None
    weighted = {"weights", "weighted"} & set(published.parts[:-1]) or published.name.startswith("weighted")
    return "weighted" if weighted else "unweighted"


def _language(path: Path) -> str | None:
    suffixes = path.suffixes
    return suffixes[-2].lstrip(".") if len(suffixes) >= 2 and suffixes[-2] in (".sv", ".en") else None


def _text_of(path: Path) -> str | None:
    """The text a reader sees of a file, or None for a CSV (its header is checked instead)."""
    if path.suffix in (".md", ".svg"):
        return path.read_text(encoding="utf-8")
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            return image.text.get("Description", "")
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            return "\n".join(str(c) for row in book["README"].iter_rows(values_only=True) for c in row if c)
        finally:
            book.close()
    return None


def unstated_weighting(release_dir: Path) -> list[str]:
    """Every file of the release that does not say, as it should, whether it is weighted: a list of
    "path: what is wrong" (empty when all say it)."""
    problems = []
    descriptor = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    declared = {r["path"]: r.get("weighting") for r in descriptor["resources"]}
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file() and p.name not in
                       ("MANIFEST.json", "datapackage.json")):
        published = PurePosixPath(path.relative_to(release_dir).as_posix())
        expected = expected_weighting(published)
        said = declared.get(str(published), "nothing")
        if said != expected:
            problems.append(f"{published}: datapackage.json says {said!r}, not {expected!r}")
        if expected is None:
            continue
        if path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
            # a test's key, value table says it in a row (key weighting), any other table in a column
            keys = [row[0] for row in rows[1:]] if rows[0] == ["key", "value"] else rows[0]
            if expected == "weighted" and "weighting" not in keys:
                problems.append(f"{published}: a weighted table without a weighting column")
            continue
        text, lang = _text_of(path), _language(path)
        langs = [lang] if lang else list(UNWEIGHTED)
        if expected == "unweighted" and not any(UNWEIGHTED[lang] in text for lang in langs):
            problems.append(f"{published}: no 'Unweighted' note")
        if expected == "weighted":
            if any(note in text for note in UNWEIGHTED.values()):
                problems.append(f"{published}: a weighted file says 'Unweighted'")
            if path.suffix == ".md" and not any(label in text for label in WEIGHTING_LABELS):
                problems.append(f"{published}: a weighted page that does not name its weighting")
    return problems
