"""The plan of the next wave as tables (DataFrame in, DataFrame out), before rounding:

- :func:`precision_table`: for each published share of the release's last wave, the respondents
  its interval needs to be ``half_width`` wide on either side (:mod:`.precision`);
- :func:`question_precision`: the same per question, at its most demanding option (the share
  nearest one half), against the respondents it has now (the figure);
- :func:`detectable_table`: for each option of each comparison between the last two waves, the
  smallest change from the earlier share that their sample sizes detect at ``power``, next to the
  change observed (:func:`.power.minimum_detectable_difference`);
- :func:`weighted_detectable_table` (weights on): the same with the weighted shares and each
  wave's Kish effective sample size;
- :func:`tick_all_power_table`: for each tick-all question among those comparisons, the power of
  the Bilder-Loughin test against the shift observed, by seeded simulation
  (:func:`.power.mmi_power`); :func:`weighted_tick_all_power_table` (weights on) the same for the
  test with weights.

Shares come from whole counts (the estimates' ``count`` and ``n``, the comparisons' ticks), never
from a rounded share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .power import minimum_detectable_difference, mmi_power, weighted_mmi_power
from .precision import interval_half_width, respondents_for_method, respondents_normal

PRECISION_COLUMNS = ["wave", "question", "kind", "option", "label_sv", "label_en", "n", "count", "share", "ci_method",
                     "conf_level", "ci_half_width", "target_half_width", "respondents_normal", "respondents_needed"]
QUESTION_COLUMNS = ["wave", "question", "kind", "n", "option", "share", "target_half_width", "respondents_needed"]
DETECTABLE_COLUMNS = ["comparison", "wave_a", "question_a", "wave_b", "question_b", "option", "label_sv", "label_en",
                      "n_a", "count_a", "share_a", "n_b", "count_b", "share_b", "difference", "cohens_h",
                      "detectable_h", "detectable_increase", "detectable_decrease", "detectable", "alpha", "power"]
WEIGHTED_PRECISION_COLUMNS = ["wave", "weighting", "question", "kind", "option", "label_sv", "label_en", "n", "share",
                              "n_effective", "design_effect", "ci_method", "conf_level", "target_half_width",
                              "effective_needed", "respondents_needed"]
WEIGHTED_DETECTABLE_COLUMNS = ["comparison", "weighting", "wave_a", "question_a", "wave_b", "question_b", "option",
                               "label_sv", "label_en", "n_a", "n_effective_a", "share_a", "n_b", "n_effective_b",
                               "share_b", "difference", "cohens_h", "detectable_h", "detectable_increase",
                               "detectable_decrease", "detectable", "alpha", "power"]
POWER_COLUMNS = ["comparison", "wave_a", "question_a", "wave_b", "question_b", "n_a", "n_b", "options_compared", "test",
                 "alpha", "simulations", "rejected", "power", "power_ci_low", "power_ci_high", "power_ci_method",
                 "conf_level", "seed"]

#: The test whose power :func:`tick_all_power_table` simulates, as the tables name it.
POWER_TEST = "Bilder-Loughin MMI, second-order Rao-Scott p-value"
#: The test whose power :func:`weighted_tick_all_power_table` simulates.
WEIGHTED_POWER_TEST = "Bilder-Loughin MMI with weights, Rao-Scott F (second-order)"
WEIGHTED_POWER_COLUMNS = POWER_COLUMNS[:1] + ["weighting"] + POWER_COLUMNS[1:]


def _respondents(value: float) -> object:
    return pd.NA if math.isnan(value) else int(value)


def precision_table(estimates: pd.DataFrame, half_width: float, method: str, conf_level: float) -> pd.DataFrame:
    """One row per share of ``estimates`` (the estimate stage's table of one wave, rows with a base):
    the share from its count and base, the half-width of its ``method`` interval now (half its
    length), and the respondents needed for a half-width of ``half_width`` (a share, 0.05 for 5
    points) at that share: Cochran's normal-approximation figure and the ``method`` interval's
    (:func:`.precision.respondents_for_method`)."""
    rows = []
    for r in estimates.itertuples(index=False):
        n, count = int(r.n), int(r.count)
        if n == 0:
            continue  # no base, no share to plan from (nobody answered)
        share = count / n
        rows.append({
            "wave": str(r.wave), "question": r.question, "kind": r.kind, "option": r.option,
            "label_sv": r.label_sv, "label_en": r.label_en, "n": n, "count": count, "share": share,
            "ci_method": method, "conf_level": float(conf_level),
            "ci_half_width": interval_half_width(share, n, method, conf_level),
            "target_half_width": float(half_width),
            "respondents_normal": _respondents(respondents_normal(share, half_width, conf_level)),
            "respondents_needed": _respondents(respondents_for_method(share, half_width, method, conf_level)),
        })
    table = pd.DataFrame(rows, columns=PRECISION_COLUMNS)
    return table.astype({"n": "int64", "count": "int64", "respondents_normal": "Int64", "respondents_needed": "Int64"})


def weighted_precision_table(weighted: pd.DataFrame, half_width: float, method: str,
                             conf_level: float) -> pd.DataFrame:
    """With weights on: one row per weighted share of the last wave (``weights.estimates``' table,
    rows with a base): the effective sample size the release's ``method`` interval needs for a
    half-width of ``half_width`` at the weighted share (:func:`.precision.respondents_for_method`,
    with equal weights), and the respondents that takes when the next wave's weights are as unequal
    as this wave's: the effective size times Kish's design effect of the question's weights, rounded
    up (Kish 1965, n = n_eff deff)."""
    rows = []
    for r in weighted.itertuples(index=False):
        if int(r.n) < 2 or math.isnan(float(r.share)):
            continue  # no weighted share to plan from
        effective = respondents_for_method(float(r.share), half_width, method, conf_level)
        deff = float(r.design_effect)
        needed = math.nan if math.isnan(effective) else math.ceil(effective * deff - 1e-9)
        rows.append({
            "wave": str(r.wave), "weighting": r.weighting, "question": r.question, "kind": r.kind, "option": r.option,
            "label_sv": r.label_sv, "label_en": r.label_en, "n": int(r.n), "share": float(r.share),
            "n_effective": float(r.n_effective), "design_effect": deff, "ci_method": method,
            "conf_level": float(conf_level), "target_half_width": float(half_width),
            "effective_needed": _respondents(effective), "respondents_needed": _respondents(needed),
        })
    table = pd.DataFrame(rows, columns=WEIGHTED_PRECISION_COLUMNS)
    return table.astype({"n": "int64", "effective_needed": "Int64", "respondents_needed": "Int64"})


def question_precision(precision: pd.DataFrame) -> pd.DataFrame:
    """Per question (in the order of ``precision``), the option that needs the most respondents for
    the target half-width (ties: the first), with the question's base now."""
    rows = []
    for question, group in precision.groupby("question", sort=False):
        needed = group["respondents_needed"].astype("Float64").fillna(-1)
        top = group.loc[needed.idxmax()]
        rows.append({k: top[k] for k in QUESTION_COLUMNS})
    table = pd.DataFrame(rows, columns=QUESTION_COLUMNS)
    return table.astype({"n": "int64", "respondents_needed": "Int64"})


def _cohens_h(p_a: float, p_b: float) -> float:
    # math, not numpy: the same bits on every CPU
    return 2 * math.asin(math.sqrt(p_b)) - 2 * math.asin(math.sqrt(p_a))


def detectable_table(pairs: Sequence[tuple], alpha: float, power: float) -> pd.DataFrame:
    """``pairs``: (comparison name, side a, side b, shared options, ticks a, ticks b), as
    :func:`netclean_survey.compare.runs.aligned_sides` gives them. One row per shared option: both
    shares, the change observed (b - a) and its Cohen's h, the h a two-sided test at ``alpha``
    detects with ``power`` with these sample sizes, and the smallest rise and fall from share a
    that reach it; ``detectable``: whether the change observed is at least that large."""
    rows = []
    for name, a, b, options, ticks_a, ticks_b in pairs:
        counts_a, counts_b = ticks_a.sum(), ticks_b.sum()
        for option in options:
            count_a, count_b = int(counts_a[option.id]), int(counts_b[option.id])
            share_a, share_b = count_a / a.n, count_b / b.n
            h, increase, decrease = minimum_detectable_difference(share_a, a.n, b.n, alpha, power)
            observed_h = _cohens_h(share_a, share_b)
            rows.append({
                "comparison": name, "wave_a": a.wave, "question_a": a.question.id, "wave_b": b.wave,
                "question_b": b.question.id, "option": option.id, "label_sv": option.sv, "label_en": option.en,
                "n_a": a.n, "count_a": count_a, "share_a": share_a, "n_b": b.n, "count_b": count_b,
                "share_b": share_b, "difference": share_b - share_a, "cohens_h": observed_h, "detectable_h": h,
                "detectable_increase": increase, "detectable_decrease": decrease,
                # compared on the published digits: the verdict cannot hang on the last bits of a float
                "detectable": round(abs(observed_h), 6) >= round(h, 6),
                "alpha": float(alpha), "power": float(power),
            })
    table = pd.DataFrame(rows, columns=DETECTABLE_COLUMNS)
    return table.astype({"n_a": "int64", "count_a": "int64", "n_b": "int64", "count_b": "int64", "detectable": bool})


def weighted_detectable_table(pairs: Sequence[tuple], weights: Sequence[tuple], weighting: str, alpha: float,
                              power: float) -> pd.DataFrame:
    """With weights on, :func:`detectable_table` on the weighted footing: for each shared option the
    weighted shares of both waves, and the change a two-sided test at ``alpha`` detects with
    ``power`` when each wave counts as its Kish effective sample size (n_eff = (sum w)^2 / sum w^2 of
    the weights of the question's base; Kish 1965): the effective sizes stand in for n_a and n_b in
    :func:`.power.minimum_detectable_difference`. ``weights``: (weights of side a, of side b) per
    pair, one weight per respondent in the order of its ticks."""
    from ..weights.intervals import kish_effective_n, weighted_share

    rows = []
    for (name, a, b, options, ticks_a, ticks_b), (w_a, w_b) in zip(pairs, weights):
        if a.n < 2 or b.n < 2:
            continue  # no weighted share to plan from
        n_eff_a, n_eff_b = kish_effective_n(w_a), kish_effective_n(w_b)
        for option in options:
            share_a = weighted_share(ticks_a[option.id].to_numpy(dtype=float), w_a)[0]
            share_b = weighted_share(ticks_b[option.id].to_numpy(dtype=float), w_b)[0]
            h, increase, decrease = minimum_detectable_difference(share_a, n_eff_a, n_eff_b, alpha, power)
            observed_h = _cohens_h(share_a, share_b)
            rows.append({
                "comparison": name, "weighting": weighting, "wave_a": a.wave, "question_a": a.question.id,
                "wave_b": b.wave, "question_b": b.question.id, "option": option.id, "label_sv": option.sv,
                "label_en": option.en, "n_a": a.n, "n_effective_a": n_eff_a, "share_a": share_a, "n_b": b.n,
                "n_effective_b": n_eff_b, "share_b": share_b, "difference": share_b - share_a, "cohens_h": observed_h,
                "detectable_h": h, "detectable_increase": increase, "detectable_decrease": decrease,
                "detectable": round(abs(observed_h), 6) >= round(h, 6), "alpha": float(alpha), "power": float(power),
            })
    table = pd.DataFrame(rows, columns=WEIGHTED_DETECTABLE_COLUMNS)
    return table.astype({"n_a": "int64", "n_b": "int64", "detectable": bool})


def tick_all_power_table(pairs: Sequence[tuple], alpha: float, simulations: int, seed: int,
                         conf_level: float) -> pd.DataFrame:
    """One row per tick-all comparison of ``pairs`` (as for :func:`detectable_table`): the power of
    the Bilder-Loughin test at ``alpha`` against the shift the two waves show, with the waves'
    sample sizes, from ``simulations`` simulations seeded with ``seed``, and the Clopper-Pearson
    interval of that Monte Carlo estimate at ``conf_level``."""
    rows = []
    for name, a, b, options, ticks_a, ticks_b in pairs:
        if a.kind != "multi":
            continue
        result = mmi_power(ticks_a.to_numpy(dtype=float), ticks_b.to_numpy(dtype=float), simulations=simulations,
                           seed=seed, alpha=alpha, conf_level=conf_level)
        rows.append({
            "comparison": name, "wave_a": a.wave, "question_a": a.question.id, "wave_b": b.wave,
            "question_b": b.question.id, "n_a": a.n, "n_b": b.n, "options_compared": ";".join(o.id for o in options),
            "test": POWER_TEST, "alpha": float(alpha), "simulations": result["simulations"],
            "rejected": result["rejected"], "power": result["power"], "power_ci_low": result["ci_low"],
            "power_ci_high": result["ci_high"], "power_ci_method": "clopper-pearson", "conf_level": float(conf_level),
            "seed": result["seed"],
        })
    return _power_frame(rows, POWER_COLUMNS)


def _power_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"n_a": "int64", "n_b": "int64", "simulations": "int64", "rejected": "int64", "seed": "int64"})


def weighted_tick_all_power_table(pairs: Sequence[tuple], weights: Sequence[tuple], weighting: str, alpha: float,
                                  simulations: int, seed: int, conf_level: float) -> pd.DataFrame:
    """With weights on, :func:`tick_all_power_table` for the Bilder-Loughin test with weights
    (:func:`.power.weighted_mmi_power`); ``weights`` as for :func:`weighted_detectable_table`."""
    rows = []
    for (name, a, b, options, ticks_a, ticks_b), (w_a, w_b) in zip(pairs, weights):
        if a.kind != "multi" or a.n < 2 or b.n < 2:
            continue
        result = weighted_mmi_power(ticks_a.to_numpy(dtype=float), w_a, ticks_b.to_numpy(dtype=float), w_b,
                                    simulations=simulations, seed=seed, alpha=alpha, conf_level=conf_level)
        rows.append({
            "comparison": name, "weighting": weighting, "wave_a": a.wave, "question_a": a.question.id,
            "wave_b": b.wave, "question_b": b.question.id, "n_a": a.n, "n_b": b.n,
            "options_compared": ";".join(o.id for o in options), "test": WEIGHTED_POWER_TEST, "alpha": float(alpha),
            "simulations": result["simulations"], "rejected": result["rejected"], "power": result["power"],
            "power_ci_low": result["ci_low"], "power_ci_high": result["ci_high"],
            "power_ci_method": "clopper-pearson", "conf_level": float(conf_level), "seed": result["seed"],
        })
    return _power_frame(rows, WEIGHTED_POWER_COLUMNS)
