"""Through Snakemake, the shipped exports rewritten in the other layouts the platforms write
(tests/platform_rewrites.py) give the committed release: the same cleaned responses, estimates and
tables, byte for byte (exact counts, by a second path through the readers)."""

from __future__ import annotations

import ast
import json

import pytest

from platform_rewrites import (
    LAYOUTS,
    an_spss_file,
    STATUS_CODES,
    insights_import_ids,
    numeric_split_with_a_survey_definition,
    read_records,
    unicode_text_from_excel,
)
from test_workflow import RELEASE, ROOT, copy_project, run_snakemake

pytestmark = pytest.mark.slow


def targets(wave: str) -> list[str]:
    return [f"results/.staging/{RELEASE}/{wave}/{name}" for name in
            ("clean/responses.csv", "estimates.csv", "tables/victim_regions.csv" if wave == "2016" else "tables/country.csv")]


@pytest.fixture
def copy(tmp_path):
    return copy_project(tmp_path)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_gives_the_committed_release(copy, layout):
    wave = layout(copy)
    result = run_snakemake(copy, *targets(wave))
    assert result.returncode == 0, result.stderr[-3000:]
    for target in targets(wave):
        published = target.replace(f"results/.staging/{RELEASE}/", f"results/{RELEASE}/")
        assert (copy / target).read_bytes() == (ROOT / published).read_bytes(), target


def test_the_rewrites_are_what_they_say(copy):
    """The rewrites are checked themselves, so that a no-op rewrite cannot pass the test above."""
    numeric_split_with_a_survey_definition(copy)
    records = read_records(copy / "resources" / "raw" / "2016.csv")
    assert records[0][11:13] == ["Q1", "Q2"] and records[0][13].startswith("Q3_") and len(records[0]) > 14
    assert {r[2] for r in records[3:]} <= set(STATUS_CODES.values()) and {r[6] for r in records[3:]} <= {"0", "1"}
    assert all(r[12] == "" or r[12].isdigit() for r in records[3:])
    assert json.loads(records[2][13])["choiceId"] == "1"
    insights_import_ids(copy)
    assert ast.literal_eval(read_records(copy / "resources" / "raw" / "2016.csv")[2][0]) == {"ImportId": "startDate"}
    assert (copy / "resources" / "raw" / "2016.qsf").exists()
    unicode_text_from_excel(copy)
    assert (copy / "resources" / "raw" / "2018.csv").read_bytes()[:2] == b"\xff\xfe"


def test_the_spss_rewrite_is_what_it_says(copy):
    import pyreadstat

    an_spss_file(copy)
    frame, meta = pyreadstat.read_sav(str(copy / "resources" / "raw" / "2016.sav"))
    assert not (copy / "resources" / "raw" / "2016.csv").exists()
    assert {"Q1", "Q2", "Q3_1", "Duration__in_seconds_"} <= set(frame.columns) and "Q3" not in frame.columns
    assert meta.variable_value_labels["Q3_1"] == {1.0: "North America"}
    assert str(frame["StartDate"].dtype).startswith("datetime64")
    assert set(frame["Status"].dropna()) <= {0.0, 1.0, 2.0, 8.0}
