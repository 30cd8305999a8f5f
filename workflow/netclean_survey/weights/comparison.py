"""Two waves compared with their weights (issue 16): the weighted counterpart of a comparison between
waves (``compare.runs.between``) and of a within-wave gap compared across waves
(``compare.runs.run_contrast``), on the same respondents and options.

The waves are the strata of one design with weights only (``svydesign(ids = ~1, strata = ~wave,
weights = ~w)`` in R), each wave's respondents in the question's base its sample, with the weights
of rule weights (raked or read from the export, trimmed, rounded once):

- per option (:func:`weighted_between`): each wave's weighted share with the release's weighted
  interval (Korn-Graubard or logit, :mod:`.intervals`), the difference b - a with its Wald interval
  and z test (:mod:`.differences`, R's ``svyby`` + ``svycontrast``), Holm over the options, and
  Kish's effective sample size of each wave's weights in the base;
- the whole question: the Rao-Scott F test, single choice, or the Bilder-Loughin test with weights,
  tick all (:mod:`.homogeneity`);
- a gap (:func:`weighted_contrast`): each wave's weighted mean of the respondents' contrast scores
  and the change between the waves, Wald intervals (:func:`.differences.weighted_mean_difference`).

Unweighted comparisons are untouched: these tables are written beside them (``compare/{name}/
weighted/``), each row saying how the weights were made (``weighting``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..compare.multiple import holm_adjust
from ..compare.runs import aligned_sides
from ..compare.sides import Side
from ..estimate.intervals import check_conf_level
from .differences import wald_interval, weighted_difference, weighted_mean_difference
from .estimates import WEIGHTED_INTERVALS, check_weighted_interval
from .homogeneity import RaoScottTest, not_testable, rao_scott_test
from .intervals import kish_effective_n, weighted_mean, weighted_share

#: Columns of :func:`weighted_between`'s table, in order.
WEIGHTED_COMPARE_COLUMNS = (
    "option", "label_sv", "label_en", "n_a", "count_a", "share_a", "ci_low_a", "ci_high_a", "ci_method", "n_b",
    "count_b", "share_b", "ci_low_b", "ci_high_b", "difference", "diff_ci_low", "diff_ci_high", "diff_ci_method",
    "statistic", "p_value", "test", "p_holm", "conf_level", "n_effective_a", "n_effective_b", "weighting",
)

#: ``diff_ci_method`` of a weighted difference: R's ``confint(svycontrast(...))``.
WEIGHTED_DIFF_METHOD = "Wald, linearisation variance (waves as strata)"
#: ``test`` of each option's weighted difference.
WEIGHTED_OPTION_TEST = "Wald z, linearisation variance"
#: ``ci_method`` of a weighted gap and of its change.
WEIGHTED_GAP_METHOD = "Wald on weighted respondent-level contrast scores, linearisation variance"

#: Columns of :func:`weighted_contrast`'s table (``compare.paired.GAP_COLUMNS`` and ``weighting``).
WEIGHTED_GAP_COLUMNS = ("group", "n", "estimate", "ci_low", "ci_high", "ci_method", "conf_level", "p_value",
                        "n_effective", "weighting")


@dataclass(frozen=True)
class WaveWeights:
    """The weights of the waves a comparison job reads (config weights on)."""

    weights: Mapping[str, pd.Series]  # per wave: one weight per row of its responses, indexed alike
    labels: Mapping[str, str]  # per wave: how its weights were made ("raked: respondent_region")
    interval_method: str  # korn-graubard or logit
    margins: Mapping[str, Sequence[str]] = field(default_factory=dict)  # per wave: the variables raked to

    def is_margin(self, question: str, *waves: str) -> bool:
        """Whether every one of the waves was raked to this question's population shares."""
        return all(question in self.margins.get(w, ()) for w in waves)


@dataclass
class WeightedBetween:
    options: pd.DataFrame  # WEIGHTED_COMPARE_COLUMNS
    test: RaoScottTest
    a: Side
    b: Side
    left_out: list[str] = field(default_factory=list)


def side_weights(s: Side, weights: pd.Series) -> np.ndarray:
    """The weights of a side's respondents, in the order of its ticks (``weights`` indexed like the
    responses the side was read from)."""
    if s.respondents is None:
        raise ValueError(f"{s.question.id} ({s.wave}): the side does not say which respondents it holds")
    missing = s.respondents.difference(weights.index)
    if len(missing):
        raise ValueError(f"{s.question.id} ({s.wave}): {len(missing)} respondent(s) without a weight")
    return weights.loc[s.respondents].to_numpy(dtype=float)


def weighting_of(labels: Mapping[str, str], *waves: str) -> str:
    """How the weights of the waves were made, once when they agree ("raked: respondent_region"),
    wave by wave when not ("2016: raked: respondent_region; 2018: export column: Weight")."""
    named = [labels[w] for w in waves]
    return named[0] if len(set(named)) == 1 else "; ".join(f"{w}: {label}" for w, label in zip(waves, named))


def _share_and_interval(ticks: np.ndarray, w: np.ndarray, method: str, level: float) -> tuple[float, float, float]:
    if ticks.size < 2:
        return np.nan, np.nan, np.nan
    share = weighted_share(ticks, w)[0]
    low, high = WEIGHTED_INTERVALS[method](ticks, w, level)
    return share, low, high


def weighted_between(a: Side, b: Side, weights_a: np.ndarray, weights_b: np.ndarray, interval_method: str,
                     conf_level: float, weighting: str) -> WeightedBetween:
    """One question in two weighted waves, option by option (the options ``compare.runs.between``
    compares) and as a whole. ``weights_a`` / ``weights_b``: one weight per respondent of each side
    (:func:`side_weights`)."""
    method = check_weighted_interval(interval_method)
    level = check_conf_level(conf_level)
    options, left_out, ticks_a, ticks_b = aligned_sides(a, b)
    ids = [o.id for o in options]
    y_a, y_b = ticks_a.to_numpy(dtype=float), ticks_b.to_numpy(dtype=float)
    w_a, w_b = np.asarray(weights_a, dtype=float), np.asarray(weights_b, dtype=float)
    if w_a.shape != (len(y_a),) or w_b.shape != (len(y_b),):
        raise ValueError(f"{a.question.id}: one weight per respondent of each wave is needed")
    rows = []
    for j, option in enumerate(options):
        share_a, low_a, high_a = _share_and_interval(y_a[:, j], w_a, method, level)
        share_b, low_b, high_b = _share_and_interval(y_b[:, j], w_b, method, level)
        row = {"option": option.id, "label_sv": option.sv, "label_en": option.en, "n_a": len(y_a),
               "count_a": int(y_a[:, j].sum()), "share_a": share_a, "ci_low_a": low_a, "ci_high_a": high_a,
               "ci_method": method, "n_b": len(y_b), "count_b": int(y_b[:, j].sum()), "share_b": share_b,
               "ci_low_b": low_b, "ci_high_b": high_b, "difference": np.nan, "diff_ci_low": np.nan,
               "diff_ci_high": np.nan, "diff_ci_method": WEIGHTED_DIFF_METHOD, "statistic": np.nan,
               "p_value": np.nan, "test": WEIGHTED_OPTION_TEST}
        if len(y_a) >= 2 and len(y_b) >= 2:
            d = weighted_difference(y_a[:, j], w_a, y_b[:, j], w_b, level)
            row.update(difference=d["difference"], diff_ci_low=d["ci_low"], diff_ci_high=d["ci_high"],
                       statistic=d["z"], p_value=d["p_value"])
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(WEIGHTED_COMPARE_COLUMNS[:21]))
    table["p_holm"] = holm_adjust(table["p_value"])
    table["conf_level"] = level
    table["n_effective_a"] = kish_effective_n(w_a) if len(w_a) else np.nan
    table["n_effective_b"] = kish_effective_n(w_b) if len(w_b) else np.nan
    table["weighting"] = weighting
    if min(len(y_a), len(y_b)) < 2:  # no design-based variance within a wave of one respondent
        test = not_testable(a.kind, "fewer than two respondents in a wave")
    else:
        test = rao_scott_test(np.vstack([y_a, y_b]), np.array([a.wave] * len(y_a) + [b.wave] * len(y_b)),
                              np.concatenate([w_a, w_b]), a.kind, ids)
    return WeightedBetween(table.astype({"n_a": "int64", "count_a": "int64", "n_b": "int64", "count_b": "int64"}),
                           test, a, b, left_out)


def weighted_contrast(a: Side, b: Side, weights_a: np.ndarray, weights_b: np.ndarray, contrast: Mapping[str, float],
                      conf_level: float, weighting: str) -> pd.DataFrame:
    """A within-wave gap (``contrast``: option -> coefficient, e.g. Asia minus the mean of North
    America and Europe) in each weighted wave and its change from a to b: the rows of
    ``compare.paired.gap_contrast`` with weights (:data:`WEIGHTED_GAP_COLUMNS`). Each respondent's
    score is sum_j c_j x_ij; its weighted mean is the same contrast of the weighted shares."""
    level = check_conf_level(conf_level)
    coefficients = np.array([float(v) for v in contrast.values()])
    scores, rows = [], []
    for s, w in ((a, weights_a), (b, weights_b)):
        values = s.ticks.reindex(columns=list(contrast), fill_value=False).to_numpy(dtype=float) @ coefficients
        w = np.asarray(w, dtype=float)
        scores.append((values, w))
        row = {"group": s.wave, "n": len(values), "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
               "p_value": np.nan, "n_effective": kish_effective_n(w) if len(w) else np.nan}
        if len(values) >= 2:
            mean, variance = weighted_mean(values, w)
            low, high, p_value = wald_interval(mean, variance, level)
            row.update(estimate=mean, ci_low=low, ci_high=high, p_value=p_value)
        rows.append(row)
    change = {"group": f"{b.wave} - {a.wave}", "n": rows[0]["n"] + rows[1]["n"], "estimate": np.nan,
              "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "n_effective": np.nan}
    if all(len(values) >= 2 for values, _ in scores):
        d = weighted_mean_difference(scores[0][0], scores[0][1], scores[1][0], scores[1][1], level)
        change.update(estimate=d["difference"], ci_low=d["ci_low"], ci_high=d["ci_high"], p_value=d["p_value"])
    table = pd.DataFrame(rows + [change])
    table["ci_method"] = WEIGHTED_GAP_METHOD
    table["conf_level"] = level
    table["weighting"] = weighting
    return table[list(WEIGHTED_GAP_COLUMNS)].astype({"n": "int64"})
