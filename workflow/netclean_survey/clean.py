"""The clean stage as one call: read the export, screen it, tidy it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .codebook import Wave
from .ingest import read_export
from .screen import screen
from .tidy import tidy


@dataclass(frozen=True)
class Cleaned:
    responses: pd.DataFrame
    log: pd.DataFrame  # every row from raw to analysed, reason by reason
    excluded: pd.DataFrame  # which row was excluded, and why


def clean_export(path: str | Path, wave: Wave) -> Cleaned:
    raw = read_export(path, wave)
    screened = screen(raw, wave)
    responses = tidy(screened.kept, wave)
    return Cleaned(responses, screened.log, screened.excluded)
