"""From screened raw rows to the tidy responses table, validated by a pandera schema.

The responses table has one row per respondent:

- ``respondent_id`` (text, unique);
- a single-choice question ``q``: a categorical of its option ids, missing when not answered;
- a tick-all question ``q``: one nullable boolean column ``q__{option}`` per option, True/False for
  respondents who ticked at least one option and missing (<NA>) for everyone else (not asked, or
  asked and ticked nothing: item non-response);
- a free-text question ``q``: text, missing when blank. Free text is sensitive: it is kept here
  for coding, and dropped from every published output (``published_columns``);
- the "Other (please specify)" box of a single choice or a tick all (``other_text``): free text
  ``q__{option}__text``, kept and never published by default like a free-text question;
- ``respondent_region``: derived from ``country`` through the questionnaire (north_america,
  europe, rest).

Labels are matched after normalisation (``codebook.normalise_label``); a label the wave file does
not know stops the run, listing every unknown value with its rows and the line to add.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..core.cells import arrow_text, release_arrow_memory
from ..core.codebook import Question, Wave, WaveQuestion, normalise_label
from ..core.errors import ExportError
from .raw import multi_column, normalise_labels, other_text_column, rows_named, unknown_labels_error

RESPONDENT_REGIONS = ("north_america", "europe", "rest")


def _single(raw: pd.DataFrame, wq: WaveQuestion, problems: list) -> pd.Series:
    """The option of each row. With an "Other (please specify)" box (``other_text``) the option is
    the answer cell's when it is not blank, else the other option when the box holds text: SurveyMonkey
    leaves the answer blank when the respondent chose "Other" and wrote in its box."""
    lookup = wq.label_lookup()
    normalised = normalise_labels(raw[wq.question.id])
    codes = normalised.map(lookup)
    unknown = (normalised != "") & codes.isna()
    problems += [(value, wq, int(row)) for value, row in zip(raw.loc[unknown, wq.question.id], raw.loc[unknown, "_row"])]
    choice = pd.Categorical(codes, categories=wq.question.option_ids)
    if wq.other_text:
        written = raw[other_text_column(wq.question.id, wq.other_text["option"])].str.strip() != ""
        choice[(normalised == "").to_numpy(dtype=bool) & written.to_numpy(dtype=bool)] = wq.other_text["option"]
    return pd.Series(choice, index=raw.index)


def _multi(raw: pd.DataFrame, wq: WaveQuestion, problems: list) -> pd.DataFrame:
    qid = wq.question.id
    ticks = {}
    for oid in wq.question.option_ids:
        if wq.other_text and wq.other_text["option"] == oid:
            # ticked if its box holds text (SurveyMonkey writes no tick column for it) or, where the
            # export has one (Qualtrics), its tick column is ticked
            ticks[oid] = raw[other_text_column(qid, oid)].str.strip() != ""
            if multi_column(qid, oid) in raw:
                ticks[oid] |= normalise_labels(raw[multi_column(qid, oid)]).to_numpy() != ""
            continue
        cells = raw[multi_column(qid, oid)]
        normalised = normalise_labels(cells)
        known = {normalise_label(text) for text in wq.accepted(oid)}
        # a ticked cell holds the option's own text; anything else is not a tick we can trust
        wrong = (normalised != "") & ~normalised.isin(known)
        problems += [(value, wq, int(row)) for value, row in zip(cells[wrong], raw.loc[wrong, "_row"])]
        ticks[oid] = normalised != ""
    frame = pd.DataFrame(ticks, index=raw.index).astype("boolean")
    frame[~frame.any(axis=1)] = pd.NA  # ticked nothing: not in the base
    return frame.rename(columns=lambda oid: multi_column(qid, oid))


def _text(raw: pd.DataFrame, column: str) -> pd.Series:
    return _text_or_missing(raw[column].str.strip())


def answered(responses: pd.DataFrame, wq: WaveQuestion) -> pd.Series:
    q = wq.question
    if q.kind == "multi":
        return responses[multi_column(q.id, q.option_ids[0])].notna()
    return responses[q.id].notna()


def respondents_asked(responses: pd.DataFrame, question: Question) -> pd.Series:
    """Boolean Series: True for respondents who were asked ``question``.

    A respondent is asked if every ``asked_if`` condition holds, ``responses[parent] == value``
    (a missing parent answer fails the condition). A question without ``asked_if`` is asked of
    everyone. If the parent is a tick-all question its indicator column ``parent__value`` is
    used instead. ValueError if the parent is not in ``responses``.
    """
    asked = pd.Series(True, index=responses.index, name=question.id, dtype=bool)
    for parent, value in question.asked_if.items():
        if parent in responses.columns:
            condition = responses[parent] == value
        elif multi_column(parent, value) in responses.columns:
            condition = responses[multi_column(parent, value)]
        else:
            raise ValueError(
                f"{question.id} is asked only if {parent} == {value!r}, but responses have no column {parent!r}"
            )
        asked &= pd.Series(condition, index=responses.index).fillna(False).astype(bool)
    return asked


def tidy(kept: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """Map labels to ids and build the validated responses table."""
    ids = kept[wave.respondent_id].str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        count, rows = rows_named(kept, blank)
        raise ExportError(
            f"{wave.raw}: column {wave.respondent_id!r}: {count} row(s) have no respondent id, {rows}; every "
            "analysed response needs its id (an export cut short or edited by hand?): restore the ids, or name "
            f"another id column as respondent_id in {wave.path}"
        )
    repeated = ids[ids.duplicated(keep=False)]
    if not repeated.empty:
        rows = kept.loc[repeated.index, "_row"].tolist()
        raise ExportError(
            f"{wave.raw}: column {wave.respondent_id!r}: respondent ids repeated with different answers "
            f"({sorted(set(repeated))[:5]}, rows {rows[:10]}); an exact duplicate would have been screened out"
        )
    columns: dict[str, pd.Series] = {"respondent_id": ids.astype("string")}
    problems: list = []
    for wq in wave.questions:
        q = wq.question
        if q.kind == "single":
            columns[q.id] = _single(kept, wq, problems)
        elif q.kind == "multi":
            columns.update(_multi(kept, wq, problems).to_dict("series"))
        else:
            columns[q.id] = _text(kept, q.id)
        if wq.other_text:  # the "Other (please specify)" box of a single choice or a tick all: free text
            columns[other_text_column(q.id, wq.other_text["option"])] = _text(
                kept, other_text_column(q.id, wq.other_text["option"])
            )
    if problems:
        raise unknown_labels_error(wave.raw, wave, problems)
    responses = pd.DataFrame(columns, index=kept.index)
    _check_skip_logic(responses, kept, wave)
    if "country" in wave.question_ids:
        regions = {o.id: o.respondent_region for o in wave["country"].question.options}
        responses["respondent_region"] = pd.Categorical(
            responses["country"].map(regions).astype("object"), categories=RESPONDENT_REGIONS
        )
    return response_schema(wave).validate(responses.reset_index(drop=True), inplace=True)  # a frame of its own: no copy


def _check_skip_logic(responses: pd.DataFrame, kept: pd.DataFrame, wave: Wave) -> None:
    for wq in wave.questions:
        if not wq.question.asked_if:
            continue
        wrong = answered(responses, wq) & ~respondents_asked(responses, wq.question)
        if wrong.any():
            condition = ", ".join(f"{k} = {v}" for k, v in wq.question.asked_if.items())
            raise ExportError(
                f"{wave.raw}: column {wq.column!r} ({wq.question.id}) is answered in {int(wrong.sum())} row(s) "
                f"where the skip logic ({condition}) does not ask it: rows {kept.loc[wrong, '_row'].tolist()[:10]}"
            )


def response_schema(wave: Wave) -> pa.DataFrameSchema:
    """The pandera schema of one wave's responses table."""
    columns = {"respondent_id": pa.Column("string", unique=True, nullable=False)}
    for wq in wave.questions:
        q = wq.question
        if q.kind == "single":
            columns[q.id] = pa.Column(pd.CategoricalDtype(q.option_ids), nullable=True)
        elif q.kind == "multi":
            for oid in q.option_ids:
                columns[multi_column(q.id, oid)] = pa.Column("boolean", nullable=True)
        else:
            columns[q.id] = pa.Column("string", nullable=True)
        if wq.other_text:  # a single choice's or a tick all's "Other (please specify)" box
            columns[other_text_column(q.id, wq.other_text["option"])] = pa.Column("string", nullable=True)
    if "country" in wave.question_ids:
        columns["respondent_region"] = pa.Column(pd.CategoricalDtype(RESPONDENT_REGIONS), nullable=True)

    checks = []
    for wq in wave.questions:
        if wq.question.kind == "multi":
            cols = [multi_column(wq.question.id, oid) for oid in wq.question.option_ids]
            # a respondent is in a tick-all base for all its options or for none
            checks.append(
                pa.Check(
                    lambda df, cols=cols: df[cols].isna().all(axis=1) | df[cols].notna().all(axis=1),
                    name=f"{wq.question.id}: all options answered or none",
                )
            )
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True, name=f"responses {wave.name}")


def free_text_columns(wave: Wave) -> set[str]:
    """Free-text columns of the responses: sensitive, never published by default."""
    text = {wq.question.id for wq in wave.questions if wq.question.kind == "text"}
    return text | {other_text_column(wq.question.id, wq.other_text["option"]) for wq in wave.questions if wq.other_text}


def published_columns(responses: pd.DataFrame, wave: Wave, include_free_text: bool = False) -> list[str]:
    """The columns of the responses table that may be published: free text only when asked for."""
    text = set() if include_free_text else free_text_columns(wave)
    return [c for c in responses.columns if c not in text]


TICK_TEXT = ("false", "true")


def responses_to_csv_frame(responses: pd.DataFrame) -> pd.DataFrame:
    """The responses as text for a CSV: categories as ids, ticks as true/false, missing as "".

    Ticks and choices stay categorical (a byte per cell; the CSV writer takes the text of each
    category), free text and ids are object columns."""
    out = {}
    for column, series in responses.items():
        if isinstance(series.dtype, pd.BooleanDtype):
            codes = np.where(series.isna().to_numpy(), -1, series.fillna(False).to_numpy(dtype=bool).astype(np.int8))
            series = pd.Series(pd.Categorical.from_codes(codes, categories=TICK_TEXT), index=responses.index)
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.cat.add_categories([""]).fillna("")
        else:
            out[column] = series.astype("object").where(series.notna(), "")
    return pd.DataFrame(out, index=responses.index)


def responses_from_csv_frame(text: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """Read back what ``responses_to_csv_frame`` wrote (every cell as text, or categorical text),
    typed and validated. Missing cells count as ""."""
    schema = response_schema(wave)
    text = text.copy(deep=False)  # columns are added, none changed: the caller's frame stays as it was
    for column in free_text_columns(wave):  # free text is not published by default: absent means unknown here
        if column not in text:
            text[column] = ""
    missing = [c for c in schema.columns if c not in text]
    if missing:
        raise ExportError(f"responses of wave {wave.name}: columns {missing} are missing")
    categories = {wq.question.id: wq.question.option_ids for wq in wave.questions if wq.question.kind == "single"}
    categories["respondent_region"] = list(RESPONDENT_REGIONS)
    out = {}
    for column in schema.columns:
        cells = text[column]
        where = f"responses of wave {wave.name}: column {column!r}"
        if str(schema.columns[column].dtype) == "boolean":
            codes = _codes_from_text(cells, {"false": 0, "true": 1, "": -1}, where)
            out[column] = pd.Series(pd.arrays.BooleanArray(codes == 1, codes == -1), index=cells.index)
        elif column in categories:
            meaning = {"": -1} | {option: i for i, option in enumerate(categories[column])}
            codes = _codes_from_text(cells, meaning, where, f", not one of {categories[column]}")
            out[column] = pd.Series(pd.Categorical.from_codes(codes, categories=categories[column]), index=cells.index)
        else:
            out[column] = _text_or_missing(cells)
    return schema.validate(pd.DataFrame(out), inplace=True)  # a frame of its own: no copy


def _text_or_missing(cells: pd.Series) -> pd.Series:
    """Text cells as pandas' ``string`` dtype, "" and missing as <NA> (in Arrow: no Python string
    per cell)."""
    array = arrow_text(cells)
    if array is None:
        cells = cells.astype(object)
        return cells.where(cells.notna() & (cells != "")).astype("string")
    array = pc.if_else(pc.equal(array, ""), pyarrow.scalar(None, pyarrow.large_string()), array)
    return pd.Series(pd.array(array, dtype="string"), index=cells.index, name=cells.name)


def _codes_from_text(cells: pd.Series, meaning: dict[str, int], where: str, hint: str = "") -> np.ndarray:
    """The code of every cell by ``meaning`` (a missing cell means ""), each distinct text looked up
    once; a text ``meaning`` does not know is an error."""
    codes, distinct = pd.factorize(cells, use_na_sentinel=True)
    unknown = [value for value in distinct if value not in meaning]
    if unknown:
        raise ExportError(f"{where} holds {unknown[0]!r}{hint}")
    lookup = np.array([meaning[value] for value in distinct] + [meaning[""]], dtype=np.int16)
    return lookup[codes]  # code -1 (missing) takes the last entry


CODED_CELLS = pyarrow.dictionary(pyarrow.int32(), pyarrow.string())


def read_responses(path, wave: Wave) -> pd.DataFrame:
    """Read a responses CSV written by the clean stage, typed and validated. Ticks and choices are
    read as categoricals (a handful of texts each), ids and free text as text.

    Every cell is read as text by pyarrow's CSV reader (multi-threaded): nothing is inferred, so a
    column holding only ``true`` and ``false`` (a tick-all question every respondent answered) or
    only numbers stays text, and every cell is checked against what the clean stage writes
    (``TICK_TEXT``, the option ids); nothing is coerced."""
    schema = response_schema(wave)
    coded = {name for name, column in schema.columns.items() if str(column.dtype) in ("boolean", "category")}
    header = list(pd.read_csv(path, nrows=0, encoding="utf-8").columns)
    table = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(use_threads=True),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        # ticks and choices encoded as they are read: never a string per cell (Arrow's categoricals)
        convert_options=pa_csv.ConvertOptions(
            column_types={name: CODED_CELLS if name in coded else pyarrow.large_string() for name in header},
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    text = pd.DataFrame({
        name: (table.column(name).unify_dictionaries() if name in coded else table.column(name)).to_pandas()
        for name in header
    })
    del table  # its 32-bit indices, now pandas' one-byte codes
    release_arrow_memory()
    return responses_from_csv_frame(text, wave)
