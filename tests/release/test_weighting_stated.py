"""Every published file says whether its numbers are weighted (issue 16): the committed release is
unweighted (config weights: source none) and each of its pages, figures, workbooks and
datapackage.json entries says so; a weighted run (tests/workflow/test_weighted_run.py) checks the
weighted files with the same reader (tests/weighting_stated.py). All data are synthetic."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest
from weighting_stated import UNWEIGHTED, unstated_weighting

from netclean_survey import SYNTHETIC_NOTE, output_note
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.release.datapackage import resource_weighting

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "results" / read_yaml(ROOT / "config" / "config.yaml")["release"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_note_says_unweighted_unless_weighted_and_synthetic_when_synthetic(lang):
    assert output_note(lang, synthetic=False) == UNWEIGHTED[lang]
    assert output_note(lang, synthetic=True) == f"{UNWEIGHTED[lang]} {SYNTHETIC_NOTE[lang]}"
    assert output_note(lang, synthetic=True, weighted=True) == SYNTHETIC_NOTE[lang]
    assert output_note(lang, synthetic=False, weighted=True) is None  # a weighted page names its weighting itself


@pytest.mark.parametrize("path, expected", [
    ("2018/tables/country.csv", "unweighted"),
    ("2018/figures/country.sv.svg", "unweighted"),
    ("compare/country_2016_vs_2018/table.csv", "unweighted"),
    ("plan/precision.csv", "unweighted"),
    ("audit/claims.en.md", "unweighted"),
    ("2018/weights/estimates.csv", "weighted"),
    ("compare/country_2016_vs_2018/weighted/comparison.sv.md", "weighted"),
    ("audit/weighted/claims.csv", "weighted"),
    ("plan/weighted_power.csv", "weighted"),
    ("2018/clean/responses.csv", None),  # respondents' rows: no estimate, neither
    ("2018/clean/exclusions.csv", None),
])
def test_a_resource_is_weighted_by_where_the_pipeline_writes_it(path, expected):
    assert resource_weighting(PurePosixPath(path)) == expected


def test_every_file_of_the_committed_release_says_it_is_unweighted():
    assert unstated_weighting(RELEASE) == []


def test_the_check_fails_on_a_page_without_the_note_and_on_a_weighted_page_that_says_unweighted(tmp_path):
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    page = copy / "2018" / "tables" / "country.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace(UNWEIGHTED["en"], ""), encoding="utf-8")
    weighted = copy / "audit" / "weighted"
    weighted.mkdir()
    (weighted / "claims.sv.md").write_text(f"# Påståenden, vägda\n\n*{UNWEIGHTED['sv']}*\n", encoding="utf-8")
    assert unstated_weighting(copy) == [
        "2018/tables/country.en.md: no 'Unweighted' note",
        "audit/weighted/claims.sv.md: datapackage.json says 'nothing', not 'weighted'",
        "audit/weighted/claims.sv.md: a weighted file says 'Unweighted'",
        "audit/weighted/claims.sv.md: a weighted page that does not name its weighting",
    ]
