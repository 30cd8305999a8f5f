"""Screening: which submissions are analysed, and a log that accounts for every row.

The screens run in a fixed order, each on the rows the previous ones kept, so that a row is
counted under the first reason that excludes it:

1. ``test_rows``: preview and test submissions (a status or collector value);
2. ``outside_fieldwork``: responses that started before the fieldwork's first day or ended after
   its last (by the wave's start and end times). Not configured, such a response stops the run:
   a date outside the fieldwork is either a test the first screen missed or wrong fieldwork dates,
   and neither may pass silently;
3. ``incomplete``: partial completes (a "finished" flag, or required questions left blank);
4. ``duplicates``: the same submission sent twice (same key columns and identical answers);
   the earliest is kept;
5. ``speeders``: a duration below a configured share of the median duration of the rows left.

Every screen is configured in the wave file; a screen that is not configured excludes nothing
and says so in the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.cells import release_arrow_memory
from ..core.codebook import Wave, normalise_label
from ..core.errors import ExportError
from .export_cells import LOG_LINES, TIME_ZONES
from .raw import IGNORED, normalise_labels, normalised_label_codes, rows_named
from .times import read_times

SCREENS = ("test_rows", "outside_fieldwork", "incomplete", "duplicates", "speeders")
LOG_COLUMNS = ["wave", "step", "reason", "rows_in", "excluded", "rows_out"]


@dataclass(frozen=True)
class Screened:
    kept: pd.DataFrame
    log: pd.DataFrame  # LOG_COLUMNS: one line per screen, plus the first and last line
    excluded: pd.DataFrame  # _row, respondent_id, reason: which row went where


def answer_columns(raw: pd.DataFrame, wave: Wave) -> list[str]:
    metadata = set(wave.metadata_columns) | {"_row"}
    return [c for c in raw.columns if c not in metadata]


def blank_missing_codes(raw: pd.DataFrame, wave: Wave) -> tuple[pd.DataFrame, list[str]]:
    """Answer cells holding one of the wave's ``missing_codes`` ("seen, not answered", e.g. -99) read
    as blank, column by column; returns the table and one line per column that held any: what the
    cleaning log says. Ignored columns are kept as exported (the duplicate screen compares them)."""
    if not wave.missing_codes:
        return raw, []
    codes = {normalise_label(c) for c in wave.missing_codes}
    lines = []
    raw = raw.copy()
    for column in answer_columns(raw, wave):
        if column.startswith(IGNORED):
            continue
        hit = normalise_labels(raw[column]).isin(codes).to_numpy()
        if hit.any():
            series = raw[column].astype(object)
            series[hit] = ""
            raw[column] = pd.Categorical(series) if isinstance(raw[column].dtype, pd.CategoricalDtype) else series
            lines.append(f"column {column!r}: {int(hit.sum())} cell(s) hold a missing code "
                         f"({', '.join(wave.missing_codes)}), read as not answered")
    return raw, lines


def row_keys(rows: int, columns: Iterable[np.ndarray]) -> np.ndarray:
    """One integer per row, the same for two rows exactly when their codes (integers from -1, one
    array per column) are the same in every column: what ``DataFrame.duplicated`` compares. The
    columns are folded in one at a time (key * width + code, a mixed-radix number) and the key is
    renumbered by ``pandas.factorize`` only when the next column could overflow 63 bits, as
    pandas' own group index does, so memory holds two columns of integers, not one per column."""
    key, size = np.zeros(rows, dtype=np.int64), 1  # every key lies in [0, size)
    for codes in columns:
        codes = np.asarray(codes, dtype=np.int64) + 1  # -1 (missing) is a value of its own
        width = int(codes.max(initial=0)) + 1
        if size * width >= 1 << 62:
            key = pd.factorize(key, sort=False)[0].astype(np.int64, copy=False)
            size = int(key.max(initial=-1)) + 1
        key, size = key * width + codes, size * width
    return pd.factorize(key, sort=False)[0].astype(np.int64, copy=False)


#: The codes a platform writes for the same value of a metadata column, by format and column: a
#: Qualtrics export with "numeric values" writes the response type (``Status``) and ``Finished`` as
#: numbers, one with "choice text" as words. A screen's values match in either form, so a preview or
#: a partial response is screened whichever way the export was made (Qualtrics, "Understanding your
#: dataset": Status 0 an ordinary response, 1 a survey preview, 2 a survey test, 4 imported, 8 spam,
#: 16 offline; Finished 1 or 0). A legacy export names the same columns V7 and V10 (its metadata is
#: V1 ResponseID ... V6 IPAddress, V7 Status, V8 StartDate, V9 EndDate, V10 Finished).
QUALTRICS_STATUS = (("IP Address", "0"), ("Survey Preview", "1"), ("Survey Test", "2"), ("Imported", "4"),
                    ("Spam", "8"), ("Offline", "16"))
QUALTRICS_FINISHED = (("True", "1"), ("False", "0"))
PLATFORM_CODES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "qualtrics": {"status": QUALTRICS_STATUS, "v7": QUALTRICS_STATUS,
                  "finished": QUALTRICS_FINISHED, "v10": QUALTRICS_FINISHED},
}


def same_values(values, wave: Wave, column: str) -> set[str]:
    """``values`` (normalised), and for a column whose codes the wave's platform is known to write
    (:data:`PLATFORM_CODES`), each value's other form."""
    pairs = PLATFORM_CODES.get(wave.format, {}).get(normalise_label(column), ())
    found = {normalise_label(v) for v in values}
    for word, code in pairs:
        if normalise_label(word) in found or code in found:
            found |= {normalise_label(word), code}
    return found


def test_rows(raw: pd.DataFrame, wave: Wave, rule: dict, times: TimeColumns | None = None) -> tuple[pd.Series, str]:
    values = same_values(rule["values"], wave, rule["column"])
    return normalise_labels(raw[rule["column"]]).isin(values), f"{rule['column']} is one of {rule['values']}"


#: Formats a spreadsheet program writes when it opens an export and saves it again (Excel in US,
#: European and ISO locales), tried on unreadable times to say which format the file now holds.
RESAVED_TIME_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
                        "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
                        "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%d/%m/%Y")


class TimeColumns:
    """The export's time columns, each read once (:func:`.times.read_times`) for every screen that
    needs them: the fieldwork check, the duplicates' order and the speeders read start and end."""

    def __init__(self, raw: pd.DataFrame):
        self.raw = raw
        self.read: dict[tuple[str, str], pd.Series] = {}

    def of(self, rows: pd.DataFrame, column: str, time_format: str) -> pd.Series:
        """The times of ``column`` in the rows ``rows`` (a part of the table, by its index): NaT where unreadable."""
        if (column, time_format) not in self.read:
            self.read[column, time_format] = read_times(self.raw[column], time_format)
        return self.read[column, time_format].loc[rows.index]


def parse_times(raw: pd.DataFrame, column: str, time_format: str, wave: Wave,
                times: TimeColumns | None = None) -> pd.Series:
    """The times of a column in the wave's format. A cell that does not hold one stops the run in one
    paragraph: the rows, the first values as the file writes them, the format expected and, when the
    values fit a format a spreadsheet writes on saving, that format."""
    parsed = times.of(raw, column, time_format) if times else read_times(raw[column], time_format)
    bad = parsed.isna()
    if not bad.any():
        return parsed
    rows = raw.loc[bad, "_row"].tolist()
    values = list(dict.fromkeys(raw.loc[bad, column].tolist()))
    hint = ""
    for candidate in RESAVED_TIME_FORMATS:
        if candidate != time_format and pd.to_datetime(pd.Series(values), format=candidate, errors="coerce").notna().all():
            hint = (f" They read as {candidate!r}: if a spreadsheet program saved the export again, use the file as "
                    f"downloaded, or declare `format: {candidate!r}` in {wave.path} if every time is written so.")
            break
    blank = " (blank)" if all(not str(v).strip() for v in values) else ""
    raise ExportError(
        f"{wave.raw}: column {column!r}: {len(rows)} row(s) hold no time in the format {time_format!r} of "
        f"{wave.path}, rows {rows[:5]}{' ...' if len(rows) > 5 else ''}: for instance {values[:3]}{blank}.{hint}"
    )


def response_times(raw: pd.DataFrame, wave: Wave, times: TimeColumns | None = None) -> tuple[pd.Series, pd.Series]:
    """Start and end time of every row, by the wave's time columns; an unreadable time stops the run."""
    spec = wave.response_times
    return (parse_times(raw, spec["start"], spec["format"], wave, times),
            parse_times(raw, spec["end"], spec["format"], wave, times))


def fieldwork_days(wave: Wave) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first moment of the fieldwork's first day and the first moment after its last day."""
    return pd.Timestamp(wave.fieldwork["start"]), pd.Timestamp(wave.fieldwork["end"]) + pd.Timedelta(days=1)


def outside_fieldwork(raw: pd.DataFrame, wave: Wave, rule: dict, times: TimeColumns | None = None) -> tuple[pd.Series, str]:
    first, after = fieldwork_days(wave)
    start, end = response_times(raw, wave, times)
    outside = (start < first) | (end >= after)
    return outside, f"started before {wave.fieldwork['start']} or ended after {wave.fieldwork['end']}{zone_note(raw, wave)}"


def zone_note(raw: pd.DataFrame, wave: Wave) -> str:
    """The time zone the export writes its times in (a Qualtrics ImportId's ``timeZone``), for the
    log: the fieldwork's dates are compared with the times as written, in that zone."""
    zones = raw.attrs.get(TIME_ZONES, {})
    named = sorted({zones[c] for c in (wave.response_times.get("start"), wave.response_times.get("end")) if c in zones})
    return f" (times as the export writes them, in {' and '.join(named)})" if named else ""


def check_fieldwork(raw: pd.DataFrame, wave: Wave, times: TimeColumns | None = None) -> str:
    """The log's reason when ``outside_fieldwork`` is not configured: the times are still checked
    where the wave has them, and a response outside the fieldwork stops the run."""
    if not (wave.response_times and wave.fieldwork) or raw.empty:
        return "not configured"
    drop, _ = outside_fieldwork(raw, wave, {}, times)
    if drop.any():
        count, rows = rows_named(raw, drop)
        raise ExportError(
            f"{wave.raw}: {count} response(s) started before {wave.fieldwork['start']} or ended after "
            f"{wave.fieldwork['end']}, the fieldwork of {wave.path}{zone_note(raw, wave)}: {rows}. Correct `fieldwork:` if the dates "
            "are wrong, or add `outside_fieldwork: {}` under `exclusions:` to exclude (and count) such responses."
        )
    return (f"not configured; checked: every response lies within {wave.fieldwork['start']} to {wave.fieldwork['end']}"
            + zone_note(raw, wave))


def incomplete(raw: pd.DataFrame, wave: Wave, rule: dict, times: TimeColumns | None = None) -> tuple[pd.Series, str]:
    drop = pd.Series(False, index=raw.index)
    reasons = []
    if "column" in rule:
        complete = same_values(rule["complete_values"], wave, rule["column"])
        drop |= ~normalise_labels(raw[rule["column"]]).isin(complete)
        reasons.append(f"{rule['column']} is not one of {rule['complete_values']}")
    for qid in rule.get("required", []):
        columns = [c for c in raw.columns if c == qid or c.startswith(f"{qid}__")]
        if not columns:
            raise ExportError(f"{wave.path}: exclusions.incomplete.required names {qid!r}, not a question of the wave")
        answered = np.zeros(len(raw), dtype=bool)
        for column in columns:  # column by column: a frame-wide apply keeps a categorical dtype on few rows
            answered |= (normalise_labels(raw[column]) != "").to_numpy(dtype=bool)
        drop |= ~pd.Series(answered, index=raw.index)
    if rule.get("required"):
        reasons.append(f"a required question is blank ({', '.join(rule['required'])})")
    return drop, "; ".join(reasons)


def duplicates(raw: pd.DataFrame, wave: Wave, rule: dict, times: TimeColumns | None = None) -> tuple[pd.Series, str]:
    key = list(rule["columns"])
    if rule.get("same_answers", True):
        key += answer_columns(raw, wave)
    rows = pd.Series(row_keys(len(raw), (normalised_label_codes(raw[column]) for column in key)), index=raw.index)
    # rows are ordered by start time when the export gives it, so "first" is the earliest submission;
    # the order matters only among repeated submissions, so only their times are read
    repeated = rows.duplicated(keep=False)
    order = _start_order(raw.loc[repeated], wave, times)
    dropped = rows.loc[order].duplicated(keep=rule.get("keep", "first")).reindex(raw.index, fill_value=False)
    what = f", with identical answers {_compared(key, wave)}" if rule.get("same_answers", True) else ""
    return dropped, f"same {', '.join(rule['columns'])} as an earlier submission{what}"


def _compared(key: list[str], wave: Wave) -> str:
    """What the duplicate screen compares, in the log's words: the wave file's questions (a tick
    all's option columns and an Other box are parts of their question) and the columns it ignores."""
    ignored = sum(column.startswith(IGNORED) for column in key)
    questions = len(wave.questions)
    return (f"to all {questions} question(s) of {wave.path}"
            + (f" and in the {ignored} column(s) of the export it ignores" if ignored else ""))


def durations(raw: pd.DataFrame, wave: Wave, times: TimeColumns | None = None) -> pd.Series:
    """Seconds spent on the survey, from a duration column or from start and end times."""
    spec = wave.duration
    if "seconds" in spec:
        column = spec["seconds"]
        seconds = pd.to_numeric(raw[column].str.replace(wave.decimal, ".", regex=False), errors="coerce")
        bad = ~np.isfinite(seconds) | (seconds < 0)  # NaN, "inf" and negative durations
    else:
        column = f"{spec['start']} / {spec['end']}"
        start = parse_times(raw, spec["start"], spec["format"], wave, times)
        end = parse_times(raw, spec["end"], spec["format"], wave, times)
        seconds = (end - start).dt.total_seconds()
        bad = seconds.isna() | (seconds < 0)
    if bad.any():
        rows = raw.loc[bad, "_row"].tolist()
        raise ExportError(
            f"{wave.raw}: column {column}: no valid duration in {len(rows)} row(s), rows {rows[:5]} (a duration "
            "is a finite number of seconds, at least 0); correct the export, or screen such rows out as test rows"
        )
    return seconds


def speeders(raw: pd.DataFrame, wave: Wave, rule: dict, times: TimeColumns | None = None) -> tuple[pd.Series, str]:
    if raw.empty:
        return pd.Series(False, index=raw.index, dtype=bool), "no rows left"
    seconds = durations(raw, wave, times)
    share = float(rule["min_share_of_median"])
    median = float(np.median(seconds.to_numpy()))
    limit = share * median
    return seconds < limit, f"duration below {share:g} x median ({median:g} s), i.e. under {limit:g} s"


def _start_order(raw: pd.DataFrame, wave: Wave, times: TimeColumns | None = None) -> pd.Index:
    spec = wave.duration
    if "start" in spec:
        start = times.of(raw, spec["start"], spec["format"]) if times else read_times(raw[spec["start"]], spec["format"])
        return start.sort_values(kind="stable").index
    return raw.index


SCREEN_FUNCTIONS = {"test_rows": test_rows, "outside_fieldwork": outside_fieldwork, "incomplete": incomplete,
                    "duplicates": duplicates, "speeders": speeders}


def screen(raw: pd.DataFrame, wave: Wave) -> Screened:
    """Apply the wave's exclusions in order; count every row from raw to analysed."""
    unknown = sorted(set(wave.exclusions) - set(SCREENS))
    if unknown:
        raise ExportError(f"{wave.path}: unknown exclusions {unknown}; known: {list(SCREENS)}")
    log = [(wave.name, "raw", "rows in the export", len(raw), 0, len(raw))]
    # cells the export's file itself marks missing (an SPSS file's user-defined missing values), read as blank
    log += [(wave.name, "missing_codes", line, len(raw), 0, len(raw)) for line in raw.attrs.get(LOG_LINES, ())]
    raw, blanked = blank_missing_codes(raw, wave)
    log += [(wave.name, "missing_codes", line, len(raw), 0, len(raw)) for line in blanked]
    for column in (c for c in raw.columns if c.startswith(IGNORED)):  # kept for the duplicate screen only
        filled = int((normalise_labels(raw[column]) != "").sum())
        log.append((wave.name, "ignored", f"column {column.removeprefix(IGNORED)!r} not analysed (ignore: in "
                    f"{wave.path}); data in {filled} row(s)", len(raw), 0, len(raw)))
    excluded = []
    kept = raw
    times = TimeColumns(raw)
    for step in SCREENS:
        rule = wave.exclusions.get(step)
        if rule is None:
            reason = check_fieldwork(kept, wave, times) if step == "outside_fieldwork" else "not configured"
            log.append((wave.name, step, reason, len(kept), 0, len(kept)))
            continue
        drop, reason = SCREEN_FUNCTIONS[step](kept, wave, rule, times)
        drop = drop.fillna(False).astype(bool)
        excluded.append(
            pd.DataFrame({"_row": kept.loc[drop, "_row"], "respondent_id": kept.loc[drop, wave.respondent_id], "reason": step})
        )
        log.append((wave.name, step, reason, len(kept), int(drop.sum()), int((~drop).sum())))
        kept = kept.loc[~drop]
        release_arrow_memory()  # the step's own Arrow memory, and the rows it dropped
    log.append((wave.name, "analysed", "rows analysed", len(kept), 0, len(kept)))
    if not excluded:  # no screen configured: no row excluded
        excluded.append(pd.DataFrame({"_row": pd.Series(dtype="int64"), "respondent_id": pd.Series(dtype=object),
                                      "reason": pd.Series(dtype=object)}))
    excluded_rows = pd.concat(excluded, ignore_index=True).sort_values("_row", kind="stable").reset_index(drop=True)
    return Screened(kept.reset_index(drop=True), pd.DataFrame(log, columns=LOG_COLUMNS), excluded_rows)
