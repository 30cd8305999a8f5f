"""The claims audit as one call: read the release's estimates and responses, evaluate every claim,
write the table, the per-claim summary and the Markdown reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .claims import claims_markdown, evaluate_claims, load_claims, load_lexicon, summarise_claims
from .codebook import load_codebook, load_wave
from .estimate import read_estimates
from .publish_compare import write_text
from .render import write_table_csv
from .rounding import published_table
from .tidy import read_responses


def audit_claims(claims_files, lexicon_path, questionnaire, wave_files, estimates_paths, responses_paths,
                 settings: dict, languages, synthetic: bool, table_path, summary_path, markdown_paths) -> pd.DataFrame:
    codebook = load_codebook(questionnaire)
    waves = {w.name: w for w in (load_wave(path, codebook) for path in wave_files)}
    names = list(waves)
    estimates = {name: read_estimates(path) for name, path in zip(names, estimates_paths)}
    responses = {name: read_responses(path, waves[name]) for name, path in zip(names, responses_paths)}
    results = published_table(evaluate_claims(load_claims(*claims_files), load_lexicon(lexicon_path), estimates,
                                              responses, waves, codebook, settings))
    write_table_csv(results, table_path)
    write_table_csv(summarise_claims(results), summary_path)
    for lang, path in zip(languages, markdown_paths):
        write_text(claims_markdown(results, lang, synthetic=synthetic, settings=settings), Path(path))
    return results
