"""The questionnaire (codebook) and the wave files that map raw exports onto it.

Both are plain YAML read with ``yaml.safe_load``; nothing in config is executed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KINDS = ("single", "multi", "text")


class ConfigError(ValueError):
    """A configuration file is wrong: the message names the file and the key."""


@dataclass(frozen=True)
class Option:
    id: str
    sv: str
    en: str
    harmonised: str | None = None  # shared option id across waves (issue: comparisons)
    respondent_region: str | None = None  # for `country` only
    score: float | None = None  # a numeric value of the option (age brackets: midpoint in years)

    def label(self, lang: str) -> str:
        return getattr(self, lang)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: dict[str, str]
    base: dict[str, str]
    options: tuple[Option, ...] = ()
    asked_if: dict[str, str] = field(default_factory=dict)
    coded_from: str | None = None
    derived_from: str | None = None  # a derived question (respondent_region from country)

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(f"question {self.id!r} has no option {option_id!r}")

    def restricted_to(self, option_ids: list[str]) -> "Question":
        """The same question with only the given options, in codebook order."""
        keep = set(option_ids)
        return Question(
            self.id,
            self.kind,
            self.text,
            self.base,
            tuple(o for o in self.options if o.id in keep),
            self.asked_if,
            self.coded_from,
            self.derived_from,
        )


@dataclass(frozen=True)
class Codebook:
    questions: tuple[Question, ...]
    derived: tuple[Question, ...] = ()

    def __getitem__(self, question_id: str) -> Question:
        for q in self.questions + self.derived:
            if q.id == question_id:
                return q
        raise KeyError(f"the questionnaire has no question {question_id!r}")

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def derived_for(self, wave: "Wave") -> list[Question]:
        """The derived questions a wave has (those whose source question it asks)."""
        return [q for q in self.derived if q.derived_from in wave.question_ids]


def read_yaml(path: str | Path) -> dict:
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def _option(raw: dict) -> Option:
    values = {k: (float(v) if k == "score" else str(v)) for k, v in raw.items()}
    return Option(**values)


def parse_codebook(data: dict, source: str = "questionnaire") -> Codebook:
    option_sets = data.get("option_sets", {})
    questions = []
    seen: set[str] = set()
    listed = [("questions", raw) for raw in data.get("questions", [])]
    listed += [("derived_questions", raw) for raw in data.get("derived_questions", [])]
    for index, (section, raw) in enumerate(listed):
        where = f"{source}: {section}[{index}]"
        qid = raw.get("id")
        if not qid or qid in seen:
            raise ConfigError(f"{where}: missing or repeated id {qid!r}")
        seen.add(qid)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"{where} ({qid}): kind must be one of {KINDS}, got {kind!r}")
        if "option_set" in raw:
            if raw["option_set"] not in option_sets:
                raise ConfigError(f"{where} ({qid}): unknown option_set {raw['option_set']!r}")
            raw_options = option_sets[raw["option_set"]]
        else:
            raw_options = raw.get("options", [])
        if kind != "text" and not raw_options:
            raise ConfigError(f"{where} ({qid}): a {kind} question needs options")
        options = tuple(_option(o) for o in raw_options)
        if len({o.id for o in options}) != len(options):
            raise ConfigError(f"{where} ({qid}): repeated option id")
        questions.append(
            Question(
                id=qid,
                kind=kind,
                text=raw["text"],
                base=raw["base"],
                options=options,
                asked_if={k: str(v) for k, v in (raw.get("asked_if") or {}).items()},
                coded_from=raw.get("coded_from"),
                derived_from=raw.get("derived_from"),
            )
        )
    asked = tuple(q for q in questions if q.derived_from is None)
    codebook = Codebook(asked, tuple(q for q in questions if q.derived_from is not None))
    for q in codebook.questions:
        for parent, value in q.asked_if.items():
            if parent not in seen or value not in codebook[parent].option_ids:
                raise ConfigError(f"{source}: {q.id}.asked_if names {parent}={value}, not in the questionnaire")
    return codebook


def load_codebook(path: str | Path) -> Codebook:
    return parse_codebook(read_yaml(path), str(path))


_WHITESPACE = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Labels compare after NFC, case folding and collapsing whitespace (stray case and spaces)."""
    text = unicodedata.normalize("NFC", str(text))
    return _WHITESPACE.sub(" ", text).strip().casefold()



@dataclass(frozen=True)
class WaveQuestion:
    """One question of one wave: its raw column and the raw labels of each option id."""

    question: Question  # restricted to the options this wave asked
    column: str
    labels: dict[str, tuple[str, ...]]  # option id -> raw label variants
    other_text: dict[str, str] | None = None  # {option: id, column: raw column}

    def label_lookup(self) -> dict[str, str]:
        """Normalised raw label -> option id."""
        return {normalise_label(label): oid for oid, labels in self.labels.items() for label in labels}


@dataclass(frozen=True)
class Wave:
    name: str
    path: str
    format: str
    raw: str
    encoding: str
    delimiter: str
    decimal: str
    respondent_id: str
    duration: dict
    metadata_columns: tuple[str, ...]
    exclusions: dict
    questions: tuple[WaveQuestion, ...]
    title: dict[str, str]
    fieldwork: dict[str, str]
    synthetic: bool = False  # rows made by netclean_survey.synth: every output says so

    def __getitem__(self, question_id: str) -> WaveQuestion:
        for wq in self.questions:
            if wq.question.id == question_id:
                return wq
        raise KeyError(f"wave {self.name} has no question {question_id!r}")

    @property
    def question_ids(self) -> list[str]:
        return [wq.question.id for wq in self.questions]


WAVE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
WAVE_KEYS = {"wave", "title", "raw", "format", "encoding", "delimiter", "decimal", "fieldwork", "respondent_id",
             "duration", "metadata_columns", "exclusions", "questions", "synthetic"}


def parse_wave(data: dict, codebook: Codebook, source: str = "wave file") -> Wave:
    name = str(data.get("wave", ""))
    if not WAVE_NAME.match(name):
        raise ConfigError(
            f"{source}: wave name {name!r} must be letters, digits, '_' or '-' (no path separator, no '..'): "
            "it names folders of the results"
        )
    unknown = sorted(set(data) - WAVE_KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown keys {unknown}; a wave file has {sorted(WAVE_KEYS)}")
    for key in ("format", "raw", "respondent_id"):
        if key not in data:
            raise ConfigError(f"{source}: the key {key!r} is missing")
    questions = []
    for qid, spec in (data.get("questions") or {}).items():
        where = f"{source}: questions.{qid}"
        try:
            question = codebook[qid]
        except KeyError:
            raise ConfigError(f"{where}: {qid!r} is not a question of the questionnaire") from None
        labels = {str(k): tuple(str(x) for x in v) for k, v in (spec.get("options") or {}).items()}
        other = spec.get("other_text")
        if other:
            labels.setdefault(other["option"], ())
        unknown = [oid for oid in labels if oid not in question.option_ids]
        if unknown:
            raise ConfigError(f"{where}: options {unknown} are not options of {qid} in the questionnaire")
        if question.kind != "text" and not labels:
            raise ConfigError(f"{where}: a {question.kind} question needs its options mapped")
        questions.append(
            WaveQuestion(
                question=question.restricted_to(list(labels)) if question.kind != "text" else question,
                column=str(spec["column"]),
                labels=labels,
                other_text=other,
            )
        )
    # keep codebook order so tables come out in the questionnaire's order
    order = {qid: i for i, qid in enumerate(codebook.ids)}
    questions.sort(key=lambda wq: order[wq.question.id])
    wave_ids = {wq.question.id for wq in questions}
    for wq in questions:
        for parent in wq.question.asked_if:
            if parent not in wave_ids:
                raise ConfigError(f"{source}: {wq.question.id} is asked only if {parent}, which this wave lacks")
    return Wave(
        name=str(data["wave"]),
        path=source,
        format=data["format"],
        raw=data["raw"],
        encoding=data.get("encoding", "utf-8-sig"),
        delimiter=data.get("delimiter", ","),
        decimal=data.get("decimal", "."),
        respondent_id=data["respondent_id"],
        duration=data.get("duration") or {},
        metadata_columns=tuple(data.get("metadata_columns") or ()),
        exclusions=data.get("exclusions") or {},
        questions=tuple(questions),
        title=data.get("title") or {},
        fieldwork={k: str(v) for k, v in (data.get("fieldwork") or {}).items()},
        synthetic=bool(data.get("synthetic", False)),
    )


def load_wave(path: str | Path, codebook: Codebook) -> Wave:
    return parse_wave(read_yaml(path), codebook, str(path))


# The grouped chart of grooming against extortion ages needs these four questions.
AGE_QUESTIONS = ("grooming_ages_seen", "sextortion_ages_seen", "grooming_ages_common", "sextortion_ages_common")
AGES_FIGURE = "ages_grooming_vs_sextortion"


def published_questions(wave: Wave) -> list[Question]:
    """Questions with tables and figures: all but free text, which is never published by default."""
    return [wq.question for wq in wave.questions if wq.question.kind != "text"]


def has_age_figure(wave: Wave) -> bool:
    return set(AGE_QUESTIONS) <= {q.id for q in published_questions(wave)}
