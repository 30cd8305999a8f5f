"""Every question by a respondent group (respondent region), with intervals, a test of
association, and small-cell suppression in what is published.

Suppression (``suppress``), as statistics offices practise it (e.g. Eurostat's and the ONS's
guidance on tabular data: primary suppression of small cells, secondary suppression against
recovery by subtraction), written here because no maintained Python library does cell suppression
of a long-format table (sdcMicro and tau-Argus are R and Java tools):

- *primary*: a count below the threshold (or a group base below it) is not published;
- *secondary*: for a single-choice question the counts of a group add up to its base, and a group's
  count of an option adds up with the other groups' to the wave's own count (published in the
  wave's tables): a lone hidden count in such a line could be worked out by subtraction, so the
  smallest visible count of the line is hidden too, until no lone hidden count is left; a lone
  hidden group base hides the next smallest base.

What is published: ``n`` and ``count`` empty where hidden (numbers stay numbers), the share and its
interval empty for a hidden count, and the flags ``suppressed`` (of the count) and ``n_suppressed``
(of the group base): ``primary``, ``secondary`` or empty. A hidden cell's marker in the Markdown
(``<5`` for primary, ``x`` for secondary) then never states something false: ``<5`` only where the
count is below 5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.codebook import Codebook, Wave
from ..estimate.intervals import proportion_interval
from .independent import homogeneity_test, mmi_test
from .results import NoTest
from .sides import side, wave_question

COLUMNS = [
    "wave", "by", "group", "group_label_sv", "group_label_en", "question", "kind", "option", "label_sv", "label_en",
    "n", "count", "share", "ci_low", "ci_high", "ci_method", "conf_level",
]


def breakdown(
    responses: pd.DataFrame,
    codebook: Codebook,
    wave: Wave,
    question_id: str,
    by: str,
    conf_level: float = 0.95,
    interval_method: str = "wilson",
    seed: int = 0,
    resamples: int = 9999,
    min_expected: float = 5.0,
) -> tuple[pd.DataFrame, dict]:
    """Shares of one question in each group of ``by`` (a single-choice or derived question),
    and the test of association: chi-square for a single-choice question, the Bilder-Loughin
    test for a tick-all one. Nothing is suppressed here (see ``suppress``)."""
    groups = wave_question(codebook, wave, by)
    question = wave_question(codebook, wave, question_id)
    rows, tick_sets = [], []
    for group in groups.options:
        members = responses[responses[by] == group.id]
        s = side(members, codebook, wave, question_id)
        counts = s.counts.reindex(question.option_ids, fill_value=0).to_numpy()
        n = np.full(len(counts), s.n)
        low, high = proportion_interval(counts, n, method=interval_method, conf_level=conf_level)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n > 0, counts / np.maximum(n, 1), np.nan)
        rows.append(pd.DataFrame({
            "wave": wave.name, "by": by, "group": group.id, "group_label_sv": group.sv, "group_label_en": group.en,
            "question": question.id, "kind": question.kind, "option": question.option_ids,
            "label_sv": [o.sv for o in question.options], "label_en": [o.en for o in question.options],
            "n": n.astype("int64"), "count": counts.astype("int64"), "share": share, "ci_low": low, "ci_high": high,
            "ci_method": interval_method, "conf_level": conf_level,
        }))
        if s.n:
            tick_sets.append(s.ticks.reindex(columns=question.option_ids, fill_value=False).to_numpy())
    table = pd.concat(rows, ignore_index=True)[COLUMNS]
    if len(tick_sets) < 2:
        test = NoTest("none: fewer than two groups with answers")
    elif question.kind == "single":
        counts = pd.DataFrame([t.sum(axis=0) for t in tick_sets], columns=question.option_ids)
        test = homogeneity_test(counts, seed=seed, n_resamples=resamples, min_expected=min_expected)
    else:
        test = mmi_test(tick_sets, B=resamples, seed=seed, options=question.option_ids)
    return table, test


PRIMARY, SECONDARY = "primary", "secondary"


def suppress(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The publishable table: no count or base below ``threshold`` is shown, nor a share from one,
    nor a count that subtraction would reveal one from (module docstring)."""
    out = table.copy()
    base_primary = out["n"] < threshold
    base_secondary = pd.Series(False, index=out.index)
    # the group bases add up to the wave's base: one hidden base hides the next smallest too
    bases = out.groupby("group", sort=False)["n"].first()
    if (bases < threshold).sum() == 1 and len(bases) > 1:
        base_secondary = out["group"] == bases[bases >= threshold].idxmin()
    primary = (out["count"] < threshold) | base_primary  # a count in a base below the threshold is below it too
    hidden_count = primary | base_secondary
    # Secondary suppression, until nothing changes: a lone hidden count in a line whose total is
    # published could be worked out by subtraction, so the smallest visible count of that line is
    # hidden too. Lines: the options of one group of a single-choice question (they add up to the
    # group's n), and the groups of one option (they add up to the wave's count, published in the
    # wave's own tables).
    lines = [out.index.to_series().groupby(out["option"], sort=False)]
    if (out["kind"] == "single").all():
        lines.append(out.index.to_series().groupby(out["group"], sort=False))
    changed = True
    while changed:
        changed = False
        for grouping in lines:
            for _, index in grouping:
                hidden = hidden_count[index]
                if hidden.sum() == 1 and len(index) > 1:
                    visible = out.loc[index[~hidden.to_numpy()], "count"]
                    hidden_count[visible.idxmin()] = True
                    changed = True
    hidden_base = base_primary | base_secondary
    out["n"] = out["n"].astype("Int64").mask(hidden_base.to_numpy())
    out["count"] = out["count"].astype("Int64").mask(hidden_count.to_numpy())
    for column in ("share", "ci_low", "ci_high"):
        out[column] = out[column].where(~hidden_count)
    out["suppressed"] = np.select([primary, hidden_count], [PRIMARY, SECONDARY], "")
    out["n_suppressed"] = np.select([base_primary, base_secondary], [PRIMARY, SECONDARY], "")
    return out
