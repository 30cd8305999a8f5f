"""What makes the clean stage scale: record widths counted on the bytes, per-cell work done once per
distinct value, and the synthetic waves of any size the benchmarks use. Each is checked against a
second method (the csv module, pandas' own map, the generator's exact counts)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netclean_survey.clean.grid as clean_grid
import netclean_survey.core.errors as core_errors
from netclean_survey.core.cells import map_distinct, map_distinct_categorical
from netclean_survey.clean.stage import clean_export
from netclean_survey.core.codebook import load_codebook, load_wave, normalise_label
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.estimate.shares import estimate_wave
from netclean_survey.core.writers import text_table_csv
from netclean_survey.clean.tidy import published_columns, responses_to_csv_frame

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from data import scaled_targets, write_scaled_export  # noqa: E402

CODEBOOK = load_codebook(ROOT / "config" / "questionnaire.yaml")

CRAFTED = [
    b"a,b\r\n1,2\r\n",
    b'a,b\r\n1,"x,\r\ny"\r\n\r\n3,4',  # a quoted delimiter and line break, a blank line, no final line end
    b'a,"b""c",d\n1,2,3\n\n\n',  # an escaped quote
    b"a,b\n1,2,3\n",  # a wide row
    b"a,b\r\n1\r\n",  # a short row
    b'"",""\n,\n"a""",b\n',  # empty quoted fields
    b"",
    b"a\n",
]


def csv_module_widths(data: bytes) -> list[int]:
    return [len(r) for r in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) if r != []]


@pytest.mark.parametrize("data", CRAFTED)
@pytest.mark.parametrize("chunk", [3, 7, 1 << 24])  # small chunks carry quotes and records across borders
def test_record_widths_agree_with_the_csv_module(data, chunk, monkeypatch):
    monkeypatch.setattr(clean_grid, "CHUNK_BYTES", chunk)
    assert clean_grid.record_widths(data, ",").tolist() == csv_module_widths(data)


@pytest.mark.parametrize("wave", ["2016", "2018"])
def test_read_grid_agrees_with_the_strict_csv_reader(wave):
    spec = load_wave(ROOT / "config" / "waves" / f"{wave}.yaml", CODEBOOK)
    grid = clean_grid.read_grid(spec.raw, spec)
    records = clean_grid.read_records(spec.raw, spec)
    assert grid.shape == (len(records), len(records[0]))
    assert grid.to_numpy().tolist() == records


def test_a_short_row_is_not_padded_silently(tmp_path):
    spec = load_wave(ROOT / "config" / "waves" / "2018.yaml", CODEBOOK)
    lines = Path(spec.raw).read_bytes().split(b"\r\n")
    lines[5] = lines[5].rsplit(b",", 1)[0]  # row 6 loses its last field
    path = tmp_path / "short.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(core_errors.ExportError, match=r"short\.csv, row 6: 60 fields where the header has 61"):
        clean_grid.read_grid(path, spec)


def test_map_distinct_is_map():
    rng = np.random.default_rng(1)
    cells = pd.Series(rng.choice(np.array([" Europe ", "EUROPE", "Asia", "", "=1+1", None], dtype=object), 500))
    expected = cells.map(lambda v: np.nan if pd.isna(v) else normalise_label(v))
    pd.testing.assert_series_equal(map_distinct(cells, normalise_label), expected.astype(object))
    categorical = map_distinct_categorical(cells, normalise_label)
    assert isinstance(categorical.dtype, pd.CategoricalDtype)
    assert sorted(categorical.cat.categories) == ["", "=1+1", "asia", "europe"]  # " Europe " and "EUROPE": one label
    pd.testing.assert_series_equal(categorical.astype(object), expected.astype(object))
    # the same on a categorical input, and on unhashable cells (one call per cell)
    pd.testing.assert_series_equal(map_distinct(cells.astype("category"), str.upper, missing=None).fillna("-"),
                                   cells.map(lambda v: "-" if pd.isna(v) else v.upper()).astype(object))
    lists = pd.Series([[1], [2], [1]])
    assert map_distinct(lists, len).tolist() == [1, 1, 1]


def test_scaled_targets_keep_every_share_exact():
    targets = read_yaml(ROOT / "config" / "synthetic" / "2018.yaml")
    doubled = scaled_targets(targets, 2)
    assert doubled["respondents"] == 2 * targets["respondents"]
    for qid, spec in targets["questions"].items():
        assert doubled["questions"][qid]["answered"] == 2 * spec["answered"]
        for option, count in (spec.get("counts") or {}).items():
            assert doubled["questions"][qid]["counts"][option] == 2 * count
    assert doubled["messiness"]["duplicate_rows"] == 2 * targets["messiness"]["duplicate_rows"]
    assert targets["respondents"] == 272  # the original is not changed


def test_a_scaled_wave_cleans_to_exact_multiples_of_the_shipped_one(tmp_path):
    """Two copies of a doubled block: 4 x the shipped counts and exclusions, screen by screen."""
    spec = load_wave(ROOT / "config" / "waves" / "2018.yaml", CODEBOOK)
    path = tmp_path / "wave.csv"
    respondents = write_scaled_export(ROOT, 1000, path)
    assert respondents == 4 * 272
    shipped, scaled = clean_export(spec.raw, spec), clean_export(path, spec)
    assert len(scaled.responses) == respondents
    assert (scaled.log["excluded"] == 4 * shipped.log["excluded"]).all()
    questions = [wq.question for wq in spec.questions if wq.question.kind != "text"]
    counts = [estimate_wave(c.responses, questions, wave="2018", method="wilson", conf_level=0.95,
                            simultaneous_method="goodman", synthetic=True) for c in (shipped, scaled)]
    assert (counts[1]["count"].to_numpy() == 4 * counts[0]["count"].to_numpy()).all()
    assert np.allclose(counts[1]["share"], counts[0]["share"], equal_nan=True)


def pandas_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6f", na_rep="")


@pytest.mark.parametrize("wave", ["2016", "2018"])
def test_the_text_table_writer_is_pandas_to_csv_on_the_release(wave):
    spec = load_wave(ROOT / "config" / "waves" / f"{wave}.yaml", CODEBOOK)
    responses = clean_export(spec.raw, spec).responses
    frame = responses_to_csv_frame(responses[published_columns(responses, spec, include_free_text=True)])
    assert text_table_csv(frame) == pandas_csv(frame)


def test_the_text_table_writer_quotes_as_the_csv_module_does():
    frame = pd.DataFrame({
        "plain": ["a", "", "b", None],
        "needs, quotes": ['say "hi"', "x,y", "two\nlines", "=1"],
        "choice": pd.Categorical(["yes", None, "no, never", "yes"]),
    })
    assert text_table_csv(frame) == pandas_csv(frame)
    # anything but text is left to pandas
    assert text_table_csv(pd.DataFrame({"n": [1, 2], "s": ["a", "b"]})) is None
    assert text_table_csv(pd.DataFrame({"s": ["", "a"]})) is None  # one column: a lone empty field is '""'
