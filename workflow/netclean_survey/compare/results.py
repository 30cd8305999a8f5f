"""The results of the tests of the compare stage, as frozen dataclasses.

Each result's fields are what ``test.csv`` lists (key and value, in field order) and what the
Markdown sentences read: a result is also a read-only mapping of its field names to their values,
a field that is None (not applicable to this result) left out. ``numpy.nan`` marks a number that
could not be computed (a test without respondents) and is kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

import pandas as pd


class Result(Mapping):
    """A frozen dataclass read as a mapping: ``result["p_value"]``, ``dict(result)``, ``result.items()``."""

    def __getitem__(self, key: str):
        if key in self._names():
            value = getattr(self, key)
            if value is not None:
                return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._names() if getattr(self, name) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))


@dataclass(frozen=True, eq=False)
class ChiSquareTest(Result):
    """Pearson's chi-square test of homogeneity of a single-choice question across groups, with
    Cramér's V (:func:`.independent.homogeneity_test`)."""

    test: str  # which version: asymptotic, seeded Monte Carlo, or not testable
    statistic: float
    df: float
    p_value: float
    min_expected: float  # the smallest expected count (below the threshold: Monte Carlo)
    cramers_v: float
    dropped_options: list  # options nobody chose, left out of the table


@dataclass(frozen=True, eq=False)
class MMITest(Result):
    """Bilder and Loughin's (2004) test of multiple marginal independence of a tick-all question
    across groups (:func:`.independent.mmi_test`)."""

    test: str
    statistic: float  # the sum of the per-option Pearson statistics
    per_option: pd.DataFrame  # option, X2, p
    p_bonferroni: float
    rs2_statistic: float  # second-order Rao-Scott
    rs2_df: float
    p_rs2: float
    p_bootstrap: float
    B: int  # bootstrap resamples
    seed: int
    dropped_options: list  # options nobody (or everybody) ticked


@dataclass(frozen=True, eq=False)
class McNemarTest(Result):
    """McNemar's exact test of two yes/no items over the same respondents, with the paired
    difference and its Newcombe (1998b) interval (:func:`.paired.mcnemar_exact`)."""

    n: int
    both: int
    only_first: int
    only_second: int
    neither: int
    share_first: float
    share_second: float
    difference: float
    ci_low: float
    ci_high: float
    ci_method: str
    conf_level: float
    test: str
    p_value: float
    options: list | None = None  # when it is the whole-question test of two options


@dataclass(frozen=True, eq=False)
class CochranQTest(Result):
    """Cochran's (1950) Q test that k paired yes/no items have the same proportion of yes
    (:func:`.paired.cochrans_q`)."""

    test: str
    statistic: float
    df: int
    p_value: float
    n: int
    options: list | None = None  # when it is the whole-question test of the options compared


@dataclass(frozen=True, eq=False)
class MeanScoreTest(Result):
    """Where the answers of two tick-all questions with scored options sit, for the same
    respondents: the mean score of the options ticked, paired t interval and test, Wilcoxon
    signed-rank as a check (:func:`.paired.compare_paired_questions`)."""

    n_answered_both: int
    n: int  # respondents with a score in both
    n_without_score: int
    score: str
    scores: dict  # option -> score
    mean_first: float
    mean_second: float
    mean_difference: float
    ci_low: float
    ci_high: float
    ci_method: str
    conf_level: float
    test: str
    statistic: float
    df: float
    p_value: float
    robustness_test: str
    robustness_p_value: float


@dataclass(frozen=True, eq=False)
class NoTest(Result):
    """No test could be made (fewer than two groups with answers): the reason, as the test's name."""

    test: str
