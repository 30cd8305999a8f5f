"""The claims audit as one call: read the release's estimates and responses, evaluate every claim,
write the table, the per-claim summary and the Markdown reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..clean.tidy import read_responses
from ..core.codebook import load_codebook, load_wave
from ..core.rounding import published_table
from ..core.writers import write_table_csv, write_text
from ..estimate.shares import read_estimates
from .claim_specs import load_claims
from .claims import TABLE_COLUMNS, evaluate_claims, summarise_claims
from .claims_report import claims_markdown
from .lexicon import load_lexicon


def audit_claims(claims_files, lexicon_path, questionnaire, wave_files, estimates_paths, responses_paths,
                 settings: dict, languages, synthetic: bool, table_path, summary_path, markdown_paths) -> pd.DataFrame:
    codebook = load_codebook(questionnaire)
    waves = {w.name: w for w in (load_wave(path, codebook) for path in wave_files)}
    names = list(waves)
    estimates = {name: read_estimates(path) for name, path in zip(names, estimates_paths)}
    responses = {name: read_responses(path, waves[name]) for name, path in zip(names, responses_paths)}
    results = published_table(evaluate_claims(load_claims(*claims_files), load_lexicon(lexicon_path), estimates,
                                              responses, waves, codebook, settings))
    write_table_csv(results[list(TABLE_COLUMNS)], table_path)  # ids; the Markdown names them by their labels
    write_table_csv(summarise_claims(results), summary_path)
    for lang, path in zip(languages, markdown_paths):
        write_text(claims_markdown(results, lang, synthetic=synthetic, settings=settings), Path(path))
    return results
