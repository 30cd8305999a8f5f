"""The published respondent-level file: quasi-identifiers coarsened or withheld until every
combination of the published ones is shared by at least k respondents, checked by a plain count
(collections.Counter, a second method), on hand examples and on the committed release."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd

from netclean_survey.clean.disclosure import class_sizes, full_responses_report, safe_responses

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "results" / "netclean-2018"
COARSEN = {"country": "respondent_region"}


def responses(countries: dict[str, tuple[str, int]]) -> pd.DataFrame:
    """country -> (its region, how many respondents); one answer column."""
    rows = [(country, region) for country, (region, n) in countries.items() for _ in range(n)]
    return pd.DataFrame({"respondent_id": [str(i) for i in range(len(rows))], "country": [c for c, _ in rows],
                         "respondent_region": [r for _, r in rows], "trafficking_link": ["yes"] * len(rows)})


def smallest_class(frame: pd.DataFrame, columns: list[str]) -> int:
    return min(Counter(tuple("" if pd.isna(v) else v for v in row) for row in frame[columns].itertuples(index=False)).values())


def test_country_is_published_only_as_the_region_when_every_region_is_large():
    # by hand: USA 7, Sweden 1, Norway 4 (europe 5): every region holds at least 5
    table = responses({"usa": ("north_america", 7), "sweden": ("europe", 1), "norway": ("europe", 4)})
    published, report = safe_responses(table, "w", ["country"], COARSEN, 5)
    assert "country" not in published and len(published) == 12
    assert smallest_class(published, ["respondent_region"]) == 5
    assert report["step"].tolist() == ["coarsened", "k"]
    assert report["detail"].iat[-1].startswith("every combination of the published quasi-identifiers "
                                               "(respondent_region) is shared by at least 5 respondents")


def test_a_small_region_is_withheld_and_a_small_withheld_group_loses_its_rows():
    # europe 3 and rest 3 are below 5: withheld (6 respondents, a class of 6: kept, region empty)
    table = responses({"usa": ("north_america", 6), "sweden": ("europe", 3), "chile": ("rest", 3)})
    published, report = safe_responses(table, "w", ["country"], COARSEN, 5)
    assert len(published) == 12 and published["respondent_region"].isna().sum() == 6
    assert smallest_class(published, ["respondent_region"]) == 6
    assert dict(zip(report["step"], report["rows"])) == {"coarsened": 12, "withheld": 6, "k": 12}
    # rest 2 alone is below 5: withheld, and 2 withheld respondents would be a class of 2: rows withheld
    table = responses({"usa": ("north_america", 6), "sweden": ("europe", 5), "chile": ("rest", 2)})
    published, report = safe_responses(table, "w", ["country"], COARSEN, 5)
    assert len(published) == 11 and published["respondent_region"].notna().all()
    assert report["step"].tolist() == ["coarsened", "withheld", "rows withheld", "k"]
    assert smallest_class(published, ["respondent_region"]) >= 5


def test_class_sizes_agree_with_a_plain_count():
    table = responses({"usa": ("north_america", 6), "sweden": ("europe", 3), "chile": ("rest", 2)})
    sizes = class_sizes(table, ["country", "respondent_region"])
    counted = Counter(zip(table["country"], table["respondent_region"]))
    assert sizes.tolist() == [counted[(c, r)] for c, r in zip(table["country"], table["respondent_region"])]


def test_the_full_responses_say_whether_k_is_reached():
    table = responses({"usa": ("north_america", 6), "sweden": ("europe", 1)})
    report = full_responses_report(table, "w", ["country"], 5)
    assert "smallest combination 1 respondent(s), k = 5 NOT reached" in report["detail"].iat[0]


def test_the_committed_microdata_pass_their_own_check():
    """No published respondent-level row violates k = 5; no country, no free text; the disclosure
    report of each wave says the k reached, and it is the plain count's."""
    for wave in ("2016", "2018"):
        with (RELEASE / wave / "clean" / "responses.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert "country" not in rows[0] and not [c for c in rows[0] if c.endswith("__text") or c == "change_text"]
        sizes = Counter(r["respondent_region"] for r in rows)
        assert min(sizes.values()) >= 5, sizes
        with (RELEASE / wave / "clean" / "disclosure.csv").open(encoding="utf-8", newline="") as handle:
            report = {r["step"]: r for r in csv.DictReader(handle)}
        assert f"shared by at least {min(sizes.values())} respondents (k = 5 required)" in report["k"]["detail"]


def test_a_wave_file_adds_quasi_identifiers_and_every_combination_then_holds_k(tmp_path):
    """The 2018 wave file marking trafficking_link too: regions by answer (rest of the world has
    fewer than 5 "yes", the breakdowns say) are withheld until every combination holds 5."""
    import pytest

    from netclean_survey.clean.stage import clean_export, write_cleaned
    from netclean_survey.core.codebook import load_codebook, parse_wave
    from netclean_survey.core.errors import ConfigError
    from netclean_survey.core.yamlfile import read_yaml

    codebook = load_codebook(ROOT / "config" / "questionnaire.yaml")
    spec = read_yaml(ROOT / "config" / "waves" / "2018.yaml")
    wave = parse_wave({**spec, "quasi_identifiers": ["trafficking_link"]}, codebook, "2018.yaml")
    cleaned = clean_export(ROOT / wave.raw, wave)
    _, report = write_cleaned(cleaned, wave, False, tmp_path / "full.csv", tmp_path / "l.csv", tmp_path / "e.csv",
                              tmp_path / "r.csv", tmp_path / "d.csv")
    published = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)
    assert smallest_class(published, ["respondent_region", "trafficking_link"]) >= 5
    assert "withheld" in set(report["step"]) and "(respondent_region, trafficking_link)" in report["detail"].iat[-1]
    full = pd.read_csv(tmp_path / "full.csv", dtype=str, keep_default_na=False)
    assert smallest_class(full, ["respondent_region", "trafficking_link"]) < 5  # the check had something to do
    with pytest.raises(ConfigError, match=r"quasi_identifiers: \['shoe_size'\] are not questions of this wave"):
        parse_wave({**spec, "quasi_identifiers": ["shoe_size"]}, codebook, "2018.yaml")
