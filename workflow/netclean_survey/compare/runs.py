"""Comparisons as configured: which ones a release has, and each one's tables.

Four kinds, each a function from responses (and the codebook) to DataFrames:

- ``between``: one question in two waves (independent samples): per option both shares, the
  difference with its Newcombe interval, score test, Cohen's h, Holm; the whole question by
  chi-square (single choice) or the Bilder-Loughin test (tick all).
- ``within``: options of one tick-all question against each other (paired: McNemar, Cochran's Q).
- ``paired_questions``: two tick-all questions with the same options, same respondents.
- ``contrasts``: a within-wave gap between options, compared across waves.

The statistics live in ``compare`` and ``paired``; this module only assembles their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..clean.raw import multi_column
from ..core.codebook import Codebook
from ..core.plan import Comparison
from .independent import homogeneity_test, mmi_test, two_sample_by_option
from .paired import compare_options, compare_paired_questions, gap_contrast
from .sides import Side, aligned_ticks, shared_options, side


@dataclass
class BetweenResult:
    options: pd.DataFrame  # per option, with label_sv and label_en
    test: dict  # the whole-question test
    a: Side
    b: Side
    left_out: list[str] = field(default_factory=list)


def aligned_sides(a: Side, b: Side) -> tuple[list, list[str], pd.DataFrame, pd.DataFrame]:
    """The options two sides share, those left out, and each side's ticks on the shared ones
    (respondents x option ids, in the same order)."""
    if a.kind != b.kind:
        raise ValueError(f"cannot compare a {a.kind} question ({a.question.id}) with a {b.kind} one ({b.question.id})")
    options, left_out = shared_options(a, b)
    ids = [o.id for o in options]
    return options, left_out, aligned_ticks(a, ids), aligned_ticks(b, ids)


def comparison_sides(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook) -> tuple[Side, Side]:
    """The two sides (a, b) of a comparison between waves or a contrast, harmonised if asked."""
    spec = comparison.spec
    harmonise = bool(spec.get("harmonise", False))
    return tuple(side(responses[spec[k]["wave"]], codebook, waves[spec[k]["wave"]], spec[k]["question"], harmonise)
                 for k in ("a", "b"))


def between(a: Side, b: Side, conf_level: float, interval_method: str, seed: int, resamples: int, min_expected: float) -> BetweenResult:
    """One question in two independent samples, option by option and as a whole."""
    options, left_out, ticks_a, ticks_b = aligned_sides(a, b)
    ids = [o.id for o in options]
    table = two_sample_by_option(
        ticks_a.sum().to_numpy(), a.n, ticks_b.sum().to_numpy(), b.n, ids, conf_level=conf_level, interval_method=interval_method
    )
    table.insert(1, "label_sv", [o.sv for o in options])
    table.insert(2, "label_en", [o.en for o in options])
    table.insert(table.columns.get_loc("n_b"), "ci_method", interval_method)
    if a.kind == "single":
        counts = pd.DataFrame([ticks_a.sum(), ticks_b.sum()], index=[a.wave, b.wave])
        test = homogeneity_test(counts, seed=seed, n_resamples=resamples, min_expected=min_expected)
    else:
        test = mmi_test([ticks_a.to_numpy(), ticks_b.to_numpy()], B=resamples, seed=seed, options=ids)
    return BetweenResult(table, test, a, b, left_out)


def run_between(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook, settings: dict, interval_method: str) -> BetweenResult:
    a, b = comparison_sides(comparison, responses, waves, codebook)
    return between(a, b, settings["conf_level"], interval_method, settings["seed"], settings["bootstrap_resamples"], settings["min_expected"])


def run_within(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook, settings: dict):
    spec = comparison.spec
    s = side(responses[spec["wave"]], codebook, waves[spec["wave"]], spec["question"])
    if s.kind != "multi":
        raise ValueError(f"{comparison.name}: options are compared within a tick-all question; {s.question.id} is {s.kind}")
    options = spec.get("options") or s.question.option_ids
    unknown = [o for o in options if o not in s.question.option_ids]
    if unknown:
        raise ValueError(f"{comparison.name}: {unknown} are not options of {s.question.id} in wave {s.wave}")
    pairs, overall = compare_options(s.ticks, options, conf_level=settings["conf_level"])
    return s, pairs, overall


def paired_question_inputs(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook):
    """(first side, second side, each one's ticks indexed by respondent id, the options' scores) of two
    tick-all questions of one wave with the same options."""
    spec = comparison.spec
    wave = waves[spec["wave"]]
    frame = responses[spec["wave"]]
    first, second = (side(frame, codebook, wave, spec[k]) for k in ("first", "second"))
    if first.question.option_ids != second.question.option_ids:
        raise ValueError(f"{comparison.name}: {first.question.id} and {second.question.id} do not share their options")
    # respondents indexed alike: the rows of the responses table, base rows only on each side
    ticks = [_ticks_by_respondent(frame, s) for s in (first, second)]
    scores = {o.id: o.score for o in first.question.options}
    if any(v is None for v in scores.values()):
        scores = {o: float(i) for i, o in enumerate(first.question.option_ids, start=1)}
    return first, second, ticks[0], ticks[1], scores


def run_paired_questions(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook, settings: dict):
    first, second, ticks_first, ticks_second, scores = paired_question_inputs(comparison, responses, waves, codebook)
    per_option, summary = compare_paired_questions(ticks_first, ticks_second, scores, conf_level=settings["conf_level"])
    return first, second, per_option, summary


def _ticks_by_respondent(frame: pd.DataFrame, s: Side) -> pd.DataFrame:
    """The side's ticks indexed by respondent id, missing for respondents outside its base."""
    columns = [multi_column(s.question.id, o) for o in s.question.option_ids]
    ticks = frame.set_index("respondent_id")[columns].astype("boolean")
    ticks.columns = s.question.option_ids
    return ticks


def run_contrast(comparison: Comparison, responses: dict, waves: dict, codebook: Codebook, settings: dict):
    spec = comparison.spec
    a, b = comparison_sides(comparison, responses, waves, codebook)
    weights = {str(k): float(v) for k, v in spec["weights"].items()}
    for s in (a, b):
        unknown = [o for o in weights if o not in s.question.option_ids]
        if unknown:
            raise ValueError(f"{comparison.name}: weights name {unknown}, not options of {s.question.id} in wave {s.wave}")
    table = gap_contrast(a.ticks, b.ticks, weights, conf_level=settings["conf_level"], labels=(a.wave, b.wave))
    return a, b, table
