"""Paired comparisons within one wave: options of a tick-all question against each other.

In a tick-all (check all that apply) question every respondent in the base answers every option,
so two options' shares come from the same respondents and are compared as paired proportions:
"Asia is named less often than Europe" is a statement about the discordant respondents, who
ticked one of the two options but not the other. Pure functions: numpy/pandas in, DataFrames and
dicts out, no file I/O.

What comes from maintained libraries and what is written here:

- McNemar's exact test: ``statsmodels.stats.contingency_tables.mcnemar(exact=True)``
  (two-sided binomial test of the discordant pairs, McNemar 1947).
- Cochran's Q: ``statsmodels.stats.contingency_tables.cochrans_q`` (Cochran 1950); this module
  only guards its degenerate inputs (see :func:`cochrans_q`).
- Holm's step-down adjustment: ``statsmodels.stats.multitest.multipletests(method="holm")``
  (Holm 1979).
- Paired t interval and test: ``scipy.stats.ttest_rel``; Wilcoxon signed-rank test:
  ``scipy.stats.wilcoxon`` (Wilcoxon 1945).
- Normal-approximation intervals and z-tests of a mean and of a difference of independent means:
  ``statsmodels.stats.weightstats.DescrStatsW`` and ``CompareMeans``.
- Written here, because no maintained Python library has it: the score-based square-and-add
  interval for the difference of two paired proportions, Newcombe (1998b) method 10
  (:func:`paired_difference_interval`). It uses the Wilson (1927) intervals of the two marginal
  proportions (statsmodels, through :func:`netclean_survey.estimate.intervals.proportion_interval`).

References
----------
- McNemar, Q. (1947). Note on the sampling error of the difference between correlated
  proportions or percentages. *Psychometrika* 12(2), 153-157.
- Cochran, W. G. (1950). The comparison of percentages in matched samples. *Biometrika*
  37(3/4), 256-266.
- Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin* 1(6),
  80-83.
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2), 65-70.
- Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  *Journal of the American Statistical Association* 22(158), 209-212.
- Newcombe, R. G. (1998b). Improved confidence intervals for the difference between binomial
  proportions based on paired data. *Statistics in Medicine* 17(22), 2635-2650.
- Fagerland, M. W., Lydersen, S. and Laake, P. (2014). Recommended tests and confidence
  intervals for paired binomial proportions. *Statistics in Medicine* 33(16), 2850-2875; and
  (2017) *Statistical Analysis of Contingency Tables*, Chapter 8 (published values used by the
  tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import cochrans_q as _sm_cochrans_q
from statsmodels.stats.contingency_tables import mcnemar as _sm_mcnemar
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from ..estimate.intervals import check_conf_level, proportion_interval
from .multiple import holm_adjust
from .results import CochranQTest, McNemarTest, MeanScoreTest

#: ``ci_method`` of the paired difference interval.
PAIRED_INTERVAL_METHOD = "Newcombe (1998b) method 10"


#: ``test`` of the pairwise comparisons.
MCNEMAR_TEST = "McNemar exact (binomial)"


#: ``test`` of the overall comparison of three or more options.
COCHRAN_TEST = "Cochran's Q (chi-square approximation)"




#: Interval, test and robustness check of :func:`compare_paired_questions`' summary.
MEAN_SCORE_INTERVAL_METHOD = "paired t (scipy.stats.ttest_rel)"
MEAN_SCORE_TEST = "paired t-test (scipy.stats.ttest_rel)"
MEAN_SCORE_ROBUSTNESS_TEST = "Wilcoxon signed-rank (scipy.stats.wilcoxon, zero_method='wilcox')"


#: ``ci_method`` of :func:`gap_contrast`'s rows: one wave, and the difference of two waves.
GAP_INTERVAL_METHOD = "Wald on respondent-level contrast scores"
GAP_DIFFERENCE_INTERVAL_METHOD = "Wald on respondent-level contrast scores, independent samples (variances add)"


#: Columns shared by :data:`PAIR_COLUMNS` and :data:`OPTION_COLUMNS` after the option names.
_RESULT_COLUMNS = (
    "n",
    "both",
    "only_first",
    "only_second",
    "neither",
    "share_first",
    "share_second",
    "difference",
    "ci_low",
    "ci_high",
    "ci_method",
    "conf_level",
    "test",
    "p_value",
    "p_holm",
)


#: Columns of :func:`compare_options`' pairs table, in order.
PAIR_COLUMNS = ("option_first", "option_second", *_RESULT_COLUMNS)


#: Columns of :func:`compare_paired_questions`' per-option table, in order.
OPTION_COLUMNS = ("option", *_RESULT_COLUMNS)


#: Columns of :func:`gap_contrast`, in order.
GAP_COLUMNS = ("group", "n", "estimate", "ci_low", "ci_high", "ci_method", "conf_level", "p_value")
_COUNT_COLUMNS = ("n", "both", "only_first", "only_second", "neither")
_FLOAT_COLUMNS = (
    "share_first",
    "share_second",
    "difference",
    "ci_low",
    "ci_high",
    "conf_level",
    "p_value",
    "p_holm",
)


def _indicators(values, what: str) -> np.ndarray:
    """``values`` (array-like, Series or DataFrame) as an int64 array of 0/1.

    ValueError if any value is missing, non-numeric, or other than 0/1 (True/False).
    """
    try:
        if isinstance(values, (pd.DataFrame, pd.Series)):
            array = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must hold 0/1 or True/False values, got non-numeric values") from None
    missing = int(np.isnan(array).sum())
    if missing:
        raise ValueError(
            f"{what} has {missing} missing value(s); every respondent in the base answers every option "
            "(drop the respondents outside the base first)"
        )
    bad = (array != 0) & (array != 1)
    if bad.any():
        shown = sorted({float(v) for v in array[bad].ravel()})[:5]
        raise ValueError(f"{what} must hold only 0/1 or True/False, got {shown}")
    return array.astype(np.int64)


def _check_frame(frame, what: str) -> pd.DataFrame:
    """ValueError unless ``frame`` is a DataFrame with unique column names."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame (respondents x options), got {type(frame).__name__}")
    if frame.columns.has_duplicates:
        repeated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ValueError(f"{what} has repeated option columns {repeated}")
    return frame


def _answered_rows(frame: pd.DataFrame, what: str) -> pd.Series:
    """True for rows with every option column present; ValueError for partially missing rows."""
    present = frame.notna()
    answered = present.all(axis=1)
    partial = int((present.any(axis=1) & ~answered).sum())
    if partial:
        raise ValueError(f"{what}: {partial} row(s) have some option columns missing and others not")
    return answered


def paired_difference_interval(both, only_first, only_second, neither, conf_level: float = 0.95):
    """Confidence interval ``(low, high)`` for the difference of two paired proportions.

    The respondents are cross-classified by two yes/no items (here: ticked option 1, ticked
    option 2)::

                         second yes    second no
        first yes        both          only_first
        first no         only_second   neither

    with n = both + only_first + only_second + neither, p_first = (both + only_first) / n,
    p_second = (both + only_second) / n and the difference
    D = p_first - p_second = (only_first - only_second) / n.

    Method 10 of Newcombe (1998b), "Improved confidence intervals for the difference between
    binomial proportions based on paired data", *Statistics in Medicine* 17, 2635-2650: a
    score-based square-and-add (MOVER) interval. With (l1, u1) and (l2, u2) the Wilson (1927)
    score intervals (no continuity correction) for p_first and p_second,

        low  = D - sqrt((p_first - l1)^2 - 2 phi (p_first - l1)(u2 - p_second) + (u2 - p_second)^2)
        high = D + sqrt((p_second - l2)^2 - 2 phi (p_second - l2)(u1 - p_first) + (u1 - p_first)^2)

    where phi is Newcombe's continuity-corrected estimate of the correlation between the two
    items: with A = both * neither - only_first * only_second and
    P = (both + only_first)(only_second + neither)(both + only_second)(only_first + neither),

        phi = (A - n/2) / sqrt(P)  if A > n/2,
        phi = 0                    if 0 <= A <= n/2,
        phi = A / sqrt(P)          if A < 0,

    and phi = 0 when P = 0 (a margin is empty; the correlation is undefined). This is the
    version of Fagerland, Lydersen & Laake (2014; 2017, Chapter 8, "Newcombe square-and-add")
    and of R ``contingencytables::Newcombe_square_and_add_CI_paired_2x2``; with the plain phi
    coefficient instead of the corrected one the limits differ (the tests check both).

    No maintained Python library implements this interval (statsmodels has the paired tests
    but no interval for the paired difference), hence it is written here; the Wilson limits
    are statsmodels' (through :func:`netclean_survey.estimate.intervals.proportion_interval`).

    Vectorised: scalars give a pair of floats, arrays (broadcast together) a pair of float
    arrays. Counts need not be integers (weighted counts) but must be non-negative. Where
    n == 0 both limits are NaN. The limits lie in [-1, 1] by construction (they are clipped
    there only against rounding).

    Raises ValueError for a negative or missing count or a conf_level outside (0, 1).
    """
    level = check_conf_level(conf_level)
    inputs = (both, only_first, only_second, neither)
    scalar = all(np.ndim(x) == 0 for x in inputs)
    try:
        a, b, c, d = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in inputs))
    except (TypeError, ValueError) as error:
        raise ValueError(f"the four cell counts must be numbers that broadcast together: {error}") from None
    bad = ~((a >= 0) & (b >= 0) & (c >= 0) & (d >= 0))  # NaN fails too
    if bad.any():
        cells = ", ".join(
            f"(both={w:g}, only_first={x:g}, only_second={y:g}, neither={z:g})"
            for w, x, y, z in zip(a[bad][:5], b[bad][:5], c[bad][:5], d[bad][:5])
        )
        raise ValueError(f"cell counts must be non-negative numbers, got {cells}")

    n = a + b + c + d
    empty = n == 0
    safe_n = np.where(empty, 1.0, n)
    p1 = (a + b) / safe_n
    p2 = (a + c) / safe_n
    l1, u1 = proportion_interval(a + b, n, method="wilson", conf_level=level)
    l2, u2 = proportion_interval(a + c, n, method="wilson", conf_level=level)
    l1, u1, l2, u2 = (np.asarray(v, dtype=float) for v in (l1, u1, l2, u2))

    margins = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    corrected = np.where(cross > n / 2, cross - n / 2, np.where(cross < 0, cross, 0.0))
    phi = np.where(margins > 0, corrected / np.sqrt(np.where(margins > 0, margins, 1.0)), 0.0)

    diff = p1 - p2
    down_first, up_second = p1 - l1, u2 - p2
    down_second, up_first = p2 - l2, u1 - p1
    low = diff - np.sqrt(np.maximum(down_first**2 - 2 * phi * down_first * up_second + up_second**2, 0.0))
    high = diff + np.sqrt(np.maximum(down_second**2 - 2 * phi * down_second * up_first + up_first**2, 0.0))
    low = np.where(empty, np.nan, np.clip(low, -1.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, -1.0, 1.0))
    if scalar:
        return float(low), float(high)
    return low, high


def _paired_records(both, only_first, only_second, neither, level: float) -> dict[str, np.ndarray]:
    """Shares, Newcombe interval and McNemar exact p-value for each of a set of 2x2 tables."""
    a, b, c, d = (np.asarray(x, dtype=np.int64).reshape(-1) for x in (both, only_first, only_second, neither))
    n = a + b + c + d
    safe_n = np.where(n == 0, 1, n)
    share_first = np.where(n == 0, np.nan, (a + b) / safe_n)
    share_second = np.where(n == 0, np.nan, (a + c) / safe_n)
    low, high = paired_difference_interval(a, b, c, d, conf_level=level)
    p_value = np.array(
        [
            np.nan if size == 0 else float(_sm_mcnemar([[w, x], [y, z]], exact=True).pvalue)
            for w, x, y, z, size in zip(a, b, c, d, n)
        ],
        dtype=float,
    )
    k = len(n)
    return {
        "n": n,
        "both": a,
        "only_first": b,
        "only_second": c,
        "neither": d,
        "share_first": share_first,
        "share_second": share_second,
        "difference": share_first - share_second,
        "ci_low": np.asarray(low, dtype=float).reshape(-1),
        "ci_high": np.asarray(high, dtype=float).reshape(-1),
        "ci_method": [PAIRED_INTERVAL_METHOD] * k,
        "conf_level": np.full(k, level),
        "test": [MCNEMAR_TEST] * k,
        "p_value": p_value,
    }


def mcnemar_exact(first, second, conf_level: float = 0.95) -> McNemarTest:
    """McNemar's exact test and the paired difference of two yes/no items over the same respondents.

    ``first`` and ``second`` are 0/1 (or bool) arrays, one entry per respondent, in the same
    order. Returns a dict with ``n``, the four cells ``both``, ``only_first``, ``only_second``,
    ``neither``, ``share_first``, ``share_second``, ``difference`` (share_first - share_second),
    ``ci_low``, ``ci_high`` (:func:`paired_difference_interval`), ``ci_method``
    (:data:`PAIRED_INTERVAL_METHOD`), ``conf_level``, ``test`` (:data:`MCNEMAR_TEST`) and
    ``p_value``: the two-sided exact (binomial) McNemar test of statsmodels,
    ``mcnemar(table, exact=True)``, 2 * P(Bin(only_first + only_second, 1/2) <= min(only_first,
    only_second)) capped at 1 (it is 1 when there are no discordant respondents).

    With no respondents the shares, interval and p-value are NaN. ValueError if the arrays are
    not one-dimensional, differ in length, or hold anything but 0/1 (missing values included).
    """
    level = check_conf_level(conf_level)
    x = _indicators(first, "first")
    y = _indicators(second, "second")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"first and second must be one-dimensional, got shapes {x.shape} and {y.shape}")
    if x.shape != y.shape:
        raise ValueError(f"first and second must cover the same respondents, got lengths {x.size} and {y.size}")
    cells = (
        int(np.sum(x & y)),
        int(np.sum(x & (1 - y))),
        int(np.sum((1 - x) & y)),
        int(np.sum((1 - x) & (1 - y))),
    )
    record = _paired_records(*cells, level=level)
    out = {}
    for key, value in record.items():
        item = value[0]
        if key in _COUNT_COLUMNS:
            out[key] = int(item)
        elif isinstance(item, str):
            out[key] = item
        else:
            out[key] = float(item)
    return McNemarTest(**out)


def cochrans_q(matrix) -> CochranQTest:
    """Cochran's Q test that k paired yes/no items have the same proportion of yes.

    ``matrix`` is respondents x options, 0/1 (or bool); a DataFrame or anything numpy reads.
    The statistic is statsmodels' ``cochrans_q``:

        Q = (k - 1) [k sum_j C_j^2 - N^2] / (k N - sum_i R_i^2),

    with C_j the column (option) totals, R_i the row (respondent) totals and N the grand
    total, referred to chi-square with k - 1 degrees of freedom (Cochran 1950). Respondents
    who ticked all or none of the options do not affect Q.

    Returns a dict with ``test`` (:data:`COCHRAN_TEST`), ``statistic``, ``df`` (k - 1),
    ``p_value`` and ``n`` (respondents).

    Degenerate inputs, guarded here rather than passed to statsmodels (which divides 0 by 0, and
    treats an all-zero matrix's 0 as the "success" value): with no respondents the statistic and
    p-value are NaN; when no respondent ticked some but not all options the option totals are
    necessarily equal, so Q is 0 and the p-value 1 (as statsmodels' exact McNemar gives 1 when
    there are no discordant pairs).

    ValueError if the matrix is not two-dimensional, has fewer than two columns, or holds
    anything but 0/1 (missing values included).
    """
    x = _indicators(matrix, "matrix")
    if x.ndim != 2:
        raise ValueError(f"matrix must be two-dimensional (respondents x options), got shape {x.shape}")
    n, k = x.shape
    if k < 2:
        raise ValueError(f"Cochran's Q compares at least two options, got {k}")
    result = CochranQTest(test=COCHRAN_TEST, statistic=np.nan, df=int(k - 1), p_value=np.nan, n=int(n))
    if n == 0:
        return result
    rows = x.sum(axis=1)
    if not ((rows > 0) & (rows < k)).any():
        return replace(result, statistic=0.0, p_value=1.0)
    q = _sm_cochrans_q(x)
    return replace(result, statistic=float(q.statistic), p_value=float(q.pvalue), df=int(q.df))


def _results_frame(first_columns: dict, record: dict[str, np.ndarray], columns: Sequence[str]) -> pd.DataFrame:
    """Lay out ``first_columns`` and a :func:`_paired_records` record with ``p_holm`` as a table."""
    data = dict(first_columns) | record | {"p_holm": holm_adjust(record["p_value"])}
    table = pd.DataFrame(data, columns=list(columns))
    return table.astype({c: "int64" for c in _COUNT_COLUMNS} | {c: "float64" for c in _FLOAT_COLUMNS})


def compare_options(ticks: pd.DataFrame, options: Sequence[str] | None = None, conf_level: float = 0.95):
    """Every pair of options of one tick-all question, compared within the same respondents.

    ``ticks`` is respondents (in the base of the question) x options, bool or 0/1 without
    missing values. ``options`` chooses and orders the options (default: all columns in
    order); at least two.

    Returns ``(pairs, overall)``:

    - ``pairs``: one row per pair in the given order, (o1, o2), (o1, o3), ..., (o2, o3), ...,
      with columns :data:`PAIR_COLUMNS`: the 2x2 cells (``both``, ``only_first``,
      ``only_second``, ``neither``), both shares, ``difference`` = share_first - share_second
      with its :func:`paired_difference_interval` (Newcombe 1998b method 10), McNemar's exact
      ``p_value`` (:func:`mcnemar_exact`) and ``p_holm``, the Holm (1979) adjusted p-value over
      all the pairs of the table (statsmodels ``multipletests(method="holm")``).
    - ``overall``: for three or more options :func:`cochrans_q` over them; for two, the
      :func:`mcnemar_exact` dict of the single pair. Either way with a key ``options`` (the
      option names, in order).

    ValueError for an unknown, repeated or missing option, fewer than two options, or tick
    values other than 0/1.
    """
    level = check_conf_level(conf_level)
    _check_frame(ticks, "ticks")
    if options is None:
        chosen = list(ticks.columns)
    elif isinstance(options, str):
        raise ValueError(f"options must be a sequence of option names, got the string {options!r}")
    else:
        chosen = list(options)
    repeated = sorted({str(o) for o in chosen if chosen.count(o) > 1})
    if repeated:
        raise ValueError(f"options are repeated: {repeated}")
    unknown = [o for o in chosen if o not in ticks.columns]
    if unknown:
        raise ValueError(f"options {unknown} are not columns of ticks ({list(ticks.columns)})")
    if len(chosen) < 2:
        raise ValueError(f"comparing options needs at least two, got {chosen}")

    x = _indicators(ticks[chosen], "ticks")
    n = x.shape[0]
    totals = x.sum(axis=0)
    joint = x.T @ x
    i, j = np.triu_indices(len(chosen), k=1)
    both = joint[i, j]
    only_first = totals[i] - both
    only_second = totals[j] - both
    neither = n - both - only_first - only_second
    record = _paired_records(both, only_first, only_second, neither, level)
    names = {"option_first": [chosen[a] for a in i], "option_second": [chosen[b] for b in j]}
    pairs = _results_frame(names, record, PAIR_COLUMNS)

    if len(chosen) >= 3:
        overall = cochrans_q(x)
    else:
        overall = mcnemar_exact(x[:, 0], x[:, 1], conf_level=level)
    return pairs, replace(overall, options=list(chosen))


def paired_answers(first: pd.DataFrame, second: pd.DataFrame, scores: Mapping[str, float]):
    """The respondents of two tick-all questions with the same options (:func:`compare_paired_questions`'
    input, checked as it says): (options, their scores, first's and second's 0/1 matrices of the
    respondents who answered both, those respondents' index labels, which of them ticked an option in
    each (a mean score on both))."""
    _check_frame(first, "first")
    _check_frame(second, "second")
    options = list(first.columns)
    if set(options) != set(second.columns):
        only_in_first = [o for o in options if o not in second.columns]
        only_in_second = [o for o in second.columns if o not in options]
        raise ValueError(
            f"first and second must have the same options; only in first: {only_in_first}, "
            f"only in second: {only_in_second}"
        )
    if not options:
        raise ValueError("first and second have no option columns")
    if not isinstance(scores, Mapping):
        raise ValueError(f"scores must be a mapping option -> number, got {type(scores).__name__}")
    missing = [o for o in options if o not in scores]
    extra = [o for o in scores if o not in options]
    if missing or extra:
        raise ValueError(f"scores must score exactly the options; missing: {missing}, not options: {extra}")
    try:
        score = np.array([float(scores[o]) for o in options])
    except (TypeError, ValueError):
        raise ValueError(f"scores must be numbers, got {dict(scores)}") from None
    if not np.isfinite(score).all():
        raise ValueError(f"scores must be finite numbers, got {dict(scores)}")
    for frame, what in ((first, "first"), (second, "second")):
        if frame.index.has_duplicates:
            raise ValueError(f"{what} has repeated respondent index labels; respondents must be indexed uniquely")

    common = first.index[first.index.isin(second.index)]
    one = first.loc[common, options]
    two = second.loc[common, options]
    answered = _answered_rows(one, "first") & _answered_rows(two, "second")
    x = _indicators(one[answered], "first")
    y = _indicators(two[answered], "second")
    scored = (x.sum(axis=1) > 0) & (y.sum(axis=1) > 0)
    return options, score, x, y, common[answered.to_numpy()], scored


def mean_scores(x: np.ndarray, y: np.ndarray, score: np.ndarray, scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each scored respondent's mean score of the options ticked in the first and in the second
    question (:func:`paired_answers`' matrices)."""
    return (x[scored] @ score) / x[scored].sum(axis=1), (y[scored] @ score) / y[scored].sum(axis=1)


def compare_paired_questions(
    first: pd.DataFrame,
    second: pd.DataFrame,
    scores: Mapping[str, float],
    conf_level: float = 0.95,
):
    """Two tick-all questions with the same options, answered by the same respondents.

    E.g. the ages of the children in grooming cases (``first``) against those in extortion
    cases (``second``). Both frames are respondents x options (bool, 0/1, or nullable boolean
    with a whole row missing for a respondent outside the question's base), indexed by
    respondent alike; the options (columns) must be the same (``second`` is reordered to
    ``first``'s order). The respondents compared are those present in both frames with
    non-missing rows in both. ``scores`` gives every option a number (e.g. the midpoints 2, 6,
    9, 12, 15, 17 of age brackets).

    Returns ``(per_option, summary)``:

    - ``per_option``: one row per option (``first``'s order), columns :data:`OPTION_COLUMNS`:
      ticked in first vs ticked in second, the 2x2 cells, both shares, ``difference`` =
      share_first - share_second with its Newcombe (1998b) method 10 interval, McNemar's exact
      ``p_value`` and ``p_holm`` (Holm over the options).
    - ``summary``, "where the distribution sits": each respondent's score on a question is the
      mean score of the options ticked there; respondents who ticked no option in either
      question have no score and are left out (``n_without_score``). Keys: ``n_answered_both``,
      ``n`` (respondents with a score on both), ``n_without_score``, ``score`` (the rule),
      ``scores``, ``mean_first``, ``mean_second``, ``mean_difference`` = mean_second -
      mean_first (note: second minus first, unlike the per-option ``difference``), ``ci_low``,
      ``ci_high`` (the paired t interval, ``ci_method`` :data:`MEAN_SCORE_INTERVAL_METHOD`),
      ``conf_level``, ``test`` (:data:`MEAN_SCORE_TEST`), ``statistic`` (t), ``df``,
      ``p_value``, and as a robustness check ``robustness_test``
      (:data:`MEAN_SCORE_ROBUSTNESS_TEST`, zero differences dropped) and
      ``robustness_p_value``. With fewer than two scored respondents the interval and tests are
      NaN; when every difference is zero the Wilcoxon p-value is 1.

    ValueError if the frames' options differ, an index has repeated labels, a row is partly
    missing, a value is not 0/1, or ``scores`` does not give exactly the options finite
    numbers.
    """
    level = check_conf_level(conf_level)
    options, score, x, y, answered, scored = paired_answers(first, second, scores)
    both = (x & y).sum(axis=0)
    only_first = (x & (1 - y)).sum(axis=0)
    only_second = ((1 - x) & y).sum(axis=0)
    neither = ((1 - x) & (1 - y)).sum(axis=0)
    record = _paired_records(both, only_first, only_second, neither, level)
    per_option = _results_frame({"option": options}, record, OPTION_COLUMNS)

    mean_x, mean_y = mean_scores(x, y, score, scored)
    m = int(scored.sum())
    summary = {
        "n_answered_both": len(answered),
        "n": m,
        "n_without_score": len(answered) - m,
        "score": "mean score of the options ticked",
        "scores": {o: float(s) for o, s in zip(options, score)},
        "mean_first": float(mean_x.mean()) if m else np.nan,
        "mean_second": float(mean_y.mean()) if m else np.nan,
        "mean_difference": float((mean_y - mean_x).mean()) if m else np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "ci_method": MEAN_SCORE_INTERVAL_METHOD,
        "conf_level": level,
        "test": MEAN_SCORE_TEST,
        "statistic": np.nan,
        "df": np.nan,
        "p_value": np.nan,
        "robustness_test": MEAN_SCORE_ROBUSTNESS_TEST,
        "robustness_p_value": np.nan,
    }
    if m >= 2:
        differences = mean_y - mean_x
        with np.errstate(divide="ignore", invalid="ignore"):
            t = stats.ttest_rel(mean_y, mean_x)
            interval = t.confidence_interval(confidence_level=level)
        summary.update(
            ci_low=float(interval.low),
            ci_high=float(interval.high),
            statistic=float(t.statistic),
            df=float(t.df),
            p_value=float(t.pvalue),
        )
        if np.all(differences == 0):
            summary["robustness_p_value"] = 1.0
        else:
            summary["robustness_p_value"] = float(stats.wilcoxon(differences, zero_method="wilcox").pvalue)
    return per_option, MeanScoreTest(**summary)


def _gap_row(group: str, scores: np.ndarray, alpha: float, level: float) -> dict:
    """Mean contrast score with its Wald interval and z-test of zero (statsmodels DescrStatsW)."""
    n = int(scores.size)
    row = {
        "group": group,
        "n": n,
        "estimate": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "ci_method": GAP_INTERVAL_METHOD,
        "conf_level": level,
        "p_value": np.nan,
    }
    if n == 0:
        return row
    described = DescrStatsW(scores)
    row["estimate"] = float(described.mean)
    if n >= 2:
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = described.zconfint_mean(alpha=alpha)
            _, p_value = described.ztest_mean(value=0.0)
        row.update(ci_low=float(low), ci_high=float(high), p_value=float(p_value))
    return row


def gap_contrast(
    ticks_a: pd.DataFrame,
    ticks_b: pd.DataFrame,
    weights: Mapping[str, float],
    conf_level: float = 0.95,
    labels: tuple[str, str] = ("a", "b"),
) -> pd.DataFrame:
    """A contrast of options within each of two waves, and its change from wave a to wave b.

    ``ticks_a`` and ``ticks_b`` are respondents (in the base) x options, bool or 0/1 without
    missing values, from two independent samples (waves); they may have more columns than
    ``weights`` names. ``weights`` defines the contrast, e.g. Asia minus the mean of North
    America and Europe: ``{"asia": 1, "north_america": -0.5, "europe": -0.5}`` (contrasts
    usually sum to zero; this is not required).

    For each wave the gap is the mean over respondents of d_i = sum_j w_j x_ij, which equals
    the same contrast of the options' shares; its variance is estimated from the
    respondent-level scores d_i, which accounts for the correlation between options within a
    respondent: Var(gap) = s_d^2 / n (s_d the sample standard deviation, ddof 1). The interval
    is gap -/+ z s_d / sqrt(n) and the p-value that of the two-sided z-test of gap = 0
    (``ci_method`` :data:`GAP_INTERVAL_METHOD`; statsmodels ``DescrStatsW.zconfint_mean`` and
    ``ztest_mean``). The difference of the gaps b - a, the samples being independent, has
    variance Var(gap_a) + Var(gap_b), with the matching Wald interval and z-test
    (:data:`GAP_DIFFERENCE_INTERVAL_METHOD`; statsmodels ``CompareMeans.zconfint_diff`` and
    ``ztest_ind`` with ``usevar="unequal"``). Normal approximations: fine for the survey's
    bases of hundreds, not for a handful of respondents.

    Returns a DataFrame with columns :data:`GAP_COLUMNS` and three rows, ``group`` =
    ``labels[0]``, ``labels[1]`` and ``"<labels[1]> - <labels[0]>"`` (``n`` of the last is
    n_a + n_b). A wave without respondents has a NaN gap; with one respondent the gap has no
    interval.

    ValueError for empty or non-finite weights, weights all zero, an option missing from a
    frame, or tick values other than 0/1.
    """
    level = check_conf_level(conf_level)
    alpha = 1.0 - level
    _check_frame(ticks_a, "ticks_a")
    _check_frame(ticks_b, "ticks_b")
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError(f"weights must be a non-empty mapping option -> weight, got {weights!r}")
    options = list(weights)
    try:
        w = np.array([float(weights[o]) for o in options])
    except (TypeError, ValueError):
        raise ValueError(f"weights must be numbers, got {dict(weights)}") from None
    if not np.isfinite(w).all():
        raise ValueError(f"weights must be finite numbers, got {dict(weights)}")
    if not (w != 0).any():
        raise ValueError(f"weights are all zero: {dict(weights)}")
    if len(labels) != 2 or labels[0] == labels[1]:
        raise ValueError(f"labels must be two distinct group names, got {labels!r}")
    for frame, what in ((ticks_a, "ticks_a"), (ticks_b, "ticks_b")):
        unknown = [o for o in options if o not in frame.columns]
        if unknown:
            raise ValueError(f"weights name options {unknown} that are not columns of {what}")

    scores_a = _indicators(ticks_a[options], "ticks_a") @ w
    scores_b = _indicators(ticks_b[options], "ticks_b") @ w
    label_a, label_b = str(labels[0]), str(labels[1])
    row_a = _gap_row(label_a, scores_a, alpha, level)
    row_b = _gap_row(label_b, scores_b, alpha, level)
    row_diff = {
        "group": f"{label_b} - {label_a}",
        "n": row_a["n"] + row_b["n"],
        "estimate": row_b["estimate"] - row_a["estimate"],
        "ci_low": np.nan,
        "ci_high": np.nan,
        "ci_method": GAP_DIFFERENCE_INTERVAL_METHOD,
        "conf_level": level,
        "p_value": np.nan,
    }
    if scores_a.size >= 2 and scores_b.size >= 2:
        compared = CompareMeans(DescrStatsW(scores_b), DescrStatsW(scores_a))
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = compared.zconfint_diff(alpha=alpha, usevar="unequal")
            _, p_value = compared.ztest_ind(usevar="unequal", value=0.0)
        row_diff.update(ci_low=float(low), ci_high=float(high), p_value=float(p_value))
    table = pd.DataFrame([row_a, row_b, row_diff], columns=list(GAP_COLUMNS))
    return table.astype(
        {
            "n": "int64",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "conf_level": "float64",
            "p_value": "float64",
        }
    )
