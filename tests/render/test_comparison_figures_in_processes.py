"""The comparisons of one job drawn in two processes (compare.publish.write_comparisons, as rule
compare_{job} runs them with its threads) are the committed release's, byte for byte, tables and
figures (the reference: the release's own files, drawn in one process when it was made)."""

from __future__ import annotations

from pathlib import Path

from netclean_survey.clean.stage import clean_export
from netclean_survey.compare.publish import write_comparisons
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.plan import configured_comparisons
from netclean_survey.core.yamlfile import read_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_comparisons_of_a_job_drawn_in_two_processes_are_the_releases(tmp_path):
    config = read_yaml(ROOT / "config" / "config.yaml")
    codebook = load_codebook(ROOT / "config" / "questionnaire.yaml")
    waves = {w: load_wave(ROOT / "config" / "waves" / f"{w}.yaml", codebook) for w in ("2016", "2018")}
    responses = {w: clean_export(ROOT / wave.raw, wave).responses for w, wave in waves.items()}
    job = [{"name": c.name, "kind": c.kind, "spec": c.spec, "waves": c.waves}
           for c in configured_comparisons(config, waves, codebook) if c.job == "2016_vs_2018"]
    assert len(job) > 1  # the consecutive waves' job: every question they share
    written = write_comparisons(job, responses, waves, codebook, config["compare"],
                                config["estimate"]["interval_method"], {c["name"]: tmp_path / c["name"] for c in job},
                                config["languages"], config.get("figures"), processes=2)
    release = ROOT / "results" / config["release"] / "compare"
    files = [p for paths in written.values() for p in paths]
    assert sum(p.suffix == ".svg" for p in files) == 4 * len(job)  # dumbbell and forest, sv and en
    assert sorted(p.relative_to(tmp_path) for p in files) == sorted(
        p.relative_to(release) for c in job for p in (release / c["name"]).iterdir())
    different = [str(p.relative_to(tmp_path)) for p in files
                 if p.read_bytes() != (release / p.relative_to(tmp_path)).read_bytes()]
    assert different == []
