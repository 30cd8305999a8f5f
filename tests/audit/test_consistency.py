"""Tests of netclean_survey.consistency (GRIM for printed shares and means).

Every expected number is worked by hand in the comment next to it (k / n times 100, rounded by
the rule named), or taken from Brown & Heathers (2017), or comes from a brute force over every
count that rounds with the standard library's ``decimal`` module (``quantize`` with
ROUND_HALF_UP / ROUND_HALF_EVEN / ROUND_DOWN), which shares no code with the module's interval
solving.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from netclean_survey.audit.consistency import GROUP_COLUMNS, ROW_COLUMNS, RULES, check_groups, check_published, check_rows, count_range, counts_for, format_counts, grim_mean, grim_mean_check, informative, parse_printed, round_exact, rounding_interval

PUBLISHED = Path("config/published")

DECIMAL_MODES = {
    "half-up": decimal.ROUND_HALF_UP,
    "half-even": decimal.ROUND_HALF_EVEN,
    "truncate": decimal.ROUND_DOWN,
}


def printed_by_decimal(k: int, n: int, decimals: int, rule: str, scale: int = 100) -> str:
    """k / n * scale rounded by the decimal module. 60 digits: a tie (an exact value with at most
    decimals + 1 digits after the point) is held exactly; any other value is more than
    1 / (2 n 10**decimals) from a tie, far beyond the 60th digit."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(k * scale) / Decimal(n)
        return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=DECIMAL_MODES[rule]))


def frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group", "option", "printed", "n"], dtype=str)


# ----------------------------------------------------------------------------------------------
# GRIM for means: Brown & Heathers (2017)


def test_grim_published_examples():
    # 5.27 with n = 43: 5.265 * 43 = 226.395, 5.275 * 43 = 226.825: no whole total in between
    # (226 / 43 = 5.256, 227 / 43 = 5.279).
    assert grim_mean("5.27", 43) is False
    # 5.19 with n = 28: 145 / 28 = 5.179, 146 / 28 = 5.214 (Brown & Heathers 2017).
    assert grim_mean("5.19", 28) is False
    # 5.2 with n = 5: 26 / 5 = 5.2 exactly.
    assert grim_mean("5.2", 5) is True
    assert grim_mean_check("5.2", 5).totals == range(26, 27)


def test_grim_items_multiply_the_granularity():
    # two items each: T / 86; [5.265, 5.275) * 86 = [452.79, 453.65) -> 453 (453/86 = 5.2674).
    result = grim_mean_check("5.27", 43, items=2)
    assert result.consistent and list(result.totals) == [453]


def test_grim_rules_differ_at_a_tie():
    # n = 4: 21 / 4 = 5.25. Half-up prints 5.3; half-even prints 5.2 (2 is even); truncation 5.2.
    assert grim_mean("5.3", 4, "half-up") is True
    assert grim_mean("5.3", 4, "half-even") is False
    assert grim_mean("5.3", 4, "truncate") is False
    assert grim_mean("5.2", 4, "half-even") is True
    assert grim_mean("5.2", 4, "truncate") is True


def test_grim_says_when_it_cannot_tell():
    # Two decimals, n = 99: 49 / 99 = 0.4949 -> 0.49, 50 / 99 = 0.5051 -> 0.51: "0.50" impossible.
    small = grim_mean_check("0.50", 99)
    assert small.consistent is False and small.informative is True
    # n = 100 >= 10**2: every two-decimal mean is some T / 100; the True says nothing.
    large = grim_mean_check("0.50", 100)
    assert large.consistent is True and large.informative is False
    assert grim_mean_check("5.27", 43).informative is True
    assert grim_mean_check("5.27", 25, items=4).informative is False


def test_grim_uninformative_really_means_every_value_passes():
    # n * items >= 10**decimals: brute force over every two-decimal value from 0.00 to 3.00
    for n in (100, 101, 137):
        for hundredths in range(0, 301):
            printed = f"{hundredths / 100:.2f}"
            assert grim_mean_check(printed, n).consistent, (printed, n)


def test_grim_negative_means_mirror_positive_ones():
    assert grim_mean("-5.19", 28) is False
    assert grim_mean("-5.2", 5) is True
    assert list(grim_mean_check("-5.2", 5).totals) == [-26]
    # "-0.0" is a negative mean that rounds to zero: T / 3 in (-0.05, 0) has no whole T.
    assert grim_mean("-0.0", 3) is False
    assert grim_mean("0.0", 3) is True  # T = 0
    # An unsigned "0.0" is read leniently as either sign (reports often drop the sign of a
    # negative zero): n = 30, half-up, T / 30 in (-0.05, 0.05) -> T in (-1.5, 1.5): -1, 0, 1.
    assert grim_mean_check("0.0", 30).totals == range(-1, 2)
    assert grim_mean_check("-0.0", 30).totals == range(-1, 0)  # -1 / 30 = -0.033 -> "-0.0"


def test_grim_matches_brute_force_over_totals():
    for n in range(1, 21):
        for rule in RULES:
            possible = {printed_by_decimal(t, n, 2, rule, scale=1) for t in range(0, 7 * n + 1)}
            for hundredths in range(0, 701):
                printed = str(Decimal(hundredths).scaleb(-2))
                assert grim_mean(printed, n, rule) == (printed in possible), (printed, n, rule)


# ----------------------------------------------------------------------------------------------
# one printed share


def test_hand_worked_percentages():
    # 16.3 % of 240: 39 / 240 = 16.25 % exactly, a tie. Half-up: 16.3. Half-even: 16.2 (2 even).
    # Truncation: 16.2. 40 / 240 = 16.67, 38 / 240 = 15.83.
    assert counts_for("16.3", 240, "half-up") == [39]
    assert counts_for("16.3", 240, "half-even") == []
    assert counts_for("16.3", 240, "truncate") == []
    # 7 % of 200: 13 / 200 = 6.5 % (a tie), 14 -> 7.0, 15 -> 7.5 (a tie).
    assert counts_for("7", 200, "half-up") == [13, 14]  # 6.5 -> 7, 7.5 -> 8
    assert counts_for("7", 200, "half-even") == [14]  # 6.5 -> 6, 7.5 -> 8
    assert counts_for("7", 200, "truncate") == [14, 15]  # 7.0 -> 7, 7.5 -> 7
    # 1 / 8 = 12.5 % exactly: "12.5" under every rule.
    for rule in RULES:
        assert counts_for("12.5", 8, rule) == [1]
    # "13" with n = 8: only 1 / 8 = 12.5 is near; half-up 13, half-even 12, truncation 12.
    assert counts_for("13", 8, "half-up") == [1]
    assert counts_for("13", 8, "half-even") == []
    assert counts_for("13", 8, "truncate") == []
    assert counts_for("12", 8, "half-up") == []
    assert counts_for("12", 8, "half-even") == [1]
    assert counts_for("12", 8, "truncate") == [1]


def test_truncation_cases():
    # 2 / 3 = 66.67 %: truncation prints 66, rounding prints 67.
    assert counts_for("66", 3, "truncate") == [2]
    assert counts_for("66", 3, "half-up") == []
    assert counts_for("67", 3, "truncate") == []
    assert counts_for("67", 3, "half-up") == [2]
    # 1 / 3 = 33.33 %: 33 under every rule.
    for rule in RULES:
        assert counts_for("33", 3, rule) == [1]
    # 99.9 % of 1000 under truncation: [99.9, 100.0) * 10 = [999, 1000): 999 only
    # (1000 / 1000 = 100.0 truncates to 100.0).
    assert counts_for("99.9", 1000, "truncate") == [999]
    assert counts_for("100.0", 1000, "truncate") == [1000]


def test_edges_of_the_scale():
    # 0 % and 100 %: only 0 of 3 gives 0 (1 / 3 = 33.3), only 3 of 3 gives 100.
    for rule in RULES:
        assert counts_for("0", 3, rule) == [0]
        assert counts_for("100", 3, rule) == [3]
    # "0.0" of 1000 under half-up: k / 10 % < 0.05 -> k = 0 only; truncate: k / 10 < 0.1 -> 0.
    assert counts_for("0.0", 1000, "half-up") == [0]
    # 0.05 % is 1 of 2000: a tie; half-up 0.1, half-even 0.0.
    assert counts_for("0.0", 2000, "half-up") == [0]
    assert counts_for("0.0", 2000, "half-even") == [0, 1]


def test_trailing_zeros_are_a_different_claim():
    # n = 1000: "40" is [39.5, 40.5) % -> 395..404; "40.0" is [39.95, 40.05) % -> 400 only.
    assert counts_for("40", 1000, "half-up") == list(range(395, 405))
    assert counts_for("40.0", 1000, "half-up") == [400]
    # n = 202: 80 / 202 = 39.60 -> "40", 81 / 202 = 40.10 -> "40"; neither is "40.0".
    assert counts_for("40", 202, "half-up") == [80, 81]
    assert counts_for("40.0", 202, "half-up") == []


def test_decimal_comma_is_accepted():
    assert parse_printed("16,3") == Decimal("16.3")
    assert counts_for("16,3", 240, "half-up") == [39]
    assert counts_for(" 54,4 ", 272, "half-up") == [148]
    assert parse_printed(",5") == Decimal("0.5")


def test_binary_float_rounding_would_miss_a_count():
    # 29 / 200 = 14.5 % exactly; in floats 29 / 200 * 100 = 14.499999999999998, which rounds to 14.
    assert 29 / 200 * 100 < 14.5  # the trap (a statement about floats, not about the module)
    assert counts_for("15", 200, "half-up") == [29, 30]  # 29 -> 14.5 -> 15, 30 -> 15.0


@pytest.mark.parametrize("bad", ["", "abc", "12.1%", "1e2", "1,234.5", "1.234,5", "5.", "--1", "12 3"])
def test_malformed_printed_values_are_rejected(bad):
    with pytest.raises(ValueError, match="plain decimal number"):
        counts_for(bad, 100, "half-up")


def test_other_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="text as printed"):
        counts_for(40.0, 100, "half-up")  # a float cannot tell "40" from "40.0"
    with pytest.raises(ValueError, match="unknown rounding rule"):
        counts_for("40", 100, "half-down")
    with pytest.raises(ValueError, match="n must be"):
        counts_for("40", 0, "half-up")
    with pytest.raises(ValueError, match="n must be"):
        counts_for("40", 10.0, "half-up")
    with pytest.raises(ValueError, match="negative"):
        counts_for("-1.0", 100, "half-up")
    with pytest.raises(ValueError, match="exceed"):
        counts_for("54.4", 272, "half-up", scale=1)  # a percentage read as a proportion


def test_proportions_and_other_scales():
    # 0.544 as a proportion of 272: [0.5435, 0.5445) * 272 = [147.83, 148.10) -> 148.
    assert counts_for("0.544", 272, "half-up", scale=1) == [148]
    # per mille: 544 of 1000 of 272: same interval.
    assert counts_for("544", 272, "half-up", scale=1000) == [148]


def test_large_n_is_solved_directly():
    # "40" of 10**6: [39.5, 40.5) % -> [395000, 405000); "40.0": [399500, 400500).
    assert count_range("40", 10**6, "half-up") == range(395000, 405000)
    assert counts_for("40.0", 10**6, "half-up") == list(range(399500, 400500))
    assert count_range("40.0001", 10**6, "half-up") == range(400001, 400002)  # 40.0001 % = 400.001
    # 10**12: no loop could do this
    assert count_range("12.5", 10**12, "truncate") == range(125 * 10**9, 126 * 10**9)


def test_counts_match_brute_force_with_the_decimal_module():
    # every count k of n, rounded by decimal.quantize, must appear in the counts of what it prints
    # as, and every printed value's counts must round to it: the two directions of one relation.
    for n in list(range(1, 25)) + [240, 272, 370]:
        for decimals in (0, 1):
            for rule in RULES:
                by_value: dict[str, list[int]] = {}
                for k in range(n + 1):
                    by_value.setdefault(printed_by_decimal(k, n, decimals, rule), []).append(k)
                for tenths in range(0, 1001, 1 if decimals else 10):
                    printed = str(Decimal(tenths).scaleb(-1).quantize(Decimal(1).scaleb(-decimals)))
                    assert counts_for(printed, n, rule) == by_value.get(printed, []), (printed, n, rule)


def test_round_exact_agrees_with_decimal_quantize():
    for n in (7, 8, 200, 240, 272):
        for k in range(-n, n + 1):
            for rule in RULES:
                for d in (0, 1, 2):
                    with decimal.localcontext() as ctx:
                        ctx.prec = 60
                        want = (Decimal(k * 100) / Decimal(n)).quantize(Decimal(1).scaleb(-d), DECIMAL_MODES[rule])
                    got = round_exact(Fraction(k * 100, n), d, rule)
                    assert got == want and str(got).lstrip("-") == str(want).lstrip("-"), (k, n, rule, d)


def test_rounding_interval_ends():
    h = Fraction(1, 20)
    i = rounding_interval(Decimal("16.3"), "half-up")
    assert (i.low, i.high, i.low_closed, i.high_closed) == (Fraction(163, 10) - h, Fraction(163, 10) + h, True, False)
    odd = rounding_interval(Decimal("16.3"), "half-even")
    assert (odd.low_closed, odd.high_closed) == (False, False)
    even = rounding_interval(Decimal("16.2"), "half-even")
    assert (even.low_closed, even.high_closed) == (True, True)
    neg = rounding_interval(Decimal("-16.3"), "half-up")  # half away from zero
    assert (neg.low, neg.high, neg.low_closed, neg.high_closed) == (
        Fraction(-163, 10) - h,
        Fraction(-163, 10) + h,
        False,
        True,
    )


def test_informative():
    # whole percentages: every value has a count once n >= 100; one decimal: once n >= 1000.
    assert informative(99, 0) and not informative(100, 0)
    assert informative(999, 1) and not informative(1000, 1)
    # brute force for n = 100: every whole percentage 0..100 has a count
    assert all(counts_for(str(p), 100, "half-even") for p in range(101))
    # n = 99: pigeonhole, 101 values for 100 counts; 50 % of 99 is 49.5, a count of neither.
    assert counts_for("50", 99, "half-up") == []


def test_format_counts():
    assert format_counts([]) == ""
    assert format_counts([148]) == "148"
    assert format_counts([147, 148]) == "147;148"
    assert format_counts(range(395, 405)) == "395;396;397;398;399;400;401;402;403;404"
    assert format_counts(range(3950, 4050)) == "3950..4049"


# ----------------------------------------------------------------------------------------------
# tables: rows


def test_check_rows_columns_and_values():
    table = frame(
        [
            ("g", "a", "16.3", "240"),
            ("g", "b", "13", "8"),
            ("h", "c", "7", "200"),
            ("h", "d", "16,3", "240"),
        ]
    )
    out = check_rows(table, "hand.csv")
    assert tuple(out.columns) == ROW_COLUMNS
    first = out.iloc[0]
    assert first["decimals"] == 1 and first["n"] == 240
    assert (first["counts_half_up"], first["counts_half_even"], first["counts_truncate"]) == ("39", "", "")
    assert (first["consistent_half_up"], first["consistent_half_even"], first["consistent_truncate"]) == (
        True,
        False,
        False,
    )
    assert first["verdict"] == "consistent" and first["consistent_rules"] == "half-up"
    assert first["nearest_half_up"] == "39 -> 16.3; 40 -> 16.7"  # 39.12 of 240: 39 / 240 = 16.25
    assert out.iloc[1]["consistent_rules"] == "half-up" and out.iloc[1]["decimals"] == 0
    assert out.iloc[2]["counts_half_up"] == "13;14" and out.iloc[2]["consistent_rules"] == "half-up;half-even;truncate"
    assert out.iloc[3]["printed"] == "16,3" and out.iloc[3]["counts_half_up"] == "39"
    # n = 200 is >= 100: every whole percentage is possible, the check is vacuous
    assert out["informative"].tolist() == [True, True, False, True]


def test_check_rows_verdicts_name_the_rules():
    # "20.3" of 272: 55 / 272 = 20.22, 56 / 272 = 20.59: no rule prints 20.3.
    # "50" of 99: 49 / 99 = 49.49, 50 / 99 = 50.51: only truncation prints 50.
    out = check_rows(frame([("g", "x", "20.3", "272"), ("g", "y", "50", "99")]), "hand.csv")
    assert out.iloc[0]["verdict"] == "inconsistent" and out.iloc[0]["consistent_rules"] == ""
    assert not out.iloc[0][["consistent_half_up", "consistent_half_even", "consistent_truncate"]].any()
    assert out.iloc[1]["verdict"] == "consistent" and out.iloc[1]["consistent_rules"] == "truncate"
    assert out.iloc[1]["counts_truncate"] == "50"


@pytest.mark.parametrize(
    "row, column, line",
    [
        (("g", "a", "12.1%", "272"), "printed", 3),
        (("g", "a", "", "272"), "printed", 3),
        (("g", "a", "abc", "272"), "printed", 3),
        (("g", "a", "-3", "272"), "printed", 3),
        (("g", "a", "101", "272"), "printed", 3),
        (("g", "a", "12.1", "0"), "n", 3),
        (("g", "a", "12.1", "272.5"), "n", 3),
        (("g", "a", "12.1", "-272"), "n", 3),
        (("g", "a", "12.1", ""), "n", 3),
        (("g", "a", "12.1", "two hundred"), "n", 3),
        (("", "a", "12.1", "272"), "group", 3),
        (("g", "", "12.1", "272"), "option", 3),
        (("g", "a;b", "12.1", "272"), "option", 3),
    ],
)
def test_bad_rows_name_file_line_and_column(row, column, line):
    table = frame([("g", "ok", "54.4", "272"), row])
    with pytest.raises(ValueError) as error:
        check_rows(table, "published.csv")
    message = str(error.value)
    assert "published.csv" in message
    assert f"line {line} (data row {line - 1})" in message
    assert f"column {column!r}" in message


def test_missing_column_is_rejected():
    with pytest.raises(ValueError, match="missing column.*'n'"):
        check_rows(pd.DataFrame({"group": ["g"], "option": ["a"], "printed": ["1"]}, dtype=str), "x.csv")


def test_float_printed_column_is_rejected():
    table = pd.DataFrame({"group": ["g"], "option": ["a"], "printed": [40.0], "n": ["10"]})
    with pytest.raises(ValueError, match="line 2 .*'printed'.*text as printed"):
        check_rows(table, "x.csv")


# ----------------------------------------------------------------------------------------------
# tables: groups


def test_group_jointly_infeasible_though_each_value_alone_is_feasible():
    # n = 36, whole percentages 6, 6, 6, 81 (sum 99).
    # Each alone, half-up: 2 / 36 = 5.56 -> 6 (1 / 36 = 2.78, 3 / 36 = 8.33): "6" is 2 only;
    # 29 / 36 = 80.56 -> 81 (28 / 36 = 77.78, 30 / 36 = 83.33): "81" is 29 only.
    # Complete: lower ends 5.5 * 3 + 80.5 = 97 <= 100 < 6.5 * 3 + 81.5 = 101.
    # Jointly: 2 + 2 + 2 + 29 = 35, not 36: no single vector of counts gives all four.
    table = frame([("q", "a", "6", "36"), ("q", "b", "6", "36"), ("q", "c", "6", "36"), ("q", "d", "81", "36")])
    rows = check_rows(table, "hand.csv")
    assert rows["consistent_half_up"].all()
    assert rows["counts_half_up"].tolist() == ["2", "2", "2", "29"]
    groups = check_groups(table, "hand.csv")
    assert tuple(groups.columns) == GROUP_COLUMNS
    g = groups.iloc[0]
    assert g["complete"] and g["complete_half_up"] and g["printed_sum"] == "99"
    assert not g["feasible_half_up"] and g["example_half_up"] == ""
    # half-even: 6 even, [5.5, 6.5] * 0.36 = [1.98, 2.34] -> 2; 81 odd, (80.5, 81.5) * 0.36 -> 29: same
    assert not g["feasible_half_even"]
    # truncation: "6" is [6, 7) * 0.36 = [2.16, 2.52): no count at all
    assert not g["feasible_truncate"]
    assert g["verdict"] == "inconsistent" and g["consistent_rules"] == ""
    # With a fifth option printed "3" (1 / 36 = 2.78 -> 3) the counts 2 + 2 + 2 + 29 + 1 = 36 work
    # (sum 102; lower ends 16.5 + 80.5 + 2.5 = 99.5 <= 100: still complete).
    with_fifth = frame(list(table.itertuples(index=False, name=None)) + [("q", "e", "3", "36")])
    g5 = check_groups(with_fifth, "hand.csv").iloc[0]
    assert g5["feasible_half_up"] and g5["example_half_up"] == "2;2;2;29;1"


def test_incomplete_group_may_leave_respondents_out():
    # 2016 workload: 74.6 and 1.1 of 370 (third option not printed). Sum 75.7: the upper ends
    # 74.65 + 1.15 = 75.8 < 100, so not complete. 276 / 370 = 74.59, 4 / 370 = 1.08.
    table = frame([("w", "more", "74.6", "370"), ("w", "less", "1.1", "370")])
    g = check_groups(table, "hand.csv").iloc[0]
    assert not g["complete"]
    assert g["feasible_half_up"] and g["example_half_up"] == "276;4"
    # truncation: [74.6, 74.7) * 3.7 = [276.02, 276.39): no count
    assert not g["feasible_truncate"] and g["consistent_rules"] == "half-up;half-even"


def test_complete_group_example_sums_to_n():
    # n = 7 whole percentages 14, 43, 43: 1 / 7 = 14.29, 3 / 7 = 42.86; 1 + 3 + 3 = 7.
    g = check_groups(frame([("q", "a", "14", "7"), ("q", "b", "43", "7"), ("q", "c", "43", "7")])).iloc[0]
    assert g["complete"] and g["feasible_half_up"] and g["example_half_up"] == "1;3;3"
    # n = 1000, "40" and "60": each is a run (395..404, 595..604); a vector must sum to 1000.
    g = check_groups(frame([("q", "a", "40", "1000"), ("q", "b", "60", "1000")])).iloc[0]
    vector = [int(k) for k in g["example_half_up"].split(";")]
    assert sum(vector) == 1000 and 395 <= vector[0] <= 404 and 595 <= vector[1] <= 604


def test_completeness_is_judged_per_rule_with_exact_ends():
    # "51" and "50" (whole percentages, sum 101).
    # half-up: [50.5, 51.5) + [49.5, 50.5) = [100, 102): 100 reached at the closed end: complete.
    # half-even: 51 is odd, (50.5, 51.5); 50 even, [49.5, 50.5]; sum (100, 102]: 100 excluded.
    # truncation: [51, 52) + [50, 51) = [101, 103): not complete.
    # n = 200: half-up 101 / 200 = 50.5 -> 51 and 99 / 200 = 49.5 -> 50, 101 + 99 = 200.
    # half-even: 50.5 -> 50, so "51" needs 102 (51.0); "50" at least 99; 102 + 99 > 200.
    g = check_groups(frame([("q", "a", "51", "200"), ("q", "b", "50", "200")])).iloc[0]
    assert (g["complete_half_up"], g["complete_half_even"], g["complete_truncate"]) == (True, False, False)
    assert g["complete"]
    assert g["feasible_half_up"] and g["example_half_up"] == "101;99"
    assert not g["feasible_half_even"] and not g["feasible_truncate"]


def test_completeness_open_upper_end():
    # "49" and "50" (sum 99). half-up: [48.5, 49.5) + [49.5, 50.5) = [98, 100): 100 excluded.
    # half-even: (48.5, 49.5) + [49.5, 50.5] = (98, 100): excluded. truncation: [49, 50) +
    # [50, 51) = [99, 101): complete.
    # n = 200, truncation: "49" is 98 or 99 (49.0, 49.5), "50" is 100 or 101; summing to 200:
    # 99 + 101 (the example tops up the first option first).
    # half-up, not complete: "49" is 97 or 98 (48.5, 49.0), "50" 99 or 100: 97 + 99 <= 200.
    g = check_groups(frame([("q", "a", "49", "200"), ("q", "b", "50", "200")])).iloc[0]
    assert (g["complete_half_up"], g["complete_half_even"], g["complete_truncate"]) == (False, False, True)
    assert g["complete"]  # under at least one rule
    assert g["example_truncate"] == "99;101"
    assert g["example_half_up"] == "97;99"


def test_group_over_the_whole_is_infeasible_either_way():
    # 67 + 67 of n = 3: each is 2 of 3 (66.67), together 4 > 3.
    g = check_groups(frame([("q", "a", "67", "3"), ("q", "b", "67", "3")])).iloc[0]
    assert not g["complete"] and not g["feasible_half_up"] and g["verdict"] == "inconsistent"


def test_group_errors():
    with pytest.raises(ValueError, match=r"x\.csv: group 'q' has more than one n \(line 2: n=10, line 3: n=11\)"):
        check_groups(frame([("q", "a", "10", "10"), ("q", "b", "90", "11")]), "x.csv")
    with pytest.raises(ValueError, match=r"option 'a' twice \(lines 2 and 3\)"):
        check_groups(frame([("q", "a", "10", "10"), ("q", "a", "90", "10")]), "x.csv")


# ----------------------------------------------------------------------------------------------
# the shipped published cases (docs/reference/SURVEY.md, respondent mix)


def test_shipped_2018_respondent_mix():
    rows, groups = check_published(PUBLISHED / "respondent_mix_2018.csv")
    by_option = rows.set_index("option")
    # Worked by hand, n = 272, half-up, one decimal:
    #   United States 54.4: [54.35, 54.45) * 2.72 = [147.83, 148.10) -> 148 (148/272 = 54.41)
    #   United Kingdom 12.1: [32.78, 33.05) -> 33 (12.13)
    #   Sweden 6.6: [17.82, 18.09) -> 18 (6.62)
    #   Norway 3.7: [9.93, 10.20) -> 10 (3.68)
    #   Canada 2.9: [7.75, 8.02) -> 8 (2.94)
    #   Others 20.3: [55.08, 55.35) -> none: 55/272 = 20.22 -> 20.2, 56/272 = 20.59 -> 20.6
    #   Europe 34.7: [94.25, 94.52) -> none: 94/272 = 34.56 -> 34.6, 95/272 = 34.93 -> 34.9
    expected = {
        "united_states": "148",
        "united_kingdom": "33",
        "sweden": "18",
        "norway": "10",
        "canada": "8",
        "others": "",
        "europe": "",
    }
    assert by_option["counts_half_up"].to_dict() == expected
    assert by_option["counts_half_even"].to_dict() == expected  # no ties at these values
    # truncation: Norway [3.7, 3.8) * 2.72 = [10.06, 10.34) -> none; the others as above.
    assert by_option.loc["norway", "counts_truncate"] == ""
    assert by_option.loc["united_states", "counts_truncate"] == "148"
    assert by_option.loc["others", "verdict"] == "inconsistent"
    assert by_option.loc["europe", "verdict"] == "inconsistent"
    assert by_option.loc["others", "nearest_half_up"] == "55 -> 20.2; 56 -> 20.6"
    assert by_option.loc["europe", "nearest_half_up"] == "94 -> 34.6; 95 -> 34.9"
    assert rows["informative"].all()  # 272 < 1000
    countries = groups.set_index("group").loc["country_2018"]
    # the six printed shares add to exactly 100.0: complete; Others has no count: infeasible
    assert countries["printed_sum"] == "100.0" and countries["complete"]
    assert countries["verdict"] == "inconsistent"
    assert not countries[["feasible_half_up", "feasible_half_even", "feasible_truncate"]].any()
    assert groups.set_index("group").loc["europe_2018", "verdict"] == "inconsistent"


def test_2018_countries_with_others_at_20_2_would_be_consistent():
    # The five named countries take 148 + 33 + 18 + 10 + 8 = 217 of 272; the rest is 55 = 20.2 %.
    # 20.3 is 100 - (54.4 + 12.1 + 6.6 + 3.7 + 2.9): a residual of rounded values, not a rounding.
    table = pd.read_csv(PUBLISHED / "respondent_mix_2018.csv", dtype=str, keep_default_na=False)
    table.loc[table["option"] == "others", "printed"] = "20.2"
    g = check_groups(table, "edited").set_index("group").loc["country_2018"]
    assert g["complete"] and g["feasible_half_up"] and g["example_half_up"] == "148;33;18;10;8;55"


def test_shipped_2016_respondent_mix():
    rows, groups = check_published(PUBLISHED / "respondent_mix_2016.csv")
    by_option = rows.set_index("option")
    # n = 370: United States 61.1: [61.05, 61.15) * 3.7 = [225.89, 226.26) -> 226 (61.08);
    # truncation [61.1, 61.2) * 3.7 = [226.07, 226.44) -> none.
    assert by_option.loc["united_states", "counts_half_up"] == "226"
    assert by_option.loc["united_states", "counts_truncate"] == ""
    # Europe "26" (whole percent): [25.5, 26.5) * 3.7 = [94.35, 98.05) -> 95..98; truncation
    # [26, 27) * 3.7 = [96.2, 99.9) -> 97..99. With n = 370 >= 100 every whole percentage has a
    # count: not informative.
    assert by_option.loc["europe", "counts_half_up"] == "95;96;97;98"
    assert by_option.loc["europe", "counts_truncate"] == "97;98;99"
    assert not by_option.loc["europe", "informative"]
    # workload: 74.6 -> 276 (74.59), 1.1 -> 4 (1.08)
    assert by_option.loc["more_demanding", "counts_half_up"] == "276"
    assert by_option.loc["less_demanding", "counts_half_up"] == "4"
    assert (rows["verdict"] == "consistent").all()
    g = groups.set_index("group")
    assert list(g.index) == ["country_2016", "europe_2016", "workload_change_2016"]
    work = g.loc["workload_change_2016"]
    assert not work["complete"] and work["example_half_up"] == "276;4" and work["verdict"] == "consistent"


def test_check_published_reads_bom_comma_and_reports_the_file(tmp_path):
    path = tmp_path / "mix.csv"
    path.write_text('group,option,printed,n\nq,a,"16,3",240\n', encoding="utf-8-sig")
    rows, groups = check_published(path)
    assert rows.iloc[0]["counts_half_up"] == "39" and rows.iloc[0]["printed"] == "16,3"
    bad = tmp_path / "bad.csv"
    bad.write_text("group,option,printed,n\nq,a,16.3,240\nq,b,16.3,24O\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv, line 3 \(data row 2\), column 'n'"):
        check_published(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("group,option,printed,n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no data rows"):
        check_published(empty)
