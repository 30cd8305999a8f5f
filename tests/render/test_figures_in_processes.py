"""The charts of a wave drawn in two processes are the committed release's, byte for byte (the
reference: the release's own files, drawn in one process when it was made)."""

from __future__ import annotations

from pathlib import Path

import yaml

from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.estimate.shares import read_estimates
from netclean_survey.render.figures import write_figures

ROOT = Path(__file__).resolve().parents[2]


def test_charts_drawn_in_two_processes_are_the_releases(tmp_path):
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    release = ROOT / "results" / config["release"] / "2018"
    wave = load_wave(ROOT / "config" / "waves" / "2018.yaml", load_codebook(ROOT / "config" / "questionnaire.yaml"))
    written = write_figures(read_estimates(release / "estimates.csv"), wave, tmp_path, config["languages"],
                            config.get("figures"), processes=2)
    assert len(written) == len(list((release / "figures").glob("*.*"))) > 40
    different = [p.name for p in written if p.read_bytes() != (release / "figures" / p.name).read_bytes()]
    assert different == []
