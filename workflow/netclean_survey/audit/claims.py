"""The report's claims, claim by claim, as testable statements checked against the data.

The report says "drygt 16 procent", "nästan en tredjedel", "de allra flesta i åldersspannet elva
till tretton år", "lika vanligt i alla tre världsdelarna". This module turns such words into
statements about the survey's shares and says, for each, whether the data give it (the words
become exact intervals in :mod:`.lexicon`, the claims are loaded by :mod:`.claim_specs`, the report
is written by :mod:`.claims_report`):

- :func:`evaluate_claims`: one :class:`ClaimResult` per claim (the columns :data:`RESULT_COLUMNS`
  are its fields) with a verdict (:data:`VERDICTS`) and the strength of the evidence
  (:data:`EVIDENCE`), from the :class:`Evaluation` that the evaluator of its kind makes;
- :func:`summarise_claims`: one row per numbered claim of the survey reference (several claims
  may test parts of one numbered claim).

Verdict and evidence (the contract shown to auditors):

- ``reproduced``: the point estimate satisfies the claim; ``not reproduced`` otherwise;
  ``inconsistent (rounding)``: a printed share that no whole count of its base can give (GRIM,
  :mod:`.consistency`), while the data's count is one of the two nearest it: a printing
  inconsistency of the report (e.g. a share printed as 100 minus the others' rounded shares), not
  evidence against the claim. A numbered claim whose parts are reproduced but for such parts is
  ``reproduced, with a printing inconsistency``.
- ``robust``: the whole confidence interval satisfies it (or, for comparisons of options, every
  needed difference is significant after Holm's adjustment in the claimed direction);
  ``fragile``: the data neither establish nor refute it (the interval crosses the line);
  ``contradicted``: the data speak against it (the interval lies wholly on the wrong side, or a
  needed difference is significant in the wrong direction).

The statistics are the project's own, reused, never rewritten here: shares and intervals from the
estimates table (:mod:`netclean_survey.estimate.shares`; :func:`~netclean_survey.estimate.intervals.proportion_interval`
for shares the table does not hold), the respondents of a question from
:func:`netclean_survey.compare.sides.side`, paired comparisons of options from
:func:`netclean_survey.compare.paired.compare_options` (McNemar 1947 exact test, Newcombe 1998b method 10
interval) with Holm (1979) by :func:`netclean_survey.compare.multiple.holm_adjust`, where the distribution
of two questions sits from :func:`netclean_survey.compare.runs.run_paired_questions`
(:func:`~netclean_survey.compare.paired.compare_paired_questions`), a gap between options across waves
from :func:`netclean_survey.compare.runs.run_contrast` (:func:`~netclean_survey.compare.paired.gap_contrast`)
and a difference of shares between waves from :func:`netclean_survey.compare.independent.two_sample_by_option`
(Newcombe 1998 hybrid score interval, score test).

"About equally common" is an equivalence statement (Schuirmann 1987; Wellek 2010): options are
equal when every pairwise difference lies within +/- a margin fixed in advance
(``settings["equivalence_margin"]``, percentage points); the evidence is robust when every
paired interval lies inside the margin.

No file I/O in :func:`evaluate_claims` (the loaders read YAML with ``yaml.safe_load`` only).

References
----------
- McNemar, Q. (1947). Note on the sampling error of the difference between correlated
  proportions or percentages. *Psychometrika* 12(2), 153-157.
- Newcombe, R. G. (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890.
- Newcombe, R. G. (1998b). Improved confidence intervals for the difference between binomial
  proportions based on paired data. *Statistics in Medicine* 17(22), 2635-2650.
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2), 65-70.
- Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
  approach for assessing the equivalence of average bioavailability. *Journal of
  Pharmacokinetics and Biopharmaceutics* 15(6), 657-680.
- Wellek, S. (2010). *Testing Statistical Hypotheses of Equivalence and Noninferiority*, 2nd ed.
  Chapman & Hall/CRC.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from fractions import Fraction

import numpy as np
import pandas as pd

from ..compare.independent import DIFF_CI_METHOD, TWO_SAMPLE_TEST, two_sample_by_option
from ..compare.multiple import holm_adjust
from ..compare.paired import (
    GAP_DIFFERENCE_INTERVAL_METHOD,
    MCNEMAR_TEST,
    MEAN_SCORE_INTERVAL_METHOD,
    MEAN_SCORE_ROBUSTNESS_TEST,
    MEAN_SCORE_TEST,
    PAIRED_INTERVAL_METHOD,
    compare_options,
)
from ..compare.runs import paired_question_inputs, run_contrast, run_paired_questions
from ..compare.sides import Side, side, wave_question
from ..core.codebook import Codebook, Question, Wave
from ..core.errors import ClaimError
from ..core.interval import Interval, number_text
from ..core.plan import Comparison
from ..core.rounding import round_half_up
from ..estimate.intervals import proportion_interval
from ..weights.comparison import WEIGHTED_DIFF_METHOD, WEIGHTED_GAP_METHOD, side_weights, weighted_contrast
from ..weights.differences import weighted_difference
from ..weights.estimates import WEIGHTED_INTERVALS
from ..weights.intervals import kish_effective_n, weighted_share
from ..weights.paired import WEIGHTED_PAIR_METHOD, WEIGHTED_SHIFT_METHOD, weighted_option_pairs, weighted_score_shift
from .claim_specs import check_claims, claim_settings
from .consistency import count_range, nearest_counts, parse_printed
from .lexicon import LANGS, Lexicon, parse_phrase, printed_interval

VERDICTS = ("reproduced", "not reproduced", "inconsistent (rounding)")
SUMMARY_WITH_INCONSISTENCY = "reproduced, with a printing inconsistency"
EVIDENCE = ("robust", "fragile", "contradicted")


@dataclass(frozen=True)
class Evaluation:
    """What the data say about one claim (what an evaluator of one kind of claim finds)."""

    wave: str  # the wave, or "2016 vs 2018" for a change between waves
    statement_en: str  # the claim as a statement about the data
    statement_sv: str
    estimate: float  # in ``unit``
    ci_low: float
    ci_high: float
    unit: str  # one of UNITS
    n: int  # respondents the estimate is of
    method: str  # how the estimate and its interval were made
    verdict: str  # one of VERDICTS
    evidence: str  # one of EVIDENCE
    note: str  # the numbers behind the verdict, in words
    # the statement and the note again, naming questions and options by the questionnaire's text
    # and labels in one language instead of their ids (:class:`Names`): for the Markdown report
    statement_labelled_sv: str
    statement_labelled_en: str
    note_labelled_sv: str  # the note in Swedish words and numbers (decimal comma), Swedish labels
    note_labelled_en: str


@dataclass(frozen=True)
class ClaimResult:
    """One row of the audit: the claim as the report words it, and its :class:`Evaluation`."""

    id: str
    survey_claim: int  # the numbered claim of the survey reference it tests (part of)
    wave: str
    kind: str  # one of CLAIM_KINDS
    words_sv: str  # the report's words
    words_en: str
    statement_sv: str
    statement_en: str
    estimate: float
    ci_low: float
    ci_high: float
    unit: str
    n: int
    method: str
    verdict: str
    evidence: str
    note: str
    statement_labelled_sv: str
    statement_labelled_en: str
    note_labelled_sv: str
    note_labelled_en: str


#: Columns of :func:`evaluate_claims`, in order: the fields of :class:`ClaimResult`.
RESULT_COLUMNS = tuple(f.name for f in fields(ClaimResult))


#: The columns that name questions and options by their labels (the Markdown report reads them).
LABELLED_COLUMNS = ("statement_labelled_sv", "statement_labelled_en", "note_labelled_sv", "note_labelled_en")


#: Columns of ``claims.csv``: the results naming questions and options by their ids, which
#: auditors grep (config/questionnaire.yaml gives their labels).
TABLE_COLUMNS = tuple(c for c in RESULT_COLUMNS if c not in LABELLED_COLUMNS)


#: ``unit`` values of the result rows.
UNITS = ("percent", "percentage points", "respondents", "score")


_QUOTES = {"en": ("“", "”"), "sv": ("”", "”")}  # English and Swedish quotation marks


@dataclass(frozen=True)
class Names:
    """How a statement or a note names a question and its options: by their ids (``lang`` None:
    claims.csv, for grep) or by the questionnaire's question text and option labels in ``lang``,
    each in quotation marks ("“North America”, “Europe”": a label may hold a comma)."""

    lang: str | None = None

    def _quoted(self, text: str) -> str:
        opening, closing = _QUOTES[self.lang]
        return f"{opening}{text}{closing}"

    def question(self, question: Question) -> str:
        return question.id if self.lang is None else self._quoted(question.text[self.lang])

    def option(self, question: Question, option: str) -> str:
        return option if self.lang is None else self._quoted(question.option(option).label(self.lang))

    def options(self, question: Question, options: Sequence[str]) -> str:
        return ", ".join(self.option(question, o) for o in options)

    @property
    def words(self) -> str:
        """The language a note is worded in: ``lang``, and English for the note by ids (claims.csv)."""
        return self.lang or "en"


IDS = Names()


def _worded(statement, note) -> dict[str, str]:
    """The text fields of an :class:`Evaluation` from ``statement(names, lang)`` (the claim as a
    statement, in ``lang``) and ``note(names)`` (worded in ``names.words``: English by ids, for
    claims.csv; by labels in each language, for the Markdown report)."""
    texts = {"statement_en": statement(IDS, "en"), "statement_sv": statement(IDS, "sv"), "note": note(IDS)}
    for lang in LANGS:
        texts[f"statement_labelled_{lang}"] = statement(Names(lang), lang)
        texts[f"note_labelled_{lang}"] = note(Names(lang))
    return texts


def fixed_text(value: float, places: int, lang: str, signed: bool = False) -> str:
    """``value`` with exactly ``places`` decimals (half up on the shortest repr); "–" for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    exact = Fraction(repr(float(value)))
    scaled = abs(exact) * 10**places
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // 10**places}"
    if places:
        text += "." + f"{whole % 10**places:0{places}d}"
    if exact < 0 and whole:
        text = "-" + text
    elif signed and whole:
        text = "+" + text
    return text.replace(".", ",") if lang == "sv" else text


#: The words of the notes, per language (``{name}`` fields filled in by the evaluators). English is
#: the note of claims.csv and must stay as it is (auditors grep it); Swedish as the Swedish report
#: writes: "av" for "of", "pe" for percentage points, intervals "[16,4; 30,0]".
_NOTE_WORDS = {
    "en": {
        "count": "{count} of {n}",
        "share": "{count} of {n} = {share} %",
        "below": ", below the claimed interval",
        "above": ", above the claimed interval",
        "sample": "describes the respondents themselves (scope: sample): no sampling error, so the evidence is the "
                  "exact share; the interval is shown for information",
        "inconsistent": "no whole count of {n} prints as {printed} % (nearest: {nearest}) and the data's count is one "
                        "of the nearest: a printing inconsistency of the report, not evidence against the claim",
        "difference": "{first} − {second} = {difference} pp [{interval}], Holm p {p}",
        "smallest": "smallest difference: {pair}",
        "hardest": "largest Holm p: {pair}",
        "against": "significant against the claim: {pairs}",
        "not_shown": "the intervals are wider than ±{margin} pp: equivalence is not shown, nor is a difference",
        "least": "{question}: least named {option} ({count})",
        "nobody": "named by nobody: {listed}",
        "scores": "scores (questionnaire): {scores}; means {first} and {second}; t-test p {p}, {test} p {robust_p}; "
                  "{n} respondents answered both",
        "wave_gap": "wave {wave}: {estimate} pp [{interval}] (n {n})",
        "wave_share": "wave {wave}: {count}",
        "p": "p {p}",
        "no_change": "the interval lies within ±{margin} pp (the equivalence margin): no real change",
        "weighted_share": "weighted share {share} % of {n} respondents (Kish's effective n {n_eff})",
        "not_weighted": "not weighted: the figure describes the respondents themselves",
        "scores_weighted": "scores (questionnaire): {scores}; weighted means {first} and {second}; p {p}; {n} "
                           "respondents answered both",
        "wave_weighted_share": "wave {wave}: weighted share {share} % (n {n})",
    },
    "sv": {
        "count": "{count} av {n}",
        "share": "{count} av {n} = {share} %",
        "below": ", under påståendets intervall",
        "above": ", över påståendets intervall",
        "sample": "beskriver de svarande själva: inget urvalsfel, så stödet avgörs av den exakta andelen; intervallet "
                  "visas bara som upplysning",
        "inconsistent": "inget helt antal av {n} ger {printed} % (närmast: {nearest}) och antalet i data är ett av de "
                        "närmaste: en inkonsekvens i rapportens tryck, som inte talar emot påståendet",
        "difference": "{first} − {second} = {difference} pe [{interval}], Holm-justerat p {p}",
        "smallest": "minsta skillnaden: {pair}",
        "hardest": "högsta Holm-justerade p: {pair}",
        "against": "signifikant mot påståendet: {pairs}",
        "not_shown": "intervallen är bredare än ±{margin} pe: data visar varken likhet eller skillnad",
        "least": "{question}: minst nämnt {option} ({count})",
        "nobody": "nämns av ingen: {listed}",
        "scores": "poäng (enkäten): {scores}; medelvärden {first} och {second}; t-test p {p}, {test} p {robust_p}; "
                  "{n} svarande besvarade båda",
        "wave_gap": "omgång {wave}: {estimate} pe [{interval}] (n {n})",
        "wave_share": "omgång {wave}: {count}",
        "p": "p {p}",
        "no_change": "intervallet ligger inom ±{margin} pe (ekvivalensmarginalen): ingen verklig förändring",
        "weighted_share": "vägd andel {share} % av {n} svarande (Kishs effektiva n {n_eff})",
        "not_weighted": "inte vägd: siffran beskriver de svarande själva",
        "scores_weighted": "poäng (enkäten): {scores}; vägda medelvärden {first} och {second}; p {p}; {n} svarande "
                           "besvarade båda",
        "wave_weighted_share": "omgång {wave}: vägd andel {share} % (n {n})",
    },
}

#: Names of tests as the Swedish notes write them (English: the name as the comparison gives it).
_TEST_NAMES_SV = {MEAN_SCORE_ROBUSTNESS_TEST: "Wilcoxons teckenrangtest (scipy.stats.wilcoxon, zero_method='wilcox')"}


def _said(lang: str, key: str, **fields) -> str:
    """The note words ``key`` of :data:`_NOTE_WORDS` in ``lang``, with ``fields`` filled in."""
    return _NOTE_WORDS[lang][key].format(**fields)


def _interval_text(low: float, high: float, places: int, lang: str) -> str:
    """The ends of an interval as the notes print them: "16.4, 30.0"; Swedish "16,4; 30,0"."""
    separator = "; " if lang == "sv" else ", "
    return f"{fixed_text(low, places, lang)}{separator}{fixed_text(high, places, lang)}"


def _printed_text(printed: str, lang: str) -> str:
    """A printed value as written in the claim file ("20.3"), with a decimal comma in Swedish."""
    return printed.replace(".", ",") if lang == "sv" else printed


def _nearest_text(printed: str, n: int, lang: str) -> str:
    """The counts next to a printed share and what they print as (:func:`.consistency.nearest_counts`,
    "55 -> 20.2; 56 -> 20.6"); in Swedish "55 ger 20,2 % och 56 ger 20,6 %"."""
    nearest = nearest_counts(parse_printed(printed), n)
    if lang == "en":
        return nearest
    pairs = [part.split(" -> ") for part in nearest.split("; ")]
    return " och ".join(f"{count} ger {_printed_text(shown, lang)} %" for count, shown in pairs)


@dataclass(frozen=True)
class _Data:
    lexicon: Lexicon
    estimates: Mapping[str, pd.DataFrame]
    responses: Mapping[str, pd.DataFrame]
    waves: Mapping[str, Wave]
    codebook: Codebook
    settings: dict
    weighting: Weighting | None = None  # weights on: the audit with the weighted estimates


@dataclass(frozen=True)
class Weighting:
    """The weights of the waves for a weighted audit (:func:`evaluate_claims` with ``weighting``)."""

    weights: Mapping[str, pd.Series]  # per wave: one weight per row of its responses, indexed alike
    label: str  # how the weights were made ("raked: respondent_region")
    interval_method: str = "korn-graubard"  # of a weighted share: korn-graubard or logit

    def of(self, s: Side) -> np.ndarray:
        """The weights of a side's respondents, in the order of its ticks."""
        return side_weights(s, self.weights[s.wave])

    def by_respondent_id(self, responses: pd.DataFrame, wave: str) -> pd.Series:
        """The wave's weights indexed by respondent id (the index of the paired questions' ticks)."""
        return pd.Series(self.weights[wave].to_numpy(), index=responses["respondent_id"].to_numpy())


def _weighted_text(data: _Data) -> str:
    """", weighted (raked: respondent_region)" for a method, or "" unweighted."""
    return f", weighted ({data.weighting.label})" if data.weighting else ""


def _wave_inputs(data: _Data, wave: str, cid: str) -> None:
    for name, table in (("estimates", data.estimates), ("responses", data.responses), ("waves", data.waves)):
        if wave not in table:
            raise ClaimError(f"claim {cid}: no {name} for wave {wave!r} (have {sorted(table)})")


def _side(data: _Data, wave: str, question: str, harmonise: bool, cid: str):
    _wave_inputs(data, wave, cid)
    try:
        return side(data.responses[wave], data.codebook, data.waves[wave], question, harmonise)
    except KeyError as error:
        raise ClaimError(f"claim {cid}: {error.args[0]}") from None


def _question(data: _Data, wave: str, question: str, cid: str) -> Question:
    """The question as the wave asked it (its options, their labels), or a derived question of it."""
    _wave_inputs(data, wave, cid)
    try:
        return wave_question(data.codebook, data.waves[wave], question)
    except KeyError as error:
        raise ClaimError(f"claim {cid}: {error.args[0]}") from None


def _check_options(options: Sequence[str], available: Sequence[str], cid: str, where: str) -> None:
    unknown = [o for o in options if o not in available]
    if unknown:
        raise ClaimError(f"claim {cid}: {unknown} are not options of {where}; its options: {list(available)}")


def _estimate_rows(data: _Data, wave: str, question: str) -> pd.DataFrame | None:
    table = data.estimates[wave]
    rows = table[table["question"] == question]
    return rows if len(rows) else None


def _pct(value) -> float:
    return float("nan") if value is None or pd.isna(value) else 100.0 * float(value)


def _level_text(level: float) -> str:
    return f"{100 * float(level):g} %"


def _interval_evidence(interval: Interval, low: float, high: float) -> str:
    """robust: the closed range [low, high] lies inside; contradicted: wholly outside; else fragile."""
    if any(pd.isna(v) for v in (low, high)):
        return "fragile"
    if interval.contains_range(float(low), float(high)):
        return "robust"
    if interval.misses_range(float(low), float(high)):
        return "contradicted"
    return "fragile"


def _share_claim(claim: dict, data: _Data) -> Evaluation:
    cid, wave, question = claim["id"], claim["wave"], claim["question"]
    _wave_inputs(data, wave, cid)
    harmonise = claim.get("harmonise", False)
    # the respondent mix describes the respondents themselves: never weighted
    weighted = data.weighting is not None and claim["scope"] != "sample"
    rows = None if harmonise or weighted else _estimate_rows(data, wave, question)
    single = claim.get("option")
    if rows is not None and single is not None and len(single) == 1:
        _check_options(single, list(rows["option"]), cid, f"{question} in wave {wave}")
        row = rows[rows["option"] == single[0]].iloc[0]
        count, n = int(row["count"]), int(row["n"])
        low, high = row["ci_low"], row["ci_high"]
        method = f"share and its {row['ci_method']} {_level_text(row['conf_level'])} interval (estimates table)"
        chosen = single
        asked = _question(data, wave, question, cid)
    else:
        s = _side(data, wave, question, harmonise, cid)
        asked = s.question
        listed = single or claim.get("options") or claim.get("other_than")
        _check_options(listed, s.question.option_ids, cid, f"{question} in wave {wave}")
        chosen = listed if "other_than" not in claim else [o for o in s.question.option_ids if o not in listed]
        n = s.n
        count = int(s.ticks[chosen].any(axis=1).sum()) if n else 0
        if weighted and n >= 2:
            ticked, w = s.ticks[chosen].any(axis=1).to_numpy(dtype=float), data.weighting.of(s)
            share, n_effective = weighted_share(ticked, w)[0], kish_effective_n(w)
            method_id = data.weighting.interval_method
            low, high = WEIGHTED_INTERVALS[method_id](ticked, w, data.settings["conf_level"])
            method = (
                f"weighted share ({data.weighting.label}) of respondents choosing "
                f"{'any of ' if len(chosen) > 1 else ''}the option(s), from the responses, with its {method_id} "
                f"{_level_text(data.settings['conf_level'])} interval (as R's svyciprop)"
            )
        else:
            low, high = proportion_interval(count, n, data.settings["interval_method"], data.settings["conf_level"])
            method = (
                f"share of respondents choosing {'any of ' if len(chosen) > 1 else ''}the option(s), from the "
                f"responses, with its {data.settings['interval_method']} {_level_text(data.settings['conf_level'])} "
                "interval (estimate.proportion_interval)"
            )
    if n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    # weighted: judged on the share as published (rounded once), so no last bit decides a verdict
    exact = Fraction(repr(round_half_up(100 * share))) if weighted and n >= 2 else Fraction(count * 100, n)
    if "phrase" in claim:
        intervals = {lang: parse_phrase(claim["phrase"][lang], data.lexicon, lang) for lang in LANGS}
        if not intervals["sv"].same_set(intervals["en"]):
            raise ClaimError(
                f"claim {cid}: the Swedish phrase {claim['phrase']['sv']!r} means {intervals['sv'].notation()} but "
                f"the English {claim['phrase']['en']!r} means {intervals['en'].notation()}: the translation must say "
                "the same"
            )
    else:
        intervals = {lang: printed_interval(claim["printed"], lang) for lang in LANGS}
    interval = intervals["sv"]
    reproduced = interval.contains(exact)
    low_pct, high_pct = _pct(low), _pct(high)
    inconsistent = (not reproduced and "printed" in claim and not weighted
                    and _printing_inconsistency(claim["printed"], count, n))
    if inconsistent:
        evidence = "robust" if claim["scope"] == "sample" else _interval_evidence(interval, low_pct, high_pct)
    elif claim["scope"] == "sample":
        evidence = "robust" if reproduced else "contradicted"
    else:
        evidence = _interval_evidence(interval, low_pct, high_pct)
    listed = claim["other_than"] if "other_than" in claim else chosen

    def statement(names: Names, lang: str) -> str:
        options = names.options(asked, listed)
        bounds = f"{interval.notation(lang)}: {intervals[lang].explanation}"
        if names.lang is None:  # "share of country = united_states (wave 2016) in [61.05, 61.15): ..."
            if "other_than" in claim:
                what = {"en": f"{question} other than {options}", "sv": f"{question} utom {options}"}[lang]
            elif len(listed) > 1:
                what = {"en": f"{question} = any of {options}", "sv": f"{question} = något av {options}"}[lang]
            else:
                what = f"{question} = {options}"
            return {"en": f"share of {what} (wave {wave}) in {bounds}",
                    "sv": f"andelen {what} (omgång {wave}) i {bounds}"}[lang]
        if "other_than" in claim:  # 'share answering “United States” to “In which country do you work?” (wave ...'
            options = {"en": f"an option other than {options}", "sv": f"annat än {options}"}[lang]
        elif len(listed) > 1:
            options = {"en": f"any of {options}", "sv": f"något av {options}"}[lang]
        asked_text = names.question(asked)
        return {"en": f"share answering {options} to {asked_text} (wave {wave}) in {bounds}",
                "sv": f"andelen som svarat {options} på {asked_text} (omgång {wave}) i {bounds}"}[lang]

    below = exact < interval.low or (exact == interval.low and not interval.low_closed)

    def note(names: Names) -> str:
        lang = names.words
        if weighted and n >= 2:
            text = _said(lang, "weighted_share", share=number_text(exact, lang, 2), n=n,
                         n_eff=fixed_text(n_effective, 1, lang))
        else:
            text = _said(lang, "share", count=count, n=n, share=number_text(exact, lang, 2))
        if not reproduced and not inconsistent:
            text += _said(lang, "below" if below else "above")
        if inconsistent:
            text += "; " + _said(lang, "inconsistent", n=n, printed=_printed_text(claim["printed"], lang),
                                 nearest=_nearest_text(claim["printed"], n, lang))
        elif claim["scope"] == "sample":
            text += "; " + _said(lang, "sample")
        if claim["scope"] == "sample" and data.weighting is not None:
            text += "; " + _said(lang, "not_weighted")
        return text

    return Evaluation(
        wave=wave,
        **_worded(statement, note),
        estimate=float(exact),
        ci_low=low_pct,
        ci_high=high_pct,
        unit="percent",
        n=n,
        method=method,
        verdict=VERDICTS[0] if reproduced else VERDICTS[2] if inconsistent else VERDICTS[1],
        evidence=evidence,
    )


def _printing_inconsistency(printed: str, count: int, n: int) -> bool:
    """Whether no whole count of ``n`` prints as ``printed`` (GRIM, :func:`.consistency.count_range`,
    half up as the lexicon reads printed values) while ``count`` is one of the two counts either side."""
    if count_range(printed, n, "half-up"):
        return False
    exact = Fraction(parse_printed(printed)) * n / 100
    return count in (math.floor(exact), math.ceil(exact))


def _needed_pairs(pairs: pd.DataFrame, needed: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """For each (higher, lower) the difference higher - lower, its interval and raw p-value, from
    :func:`~netclean_survey.compare.paired.compare_options`' pairs table (which orders each pair once)."""
    index = {(r.option_first, r.option_second): r for r in pairs.itertuples(index=False)}
    out = []
    for hi, lo in needed:
        if (hi, lo) in index:
            r = index[(hi, lo)]
            diff, low, high = r.difference, r.ci_low, r.ci_high
        else:
            r = index[(lo, hi)]
            diff, low, high = -r.difference, -r.ci_high, -r.ci_low
        out.append(
            {"higher": hi, "lower": lo, "difference": diff, "ci_low": low, "ci_high": high, "p_value": r.p_value}
        )
    table = pd.DataFrame(out, columns=["higher", "lower", "difference", "ci_low", "ci_high", "p_value"])
    table["p_holm"] = holm_adjust(table["p_value"].to_numpy(dtype=float))
    return table


def _p_text(p: float, lang: str = "en") -> str:
    """A p-value as the notes print it: "< 0.001" or three decimals; Swedish "< 0,001", "0,648"."""
    if pd.isna(p):
        return "NaN" if lang == "en" else "saknas"
    text = "< 0.001" if p < 0.001 else f"{p:.3f}"
    return text.replace(".", ",") if lang == "sv" else text


def _difference_text(names: Names, question: Question, first: str, second: str, difference: float, low: float,
                     high: float, p: float) -> str:
    """first − second = +23.3 pp [16.4, 30.0], Holm p < 0.001 (shares as fractions), in ``names.words``."""
    lang = names.words
    return _said(lang, "difference", first=names.option(question, first), second=names.option(question, second),
                 difference=fixed_text(100 * difference, 1, lang, signed=True),
                 interval=_interval_text(100 * low, 100 * high, 1, lang), p=_p_text(p, lang))


def _pair_text(row, names: Names, question: Question) -> str:
    return _difference_text(names, question, row.higher, row.lower, row.difference, row.ci_low, row.ci_high, row.p_holm)


def _weighable(s: Side, cid: str) -> None:
    """ClaimError unless the side has the two respondents a weighted mean's variance needs."""
    if s.n < 2:
        raise ClaimError(f"claim {cid}: {s.n} respondent(s) answered {s.question.id} in wave {s.wave}: a weighted "
                         "estimate needs at least two; check the claim's question, or set weights: source: none")


def _option_pairs(s: Side, options: Sequence[str], level: float, data: _Data, cid: str) -> pd.DataFrame:
    """Every pair of ``options`` within the side's respondents: McNemar and Newcombe's paired interval
    (:func:`~netclean_survey.compare.paired.compare_options`), or with weights the Wald forms
    (:func:`~netclean_survey.weights.paired.weighted_option_pairs`)."""
    if data.weighting is not None:
        _weighable(s, cid)
        return weighted_option_pairs(s.ticks, data.weighting.of(s), options, conf_level=level)
    return compare_options(s.ticks.astype(bool), options, conf_level=level)[0]


def _pair_methods(data: _Data) -> str:
    """The test and interval of a paired comparison of options, as the methods column names them."""
    return WEIGHTED_PAIR_METHOD if data.weighting else f"{MCNEMAR_TEST}, {PAIRED_INTERVAL_METHOD}"


def _order_claim(claim: dict, data: _Data) -> Evaluation:
    """order / mode / top: options named more often than others, by paired comparisons."""
    cid, wave, question, kind = claim["id"], claim["wave"], claim["question"], claim["kind"]
    s = _side(data, wave, question, claim.get("harmonise", False), cid)
    options = s.question.option_ids
    if kind == "order":
        higher, lower = claim["higher"], claim["lower"]
    elif kind == "mode":
        higher = [claim["option"]]
        lower = [o for o in options if o != claim["option"]]
    else:
        higher = claim["options"]
        lower = [o for o in options if o not in higher]
    _check_options(higher + lower, options, cid, f"{question} in wave {wave}")
    if not lower:
        raise ClaimError(f"claim {cid}: the options {higher} are all the options of {question}: nothing to be above")
    if s.n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    level, alpha = data.settings["conf_level"], data.settings["alpha"]
    pairs = _option_pairs(s, options, level, data, cid)
    needed = _needed_pairs(pairs, [(h, lo) for h in higher for lo in lower])
    significant = needed["p_holm"] < alpha
    reproduced = bool((needed["difference"] > 0).all())
    if bool((significant & (needed["difference"] > 0)).all()):
        evidence = "robust"
    elif bool((significant & (needed["difference"] < 0)).any()):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    weakest = needed.sort_values(["difference", "p_holm"], kind="stable").iloc[0]
    hardest = needed.sort_values(["p_holm", "difference"], ascending=[False, True], kind="stable").iloc[0]

    def statement(names: Names, lang: str) -> str:
        listed_hi, listed_lo = names.options(s.question, higher), names.options(s.question, lower)
        if kind == "mode":
            en = f"{listed_hi} is named more often than every other option ({listed_lo})"
            sv = f"{listed_hi} nämns oftare än vart och ett av de andra alternativen ({listed_lo})"
        elif kind == "top":
            en = f"{listed_hi} are the {len(higher)} most named: each above every other option ({listed_lo})"
            sv = f"{listed_hi} är de {len(higher)} mest nämnda: vart och ett över alla andra alternativ ({listed_lo})"
        else:
            en = f"{listed_hi} named more often than {listed_lo}"
            sv = f"{listed_hi} nämns oftare än {listed_lo}"
        text = {"en": f"{names.question(s.question)} (wave {wave}): {en}",
                "sv": f"{names.question(s.question)} (omgång {wave}): {sv}"}[lang]
        if claim.get("harmonise"):
            text += {"en": " (harmonised options)", "sv": " (harmoniserade alternativ)"}[lang]
        return text

    single = (
        " (single choice: on the one-hot answers McNemar's exact test is the binomial test of the two counts)"
        if s.kind == "single"
        else ""
    )
    against = needed[significant & (needed["difference"] < 0)]

    def note(names: Names) -> str:
        lang = names.words
        text = _said(lang, "smallest", pair=_pair_text(weakest, names, s.question))
        if hardest.higher != weakest.higher or hardest.lower != weakest.lower:
            text += "; " + _said(lang, "hardest", pair=_pair_text(hardest, names, s.question))
        if len(against):
            text += "; " + _said(lang, "against", pairs="; ".join(
                _pair_text(r, names, s.question) for r in against.itertuples(index=False)))
        return text

    return Evaluation(
        wave=wave,
        **_worded(statement, note),
        estimate=100 * float(weakest.difference),
        ci_low=100 * float(weakest.ci_low),
        ci_high=100 * float(weakest.ci_high),
        unit="percentage points",
        n=s.n,
        method=f"paired comparisons of options within respondents{_weighted_text(data)}: {_pair_methods(data)} "
            f"{_level_text(level)} interval, Holm over the {len(needed)} comparisons the claim needs, "
            f"alpha {alpha:g}{'' if data.weighting else single}",
        verdict=VERDICTS[0] if reproduced else VERDICTS[1],
        evidence=evidence,
    )


def _equal_claim(claim: dict, data: _Data) -> Evaluation:
    cid, wave, question = claim["id"], claim["wave"], claim["question"]
    s = _side(data, wave, question, claim.get("harmonise", False), cid)
    options = claim["options"]
    _check_options(options, s.question.option_ids, cid, f"{question} in wave {wave}")
    if s.n == 0:
        raise ClaimError(f"claim {cid}: nobody answered {question} in wave {wave}")
    level, alpha = data.settings["conf_level"], data.settings["alpha"]
    margin = data.settings["equivalence_margin"]
    m = margin / 100
    pairs = _option_pairs(s, options, level, data, cid)  # Holm over these pairs
    reproduced = bool((pairs["difference"].abs() <= m).all())
    inside = (pairs["ci_low"] >= -m) & (pairs["ci_high"] <= m)
    outside = (pairs["ci_low"] > m) | (pairs["ci_high"] < -m)
    significant = pairs["p_holm"] < alpha
    if bool(inside.all()):
        evidence = "robust"
    elif bool((significant | outside).any()):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    widest = pairs.iloc[int(np.argmax(pairs["difference"].abs().to_numpy()))]
    margin_en, margin_sv = number_text(margin, "en"), number_text(margin, "sv")

    def statement(names: Names, lang: str) -> str:
        listed, asked = names.options(s.question, options), names.question(s.question)
        if lang == "en":
            text = (f"{asked} (wave {wave}): {listed} about equally common; equal means every pairwise difference "
                    f"within ±{margin_en} percentage points")
        else:
            text = (f"{asked} (omgång {wave}): {listed} ungefär lika vanliga; lika betyder att varje parvis skillnad "
                    f"ligger inom ±{margin_sv} procentenheter")
        if claim.get("harmonise"):
            text += {"en": " (harmonised options)", "sv": " (harmoniserade alternativ)"}[lang]
        return text

    def note(names: Names) -> str:
        text = "; ".join(
            _difference_text(names, s.question, r.option_first, r.option_second, r.difference, r.ci_low, r.ci_high,
                             r.p_holm)
            for r in pairs.itertuples(index=False)
        )
        if evidence == "fragile":
            text += "; " + _said(names.words, "not_shown", margin=number_text(margin, names.words))
        return text

    return Evaluation(
        wave=wave,
        **_worded(statement, note),
        estimate=100 * float(widest.difference),
        ci_low=100 * float(widest.ci_low),
        ci_high=100 * float(widest.ci_high),
        unit="percentage points",
        n=s.n,
        method=f"equivalence of paired shares within ±{margin_en} pp{_weighted_text(data)}: "
            + (f"{WEIGHTED_PAIR_METHOD} {_level_text(level)} intervals inside the margin; Wald z"
               if data.weighting else f"{PAIRED_INTERVAL_METHOD} {_level_text(level)} intervals inside the margin; "
               f"{MCNEMAR_TEST}") + f", Holm over the {len(pairs)} pairs, alpha {alpha:g}",
        verdict=VERDICTS[0] if reproduced else VERDICTS[1],
        evidence=evidence,
    )


def _option_counts(data: _Data, wave: str, question: str, cid: str) -> tuple[pd.Series, int]:
    """Respondents per option and the base: from the estimates table, or from the responses for a
    question the table does not hold (a derived question)."""
    rows = _estimate_rows(data, wave, question)
    if rows is not None:
        return pd.Series(rows["count"].to_numpy(dtype=np.int64), index=list(rows["option"])), int(rows["n"].iloc[0])
    s = _side(data, wave, question, False, cid)
    return s.counts, s.n


def _present_claim(claim: dict, data: _Data) -> Evaluation:
    cid, wave = claim["id"], claim["wave"]
    _wave_inputs(data, wave, cid)
    least = []
    missing = []
    for question in claim["questions"]:
        counts, n = _option_counts(data, wave, question, cid)
        asked = _question(data, wave, question, cid)
        option = counts.idxmin()
        least.append((asked, option, int(counts[option]), n))
        missing += [(asked, o) for o, c in counts.items() if c < 1]
    reproduced = not missing
    _, option, smallest, n = min(least, key=lambda x: x[2])

    def statement(names: Names, lang: str) -> str:
        if lang == "en":
            listed = " and ".join(names.question(q) for q, *_ in least)
            return f"every option of {listed} (wave {wave}) is named by at least one respondent"
        listed = " och ".join(names.question(q) for q, *_ in least)
        return f"varje alternativ i {listed} (omgång {wave}) nämns av minst en svarande"

    def note(names: Names) -> str:
        lang = names.words
        text = "; ".join(
            _said(lang, "least", question=names.question(q), option=names.option(q, o),
                  count=_said(lang, "count", count=c, n=b))
            for q, o, c, b in least
        )
        if missing:
            text += "; " + _said(lang, "nobody", listed=", ".join(
                f"{names.question(q)} = {names.option(q, o)}" for q, o in missing))
        return text

    return Evaluation(
        wave=wave,
        **_worded(statement, note),
        estimate=float(smallest),
        ci_low=float("nan"),
        ci_high=float("nan"),
        unit="respondents",
        n=n,
        method="count of respondents naming each option; one suffices (the claim is that it occurs at all)",
        verdict=VERDICTS[0] if reproduced else VERDICTS[1],
        evidence="robust" if reproduced else "contradicted",
    )


def _shift_claim(claim: dict, data: _Data) -> Evaluation:
    cid, wave = claim["id"], claim["wave"]
    _wave_inputs(data, wave, cid)
    spec = {"wave": wave, "first": claim["first"], "second": claim["second"]}
    comparison = Comparison("paired_questions", cid, spec)
    try:
        if data.weighting is None:
            first, second, _, summary = run_paired_questions(comparison, data.responses, data.waves, data.codebook,
                                                             {"conf_level": data.settings["conf_level"]})
        else:
            first, second, ticks_first, ticks_second, scores = paired_question_inputs(
                comparison, data.responses, data.waves, data.codebook)
            summary = {"scores": scores, **weighted_score_shift(
                ticks_first, ticks_second, scores, data.weighting.by_respondent_id(data.responses[wave], wave),
                data.settings["conf_level"])}
    except KeyError as error:
        raise ClaimError(f"claim {cid}: {error.args[0]}") from None
    except ValueError as error:
        raise ClaimError(f"claim {cid}: {error}") from None
    sign = 1 if claim["direction"] == "higher" else -1
    shift, low, high = summary["mean_difference"], summary["ci_low"], summary["ci_high"]
    reproduced = bool(sign * shift > 0)
    if pd.isna(low) or pd.isna(high):
        evidence = "fragile"
    elif (sign > 0 and low > 0) or (sign < 0 and high < 0):
        evidence = "robust"
    elif (sign > 0 and high < 0) or (sign < 0 and low > 0):
        evidence = "contradicted"
    else:
        evidence = "fragile"
    relation = ">" if sign > 0 else "<"

    def statement(names: Names, lang: str) -> str:
        named_first, named_second = names.question(first.question), names.question(second.question)
        if lang == "en":
            return (f"{named_second} sits {'higher' if sign > 0 else 'lower'} than {named_first} (wave {wave}, same "
                    f"respondents): mean score difference (second − first) {relation} 0")
        return (f"{named_second} ligger {'högre' if sign > 0 else 'lägre'} än {named_first} (omgång {wave}, samma "
                f"svarande): skillnaden i medelpoäng (andra − första) {relation} 0")

    def note(names: Names) -> str:
        lang = names.words
        scores = ", ".join(f"{names.option(first.question, o)}={number_text(v, lang)}"
                           for o, v in summary["scores"].items())
        if data.weighting is not None:
            return _said(lang, "scores_weighted", scores=scores, first=fixed_text(summary["mean_first"], 2, lang),
                         second=fixed_text(summary["mean_second"], 2, lang), p=_p_text(summary["p_value"], lang),
                         n=summary["n_answered_both"])
        test = summary["robustness_test"]
        return _said(lang, "scores", scores=scores, first=fixed_text(summary["mean_first"], 2, lang),
                     second=fixed_text(summary["mean_second"], 2, lang), p=_p_text(summary["p_value"], lang),
                     test=_TEST_NAMES_SV.get(test, test) if lang == "sv" else test,
                     robust_p=_p_text(summary["robustness_p_value"], lang), n=summary["n_answered_both"])

    return Evaluation(
        wave=wave,
        **_worded(statement, note),
        estimate=float(shift),
        ci_low=float(low),
        ci_high=float(high),
        unit="score",
        n=int(summary["n"]),
        method=f"{WEIGHTED_SHIFT_METHOD}{_weighted_text(data)}, {_level_text(summary['conf_level'])} interval"
        if data.weighting else f"{MEAN_SCORE_TEST} of each respondent's mean score of the options ticked; "
        f"{MEAN_SCORE_INTERVAL_METHOD} {_level_text(summary['conf_level'])} interval",
        verdict=VERDICTS[0] if reproduced else VERDICTS[1],
        evidence=evidence,
    )


def _contrast_text(weights: Mapping[str, float], names: Names = IDS, question: Question | None = None,
                   lang: str = "en") -> str:
    """{asia: 1, north_america: -0.5, europe: -0.5} -> "asia − 0.5 north_america − 0.5 europe" (by
    ids; with the labels of ``question``: "“Asia” − 0.5 “North America” − 0.5 “Europe”"); weights
    with a decimal comma in Swedish ("”Asien” − 0,5 ”Nordamerika” ...")."""
    parts = []
    for i, (option, weight) in enumerate(weights.items()):
        size = "" if abs(weight) == 1 else f"{number_text(abs(weight), lang)} "
        sign = "− " if weight < 0 else ("+ " if i else "")
        parts.append(f"{sign}{size}{option if question is None else names.option(question, option)}")
    return " ".join(parts)


def _change_claim(claim: dict, data: _Data) -> Evaluation:
    cid = claim["id"]
    a, b = claim["a"], claim["b"]
    for spec in (a, b):
        _wave_inputs(data, spec["wave"], cid)
    harmonise = claim.get("harmonise", False)
    level = data.settings["conf_level"]
    margin = data.settings["equivalence_margin"]
    if "contrast" in claim:
        spec = {"a": a, "b": b, "harmonise": harmonise, "weights": claim["contrast"]}
        comparison = Comparison("contrasts", cid, spec)
        try:
            side_a, side_b, table = run_contrast(comparison, data.responses, data.waves, data.codebook,
                                                 {"conf_level": level})
            if data.weighting is not None:  # the same sides, weighted
                table = weighted_contrast(side_a, side_b, data.weighting.of(side_a), data.weighting.of(side_b),
                                          claim["contrast"], level, data.weighting.label)
        except KeyError as error:
            raise ClaimError(f"claim {cid}: {error.args[0]}") from None
        except ValueError as error:
            raise ClaimError(f"claim {cid}: {error}") from None
        row_a, row_b, row = (table.iloc[i] for i in range(3))
        estimate, low, high, p = (float(row[k]) for k in ("estimate", "ci_low", "ci_high", "p_value"))
        def what(names: Names, lang: str) -> str:
            # the later wave's labels: it names harmonised options plainly (sides.shared_options); the
            # weights in the statement's language (0,5 in Swedish, by ids too)
            terms = _contrast_text(claim["contrast"], names, side_b.question, lang)
            return {"en": f"the contrast {terms}", "sv": f"kontrasten {terms}"}[lang]
        n = int(row["n"])
        method = (f"{WEIGHTED_GAP_METHOD}{_weighted_text(data)}, {_level_text(level)}; z-test "
                  "(weights.comparison.weighted_contrast)" if data.weighting else
                  f"{GAP_DIFFERENCE_INTERVAL_METHOD}, {_level_text(level)}; z-test (paired.gap_contrast)")

        def sides_note(lang: str) -> str:
            text = "; ".join(
                _said(lang, "wave_gap", wave=spec["wave"],
                      estimate=fixed_text(100 * r["estimate"], 1, lang, signed=True),
                      interval=_interval_text(100 * r["ci_low"], 100 * r["ci_high"], 1, lang), n=int(r["n"]))
                for spec, r in ((a, row_a), (b, row_b))
            )
            return f"{text}; {_said(lang, 'p', p=_p_text(p, lang))}"
    else:
        option = claim["option"]
        side_a = _side(data, a["wave"], a["question"], harmonise, cid)
        side_b = _side(data, b["wave"], b["question"], harmonise, cid)
        for s in (side_a, side_b):
            _check_options([option], s.question.option_ids, cid, f"{s.question.id} in wave {s.wave}")
        table = two_sample_by_option(
            [int(side_a.counts[option])],
            side_a.n,
            [int(side_b.counts[option])],
            side_b.n,
            [option],
            conf_level=level,
            interval_method=data.settings["interval_method"],
        )
        row = table.iloc[0]
        estimate, low, high, p = (float(row[k]) for k in ("difference", "diff_ci_low", "diff_ci_high", "p_value"))
        if data.weighting is not None:
            _weighable(side_a, cid)
            _weighable(side_b, cid)
            found = weighted_difference(side_a.ticks[option].to_numpy(dtype=float), data.weighting.of(side_a),
                                        side_b.ticks[option].to_numpy(dtype=float), data.weighting.of(side_b), level)
            estimate, low, high, p = (found[k] for k in ("difference", "ci_low", "ci_high", "p_value"))
        def what(names: Names, lang: str) -> str:
            named = names.option(side_b.question, option)
            return {"en": f"the share of {named}", "sv": f"andelen {named}"}[lang]
        n = int(row["n_a"] + row["n_b"])
        method = (
            f"difference of independent shares: {DIFF_CI_METHOD} {_level_text(level)} interval (Newcombe 1998), "
            f"{TWO_SAMPLE_TEST} test"
        )
        if data.weighting is not None:
            method = (f"difference of weighted shares of independent waves{_weighted_text(data)}: "
                      f"{WEIGHTED_DIFF_METHOD}, {_level_text(level)}; Wald z test")

        def sides_note(lang: str) -> str:
            if data.weighting is not None:
                return "; ".join([
                    *(_said(lang, "wave_weighted_share", wave=spec["wave"], n=s.n,
                            share=fixed_text(100 * found[f"share_{k}"], 2, lang))
                      for spec, s, k in ((a, side_a, "a"), (b, side_b, "b"))),
                    _said(lang, "p", p=_p_text(p, lang)),
                ])
            return "; ".join([
                _said(lang, "wave_share", wave=a["wave"],
                      count=_said(lang, "count", count=int(row["count_a"]), n=int(row["n_a"]))),
                _said(lang, "wave_share", wave=b["wave"],
                      count=_said(lang, "count", count=int(row["count_b"]), n=int(row["n_b"]))),
                _said(lang, "p", p=_p_text(p, lang)),
            ])
    estimate, low, high = 100 * estimate, 100 * low, 100 * high
    direction = claim["direction"]
    no_change = False
    if direction == "differs":
        reproduced = estimate != 0
        if low > 0 or high < 0:
            evidence = "robust"
        elif low >= -margin and high <= margin:
            evidence = "contradicted"
            no_change = True
        else:
            evidence = "fragile"
        verb_en, verb_sv = "differs", "skiljer sig"
    else:
        sign = 1 if direction == "increase" else -1
        reproduced = bool(sign * estimate > 0)
        if (sign > 0 and low > 0) or (sign < 0 and high < 0):
            evidence = "robust"
        elif (sign > 0 and high < 0) or (sign < 0 and low > 0):
            evidence = "contradicted"
        else:
            evidence = "fragile"
        verb_en = "increases" if sign > 0 else "decreases"
        verb_sv = "ökar" if sign > 0 else "minskar"
    relation = {"differs": "≠", "increase": ">", "decrease": "<"}[direction]
    harmonised_en = ", harmonised options" if harmonise else ""
    harmonised_sv = ", harmoniserade alternativ" if harmonise else ""

    def statement(names: Names, lang: str) -> str:
        from_a, to_b = names.question(side_a.question), names.question(side_b.question)
        if lang == "en":
            return (f"{what(names, lang)} {verb_en} from {from_a} (wave {a['wave']}) to {to_b} (wave {b['wave']}"
                    f"{harmonised_en}): difference b − a {relation} 0")
        return (f"{what(names, lang)} {verb_sv} från {from_a} (omgång {a['wave']}) till {to_b} (omgång {b['wave']}"
                f"{harmonised_sv}): skillnaden b − a {relation} 0")

    def note(names: Names) -> str:
        text = sides_note(names.words)
        if no_change:
            text += "; " + _said(names.words, "no_change", margin=number_text(margin, names.words))
        return text

    return Evaluation(
        wave=f"{a['wave']} vs {b['wave']}",
        **_worded(statement, note),
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        unit="percentage points",
        n=n,
        method=method,
        verdict=VERDICTS[0] if reproduced else VERDICTS[1],
        evidence=evidence,
    )


_EVALUATORS = {
    "share": _share_claim,
    "order": _order_claim,
    "mode": _order_claim,
    "top": _order_claim,
    "equal": _equal_claim,
    "present": _present_claim,
    "shift": _shift_claim,
    "change": _change_claim,
}


def evaluate_claims(
    claims: Sequence[Mapping],
    lexicon: Lexicon,
    estimates: Mapping[str, pd.DataFrame],
    responses: Mapping[str, pd.DataFrame],
    waves: Mapping[str, Wave],
    codebook: Codebook,
    settings: Mapping | None = None,
    weighting: Weighting | None = None,
) -> pd.DataFrame:
    """One row per claim (in the given order), columns :data:`RESULT_COLUMNS`.

    ``weighting`` (weights on): every claim judged on the weighted estimates instead (the
    same statements, verdicts and evidence rules): a share's weighted value and its Korn-Graubard
    or logit interval (no printing inconsistency: a weighted share is no ratio of counts); paired
    differences of options and the shift of a mean score as weighted means of respondent-level
    differences (:mod:`netclean_survey.weights.paired`); changes between waves by
    :mod:`netclean_survey.weights.comparison` and :mod:`netclean_survey.weights.differences`. A
    figure that describes the respondents themselves (``scope: sample``) and whether an option
    occurs at all (``present``) are not weighted.

    ``statement_sv``, ``statement_en`` and ``note`` name questions and options by their ids
    (``claims.csv`` has these, :data:`TABLE_COLUMNS`); :data:`LABELLED_COLUMNS` say the same with
    the question's text and the options' labels of the questionnaire (config/questionnaire.yaml)
    in Swedish and in English, quoted, for the Markdown report. The notes say the numbers in
    words: ``note`` in English (claims.csv), ``note_labelled_sv`` in Swedish words and numbers
    (decimal comma, "pe", "[16,4; 30,0]", "p < 0,001"), ``note_labelled_en`` in English. A claim's
    ``remark`` ends its notes as written: the English remark the note by ids and the English
    one, the Swedish remark the Swedish one (a plain-text remark ends all three).

    ``estimates`` and ``responses`` map a wave name to its estimates table
    (:func:`~netclean_survey.estimate.shares.estimate_wave` / ``read_estimates``) and its tidy responses
    (``clean_export(...).responses`` / ``read_responses``); ``waves`` to its :class:`Wave`.
    ``settings``: see :data:`DEFAULT_SETTINGS` (:func:`claim_settings`).

    Per kind (``estimate``, ``ci_low``, ``ci_high`` in ``unit``):

    - ``share``: the share (percent) of the option (or of respondents choosing any of
      ``options``, or any option ``other_than`` those listed) and its interval, from the estimates
      table when it holds the share, else from the responses with
      :func:`~netclean_survey.estimate.intervals.proportion_interval`; the claim's interval is its
      ``phrase`` (the Swedish and English words must mean the same interval) or the rounding
      interval of its ``printed`` value. Reproduced when the exact share count/n lies in it;
      robust when the whole confidence interval does, contradicted when none of it does. With
      ``scope: sample`` (a figure describing the respondents themselves, such as the respondent
      mix) there is no sampling error: robust when reproduced, contradicted otherwise.
    - ``order`` (every ``higher`` option above every ``lower`` one), ``mode`` (``option`` above
      every other option), ``top`` (each of ``options`` above every other option): the paired
      comparisons of :func:`~netclean_survey.compare.paired.compare_options` on the respondents of the
      question (:func:`~netclean_survey.compare.sides.side`), Holm over the comparisons the claim needs.
      Reproduced when every needed difference is positive; robust when every one is significant
      (Holm p < alpha) and positive; contradicted when one is significant and negative. The
      estimate is the smallest needed difference (percentage points) with its paired interval.
    - ``equal``: every pair of ``options``, Holm over those pairs. Reproduced when every
      difference lies within +/- ``equivalence_margin``; robust when every paired interval lies
      inside the margin (equivalence shown); otherwise contradicted when a difference is
      significant (Holm p < alpha) or an interval lies wholly outside the margin; otherwise
      fragile. The estimate is the largest difference with its interval.
    - ``present``: every option of each question named by at least one respondent; the estimate
      is the smallest count (respondents). Reproduced (and robust: one respondent proves
      presence) or not (and contradicted).
    - ``shift``: ``second`` sits higher (or lower) than ``first``: the mean score difference of
      :func:`~netclean_survey.compare.paired.compare_paired_questions` (second - first, option scores of
      the questionnaire) with its paired t interval; robust when the interval excludes 0 on the
      claimed side, contradicted when it lies wholly on the other.
    - ``change``: wave b against wave a: the change of a ``contrast`` of options
      (:func:`~netclean_survey.compare.paired.gap_contrast`) or of one ``option``'s share
      (:func:`~netclean_survey.compare.independent.two_sample_by_option`), in percentage points, b - a.
      ``increase`` / ``decrease``: reproduced by the sign, robust when the interval excludes 0 on
      that side, contradicted when it lies wholly on the other. ``differs``: robust when the
      interval excludes 0, contradicted when it lies within +/- ``equivalence_margin``.

    Pure and deterministic (no resampling). ClaimError naming the claim for an unknown wave,
    question or option, or an untranslatable phrase.
    """
    data = _Data(lexicon, estimates, responses, waves, codebook, claim_settings(settings), weighting)
    rows = []
    notes = ("note", *(f"note_labelled_{lang}" for lang in LANGS))
    for claim in check_claims(claims):
        found = _EVALUATORS[claim["kind"]](claim, data)
        remarked = {}
        for key in notes:  # the remark is the claim file's text in the note's language; English by ids
            note, remark = getattr(found, key), claim.get("remark", {}).get("sv" if key.endswith("_sv") else "en")
            remarked[key] = (f"{note}; {remark}" if note else remark) if remark else note
        rows.append(ClaimResult(
            id=claim["id"], survey_claim=claim["survey_claim"], kind=claim["kind"],
            words_sv=claim["words"]["sv"], words_en=claim["words"]["en"],
            **{f.name: getattr(found, f.name) for f in fields(Evaluation) if f.name not in notes}, **remarked,
        ))
    table = pd.DataFrame([astuple(row) for row in rows], columns=list(RESULT_COLUMNS))
    return table.astype(
        {
            "survey_claim": "int64",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n": "int64",
        }
    )


def summarise_claims(results: pd.DataFrame) -> pd.DataFrame:
    """One row per numbered claim of the survey reference (``survey_claim``), in number order.

    A numbered claim may be tested in parts (several result rows). Its verdict is ``reproduced``
    when every part is (``reproduced, with a printing inconsistency`` when the others are
    ``inconsistent (rounding)``); its evidence the weakest of its parts (contradicted, then fragile, then
    robust). Columns: ``survey_claim``, ``ids`` (the parts, comma-separated), ``parts``,
    ``reproduced`` (parts reproduced), ``verdict``, ``evidence``.
    """
    rank = {e: i for i, e in enumerate(("contradicted", "fragile", "robust"))}
    rows = []
    for number, group in results.groupby("survey_claim", sort=True):
        verdicts = set(group["verdict"])
        if verdicts == {VERDICTS[0]}:
            verdict = VERDICTS[0]
        elif verdicts <= {VERDICTS[0], VERDICTS[2]}:
            verdict = SUMMARY_WITH_INCONSISTENCY
        else:
            verdict = VERDICTS[1]
        rows.append(
            {
                "survey_claim": int(number),
                "ids": ", ".join(group["id"]),
                "parts": len(group),
                "reproduced": int((group["verdict"] == VERDICTS[0]).sum()),
                "verdict": verdict,
                "evidence": min(group["evidence"], key=rank.__getitem__),
            }
        )
    return pd.DataFrame(rows, columns=["survey_claim", "ids", "parts", "reproduced", "verdict", "evidence"])
