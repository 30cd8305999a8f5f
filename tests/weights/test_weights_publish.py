"""Tests of netclean_survey.weights.publish: what a weighted wave says about its weights, and the
paragraphs that stop a run (the raking that does not converge, a wave without margins)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netclean_survey.core.errors import ConfigError
from netclean_survey.weights.publish import margins_of, rake_wave

MARGINS = {"region": {"north_america": 0.35, "europe": 0.45, "rest": 0.2},
           "role": {"officer": 0.5, "analyst": 0.3, "other": 0.2}}


def responses(n: int = 300, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"region": rng.choice(["north_america", "europe", "rest"], n, p=[0.55, 0.3, 0.15]),
                         "role": rng.choice(["officer", "analyst", "other"], n, p=[0.6, 0.3, 0.1])})


def settings(**raking) -> dict:
    return {"source": "raking", "raking": {"tolerance": 1e-9, "max_iterations": 1000, "trim": {},
                                           "margins": {"2018": MARGINS}, **raking}}


def test_a_raking_that_does_not_converge_stops_the_run_saying_what_to_change():
    with pytest.raises(ConfigError, match=r"weights: raking: margins: 2018: raking stopped after 1 iteration\(s\)"
                                          r" .* raise weights: raking: max_iterations"):
        rake_wave(responses(), "2018", settings(max_iterations=1))


def test_a_converged_raking_meets_its_tolerance():
    result = rake_wave(responses(), "2018", settings())
    assert result.converged and result.max_margin_error <= 1e-9


def test_a_wave_without_margins_is_named():
    with pytest.raises(ConfigError, match="wave 2016 has no margins"):
        margins_of(settings(), "2016")


def test_weights_from_a_column_need_each_wave_files_weight_column():
    import dataclasses
    from pathlib import Path

    from netclean_survey.core.codebook import load_codebook, load_wave
    from netclean_survey.weights.config import check_weights_config

    root = Path(__file__).resolve().parents[2]
    wave = load_wave(root / "config" / "waves" / "2018.yaml", load_codebook(root / "config" / "questionnaire.yaml"))
    with pytest.raises(ConfigError, match="the wave file\\(s\\) of 2018 name no weight_column"):
        check_weights_config({"source": "column"}, {"2018": wave})
    check_weights_config({"source": "column"}, {"2018": dataclasses.replace(wave, weight_column="Weight")})
    check_weights_config({"source": "none"}, {"2018": wave})
    with pytest.raises(ConfigError, match="wave\\(s\\) 2018 have no margins"):
        check_weights_config({"source": "raking", "raking": {"margins": {}}}, {"2018": wave})
