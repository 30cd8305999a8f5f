"""The clean stage as one call: read the export, screen it, tidy it.

The workflow runs it in two rules: ``clean_export`` cleans and keeps the result in a temporary file
of the run (``save_cleaned``), ``clean`` writes the published CSVs from it (``load_cleaned``). A bad
export thus stops the run before any output of its wave is removed or rewritten."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.cells import release_arrow_memory
from ..core.codebook import Wave
from ..core.errors import ExportError
from ..core.writers import write_table_csv
from .disclosure import DISCLOSURE_DEFAULTS, full_responses_report, safe_responses
from .ingest import read_export
from .screen import screen
from .survey_definition import with_survey_definition
from .tidy import answered, published_columns, respondents_asked, responses_to_csv_frame, tidy


@dataclass(frozen=True)
class Cleaned:
    responses: pd.DataFrame
    log: pd.DataFrame  # every row from raw to analysed, reason by reason
    excluded: pd.DataFrame  # which row was excluded, and why


def clean_export(path: str | Path, wave: Wave, check_bases: bool = True) -> Cleaned:
    """Read, screen and tidy one export. No row left to analyse is an error; so is, with
    ``check_bases`` (the workflow's setting), a published question nobody answered."""
    wave = with_survey_definition(wave)
    raw = read_export(path, wave)
    if raw.empty:
        raise ExportError(f"{path}: the export has its header rows but not one response row")
    screened = screen(raw, wave)
    del raw  # the rows kept are a table of their own: the export's is not needed past the screens
    release_arrow_memory()
    if screened.kept.empty:
        raise ExportError(
            f"{path}: no row is left to analyse: {screening_counts(screened.log)}. Check the exclusions of "
            f"{wave.path} (a test collector or status that matches every row, a required question the export "
            "names otherwise, a speeder share above 1) and the export itself; nothing of this wave is published."
        )
    responses = tidy(screened.kept, wave)
    if check_bases:
        check_estimable(responses, wave, path, screened.log)
    return Cleaned(responses, screened.log, screened.excluded)


def check_estimable(responses: pd.DataFrame, wave: Wave, path, log: pd.DataFrame) -> None:
    """ExportError unless every published question has at least one respondent in its base: a
    question nobody answered has no share, and its tables, comparisons and claims cannot be made."""
    empty = []
    for wq in wave.questions:
        if wq.question.kind == "text" or answered(responses, wq).any():
            continue
        asked = int(respondents_asked(responses, wq.question).sum())
        condition = ", ".join(f"{k} = {v}" for k, v in wq.question.asked_if.items())
        empty.append(f"{wq.question.id} (asked of {asked}{' with ' + condition if condition else ''})")
    if empty:
        raise ExportError(
            f"{path}: too few respondents to estimate: of the {len(responses)} analysed, nobody answered "
            f"{', '.join(empty)}; {screening_counts(log)}. A question nobody answered has no share: if the wave "
            f"did not ask it, remove it from `questions:` in {wave.path}; otherwise check the exclusions and the "
            "export. Nothing of this wave is published."
        )


def screening_counts(log: pd.DataFrame) -> str:
    """The cleaning log in one line: "291 rows in the export; test_rows excluded 3; ..."."""
    parts = [f"{int(log['rows_in'].iat[0])} rows in the export"]
    parts += [f"{row.step} excluded {int(row.excluded)}" for row in log.iloc[1:-1].itertuples()
              if row.reason != "not configured" and row.step not in ("ignored", "missing_codes")]
    return "; ".join(parts)


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


def write_published_responses(frame: pd.DataFrame, wave: Wave, disclosure: dict | None, responses_path,
                              report_path) -> pd.DataFrame:
    """The respondent-level file the release publishes, from the run's responses as written
    (``frame``; :mod:`.disclosure`: safe by default, the full responses only when
    ``disclosure["responses"]`` is ``"full"``), and its disclosure report, which is returned."""
    settings = {**DISCLOSURE_DEFAULTS, **(disclosure or {})}
    identifiers = list(dict.fromkeys([*settings["quasi_identifiers"], *wave.quasi_identifiers]))  # the wave file's too
    if settings["responses"] == "full":
        published, report = frame, full_responses_report(frame, wave.name, identifiers, settings["k"])
    else:
        published, report = safe_responses(frame, wave.name, identifiers, settings["coarsen"], settings["k"])
    write_table_csv(published, responses_path)
    write_table_csv(report, report_path)
    return report


def write_cleaned(cleaned: Cleaned, wave: Wave, publish_free_text: bool, responses_path, log_path,
                  exclusions_path, published_path=None, disclosure_path=None,
                  disclosure: dict | None = None) -> tuple[list[str], pd.DataFrame | None]:
    """Rule clean's outputs: the responses the later rules compute from (free text only when
    ``publish_free_text``), the cleaning log and the excluded rows; with ``published_path``, the
    responses the release publishes and their disclosure report (:func:`write_published_responses`).
    Returns the columns of the responses and the disclosure report (None without ``published_path``)."""
    columns = published_columns(cleaned.responses, wave, publish_free_text)
    frame = responses_to_csv_frame(cleaned.responses[columns])
    write_table_csv(frame, responses_path)
    write_table_csv(cleaned.log, log_path)
    write_table_csv(cleaned.excluded, exclusions_path)
    report = None
    if published_path is not None:
        report = write_published_responses(frame, wave, disclosure, published_path, disclosure_path)
    return columns, report
