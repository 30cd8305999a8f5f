"""Design-based tests that two (or more) weighted waves answer a question alike: the Rao-Scott
second-order F test of R's ``survey::svychisq`` for a single-choice question, and its sum over the
options of a tick-all question, the Bilder-Loughin statistic with weights.

The waves are the strata of one design with weights only (``svydesign(ids = ~1, strata = ~wave,
weights = ~w)``, one respondent per primary unit), the respondents of each wave who answered the
question its sample. No maintained Python library has these tests for survey weights (statsmodels'
``Table`` takes counts; samplics' ``CrossTabulation`` needs polars and gives only the first-order
version): written here, following ``svychisq.survey.design`` (survey 4.5, ``statistic = "F"``) and
the papers below.

A question is one or more *tables*, each a wave x category table of weighted shares: a
single-choice question is one table (wave x option); a tick-all question one 2-column table per
option (wave x ticked / not ticked). For each table b, with m_b its cell shares (the weighted mean
of each respondent's cell indicator) and C_b the contrasts of the wave x category interaction:

- X2_b: Pearson's statistic of the weighted table scaled to the N respondents (``svytable(...,
  Ntotal = N)`` in ``chisq.test``, no continuity correction);
- V: the linearisation covariance of all cell shares together (``svymean``'s: within each wave,
  n_h / (n_h - 1) times the crossproduct of the centred w_i (x_i - m) / sum w);
- Delta = (C' D^-1 C / N)^-1 C' D^-1 V D^-1 C, D = diag(m), C the block diagonal of the C_b: the
  generalised design effects of the interaction (Rao and Scott 1984);
- F = X2 / tr(Delta) on d0 = tr(Delta)^2 / tr(Delta^2) and d0 (N - H) degrees of freedom (H waves):
  the second-order Rao-Scott correction as an F, ``svychisq``'s default.

For one table this is ``svychisq`` exactly. For a tick-all question X2 = sum_b X2_b is Bilder and
Loughin's (2004) X2_S on the weighted tables, and Delta comes from the joint covariance of every
option's cells, so the correlation between the options is accounted for, as the second-order
Rao-Scott correction of their paper does for simple random samples (Bilder, Loughin and Nettleton
2000, with the design-based covariance in place of the multinomial one).

References
----------
- Rao, J. N. K. and Scott, A. J. (1984). On chi-squared tests for multiway contingency tables with
  cell proportions estimated from survey data. *Annals of Statistics* 12(1), 46-60.
- Bilder, C. R. and Loughin, T. M. (2004). Testing for marginal independence between two
  categorical variables with multiple responses. *Biometrics* 60(1), 241-248.
- Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, section 6.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..compare.results import Result

#: ``test`` of a single-choice question's test.
RAO_SCOTT_TEST = "Rao-Scott F (second-order, design-based Pearson chi-square)"
#: ``test`` of a tick-all question's test.
WEIGHTED_MMI_TEST = "Bilder-Loughin MMI with weights (Rao-Scott F, second-order)"


@dataclass(frozen=True, eq=False)
class RaoScottTest(Result):
    """The design-based test of one question across waves (:func:`rao_scott_test`)."""

    test: str
    statistic: float  # Pearson's X2 of the weighted table(s), scaled to the respondents
    f_statistic: float  # X2 / tr(Delta)
    ndf: float  # d0
    ddf: float  # d0 (N - H)
    p_value: float
    mean_design_effect: float  # tr(Delta) / its dimension: the average generalised design effect
    per_option: pd.DataFrame | None  # tick all: each option's own test (option, X2, F, ndf, ddf, p)
    p_bonferroni: float | None  # tick all: min(1, J min_j p_j)
    dropped_options: list  # chosen by nobody (single), or ticked by all or none (tick all)


def _check(strata, weights, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    codes, groups = pd.factorize(pd.Series(np.asarray(strata)), sort=True)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or codes.shape != (n,):
        raise ValueError(f"one wave and one weight per respondent are needed: {n} rows, {codes.size} waves, "
                         f"{w.size} weights")
    if not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError("every weight must be a positive finite number")
    sizes = np.bincount(codes, minlength=len(groups))
    if len(groups) < 2 or (sizes < 2).any():
        raise ValueError(f"at least two waves of at least two respondents each are needed, got {sizes.tolist()}")
    return codes, w, len(groups)


def stratified_mean(x: np.ndarray, weights: np.ndarray, strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m, V): the weighted mean of each column of ``x`` (respondents x variables) and its
    linearisation covariance for strata with one respondent per primary unit, as R's ``svymean`` on
    ``svydesign(ids = ~1, strata = ~strata, weights = ~w)``: u_i = w_i (x_i - m) / sum w, and
    V = sum_h n_h / (n_h - 1) sum_{i in h} (u_i - mean_h u)(u_i - mean_h u)'."""
    total = weights.sum()
    m = weights @ x / total
    u = weights[:, None] * (x - m) / total
    v = np.zeros((x.shape[1], x.shape[1]))
    for h in np.unique(strata):
        rows = u[strata == h]
        centred = rows - rows.mean(axis=0)
        n_h = rows.shape[0]
        v += n_h / (n_h - 1) * centred.T @ centred
    return m, v


def interaction_contrasts(rows: int, cols: int) -> np.ndarray:
    """The rows x cols interaction's contrasts as ``svychisq`` builds them: the interaction columns of
    ``model.matrix(~factor(rows) * factor(cols))`` on ``expand.grid(rows, cols)`` (rows varying
    fastest), less their projection on the main effects (``qr.resid``)."""
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="xy")
    r, c = r.ravel(), c.ravel()  # cell k = row + rows * col
    main = np.column_stack([np.ones(rows * cols)] + [(r == i).astype(float) for i in range(1, rows)]
                           + [(c == j).astype(float) for j in range(1, cols)])
    interaction = np.column_stack([((r == i) & (c == j)).astype(float) for j in range(1, cols)
                                   for i in range(1, rows)])
    coefficients, *_ = np.linalg.lstsq(main, interaction, rcond=None)
    return interaction - main @ coefficients


def _pearson(table: np.ndarray) -> float:
    """Pearson's X2 of a table without continuity correction (R ``chisq.test(correct = FALSE)``)."""
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    return float(((table - expected) ** 2 / expected).sum())


def _second_order(tables: Sequence[np.ndarray], codes: np.ndarray, w: np.ndarray, groups: int) -> dict:
    """X2, F, ndf, ddf, p and the mean design effect for the tables (each respondents x categories,
    one-hot rows) taken together."""
    n = codes.size
    cells, contrasts = [], []
    for z in tables:
        k = z.shape[1]
        # cell (wave g, category c) at g + groups * c, as interaction(factor(rows), factor(cols))
        cells.append(((codes[:, None] == np.arange(groups)[None, :])[:, None, :] * z[:, :, None].astype(bool))
                     .reshape(n, k * groups).astype(float))
        contrasts.append(interaction_contrasts(groups, k))
    x = np.hstack(cells)
    m, v = stratified_mean(x, w, codes)
    c = _block_diagonal(contrasts)
    inverse_d = np.divide(1.0, m, out=np.zeros_like(m), where=m != 0)
    denominator = c.T @ (inverse_d[:, None] * c) / n
    numerator = c.T @ (inverse_d[:, None] * v * inverse_d[None, :]) @ c
    delta = np.linalg.solve(denominator, numerator)
    trace, trace_sq = float(np.trace(delta)), float(np.trace(delta @ delta))
    statistic, start = 0.0, 0
    for z in tables:
        size = z.shape[1] * groups
        statistic += _pearson(n * m[start:start + size].reshape(z.shape[1], groups).T)
        start += size
    ndf = trace**2 / trace_sq
    ddf = ndf * (n - groups)  # svychisq: d0 times degf(design), the respondents less the strata
    f = statistic / trace
    return {"statistic": statistic, "f_statistic": f, "ndf": ndf, "ddf": ddf,
            "p_value": float(stats.f.sf(f, ndf, ddf)), "mean_design_effect": trace / delta.shape[0]}


def _block_diagonal(blocks: Sequence[np.ndarray]) -> np.ndarray:
    out = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)))
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


def _nan_result(test: str, dropped: list, tick_all: bool) -> RaoScottTest:
    nan = float("nan")
    per_option = pd.DataFrame(columns=["option", "X2", "F", "ndf", "ddf", "p"]) if tick_all else None
    return RaoScottTest(test=test, statistic=nan, f_statistic=nan, ndf=nan, ddf=nan, p_value=nan,
                        mean_design_effect=nan, per_option=per_option, p_bonferroni=nan if tick_all else None,
                        dropped_options=dropped)


def not_testable(kind: str, why: str) -> RaoScottTest:
    """The test of a ``kind`` question that cannot be made, its name saying why."""
    name = WEIGHTED_MMI_TEST if kind == "multi" else RAO_SCOTT_TEST
    return _nan_result(f"{name} (not testable: {why})", [], tick_all=kind == "multi")


def rao_scott_test(answers, strata, weights, kind: str, options: Sequence | None = None) -> RaoScottTest:
    """The design-based test that the waves (``strata``, one label per respondent) answer alike.

    ``answers``: respondents (those who answered, in every wave) x options, 0/1: one-hot rows for
    a single-choice question (``kind="single"``), ticks for a tick-all one (``kind="multi"``);
    ``weights``: one positive weight per respondent; ``options``: the column labels.

    Single choice: ``svychisq(~wave + answer, design, statistic = "F")`` on the options chosen by
    someone (the others are not levels of the answer in R; listed in ``dropped_options``). Tick
    all: the weighted Bilder-Loughin test on the options ticked by some but not all respondents
    (the others have no variance), with each option's own ``svychisq`` in ``per_option`` and their
    Bonferroni p-value. NaN figures when no option is left to test."""
    y = np.asarray(answers, dtype=float)
    if y.ndim != 2 or not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("answers must be a respondents x options matrix of 0/1")
    labels = list(range(y.shape[1])) if options is None else list(options)
    if len(labels) != y.shape[1]:
        raise ValueError(f"{len(labels)} option labels for {y.shape[1]} option columns")
    codes, w, groups = _check(strata, weights, y.shape[0])
    if kind == "single":
        if not (y.sum(axis=1) == 1).all():
            raise ValueError("a single-choice answer is one option per respondent")
        chosen = y.sum(axis=0) > 0
        dropped = [labels[i] for i in np.flatnonzero(~chosen)]
        if chosen.sum() < 2:
            return _nan_result(RAO_SCOTT_TEST, dropped, tick_all=False)
        result = _second_order([y[:, chosen]], codes, w, groups)
        return RaoScottTest(test=RAO_SCOTT_TEST, per_option=None, p_bonferroni=None, dropped_options=dropped,
                            **result)
    if kind != "multi":
        raise ValueError(f"kind must be 'single' or 'multi', got {kind!r}")
    share = y.mean(axis=0)
    kept = np.flatnonzero((share > 0) & (share < 1))
    dropped = [labels[i] for i in np.flatnonzero(~((share > 0) & (share < 1)))]
    if kept.size == 0:
        return _nan_result(WEIGHTED_MMI_TEST, dropped, tick_all=True)
    tables = [np.column_stack([y[:, j], 1.0 - y[:, j]]) for j in kept]
    each = [_second_order([t], codes, w, groups) for t in tables]
    per_option = pd.DataFrame({"option": [labels[j] for j in kept], "X2": [e["statistic"] for e in each],
                               "F": [e["f_statistic"] for e in each], "ndf": [e["ndf"] for e in each],
                               "ddf": [e["ddf"] for e in each], "p": [e["p_value"] for e in each]})
    result = _second_order(tables, codes, w, groups)
    return RaoScottTest(test=WEIGHTED_MMI_TEST, per_option=per_option,
                        p_bonferroni=float(min(1.0, kept.size * per_option["p"].min())), dropped_options=dropped,
                        **result)
