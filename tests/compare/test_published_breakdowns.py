"""Every cell of the committed release's breakdowns, recomputed from its own published responses by
plain counting (a second method, independent of the package's breakdown code): a shown count is
the true count, a count marked ``primary`` ("<5") is truly below 5, one marked ``secondary`` ("x")
is truly 5 or more, and the Markdown says the same as the CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "results" / "netclean-2018"
THRESHOLD = 5
TABLES = sorted(p for p in RELEASE.glob("*/breakdowns/respondent_region/*.csv") if p.name != "tests.csv")


def true_cell(responses: pd.DataFrame, row: dict) -> tuple[int, int]:
    """(n, count) of one breakdown row, counted from the responses: the group's respondents who
    answered (a tick all: who ticked at least one option), and those who gave the option."""
    members = responses[responses["respondent_region"] == row["group"]]
    if row["kind"] == "single":
        answered = members[row["question"]] != ""
        return int(answered.sum()), int((members[row["question"]] == row["option"]).sum())
    column = members[f"{row['question']}__{row['option']}"]
    return int((column != "").sum()), int((column == "true").sum())


def markdown_counts(path: Path) -> list[tuple[str, str]]:
    """(n, count) cells of the Markdown table's rows, in order."""
    rows = [line.split(" | ") for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    return [(cells[2], cells[3]) for cells in rows[1:]]  # the header row first; the rule row starts "|:"


def test_the_release_has_breakdowns_to_check():
    assert len(TABLES) >= 10


@pytest.mark.parametrize("path", TABLES, ids=lambda p: f"{p.parts[-4]}-{p.stem}")
def test_every_published_breakdown_cell_is_true(path):
    wave = path.parts[-4]
    responses = pd.read_csv(RELEASE / wave / "clean" / "responses.csv", dtype=str, keep_default_na=False)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen = {"primary": 0, "secondary": 0}
    for row in rows:
        n, count = true_cell(responses, row)
        flag, base_flag = row["suppressed"], row["n_suppressed"]
        if flag == "":
            assert int(row["count"]) == count and count >= THRESHOLD, row
            assert row["share"] != ""
        else:
            seen[flag] += 1
            assert row["count"] == "" and row["share"] == "" and row["ci_low"] == "", row
            if flag == "primary":
                assert count < THRESHOLD or n < THRESHOLD, (row, count)
            else:
                assert flag == "secondary" and count >= THRESHOLD and n >= THRESHOLD, (row, count)
        if base_flag == "":
            assert int(row["n"]) == n and n >= THRESHOLD, row
        else:
            assert row["n"] == "" and (n < THRESHOLD) == (base_flag == "primary"), (row, n)
    for lang in ("sv", "en"):
        marked = markdown_counts(path.with_suffix(f".{lang}.md"))
        assert len(marked) == len(rows)
        for (n_cell, count_cell), row in zip(marked, rows):
            expected = {"primary": "<5", "secondary": "x", "": row["count"]}[row["suppressed"]]
            assert count_cell == expected, (path.name, lang, row)
            assert n_cell == {"primary": "<5", "secondary": "x", "": row["n"]}[row["n_suppressed"]]


def test_the_two_cells_the_issue_names_are_secondary_and_true():
    """2018 threat_types, Europe, threats against the family (27), and trafficking_link, Europe,
    "no" (80): hidden to protect another cell, marked x, not "<5"."""
    responses = pd.read_csv(RELEASE / "2018" / "clean" / "responses.csv", dtype=str, keep_default_na=False)
    for question, option, count in (("threat_types", "threat_family", 27), ("trafficking_link", "no", 80)):
        with (RELEASE / "2018" / "breakdowns" / "respondent_region" / f"{question}.csv").open(encoding="utf-8") as handle:
            row = next(r for r in csv.DictReader(handle) if r["group"] == "europe" and r["option"] == option)
        assert row["suppressed"] == "secondary" and true_cell(responses, row)[1] == count
