"""Comparisons of independent samples: two waves (or respondent groups) option by option, and
tests of homogeneity for single-choice and tick-all questions.

Pure functions of counts or 0/1 response matrices (numpy / pandas in, numpy / pandas / dicts
out). No file I/O; a Snakemake rule wraps them.

What comes from maintained libraries, and what is written here:

- :func:`two_sample_by_option`: statsmodels does the arithmetic (Newcombe's hybrid score
  interval for a difference, the pooled score test, Cohen's h, Holm's step-down adjustment);
  this module chooses the methods, fixes the direction (wave b minus wave a), validates the
  input and turns degenerate rows into NaN.
- :func:`homogeneity_test`: scipy's ``chi2_contingency`` (asymptotic or Monte Carlo p-value)
  and ``contingency.association`` (Cramer's V).
- :func:`mmi_test`: the test of multiple marginal independence of Bilder & Loughin (2004) for
  a tick-all ("pick any", multiple-response) question across groups. No maintained Python
  library implements it (the authors' implementation is the R package MRCV), so the statistic,
  the second-order Rao-Scott adjustment and the bootstrap are written here, following the
  paper; see the function's docstring for the formulas and where they differ from MRCV.

Why a dedicated test for tick-all questions: one respondent can tick several options, so a
groups x options table of *mentions* counts respondents several times, and the Pearson
chi-square of that table is not chi-square distributed (Loughin & Scherer 1998; Bilder &
Loughin 2004).

References
----------
- Newcombe, R. G. (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890
  (method 10, the hybrid score interval; published reference values used by the tests).
- Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.,
  chapter 6 (the effect size h for two proportions).
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2), 65-70.
- Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., sections 2.4 and 3.1 (the
  pooled score test for two proportions equals Pearson's chi-square on the 2 x 2 table).
- Cramer, H. (1946). *Mathematical Methods of Statistics*, p. 282 (Cramer's V).
- Loughin, T. M. and Scherer, P. N. (1998). Testing for association in contingency tables
  with multiple column responses. *Biometrics* 54(2), 630-637.
- Bilder, C. R., Loughin, T. M. and Nettleton, D. (2000). Multiple marginal independence
  testing for pick any/c variables. *Communications in Statistics - Simulation and
  Computation* 29(4), 1285-1316 (the Rao-Scott adjustment for X2_S).
- Bilder, C. R. and Loughin, T. M. (2004). Testing for marginal independence between two
  categorical variables with multiple responses. *Biometrics* 60(1), 241-248.
- Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway contingency
  tables with cell proportions estimated from survey data. *Annals of Statistics* 12(1),
  46-60 (the second-order correction).
- Koziol, N. A. and Bilder, C. R. (2014). MRCV: a package for analyzing categorical
  variables with multiple response options. *The R Journal* 6(1), 144-150.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association, expected_freq
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_effectsize,
    test_proportions_2indep,
)

from ..estimate.intervals import check_conf_level, check_interval_method, proportion_interval
from .multiple import holm_adjust
from .results import ChiSquareTest, MMITest

#: Columns of :func:`two_sample_by_option`, in order.
COMPARE_COLUMNS = (
    "option",
    "n_a",
    "count_a",
    "share_a",
    "ci_low_a",
    "ci_high_a",
    "n_b",
    "count_b",
    "share_b",
    "ci_low_b",
    "ci_high_b",
    "difference",
    "diff_ci_low",
    "diff_ci_high",
    "diff_ci_method",
    "statistic",
    "p_value",
    "test",
    "p_holm",
    "cohens_h",
    "conf_level",
)


#: ``diff_ci_method`` of :func:`two_sample_by_option`: Newcombe (1998) method 10, statsmodels'
#: ``confint_proportions_2indep(method="newcomb")``.
DIFF_CI_METHOD = "newcombe"


#: ``test`` of :func:`two_sample_by_option`.
TWO_SAMPLE_TEST = "score (pooled, no continuity correction)"


#: ``test`` of :func:`mmi_test`.
MMI_TEST = "Bilder-Loughin MMI"
_INT_COLUMNS = ("n_a", "count_a", "n_b", "count_b")


# Bootstrap resamples are drawn in chunks whose largest array (the draws, chunk x n, or the
# pattern counts, chunk x G x patterns) has at most this many elements (8 bytes each), to bound
# memory at a few tens of MB whatever B.
_BOOTSTRAP_ELEMENTS_PER_CHUNK = 4_000_000


# Relative tolerance when counting resampled statistics at least as large as the observed one:
# a resample that reproduces the observed table can give a statistic that differs from it in
# the last bits; such ties must count as ">=" (scipy's permutation_test does the same).
_TIE_RTOL = 1e-12


def check_seed(seed) -> int:
    """Return ``seed`` as an int if it is a non-negative integer (not a bool), else ValueError.

    Every resampling p-value of the project is seeded, so ``None`` (fresh entropy) is refused.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _check_resamples(value, name: str, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _integer_counts(values, name: str) -> np.ndarray:
    """``values`` as a float array if all are finite non-negative integers, else ValueError.

    The tests of this module are tests on numbers of respondents; weighted (non-integer) counts
    would make them wrong (their variance is not binomial), so they are refused.
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {values!r}") from None
    bad = ~(np.isfinite(array) & (array >= 0) & (array == np.round(array)))
    if bad.any():
        raise ValueError(
            f"{name} must be non-negative integer counts of respondents, got {array[bad][:5].tolist()}"
        )
    return array


def two_sample_by_option(
    counts_a,
    n_a,
    counts_b,
    n_b,
    options: Sequence,
    conf_level: float = 0.95,
    interval_method: str = "wilson",
) -> pd.DataFrame:
    """Compare the share choosing (ticking) each option between two independent samples.

    ``counts_a`` / ``counts_b`` are the respondents choosing each option in sample a (e.g. the
    earlier wave) and sample b (the later wave), aligned with ``options``; ``n_a`` / ``n_b`` are
    the bases, a scalar (all options asked of the same respondents) or one per option. Works for
    single-choice and tick-all questions alike: each option is its own binomial comparison
    (for a joint test over the options see :func:`homogeneity_test` and :func:`mmi_test`).

    One row per option, columns :data:`COMPARE_COLUMNS`:

    - ``share_*`` = ``count_* / n_*``; ``ci_low_*``, ``ci_high_*``: the interval of each share
      by :func:`netclean_survey.estimate.intervals.proportion_interval` (``interval_method``, default
      Wilson) at ``conf_level``.
    - ``difference`` = ``share_b - share_a`` (positive: more in sample b).
      ``diff_ci_low``, ``diff_ci_high``: Newcombe's (1998) hybrid score interval for the
      difference (his method 10, built from the two Wilson intervals), statsmodels
      ``confint_proportions_2indep(count_b, n_b, count_a, n_a, compare="diff",
      method="newcomb")``; ``diff_ci_method`` is :data:`DIFF_CI_METHOD`. (statsmodels'
      ``method="score"`` is avoided: its constrained MLE for differences is wrong away from
      0, statsmodels issue 10269.)
    - ``statistic``, ``p_value``: the score test of ``share_a == share_b`` with the pooled
      variance and no continuity correction, two-sided (statsmodels
      ``test_proportions_2indep(..., method="score", correction=False)``). ``statistic`` is
      the signed z for b - a; ``statistic**2`` is Pearson's chi-square of the 2 x 2 table and
      the p-value is that of ``chi2_contingency(correction=False)`` and of
      ``proportions_ztest``. ``test`` is :data:`TWO_SAMPLE_TEST`.
    - ``p_holm``: the p-values adjusted by Holm's (1979) step-down method over the options of
      this comparison (statsmodels ``multipletests(method="holm")``; statsmodels' default would
      be Holm-Sidak). Options without a p-value are left out of the adjustment.
    - ``cohens_h`` = ``2 asin(sqrt(share_b)) - 2 asin(sqrt(share_a))`` (Cohen 1988; statsmodels
      ``proportion_effectsize(share_b, share_a)``).

    Degenerate rows give NaN, silently: a base of 0 blanks that sample's share and interval and
    every comparison; when both shares are 0 (or both 1) the test is undefined (zero pooled
    variance), so ``statistic``, ``p_value`` and ``p_holm`` are NaN while the difference (0), its
    interval and h are still given.

    Raises ValueError for an unknown interval method, a conf_level outside (0, 1), counts or
    bases that are not non-negative integers, a count above its base, or lengths that do not
    match ``options``.
    """
    check_interval_method(interval_method)
    level = check_conf_level(conf_level)
    if isinstance(options, str) or not isinstance(options, Sequence | np.ndarray | pd.Index | pd.Series):
        raise ValueError(f"options must be a sequence of option labels, got {options!r}")
    labels = list(options)
    k = len(labels)

    arrays = {}
    for name, values in (("counts_a", counts_a), ("n_a", n_a), ("counts_b", counts_b), ("n_b", n_b)):
        array = _integer_counts(values, name)
        if name.startswith("counts") and array.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional (one count per option), got shape {array.shape}")
        if array.ndim > 1 or (array.ndim == 1 and array.size != k):
            raise ValueError(f"{name} has {array.size} values but there are {k} options")
        arrays[name] = np.broadcast_to(array, (k,)).astype(float)
    ca, na, cb, nb = arrays["counts_a"], arrays["n_a"], arrays["counts_b"], arrays["n_b"]
    for count, nobs, sample in ((ca, na, "a"), (cb, nb, "b")):
        over = count > nobs
        if over.any():
            which = ", ".join(f"{labels[i]!r}: {count[i]:g} > {nobs[i]:g}" for i in np.flatnonzero(over)[:5])
            raise ValueError(f"sample {sample}: counts exceed the base ({which})")

    share_a = np.divide(ca, na, out=np.full(k, np.nan), where=na > 0)
    share_b = np.divide(cb, nb, out=np.full(k, np.nan), where=nb > 0)
    low_a, high_a = proportion_interval(ca, na, method=interval_method, conf_level=level)
    low_b, high_b = proportion_interval(cb, nb, method=interval_method, conf_level=level)

    both = (na > 0) & (nb > 0)
    difference = share_b - share_a  # NaN where a base is empty
    diff_low = np.full(k, np.nan)
    diff_high = np.full(k, np.nan)
    cohens_h = np.full(k, np.nan)
    if both.any():
        # statsmodels compares sample 1 minus sample 2: b first gives b - a.
        low, high = confint_proportions_2indep(
            cb[both], nb[both], ca[both], na[both], method="newcomb", compare="diff", alpha=1.0 - level
        )
        diff_low[both] = low
        diff_high[both] = high
        cohens_h[both] = proportion_effectsize(share_b[both], share_a[both])

    pooled = np.divide(ca + cb, na + nb, out=np.full(k, np.nan), where=both)
    testable = both & (pooled > 0) & (pooled < 1)
    statistic = np.full(k, np.nan)
    p_value = np.full(k, np.nan)
    if testable.any():
        # statsmodels also computes the ratio and odds ratio of the shares, which divide by zero
        # when a share is 0; those by-products are not used here.
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = test_proportions_2indep(
                cb[testable],
                nb[testable],
                ca[testable],
                na[testable],
                value=0,
                method="score",
                compare="diff",
                alternative="two-sided",
                correction=False,
                return_results=True,
            )
        statistic[testable] = result.statistic
        p_value[testable] = result.pvalue

    p_holm = holm_adjust(p_value)  # over the options with a p-value

    table = pd.DataFrame(
        {
            "option": labels,
            "n_a": na,
            "count_a": ca,
            "share_a": share_a,
            "ci_low_a": low_a,
            "ci_high_a": high_a,
            "n_b": nb,
            "count_b": cb,
            "share_b": share_b,
            "ci_low_b": low_b,
            "ci_high_b": high_b,
            "difference": difference,
            "diff_ci_low": diff_low,
            "diff_ci_high": diff_high,
            "diff_ci_method": [DIFF_CI_METHOD] * k,
            "statistic": statistic,
            "p_value": p_value,
            "test": [TWO_SAMPLE_TEST] * k,
            "p_holm": p_holm,
            "cohens_h": cohens_h,
            "conf_level": level,
        },
        columns=list(COMPARE_COLUMNS),
    )
    return table.astype({c: "int64" for c in _INT_COLUMNS})


def homogeneity_test(table, *, seed: int, n_resamples: int = 9999, min_expected: float = 5.0) -> ChiSquareTest:
    """Pearson chi-square test that the groups answer a single-choice question alike.

    ``table`` holds respondents, groups (rows; e.g. waves) x options (columns); a DataFrame's
    column labels name the options, otherwise they are the column positions. Option columns that
    nobody chose are dropped first (they carry no information and make expected counts 0) and
    listed in ``dropped_options``.

    The statistic is Pearson's chi-square of homogeneity without continuity correction
    (scipy ``chi2_contingency(correction=False)``), df = (groups - 1)(options - 1). Its p-value is
    asymptotic (chi-square) when every expected count is at least ``min_expected`` (Cochran's
    rule, default 5); otherwise it is a Monte Carlo p-value, scipy's
    ``chi2_contingency(method=MonteCarloMethod(n_resamples, rng=default_rng(seed)))``: tables
    with the observed margins are drawn from ``scipy.stats.random_table`` (equivalent to
    permuting the group labels of the respondents) and p = (1 + #{X2* >= X2}) / (n_resamples +
    1). ``min_expected=0`` always gives the asymptotic p-value, ``min_expected=np.inf`` always
    the Monte Carlo one. (``chi2_contingency(method=...)`` needs scipy >= 1.15.)

    Returns a dict:

    - ``test``: "Pearson chi-square (asymptotic)" or "Pearson chi-square (Monte Carlo, R
      resamples, seed S)";
    - ``statistic``, ``df`` (also given with a Monte Carlo p-value), ``p_value``;
    - ``min_expected``: the smallest expected count of the table tested (not the threshold);
    - ``cramers_v``: Cramer's V = sqrt(X2 / (n (min(groups, options) - 1))) (scipy
      ``contingency.association(method="cramer")``);
    - ``dropped_options``: labels of the all-zero option columns removed.

    If fewer than two options remain (everybody gave the same answer) the test is undefined:
    statistic, df, p-value, min_expected and V are NaN and ``test`` says why.

    Raises ValueError unless ``table`` is two-dimensional with at least two groups and holds
    non-negative integer counts, for a group without respondents, or for an invalid seed,
    n_resamples or min_expected.
    """
    seed = check_seed(seed)
    n_resamples = _check_resamples(n_resamples, "n_resamples", 1)
    try:
        threshold = float(min_expected)
    except (TypeError, ValueError):
        raise ValueError(f"min_expected must be a number >= 0, got {min_expected!r}") from None
    if not threshold >= 0:  # NaN fails too
        raise ValueError(f"min_expected must be a number >= 0, got {min_expected!r}")

    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(np.asarray(table))
    if frame.ndim != 2 or frame.shape[0] < 2 or frame.shape[1] < 1:
        raise ValueError(f"table must be groups x options with at least two groups, got shape {frame.shape}")
    values = _integer_counts(frame.to_numpy(), "table")
    empty_groups = values.sum(axis=1) == 0
    if empty_groups.any():
        raise ValueError(f"groups {list(frame.index[empty_groups])} have no respondents")

    chosen = values.sum(axis=0) > 0
    dropped = frame.columns[~chosen].tolist()
    observed = values[:, chosen].astype(np.int64)  # integer-valued (checked); scipy's association needs ints
    if observed.shape[1] < 2:
        return ChiSquareTest(
            test="Pearson chi-square (not testable: fewer than two options chosen)",
            statistic=np.nan,
            df=np.nan,
            p_value=np.nan,
            min_expected=np.nan,
            cramers_v=np.nan,
            dropped_options=dropped,
        )

    smallest = float(expected_freq(observed).min())
    df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    if smallest < threshold:
        method = stats.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed))
        result = stats.chi2_contingency(observed, correction=False, method=method)
        name = f"Pearson chi-square (Monte Carlo, {n_resamples} resamples, seed {seed})"
    else:
        result = stats.chi2_contingency(observed, correction=False)
        name = "Pearson chi-square (asymptotic)"
    return ChiSquareTest(
        test=name,
        statistic=float(result.statistic),
        df=int(df),
        p_value=float(result.pvalue),
        min_expected=smallest,
        cramers_v=float(association(observed, method="cramer", correction=False)),
        dropped_options=dropped,
    )


def _pearson_by_option(ticks: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Pearson chi-square of each option's groups x (ticked, not ticked) table.

    ``ticks`` has shape (..., G, J): respondents ticking option j in group g; ``sizes`` (G,) the
    group sizes. Returns shape (..., J). For a G x 2 table with pooled share p,
    X2 = sum_g (t_g - n_g p)^2 / (n_g p (1 - p)). Where p is 0 or 1 every cell equals its
    expectation and X2 is 0 (the ratio is 0/0; this happens only in bootstrap resamples, the
    observed data have such options dropped).
    """
    sizes = sizes.astype(float)
    pooled = ticks.sum(axis=-2) / sizes.sum()
    deviation = ticks - sizes[:, None] * pooled[..., None, :]
    numerator = (deviation**2 / sizes[:, None]).sum(axis=-2)
    variance = pooled * (1.0 - pooled)
    return np.divide(numerator, variance, out=np.zeros_like(numerator), where=variance > 0)


def _rs2_sum_squared_eigenvalues(matrices: list[np.ndarray], pooled: np.ndarray) -> float:
    """Sum of squared eigenvalues of D^-1 H G V G' H' (Bilder & Loughin 2004, Appendix A).

    ``matrices`` are the groups' n_g x J 0/1 float matrices (options kept), ``pooled`` the
    pooled shares (strictly between 0 and 1). With a_g = n_g / n:

    - G V G' is block diagonal with blocks Sigma_g / a_g, Sigma_g = Y_g'Y_g / n_g - p_g p_g' the
      covariance of the option indicators estimated within group g (the paper's multinomial of
      the 2^J response patterns, unrestricted, mapped to the margins: G~ diag(tau_g) G~' =
      Y_g'Y_g / n_g and G~ tau_g = p_g);
    - H = (I_G - 1 a') (x) I_J subtracts the pooled share;
    - D = diag(1 / a_g) (x) diag(pi (1 - pi)) holds the null variances with the pooled shares.

    D^-1 S (S = H G V G' H', symmetric) has the eigenvalues of the symmetric
    W = D^-1/2 S D^-1/2, so the sum of their squares is the squared Frobenius norm of W.
    """
    n_groups = len(matrices)
    j = pooled.size
    sizes = np.array([m.shape[0] for m in matrices], dtype=float)
    a = sizes / sizes.sum()
    blocks = np.zeros((n_groups * j, n_groups * j))
    for g, y in enumerate(matrices):
        p = y.mean(axis=0)
        sigma = y.T @ y / y.shape[0] - np.outer(p, p)
        blocks[g * j : (g + 1) * j, g * j : (g + 1) * j] = sigma / a[g]
    h = np.kron(np.eye(n_groups) - np.outer(np.ones(n_groups), a), np.eye(j))
    s = h @ blocks @ h.T
    d_inv_sqrt = np.sqrt(np.kron(a, 1.0 / (pooled * (1.0 - pooled))))
    w = d_inv_sqrt[:, None] * s * d_inv_sqrt[None, :]
    return float((w**2).sum())


def _bootstrap_statistics(
    matrices: list[np.ndarray], sizes: np.ndarray, n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    """X2_S of ``n_boot`` resamples under H0, vectorised over resamples (chunked).

    Each resample draws n respondents' whole tick vectors with replacement from the pooled data
    and deals the first n_1 to group 1, the next n_2 to group 2, and so on (Bilder & Loughin
    2004, section 4). The draws are mapped to the distinct response patterns, counted per
    group with one ``bincount`` per chunk, and the tick counts are (pattern counts) @ (patterns).
    """
    pooled_rows = np.vstack(matrices)
    n = pooled_rows.shape[0]
    patterns, pattern_of_row = np.unique(pooled_rows, axis=0, return_inverse=True)
    pattern_of_row = pattern_of_row.reshape(-1)
    k = patterns.shape[0]
    n_groups = sizes.size
    group_of_draw = np.repeat(np.arange(n_groups), sizes)
    chunk = max(1, _BOOTSTRAP_ELEMENTS_PER_CHUNK // max(n, n_groups * k))
    out = np.empty(n_boot)
    for start in range(0, n_boot, chunk):
        m = min(chunk, n_boot - start)
        drawn = pattern_of_row[rng.integers(0, n, size=(m, n))]
        # bin (resample, group, pattern) -> one flat bincount
        bins = (np.arange(m)[:, None] * n_groups + group_of_draw[None, :]) * k + drawn
        counts = np.bincount(bins.ravel(), minlength=m * n_groups * k).reshape(m, n_groups, k)
        ticks = counts.astype(float) @ patterns  # (m, G, J)
        out[start : start + m] = _pearson_by_option(ticks, sizes).sum(axis=-1)
    return out


def mmi_test(groups: Sequence, B: int = 9999, *, seed: int, options: Sequence | None = None) -> MMITest:
    """Bilder & Loughin (2004) test of multiple marginal independence (MMI) for a tick-all
    question across groups.

    H0: for every option, the share of respondents ticking it is the same in all groups
    (marginal independence of the group and each option; the correlation between options is
    left free). ``groups`` are G >= 2 matrices, respondents (in the question's base) x the J
    options, of 0/1 or bool; ``options`` labels the columns (default 0, ..., J-1). No
    maintained Python library implements this test; it is written here following Bilder &
    Loughin (2004), with the Rao-Scott adjustment of Bilder, Loughin & Nettleton (2000) and
    Rao & Scott (1984).

    Statistic: X2_S = sum_j X2_j, X2_j Pearson's chi-square (no continuity correction) of the
    G x 2 table of option j (ticked / not ticked by group). Options ticked by everybody or by
    nobody have no variance and an undefined X2_j: they are dropped from everything below and
    listed in ``dropped_options``; J then counts the options kept.

    p-values:

    - ``per_option``: X2_j and its asymptotic chi-square(G-1) p-value, one row per option kept.
    - ``p_bonferroni`` = min(1, J min_j p_j).
    - Second-order Rao-Scott (``rs2_*``): under H0, X2_S is asymptotically sum_k lambda_k
      chi2_1, lambda_k the eigenvalues of D^-1 H G V G' H' (Appendix A of the paper; see
      :func:`_rs2_sum_squared_eigenvalues`). V is estimated from each group's own pattern
      distribution, D from the pooled shares. Since sum_k lambda_k = (G-1) J under H0, the
      paper's statistic is X2_RS2 = (G-1) J X2_S / sum lambda^2 on
      df = (G-1)^2 J^2 / sum lambda^2 (the Satterthwaite match of mean and variance), as in the
      authors' R package MRCV (``MI.test(type="rs2")``). When every group has the same pattern
      distribution this reduces to lambda = the eigenvalues of the options' correlation matrix
      R, each (G-1) times, i.e. sum lambda^2 = (G-1) sum_jk R_jk^2; the paper's estimator
      differs from that pooled form in general because H0 does not make the correlations equal
      across groups. NaN if sum lambda^2 is 0 (every option constant within every group).
    - Bootstrap (``p_bootstrap``, Bilder & Loughin 2004, section 4): B resamples under H0, each
      drawing all respondents' whole tick vectors with replacement from the pooled data and
      dealing them to groups of the original sizes; p = (1 + #{X2_S* >= X2_S}) / (B + 1), with
      ``numpy.random.default_rng(seed)``. A resample in which an option is ticked by all or by
      none contributes X2_j* = 0 for it (observed = expected); MRCV instead discards such
      resamples. ``B=0`` skips the bootstrap (``p_bootstrap`` NaN).

    Also unlike MRCV (``add.constant = 0.5``), no constant is added to zero cells: X2_j is
    Pearson's statistic of the observed table.

    Returns a dict: ``test`` (:data:`MMI_TEST`), ``statistic`` (X2_S), ``per_option``
    (DataFrame with columns option, X2, p), ``p_bonferroni``, ``rs2_statistic``, ``rs2_df``,
    ``p_rs2``, ``p_bootstrap``, ``B``, ``seed``, ``dropped_options``. If every option is dropped
    the numbers are NaN and ``per_option`` is empty.

    Raises ValueError for fewer than two groups, a group that is not a two-dimensional 0/1
    matrix or has no respondents, groups with different numbers of options, ``options`` of the
    wrong length, B not a non-negative integer, or an invalid seed.
    """
    seed = check_seed(seed)
    n_boot = _check_resamples(B, "B", 0)
    if isinstance(groups, np.ndarray) or not isinstance(groups, Sequence) or len(groups) < 2:
        raise ValueError("groups must be a list of at least two respondents x options matrices")
    matrices = []
    for g, group in enumerate(groups):
        try:
            array = np.asarray(group, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"group {g} is not a numeric 0/1 matrix") from None
        if array.ndim != 2:
            raise ValueError(f"group {g} must be respondents x options (two-dimensional), got shape {array.shape}")
        if array.shape[0] == 0:
            raise ValueError(f"group {g} has no respondents")
        if not np.isin(array, (0.0, 1.0)).all():
            raise ValueError(f"group {g} holds values other than 0/1 (missing answers must be removed first)")
        matrices.append(array)
    j_all = matrices[0].shape[1]
    if j_all == 0 or any(m.shape[1] != j_all for m in matrices):
        raise ValueError(f"every group needs the same number (>= 1) of options, got {[m.shape[1] for m in matrices]}")
    labels = list(range(j_all)) if options is None else list(options)
    if len(labels) != j_all:
        raise ValueError(f"{len(labels)} option labels for {j_all} option columns")

    n_groups = len(matrices)
    sizes = np.array([m.shape[0] for m in matrices])
    ticks = np.stack([m.sum(axis=0) for m in matrices])  # (G, J)
    pooled = ticks.sum(axis=0) / sizes.sum()
    keep = (pooled > 0) & (pooled < 1)
    dropped = [labels[i] for i in np.flatnonzero(~keep)]
    kept = [labels[i] for i in np.flatnonzero(keep)]
    j = int(keep.sum())

    result = {
        "test": MMI_TEST,
        "statistic": np.nan,
        "per_option": pd.DataFrame({"option": kept, "X2": np.nan, "p": np.nan}),
        "p_bonferroni": np.nan,
        "rs2_statistic": np.nan,
        "rs2_df": np.nan,
        "p_rs2": np.nan,
        "p_bootstrap": np.nan,
        "B": n_boot,
        "seed": seed,
        "dropped_options": dropped,
    }
    if j == 0:
        return MMITest(**result)

    matrices = [m[:, keep] for m in matrices]
    x2_j = _pearson_by_option(ticks[:, keep].astype(float), sizes)
    p_j = stats.chi2.sf(x2_j, n_groups - 1)
    x2_s = float(x2_j.sum())
    result["statistic"] = x2_s
    result["per_option"] = pd.DataFrame({"option": kept, "X2": x2_j, "p": p_j})
    result["p_bonferroni"] = float(min(1.0, j * p_j.min()))

    sum_sq = _rs2_sum_squared_eigenvalues(matrices, pooled[keep])
    if sum_sq > 0:
        trace = (n_groups - 1) * j
        result["rs2_statistic"] = trace * x2_s / sum_sq
        result["rs2_df"] = trace**2 / sum_sq
        result["p_rs2"] = float(stats.chi2.sf(result["rs2_statistic"], result["rs2_df"]))

    if n_boot:
        rng = np.random.default_rng(seed)
        resampled = _bootstrap_statistics(matrices, sizes, n_boot, rng)
        exceed = int((resampled >= x2_s * (1.0 - _TIE_RTOL)).sum())
        result["p_bootstrap"] = (1 + exceed) / (n_boot + 1)
    return MMITest(**result)
