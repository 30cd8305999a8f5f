"""The questionnaire (codebook) and the wave files that map raw exports onto it.

Both are plain YAML read by :func:`netclean_survey.yamlfile.read_yaml` (``yaml.safe_load``, with
limits); nothing in config is executed. Each is checked against its schema before it is used
(``workflow/schemas/questionnaire.schema.yaml``, ``wave.schema.yaml``; see :mod:`.schema`), then
against the other: the ids one names must exist.
"""

from __future__ import annotations

import re
import unicodedata
from fnmatch import fnmatchcase
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import jsonschema

from .errors import ConfigError

# check_against_schema is imported from here by the Snakefile too (config/config.yaml)
from .schema import check_against_schema, schema_path, validator
from .yamlfile import read_yaml

KINDS = ("single", "multi", "text")
#: How a question's options are ordered (questionnaire ``order``): ``listed`` in the questionnaire's
#: order, which means something (the default); ``alphabetical``, names with no order of their own
#: (countries): tables list them in the alphabetical order of their language; ``scale``, an ordered
#: scale (figures never re-sort it; options with a ``score`` are a scale too).
ORDERS = ("listed", "alphabetical", "scale")


WAVE_SCHEMA = schema_path("wave")  # workflow/schemas/wave.schema.yaml


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
    short: dict[str, str] | None = None  # a short name for titles, written mid-sentence
    order: str = "listed"  # one of ORDERS

    @property
    def is_scale(self) -> bool:
        """Whether the options are an ordered scale: ``order: scale``, or options with a ``score``
        (the age brackets: their midpoints in years); their order is the scale's."""
        return self.order == "scale" or any(option.score is not None for option in self.options)

    def name(self, lang: str) -> str:
        """The question's short name (``short``, as written mid-sentence) for titles, else its text."""
        return (self.short or self.text)[lang]

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
        return replace(self, options=tuple(o for o in self.options if o.id in keep))


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


def _option(raw: dict) -> Option:
    return Option(**{k: (float(v) if k == "score" else v) for k, v in raw.items()})


def parse_codebook(data: dict, source: str = "questionnaire") -> Codebook:
    """The questionnaire's data, checked against ``questionnaire.schema.yaml`` and then for what a
    schema cannot say: ids given once, and option sets, asked_if, coded_from and derived_from that
    name what the questionnaire has. ConfigError, one paragraph naming the file and the key path."""
    check_against_schema(data, "questionnaire", source)
    option_sets = data.get("option_sets", {})
    for name, raw_options in option_sets.items():
        _check_option_ids(raw_options, f"{source}: option_sets.{name}")
    listed = [(f"questions[{i}]", raw) for i, raw in enumerate(data["questions"])]
    listed += [(f"derived_questions[{i}]", raw) for i, raw in enumerate(data.get("derived_questions", []))]
    questions: list[tuple[str, Question]] = []
    seen: dict[str, str] = {}
    for where, raw in listed:
        qid = raw["id"]
        if qid in seen:
            raise ConfigError(
                f"{source}: {where}.id: {qid!r} is the id of {seen[qid]} too; each question has its own id"
            )
        seen[qid] = where
        if "option_set" in raw:
            if raw["option_set"] not in option_sets:
                raise ConfigError(
                    f"{source}: {where}.option_set: {raw['option_set']!r} is not a name of option_sets, which has "
                    f"{sorted(option_sets)}"
                )
            raw_options = option_sets[raw["option_set"]]
        else:
            raw_options = raw.get("options", [])
            _check_option_ids(raw_options, f"{source}: {where}.options")
        question = Question(
            id=qid,
            kind=raw["kind"],
            text=raw["text"],
            base=raw["base"],
            options=tuple(_option(o) for o in raw_options),
            asked_if=dict(raw.get("asked_if") or {}),
            coded_from=raw.get("coded_from"),
            derived_from=raw.get("derived_from"),
            short=raw.get("short"),
            order=raw.get("order", "listed"),
        )
        questions.append((where, question))
    codebook = Codebook(
        tuple(q for _, q in questions if q.derived_from is None),
        tuple(q for _, q in questions if q.derived_from is not None),
    )
    asked = set(codebook.ids)
    for where, q in questions:
        for parent, value in q.asked_if.items():
            if parent not in asked:
                raise ConfigError(
                    f"{source}: {where}.asked_if: {parent!r} is not a question of the questionnaire; asked_if maps "
                    "a question id of the questionnaire to one of its option ids"
                )
            if value not in codebook[parent].option_ids:
                raise ConfigError(
                    f"{source}: {where}.asked_if.{parent}: {value!r} is not an option of {parent}, whose options are "
                    f"{codebook[parent].option_ids}"
                )
        for key in ("coded_from", "derived_from"):
            named = getattr(q, key)
            if named is not None and named not in asked:
                raise ConfigError(f"{source}: {where}.{key}: {named!r} is not a question of the questionnaire")
    return codebook


def _check_option_ids(raw_options: list[dict], where: str) -> None:
    """Each option id once in a list of options."""
    ids = [o["id"] for o in raw_options]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(f"{where}: the option ids {repeated} are given more than once; each option has its own id")


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
    row: str | None = None  # a SurveyMonkey grid (matrix) row: its row-2 label under ``column``
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option id -> codes (numeric exports)
    choice_ids: dict[str, str] = field(default_factory=dict)  # option id -> Qualtrics choice id (survey definition)

    def accepted(self, option_id: str) -> tuple[str, ...]:
        """Every raw text that stands for the option: its labels, then its codes."""
        return self.labels.get(option_id, ()) + self.codes.get(option_id, ())

    def label_lookup(self) -> dict[str, str]:
        """Normalised raw label or code -> option id."""
        return {normalise_label(text): oid for oid in self.labels for text in self.accepted(oid)}


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
    times: dict = field(default_factory=dict)  # {start, end, format}: when each response started and ended
    ignore: tuple[str, ...] = ()  # columns of the export not analysed (names or patterns)
    unmapped: str = "refuse"  # or "ignore": every column the wave file does not know
    missing_codes: tuple[str, ...] = ()  # answer cells meaning "seen, not answered" (-99): read as blank
    survey_definition: str = ""  # a Qualtrics .qsf whose recoded values give the codes (clean.survey_definition)
    quasi_identifiers: tuple[str, ...] = ()  # questions that could identify a respondent (clean.disclosure)
    weight_column: str = ""  # a column of the export holding each respondent's weight (config weights: source: column)

    def ignores(self, *names: str) -> bool:
        """Whether a column known by any of ``names`` (its id, its question text, ...) is ignored."""
        if self.unmapped == "ignore":
            return True
        wanted = [normalise_label(n) for n in names if n]
        return any(fnmatchcase(name, normalise_label(pattern)) for pattern in self.ignore for name in wanted)

    @property
    def response_times(self) -> dict:
        """The columns and format of the start and end times (``times``, or a duration given by them),
        empty when the export has none."""
        if self.times:
            return dict(self.times)
        if {"start", "end", "format"} <= set(self.duration):
            return {key: self.duration[key] for key in ("start", "end", "format")}
        return {}

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
             "duration", "metadata_columns", "exclusions", "questions", "synthetic", "times", "ignore", "unmapped",
             "missing_codes", "survey_definition", "quasi_identifiers", "weight_column"}


def parse_wave(data: dict, codebook: Codebook, source: str = "wave file") -> Wave:
    """The wave of a wave file's data, checked against the schema and then against the questionnaire."""
    name = str(data.get("wave", ""))
    if not WAVE_NAME.match(name):
        raise ConfigError(
            f"{source}: wave name {name!r} must be letters, digits, '_' or '-' (no path separator, no '..'): "
            "it names folders of the results"
        )
    unknown = sorted(set(data) - WAVE_KEYS, key=str)
    if unknown:
        raise ConfigError(f"{source}: unknown keys {unknown}; a wave file has {sorted(WAVE_KEYS)}")
    for key in ("format", "raw", "respondent_id"):
        if key not in data:
            raise ConfigError(f"{source}: the key {key!r} is missing")
    _check_wave_schema(data, source)
    _check_encoding(data, source)
    _check_fieldwork(data, source)
    questions = []
    for qid, spec in (data.get("questions") or {}).items():
        where = f"{source}: questions.{qid}"
        try:
            question = codebook[qid]
        except KeyError:
            raise ConfigError(f"{where}: {qid!r} is not a question of the questionnaire") from None
        labels = {str(k): tuple(str(x) for x in v) for k, v in (spec.get("options") or {}).items()}
        codes = _codes(spec.get("codes") or {}, where)
        for oid in codes:
            labels.setdefault(oid, ())
        other = spec.get("other_text")
        if other:
            labels.setdefault(other["option"], ())
        unknown = [oid for oid in labels if oid not in question.option_ids]
        if unknown:
            raise ConfigError(f"{where}: options {unknown} are not options of {qid} in the questionnaire")
        if question.kind != "text" and not labels:
            raise ConfigError(f"{where}: a {question.kind} question needs its options mapped")
        if "row" in spec:
            _check_grid_row(spec["row"], question, data["format"], where)
        questions.append(
            WaveQuestion(
                question=question.restricted_to(list(labels)) if question.kind != "text" else question,
                column=str(spec["column"]),
                labels=labels,
                other_text=other,
                codes=codes,
                row=None if spec.get("row") is None else str(spec["row"]),
            )
        )
        check_codes_and_labels(questions[-1], where)
    # keep codebook order so tables come out in the questionnaire's order
    order = {qid: i for i, qid in enumerate(codebook.ids)}
    questions.sort(key=lambda wq: order[wq.question.id])
    _check_grid_rows_once(questions, source)
    wave_ids = {wq.question.id for wq in questions}
    for wq in questions:
        for parent in wq.question.asked_if:
            if parent not in wave_ids:
                raise ConfigError(f"{source}: {wq.question.id} is asked only if {parent}, which this wave lacks")
    wave = Wave(
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
        times=dict(data.get("times") or {}),
        ignore=tuple(data.get("ignore") or ()),
        unmapped=data.get("unmapped", "refuse"),
        missing_codes=tuple(str(c) for c in data.get("missing_codes") or ()),
        survey_definition=str(data.get("survey_definition") or ""),
        quasi_identifiers=tuple(str(q) for q in data.get("quasi_identifiers") or ()),
        weight_column=str(data.get("weight_column") or ""),
    )
    unknown_identifiers = [q for q in wave.quasi_identifiers if q not in wave.question_ids]
    if unknown_identifiers:
        raise ConfigError(
            f"{source}: quasi_identifiers: {unknown_identifiers} are not questions of this wave (its questions: "
            f"{wave.question_ids}); name the question ids whose answers could identify a respondent"
        )
    if wave.survey_definition and wave.format != "qualtrics":
        raise ConfigError(
            f"{source}: survey_definition names a Qualtrics survey definition (.qsf), but this wave's export is "
            f"`format: {wave.format}`: remove it (a SurveyMonkey export writes choice texts; map them under `options:`)"
        )
    _check_columns_named(wave, source)
    if "outside_fieldwork" in wave.exclusions and not (wave.response_times and wave.fieldwork):
        raise ConfigError(
            f"{source}: exclusions.outside_fieldwork compares each response's times with the fieldwork: give "
            "`fieldwork: {start, end}` and the time columns (`times: {start, end, format}`, or a duration by start "
            "and end times)"
        )
    return wave


def _check_grid_row(row: str, question: Question, export_format: str, where: str) -> None:
    """``row:`` maps one row of a SurveyMonkey grid (matrix question: row 1 the grid's text over its
    first column, row 2 one row label per column, each cell the chosen scale label) onto a
    single-choice question; anything else is a ConfigError naming the key."""
    if question.kind != "single":
        raise ConfigError(
            f"{where}.row: {row!r} maps a row of a SurveyMonkey grid (matrix question) onto a single-choice "
            f"question, but {question.id} is a {question.kind} question in the questionnaire: remove `row:` (a "
            "tick-all question is mapped by its option columns under `options:`)"
        )
    if export_format != "surveymonkey":
        raise ConfigError(
            f"{where}.row: `row:` names a row of a SurveyMonkey grid, but this wave's export is `format: "
            f"{export_format}`, which gives each grid row its own column (e.g. Q5_1): name that column under "
            "`column:` and remove `row:`"
        )


def _check_grid_rows_once(questions: list[WaveQuestion], source: str) -> None:
    """Each row of a grid is one question of the questionnaire."""
    seen: dict[tuple[str, str], str] = {}
    for wq in questions:
        if wq.row is None:
            continue
        key = (normalise_label(wq.column), normalise_label(wq.row))
        if key in seen:
            raise ConfigError(
                f"{source}: questions.{seen[key]}.row and questions.{wq.question.id}.row both name the row "
                f"{wq.row!r} of the grid {wq.column!r}; each grid row answers one question: give each its own row"
            )
        seen[key] = wq.question.id


def _codes(raw: dict, where: str) -> dict[str, tuple[str, ...]]:
    """``codes:`` of a question: option id -> its codes as text (``europe: 3`` or ``europe: [3, "03"]``)."""
    return {str(oid): tuple(str(c) for c in (code if isinstance(code, list) else [code])) for oid, code in raw.items()}


def check_codes_and_labels(wq: WaveQuestion, where: str) -> None:
    """A raw text (label or code) stands for one option only: else a cell could not be mapped."""
    seen: dict[str, str] = {}
    for oid in wq.labels:
        for text in wq.accepted(oid):
            key = normalise_label(text)
            if seen.get(key, oid) != oid:
                raise ConfigError(
                    f"{where}: {text!r} stands for both {seen[key]} and {oid} (as a label or a code under "
                    "`options:` / `codes:`); give each option its own labels and codes"
                )
            seen[key] = oid


def columns_named(wave: Wave) -> list[tuple[str, str]]:
    """Every (key, column) of a wave file that names a column of the export outside ``questions``:
    the respondent id, the screens' columns, the durations and times."""
    named = [("respondent_id", wave.respondent_id)]
    rules = wave.exclusions
    for key in ("test_rows", "incomplete"):
        if "column" in (rules.get(key) or {}):
            named.append((f"exclusions.{key}.column", rules[key]["column"]))
    named += [(f"exclusions.duplicates.columns[{i}]", c) for i, c in enumerate((rules.get("duplicates") or {}).get("columns", []))]
    named += [(f"duration.{key}", wave.duration[key]) for key in ("seconds", "start", "end") if key in wave.duration]
    named += [(f"times.{key}", wave.times[key]) for key in ("start", "end") if key in wave.times]
    if wave.weight_column:
        named.append(("weight_column", wave.weight_column))
    return named


def _check_columns_named(wave: Wave, source: str) -> None:
    """Every column a screen or the id names is a metadata column of the wave (the readers check that
    the export has every metadata column, and name the rule when one is missing)."""
    listed = set(wave.metadata_columns)
    for key, column in columns_named(wave):
        if column not in listed:
            raise ConfigError(
                f"{source}: {key} names the column {column!r}, which metadata_columns does not list: add it to "
                f"metadata_columns if the export has it, or remove the rule (an export without that column, "
                "such as a SurveyMonkey export without collector metadata, cannot be screened by it)"
            )


def load_wave(path: str | Path, codebook: Codebook) -> Wave:
    return parse_wave(read_yaml(path), codebook, str(path))


def wave_validator() -> jsonschema.Draft202012Validator:
    """The validator of wave files, read once per process: the Snakefile parses every wave file often."""
    return validator("wave")


def _check_wave_schema(data: dict, source: str) -> None:
    """Refuse the first problem the schema finds, in the order of the file, in one paragraph."""
    check_against_schema(data, wave_validator(), source)


def _check_encoding(data: dict, source: str) -> None:
    """The declared encoding must be one Python decodes text with (not, say, 'utf-9' or 'base64')."""
    encoding = data.get("encoding")
    if encoding is None:
        return
    try:
        b"\0".decode(encoding)  # a codec of bytes to bytes (base64, zlib) is refused here too
    except UnicodeError:
        pass  # a text encoding, in which one zero byte is not a whole character (utf-16)
    except LookupError:
        raise ConfigError(
            f"{source}: encoding: {encoding!r} is not a text encoding Python knows; the usual ones are "
            "'utf-8-sig' (UTF-8, with or without a byte order mark) and 'cp1252' (Windows-1252)"
        ) from None


def _check_fieldwork(data: dict, source: str) -> None:
    """Fieldwork dates must be dates of the calendar, and the fieldwork must not end before it starts."""
    fieldwork = data.get("fieldwork")
    if fieldwork is None:
        return
    days = {}
    for key in ("start", "end"):
        try:
            days[key] = date.fromisoformat(fieldwork[key])
        except ValueError as error:
            raise ConfigError(
                f"{source}: fieldwork.{key}: {fieldwork[key]!r} is not a date of the calendar ({error}); write the "
                "day as YYYY-MM-DD"
            ) from None
    if days["start"] > days["end"]:
        raise ConfigError(
            f"{source}: fieldwork: start {fieldwork['start']!r} is after end {fieldwork['end']!r}; the fieldwork "
            "starts on or before the day it ends"
        )


# The grouped chart of grooming against extortion ages needs these four questions.
AGE_QUESTIONS = ("grooming_ages_seen", "sextortion_ages_seen", "grooming_ages_common", "sextortion_ages_common")


AGES_FIGURE = "ages_grooming_vs_sextortion"


def questions_digest(codebook: Codebook, waves: list[Wave]) -> str:
    """The digest of the questionnaire's questions the waves ask (and those derived from them): what
    a rule of those waves depends on instead of the whole questionnaire file, so that a question
    added for one wave reruns that wave's jobs only."""
    import dataclasses
    import hashlib
    import json

    ids = sorted({q for wave in waves for q in wave.question_ids + [d.id for d in codebook.derived_for(wave)]})
    text = json.dumps([dataclasses.asdict(codebook[q]) for q in ids], sort_keys=True)
    return f"{len(ids)} questions, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}"


def published_questions(wave: Wave) -> list[Question]:
    """Questions with tables and figures: all but free text, which is never published by default."""
    return [wq.question for wq in wave.questions if wq.question.kind != "text"]


def has_age_figure(wave: Wave) -> bool:
    return set(AGE_QUESTIONS) <= {q.id for q in published_questions(wave)}
