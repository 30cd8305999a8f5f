"""A new wave by configuration alone (the README walkthrough): drop the export in resources/raw/,
draft its wave file with draft-wave (one named edit), name it in config/config.yaml, run. Only the
new wave's jobs and those that depend on it (comparisons with the wave before, the audit, the
manifest) run; the outputs of the earlier waves are not touched. The 2019 wave is a test fixture
made by our generator, with a reworded country question and a shorter option list; it is not
published data."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "wave_2019"


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_wave_runs_only_its_own_jobs(tmp_path):
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    first = run_snakemake(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    release = tmp_path / "results" / RELEASE
    before = {wave: digests(release / wave) for wave in ("2016", "2018")}

    # the walkthrough, word for word
    questionnaire = tmp_path / "config" / "questionnaire.yaml"
    questionnaire_before = questionnaire.read_bytes()
    shutil.copy2(FIXTURE / "2019.csv", tmp_path / "resources" / "raw" / "2019.csv")
    draft = subprocess.run(
        [sys.executable, "-m", "netclean_survey", "draft-wave", "resources/raw/2019.csv", "--wave", "2019", "--like", "config/waves/2018.yaml"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path / "workflow")}, capture_output=True, text=True,
    )
    assert draft.returncode == 0, draft.stderr
    assert "guessed: 'In which country are you based?' on country by its option labels" in draft.stdout
    assert "not offered (no column): ['oceania']" in draft.stdout
    assert questionnaire.read_bytes() == questionnaire_before  # every question placed: nothing drafted
    wave_file = tmp_path / "config" / "waves" / "2019.yaml"
    text = wave_file.read_text(encoding="utf-8")
    assert len(re.findall(r"^title: .*$", text, re.M)) == 1
    title = 'title: {sv: "NetClean-rapporten 2019 (testdata)", en: "The NetClean Report 2019 (test fixture)"}'
    assert title in (ROOT / "README.md").read_text(encoding="utf-8")  # the edit the README names
    wave_file.write_text(re.sub(r"^title: .*$", title, text, flags=re.M), encoding="utf-8")
    config = tmp_path / "config" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('waves: ["2016", "2018"]', 'waves: ["2016", "2018", "2019"]'), encoding="utf-8")

    dry = run_snakemake(tmp_path, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    stats = dict(re.findall(r"^(\w+)\s+(\d+)$", dry.stdout, re.M))
    assert stats.pop("clean_export") == "1" and stats.pop("clean") == "1" and stats.pop("estimate") == "1"
    assert {"tables_2019", "figures_2019", "breakdowns_2019", "claims", "manifest", "all"} <= set(stats)
    assert not [rule for rule in stats if "2016" in rule and "2018" not in rule]
    assert not [rule for rule in stats if rule.endswith("_2018") or rule.startswith(("tables_2018", "figures_2018"))]
    new_comparisons = {rule for rule in stats if rule.startswith("compare_")}
    assert new_comparisons and all(rule.endswith("_2018_vs_2019") for rule in new_comparisons)
    assert re.findall(r"wildcards: wave=(\w+)", dry.stdout) == ["2019", "2019", "2019"]  # clean_export, clean, estimate

    run = run_snakemake(tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert {wave: digests(release / wave) for wave in ("2016", "2018")} == before
    assert (release / "2019" / "tables" / "country.csv").exists()
    country = (release / "compare" / "country_2018_vs_2019" / "table.csv").read_text(encoding="utf-8")
    assert "cyprus" in country  # single choice: the union of options, 0 where a wave's list lacks one
    regions = (release / "compare" / "trafficking_regions_2018_vs_2019" / "test.csv").read_text(encoding="utf-8")
    assert "options_not_compared,oceania" in regions  # tick all: only the options both waves offered

    # A wave of another survey: 2019 asks where the officer is based in a question of its own
    # (added to the questionnaire for it) instead of `country`. It has no breakdown by
    # respondent_region (derived from country), said in the log; the earlier waves do not rerun.
    data = yaml.safe_load(questionnaire.read_text(encoding="utf-8"))
    country = next(q for q in data["questions"] if q["id"] == "country")
    data["questions"].append(
        {**country, "id": "based_in", "options": [{k: v for k, v in o.items() if k != "respondent_region"} for o in country["options"]]}
    )
    questionnaire.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = wave_file.read_text(encoding="utf-8")
    assert text.count("\n  country:   # CHECK") == 1 and '"required": ["country", "trafficking_link"]' in text
    wave_file.write_text(
        text.replace("\n  country:   # CHECK", "\n  based_in:   # CHECK").replace('"required": ["country", ', '"required": ["based_in", '),
        encoding="utf-8",
    )
    before = {wave: digests(release / wave) for wave in ("2016", "2018")}
    dry = run_snakemake(tmp_path, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    stats = dict(re.findall(r"^(\w+)\s+(\d+)$", dry.stdout, re.M))
    assert re.findall(r"wildcards: wave=(\w+)", dry.stdout) == ["2019", "2019", "2019"]  # clean_export, clean, estimate
    assert not [rule for rule in stats if rule.endswith(("_2016", "_2018"))], stats
    assert "breakdowns_2019" not in stats and {"tables_2019", "figures_2019"} <= set(stats)
    run = run_snakemake(tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    note = "Note: wave 2019 has no breakdown by respondent_region: it does not ask country"
    assert note in run.stderr + run.stdout
    assert {wave: digests(release / wave) for wave in ("2016", "2018")} == before
    assert not (release / "2019" / "breakdowns").exists()
    assert (release / "2019" / "tables" / "based_in.csv").exists()
    assert not (release / "compare" / "country_2018_vs_2019").exists()
