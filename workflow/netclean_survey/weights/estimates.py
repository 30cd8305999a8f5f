"""Weighted shares of every question and option, with the intervals of R's ``svyciprop``.

The base of a question is the same as unweighted (``estimate.shares.answered_counts``: the
respondents asked who answered); its answering respondents, with their weights, are the sample of
the question's shares, as ``svydesign(ids = ~1, weights = ~w, data = <those rows>)`` in R. (R's
domain estimation, ``subset()`` of the whole design, differs only in the finite-sample factor: n/(n-1)
of all respondents instead of the answering ones, and its degrees of freedom.) The weights are taken
as given: a raked design's calibration, which R's ``rake`` design credits with a smaller variance, is
not credited here, so the intervals are, if anything, conservative.

Columns (:data:`WEIGHTED_ESTIMATE_COLUMNS`): the unweighted base ``n`` and ``count`` (respondents),
the weighted ``share`` with its interval (``ci_method`` korn-graubard or logit), the unweighted share
beside it, and Kish's effective sample size and design effect of the question's weights (one pair per
question, the same on each of its options).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..core.codebook import Question
from ..estimate.intervals import check_conf_level
from ..estimate.shares import answered_counts, option_indicators
from .intervals import kish_design_effect, kish_effective_n, korn_graubard_interval, logit_interval, weighted_share

#: Interval methods for a weighted share, by their config name.
WEIGHTED_INTERVALS = {"korn-graubard": korn_graubard_interval, "logit": logit_interval}

#: Columns of :func:`weighted_estimate_question`, in order.
WEIGHTED_ESTIMATE_COLUMNS = (
    "question", "kind", "option", "label_sv", "label_en", "n", "count", "unweighted_share", "share", "ci_low",
    "ci_high", "ci_method", "conf_level", "n_effective", "design_effect",
)


def check_weighted_interval(method: str) -> str:
    if method not in WEIGHTED_INTERVALS:
        raise ValueError(f"unknown interval method for weighted shares {method!r}; use one of {sorted(WEIGHTED_INTERVALS)}")
    return method


def weighted_estimate_question(responses: pd.DataFrame, question: Question, weights: pd.Series,
                               method: str = "korn-graubard", conf_level: float = 0.95) -> pd.DataFrame:
    """One row per option of ``question`` (codebook order): :data:`WEIGHTED_ESTIMATE_COLUMNS`.

    ``weights`` has one positive weight per row of ``responses`` (same index). With fewer than two
    answering respondents the weighted figures are NaN; a share of 0 or 1 has no interval (NaN), as
    in R."""
    interval = WEIGHTED_INTERVALS[check_weighted_interval(method)]
    level = check_conf_level(conf_level)
    if not weights.index.equals(responses.index):
        raise ValueError(f"{question.id}: the weights are not those of the responses (their rows differ)")
    _, answered, counts = answered_counts(responses, question)
    n, k = int(answered.sum()), len(question.options)
    w = weights.to_numpy(dtype=float)[answered.to_numpy()]
    nan = np.full(k, np.nan)
    share, low, high = nan.copy(), nan.copy(), nan.copy()
    n_eff = design_effect = np.nan
    if n >= 2:
        ticks = option_indicators(responses, question, answered)
        for j in range(k):
            share[j] = weighted_share(ticks[:, j], w)[0]
            low[j], high[j] = interval(ticks[:, j], w, level)
        n_eff, design_effect = kish_effective_n(w), kish_design_effect(w)
    table = pd.DataFrame({
        "question": question.id, "kind": question.kind, "option": list(question.option_ids),
        "label_sv": [o.sv for o in question.options], "label_en": [o.en for o in question.options],
        "n": n, "count": counts, "unweighted_share": counts / n if n else nan, "share": share,
        "ci_low": low, "ci_high": high, "ci_method": method, "conf_level": level,
        "n_effective": n_eff, "design_effect": design_effect,
    }, columns=list(WEIGHTED_ESTIMATE_COLUMNS))
    return table.astype({"n": "int64", "count": "int64"})


def weighted_estimate_wave(responses: pd.DataFrame, questions: Sequence[Question], weights: pd.Series, wave: str,
                           weighting: str, method: str = "korn-graubard", conf_level: float = 0.95,
                           synthetic: bool = False) -> pd.DataFrame:
    """:func:`weighted_estimate_question` for every non-text question, with a first column ``wave``,
    then ``weighting`` (how the weights were made, e.g. "raked: respondent_region"), and a last column
    ``synthetic``."""
    tables = [weighted_estimate_question(responses, q, weights, method, conf_level)
              for q in questions if q.kind != "text"]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=list(WEIGHTED_ESTIMATE_COLUMNS))
    table.insert(0, "weighting", weighting)
    table.insert(0, "wave", str(wave))
    table["synthetic"] = "true" if synthetic else "false"
    return table


def read_weighted_estimates(path) -> pd.DataFrame:
    """Read weights/estimates.csv as :func:`weighted_estimate_wave` made it (text as text, numbers as
    numbers, an empty number NaN)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = ["wave", "weighting", *WEIGHTED_ESTIMATE_COLUMNS, "synthetic"]
    if list(table.columns) != expected:
        raise ValueError(f"{path}: columns {list(table.columns)} are not those of weighted estimates {expected}")
    for column in ("n", "count"):
        table[column] = pd.to_numeric(table[column], errors="raise").astype("int64")
    for column in ("unweighted_share", "share", "ci_low", "ci_high", "conf_level", "n_effective", "design_effect"):
        table[column] = pd.to_numeric(table[column].replace("", np.nan), errors="raise").astype("float64")
    return table
