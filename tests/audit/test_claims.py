"""Tests of netclean_survey.claims: the lexicon, each claim kind, and the shipped claims.

Expected intervals are written by hand from the rules documented in config/lexicon.yaml. Claim
kinds are evaluated on small hand-built respondents whose counts make the verdict and evidence
plain (the arithmetic is in the comments: Wilson limits by tests/hand_formulas.py, McNemar tails
and means by hand). The shipped claims are evaluated on data rebuilt here from resources/raw
(clean_export, estimate_wave), independent of results/; their expected verdicts are what the
synthetic data give, not what the report says.
"""

from __future__ import annotations

import copy
import math
import re
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from netclean_survey import SYNTHETIC_NOTE
from netclean_survey.audit.claim_specs import CLAIM_KINDS, check_claim, load_claims
from netclean_survey.audit.claims import (
    LABELLED_COLUMNS,
    RESULT_COLUMNS,
    TABLE_COLUMNS,
    evaluate_claims,
    summarise_claims,
)
from netclean_survey.core.errors import ClaimError
from netclean_survey.core.interval import Interval
from netclean_survey.audit.claims_report import claims_markdown
from netclean_survey.audit.lexicon import load_lexicon, parse_lexicon, parse_phrase, printed_interval
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, load_wave, parse_codebook, parse_wave
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.estimate.shares import estimate_wave, read_estimates
from netclean_survey.clean.tidy import read_responses

from hand_formulas import wilson_by_hand  # noqa: E402

LEXICON_PATH = "config/lexicon.yaml"
CLAIM_FILES = ("config/claims/2018.yaml", "config/claims/2016.yaml", "config/claims/2016_vs_2018.yaml")
REPORT = Path(__file__).resolve().parents[2] / "docs" / "reference" / "report-2018-insight2.sv.txt"  # shipped

LEX = load_lexicon(LEXICON_PATH)
THIRD = Fraction(100, 3)


# ----------------------------------------------------------------------------------------------
# the lexicon


def test_shipped_margins_are_the_documented_ones():
    # the hand-written intervals below assume these; change both together
    assert LEX.margins == {"number": Fraction(3, 2), "fraction": Fraction(3)}


# (phrase, lang, low, high, low_closed, high_closed), worked from the rules of config/lexicon.yaml
PHRASES = [
    # qualifier on a number: margin 1.5
    ("Drygt 16 procent", "sv", 16, Fraction(35, 2), False, True),
    ("just over 16 per cent", "en", 16, Fraction(35, 2), False, True),
    ("knappt 20 procent", "sv", Fraction(37, 2), 20, True, False),
    ("just under 20 percent", "en", Fraction(37, 2), 20, True, False),
    ("nästan 20 %", "sv", Fraction(37, 2), 20, True, False),
    ("almost 20%", "en", Fraction(37, 2), 20, True, False),
    ("close to 20 percent", "en", Fraction(37, 2), 20, True, False),
    ("Över 80 procent", "sv", 80, 100, False, True),
    ("more than 80 per cent", "en", 80, 100, False, True),
    ("under 10 procent", "sv", 0, 10, True, False),
    ("less than 10 percent", "en", 0, 10, True, False),
    ("cirka 40 procent", "sv", Fraction(77, 2), Fraction(83, 2), True, True),
    ("about 40 per cent", "en", Fraction(77, 2), Fraction(83, 2), True, True),
    ("roughly 40 %", "en", Fraction(77, 2), Fraction(83, 2), True, True),
    ("minst 5 procent", "sv", 5, 100, True, True),
    ("at least 5 per cent", "en", 5, 100, True, True),
    ("högst 5 procent", "sv", 0, 5, True, True),
    ("at most 5 per cent", "en", 0, 5, True, True),
    ("knappt 1 procent", "sv", 0, 1, True, False),  # 1 - 1.5 clipped to 0, which is then a share too
    # fractions: margin 3
    ("en tredjedel", "sv", THIRD - 3, THIRD + 3, True, True),
    ("a third", "en", THIRD - 3, THIRD + 3, True, True),
    ("nästan en tredjedel", "sv", THIRD - 3, THIRD, True, False),
    ("almost a third", "en", THIRD - 3, THIRD, True, False),
    ("Knappt en tredjedel", "sv", THIRD - 3, THIRD, True, False),
    ("just under a third", "en", THIRD - 3, THIRD, True, False),
    ("en fjärdedel", "sv", 22, 28, True, True),
    ("a quarter", "en", 22, 28, True, True),
    ("den fjärdedel", "sv", 22, 28, True, True),
    ("the quarter", "en", 22, 28, True, True),
    ("tre fjärdedelar", "sv", 72, 78, True, True),
    ("three quarters", "en", 72, 78, True, True),
    ("Nästan tre fjärdedelar", "sv", 72, 75, True, False),
    ("almost three quarters", "en", 72, 75, True, False),
    ("drygt en fjärdedel", "sv", 25, 28, False, True),
    ("hälften", "sv", 47, 53, True, True),
    ("half", "en", 47, 53, True, True),
    ("ungefär hälften", "sv", 47, 53, True, True),
    ("två tredjedelar", "sv", 2 * THIRD - 3, 2 * THIRD + 3, True, True),
    ("two thirds", "en", 2 * THIRD - 3, 2 * THIRD + 3, True, True),
    ("en av tio", "sv", 7, 13, True, True),
    ("one in ten", "en", 7, 13, True, True),
    ("2 out of 3", "en", 2 * THIRD - 3, 2 * THIRD + 3, True, True),
    # whole phrases
    ("de flesta", "sv", 50, 100, False, True),
    ("most", "en", 50, 100, False, True),
    ("nästan alltid", "sv", 90, 100, True, True),
    ("almost always", "en", 90, 100, True, True),
    ("en mindre del", "sv", 0, 50, False, False),
    ("a minority", "en", 0, 50, False, False),
    # number words and plain numbers: half a unit of the last printed digit
    ("sju procent", "sv", Fraction(13, 2), Fraction(15, 2), True, False),
    ("seven per cent", "en", Fraction(13, 2), Fraction(15, 2), True, False),
    ("sju", "sv", Fraction(13, 2), Fraction(15, 2), True, False),
    ("tjugofem procent", "sv", Fraction(49, 2), Fraction(51, 2), True, False),
    ("twenty-five percent", "en", Fraction(49, 2), Fraction(51, 2), True, False),
    ("7", "sv", Fraction(13, 2), Fraction(15, 2), True, False),
    ("7", "en", Fraction(13, 2), Fraction(15, 2), True, False),
    ("16.3", "en", Fraction(1625, 100), Fraction(1635, 100), True, False),
    ("16,3 %", "sv", Fraction(1625, 100), Fraction(1635, 100), True, False),
    ("16,3", "en", Fraction(1625, 100), Fraction(1635, 100), True, False),  # decimal comma accepted
    ("2.90", "en", Fraction(2895, 1000), Fraction(2905, 1000), True, False),  # printed decimals count
    ("drygt 16,5 procent", "sv", Fraction(33, 2), 18, False, True),
]


@pytest.mark.parametrize("text, lang, low, high, low_closed, high_closed", PHRASES)
def test_phrase_maps_to_documented_interval(text, lang, low, high, low_closed, high_closed):
    interval = parse_phrase(text, LEX, lang)
    assert (interval.low, interval.high, interval.low_closed, interval.high_closed) == (
        Fraction(low),
        Fraction(high),
        low_closed,
        high_closed,
    )


def test_explanations_say_what_the_phrase_means():
    assert parse_phrase("Över 80 procent", LEX, "sv").explanation == "över 80 procent: mer än 80 %"
    assert parse_phrase("more than 80 per cent", LEX, "en").explanation == "more than 80 per cent: more than 80 %"
    assert parse_phrase("drygt 16 procent", LEX, "sv").explanation == "drygt 16 procent: mer än 16 % och högst 17,5 %"
    assert parse_phrase("a minority", LEX, "en").explanation == "a minority: more than 0 % and less than 50 %"
    assert (
        parse_phrase("almost a third", LEX, "en").explanation
        == "almost a third: at least 30.33 % and less than 33.33 %"
    )


def test_interval_notation_and_exact_membership():
    drygt = parse_phrase("drygt 16 procent", LEX, "sv")
    assert drygt.notation("en") == "(16, 17.5]" and drygt.notation("sv") == "(16; 17,5]"
    assert str(drygt) == "(16, 17.5]"
    assert not drygt.contains(16) and drygt.contains(Fraction(35, 2)) and not drygt.contains(17.51)
    printed = parse_phrase("16.3", LEX, "en")
    # 13 of 80 is exactly 16.25 %: on the closed lower end of the rounding interval of "16.3"
    assert printed.contains(Fraction(13 * 100, 80))
    assert not printed.contains(Fraction(1635, 100))
    assert printed.contains_range(16.26, 16.34) and not printed.contains_range(16.2, 16.3)
    assert printed.misses_range(16.35, 17) and not printed.misses_range(16.0, 16.25)


def test_printed_interval_requires_quoted_plain_numbers():
    assert printed_interval("54.4").same_set(Interval(Fraction(5435, 100), Fraction(5445, 100), True, False))
    assert printed_interval("26").same_set(Interval(Fraction(51, 2), Fraction(53, 2), True, False))
    assert printed_interval("54,4", "sv").explanation.startswith("tryckt 54,4 %")
    with pytest.raises(ClaimError, match="quoted"):
        printed_interval(54.4)
    with pytest.raises(ClaimError, match="plain number"):
        printed_interval("about 54")


@pytest.mark.parametrize("text, lang", [("en hel del", "sv"), ("a good few", "en"), ("drygt många", "sv"), ("", "en")])
def test_unknown_phrase_is_a_clear_error_listing_known_words(text, lang):
    with pytest.raises(ClaimError) as error:
        parse_phrase(text, LEX, lang)
    message = str(error.value)
    assert repr(text) in message and "Known words" in message
    if lang == "sv":
        assert "drygt (just_over)" in message and "tredjedel" in message and "sju" in message
    else:
        assert "just over (just_over)" in message and "third" in message and "seven" in message


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        parse_phrase("16 %", LEX, "de")


def test_lexicon_validation_names_the_problem():
    data = read_yaml(LEXICON_PATH)
    bad_rule = dict(data, qualifiers={**data["qualifiers"], "roughly_maybe": {"sv": ["typ"], "en": ["kind of"]}})
    with pytest.raises(ClaimError, match=r"qualifiers: unknown keys \['roughly_maybe'\]; qualifiers has \['about'"):
        parse_lexicon(bad_rule)
    clash = dict(data, qualifiers={**data["qualifiers"], "about": {"sv": ["drygt"], "en": ["about"]}})
    with pytest.raises(ClaimError, match="'drygt'.*both"):
        parse_lexicon(clash)
    with pytest.raises(ClaimError, match=r"margins: the key 'fraction' is missing"):
        parse_lexicon(dict(data, margins={"number": 1.5}))
    with pytest.raises(ClaimError, match=r"margins\.number: 0 must be greater than 0 \(expected: a positive number"):
        parse_lexicon(dict(data, margins={"number": 0, "fraction": 3}))


# ----------------------------------------------------------------------------------------------
# claim kinds on hand-built data

QUESTIONNAIRE = {
    "option_sets": {
        "letters": [{"id": o, "sv": o.upper(), "en": o.upper(), "score": s} for o, s in zip("abcd", (1, 2, 3, 4))],
        "yes_no": [{"id": "yes", "sv": "Ja", "en": "Yes"}, {"id": "no", "sv": "Nej", "en": "No"}],
    },
    "questions": [
        {
            "id": "pick",
            "kind": "multi",
            "text": {"sv": "P", "en": "P"},
            "base": {"sv": "b", "en": "b"},
            "option_set": "letters",
        },
        {
            "id": "pick2",
            "kind": "multi",
            "text": {"sv": "Q", "en": "Q"},
            "base": {"sv": "b", "en": "b"},
            "option_set": "letters",
        },
        {
            "id": "yesno",
            "kind": "single",
            "text": {"sv": "J", "en": "Y"},
            "base": {"sv": "b", "en": "b"},
            "option_set": "yes_no",
        },
    ],
}
CODEBOOK = parse_codebook(QUESTIONNAIRE, "test questionnaire")


def hand_wave(name: str, codebook=CODEBOOK):
    letters = {o: [o.upper()] for o in "abcd"}
    spec = {
        "wave": name,
        "format": "surveymonkey",
        "raw": f"{name}.csv",
        "respondent_id": "id",
        "metadata_columns": ["id"],
        "questions": {
            "pick": {"column": "pick", "options": letters},
            "pick2": {"column": "pick2", "options": letters},
            "yesno": {"column": "yesno", "options": {"yes": ["Yes"], "no": ["No"]}},
        },
    }
    return parse_wave(spec, codebook, f"{name}.yaml")


def hand_responses(groups) -> pd.DataFrame:
    """groups: (number of respondents, {"pick": "ab", "pick2": "c", "yesno": "yes"}); a question
    left out was not answered."""
    records = []
    for count, answers in groups:
        for _ in range(count):
            record = {"respondent_id": f"r{len(records) + 1}"}
            for q in ("pick", "pick2"):
                for o in "abcd":
                    record[f"{q}__{o}"] = pd.NA if q not in answers else (o in answers[q])
            record["yesno"] = answers.get("yesno")
            records.append(record)
    frame = pd.DataFrame(records)
    frame["respondent_id"] = frame["respondent_id"].astype("string")
    for column in frame.columns:
        if "__" in column:
            frame[column] = frame[column].astype("boolean")
    frame["yesno"] = pd.Categorical(frame["yesno"], categories=["yes", "no"])
    return frame


def hand_data(**waves):
    """{wave: groups} -> (estimates, responses, waves) as evaluate_claims takes them."""
    responses = {name: hand_responses(groups) for name, groups in waves.items()}
    wave_objects = {name: hand_wave(name) for name in waves}
    estimates = {
        name: estimate_wave(responses[name], [wq.question for wq in wave_objects[name].questions], name)
        for name in waves
    }
    return estimates, responses, wave_objects


def evaluate(claims, settings=None, **waves):
    estimates, responses, wave_objects = hand_data(**waves)
    return evaluate_claims(claims, LEX, estimates, responses, wave_objects, CODEBOOK, settings)


def claim(kind, cid="t-1", **fields):
    return {"id": cid, "survey_claim": 1, "kind": kind, "words": {"sv": "ord", "en": "words"}, **fields}


def outcome(results, cid="t-1"):
    row = results.set_index("id").loc[cid]
    return row["verdict"], row["evidence"]


# Tick-all "pick", 100 respondents: 60 tick a only, 20 tick a and b, 10 b only, 6 c only, 4 d
# only. Shares: a 80 %, b 30 %, c 6 %, d 4 %. Discordant pairs: a/b 60 vs 10, a/c 80 vs 6,
# b/c 30 vs 6, c/d 6 vs 4 (exact McNemar p = 2 P(Bin(10, 1/2) <= 4) = 0.754).
PICK = [
    (60, {"pick": "a", "yesno": "yes"}),
    (20, {"pick": "ab", "yesno": "yes"}),
    (10, {"pick": "b", "yesno": "no"}),
    (6, {"pick": "c", "yesno": "no"}),
    (4, {"pick": "d", "yesno": "no"}),
]


def test_share_robust_fragile_contradicted_not_reproduced():
    # yesno: 80 yes of 100. Wilson 95 %: [71.1, 86.7] (hand_formulas), inside (50, 100].
    low, high = wilson_by_hand(80, 100)
    assert 0.71 < low < 0.712 and 0.866 < high < 0.868
    claims = [
        claim("share", "most", wave="t1", question="yesno", option="yes", phrase={"sv": "de flesta", "en": "most"}),
        # 80 % is "more than 79 %" but the interval [71.1, 86.7] crosses 79
        claim(
            "share",
            "over79",
            wave="t1",
            question="yesno",
            option="yes",
            phrase={"sv": "över 79 procent", "en": "more than 79 per cent"},
        ),
        # no: 20 %; "över 80 procent" -> (80, 100]: wholly above [13.3, 28.9]
        claim(
            "share",
            "over80",
            wave="t1",
            question="yesno",
            option="no",
            phrase={"sv": "över 80 procent", "en": "more than 80 per cent"},
        ),
        # b: 30 % is not in [30.33, 33.33), yet its interval [21.9, 39.6] reaches into it
        claim(
            "share",
            "third",
            wave="t1",
            question="pick",
            option="b",
            phrase={"sv": "nästan en tredjedel", "en": "almost a third"},
        ),
    ]
    results = evaluate(claims, t1=PICK)
    assert outcome(results, "most") == ("reproduced", "robust")
    assert outcome(results, "over79") == ("reproduced", "fragile")
    assert outcome(results, "over80") == ("not reproduced", "contradicted")
    assert outcome(results, "third") == ("not reproduced", "fragile")
    row = results.set_index("id").loc["most"]
    assert row["estimate"] == 80 and row["unit"] == "percent" and row["n"] == 100
    assert math.isclose(row["ci_low"], 100 * low, abs_tol=1e-6) and math.isclose(
        row["ci_high"], 100 * high, abs_tol=1e-6
    )
    assert "(50, 100]" in row["statement_en"] and "(50; 100]" in row["statement_sv"]


def test_share_of_several_options_and_printed_sample_figures():
    claims = [
        # a or b: 90 of 100
        claim(
            "share",
            "ab",
            wave="t1",
            question="pick",
            options=["a", "b"],
            phrase={"sv": "nästan alltid", "en": "almost always"},
        ),
        # any option other than a and b: c or d, 10 of 100 -> printed "10" is [9.5, 10.5)
        claim("share", "rest", wave="t1", question="pick", other_than=["a", "b"], printed="10", scope="sample"),
        claim("share", "rest_wrong", wave="t1", question="pick", other_than=["a", "b"], printed="12", scope="sample"),
        # "10.6" of 100: no whole count prints so (10 -> 10.0, 11 -> 11.0); the data's 10 is the nearest below
        claim("share", "rest_misprinted", wave="t1", question="pick", other_than=["a", "b"], printed="10.6", scope="sample"),
        # "13.6" of 100 cannot be printed either, but the data's 10 is not one of its nearest counts (13, 14)
        claim("share", "rest_far", wave="t1", question="pick", other_than=["a", "b"], printed="13.6", scope="sample"),
    ]
    results = evaluate(claims, t1=PICK).set_index("id")
    assert results.loc["ab", "estimate"] == 90 and results.loc["ab", "verdict"] == "reproduced"
    assert tuple(results.loc["rest", ["verdict", "evidence"]]) == ("reproduced", "robust")
    assert tuple(results.loc["rest_wrong", ["verdict", "evidence"]]) == ("not reproduced", "contradicted")
    assert tuple(results.loc["rest_misprinted", ["verdict", "evidence"]]) == ("inconsistent (rounding)", "robust")
    assert "no whole count of 100 prints as 10.6 % (nearest: 10 -> 10.0; 11 -> 11.0)" in results.loc["rest_misprinted", "note"]
    assert tuple(results.loc["rest_far", ["verdict", "evidence"]]) == ("not reproduced", "contradicted")
    summary = summarise_claims(results.reset_index().query("id in ['rest', 'rest_misprinted']"))
    assert summary["verdict"].tolist() == ["reproduced, with a printing inconsistency"]
    summary = summarise_claims(results.reset_index().query("id in ['rest_misprinted', 'rest_wrong']"))
    assert summary["verdict"].tolist() == ["not reproduced"]


def test_share_phrases_must_agree_across_languages():
    bad = claim(
        "share", wave="t1", question="yesno", option="yes", phrase={"sv": "drygt 16 procent", "en": "about 16 per cent"}
    )
    with pytest.raises(ClaimError, match="translation must say the same"):
        evaluate([bad], t1=PICK)


def test_mode_top_order_robust_fragile_contradicted():
    claims = [
        claim("mode", "mode_a", wave="t1", question="pick", option="a"),  # a above b, c, d: all p tiny
        claim("top", "top_ab", wave="t1", question="pick", options=["a", "b"]),  # b above c (30 vs 6 discordant)
        claim("order", "c_over_d", wave="t1", question="pick", higher="c", lower="d"),  # 6 vs 4: p 0.754
        claim("order", "b_over_a", wave="t1", question="pick", higher="b", lower="a"),  # wrong way, p tiny
        claim("mode", "mode_yes", wave="t1", question="yesno", option="yes"),  # single choice: 80 vs 20
    ]
    results = evaluate(claims, t1=PICK).set_index("id")
    assert tuple(results.loc["mode_a", ["verdict", "evidence"]]) == ("reproduced", "robust")
    assert tuple(results.loc["top_ab", ["verdict", "evidence"]]) == ("reproduced", "robust")
    assert tuple(results.loc["c_over_d", ["verdict", "evidence"]]) == ("reproduced", "fragile")
    assert tuple(results.loc["b_over_a", ["verdict", "evidence"]]) == ("not reproduced", "contradicted")
    assert tuple(results.loc["mode_yes", ["verdict", "evidence"]]) == ("reproduced", "robust")
    # the estimate is the smallest needed difference: a - b = 50 pp for the mode, b - c = 24 pp for top
    assert math.isclose(results.loc["mode_a", "estimate"], 50) and math.isclose(results.loc["top_ab", "estimate"], 24)
    assert (
        math.isclose(results.loc["c_over_d", "estimate"], 2) and results.loc["c_over_d", "unit"] == "percentage points"
    )
    assert "Holm over the 1 comparisons" in results.loc["c_over_d", "method"]
    assert "Holm over the 3 comparisons" in results.loc["mode_a", "method"]


def test_equal_robust_fragile_contradicted():
    # 2000 respondents, 1000 tick a only, 1000 b only: difference 0, paired interval about
    # +/- 1.96 sqrt(2000) / 2000 = +/- 4.4 pp, inside +/- 10: equivalence shown.
    big = [(1000, {"pick": "a"}), (1000, {"pick": "b"})]
    # 20 respondents, 10 and 10: difference 0 but an interval of about +/- 40 pp
    small = [(10, {"pick": "a"}), (10, {"pick": "b"})]
    # 2040 respondents, 1100 a only, 940 b only: difference 160/2040 = 7.8 pp (within 10), interval
    # about 7.8 +/- 4.3 crossing 10, and McNemar z = 160 / sqrt(2040) = 3.5: a difference is found.
    near = [(1100, {"pick": "a"}), (940, {"pick": "b"})]
    eq = claim("equal", wave="w", question="pick", options=["a", "b"])
    assert outcome(evaluate([eq], w=big)) == ("reproduced", "robust")
    assert outcome(evaluate([eq], w=small)) == ("reproduced", "fragile")
    assert outcome(evaluate([eq], w=near)) == ("reproduced", "contradicted")
    assert outcome(evaluate([eq], w=PICK)) == ("not reproduced", "contradicted")  # a 80 % vs b 30 %
    # with a margin of 15 pp the near-equal case's interval lies inside it: equivalence is shown,
    # and a difference smaller than the margin, however significant, does not contradict it
    assert outcome(evaluate([eq], settings={"equivalence_margin": 15}, w=near)) == ("reproduced", "robust")
    row = evaluate([eq], w=small).iloc[0]
    assert "equal means every pairwise difference within ±10 percentage points" in row["statement_en"]
    assert "±10 procentenheter" in row["statement_sv"]


def test_present():
    present = claim("present", wave="t1", questions=["pick"])
    assert outcome(evaluate([present], t1=PICK)) == ("reproduced", "robust")
    nobody_d = [(5, {"pick": "a"}), (5, {"pick": "bc"})]
    results = evaluate([present], t1=nobody_d)
    assert outcome(results) == ("not reproduced", "contradicted")
    assert results.iloc[0]["estimate"] == 0 and "pick = d" in results.iloc[0]["note"]


def test_shift():
    # pick a (score 1) then pick2 c (3): +2 for 10 respondents; a then b (2): +1 for 10.
    # Mean shift 1.5, sd 0.51, t interval about 1.5 +/- 0.24: robust for "higher".
    up = [(10, {"pick": "a", "pick2": "c"}), (10, {"pick": "a", "pick2": "b"})]
    higher = claim("shift", wave="t1", first="pick", second="pick2", direction="higher")
    lower = claim("shift", wave="t1", first="pick", second="pick2", direction="lower")
    results = evaluate([higher], t1=up)
    assert outcome(results) == ("reproduced", "robust")
    assert math.isclose(results.iloc[0]["estimate"], 1.5) and results.iloc[0]["unit"] == "score"
    assert outcome(evaluate([lower], t1=up)) == ("not reproduced", "contradicted")
    # +1 for 10 respondents, -1 for 9: mean 1/19 = 0.05 with an interval around 0
    even = [(10, {"pick": "a", "pick2": "b"}), (9, {"pick": "b", "pick2": "a"})]
    assert outcome(evaluate([higher], t1=even)) == ("reproduced", "fragile")


def test_change_of_a_share_and_of_a_contrast():
    before = [(30, {"pick": "ab", "yesno": "yes"}), (70, {"pick": "a", "yesno": "no"})]  # yes 30 %; a - b = 70 pp
    after = [(60, {"pick": "ab", "yesno": "yes"}), (40, {"pick": "b", "yesno": "no"})]  # yes 60 %; a - b = -40 pp
    sides = {"a": {"wave": "t1", "question": "yesno"}, "b": {"wave": "t2", "question": "yesno"}}
    up = claim("change", "up", option="yes", direction="increase", **sides)
    down = claim("change", "down", option="yes", direction="decrease", **sides)
    differs = claim("change", "differs", option="yes", direction="differs", **sides)
    gap = claim(
        "change",
        "gap",
        direction="decrease",
        contrast={"a": 1, "b": -1},
        a={"wave": "t1", "question": "pick"},
        b={"wave": "t2", "question": "pick"},
    )
    results = evaluate([up, down, differs, gap], t1=before, t2=after).set_index("id")
    # 30 % -> 60 %: +30 pp, Newcombe interval well above 0
    assert tuple(results.loc["up", ["verdict", "evidence"]]) == ("reproduced", "robust")
    assert math.isclose(results.loc["up", "estimate"], 30) and results.loc["up", "wave"] == "t1 vs t2"
    assert tuple(results.loc["down", ["verdict", "evidence"]]) == ("not reproduced", "contradicted")
    assert tuple(results.loc["differs", ["verdict", "evidence"]]) == ("reproduced", "robust")
    # gap a - b: +70 pp in t1, 60 - 100 = -40 pp in t2: a change of -110 pp
    assert tuple(results.loc["gap", ["verdict", "evidence"]]) == ("reproduced", "robust")
    assert math.isclose(results.loc["gap", "estimate"], -110)


def test_unknown_ids_and_bad_claims_are_clear_errors():
    with pytest.raises(ClaimError, match=r"\['e'\] are not options of pick.*\['a', 'b', 'c', 'd'\]"):
        evaluate([claim("mode", wave="t1", question="pick", option="e")], t1=PICK)
    with pytest.raises(ClaimError, match="no question 'nope'"):
        evaluate([claim("top", wave="t1", question="nope", options=["a"])], t1=PICK)
    with pytest.raises(ClaimError, match="no estimates for wave '2099'"):
        evaluate([claim("present", wave="2099", question="pick")], t1=PICK)
    with pytest.raises(ClaimError, match=r"unknown keys \['optoin'\]"):
        check_claim(claim("mode", wave="t1", question="pick", option="a", optoin="b"))
    with pytest.raises(ClaimError, match=r"the key 'question' is missing \(expected: a top claim"):
        check_claim(claim("top", wave="t1", options=["a"]))
    with pytest.raises(ClaimError, match=r"kind: 'majority' is not one of 'share', 'order'"):
        check_claim(claim("majority", wave="t1"))
    with pytest.raises(ClaimError, match="exactly one of phrase"):
        check_claim(claim("share", wave="t1", question="pick", option="a"))
    with pytest.raises(ClaimError, match="repeated claim ids"):
        evaluate([claim("present", wave="t1", question="pick")] * 2, t1=PICK)


# ----------------------------------------------------------------------------------------------
# the shipped claims on the shipped (synthetic) data


@pytest.fixture(scope="module")
def shipped():
    codebook = load_codebook("config/questionnaire.yaml")
    waves = {w: load_wave(f"config/waves/{w}.yaml", codebook) for w in ("2016", "2018")}
    responses = {w: clean_export(wave.raw, wave).responses for w, wave in waves.items()}
    estimates = {
        w: estimate_wave(responses[w], [wq.question for wq in wave.questions if wq.question.kind != "text"], w)
        for w, wave in waves.items()
    }
    claims = load_claims(*CLAIM_FILES)
    results = evaluate_claims(claims, LEX, estimates, responses, waves, codebook)
    return claims, results, (estimates, responses, waves, codebook)


# What the synthetic data give (not what the report says): verdict, evidence.
SHIPPED_VERDICTS = {
    "2018-01a": ("reproduced", "robust"),
    "2018-01b": ("reproduced", "robust"),
    "2018-02": ("reproduced", "robust"),
    "2018-03": ("reproduced", "robust"),
    "2018-04": ("reproduced", "robust"),
    "2018-05": ("reproduced", "robust"),
    "2018-06": ("reproduced", "fragile"),
    "2018-07": ("reproduced", "fragile"),
    "2018-08": ("reproduced", "fragile"),
    "2018-09": ("reproduced", "fragile"),
    "2018-10a": ("reproduced", "fragile"),
    "2018-10b": ("reproduced", "fragile"),
    "2018-11a": ("reproduced", "fragile"),
    "2018-11b": ("reproduced", "robust"),
    "2018-12a": ("reproduced", "fragile"),
    "2018-12b": ("reproduced", "robust"),
    "2018-12c": ("reproduced", "robust"),
    "2018-13": ("reproduced", "robust"),
    "2018-14": ("reproduced", "fragile"),
    "2018-15": ("reproduced", "fragile"),
    "2018-16": ("reproduced", "robust"),
    "2018-17": ("reproduced", "fragile"),
    "2018-20a": ("reproduced", "robust"),
    "2018-20b": ("reproduced", "robust"),
    "2018-20c": ("reproduced", "robust"),
    "2018-20d": ("reproduced", "robust"),
    "2018-20e": ("reproduced", "robust"),
    "2018-20f": ("inconsistent (rounding)", "robust"),  # printed 20.3: no k/272 prints so; 55 is nearest
    "2018-20g": ("inconsistent (rounding)", "robust"),  # printed 34.7: no k/272 prints so; 94 is nearest
    "2016-18a": ("reproduced", "robust"),
    "2016-18b": ("reproduced", "robust"),
    "2016-20a": ("reproduced", "robust"),
    "2016-20b": ("reproduced", "robust"),
    "2016v2018-19": ("reproduced", "robust"),
}


def test_every_claim_of_the_survey_reference_is_there_once(shipped):
    claims, results, _ = shipped
    assert list(results.columns) == list(RESULT_COLUMNS)
    assert results["id"].is_unique
    assert sorted(set(results["survey_claim"])) == list(range(1, 21))
    summary = summarise_claims(results)
    assert summary["survey_claim"].tolist() == list(range(1, 21))  # one row per numbered claim
    assert {c["kind"] for c in claims} == set(CLAIM_KINDS)
    # claim 20 as share claims with printed values, on country and on the derived respondent_region
    mix = [c for c in claims if c["survey_claim"] == 20]
    assert all(c["kind"] == "share" and "printed" in c for c in mix)
    assert {c["question"] for c in mix} == {"country", "respondent_region"}
    assert {c["wave"] for c in mix} == {"2016", "2018"}


def test_shipped_words_are_the_reports_own(shipped):
    claims, _, _ = shipped
    report = re.sub(r"\s+", " ", REPORT.read_text(encoding="utf-8"))
    for c in claims:
        if c["survey_claim"] == 20:  # the respondent mix is a published table, not Insight 2's text
            continue
        assert re.sub(r"\s+", " ", c["words"]["sv"]) in report, c["id"]


def test_shipped_verdicts_are_what_the_data_give(shipped):
    _, results, _ = shipped
    got = {r.id: (r.verdict, r.evidence) for r in results.itertuples(index=False)}
    assert got == SHIPPED_VERDICTS


def test_shipped_numbers(shipped):
    _, results, _ = shipped
    r = results.set_index("id")
    assert r.loc["2018-06", "estimate"] == 16.25  # 39 of 240
    assert "(16, 17.5]" in r.loc["2018-06", "statement_en"]
    assert math.isclose(r.loc["2018-07", "estimate"], 100 * 76 / 240)
    assert math.isclose(r.loc["2018-20g", "estimate"], 100 * 94 / 272)  # printed 34.7: no k/272 prints so
    assert math.isclose(r.loc["2018-20f", "estimate"], 100 * 55 / 272)
    assert r.loc["2016v2018-19", "wave"] == "2016 vs 2018" and r.loc["2016v2018-19", "ci_low"] > 0


def test_evaluation_is_deterministic(shipped):
    claims, results, (estimates, responses, waves, codebook) = shipped
    again = evaluate_claims(claims, LEX, estimates, responses, waves, codebook)
    pd.testing.assert_frame_equal(results, again)


def test_results_directory_gives_the_same_verdicts(shipped, tmp_path):
    """The verdicts from the files the rules read (the committed estimates; the full responses as
    rule clean writes them for the run, round-tripped through CSV) are the in-memory ones."""
    from netclean_survey.clean.stage import clean_export, write_cleaned

    claims, results, (_, _, waves, codebook) = shipped
    estimates = {w: read_estimates(Path("results/netclean-2018") / w / "estimates.csv") for w in waves}
    responses = {}
    for w, wave in waves.items():
        path = tmp_path / f"{w}.csv"
        write_cleaned(clean_export(wave.raw, wave), wave, False, path, tmp_path / "log.csv", tmp_path / "excluded.csv")
        responses[w] = read_responses(path, wave)
    from_files = evaluate_claims(claims, LEX, estimates, responses, waves, codebook)
    assert from_files[["id", "verdict", "evidence"]].equals(results[["id", "verdict", "evidence"]])


def test_markdown_in_both_languages(shipped):
    _, results, _ = shipped
    sv = claims_markdown(results, "sv", synthetic=True)
    en = claims_markdown(results, "en", synthetic=False)
    assert sv.startswith("# Rapportens påståenden prövade mot data")
    assert en.startswith("# Claims of the report, checked against the data")
    assert SYNTHETIC_NOTE["sv"] in sv and SYNTHETIC_NOTE["en"] not in en
    assert "Drygt 16 procent av poliserna" in sv and "Just over 16 per cent of the officers" in en
    assert "reproduceras inte" in sv and "not reproduced" in en and "motsägs" in sv and "contradicted" in en
    assert "± 10 procentenheter" in sv and "± 10 percentage points" in en  # what "equal" means
    for text in (sv, en):
        rows = [line for line in text.splitlines() if line.startswith("| ")]
        assert len(rows) == 2 + 20 + len(results)  # two headers, the summary, claim by claim
    assert "16,3 % [12,1; 21,4]" in sv and "16.3 % [12.1, 21.4]" in en
    with pytest.raises(ValueError, match="lang"):
        claims_markdown(results, "de")


def markdown_rows(text: str) -> dict[str, list[str]]:
    """The claim-by-claim rows of a claims report by id, cut into cells at each "|" not escaped."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if line.startswith("| ") and len(cells) == 9:
            rows[cells[0]] = cells
    return rows


def test_markdown_names_questions_and_options_by_their_labels(shipped):
    """The report a statistician reads says “North America” where claims.csv (for auditors, who
    grep ids) says north_america, in the report's language, and escapes nothing a renderer would
    read as written: no "\\_", "\\[", "\\<" or "\\*" in these texts."""
    _, results, _ = shipped
    en, sv = (markdown_rows(claims_markdown(results, lang)) for lang in ("en", "sv"))
    assert en["2016-18a"][4] == (
        "“Where in the world do the children in the material come from?” (wave 2016): “North America”, “Europe”, "
        "“Asia” are the 3 most named: each above every other option (“Central America + South America”, "
        "“Africa”, “Oceania”) (harmonised options)")  # 2016 asked Central and South America apart
    assert sv["2016-18a"][4] == (
        "”Var i världen kommer barnen i materialet ifrån?” (omgång 2016): ”Nordamerika”, ”Europa”, ”Asien” är de 3 "
        "mest nämnda: vart och ett över alla andra alternativ (”Centralamerika + Sydamerika”, ”Afrika”, "
        "”Oceanien”) (harmoniserade alternativ)")
    assert en["2016-18a"][8] == (
        "smallest difference: “Asia” − “Central America + South America” = +23.3 pp [16.4, 30.0], Holm p < 0.001")
    assert en["2018-02"][8] == (
        "smallest difference: “11–13 years” − “14–16 years” = +19.1 pp [9.8, 27.9], Holm p < 0.001")
    assert sv["2018-02"][8] == (
        "minsta skillnaden: ”11–13 år” − ”14–16 år” = +19,1 pe [9,8; 27,9], Holm-justerat p < 0,001")
    assert en["2016-20a"][4] == (
        "share answering “United States” to “In which country do you work?” (wave 2016) in [61.05, 61.15): "
        "printed 61.1 %: at least 61.05 % and less than 61.15 %")
    assert sv["2016-20a"][4] == (
        "andelen som svarat ”USA” på ”I vilket land arbetar du?” (omgång 2016) i [61,05; 61,15): tryckt 61,1 %: "
        "minst 61,05 % och mindre än 61,15 %")
    assert en["2018-20f"][4].startswith("share answering an option other than “United States”, “United Kingdom”, ")
    assert en["2018-05"][4].startswith("“Which ages are the most common in sexual extortion cases?” sits higher than ")
    assert "scores (questionnaire): “0–4 years”=2, “5–7 years”=6," in en["2018-05"][8]
    assert en["2018-01a"][8].startswith("“Which ages are the children in the images in grooming cases?”: least named "
                                        "“0–4 years” (39 of 240)")
    assert en["2016v2018-19"][4].startswith("the contrast “Asia” − 0.5 “North America” − 0.5 “Europe” increases from ")
    assert "“Asia” − “Europe” = 0.0 pp [-19.4, 19.4], Holm p 1.000" in en["2018-17"][8]
    ids = ("north_america", "latin_america", "united_states", "age_11_13", "more_material", "spread_online",
           "victim_regions", "grooming_ages_common", "country =", "respondent_region")
    remarks = {"en": "the *_common questions are compared", "sv": "därför jämförs frågorna om vilka åldrar"}
    for lang in ("en", "sv"):
        text = claims_markdown(results, lang)
        assert "\\" not in text
        assert not [i for i in ids if i in text]
        assert remarks[lang] in text  # the claim file's remark in the report's language, as written
    # claims.csv: the ids, as auditors grep them; the labelled texts are the report's only
    r = results.set_index("id")
    assert r.loc["2016-18a", "statement_en"] == (
        "victim_regions (wave 2016): north_america, europe, asia are the 3 most named: each above every other option "
        "(latin_america, africa, oceania) (harmonised options)")
    assert r.loc["2016-20a", "statement_sv"].startswith(
        "andelen country = united_states (omgång 2016) i [61,05; 61,15)")
    assert r.loc["2018-02", "note"] == (
        "smallest difference: age_11_13 − age_14_16 = +19.1 pp [9.8, 27.9], Holm p < 0.001")
    assert TABLE_COLUMNS == tuple(c for c in RESULT_COLUMNS if c not in LABELLED_COLUMNS)
    assert TABLE_COLUMNS[-1] == "note" and len(LABELLED_COLUMNS) == 4


def test_markdown_escapes_a_label_that_would_break_the_table():
    """An option labelled "Yes | *sure*": its "|" would end the cell and its "*" make emphasis."""
    questionnaire = copy.deepcopy(QUESTIONNAIRE)
    questionnaire["option_sets"]["yes_no"][0] = {"id": "yes", "sv": "Ja | *visst*", "en": "Yes | *sure*"}
    codebook = parse_codebook(questionnaire, "test questionnaire")
    estimates, responses, _ = hand_data(t1=PICK)
    waves = {"t1": hand_wave("t1", codebook)}
    most = claim("share", "most", wave="t1", question="yesno", option="yes", phrase={"sv": "de flesta", "en": "most"})
    results = evaluate_claims([most], LEX, estimates, responses, waves, codebook)
    en, sv = claims_markdown(results, "en"), claims_markdown(results, "sv")
    assert "share answering “Yes \\| \\*sure\\*” to “Y” (wave t1) in (50, 100]: most: more than 50 %" in en
    assert "andelen som svarat ”Ja \\| \\*visst\\*” på ”J” (omgång t1) i (50; 100]: de flesta: mer än 50 %" in sv
    assert len(markdown_rows(en)["most"]) == 9  # the label stays in its cell
    assert results["statement_en"].iat[0] == "share of yesno = yes (wave t1) in (50, 100]: most: more than 50 %"


def test_the_respondent_mix_is_reproduced_with_a_printing_inconsistency(shipped):
    """The report's "Others 20.3 %" and "Europe 34.7 %" of 272: no whole count prints so (worked by
    hand: 55/272 = 20.2 %, 56/272 = 20.6 %; 94/272 = 34.6 %, 95/272 = 34.9 %); the data's 55 and 94
    are the nearest: claim 20 is reproduced, with a printing inconsistency, not contradicted."""
    _, results, _ = shipped
    r = results.set_index("id")
    assert "nearest: 55 -> 20.2; 56 -> 20.6" in r.loc["2018-20f", "note"]
    assert "nearest: 94 -> 34.6; 95 -> 34.9" in r.loc["2018-20g", "note"]
    summary = summarise_claims(results).set_index("survey_claim")
    assert tuple(summary.loc[20, ["verdict", "evidence"]]) == ("reproduced, with a printing inconsistency", "robust")
    assert (summary.drop(index=20)["verdict"] == "reproduced").all()


# ----------------------------------------------------------------------------------------------
# the notes in Swedish: Swedish words and numbers in claims.sv.md, claims.csv's English unchanged

# The Swedish note (note_labelled_sv, what claims.sv.md shows) of one claim of each kind of note,
# written by hand from the English note of the same claim (the numbers are the synthetic data's):
# "av" for "of", "pe" for percentage points, decimal comma, "[16,4; 30,0]", "p < 0,001".
SWEDISH_NOTES = {
    # share, scope: sample
    "2016-20a": "226 av 370 = 61,08 %; beskriver de svarande själva: inget urvalsfel, så stödet avgörs av den exakta "
                "andelen; intervallet visas bara som upplysning",
    # inconsistent (rounding), with the claim file's Swedish remark
    "2018-20f": "55 av 272 = 20,22 %; inget helt antal av 272 ger 20,3 % (närmast: 55 ger 20,2 % och 56 ger 20,6 %) "
                "och antalet i data är ett av de närmaste: en inkonsekvens i rapportens tryck, som inte talar emot "
                "påståendet; 20,3 = 100 minus de fem avrundade andelarna ovan; de fem ger entydigt sina antal "
                "(148, 33, 18, 10 och 8 av 272), och kvar blir 55 av 272 = 20,22 %",
    # top: the smallest needed difference
    "2016-18a": "minsta skillnaden: ”Asien” − ”Centralamerika + Sydamerika” = +23,3 pe [16,4; 30,0], "
                "Holm-justerat p < 0,001",
    # present: the least named option of each question
    "2018-01a": "”Vilka åldrar har barnen på bilderna i fall med grooming?”: minst nämnt ”0–4 år” (39 av 240); "
                "”Vilka åldrar har barnen på bilderna i fall med sexuell utpressning?”: minst nämnt ”0–4 år” "
                "(14 av 200)",
    # shift: mean scores
    "2018-05": "poäng (enkäten): ”0–4 år”=2, ”5–7 år”=6, ”8–10 år”=9, ”11–13 år”=12, ”14–16 år”=15, ”17 år”=17; "
               "medelvärden 12,66 och 13,58; t-test p < 0,001, Wilcoxons teckenrangtest (scipy.stats.wilcoxon, "
               "zero_method='wilcox') p < 0,001; 172 svarande besvarade båda; meningen gäller de vanligaste åldrarna "
               "(jämför ”oftast” i samma stycke), därför jämförs frågorna om vilka åldrar som är vanligast",
    # equal: every pair, and equivalence not shown
    "2018-17": "”Asien” − ”Europa” = 0,0 pe [-19,4; 19,4], Holm-justerat p 1,000; ”Asien” − ”Nordamerika” = +2,2 pe "
               "[-18,4; 22,5], Holm-justerat p 1,000; ”Europa” − ”Nordamerika” = +2,2 pe [-17,6; 21,7], Holm-justerat "
               "p 1,000; intervallen är bredare än ±10 pe: data visar varken likhet eller skillnad",
    # change of a contrast between waves
    "2016v2018-19": "omgång 2016: -32,1 pe [-38,0; -26,2] (n 360); omgång 2018: +1,1 pe [-17,1; 19,2] (n 46); "
                    "p < 0,001; de två omgångarna ställde olika frågor (var barnen kommer ifrån; var poliserna ser en "
                    "koppling till trafficking)",
}


def test_swedish_notes_are_swedish_written_by_hand(shipped):
    _, results, _ = shipped
    r = results.set_index("id")
    assert {cid: r.loc[cid, "note_labelled_sv"] for cid in SWEDISH_NOTES} == SWEDISH_NOTES
    # the English notes say the same in English, with the English remark
    assert r.loc["2016-18a", "note_labelled_en"] == (
        "smallest difference: “Asia” − “Central America + South America” = +23.3 pp [16.4, 30.0], Holm p < 0.001")
    assert r.loc["2016v2018-19", "note_labelled_en"] == r.loc["2016v2018-19", "note"] == (
        "wave 2016: -32.1 pp [-38.0, -26.2] (n 360); wave 2018: +1.1 pp [-17.1, 19.2] (n 46); p < 0.001; the two "
        "waves asked different questions (where the children come from; where a link to trafficking is seen)")
    # the Swedish report shows them, and says the contrast's weights with a decimal comma
    sv = markdown_rows(claims_markdown(results, "sv"))
    assert sv["2016-20a"][8] == SWEDISH_NOTES["2016-20a"]
    assert sv["2016v2018-19"][4].startswith("kontrasten ”Asien” − 0,5 ”Nordamerika” − 0,5 ”Europa” ökar från ")


# English words that a Swedish note must not have (word by word; "intervallet" is Swedish)
ENGLISH_WORDS = re.compile(
    r"\b(of|the|and|smallest|largest|difference|wave|least|named|nobody|describes|respondents|answered|scores|"
    r"means|pp|significant|against|below|above|prints|nearest|printing|count|report|no)\b|Holm p"
)


def test_no_swedish_note_of_the_shipped_claims_has_english_words(shipped):
    _, results, _ = shipped
    for row in results.itertuples(index=False):
        note = row.note_labelled_sv
        assert not ENGLISH_WORDS.findall(note), (row.id, note)
        for word in (" of ", "smallest", "wave ", "least named", "describes", "scores", " pp "):
            assert word not in note, (row.id, word)
        assert not re.search(r"\d\.\d", note), (row.id, note)  # decimal comma, not point
        assert not re.search(r"\d, \d+[.,]\d\]", note), (row.id, note)  # intervals "[16,4; 30,0]"


def test_hand_built_swedish_notes_of_the_other_wordings():
    """What the shipped claims do not show: a share outside its interval, an option named by nobody,
    the change of one option's share, and a change within the equivalence margin."""
    before = [(30, {"pick": "ab", "yesno": "yes"}), (70, {"pick": "a", "yesno": "no"})]  # yes 30 of 100
    after = [(31, {"pick": "ab", "yesno": "yes"}), (69, {"pick": "a", "yesno": "no"})]  # yes 31 of 100
    sides = {"a": {"wave": "t1", "question": "yesno"}, "b": {"wave": "t2", "question": "yesno"}}
    claims = [
        claim("share", "third", wave="t1", question="pick", option="b",  # b: 30 of 100, below [30.33, 33.33)
              phrase={"sv": "nästan en tredjedel", "en": "almost a third"}),
        claim("present", "present", wave="t1", questions=["pick"]),  # nobody ticks c or d
        # 30 of 100 then 31 of 100: +1 pp, Newcombe interval [-11.6, 13.6], score test p 0.878
        claim("change", "up", option="yes", direction="increase", **sides),
    ]
    results = evaluate(claims, t1=before, t2=after).set_index("id")
    assert results.loc["third", "note"] == "30 of 100 = 30 %, below the claimed interval"
    assert results.loc["third", "note_labelled_sv"] == "30 av 100 = 30 %, under påståendets intervall"
    assert results.loc["present", "note"] == "pick: least named c (0 of 100); named by nobody: pick = c, pick = d"
    assert results.loc["present", "note_labelled_sv"] == (
        "”P”: minst nämnt ”C” (0 av 100); nämns av ingen: ”P” = ”C”, ”P” = ”D”")
    assert results.loc["up", "note"] == "wave t1: 30 of 100; wave t2: 31 of 100; p 0.878"
    assert results.loc["up", "note_labelled_sv"] == "omgång t1: 30 av 100; omgång t2: 31 av 100; p 0,878"
    # "differs" with a margin of 20 pp: [-11.6, 13.6] lies inside it, no real change
    differs = claim("change", "differs", option="yes", direction="differs", **sides)
    row = evaluate([differs], settings={"equivalence_margin": 20}, t1=before, t2=after).iloc[0]
    assert row["evidence"] == "contradicted"
    assert row["note"].endswith("; the interval lies within ±20 pp (the equivalence margin): no real change")
    assert row["note_labelled_sv"].endswith("; intervallet ligger inom ±20 pe (ekvivalensmarginalen): ingen verklig "
                                            "förändring")
    assert row["note_labelled_en"] == row["note"]  # ids and labels are alike for an option-free note


def test_remark_in_two_languages_or_one_text():
    both = claim("present", "both", wave="t1", questions=["pick"], remark={"sv": "en anmärkning", "en": "a remark"})
    plain = claim("present", "plain", wave="t1", questions=["pick"], remark="as written")
    results = evaluate([both, plain], t1=PICK).set_index("id")
    assert results.loc["both", "note"].endswith("; a remark")
    assert results.loc["both", "note_labelled_en"].endswith("; a remark")
    assert results.loc["both", "note_labelled_sv"].endswith("; en anmärkning")
    for key in ("note", "note_labelled_en", "note_labelled_sv"):
        assert results.loc["plain", key].endswith("; as written")
    assert check_claim(plain)["remark"] == {"sv": "as written", "en": "as written"}
    with pytest.raises(ClaimError, match=r"remark: the key 'en' is missing \(expected: \{sv: <the remark in Swedish>"):
        check_claim(claim("present", wave="t1", questions=["pick"], remark={"sv": "bara svenska"}))
    with pytest.raises(ClaimError, match=r"remark: unknown keys \['de'\]"):
        check_claim(claim("present", wave="t1", questions=["pick"], remark={"sv": "a", "en": "b", "de": "c"}))


def test_every_shipped_remark_is_given_in_both_languages():
    for path in CLAIM_FILES:
        for c in read_yaml(path)["claims"]:
            if "remark" in c:
                assert isinstance(c["remark"], dict) and c["remark"]["sv"] != c["remark"]["en"], (path, c["id"])


def test_claims_csv_is_the_committed_one(shipped):
    """claims.csv is published: its English note by ids (and the other texts) are what the committed
    file holds, whatever the Swedish report now says. Its numbers are checked elsewhere (they come
    from the committed, rounded estimates)."""
    _, results, _ = shipped
    committed = pd.read_csv(Path("results/netclean-2018/audit/claims.csv"), dtype=str, keep_default_na=False)
    assert list(committed.columns) == list(TABLE_COLUMNS)
    got = results.set_index("id").loc[committed["id"]]
    assert got["note"].tolist() == committed["note"].tolist()
    for column in ("words_sv", "words_en", "statement_sv", "statement_en", "verdict", "evidence", "method"):
        assert got[column].tolist() == committed[column].tolist(), column
