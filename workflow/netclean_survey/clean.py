"""The clean stage as one call: read the export, screen it, tidy it.

The workflow runs it in two rules: ``clean_export`` cleans and keeps the result in a temporary file
of the run (``save_cleaned``), ``clean`` writes the published CSVs from it (``load_cleaned``). A bad
export thus stops the run before any output of its wave is removed or rewritten."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .codebook import Wave
from .ingest import ExportError, read_export
from .screen import screen
from .tidy import tidy


@dataclass(frozen=True)
class Cleaned:
    responses: pd.DataFrame
    log: pd.DataFrame  # every row from raw to analysed, reason by reason
    excluded: pd.DataFrame  # which row was excluded, and why


def clean_export(path: str | Path, wave: Wave) -> Cleaned:
    raw = read_export(path, wave)
    if raw.empty:
        raise ExportError(f"{path}: the export has its header rows but not one response row")
    screened = screen(raw, wave)
    responses = tidy(screened.kept, wave)
    return Cleaned(responses, screened.log, screened.excluded)


def save_cleaned(cleaned: Cleaned, path: str | Path) -> None:
    """Keep the clean stage's result, dtypes included, for the next rule (a temporary file of the run,
    never published: pickle, so read it back only with ``load_cleaned`` from a file this run wrote)."""
    pd.to_pickle(cleaned, path)


def load_cleaned(path: str | Path) -> Cleaned:
    """What ``save_cleaned`` wrote."""
    cleaned = pd.read_pickle(path)
    if not isinstance(cleaned, Cleaned):
        raise TypeError(f"{path}: not the result of the clean stage ({type(cleaned).__name__})")
    return cleaned
