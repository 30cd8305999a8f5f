"""The claims audit as one call: read the release's estimates and responses (and, weights on, the
waves' weights), evaluate every claim, write the table, the per-claim summary and the Markdown
reports."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..clean.tidy import read_responses
from ..core.codebook import load_codebook, load_wave
from ..core.rounding import published_table
from ..core.writers import write_table_csv, write_text
from ..estimate.shares import read_estimates
from .claim_specs import load_claims
from ..weights.comparison import weighting_of
from ..weights.publish import load_wave_weights
from .claims import TABLE_COLUMNS, Weighting, evaluate_claims, summarise_claims
from .claims_report import claims_markdown
from .lexicon import load_lexicon


def audit_claims(claims_files, lexicon_path, questionnaire, wave_files, estimates_paths, responses_paths,
                 settings: dict, languages, synthetic: bool, table_path, summary_path, markdown_paths,
                 weights: Mapping | None = None) -> pd.DataFrame:
    """The audit of every claim, written to the table, the per-claim summary and the Markdown reports.
    ``weights`` (weights on, rule claims_weighted): ``paths`` (each wave's private weights.csv), and
    the rule's weighting param (labels: how each wave's weights were made, interval_method, margins):
    the claims are then judged on the weighted estimates, and the table says how (``weighting``)."""
    codebook = load_codebook(questionnaire)
    waves = {w.name: w for w in (load_wave(path, codebook) for path in wave_files)}
    names = list(waves)
    estimates = {name: read_estimates(path) for name, path in zip(names, estimates_paths)}
    responses = {name: read_responses(path, waves[name]) for name, path in zip(names, responses_paths)}
    weighting = None
    if weights:
        loaded = load_wave_weights(weights["paths"], responses, weights)
        weighting = Weighting(loaded.weights, weighting_of(loaded.labels, *names), loaded.interval_method)
    results = published_table(evaluate_claims(load_claims(*claims_files), load_lexicon(lexicon_path), estimates,
                                              responses, waves, codebook, settings, weighting))
    columns = list(TABLE_COLUMNS)  # ids; the Markdown names them by their labels
    if weighting:
        results["weighting"] = weighting.label
        columns.append("weighting")
    write_table_csv(results[columns], table_path)
    label = weighting.label if weighting else None
    summary = summarise_claims(results)
    if label:
        summary["weighting"] = label
    write_table_csv(summary, summary_path)
    for lang, path in zip(languages, markdown_paths):
        write_text(claims_markdown(results, lang, synthetic=synthetic, settings=settings, weighting=label,
                                   weighted_interval=weights["interval_method"] if weights else None), Path(path))
    return results
