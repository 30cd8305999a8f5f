"""The answers of one (wave, question) as a comparison needs them: the respondents in the base,
and for each a choice (single) or a tick vector (multi), on option ids that can be harmonised
across waves (2016 ``central_america`` and ``south_america`` -> ``latin_america``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from ..clean.raw import multi_column
from ..clean.tidy import respondents_asked
from ..core.codebook import Codebook, Option, Question, Wave


@dataclass(frozen=True)
class Side:
    """One side of a comparison."""

    wave: str
    question: Question  # options as compared (harmonised when asked)
    ticks: pd.DataFrame  # respondents in the base x option ids, bool (single: one-hot)
    n_asked: int
    respondents: pd.Index | None = None  # the rows of the responses the ticks are, in order (for weights)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def n(self) -> int:
        return len(self.ticks)

    @property
    def counts(self) -> pd.Series:
        return self.ticks.sum().astype("int64")


def wave_question(codebook: Codebook, wave: Wave, question_id: str) -> Question:
    """A question as this wave asked it (its options), or a derived question of the wave."""
    if question_id in wave.question_ids:
        return wave[question_id].question
    derived = {q.id: q for q in codebook.derived_for(wave)}
    if question_id in derived:
        return derived[question_id]
    raise KeyError(f"wave {wave.name} has no question {question_id!r}")


def _harmonised(question: Question) -> tuple[Question, dict[str, str]]:
    """The question with options mapped onto their harmonised ids, first occurrence's place."""
    mapping = {o.id: o.harmonised or o.id for o in question.options}
    options: dict[str, Option] = {}
    for o in question.options:
        target = mapping[o.id]
        if target not in options:
            # a merged option is labelled by the ids it merges until the caller names it
            merged = [x for x in question.options if mapping[x.id] == target]
            if len(merged) == 1:
                options[target] = Option(target, o.sv, o.en)
            else:
                options[target] = Option(target, " + ".join(x.sv for x in merged), " + ".join(x.en for x in merged))
    harmonised = dataclasses.replace(question, options=tuple(options.values()))
    return harmonised, mapping


def side(responses: pd.DataFrame, codebook: Codebook, wave: Wave, question_id: str, harmonise: bool = False) -> Side:
    """The base respondents of one question and their answers, as a bool matrix over option ids."""
    question = wave_question(codebook, wave, question_id)
    if question.kind == "text":
        raise ValueError(f"{question_id} is a free-text question: it cannot be compared")
    asked = respondents_asked(responses, question)
    if question.kind == "multi":
        columns = [multi_column(question.id, o) for o in question.option_ids]
        raw = responses.loc[asked, columns]
        raw = raw[raw.notna().all(axis=1)].astype(bool)
        raw.columns = question.option_ids
    else:
        choices = responses.loc[asked, question.id]
        choices = choices[choices.notna()].astype(str)
        raw = pd.DataFrame({o: choices == o for o in question.option_ids}, index=choices.index)
    if harmonise:
        question, mapping = _harmonised(question)
        raw = raw.T.groupby(pd.Series(mapping)[raw.columns].to_numpy(), sort=False).any().T
        raw = raw[question.option_ids]
    return Side(wave.name, question, raw.reset_index(drop=True), int(asked.sum()), raw.index)


def shared_options(a: Side, b: Side) -> tuple[list[Option], list[str]]:
    """Options compared and the ids left out.

    Single choice: the union (an option one wave's list lacks was chosen by nobody there, since a
    label the wave file does not know stops the run). Tick all: the options both waves offered;
    the others are listed as not compared (an option not offered has no share).
    """
    b_ids = set(b.question.option_ids)
    a_ids = set(a.question.option_ids)
    if a.kind == "single":
        order = b.question.options + tuple(o for o in a.question.options if o.id not in b_ids)
        return list(order), []
    # labels from the later wave: it names the harmonised options plainly
    kept = [o for o in b.question.options if o.id in a_ids]
    left_out = [o for o in a.question.option_ids if o not in b_ids] + [o for o in b.question.option_ids if o not in a_ids]
    return kept, left_out


def aligned_ticks(s: Side, option_ids: list[str]) -> pd.DataFrame:
    """The side's tick matrix on the given options (an option it lacks: nobody chose it)."""
    return s.ticks.reindex(columns=option_ids, fill_value=False).astype(bool)
