"""The weights part of config read when the Snakefile is parsed (no pandas: the parse stays quick):
:func:`check_weights_config` checks it against the waves, :func:`weighting_label` says in a few words
how a wave's weights are made, :func:`margins_of` gives a wave's margins."""

from __future__ import annotations

from collections.abc import Mapping

from ..core.codebook import Wave
from ..core.errors import ConfigError


def check_weights_config(settings: Mapping, waves: Mapping[str, Wave]) -> None:
    """ConfigError, before any job, when weights are on and a wave cannot be weighted: no margins
    (source raking) or no weight_column in its wave file (source column)."""
    source = settings.get("source", "none")
    if source == "raking":
        margins = {str(w) for w in (settings.get("raking") or {}).get("margins") or {}}
        missing = [w for w in waves if w not in margins]
        if missing:
            raise ConfigError(
                f"config/config.yaml, weights: raking: margins: weights are on (source: raking) but wave(s) "
                f"{', '.join(missing)} have no margins; give each wave its population shares, e.g. '2018': "
                "{respondent_region: {north_america: 0.4, europe: 0.4, rest: 0.2}}, or set weights: source: none")
    elif source == "column":
        missing = [w for w, wave in waves.items() if not wave.weight_column]
        if missing:
            raise ConfigError(
                "config/config.yaml, weights: source: column reads each respondent's weight from the export, but "
                f"the wave file(s) of {', '.join(missing)} name no weight_column; name the export's column of "
                "weights there (and list it in metadata_columns), or set weights: source: raking or none")


def weighting_label(settings: Mapping, wave: Wave) -> str:
    """How the weights were made, in a few words: "raked: respondent_region" (the margin variables)
    or "export column: Weight"."""
    if settings.get("source") == "column":
        return f"export column: {wave.weight_column}"
    return "raked: " + ", ".join(margins_of(settings, wave.name))


def margins_of(settings: Mapping, wave: str) -> Mapping[str, Mapping[str, float]]:
    """The margins config gives a wave (``weights: raking: margins: <wave>``); ConfigError when none."""
    margins = (settings.get("raking") or {}).get("margins") or {}
    if str(wave) not in margins:  # check_weights_config refuses this before any job; a guard for direct calls
        raise ConfigError(f"config/config.yaml, weights: raking: margins: weights are on (source: raking) but wave "
                          f"{wave} has no margins; give its population shares, e.g. {wave}: {{respondent_region: "
                          "{north_america: 0.4, europe: 0.4, rest: 0.2}}, or set weights: source: none")
    return margins[str(wave)]
