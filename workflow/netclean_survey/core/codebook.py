"""The questionnaire (codebook) and the wave files that map raw exports onto it.

Both are plain YAML read by :func:`netclean_survey.yamlfile.read_yaml` (``yaml.safe_load``, with
limits); nothing in config is executed. A wave file is checked against
``workflow/schemas/wave.schema.yaml`` before it is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
import jsonschema
from .errors import ConfigError
from .yamlfile import read_yaml


KINDS = ("single", "multi", "text")


WAVE_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "wave.schema.yaml"  # workflow/schemas/


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
    times: dict = field(default_factory=dict)  # {start, end, format}: when each response started and ended

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
             "duration", "metadata_columns", "exclusions", "questions", "synthetic", "times"}


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
    )
    if "outside_fieldwork" in wave.exclusions and not (wave.response_times and wave.fieldwork):
        raise ConfigError(
            f"{source}: exclusions.outside_fieldwork compares each response's times with the fieldwork: give "
            "`fieldwork: {start, end}` and the time columns (`times: {start, end, format}`, or a duration by start "
            "and end times)"
        )
    return wave


def load_wave(path: str | Path, codebook: Codebook) -> Wave:
    return parse_wave(read_yaml(path), codebook, str(path))


@lru_cache(maxsize=1)
def wave_validator() -> jsonschema.Draft202012Validator:
    """The validator of wave files, read once per process: the Snakefile parses every wave file often."""
    return jsonschema.Draft202012Validator(read_yaml(WAVE_SCHEMA))


def _check_wave_schema(data: dict, source: str) -> None:
    """Refuse the first problem the schema finds, in the order of the file, in one paragraph."""
    check_against_schema(data, wave_validator(), source)


def check_against_schema(data: dict, validator: jsonschema.protocols.Validator, source: str) -> None:
    """ConfigError with the first problem ``validator`` finds in ``data``, in the order of the file,
    in plain words naming the key (wave files, and config/config.yaml from the Snakefile)."""
    errors = list(validator.iter_errors(data))
    if errors:
        first = min(errors, key=lambda error: _position(data, error.absolute_path))
        raise ConfigError(f"{source}: {_schema_problem(first)}")


def _position(data: object, key_path) -> list[int]:
    """Where a key path is in the data, as indexes in file order, so that errors sort as the file reads."""
    position = []
    for key in key_path:
        if isinstance(data, dict):
            position.append(list(data).index(key))
        elif isinstance(data, list):
            position.append(key)
        data = data[key]
    return position


_TYPE_WORDS = {
    "string": "a text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "object": "a mapping (key: value)", "array": "a list", "null": "empty",
}


def _schema_problem(error: jsonschema.ValidationError) -> str:
    """A schema error in plain words: the key path, what is there, and what is expected."""
    where = _key_path(error.absolute_path)
    value, expected = error.instance, error.validator_value
    described = f" (expected: {error.schema['description']})" if "description" in error.schema else ""
    if "propertyNames" in error.relative_schema_path:
        return (
            f"{where or 'top level'}: the key {_shown(value)} is not a text: write it in quotes "
            "(YAML reads yes, no, on and off as true or false)"
        )
    if error.validator == "type":
        words = " or ".join(_TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected))
        hint = ""
        if expected == "string" and isinstance(value, (bool, int, float, date)):
            hint = ": write it in quotes"
        elif expected == "boolean" and isinstance(value, str):
            hint = ": write it without quotes"
        return f"{where}: {_shown(value)} is not {words}{hint}{described}"
    if error.validator == "required":
        missing = next(key for key in expected if key not in value)
        return f"{where + ': ' if where else ''}the key {missing!r} is missing{described}"
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = sorted((key for key in value if key not in known), key=str)
        return f"{where or 'top level'}: unknown keys {unknown}; {where or 'the top level'} has {sorted(known)}"
    if error.validator == "dependentRequired":
        having = next(key for key, needs in expected.items() if key in value and any(n not in value for n in needs))
        needed = next(n for n in expected[having] if n not in value)
        return f"{where}: {having!r} needs {needed!r} too{described}"
    if error.validator == "enum":
        return f"{where}: {_shown(value)} is not one of {', '.join(map(repr, expected))}{described}"
    if error.validator in ("minLength", "maxLength"):
        low, high = error.schema.get("minLength"), error.schema.get("maxLength")
        if low == high:
            size = f"exactly {low} character" + ("s" if low != 1 else "")
        elif error.validator == "minLength":
            size = f"at least {low} character" + ("s" if low != 1 else "")
        else:
            size = f"at most {high} characters"
        got = "empty" if value == "" else f"{len(value)} characters long"
        return f"{where}: {_shown(value)} is {got}; it must be {size}{described}"
    if error.validator == "exclusiveMinimum":
        return f"{where}: {_shown(value)} must be greater than {expected}{described}"
    if error.validator == "minimum":
        return f"{where}: {_shown(value)} must be at least {expected}{described}"
    if error.validator == "maximum":
        return f"{where}: {_shown(value)} must be at most {expected}{described}"
    if error.validator == "exclusiveMaximum":
        return f"{where}: {_shown(value)} must be less than {expected}{described}"
    if error.validator == "minItems":
        return f"{where}: the list is empty; it needs at least {expected} item{'s' if expected != 1 else ''}{described}"
    if error.validator == "minProperties":
        return f"{where}: the mapping is empty{described}"
    if error.validator == "maxProperties":
        return f"{where}: too many keys, {sorted(value, key=str)}{described}"
    if error.validator == "pattern":
        return f"{where}: {_shown(value)} is not of the expected form{described}"
    return f"{where or 'top level'}: {' '.join(error.message.split())}{described}"


def _key_path(key_path) -> str:
    """A key path as the messages write it: ``questions.country.options.sweden[0]``."""
    text = ""
    for key in key_path:
        if isinstance(key, int) and not isinstance(key, bool):
            text += f"[{key}]"  # an item of a list
        else:
            text += f".{key}" if text else str(key)
    return text


def _shown(value: object, limit: int = 80) -> str:
    """A value as a message shows it: short, and an empty value said in words."""
    if value is None:
        return "an empty value"
    text = value.isoformat() if isinstance(value, date) else repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 4] + " ..."


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


def published_questions(wave: Wave) -> list[Question]:
    """Questions with tables and figures: all but free text, which is never published by default."""
    return [wq.question for wq in wave.questions if wq.question.kind != "text"]


def has_age_figure(wave: Wave) -> bool:
    return set(AGE_QUESTIONS) <= {q.id for q in published_questions(wave)}
