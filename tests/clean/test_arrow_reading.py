"""The Arrow fast paths of the clean stage give what the slow paths they replace give, cell by cell:
times as ``pandas.to_datetime(format=...)`` reads them, labels as ``normalise_label`` normalises
them, and the grid of a CSV export as pandas' C parser reads it (the references: pandas and the
Python functions themselves, on seeded random and hand-picked hostile cells)."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyarrow")

from netclean_survey.clean import grid as grid_module  # noqa: E402
from netclean_survey.clean import times as times_module  # noqa: E402
from netclean_survey.clean.raw import answers_as_categories, normalise_label_array, normalise_labels, normalised_label_codes  # noqa: E402,E501
from netclean_survey.clean.screen import row_keys  # noqa: E402
from netclean_survey.clean.times import read_times  # noqa: E402
from netclean_survey.core.codebook import load_codebook, load_wave, normalise_label  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

FORMATS = {  # a valid time in each format the wave files and the spreadsheet hint use
    "%m/%d/%Y %I:%M:%S %p": "05/02/2018 10:11:12 AM",
    "%Y-%m-%d %H:%M:%S": "2016-04-30 23:59:07",
    "%d.%m.%Y %H:%M": "31.12.2016 08:05",
    "%m/%d/%Y": "02/28/2018",
}
HOSTILE_TIMES = [
    "02/30/2018 10:11:12 AM", "04/31/2018 10:11:12 AM", "02/29/2016 10:11:12 AM", "02/29/2018 10:11:12 AM",
    "05/02/2018 10:11:60 AM", "05/02/2018 00:11:12 AM", "05/02/2018 12:11:12 AM", "5/ 2/2018 1:1:1 PM",
    "05/02/2018  10:11:12 AM", "05/02/2018\t10:11:12 am", " 05/02/2018 10:11:12 AM", "05/02/2018 10:11:12 AM ",
    "05/02/0000 10:11:12 AM", "05/02/1677 10:11:12 AM", "05/02/9999 10:11:12 AM", "12/31/2261 11:59:59 PM",
    "\u0665/02/2018 10:11:12 AM", "05/02/2018 10:11:12 A.M.", "", "nan", "2016-02-30 10:00:00", "31.04.2016 08:05",
    "29.02.2016 08:05", "2016-4-3 1:2:3", "02/31/2018",
]


def random_times(seed: int, count: int) -> list[str]:
    """Valid times of every format with one character changed, and random strings of their characters."""
    rng = random.Random(seed)
    alphabet = "0123456789/:.- \tAPMapm"
    cells = []
    for valid in FORMATS.values():
        for _ in range(count):
            chars = list(valid)
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            cells.append("".join(chars))
    cells += ["".join(rng.choice(alphabet) for _ in range(rng.randint(8, 24))) for _ in range(count)]
    return cells


@pytest.mark.parametrize("time_format", list(FORMATS))
def test_times_read_as_pandas_reads_them(time_format):
    cells = pd.Series(HOSTILE_TIMES + random_times(7, 3000) + list(FORMATS.values()) + [None], dtype=object)
    fast = read_times(cells, time_format)
    reference = pd.to_datetime(cells, format=time_format, errors="coerce")
    assert fast.dtype == reference.dtype
    pd.testing.assert_series_equal(fast, reference)
    assert fast.notna().sum() > 100  # the cells hold many valid times of each format, not only bad ones


@pytest.mark.parametrize("dtype", ["str", "category", object])
def test_times_of_every_column_type(dtype):
    cells = pd.Series(["05/02/2018 10:11:12 AM", "02/30/2018 10:11:12 AM", "05/03/2018 01:00:00 PM"], dtype=dtype)
    fast = read_times(cells, "%m/%d/%Y %I:%M:%S %p")
    assert fast.tolist()[0] == pd.Timestamp("2018-05-02 10:11:12")
    assert pd.isna(fast.iat[1]) and fast.iat[2] == pd.Timestamp("2018-05-03 13:00:00")


def test_valid_times_are_read_by_arrow_not_by_pandas(monkeypatch):
    """The fast path is taken: pandas reads one cell (for its resolution), not the column."""
    seen = []
    real = pd.to_datetime

    def counting(cells, *args, **kwargs):
        seen.append(len(cells))
        return real(cells, *args, **kwargs)

    monkeypatch.setattr(times_module.pd, "to_datetime", counting)
    cells = pd.Series([f"05/{day:02d}/2018 10:11:12 AM" for day in range(1, 29)] * 50, dtype="str")
    read_times(cells, "%m/%d/%Y %I:%M:%S %p")
    assert seen == [1]
    seen.clear()
    read_times(pd.Series(["02/30/2018 10:11:12 AM"] + cells.tolist(), dtype="str"), "%m/%d/%Y %I:%M:%S %p")
    assert seen == [1, 1]  # the impossible date, and only it, goes to pandas


def test_labels_normalised_as_normalise_label_does():
    rng = random.Random(3)
    pieces = ["a", "B", " ", "\t", "\x1c", "\x1f", "\x0b", "\x85", "\xa0", "\u00e9", "e\u0301", "\u00df", "\u03a3",
              "\u0130", "\u2028", "1", "-", "\r\n", "\u3000", "\u01c5", "Yes", "NO"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(20000)] + ["", " A  b "]
    got = normalise_label_array(np.array(texts, dtype=object))
    assert got.tolist() == [normalise_label(t) for t in texts]


TRICKY_CSV = {
    "bom": "\ufeffa,b\n1,2\n", "crlf": "a,b\r\n1,2\r\n", "cr": "a,b\r1,2\r", "blank lines": "a,b\n\n1,2\n\r\n3,4\n",
    "quote inside": 'a,b\nx"y,2\n', "text after a quote": 'a,b\n"x"y,2\n', "quoted line break": 'a,b\n"x\ny",2\n',
    "doubled quote": 'a,b\n"x""y",2\n', "blank cells": "a,b\n  ,\n", "no last line feed": "a,b\n1,2",
    "quoted empty": 'a,b\n"",2\n', "backslash": 'a,b\n"x\\"y",2\n', "commas quoted": 'a,b\n"1,5","x,y"\n',
}


def _written(tmp_path, data: bytes):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", list(TRICKY_CSV))
def test_the_arrow_grid_is_pandas_c_parsers(name, tmp_path):
    data = TRICKY_CSV[name].encode("utf-8")
    reference = pd.read_csv(io.BytesIO(data), header=None, dtype=object, encoding="utf-8-sig", na_filter=False,
                            keep_default_na=False, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, engine="c")
    grid = grid_module._grid_by_arrow(_written(tmp_path, data), ",")
    assert grid is not None
    assert grid.astype(object).values.tolist() == reference.values.tolist()


@pytest.mark.parametrize("name", list(TRICKY_CSV))
def test_the_categorical_grid_holds_the_same_cells(name, tmp_path):
    path = _written(tmp_path, TRICKY_CSV[name].encode("utf-8"))
    text = grid_module._grid_by_arrow(path, ",")
    categorical = grid_module._grid_by_arrow(path, ",", categorical=True)
    assert categorical.astype(object).values.tolist() == text.astype(object).values.tolist()


def test_a_column_of_distinct_texts_stays_text_in_the_categorical_grid(tmp_path):
    """Identifiers and addresses (most cells distinct) as categoricals would cost more than text."""
    rows = ["id,answer"] + [f"r{i},{'Yes' if i % 3 else 'No'}" for i in range(5000)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    grid = grid_module._grid_by_arrow(path, ",", categorical=True)
    assert str(grid[0].dtype) == "str" and isinstance(grid[1].dtype, pd.CategoricalDtype)
    assert set(grid[1].cat.categories) == {"answer", "Yes", "No"}
    assert grid.astype(object).values.tolist() == [row.split(",") for row in rows]


def test_the_raw_table_is_the_same_from_either_grid(tmp_path):
    """``answers_as_categories`` makes the categoricals of a categorical grid what it makes of text:
    the categories used, sorted; metadata as text."""
    wave = type("W", (), {"metadata_columns": ["id"]})()
    answers = ["Yes", "no", " Yes", "\u00c4", "a", "B"]
    rows = ["id,a,b"] + [f"r{i},{answers[i % 6]},{'x' if i % 2 else ''}" for i in range(3000)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def raw(categorical):
        grid = grid_module._grid_by_arrow(path, ",", categorical=categorical)
        names = grid.iloc[0].tolist()
        return answers_as_categories(pd.DataFrame({n: grid[i].iloc[1:].array for i, n in enumerate(names)}), wave)

    text, categorical = raw(False), raw(True)
    assert categorical.equals(text)
    assert all(text[c].dtype == categorical[c].dtype for c in text)
    assert list(categorical["a"].cat.categories) == [" Yes", "B", "Yes", "a", "no", "\u00c4"]


LABELS = ["Yes", " yes ", "YES", "Ja", "ja\u00a0", "\u00c9t\u00e9", "E\u0301te\u0301", "", "  ", "No", "no\tanswer", "no answer"]


def test_normalised_label_codes_group_the_cells_normalise_labels_makes_equal():
    """The second method: ``pandas.factorize`` of ``normalise_labels``, on text and on categoricals."""
    rng = random.Random(7)
    cells = [rng.choice(LABELS) for _ in range(4000)] + [f"id {i}" for i in range(2000)]
    for series in (pd.Series(cells + [None], dtype="str"), pd.Series(cells + [None], dtype="category")):
        got = normalised_label_codes(series)
        reference = pd.factorize(normalise_labels(series), use_na_sentinel=True)[0]
        assert got[-1] == -1 and reference[-1] == -1
        # the same partition of the cells: each code of one maps to exactly one code of the other
        pairs = set(zip(got.tolist(), reference.tolist()))
        assert len(pairs) == len(set(got.tolist())) == len(set(reference.tolist()))


def test_row_keys_are_equal_exactly_where_every_code_is():
    """Against ``DataFrame.duplicated`` (the second method) on seeded codes, and by hand."""
    assert row_keys(4, [np.array([0, 0, 1, 0]), np.array([-1, -1, -1, 2])]).tolist() == [0, 0, 1, 2]
    rng = np.random.default_rng(3)
    codes = [rng.integers(-1, k, 20000) for k in (2, 3, 2, 5, 2, 2, 4, 2)]
    keys = pd.Series(row_keys(20000, codes))
    frame = pd.DataFrame(dict(enumerate(codes)))
    for keep in ("first", "last", False):
        assert keys.duplicated(keep=keep).equals(frame.duplicated(keep=keep))
    assert keys.nunique() == len(frame.drop_duplicates())
    # wide columns (identifiers): the key is renumbered before 63 bits overflow, every few columns
    wide = [rng.integers(-1, 3000, 20000) for _ in range(12)]
    wide[5] = wide[4].copy()  # two equal columns: nothing gained, nothing lost
    rows = rng.integers(0, 20000, 500)
    for column in wide:
        column[rows[250:]] = column[rows[:250]]  # 250 rows repeat another
    keys = pd.Series(row_keys(20000, wide))
    frame = pd.DataFrame(dict(enumerate(wide)))
    assert keys.duplicated(keep=False).equals(frame.duplicated(keep=False))
    assert keys.duplicated().sum() == frame.duplicated().sum() > 0


@pytest.mark.parametrize("text", ["a,b\n1\n", "a,b\n1,2,3\n", "a,b\n \n1,2\n"])
def test_a_ragged_record_is_left_to_the_csv_module(text, tmp_path):
    """Where pandas' C parser pads a short row, Arrow refuses it: the slow path then names the row."""
    assert grid_module._grid_by_arrow(_written(tmp_path, text.encode()), ",") is None


@pytest.mark.parametrize("wave", ["2016", "2018"])
def test_the_shipped_exports_read_as_before(wave):
    loaded = load_wave(ROOT / f"config/waves/{wave}.yaml", load_codebook(ROOT / "config/questionnaire.yaml"))
    grid = grid_module.read_grid(ROOT / loaded.raw, loaded)
    reference = pd.read_csv(ROOT / loaded.raw, header=None, dtype=object, encoding="utf-8-sig", na_filter=False,
                            keep_default_na=False, skip_blank_lines=True, engine="c")
    assert str(grid[0].dtype) == "str"
    assert grid.astype(object).values.tolist() == reference.values.tolist()


def test_each_time_column_is_read_once_for_every_screen(monkeypatch):
    """The fieldwork check, the duplicates' order and the speeders all read start and end times:
    each column is read once (screen.TimeColumns)."""
    from netclean_survey.clean import screen as screen_module
    from netclean_survey.clean.stage import clean_export

    read = []
    real = screen_module.read_times
    monkeypatch.setattr(screen_module, "read_times", lambda cells, fmt: read.append(cells.name) or real(cells, fmt))
    wave = load_wave(ROOT / "config/waves/2018.yaml", load_codebook(ROOT / "config/questionnaire.yaml"))
    cleaned = clean_export(ROOT / wave.raw, wave)
    assert sorted(read) == ["End Date", "Start Date"]
    assert set(cleaned.log["step"]) >= {"outside_fieldwork", "duplicates", "speeders"}


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype="str")}),
    pd.DataFrame({"a": [None, None], "b": ["x", "y"]}),
    pd.DataFrame({"a": pd.Series(["\u00e5\u00e4\u00f6", 'q"', None], dtype="str"), "b": ["1,2", "", "\u4e2d\n\u6587"]}),
    pd.DataFrame({"id": [f"R{i:07d}" for i in range(2000)], "c": pd.Categorical(["yes", "no"] * 1000)}),
], ids=["no rows", "all missing", "quotes and unicode", "many rows"])
def test_the_arrow_text_writer_is_pandas_to_csv(frame):
    from netclean_survey.core.writers import text_table_csv

    assert text_table_csv(frame) == frame.to_csv(index=False, lineterminator="\n", na_rep="")


@pytest.mark.parametrize("batch_rows", [1, 7, 1000, 1999, 2000, 5000])
def test_the_arrow_text_writer_gives_the_same_bytes_in_batches(batch_rows):
    """Rows are formatted a batch at a time (bounded memory): every batch size, one row, a batch
    border inside and at the end of the table, one batch for all, gives pandas' bytes."""
    from netclean_survey.core.writers import text_table_csv_bytes

    frame = pd.DataFrame({"id": [f"R{i:07d}" for i in range(2000)], "q": pd.Series(['a,"b"', None] * 1000, dtype="str"),
                          "c": pd.Categorical(["yes", None, "no", "x,y"] * 500)})
    parts = list(text_table_csv_bytes(frame, batch_rows=batch_rows))
    assert len(parts) == 1 + -(-2000 // batch_rows)
    assert b"".join(parts).decode() == frame.to_csv(index=False, lineterminator="\n", na_rep="")


def test_adjacent_coded_columns_are_written_as_pandas_writes_them():
    """Ticks and choices are formatted in groups (every combination of a group's fields joined
    once): twenty tick columns (several groups), a choice with a quoted category, missing cells
    and a text column between them give pandas' bytes."""
    from netclean_survey.core.writers import CSV_GROUP_FIELDS, text_table_csv_bytes

    rng = np.random.default_rng(11)
    columns = {f"t{i}": pd.Categorical(rng.choice(["true", "false", None], 3000), categories=["false", "true"])
               for i in range(20)}
    columns["choice"] = pd.Categorical(rng.choice(["a,b", 'say "no"', "c", None], 3000))
    columns["id"] = pd.Series([f"R{i}" for i in range(3000)], dtype="str")
    columns["wide"] = pd.Categorical([f"v{i % CSV_GROUP_FIELDS * 2}" for i in range(3000)])  # a group of its own
    columns["last"] = pd.Categorical(rng.choice(["x", "y"], 3000))
    frame = pd.DataFrame(columns)
    written = b"".join(text_table_csv_bytes(frame, batch_rows=1000)).decode()
    assert written == frame.to_csv(index=False, lineterminator="\n", na_rep="")


def test_the_arrow_text_writer_leaves_numbers_to_pandas():
    from netclean_survey.core.writers import text_table_csv

    assert text_table_csv(pd.DataFrame({"a": ["x", 1.5], "b": ["y", "z"]}, dtype=object)) is None


def _written_responses(tmp_path):
    from netclean_survey.clean.stage import clean_export
    from netclean_survey.clean.tidy import published_columns, responses_to_csv_frame
    from netclean_survey.core.writers import write_table_csv

    wave = load_wave(ROOT / "config/waves/2018.yaml", load_codebook(ROOT / "config/questionnaire.yaml"))
    responses = clean_export(ROOT / wave.raw, wave).responses
    responses = responses[published_columns(responses, wave, False)]
    frame = responses_to_csv_frame(responses)
    write_table_csv(frame, tmp_path / "responses.csv")
    return wave, responses, frame


def test_responses_read_back_as_written(tmp_path):
    from netclean_survey.clean.tidy import read_responses

    wave, responses, _ = _written_responses(tmp_path)
    back = read_responses(tmp_path / "responses.csv", wave)
    pd.testing.assert_frame_equal(back[responses.columns], responses, check_dtype=False)
    assert (back.dtypes.astype(str)[responses.columns] == responses.dtypes.astype(str)).all()


def test_a_column_of_only_true_stays_text_and_is_checked(tmp_path):
    """A tick every respondent ticked holds only "true": read as text, not inferred as booleans; an
    unknown text in it is named."""
    from netclean_survey.clean.tidy import read_responses
    from netclean_survey.core.errors import ExportError
    from netclean_survey.core.writers import write_table_csv

    wave, responses, frame = _written_responses(tmp_path)
    tick = next(c for c in responses.columns if str(responses[c].dtype) == "boolean")
    frame = frame.copy()
    asked = frame[tick].astype(str) != ""
    frame[tick] = np.where(asked, "true", "")
    assert set(frame[tick]) == {"true", ""}
    write_table_csv(frame, tmp_path / "all_ticked.csv")
    back = read_responses(tmp_path / "all_ticked.csv", wave)[tick]
    assert back[asked.to_numpy()].all() and back[~asked.to_numpy()].isna().all()
    frame[tick] = np.where(asked, "1", "")
    write_table_csv(frame, tmp_path / "numbers.csv")
    with pytest.raises(ExportError, match=f"column {tick!r}"):
        read_responses(tmp_path / "numbers.csv", wave)


@pytest.mark.parametrize("categorical", [False, True])
def test_a_bad_byte_read_from_the_file_is_named_by_the_slow_path(tmp_path, categorical):
    """Arrow reads the file itself and refuses invalid UTF-8: the byte is then named, as before."""
    from test_clean import sm_wave

    from netclean_survey.core.errors import ExportError

    path = tmp_path / "export.csv"
    path.write_bytes(b"a,b\nx,y\n1,\xff\n")
    with pytest.raises(ExportError, match=r"byte 10 is not valid utf-8"):
        grid_module.read_grid(path, sm_wave(), categorical=categorical)
