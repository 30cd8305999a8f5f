"""The weights of one wave as a weighted run writes them (rule weights: :func:`write_weighted_wave`).

- private: ``{private}/{wave}/weights/weights.csv``: respondent_id, weight (never published: with
  the published responses it would tell the margin variables of each respondent);
- ``{wave}/weights/margins.csv``: each margin's target, sample share, share after raking and after
  trimming (:data:`.raking.MARGIN_COLUMNS`);
- ``{wave}/weights/summary.csv``: how the weights were made: iterations, convergence, the largest
  margin gap, trimming, the range of the weights and Kish's figures for the whole wave;
- ``{wave}/weights/estimates.csv``: the weighted share of every question and option
  (:mod:`.estimates`), with Kish's effective sample size and design effect per question.

The weights are rounded once, to :data:`netclean_survey.core.rounding.DECIMALS` decimals, and every
weighted figure is computed from the rounded weights: what the private file holds is exactly what
the estimates used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..core.codebook import Wave, published_questions
from ..core.errors import ConfigError
from ..core.rounding import published_table, ratio
from ..core.writers import write_table_csv
from .estimates import check_weighted_interval, weighted_estimate_wave
from .intervals import kish_design_effect, kish_effective_n
from .raking import RakingResult, rake_to_margins

#: Columns of summary.csv, in order.
SUMMARY_COLUMNS = (
    "wave", "weighting", "respondents", "iterations", "converged", "max_margin_error", "tolerance", "trim_lower",
    "trim_upper", "trimmed", "trim_rounds", "weight_min", "weight_max", "n_effective", "design_effect", "synthetic",
)


def weighting_label(margins: Mapping[str, Mapping[str, float]]) -> str:
    """How the weights were made, in a few words: "raked: respondent_region" (the margin variables)."""
    return "raked: " + ", ".join(margins)


def margins_of(settings: Mapping, wave: str) -> Mapping[str, Mapping[str, float]]:
    """The margins config gives a wave (``weights: raking: margins: <wave>``); ConfigError when none."""
    margins = (settings.get("raking") or {}).get("margins") or {}
    if str(wave) not in margins:
        raise ConfigError(f"config/config.yaml, weights: raking: margins: weights are on (source: raking) but wave "
                          f"{wave} has no margins; give its population shares, e.g. {wave}: {{respondent_region: "
                          "{north_america: 0.4, europe: 0.4, rest: 0.2}}, or set weights: source: none")
    return margins[str(wave)]


def rake_wave(responses: pd.DataFrame, wave: str, settings: Mapping) -> RakingResult:
    """The raked and trimmed weights of one wave's responses, as ``settings`` (config ``weights``) asks;
    ConfigError when the raking does not reach the margins within the tolerance."""
    raking = settings.get("raking") or {}
    trim = raking.get("trim") or {}
    tolerance = float(raking.get("tolerance", 1e-6))
    where = f"config/config.yaml, weights: raking: margins: {wave}"
    result = rake_to_margins(responses, margins_of(settings, wave), tolerance=tolerance,
                             max_iterations=int(raking.get("max_iterations", 1000)),
                             trim=(trim.get("lower"), trim.get("upper")), where=where)
    if not result.converged:
        raise ConfigError(f"{where}: raking stopped after {result.iterations} iteration(s) with a weighted margin "
                          f"share {result.max_margin_error:.3g} from its target, more than the tolerance "
                          f"{tolerance:g}; raise weights: raking: max_iterations, or check that the margins can be "
                          "reached together (a combination of options no respondent has)")
    return result


def summary_table(result: RakingResult, weights: pd.Series, wave: Wave, settings: Mapping) -> pd.DataFrame:
    raking = settings.get("raking") or {}
    trim = raking.get("trim") or {}
    nan = float("nan")
    return pd.DataFrame([{
        "wave": wave.name, "weighting": weighting_label(margins_of(settings, wave.name)),
        "respondents": len(weights), "iterations": result.iterations,
        "converged": "true" if result.converged else "false", "max_margin_error": result.max_margin_error,
        "tolerance": float(raking.get("tolerance", 1e-6)),
        "trim_lower": nan if trim.get("lower") is None else float(trim["lower"]),
        "trim_upper": nan if trim.get("upper") is None else float(trim["upper"]),
        "trimmed": result.trimmed, "trim_rounds": result.trim_rounds,
        "weight_min": float(weights.min()), "weight_max": float(weights.max()),
        "n_effective": kish_effective_n(weights), "design_effect": kish_design_effect(weights),
        "synthetic": "true" if wave.synthetic else "false",
    }], columns=list(SUMMARY_COLUMNS))


def write_weighted_wave(responses: pd.DataFrame, wave: Wave, settings: Mapping, conf_level: float,
                        paths: Mapping[str, str | Path]) -> dict[str, pd.DataFrame]:
    """Rule weights' outputs for one wave (``paths``: weights, margins, summary, estimates); returns
    the tables as written, by the same names."""
    method = check_weighted_interval(str(settings.get("interval_method", "korn-graubard")))
    result = rake_wave(responses, wave.name, settings)
    weights = published_table(result.weights.to_frame())["weight"]  # rounded once: the weights every figure uses
    estimates = weighted_estimate_wave(responses, published_questions(wave), weights, wave.name,
                                       weighting_label(margins_of(settings, wave.name)), method, conf_level,
                                       wave.synthetic)
    tables = {
        "weights": pd.DataFrame({"respondent_id": responses["respondent_id"].astype(str).to_numpy(),
                                 "weight": weights.to_numpy()}),
        "margins": published_table(result.margins),
        "summary": published_table(summary_table(result, weights, wave, settings)),
        "estimates": published_table(estimates, {"unweighted_share": ratio("count", "n")}),
    }
    for name, table in tables.items():
        write_table_csv(table, paths[name])
    return tables
