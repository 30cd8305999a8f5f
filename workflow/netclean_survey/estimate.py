"""Shares and confidence intervals of the survey's answers, one row per option.

Pure functions of the tidy responses frame (one row per respondent; a single-choice question
``q`` is a categorical column ``q``, a tick-all question ``q`` is one nullable-boolean column
``q__option`` per option). No file I/O; the Snakemake rule wraps :func:`estimate_wave`.

The interval arithmetic is statsmodels' (``proportion_confint`` and
``multinomial_proportions_confint``); this module chooses the method, validates the input,
handles empty bases and lays out the table.

References
----------
- Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  *Journal of the American Statistical Association* 22(158), 209-212.
- Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated
  in the case of the binomial. *Biometrika* 26(4), 404-413.
- Agresti, A. and Coull, B. A. (1998). Approximate is better than "exact" for interval
  estimation of binomial proportions. *The American Statistician* 52(2), 119-126.
- Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
  proportion. *Statistical Science* 16(2), 101-133.
- Goodman, L. A. (1965). On simultaneous confidence intervals for multinomial proportions.
  *Technometrics* 7(2), 247-254.
- Sison, C. P. and Glaz, J. (1995). Simultaneous confidence intervals and sample size
  determination for multinomial proportions. *Journal of the American Statistical
  Association* 90(429), 366-369.
- Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison
  of seven methods. *Statistics in Medicine* 17(8), 857-872 (published reference values used
  by the tests).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .codebook import Question
from .rounding import published_table, ratio
from .tidy import respondents_asked  # the base of a question: defined with the responses table

#: Interval methods for one proportion, by the names used in this project.
INTERVAL_METHODS = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull", "wald")

#: The same methods by statsmodels' ``proportion_confint`` names.
STATSMODELS_INTERVAL_METHODS = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
    "agresti-coull": "agresti_coull",
    "wald": "normal",
}

#: Simultaneous interval methods for the options of one single-choice question.
SIMULTANEOUS_METHODS = ("goodman", "sison-glaz")

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


# --------------------------------------------------------------------------------------------
# validation helpers


def check_interval_method(method: str) -> str:
    """Return statsmodels' name for ``method``; ValueError listing the allowed names otherwise.

    statsmodels itself is lenient (any name starting with ``"jeff"`` is Jeffreys) and raises
    NotImplementedError for unknown names; the project accepts exactly
    :data:`INTERVAL_METHODS`.
    """
    if method not in STATSMODELS_INTERVAL_METHODS:
        raise ValueError(f"unknown interval method {method!r}; allowed: {', '.join(INTERVAL_METHODS)}")
    return STATSMODELS_INTERVAL_METHODS[method]


def check_simultaneous_method(method: str) -> str:
    """Return ``method`` if it is one of :data:`SIMULTANEOUS_METHODS`, else ValueError.

    statsmodels accepts any name starting with ``"sison"``; the project accepts exactly
    :data:`SIMULTANEOUS_METHODS`.
    """
    if method not in SIMULTANEOUS_METHODS:
        raise ValueError(
            f"unknown simultaneous interval method {method!r}; allowed: {', '.join(SIMULTANEOUS_METHODS)}"
        )
    return method


def check_conf_level(conf_level: float) -> float:
    """Return ``conf_level`` as a float if it lies strictly between 0 and 1, else ValueError."""
    try:
        level = float(conf_level)
    except (TypeError, ValueError):
        raise ValueError(f"conf_level must be a number strictly between 0 and 1, got {conf_level!r}") from None
    if not 0.0 < level < 1.0:
        raise ValueError(f"conf_level must be strictly between 0 and 1, got {conf_level!r}")
    return level


def _check_counts(count: np.ndarray, nobs: np.ndarray) -> None:
    """ValueError naming the offending values unless 0 <= count <= nobs everywhere."""
    bad = ~((count >= 0) & (count <= nobs))  # NaN fails too
    if bad.any():
        pairs = ", ".join(f"count={c:g}, nobs={n:g}" for c, n in zip(count[bad][:5], nobs[bad][:5]))
        more = f" (and {int(bad.sum()) - 5} more)" if bad.sum() > 5 else ""
        raise ValueError(f"need 0 <= count <= nobs, got {pairs}{more}")


# --------------------------------------------------------------------------------------------
# intervals


def proportion_interval(count, nobs, method: str = "wilson", conf_level: float = 0.95):
    """Two-sided confidence interval ``(low, high)`` for the proportion ``count / nobs``.

    A thin wrapper of ``statsmodels.stats.proportion.proportion_confint``, vectorised: scalars
    give a pair of floats, arrays (broadcast together) a pair of float arrays.

    Methods (``method``):

    - ``"wilson"``: the score interval of Wilson (1927). The default, recommended by Brown, Cai
      & DasGupta (2001) for small n; Newcombe (1998) method 3.
    - ``"clopper-pearson"``: the "exact" interval of Clopper & Pearson (1934) from beta
      quantiles (statsmodels ``"beta"``); conservative. Newcombe (1998) method 5.
    - ``"jeffreys"``: the equal-tailed Jeffreys-prior interval, beta(count + 1/2,
      nobs - count + 1/2) quantiles, as recommended by Brown, Cai & DasGupta (2001, sec. 4.1.2),
      with their boundary modification: the lower bound is 0 when count == 0 and the upper
      bound is 1 when count == nobs (statsmodels omits this modification; it is applied here).
    - ``"agresti-coull"``: the adjusted Wald interval of Agresti & Coull (1998) in its general
      form, centre (count + z^2/2) / (nobs + z^2) (statsmodels ``"agresti_coull"``); bounds
      clipped to [0, 1] by statsmodels.
    - ``"wald"``: the textbook normal approximation p +/- z sqrt(p(1-p)/n) (statsmodels
      ``"normal"``). Not recommended: its coverage is poor, erratic and far below nominal near
      0 and 1 (Brown, Cai & DasGupta 2001); every call issues a UserWarning saying so. Its bounds are
      clipped to [0, 1], and it is the degenerate [0, 0] (or [1, 1]) when count is 0 (or nobs).

    Where ``nobs == 0`` (nobody in the base) both bounds are NaN, silently.

    Raises ValueError for an unknown method, a conf_level outside (0, 1), or any count outside
    [0, nobs] (the message names the values). Counts need not be integers (weighted counts).
    """
    sm_method = check_interval_method(method)
    level = check_conf_level(conf_level)
    scalar = np.ndim(count) == 0 and np.ndim(nobs) == 0
    count_a, nobs_a = np.broadcast_arrays(np.asarray(count, dtype=float), np.asarray(nobs, dtype=float))
    _check_counts(count_a, nobs_a)
    if method == "wald":
        warnings.warn(
            "the Wald (normal approximation) interval is not recommended: its coverage is poor "
            "near 0 and 1 (Brown, Cai & DasGupta 2001); its bounds are clipped to [0, 1]",
            UserWarning,
            stacklevel=2,
        )
    empty = nobs_a == 0
    from statsmodels.stats.proportion import proportion_confint  # here: readers of estimates need not load it

    # statsmodels divides by nobs: give it 1 where the base is empty, then blank those bounds.
    low, high = proportion_confint(count_a, np.where(empty, 1.0, nobs_a), alpha=1.0 - level, method=sm_method)
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    if method == "jeffreys":
        low = np.where(count_a == 0, 0.0, low)
        high = np.where(count_a == nobs_a, 1.0, high)
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    if scalar:
        return float(low), float(high)
    return low, high


def simultaneous_intervals(counts, method: str = "goodman", conf_level: float = 0.95) -> pd.DataFrame:
    """Simultaneous confidence intervals for all options of one single-choice question.

    ``counts`` are the respondents per option (the options partition the base, so they are
    multinomial). Returns a DataFrame with columns ``low`` and ``high``, one row per count,
    indexed like ``counts`` if it is a Series. The intervals jointly cover all true shares
    with probability (approximately) ``conf_level``. Wraps statsmodels'
    ``multinomial_proportions_confint``.

    - ``"goodman"``: Goodman (1965), Bonferroni-adjusted score intervals, chi-square(1)
      quantile at 1 - alpha/k; valid when every count is at least about 5.
    - ``"sison-glaz"``: Sison & Glaz (1995), based on an Edgeworth approximation of the
      multinomial; less conservative than Goodman, intervals of (nearly) equal width. Sison &
      Glaz demonstrate it with at least 7 categories; with fewer its approximation is coarse.
      Slow for large totals (its search for the half-width is linear in the count scale).

    If all counts are 0 the bounds are NaN. Raises ValueError for an unknown method, a
    conf_level outside (0, 1) or a negative count.
    """
    check_simultaneous_method(method)
    level = check_conf_level(conf_level)
    index = counts.index if isinstance(counts, pd.Series) else None
    values = np.asarray(counts, dtype=float).reshape(-1)
    if (~(values >= 0)).any():
        raise ValueError(f"counts must be non-negative numbers, got {values.tolist()}")
    if method == "sison-glaz" and 0 < values.size < 7:
        warnings.warn(
            f"Sison-Glaz intervals with {values.size} options: the method is shown to hold its level with "
            "7 or more (Sison and Glaz 1995); prefer goodman for this question",
            UserWarning,
            stacklevel=2,
        )
    if values.size == 0 or values.sum() == 0:
        region = np.full((values.size, 2), np.nan)
    else:
        from statsmodels.stats.proportion import multinomial_proportions_confint

        region = multinomial_proportions_confint(values, alpha=1.0 - level, method=method)
    return pd.DataFrame(np.asarray(region, dtype=float).reshape(-1, 2), columns=["low", "high"], index=index)


# --------------------------------------------------------------------------------------------
# bases


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


# --------------------------------------------------------------------------------------------
# tables


def estimate_question(
    responses: pd.DataFrame,
    question: Question,
    method: str = "wilson",
    conf_level: float = 0.95,
    simultaneous_method: str | None = "goodman",
) -> pd.DataFrame:
    """One row per option of ``question`` (codebook order) with its share and intervals.

    Columns are :data:`ESTIMATE_COLUMNS`:

    - ``n_asked``: respondents asked the question (:func:`netclean_survey.tidy.respondents_asked`);
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
