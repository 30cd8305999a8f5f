"""The one rounding of every published number: values worked by hand and by ``decimal``, shares from
their counts in exact arithmetic, floats one ulp apart rounding alike, and writers that refuse a
number that did not pass through it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import netclean_survey.core.writers as core_writers
import netclean_survey.render.workbook as render_workbook
from netclean_survey.core.rounding import PERTURB_ENV, check_published, difference, published_table, published_values, ratio, round_half_up, round_significant


@pytest.mark.parametrize("value, expected", [
    (0.1579678744784661, 0.157968),  # the Cohen's h of issue 10, as one machine computed it
    (0.1579678744784659, 0.157968),  # and as another did
    (0.5, 0.5),
    (-0.0000004, 0.0),  # no -0.0
    (2.5e-7, 0.0),  # the float 2.5e-7 is just below the tie 0.00000025: rounded down, exactly
    (0.0000005, 0.0),  # so is the float 5e-7 (4.99999999999999977e-7)
    (0.0000015, 0.000002),  # the float 1.5e-6 is just above its tie
    (-0.215338461, -0.215338),
])
def test_round_half_up_by_hand(value, expected):
    assert round_half_up(value) == expected
    assert math.copysign(1, round_half_up(value)) == math.copysign(1, expected)


def test_round_half_up_agrees_with_decimal_on_the_exact_binary_value():
    rng = np.random.default_rng(10)
    for value in rng.normal(0, 1, 2000):
        reference = float(Decimal(float(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))
        assert round_half_up(float(value)) == reference + 0.0


def test_a_tie_of_whole_counts_is_rounded_from_the_counts():
    # 1/128 = 0.0078125 exactly: a tie at the seventh decimal, half up 0.007813
    assert round_half_up(Fraction(1, 128)) == 0.007813
    assert round_half_up(Fraction(-1, 128)) == -0.007813
    table = pd.DataFrame({"count": [1, 0], "n": [128, 0], "share": [np.nextafter(1 / 128, 0), np.nan]})
    published = published_table(table, {"share": ratio("count", "n")})
    assert published["share"].iloc[0] == 0.007813  # the float one ulp below would give 0.007812
    assert math.isnan(published["share"].iloc[1])  # n = 0: no share


def test_differences_of_shares_and_sums_of_counts_are_exact():
    table = pd.DataFrame({"both": [0], "only_first": [1], "only_second": [0], "n": [128],
                          "difference": [np.nextafter(1 / 128, 0)]})
    first, second = ratio(("both", "only_first"), "n"), ratio(("both", "only_second"), "n")
    assert published_table(table, {"difference": difference(first, second)})["difference"].iloc[0] == 0.007813


def test_significant_digits_of_a_test():
    assert round_significant(1.234565e-12) == 1.23457e-12  # the float is just above the tie
    assert round_significant(0.000656909123) == 0.000656909
    assert round_significant(18.55594) == 18.5559
    values = published_values({"test": "Bilder-Loughin MMI", "B": 9999, "p_rs2": 0.0123456789, "df": 3})
    assert values == {"test": "Bilder-Loughin MMI", "B": 9999, "p_rs2": 0.0123457, "df": 3}


@pytest.mark.parametrize("direction", ["up", "down"])
def test_floats_one_ulp_apart_are_published_alike(monkeypatch, direction):
    rng = np.random.default_rng(7)
    table = pd.DataFrame({"x": rng.uniform(-1, 1, 5000), "y": rng.exponential(1, 5000), "label": "a"})
    plain = published_table(table)
    monkeypatch.setenv(PERTURB_ENV, direction)
    assert published_table(table).equals(plain)
    monkeypatch.setenv(PERTURB_ENV, "sideways")
    with pytest.raises(ValueError, match=PERTURB_ENV):
        published_table(table)


def test_the_perturbation_moves_a_value_across_a_boundary_that_only_counts_can_hold(monkeypatch):
    """Without the exact share, a float one ulp off would round otherwise: the test run would see it."""
    table = pd.DataFrame({"count": [1], "n": [128], "share": [1 / 128]})
    monkeypatch.setenv(PERTURB_ENV, "down")
    assert published_table(table)["share"].iloc[0] == 0.007812  # float path: depends on the last bit
    assert published_table(table, {"share": ratio("count", "n")})["share"].iloc[0] == 0.007813


def test_writers_refuse_a_number_that_was_not_rounded(tmp_path):
    table = pd.DataFrame({"option": ["a"], "cohens_h": [0.1579678744784661]})
    with pytest.raises(RuntimeError, match="cohens_h"):
        core_writers.write_table_csv(table, tmp_path / "t.csv")
    with pytest.raises(RuntimeError, match="cohens_h"):
        render_workbook.write_workbook({"table": table}, tmp_path / "t.xlsx", None)
    check_published(published_table(table), "t")  # rounded: accepted
    render_workbook.write_workbook({"table": published_table(table)}, tmp_path / "t.xlsx", None)
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "t.xlsx")["table"]["B2"].value == 0.157968
