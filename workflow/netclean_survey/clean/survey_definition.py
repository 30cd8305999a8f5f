"""Codes from a Qualtrics survey definition (``.qsf``), named in the wave file by
``survey_definition:``.

A ``.qsf`` (Qualtrics: Tools > Import/Export > Export Survey) is JSON: ``SurveyElements`` holds one
element ``"Element": "SQ"`` per question, whose ``Payload`` has the question's column id
(``DataExportTag``, ``Q3``), its ``QuestionType`` (``MC`` multiple choice, ``Matrix``), its
``Choices`` (``{"1": {"Display": "Europe"}, ...}``; for a matrix, the rows) and, for a matrix, its
``Answers`` (the scale points), and ``RecodeValues`` (choice or answer id -> the value a "numeric
values" export writes; without it the value is the choice id). A matrix row has its own column,
``Q7_1`` by the row's choice id, or the row's ``ChoiceDataExportTags`` entry when the survey names
its rows.

With the definition, a wave file maps options by label only: each choice's display text (HTML tags
removed) is matched to the option whose labels hold it, and the option gets the choice's recoded
value as its code and the choice id as its split-column choice (``Q3_2`` is choice 2 whatever its
recoded value). Codes a wave file gives itself must agree. No maintained Python library reads
``.qsf`` files (QualtricsTools and qsf-differ are R and Go tools); the format is plain JSON.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

from ..core.codebook import Wave, check_codes_and_labels, normalise_label
from ..core.errors import ConfigError

_TAG = re.compile(r"<[^>]+>")


def choice_text(display: str) -> str:
    """A choice's display text as an export writes it: HTML tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", str(display)))


def read_survey_definition(path: str | Path, where: str) -> list[dict]:
    """The question payloads of a ``.qsf`` file; a file that is not one is a ConfigError naming it
    and ``where`` it is named (``wave.yaml: survey_definition``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: {path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{where}: {path} is not a Qualtrics survey definition (.qsf is JSON; {error}): "
            "export it from Qualtrics with Tools > Import/Export > Export Survey"
        ) from None
    elements = data.get("SurveyElements") if isinstance(data, dict) else None
    if not isinstance(elements, list):
        raise ConfigError(f"{where}: {path} has no SurveyElements: not a Qualtrics .qsf file")
    return [e["Payload"] for e in elements if isinstance(e, dict) and e.get("Element") == "SQ" and isinstance(e.get("Payload"), dict)]


MULTI_SELECTORS = {"MAVR", "MAHR", "MACOL", "MSB"}  # multiple answers: vertical, horizontal, columns, select box


def question_of(column: str, payloads: list[dict]) -> tuple[dict, dict, dict] | None:
    """The question payload a column is, its choices (id -> {"Display": ...}) and recoded values:
    a multiple-choice question by its DataExportTag, or one row of a matrix (``Q7_1``, or the row's
    ChoiceDataExportTags entry), whose choices are the matrix's answers; None if no question is."""
    for payload in payloads:
        tag = str(payload.get("DataExportTag", ""))
        recode = {str(k): str(v) for k, v in (payload.get("RecodeValues") or {}).items()}
        if payload.get("QuestionType") == "Matrix":
            row_tags = payload.get("ChoiceDataExportTags") or {}
            rows = {f"{tag}_{cid}" for cid in payload.get("Choices") or {}} | {str(t) for t in row_tags.values()}
            if column in rows:
                return payload, payload.get("Answers") or {}, recode
        elif tag == column:
            return payload, payload.get("Choices") or {}, recode
    return None


def display_of(choice) -> str:
    return choice_text(choice.get("Display", "") if isinstance(choice, dict) else choice)


def is_multiple_answer(payload: dict) -> bool:
    return payload.get("QuestionType") == "MC" and payload.get("Selector") in MULTI_SELECTORS


def with_survey_definition(wave: Wave) -> Wave:
    """The wave with every question's codes and choice ids from its ``survey_definition``
    (module docstring); the wave itself when it names none."""
    if not wave.survey_definition:
        return wave
    payloads = read_survey_definition(wave.survey_definition, f"{wave.path}: survey_definition")
    questions = []
    for wq in wave.questions:
        if wq.question.kind == "text":
            questions.append(wq)
            continue
        where = f"{wave.path}: questions.{wq.question.id}"
        found = question_of(wq.column, payloads)
        if found is None:
            tags = sorted({str(p.get("DataExportTag")) for p in payloads if p.get("DataExportTag")})
            raise ConfigError(
                f"{where}: column {wq.column!r} is no question of the survey definition {wave.survey_definition} (its "
                f"questions are {tags[:12]}{' ...' if len(tags) > 12 else ''}; a matrix row is <tag>_<row id>): "
                "correct `column:`, or check that the .qsf is this survey's"
            )
        _, choices, recode = found
        by_label = {normalise_label(label): oid for oid, labels in wq.labels.items() for label in labels}
        codes: dict[str, tuple[str, ...]] = {}
        choice_ids: dict[str, str] = {}
        for cid, choice in choices.items():
            oid = by_label.get(normalise_label(display_of(choice)))
            if oid is None:
                continue  # a choice the wave file does not map: its cells are named by the reader
            code = recode.get(str(cid), str(cid))
            given = wq.codes.get(oid)
            if given and code not in given:
                raise ConfigError(
                    f"{where}.codes.{oid}: {list(given)} in the wave file, but the survey definition "
                    f"{wave.survey_definition} gives its choice {display_of(choice)!r} the value "
                    f"{code}: remove `codes:` (the definition gives them) or correct them"
                )
            codes[oid] = given or (code,)
            choice_ids[oid] = str(cid)
        merged = replace(wq, codes={**wq.codes, **codes}, choice_ids=choice_ids)
        check_codes_and_labels(merged, where)
        questions.append(merged)
    return replace(wave, questions=tuple(questions))
