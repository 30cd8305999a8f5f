"""Options and questions compared within the same weighted respondents (one wave): the weighted
counterparts of ``compare.paired.compare_options`` and of the mean-score shift of
``compare.paired.compare_paired_questions``, for the claims audit with weights.

Each comparison is a weighted mean of a respondent-level difference d_i (ticked option j minus
ticked option k; second question's mean score minus the first's) on a design with weights only
(R: ``svydesign(ids = ~1, weights = ~w)``), with the linearisation variance of
:func:`.intervals.weighted_mean`:

- :func:`weighted_option_pairs`: every pair of options, the Wald interval and z test of ``svymean``
  and ``confint`` (the normal quantile), Holm over the pairs;
- :func:`weighted_score_shift`: the shift of the mean score, with t on n - 2 degrees of freedom, as
  R's ``svyttest(d ~ 0, design)`` gives it (the design's n - 1 degrees of freedom less one for the
  mean; survey 4.x).

McNemar's exact test and Newcombe's paired interval, which the unweighted audit uses, are tests of
counts: with weights the respondents no longer count alike, so the design-based Wald forms replace
them (Lumley 2010, section 2.3). No maintained Python library has them for survey weights: written
here, from the one weighted mean of :mod:`.intervals`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..compare.multiple import holm_adjust
from ..compare.paired import mean_scores, paired_answers
from ..estimate.intervals import check_conf_level
from .differences import wald_interval
from .intervals import weighted_mean

#: ``ci_method`` of a weighted paired difference of options.
WEIGHTED_PAIR_METHOD = "Wald on the weighted mean of the paired differences, linearisation variance"
#: ``test`` of a weighted paired difference of options.
WEIGHTED_PAIR_TEST = "Wald z, linearisation variance"
#: ``ci_method`` and ``test`` of the weighted shift of a mean score.
WEIGHTED_SHIFT_METHOD = "weighted mean of the paired score differences, linearisation variance, t on n - 2 df (R svyttest)"

#: Columns of :func:`weighted_option_pairs` (those of ``compare.paired.PAIR_COLUMNS`` the audit reads).
WEIGHTED_PAIR_COLUMNS = ("option_first", "option_second", "n", "share_first", "share_second", "difference", "ci_low",
                         "ci_high", "p_value", "p_holm")


def weighted_option_pairs(ticks: pd.DataFrame, weights, options: Sequence[str], conf_level: float = 0.95
                          ) -> pd.DataFrame:
    """Every pair of ``options`` of one question over the same respondents (``ticks``: respondents x
    options, 0/1; ``weights``: one per respondent), in ``compare_options``' order (o1, o2), (o1, o3),
    ..., (o2, o3): both weighted shares, ``difference`` = first - second with its Wald interval and
    z test's ``p_value``, and ``p_holm`` over the pairs."""
    level = check_conf_level(conf_level)
    options = list(options)
    if len(options) < 2 or len(set(options)) != len(options):
        raise ValueError(f"comparing options needs at least two distinct options, got {options}")
    x = ticks[options].to_numpy(dtype=float)
    w = np.asarray(weights, dtype=float)
    rows = []
    for i in range(len(options)):
        for j in range(i + 1, len(options)):
            share_i, share_j = weighted_mean(x[:, i], w)[0], weighted_mean(x[:, j], w)[0]
            difference, variance = weighted_mean(x[:, i] - x[:, j], w)
            low, high, p_value = wald_interval(difference, variance, level)
            rows.append({"option_first": options[i], "option_second": options[j], "n": len(w),
                         "share_first": share_i, "share_second": share_j, "difference": difference, "ci_low": low,
                         "ci_high": high, "p_value": p_value})
    pairs = pd.DataFrame(rows, columns=list(WEIGHTED_PAIR_COLUMNS[:-1]))
    pairs["p_holm"] = holm_adjust(pairs["p_value"].to_numpy(dtype=float))
    return pairs


def weighted_score_shift(first: pd.DataFrame, second: pd.DataFrame, scores: Mapping[str, float],
                         weights: pd.Series, conf_level: float = 0.95) -> dict:
    """Where the answers of two tick-all questions sit, weighted: each respondent's mean score of the
    options ticked in ``second`` minus in ``first`` (the respondents ``compare_paired_questions``
    scores), its weighted mean and t interval. ``weights`` is indexed like the frames (respondents).
    Keys: n_answered_both, n, mean_first, mean_second, mean_difference, ci_low, ci_high, p_value,
    ci_method, conf_level."""
    level = check_conf_level(conf_level)
    _, score, x, y, answered, scored = paired_answers(first, second, scores)
    mean_first, mean_second = mean_scores(x, y, score, scored)
    respondents = answered[scored]
    missing = respondents.difference(weights.index)
    if len(missing):
        raise ValueError(f"{len(missing)} respondent(s) without a weight")
    w = weights.loc[respondents].to_numpy(dtype=float)
    m = len(w)
    nan = float("nan")
    out = {"n_answered_both": len(answered), "n": m, "mean_first": nan, "mean_second": nan, "mean_difference": nan,
           "ci_low": nan, "ci_high": nan, "p_value": nan, "ci_method": WEIGHTED_SHIFT_METHOD, "conf_level": level}
    if m < 3:  # svyttest's n - 2 degrees of freedom
        return out
    shift, variance = weighted_mean(mean_second - mean_first, w)
    se = float(np.sqrt(variance))
    df = m - 2
    quantile = float(stats.t.ppf(1 - (1 - level) / 2, df))
    out.update(mean_first=weighted_mean(mean_first, w)[0], mean_second=weighted_mean(mean_second, w)[0],
               mean_difference=shift, ci_low=shift - quantile * se, ci_high=shift + quantile * se,
               p_value=float(2 * stats.t.sf(abs(shift / se), df)) if se > 0 else nan)
    return out
