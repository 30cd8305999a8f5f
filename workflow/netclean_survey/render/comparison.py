"""Comparisons of two (wave, question) pairs on shared option ids: dumbbell and forest figures,
Markdown and Excel, byte for byte reproducible (the contract of the render subpackage,
whose rounding, cells, workbook, rcParams, caption band and saving this module reuses).

Input: the per-option comparison table, one row per shared option in display order (top to
bottom), side ``a`` the earlier wave, with the columns of :data:`COMPARE_COLUMNS`::

    option, n_a, count_a, share_a, ci_low_a, ci_high_a, n_b, count_b, share_b, ci_low_b,
    ci_high_b, difference, diff_ci_low, diff_ci_high, diff_ci_method, statistic, p_value, test,
    p_holm, cohens_h, conf_level

(``difference = share_b - share_a``; ``test`` names the per-option test behind ``p_value``, and
``p_holm`` is ``p_value`` Holm-adjusted over the options) and the label columns ``label_sv`` and
``label_en``. ``n_a``, ``n_b`` and ``conf_level`` must be the same on every row; shares and the
difference must agree with the counts (checked: every printed share and difference is computed
exactly from the counts, as :func:`render.format_share` does).

``facts``: what the table does not say, one dict for both languages (a value given as a mapping
``{"sv": ..., "en": ...}`` is read in the language drawn; a plain string is used as is):

========================  ========  ===========================================================
key                       required  meaning
========================  ========  ===========================================================
``kind``                  yes       ``"single"`` or ``"multi"`` (tick all that apply; use
                                    ``"multi"`` if either side is a tick-all question)
``wave_a``, ``wave_b``    yes       the waves, e.g. ``"2016"``, ``"2018"``
``question_a``, ``_b``    yes       the questions: their text or a short name (str or mapping)
``ci_method``             yes [1]_  interval method id of the shares (``"wilson"``, ...)
``base_a``, ``base_b``    no        whom the shares are of, e.g. ``question.base`` (str/mapping)
``label_a``, ``label_b``  no        short names of the sides for legend, headers and axis
                                    (default: the wave; the question if both waves are equal)
``n_a``, ``n_b``          no        the bases; checked against the table's ``n_a``, ``n_b``
``conf_level``            no        checked against the table's ``conf_level``
``test``                  no        the whole-question test, e.g. ``{"test": "Bilder-Loughin
                                    MMI", "statistic": .., "p_rs2": .., "p_bootstrap": ..,
                                    "B": 9999}`` or ``{"test": "Pearson chi-square
                                    (asymptotic)", "statistic": .., "df": .., "p_value": ..,
                                    "cramers_v": ..}``; ``None`` or absent: no such sentence
``left_out``              no        options not compared (in one question only), preferably
                                    labels: a list, or a mapping language -> list
========================  ========  ===========================================================

.. [1] unless the table has a ``ci_method`` column (as ``netclean_survey.compare.runs`` gives
   it), which is then used (and must agree with ``facts["ci_method"]`` if both are given).

Test dict: ``test`` (name; known names are translated, see :data:`TEST_NAMES`, others shown as
written), ``statistic``, ``df``, p-values under ``p_value``, ``p_rs2`` (Rao–Scott second order),
``p_rs1``, ``p_bonferroni``, ``p_bootstrap`` and ``p_monte_carlo`` (both with ``B``
resamples, and ``seed`` where given), any other ``p_*`` key shown under its own name;
``cramers_v``; ``dropped_options`` (ids, shown by their labels). NaN numbers are left out (a
bootstrap not run, a test not computable); other keys are ignored. Statistics are printed
with two decimals, p-values with three ("< 0.001" below), all rounded half up; Swedish with a
decimal comma.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import pandas as pd

from ..core.writers import prepare_path
from .text import (
    LANGS,
    MISSING,
    capitalise,
    check_lang,
    format_decimal,
    format_exact,
    format_level,
    format_percent,
    format_share,
    md_cell,
    md_inline,
    method_name,
    one_line,
)
from .text import TEXTS as BASE_TEXTS
from .workbook import write_workbook

COMPARE_COLUMNS = (
    "option", "n_a", "count_a", "share_a", "ci_low_a", "ci_high_a", "n_b", "count_b", "share_b",
    "ci_low_b", "ci_high_b", "difference", "diff_ci_low", "diff_ci_high", "diff_ci_method",
    "statistic", "p_value", "test", "p_holm", "cohens_h", "conf_level",
)


REQUIRED_FACTS = ("kind", "wave_a", "wave_b", "question_a", "question_b")
KINDS = ("single", "multi")
_COMPARE_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "side": "Wave {wave}: {question} ({base})",
        "side_base": "{base}, n = {n}",
        "legend": "{label} (n = {n})",
        "axis_diff": "Difference in percentage points ({b} minus {a})",
        "diff_whiskers": "Difference: {b} minus {a}, in percentage points. Whiskers: {level} % "
                         "confidence intervals of the difference ({method}).",
        "p_holm_caption": "p: {test}, Holm-adjusted over the options.",
        "p_header": "p (Holm)",
        "md_shares": "Shares in percent with {level} % confidence intervals ({method}) in brackets.",
        "md_diff": "Differences, {b} minus {a}, in percentage points with {level} % confidence "
                   "intervals ({method}).",
        "md_p": "p: {test} for each option; p Holm: the same p-values Holm-adjusted over the options.",
        "col_side": "{label} (%)",
        "col_diff": "Difference (percentage points)",
        "col_p": "p",
        "col_p_holm": "p Holm",
        "ci": "{est} [{low}, {high}]",
        "statistic": "statistic",
        "df": "df",
        "resamples": "(B = {B})",
        "resamples_seed": "(B = {B}, seed {seed})",
        "dropped": "Left out of the test (ticked by all or by none): {options}.",
        "left_out": "Not compared (offered in only one of the questions): {options}.",
        "and": "and",
        "title_waves": "{name}, {wave_a} and {wave_b}",
        "title_wave": "{names}, {wave}",
        "title_sides": "{name_a} ({wave_a}) and {name_b} ({wave_b})",
        "title_within": "{name}, {wave}: {options} compared",
        "title_contrast": "{higher} against {lower}: {sides}",
    },
    "sv": {
        "side": "Omgång {wave}: {question} ({base})",
        "side_base": "{base}, n = {n}",
        "legend": "{label} (n = {n})",
        "axis_diff": "Skillnad i procentenheter ({b} minus {a})",
        "diff_whiskers": "Skillnad: {b} minus {a}, i procentenheter. Felstaplar: {level} % "
                         "konfidensintervall för skillnaden ({method}).",
        "p_holm_caption": "p: {test}, Holm-justerade över alternativen.",
        "p_header": "p (Holm)",
        "md_shares": "Andelar i procent med {level} % konfidensintervall ({method}) inom hakparentes.",
        "md_diff": "Skillnader, {b} minus {a}, i procentenheter med {level} % konfidensintervall "
                   "({method}).",
        "md_p": "p: {test} för varje alternativ; p Holm: samma p-värden Holm-justerade över alternativen.",
        "col_side": "{label} (%)",
        "col_diff": "Skillnad (procentenheter)",
        "col_p": "p",
        "col_p_holm": "p Holm",
        "ci": "{est} [{low}; {high}]",  # the decimal comma rules out "," between the bounds
        "statistic": "teststorhet",
        "df": "fg",
        "resamples": "(B = {B})",
        "resamples_seed": "(B = {B}, seed {seed})",
        "dropped": "Utelämnade ur testet (kryssade av alla eller ingen): {options}.",
        "left_out": "Inte jämförda (fanns bara i en av frågorna): {options}.",
        "and": "och",
        "title_waves": "{name}, {wave_a} och {wave_b}",
        "title_wave": "{names}, {wave}",
        "title_sides": "{name_a} ({wave_a}) och {name_b} ({wave_b})",
        "title_within": "{name}, {wave}: {options} jämförda",
        "title_contrast": "{higher} mot {lower}: {sides}",
    },
}


#: Prepositions after which two names that begin alike are joined without repeating the words
#: before it: "ages seen in grooming cases" and "ages seen in sexual extortion cases" give "ages
#: seen in grooming cases and in sexual extortion cases".
TITLE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"in", "of", "for", "from", "on", "at", "by", "to", "with", "among"}),
    "sv": frozenset({"i", "av", "för", "från", "på", "vid", "till", "med", "hos", "bland", "om"}),
}


#: render.TEXTS with the comparison's strings added (one dict per language).
TEXTS: dict[str, dict[str, str]] = {lang: {**BASE_TEXTS[lang], **_COMPARE_TEXTS[lang]} for lang in LANGS}


#: Tests by normalised name (lower case; spaces, "_", "-", "–" and "'" as one space): the name per
#: language and the symbol of the statistic. A name not listed is shown as written.
TEST_NAMES: dict[str, dict[str, str]] = {
    "bilder loughin mmi": {"en": "Bilder–Loughin test of multiple marginal independence",
                           "sv": "Bilder–Loughins test av multipelt marginellt oberoende",
                           "symbol": "X²_S"},
    "pearson chi square (asymptotic)": {"en": "Pearson's chi-square test (asymptotic)",
                                        "sv": "Pearsons chi2-test (asymptotiskt)", "symbol": "X²"},
    "pearson chi square (monte carlo)": {"en": "Pearson's chi-square test (Monte Carlo)",
                                         "sv": "Pearsons chi2-test (Monte Carlo)", "symbol": "X²"},
    "pearson chi square": {"en": "Pearson's chi-square test", "sv": "Pearsons chi2-test", "symbol": "X²"},
    "score": {"en": "score test", "sv": "score-test", "symbol": "z"},
    "score (pooled, no continuity correction)": {
        "en": "score test (pooled, no continuity correction)",
        "sv": "score-test (poolad, utan kontinuitetskorrektion)", "symbol": "z"},
    "fisher exact": {"en": "Fisher's exact test", "sv": "Fishers exakta test", "symbol": ""},
}


#: Names with numbers in them (netclean_survey.compare.independent.homogeneity_test), by pattern on the
#: normalised name; the groups fill the templates.
TEST_PATTERNS: tuple[tuple[str, dict[str, str]], ...] = (
    (r"pearson chi square \(monte carlo, (?P<r>\d+) resamples, seed (?P<seed>\d+)\)",
     {"en": "Pearson's chi-square test (Monte Carlo p-value: {r} resamples, seed {seed})",
      "sv": "Pearsons chi2-test (Monte Carlo-p-värde: {r} omdragningar, seed {seed})", "symbol": "X²"}),
    (r"pearson chi square \(not testable: (?P<why>.*)\)",
     {"en": "Pearson's chi-square test not computable ({why})",
      "sv": "Pearsons chi2-test kan inte beräknas ({why})", "symbol": "X²"}),
)


_REASONS = {"fewer than two options chosen": {"en": "fewer than two options chosen",
                                              "sv": "färre än två alternativ valda"}}


_TEST_ALIASES = {
    "bilder loughin": "bilder loughin mmi",
    "mmi": "bilder loughin mmi",
    "pearson chi square test": "pearson chi square",
    "chi square": "pearson chi square",
    "score test": "score",
    "two proportion score test": "score",
    "score test (two proportions)": "score",
    "fisher": "fisher exact",
    "fisher exact test": "fisher exact",
    "fishers exact test": "fisher exact",
}


#: Interval methods of a difference of two proportions, by normalised id, per language; other
#: ids go through render.method_name.
DIFF_METHOD_NAMES: dict[str, dict[str, str]] = {
    "newcombe": {"en": "Newcombe hybrid score", "sv": "Newcombes hybrida score-metod"},
    "newcombe hybrid": {"en": "Newcombe hybrid score", "sv": "Newcombes hybrida score-metod"},
    "newcombe hybrid score": {"en": "Newcombe hybrid score", "sv": "Newcombes hybrida score-metod"},
    "newcombe wilson": {"en": "Newcombe hybrid score", "sv": "Newcombes hybrida score-metod"},
    "agresti caffo": {"en": "Agresti–Caffo", "sv": "Agresti–Caffo"},
    "wald": {"en": "Wald", "sv": "Wald"},
}


#: p-value keys of a whole-question test dict, in the order printed, with their names.
P_KEYS: dict[str, dict[str, str]] = {
    "p_value": {"en": "p", "sv": "p"},
    "p_rs2": {"en": "Rao–Scott p", "sv": "Rao–Scott-p"},
    "p_rs1": {"en": "first-order Rao–Scott p", "sv": "Rao–Scott-p (första ordningen)"},
    "p_bootstrap": {"en": "bootstrap p", "sv": "bootstrap-p"},
    "p_monte_carlo": {"en": "Monte Carlo p", "sv": "Monte Carlo-p"},
    "p_bonferroni": {"en": "Bonferroni p", "sv": "Bonferroni-p"},
}


_RESAMPLED = ("p_bootstrap", "p_monte_carlo")
_CRAMERS_V = {"en": "Cramér's V", "sv": "Cramérs V"}


def _key(name) -> str:
    return re.sub(r"[\s_\-–—'’]+", " ", str(name).strip().lower()).strip()


def _test_entry(name) -> tuple[dict[str, str], dict[str, str]] | None:
    key = _key(name)
    entry = TEST_NAMES.get(_TEST_ALIASES.get(key, key))
    if entry:
        return entry, {}
    for pattern, entry in TEST_PATTERNS:
        match = re.fullmatch(pattern, key)
        if match:
            return entry, match.groupdict()
    return None


def test_name(name: str, lang: str) -> str:
    """A test's name in ``lang`` (:data:`TEST_NAMES`, :data:`TEST_PATTERNS`), else as written."""
    found = _test_entry(name)
    if not found:
        return one_line(name)
    entry, groups = found
    groups = {k: _REASONS.get(v, {}).get(lang, v) for k, v in groups.items()}
    return entry[lang].format(**groups)


test_name.__test__ = False  # not a pytest test, whatever imports it


def _symbol(name: str, lang: str) -> str:
    found = _test_entry(name)
    return found[0]["symbol"] if found and found[0]["symbol"] else TEXTS[lang]["statistic"]


def diff_method_name(method: str, lang: str) -> str:
    """The interval method of a difference of proportions, in ``lang``."""
    entry = DIFF_METHOD_NAMES.get(_key(method))
    return entry[lang] if entry else method_name(method)


def _isnan(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def format_p(p: float, lang: str = "en") -> str:
    """A p-value: three decimals rounded half up ("0.012"), "< 0.001" below 0.001, "–" for NaN."""
    if _isnan(p):
        return MISSING
    if float(p) < 0.001:
        return "< " + format_decimal(0.001, 3, lang)
    return format_decimal(p, 3, lang)


def p_relation(p: float, lang: str) -> str:
    """"= 0.012" or "< 0.001" (or "= –")."""
    text = format_p(p, lang)
    return text if text.startswith("<") else "= " + text


def _number(value, lang: str, places: int = 2) -> str:
    return format_decimal(value, places, lang)  # "–" for NaN


def test_sentence(test: Mapping | None, lang: str, labels: Mapping[str, str] | None = None) -> str:
    """The whole-question test as one sentence, e.g. "Bilder–Loughin test of multiple marginal
    independence: X²_S = 12.34; Rao–Scott p = 0.012; bootstrap p = 0.010 (B = 9999, seed 1)."
    ("" for None). A NaN number is left out (a bootstrap not run, a test not computable); options
    the test left out (``dropped_options``) are named, by ``labels`` (option id -> label) where
    given."""
    check_lang(lang)
    if not test:
        return ""
    if "test" not in test or _isnan(test["test"]) or not str(test["test"]).strip():
        raise ValueError(f"the whole-question test result names no test: {dict(test)!r}")
    t = TEXTS[lang]
    parts = []
    if not _isnan(test.get("statistic")):
        parts.append(f"{_symbol(test['test'], lang)} = {_number(test['statistic'], lang)}")
    if not _isnan(test.get("df")):
        df = test["df"]
        parts.append(f"{t['df']} = " + (str(int(df)) if float(df).is_integer() else format_decimal(df, 2, lang)))
    p_keys = [k for k in P_KEYS if k in test] + [k for k in test if k.startswith("p_") and k not in P_KEYS]
    for k in p_keys:
        if _isnan(test[k]):
            continue
        label = P_KEYS[k][lang] if k in P_KEYS else k
        text = f"{label} {p_relation(test[k], lang)}"
        if k in _RESAMPLED and not _isnan(test.get("B")):
            seed = test.get("seed")
            text += " " + (t["resamples"].format(B=int(test["B"])) if _isnan(seed)
                           else t["resamples_seed"].format(B=int(test["B"]), seed=seed))
        parts.append(text)
    if not _isnan(test.get("cramers_v")):
        parts.append(f"{_CRAMERS_V[lang]} = {_number(test['cramers_v'], lang)}")
    name = test_name(test["test"], lang)
    sentence = f"{name}: {'; '.join(parts)}." if parts else f"{name}."
    dropped = test.get("dropped_options")
    if dropped is not None and len(dropped):
        labels = labels or {}
        sentence += " " + t["dropped"].format(options=", ".join(labels.get(str(o), str(o)) for o in dropped))
    return sentence


test_sentence.__test__ = False


def _difference(row) -> Fraction | None:
    if int(row.n_a) == 0 or int(row.n_b) == 0:
        return None
    return Fraction(int(row.count_b), int(row.n_b)) - Fraction(int(row.count_a), int(row.n_a))


def format_difference(row, lang: str = "en") -> str:
    """share_b - share_a of a table row in percentage points, one decimal, exactly from the counts."""
    diff = _difference(row)
    return MISSING if diff is None else format_exact(diff * 100, 1, lang)


def _interval(est: str, low, high, lang: str) -> str:
    if est == MISSING:
        return MISSING
    if _isnan(low) or _isnan(high):
        return est
    return TEXTS[lang]["ci"].format(est=est, low=format_percent(low, lang), high=format_percent(high, lang))


def _in_lang(value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        if lang not in value:
            raise ValueError(f"no {lang!r} text in {dict(value)!r}")
        return one_line(value[lang])
    return one_line(value)


def _one(table: pd.DataFrame, column: str):
    values = pd.unique(table[column])
    if len(values) != 1:
        raise ValueError(f"expected one value of {column!r} on every row of the comparison, got {list(values)!r}")
    return values[0]


def _names(table: pd.DataFrame, column: str) -> list[str]:
    values = table[column].map(lambda v: "" if _isnan(v) else str(v).strip())
    return [v for v in pd.unique(values) if v]


def comparison_facts(table: pd.DataFrame, facts: Mapping, lang: str) -> dict:
    """``facts`` checked against the table and completed from it, texts in ``lang``: keys of the
    module docstring plus ``diff_ci_method`` and ``option_test`` (from the table, named)."""
    check_lang(lang)
    missing_columns = [c for c in (*COMPARE_COLUMNS, f"label_{lang}") if c not in table.columns]
    if missing_columns:
        raise ValueError(f"the comparison table lacks columns {missing_columns!r}")
    if table.empty:
        raise ValueError("no rows: expected one row per compared option")
    missing = [k for k in REQUIRED_FACTS if k not in facts or facts[k] is None]
    ci_method = facts.get("ci_method")
    if "ci_method" in table.columns:  # as netclean_survey.compare.runs adds it
        in_table = _one(table, "ci_method")
        if ci_method is not None and _key(ci_method) != _key(in_table):
            raise ValueError(f"facts['ci_method'] = {ci_method!r} but the table says {in_table!r}")
        ci_method = in_table
    if ci_method is None or _isnan(ci_method) or not str(ci_method).strip():
        missing.append("ci_method")
    if missing:
        raise ValueError(f"facts lack {missing!r}")
    if facts["kind"] not in KINDS:
        raise ValueError(f"facts['kind'] must be one of {KINDS}, got {facts['kind']!r}")
    out = {
        "kind": facts["kind"],
        "ci_method": str(ci_method),
        "test": facts.get("test"),
        "n_a": int(_one(table, "n_a")),
        "n_b": int(_one(table, "n_b")),
        "conf_level": float(_one(table, "conf_level")),
    }
    for key in ("n_a", "n_b", "conf_level"):
        if facts.get(key) is not None and not math.isclose(float(facts[key]), out[key]):
            raise ValueError(f"facts[{key!r}] = {facts[key]!r} but the table says {out[key]!r}")
    for side in ("a", "b"):
        out[f"wave_{side}"] = _in_lang(facts[f"wave_{side}"], lang)
        out[f"question_{side}"] = _in_lang(facts[f"question_{side}"], lang)
        out[f"base_{side}"] = _in_lang(facts.get(f"base_{side}"), lang)
    for side in ("a", "b"):  # default: the wave, or the question if both sides are of one wave
        label = _in_lang(facts.get(f"label_{side}"), lang)
        default = out[f"question_{side}"] if out["wave_a"] == out["wave_b"] else out[f"wave_{side}"]
        out[f"label_{side}"] = label or default
    diff_methods = _names(table, "diff_ci_method")
    if table[["diff_ci_low", "diff_ci_high"]].notna().any().any() and not diff_methods:
        raise ValueError("intervals of the difference without diff_ci_method")
    out["diff_ci_method"] = ", ".join(diff_method_name(m, lang) for m in diff_methods)
    tests = _names(table, "test")
    if table[["p_value", "p_holm"]].notna().any().any() and not tests:
        raise ValueError("p-values without the name of their test (column 'test')")
    out["option_test"] = ", ".join(test_name(x, lang) for x in tests)
    left_out = facts.get("left_out") or []
    if isinstance(left_out, Mapping):
        left_out = left_out.get(lang, [])
    out["left_out"] = [one_line(x) for x in ([left_out] if isinstance(left_out, str) else left_out)]
    out["labels"] = dict(zip(table["option"].astype(str), table[f"label_{lang}"].astype(str)))
    _check_counts(table)
    return out


def _check_counts(table: pd.DataFrame) -> None:
    """Shares and differences agree with the counts (to the 6 decimals of a CSV)."""
    for row in table.itertuples(index=False):
        for side in ("a", "b"):
            n, count = int(getattr(row, f"n_{side}")), int(getattr(row, f"count_{side}"))
            share = getattr(row, f"share_{side}")
            if not 0 <= count <= n:
                raise ValueError(f"option {row.option!r}: count_{side} = {count} outside 0..n_{side} = {n}")
            if n and (pd.isna(share) or abs(float(share) - count / n) > 1e-6):
                raise ValueError(f"option {row.option!r}: share_{side} = {share!r} is not {count}/{n}")
        diff = _difference(row)
        if diff is not None and (pd.isna(row.difference) or abs(float(row.difference) - float(diff)) > 1e-6):
            raise ValueError(f"option {row.option!r}: difference = {row.difference!r} is not share_b - share_a")


def side_sentence(f: dict, side: str, lang: str) -> str:
    t = TEXTS[lang]
    n = f[f"n_{side}"]
    base = t["side_base"].format(base=f[f"base_{side}"], n=n) if f[f"base_{side}"] else t["n"].format(n=n)
    text = t["side"].format(wave=f[f"wave_{side}"], question=f[f"question_{side}"], base=base)
    return text + "."


def test_parts(f: dict, lang: str) -> list[str]:
    """The whole-question test, then the options not compared."""
    sentence = test_sentence(f["test"], lang, f["labels"])
    parts = [sentence] if sentence else []
    if f["left_out"]:
        parts.append(TEXTS[lang]["left_out"].format(options=", ".join(f["left_out"])))
    return parts


def multi_sentence(f: dict, lang: str) -> list[str]:
    return [TEXTS[lang]["multi"]] if f["kind"] == "multi" else []


def p_holm_sentence(f: dict, lang: str) -> list[str]:
    return [TEXTS[lang]["p_holm_caption"].format(test=f["option_test"])] if f["option_test"] else []




def word_list(items, lang: str) -> str:
    """"A", "A and B", "A, B and C" (Swedish "och"); the items as given, in their order."""
    check_lang(lang)
    items = [one_line(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {TEXTS[lang]['and']} {items[-1]}"


def joined_names(first: str, second: str, lang: str) -> str:
    """Two names joined by "and" / "och", the words they begin with up to a shared preposition
    said once: "most common ages in grooming cases and in sexual extortion cases"; one name if the
    two are the same."""
    check_lang(lang)
    first, second = one_line(first), one_line(second)
    if first == second:
        return first
    words_a, words_b = first.split(" "), second.split(" ")
    shared = 0
    while shared < min(len(words_a), len(words_b)) - 1 and words_a[shared] == words_b[shared]:
        shared += 1
    cut = max((i for i in range(1, shared) if words_b[i] in TITLE_PREPOSITIONS[lang]), default=0)
    return f"{first} {TEXTS[lang]['and']} {' '.join(words_b[cut:])}"


def _sides_phrase(name_a: str, wave_a: str, name_b: str, wave_b: str, lang: str) -> str:
    t = TEXTS[lang]
    name_a, name_b, wave_a, wave_b = (one_line(x) for x in (name_a, name_b, wave_a, wave_b))
    if wave_a == wave_b:
        return t["title_wave"].format(names=joined_names(name_a, name_b, lang), wave=wave_a)
    if name_a == name_b:
        return t["title_waves"].format(name=name_a, wave_a=wave_a, wave_b=wave_b)
    return t["title_sides"].format(name_a=name_a, wave_a=wave_a, name_b=name_b, wave_b=wave_b)


def sides_title(name_a: str, wave_a: str, name_b: str, wave_b: str, lang: str) -> str:
    """The title of a comparison of two (question, wave) sides, in words: names are the questions'
    short names (``Question.name``). One question in two waves: "Respondent's region, 2016 and
    2018"; two questions of one wave: "Ages seen in grooming cases and in sexual extortion cases,
    2018"; else "Where the children come from (2016) and where officers see a link to trafficking
    (2018)". The first letter capitalised; Swedish in Swedish."""
    check_lang(lang)
    return capitalise(_sides_phrase(name_a, wave_a, name_b, wave_b, lang))


def within_title(name: str, wave: str, options, lang: str) -> str:
    """The title of the options of one question compared with each other: "Where the children in
    the material come from, 2016: North America, Europe and Asia compared" (``options``: their
    labels, in order)."""
    check_lang(lang)
    return capitalise(TEXTS[lang]["title_within"].format(name=one_line(name), wave=one_line(wave),
                                                         options=word_list(options, lang)))


def contrast_title(higher, lower, name_a: str, wave_a: str, name_b: str, wave_b: str, lang: str) -> str:
    """The title of a gap between options compared across two sides: the options weighted up
    (``higher``, labels) against those weighted down (``lower``), then the sides as
    :func:`sides_title` names them: "Asia against North America and Europe: where the children ...
    (2016) and where officers see a link to trafficking (2018)"."""
    check_lang(lang)
    sides = _sides_phrase(name_a, wave_a, name_b, wave_b, lang)
    if not lower:
        return capitalise(f"{word_list(higher, lang)}: {sides}")
    return capitalise(TEXTS[lang]["title_contrast"].format(higher=word_list(higher, lang),
                                                           lower=word_list(lower, lang), sides=sides))


def comparison_markdown(table: pd.DataFrame, lang: str, title: str, facts: Mapping, note: str | None) -> str:
    """The comparison as Markdown: heading; a sentence per side (wave, question, base, n); the
    methods (intervals of shares and differences, per-option test and Holm adjustment, tick all
    that apply); the whole-question test; the pipe table (option, share a [CI], share b [CI],
    difference [CI] in percentage points, p, p Holm); the note in italics. Shares and differences
    exactly from the counts, one decimal, half up; decimal comma in Swedish."""
    f = comparison_facts(table, facts, lang)
    t = TEXTS[lang]
    level = format_level(f["conf_level"])
    methods = [t["md_shares"].format(level=level, method=method_name(f["ci_method"])),
               t["md_diff"].format(b=f["label_b"], a=f["label_a"], level=level, method=f["diff_ci_method"] or MISSING)]
    if f["option_test"]:
        methods.append(t["md_p"].format(test=f["option_test"]))
    methods += multi_sentence(f, lang)
    header = [t["col_option"], t["col_side"].format(label=f["label_a"]), t["col_side"].format(label=f["label_b"]),
              t["col_diff"], t["col_p"], t["col_p_holm"]]
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |",
             "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    for row in table.itertuples(index=False):
        cells = [
            md_cell(getattr(row, f"label_{lang}")),
            _interval(format_share(row.count_a, row.n_a, lang), row.ci_low_a, row.ci_high_a, lang),
            _interval(format_share(row.count_b, row.n_b, lang), row.ci_low_b, row.ci_high_b, lang),
            _interval(format_difference(row, lang), row.diff_ci_low, row.diff_ci_high, lang),
            format_p(row.p_value, lang),
            format_p(row.p_holm, lang),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    parts = [f"# {md_inline(one_line(title))}",
             " ".join([side_sentence(f, "a", lang), side_sentence(f, "b", lang)]),
             " ".join(methods),
             *test_parts(f, lang),
             "\n".join(lines)]
    if note:
        parts.append(f"*{one_line(note)}*")
    return "\n\n".join(parts) + "\n"


def write_comparison_markdown(
    table: pd.DataFrame,
    path: str | Path,
    lang: str,
    title: str,
    facts: Mapping,
    note: str | None,
) -> None:
    """Write :func:`comparison_markdown` to ``path`` (UTF-8, "\\n")."""
    text = comparison_markdown(table, lang, title, facts, note)
    with prepare_path(path).open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_comparison_workbook(sheets: Mapping[str, pd.DataFrame], path: str | Path, note) -> None:
    """One workbook, a README sheet (note, list of sheets) and a sheet per comparison table:
    :func:`render.write_workbook`, same bytes every run. ``note``: str, per-language mapping or None."""
    write_workbook(sheets, path, note)


__all__ = [
    "COMPARE_COLUMNS", "DIFF_METHOD_NAMES", "TEST_NAMES", "TEST_PATTERNS", "TEXTS", "comparison_facts",
    "comparison_markdown", "contrast_title", "diff_method_name", "format_difference", "format_p", "joined_names",
    "sides_title", "test_name", "test_sentence", "within_title", "word_list", "write_comparison_markdown",
    "write_comparison_workbook",
]
