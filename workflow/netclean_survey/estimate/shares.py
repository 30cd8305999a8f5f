"""Shares and confidence intervals of the survey's answers, one row per option.

Pure functions of the tidy responses frame (one row per respondent; a single-choice question
``q`` is a categorical column ``q``, a tick-all question ``q`` is one nullable-boolean column
``q__option`` per option). No file I/O; the Snakemake rule wraps :func:`estimate_wave`.

The intervals are those of :mod:`.intervals` (statsmodels' arithmetic; the methods and their
papers are listed there); this module works out the bases, handles empty ones and lays out the
table. The tests check it against Newcombe (1998), Two-sided confidence intervals for the single
proportion: comparison of seven methods, *Statistics in Medicine* 17(8), 857-872 (published values).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..clean.tidy import respondents_asked
from ..core.codebook import Question, Wave
from ..core.rounding import published_table, ratio
from ..core.writers import write_table_csv
from .intervals import (
    check_conf_level,
    check_interval_method,
    check_simultaneous_method,
    proportion_interval,
    simultaneous_intervals,
)

#: Columns of :func:`estimate_question`, in order.
ESTIMATE_COLUMNS = (
    "question",
    "kind",
    "option",
    "label_sv",
    "label_en",
    "n_asked",
    "n",
    "nonresponse",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "ci_method",
    "conf_level",
    "sim_ci_low",
    "sim_ci_high",
    "sim_ci_method",
    "mentions",
    "share_of_mentions",
)


_INT_COLUMNS = ("n_asked", "n", "nonresponse", "count", "mentions")
_FLOAT_COLUMNS = (
    "share",
    "ci_low",
    "ci_high",
    "conf_level",
    "sim_ci_low",
    "sim_ci_high",
    "share_of_mentions",
)


def _single_counts(responses: pd.DataFrame, question: Question) -> tuple[pd.Series, np.ndarray]:
    """(answered mask, count per option in codebook order) of a single-choice question."""
    if question.id not in responses.columns:
        raise ValueError(f"responses have no column for single-choice question {question.id!r}")
    column = responses[question.id]
    answered = column.notna()
    observed = column[answered].astype(str).value_counts()
    unknown = sorted(set(observed.index) - set(question.option_ids))
    if unknown:
        raise ValueError(f"{question.id}: answers {unknown} are not options of the question")
    counts = observed.reindex(question.option_ids, fill_value=0).to_numpy(dtype=np.int64)
    return answered, counts


def _multi_counts(responses: pd.DataFrame, question: Question) -> tuple[pd.Series, np.ndarray]:
    """(answered mask, ticks per option in codebook order) of a tick-all question."""
    columns = [f"{question.id}__{option}" for option in question.option_ids]
    missing = [c for c in columns if c not in responses.columns]
    if missing:
        raise ValueError(f"responses lack the columns {missing} of tick-all question {question.id!r}")
    present = responses[columns].notna()
    answered = present.all(axis=1)
    partial = int((present.any(axis=1) & ~answered).sum())
    if partial:
        raise ValueError(f"{question.id}: {partial} rows have some option columns missing and others not")
    ticks = responses[columns].fillna(False).astype(bool)
    blank = int((answered & ~ticks.any(axis=1)).sum())
    if blank:
        raise ValueError(
            f"{question.id}: {blank} rows count as answered but tick no option "
            "(a respondent who ticked nothing should be <NA>)"
        )
    return answered, ticks.sum(axis=0).to_numpy(dtype=np.int64)


def answered_counts(responses: pd.DataFrame, question: Question) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """(asked mask, answered mask, count per option in codebook order) of a single-choice or
    tick-all question: the base of its shares is the answered rows.

    Raises ValueError for a text question or respondents who answered without being asked (a
    skip-logic violation the cleaning stage should have caught; the message names the question
    and the number of rows)."""
    if question.kind == "single":
        answered, counts = _single_counts(responses, question)
    elif question.kind == "multi":
        answered, counts = _multi_counts(responses, question)
    else:
        raise ValueError(f"{question.id}: cannot estimate shares of a {question.kind!r} question")
    asked = respondents_asked(responses, question)
    violations = int((answered & ~asked).sum())
    if violations:
        conditions = ", ".join(f"{p} == {v!r}" for p, v in question.asked_if.items())
        raise ValueError(
            f"{question.id}: {violations} row(s) answered without being asked (asked only if "
            f"{conditions}); the cleaning stage should have removed these answers"
        )
    return asked, answered, counts


def option_indicators(responses: pd.DataFrame, question: Question, answered: pd.Series) -> np.ndarray:
    """0/1 matrix (answered rows x options, codebook order): whether each answering respondent
    chose (single) or ticked (multi) each option."""
    rows = responses.loc[answered.to_numpy()]
    if question.kind == "single":
        column = rows[question.id].astype(str).to_numpy()
        return np.stack([column == o for o in question.option_ids], axis=1).astype(np.int8)
    columns = [f"{question.id}__{option}" for option in question.option_ids]
    return rows[columns].astype(bool).to_numpy(dtype=np.int8)


def estimate_question(
    responses: pd.DataFrame,
    question: Question,
    method: str = "wilson",
    conf_level: float = 0.95,
    simultaneous_method: str | None = "goodman",
) -> pd.DataFrame:
    """One row per option of ``question`` (codebook order) with its share and intervals.

    Columns are :data:`ESTIMATE_COLUMNS`:

    - ``n_asked``: respondents asked the question (:func:`netclean_survey.clean.tidy.respondents_asked`);
    - ``n``: the base, respondents asked who answered (single: a non-missing answer; multi: at
      least one option ticked, i.e. not <NA>); ``nonresponse = n_asked - n``;
    - ``count``: respondents who chose (single) or ticked (multi) the option;
      ``share = count / n`` (tick-all shares need not sum to 1);
    - ``ci_low``, ``ci_high``: :func:`proportion_interval` of the share by ``method``
      (``ci_method``) at ``conf_level``;
    - ``sim_ci_low``, ``sim_ci_high``, ``sim_ci_method``: :func:`simultaneous_intervals` over
      the options of a single-choice question; NaN and "" for tick-all questions or when
      ``simultaneous_method`` is None;
    - ``mentions``: all ticks over the options of a tick-all question (equals ``n`` for a
      single-choice question); ``share_of_mentions = count / mentions`` (NaN for single).

    With an empty base (n == 0) shares and intervals are NaN.

    Raises ValueError for a text question, unknown methods, or respondents who answered
    without being asked (a skip-logic violation the cleaning stage should have caught; the
    message names the question and the number of rows).
    """
    check_interval_method(method)
    level = check_conf_level(conf_level)
    if simultaneous_method is not None:
        check_simultaneous_method(simultaneous_method)
    asked, answered, counts = answered_counts(responses, question)
    n_asked = int(asked.sum())
    n = int(answered.sum())
    k = len(question.options)

    share = counts / n if n else np.full(k, np.nan)
    low, high = proportion_interval(counts, np.full(k, n), method=method, conf_level=level)

    if question.kind == "single":
        mentions = n
        share_of_mentions = np.full(k, np.nan)
        if simultaneous_method is None:
            sim = pd.DataFrame({"low": np.full(k, np.nan), "high": np.full(k, np.nan)})
            sim_method = ""
        else:
            sim = simultaneous_intervals(counts, method=simultaneous_method, conf_level=level)
            sim_method = simultaneous_method
    else:
        mentions = int(counts.sum())
        share_of_mentions = counts / mentions if mentions else np.full(k, np.nan)
        sim = pd.DataFrame({"low": np.full(k, np.nan), "high": np.full(k, np.nan)})
        sim_method = ""

    table = pd.DataFrame(
        {
            "question": [question.id] * k,
            "kind": [question.kind] * k,
            "option": [o.id for o in question.options],
            "label_sv": [o.sv for o in question.options],
            "label_en": [o.en for o in question.options],
            "n_asked": n_asked,
            "n": n,
            "nonresponse": n_asked - n,
            "count": counts,
            "share": share,
            "ci_low": low,
            "ci_high": high,
            "ci_method": [method] * k,
            "conf_level": level,
            "sim_ci_low": sim["low"].to_numpy(),
            "sim_ci_high": sim["high"].to_numpy(),
            "sim_ci_method": [sim_method] * k,
            "mentions": mentions,
            "share_of_mentions": share_of_mentions,
        },
        columns=list(ESTIMATE_COLUMNS),
    )
    return table.astype({c: "int64" for c in _INT_COLUMNS} | {c: "float64" for c in _FLOAT_COLUMNS})


def estimate_wave(
    responses: pd.DataFrame,
    questions: Sequence[Question],
    wave: str,
    method: str = "wilson",
    conf_level: float = 0.95,
    simultaneous_method: str | None = "goodman",
    synthetic: bool = False,
) -> pd.DataFrame:
    """:func:`estimate_question` for every non-text question, in the given order, with a first
    column ``wave`` and a last column ``synthetic`` (whether the rows are our reconstruction,
    not real answers). Text questions are skipped."""
    tables = [
        estimate_question(responses, q, method, conf_level, simultaneous_method)
        for q in questions
        if q.kind != "text"
    ]
    if tables:
        table = pd.concat(tables, ignore_index=True)
    else:
        table = _empty_estimates()
    table.insert(0, "wave", str(wave))
    table["synthetic"] = "true" if synthetic else "false"
    return table


#: Shares that are ratios of whole counts: published from the counts, exactly (``rounding``).
EXACT_SHARES = {"share": ratio("count", "n"), "share_of_mentions": ratio("count", "mentions")}


def published_estimates(estimates: pd.DataFrame) -> pd.DataFrame:
    """The estimates as every writer takes them: each number rounded once (:mod:`.rounding`)."""
    return published_table(estimates, EXACT_SHARES)


def _empty_estimates() -> pd.DataFrame:
    """An estimates table with no rows and the columns and dtypes of :func:`estimate_question`."""
    dtypes = {c: "int64" for c in _INT_COLUMNS} | {c: "float64" for c in _FLOAT_COLUMNS}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in ESTIMATE_COLUMNS})


def read_estimates(path) -> pd.DataFrame:
    """Read an estimates table written by the estimate stage, with the dtypes it was written with.

    Text is read as text ("" stays "", a wave named 2018 stays "2018"); an empty number is NaN.
    """
    text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = ["wave", *ESTIMATE_COLUMNS, "synthetic"]
    if list(text.columns) != expected:
        raise ValueError(f"{path}: columns {list(text.columns)} are not those of an estimates table {expected}")
    table = text.copy()
    for column in _INT_COLUMNS:
        table[column] = pd.to_numeric(text[column], errors="raise").astype("int64")
    for column in _FLOAT_COLUMNS:
        table[column] = pd.to_numeric(text[column].replace("", np.nan), errors="raise").astype("float64")
    return table


def write_estimates(responses: pd.DataFrame, wave: Wave, path, method: str, conf_level: float,
                    simultaneous_method: str | None) -> pd.DataFrame:
    """Rule estimate's output: :func:`estimate_wave` of every question of the wave but free text,
    each number rounded once (:func:`published_estimates`), written to ``path``."""
    questions = [wq.question for wq in wave.questions if wq.question.kind != "text"]
    estimates = estimate_wave(responses, questions, wave=wave.name, method=method, conf_level=conf_level,
                              simultaneous_method=simultaneous_method, synthetic=wave.synthetic)
    published = published_estimates(estimates)
    write_table_csv(published, path)
    return published
