"""The release's Frictionless Data Package (release.datapackage): every published file with the
manifest's sha256 and size, every table's columns typed and described in English and Swedish, and
`frictionless validate` passing on the committed release (and failing on a changed cell)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from netclean_survey.core.codebook import load_codebook
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.release import datapackage

ROOT = Path(__file__).resolve().parents[2]
CONFIG = read_yaml(ROOT / "config" / "config.yaml")
RELEASE = ROOT / "results" / CONFIG["release"]
CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")


@pytest.mark.parametrize("cells, expected", [
    (["1", "-2", "", "30"], {"type": "integer"}),
    (["0012", "13"], {"type": "string"}),  # an id with leading zeros is not a number
    (["0.5", "1", "-1.25e-3"], {"type": "number"}),
    (["true", "false", ""], {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}),
    (["True", "False"], {"type": "boolean", "trueValues": ["True"], "falseValues": ["False"]}),
    (["true", "False"], {"type": "string"}),
    (["", ""], {"type": "string"}),
    (["1", "x"], {"type": "string"}),
    (["1.", ".5", "nan"], {"type": "string"}),
])
def test_a_columns_type_comes_from_its_text(cells, expected):
    assert datapackage.field_type(cells) == expected


def test_a_table_with_a_column_nobody_described_is_refused(tmp_path):
    (tmp_path / "2018" / "tables").mkdir(parents=True)
    path = tmp_path / "2018" / "tables" / "country.csv"
    path.write_text("wave,mystery\n2018,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="column 'mystery' has no description; add it to datapackage.FIELDS"):
        datapackage.build_datapackage("r", "1.0.0", {"2018/tables/country.csv": path}, CODEBOOK, True)
    assert datapackage.table_description(PurePosixPath("2018/breakdowns/respondent_region/threat_types.csv"),
                                         CODEBOOK) == (
        "2018: Which types of threat are the children subjected to in sexual extortion cases?, by Respondent's "
        "region; small counts suppressed",
        "2018: Vilka typer av hot utsätts barnen för i fall av sexuell utpressning?, efter Svarandes region; små "
        "antal dolda")


@pytest.fixture(scope="module")
def descriptor() -> dict:
    return json.loads((RELEASE / datapackage.DATAPACKAGE_NAME).read_text(encoding="utf-8"))


def test_the_descriptor_and_the_manifest_agree_on_every_file(descriptor):
    manifest = json.loads((RELEASE / "MANIFEST.json").read_text(encoding="utf-8"))
    prefix = f"results/{CONFIG['release']}/"
    recorded = {a["path"].removeprefix(prefix): (a["sha256"], a["size"]) for a in manifest["artifacts"]}
    described = {r["path"]: (r["hash"].removeprefix("sha256:"), r["bytes"]) for r in descriptor["resources"]}
    assert recorded.pop(datapackage.DATAPACKAGE_NAME)  # the manifest lists the descriptor too
    assert described == recorded
    assert descriptor["version"] == manifest["version"] == str(CONFIG["version"])
    assert descriptor["name"] == CONFIG["release"] and descriptor["licenses"][0]["name"] == "MIT"
    assert "Synthetic data" in descriptor["description"] and "Syntetiska data" in descriptor["description_sv"]


def test_every_table_has_every_column_typed_and_described_in_both_languages(descriptor):
    tables = [r for r in descriptor["resources"] if r["format"] == "csv"]
    assert len(tables) == len(list(RELEASE.rglob("*.csv"))) > 50
    for resource in tables:
        with (RELEASE / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header, resource["path"]
        assert all(f["description"] and f["description_sv"] and f["description"] != f["description_sv"]
                   for f in fields if f["name"] not in ("n", "p_value", "p_holm")), resource["path"]
        assert resource["description"] and resource["description_sv"]
        assert resource["schema"]["missingValues"] == [""]
    country = next(r for r in tables if r["path"] == "2018/tables/country.csv")
    types = {f["name"]: f["type"] for f in country["schema"]["fields"]}
    assert (types["wave"], types["count"], types["share"], types["label_en"], types["synthetic"]) == (
        "integer", "integer", "number", "string", "boolean")
    share = next(f for f in country["schema"]["fields"] if f["name"] == "share")
    assert share["unit"] == "proportion (0 to 1)"
    breakdown = next(r for r in tables if r["path"] == "2018/breakdowns/respondent_region/threat_types.csv")
    assert set(breakdown["schema"]["suppression"]["values"]) == {"primary", "secondary"}
    responses = next(r for r in tables if r["path"] == "2018/clean/responses.csv")
    ticked = next(f for f in responses["schema"]["fields"] if f["name"] == "threat_types__threat_family")
    assert ticked["description_sv"] == ("Vilka typer av hot utsätts barnen för i fall av sexuell utpressning?: "
                                        "kryssat ”Fysiska hot mot barnets familj”")


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
                          capture_output=True, text=True, timeout=600, cwd=path.parent)


def test_frictionless_validate_passes_on_the_committed_release_and_fails_on_a_changed_cell(tmp_path):
    result = validate(RELEASE / datapackage.DATAPACKAGE_NAME)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], [t["errors"][:3] for t in report["tasks"] if not t["valid"]]
    assert len(report["tasks"]) == len(json.loads((RELEASE / datapackage.DATAPACKAGE_NAME).read_text())["resources"])
    copy = tmp_path / "release"
    shutil.copytree(RELEASE, copy)
    table = copy / "2018" / "tables" / "country.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",148,", ",149,"), encoding="utf-8")
    result = validate(copy / datapackage.DATAPACKAGE_NAME)
    report = json.loads(result.stdout)
    assert result.returncode != 0 and not report["valid"]
    failed = [t for t in report["tasks"] if not t["valid"]]
    assert [t["name"] for t in failed] == ["2018-tables-country.csv"]
    assert "hash-count" in {e["type"] for e in failed[0]["errors"]}
