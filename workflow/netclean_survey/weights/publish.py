"""The weights of one wave as a weighted run writes them (rule weights: :func:`write_weighted_wave`):
raked to the margins of config (``weights: source: raking``, :mod:`.raking`) or read from the
export's weight column (``source: column``, :mod:`.column`), then trimmed when bounds are given.

- private: ``{private}/{wave}/weights/weights.csv``: respondent_id, weight (never published: with
  the published responses it would tell the margin variables of each respondent);
- ``{wave}/weights/margins.csv``: the weighting, each margin's target, sample share, share after raking and after
  trimming (:data:`.raking.MARGIN_COLUMNS`);
- ``{wave}/weights/summary.csv``: how the weights were made: iterations, convergence, the largest
  margin gap, trimming, the range of the weights and Kish's figures for the whole wave;
- ``{wave}/weights/estimates.csv``: the weighted share of every question and option
  (:mod:`.estimates`), with Kish's effective sample size and design effect per question;
- ``{wave}/weights/weighted.xlsx``: the three published tables as sheets of one workbook.

The weights are rounded once, to :data:`netclean_survey.core.rounding.DECIMALS` decimals, and every
weighted figure is computed from the rounded weights: what the private file holds is exactly what
the estimates used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .. import SYNTHETIC_NOTE
from ..core.codebook import Wave, published_questions
from ..core.errors import ConfigError
from ..core.rounding import published_table, ratio
from ..core.writers import write_table_csv
from .estimates import check_weighted_interval, weighted_estimate_wave
from .intervals import kish_design_effect, kish_effective_n
from .column import export_weights
from .comparison import WaveWeights
from .config import margins_of, weighting_label
from .raking import MARGIN_COLUMNS, RakingResult, rake_to_margins, trim_to_mean

#: The sheets of weighted.xlsx: the published tables and what each holds.
WORKBOOK_SHEETS = {
    "summary": "How the weights were made: raking, convergence, trimming, Kish's design effect (summary.csv)",
    "margins": "The population margins, the sample's shares and the weighted shares reached (margins.csv)",
    "estimates": "Every weighted share with its interval and Kish's figures per question (estimates.csv)",
}

#: Columns of summary.csv, in order.
SUMMARY_COLUMNS = (
    "wave", "weighting", "respondents", "iterations", "converged", "max_margin_error", "tolerance", "trim_lower",
    "trim_upper", "trimmed", "trim_rounds", "weight_min", "weight_max", "n_effective", "design_effect", "synthetic",
)


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


def summary_table(result: RakingResult | None, weights: pd.Series, wave: Wave, settings: Mapping,
                  trimmed: tuple[int, int]) -> pd.DataFrame:
    """summary.csv's one row; the raking's columns are empty for weights read from the export."""
    raking = settings.get("raking") or {}
    trim = raking.get("trim") or {}
    nan = float("nan")
    raked = result is not None
    return pd.DataFrame([{
        "wave": wave.name, "weighting": weighting_label(settings, wave),
        "respondents": len(weights), "iterations": str(result.iterations) if raked else "",
        "converged": ("true" if result.converged else "false") if raked else "",
        "max_margin_error": result.max_margin_error if raked else nan,
        "tolerance": float(raking.get("tolerance", 1e-6)) if raked else nan,
        "trim_lower": nan if trim.get("lower") is None else float(trim["lower"]),
        "trim_upper": nan if trim.get("upper") is None else float(trim["upper"]),
        "trimmed": trimmed[0], "trim_rounds": trimmed[1],
        "weight_min": float(weights.min()), "weight_max": float(weights.max()),
        "n_effective": kish_effective_n(weights), "design_effect": kish_design_effect(weights),
        "synthetic": "true" if wave.synthetic else "false",
    }], columns=list(SUMMARY_COLUMNS))


def wave_weights(responses: pd.DataFrame, wave: Wave, settings: Mapping, export: str | Path | None = None
                 ) -> tuple[pd.Series, RakingResult | None, pd.DataFrame, tuple[int, int]]:
    """(weights, the raking or None, the margins table, (trimmed, trim rounds)) of one wave, by
    ``settings["source"]``: raked to the margins, or read from the export's weight column (then
    trimmed to the same bounds, when given)."""
    if settings.get("source") != "column":
        result = rake_wave(responses, wave.name, settings)
        return result.weights, result, result.margins, (result.trimmed, result.trim_rounds)
    from ..clean.ingest import read_export

    raw = read_export(export, wave)
    given = export_weights(raw, wave, responses["respondent_id"], str(export))
    trim = (settings.get("raking") or {}).get("trim") or {}
    weights, rounds, trimmed = trim_to_mean(given.to_numpy(), (trim.get("lower"), trim.get("upper")))
    return (pd.Series(weights, index=given.index, name="weight"), None,
            pd.DataFrame(columns=list(MARGIN_COLUMNS)), (trimmed, rounds))


def read_wave_weights(path: str | Path, responses: pd.DataFrame) -> pd.Series:
    """The private weights.csv of rule weights as one weight per row of ``responses`` (indexed alike),
    matched by respondent id; ValueError when a respondent has no weight or the file another's."""
    table = pd.read_csv(path, dtype={"respondent_id": str}, keep_default_na=False, encoding="utf-8")
    if list(table.columns) != ["respondent_id", "weight"]:
        raise ValueError(f"{path}: columns {list(table.columns)} are not respondent_id, weight")
    by_id = pd.Series(pd.to_numeric(table["weight"], errors="raise").to_numpy(dtype=float),
                      index=table["respondent_id"].to_numpy())
    ids = responses["respondent_id"].astype(str)
    if not by_id.index.is_unique or len(by_id) != len(ids) or not ids.isin(by_id.index).all():
        raise ValueError(f"{path}: the weights are not those of the {len(ids)} respondents of the responses; run "
                         "rule weights again")
    return pd.Series(by_id.loc[ids.to_numpy()].to_numpy(), index=responses.index, name="weight")


def load_wave_weights(paths, responses: Mapping[str, pd.DataFrame], weighting: Mapping) -> WaveWeights:
    """The weights of the waves a job weighs: ``paths`` the private weights.csv of each
    (``{release}/{wave}/weights/weights.csv``: the wave is the folder above weights/), ``responses``
    each wave's responses (the weights are matched to their rows), ``weighting`` the job's param
    (labels, interval_method, margins: common.smk's weighting_of_waves)."""
    files = {Path(path).parent.parent.name: path for path in paths}
    return WaveWeights({w: read_wave_weights(files[w], responses[w]) for w in files}, weighting["labels"],
                       weighting["interval_method"], weighting.get("margins", {}))


def write_weighted_wave(responses: pd.DataFrame, wave: Wave, settings: Mapping, conf_level: float,
                        paths: Mapping[str, str | Path], export: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Rule weights' outputs for one wave (``paths``: weights, margins, summary, estimates, and
    workbook when given); returns the tables as written, by the same names. ``export``: the raw export, read for source column."""
    method = check_weighted_interval(str(settings.get("interval_method", "korn-graubard")))
    unrounded, result, margins, trimmed = wave_weights(responses, wave, settings, export)
    weights = published_table(unrounded.to_frame())["weight"]  # rounded once: the weights every figure uses
    label = weighting_label(settings, wave)
    estimates = weighted_estimate_wave(responses, published_questions(wave), weights, wave.name, label, method,
                                       conf_level, wave.synthetic)
    margins = margins.copy()
    margins.insert(0, "weighting", label)  # every weighted table says how it was weighted
    tables = {
        "weights": pd.DataFrame({"respondent_id": responses["respondent_id"].astype(str).to_numpy(),
                                 "weight": weights.to_numpy()}),
        "margins": published_table(margins),
        "summary": published_table(summary_table(result, weights, wave, settings, trimmed)),
        "estimates": published_table(estimates, {"unweighted_share": ratio("count", "n")}),
    }
    for name, table in tables.items():
        write_table_csv(table, paths[name])
    if "workbook" in paths:  # the published tables in one workbook (not the weights: they stay private)
        from ..render.workbook import write_workbook

        write_workbook({name: tables[name] for name in WORKBOOK_SHEETS}, paths["workbook"],
                       SYNTHETIC_NOTE if wave.synthetic else None, WORKBOOK_SHEETS)
    return tables
