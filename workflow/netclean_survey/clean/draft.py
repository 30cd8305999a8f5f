"""A draft wave file from an export: ``python -m netclean_survey draft-wave EXPORT --wave NAME``.

Reads the export's header and cells (any layout :mod:`.sniff` knows and the readers read), places
each column on the questionnaire, and writes the wave file a statistician would otherwise type by
hand, every placement commented with how it was made:

1. with ``--like`` (an earlier wave's file): the same column (SurveyMonkey: question text and
   option; Qualtrics: column id) is the same question, and its labels, codes, exclusions and
   durations are taken over;
2. else by question text: the column's question text is a question's English or Swedish text
   (after :func:`..core.codebook.normalise_label`);
3. options by the earlier wave's labels, then by the questionnaire's option texts.

A question the questionnaire lacks gets a drafted entry for ``config/questionnaire.yaml`` (kind
from the layout, options from the labels, marked as drafted); what cannot be placed (a label no
option has, a free-text column) is listed, and free text is ignored (never published by default).
No maintained library drafts survey codebooks from exports; the matching here is plain
normalised-text equality, on purpose: a guess by similarity would map an answer to the wrong option.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..core.codebook import Codebook, Wave, normalise_label
from .grid import read_grid
from .screen import RESAVED_TIME_FORMATS
from .sniff import layout_of, sniff_export
from .survey_definition import display_of, is_multiple_answer, question_of, read_survey_definition
from .surveymonkey import SURVEYMONKEY_SINGLE, SURVEYMONKEY_TEXT
from .workbook_export import workbook_head

SURVEYMONKEY_METADATA = ("Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
                         "First Name", "Last Name", "Custom Data 1")
ID_COLUMNS = ("Respondent ID", "ResponseId", "ResponseID", "V1")
TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p",) + RESAVED_TIME_FORMATS
ISO_TIME = "%Y-%m-%d %H:%M:%S"  # Qualtrics' StartDate and EndDate
MAX_SINGLE_LABELS = 60  # more distinct answers than this in one column: free text, not a choice
TEXT_BOX = re.compile(r"^(?P<question>.+)_(?P<choice>[^_]+)_TEXT$", re.IGNORECASE)  # Qualtrics: Q3_5_TEXT


@dataclass
class DraftQuestion:
    """One question of the export as drafted: where it is, what it was placed on, and how."""

    column: str  # the wave file's `column:`
    text: str  # the question text the export writes
    kind: str  # single, multi or text
    labels: list[str]  # the option labels the export holds (multi: one per option column)
    question_id: str | None = None
    how: str = ""
    options: dict[str, list[str]] = field(default_factory=dict)  # option id -> labels
    codes: dict[str, list] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)  # labels no option has
    drafted: bool = False  # a new question for the questionnaire
    guessed: bool = False  # placed by its option labels alone: to check
    extra: dict = field(default_factory=dict)  # other keys taken over from --like (other_text, row)


@dataclass
class Draft:
    wave_yaml: str
    questionnaire_yaml: str  # drafted entries to append under `questions:` ("" if none)
    report: list[str]


def slug(text: str, taken: set[str]) -> str:
    """An id from a text: ASCII letters, digits and underscores, at most 40 characters, unique."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_") or "item"
    base = base if base[0].isalpha() else f"q_{base}"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def _provisional_wave(export: Path, name: str, sniffed_format: str, encoding: str, delimiter: str) -> Wave:
    return Wave(name=name, path="(draft)", format=sniffed_format, raw=str(export), encoding=encoding,
                delimiter=delimiter, decimal=".", respondent_id="", duration={}, metadata_columns=(), exclusions={},
                questions=(), title={}, fieldwork={})


def _delimiter(export: Path) -> str:
    first = export.read_bytes()[:65536].split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return max((",", ";", "\t"), key=first.count)


def draft_wave(export: str | Path, name: str, codebook: Codebook, like: Wave | None = None,
               survey_definition: str | Path | None = None) -> Draft:
    """The draft wave file (YAML text with comments), the drafted questionnaire entries and the
    report of what was placed, guessed and not placed. With a Qualtrics ``survey_definition``
    (.qsf), each question's kind and choice texts come from it, not from the cells (a numeric
    export's cells hold codes), and the wave file names it."""
    export = Path(export)
    sniffed = sniff_export(export)
    if sniffed.kind not in ("text", "xlsx", "spss") or sniffed.layout is None and sniffed.kind == "text":
        raise ValueError(f"{export}: {sniffed.description}, not an export draft-wave reads; {sniffed.advice}")
    if sniffed.kind == "xlsx":  # the header rows of its first worksheet, as check_layout reads them
        sniffed = replace(sniffed, layout=layout_of(workbook_head(export)))
    platform = (sniffed.layout or ("qualtrics" if sniffed.kind == "spss" else "surveymonkey")).split("-")[0]
    encoding = {"utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(sniffed.encoding or "", "utf-8-sig")
    delimiter = "\t" if encoding == "utf-16" else _delimiter(export) if sniffed.kind == "text" else ","
    grid = read_grid(export, _provisional_wave(export, name, platform, encoding, delimiter))
    if platform == "surveymonkey":
        metadata, questions, data = _surveymonkey_columns(grid)
    else:
        metadata, questions, data = _qualtrics_columns(grid)
    report: list[str] = []
    if survey_definition is not None:
        if platform != "qualtrics":
            raise ValueError(f"{export}: a {platform} export; --survey-definition names a Qualtrics .qsf")
        _choices_from_definition(questions, read_survey_definition(survey_definition, "--survey-definition"), report)
    taken = set(codebook.ids) | {q.id for q in codebook.derived}
    matches = {id(dq): _match(dq, codebook, like) for dq in questions}
    placed = {question.id for question, _ in matches.values() if question is not None}
    for dq in questions:
        if matches[id(dq)][0] is None and (guess := _guess_by_labels(dq, codebook, like, placed)):
            matches[id(dq)] = guess
            placed.add(guess[0].id)
    for dq in questions:
        _place(dq, *matches[id(dq)], taken, report)
    wave_yaml = _wave_yaml(export, name, platform, encoding, delimiter, metadata, questions, data, like, report,
                           survey_definition)
    questionnaire_yaml = _questionnaire_yaml(export, [dq for dq in questions if dq.drafted])
    return Draft(wave_yaml, questionnaire_yaml, report)


def _surveymonkey_columns(grid: pd.DataFrame) -> tuple[list[str], list[DraftQuestion], pd.DataFrame]:
    questions_row, options_row = grid.iloc[0].tolist(), grid.iloc[1].tolist()
    data = grid.iloc[2:]
    metadata, groups, current = [], [], None  # groups: (question text, [(column index, sub-header)])
    for i, (text, sub) in enumerate(zip(questions_row, options_row)):
        if text and not sub and (text in SURVEYMONKEY_METADATA or current is None):
            metadata.append(text)
            current = None
            continue
        if text:
            current = (text, [])
            groups.append(current)
        current[1].append((i, sub))
    return metadata, [dq for text, columns in groups for dq in _surveymonkey_question(text, columns, data)], data


def _surveymonkey_question(text: str, columns: list[tuple[int, str]], data: pd.DataFrame) -> list[DraftQuestion]:
    """The question(s) of one SurveyMonkey question's columns, by their sub-headers and cells:
    "Open-Ended Response" free text; "Response" a condensed single choice; columns holding their own
    sub-header (or blank) one per option, a tick all if a row fills two of them, else a single choice
    written expanded; columns holding other texts a grid (each column one row, a single choice of
    its own) or, beside option columns or "Response", an "Other (please specify)" box."""
    subs = [normalise_label(sub) for _, sub in columns]
    if subs == [normalise_label(SURVEYMONKEY_TEXT)]:
        return [DraftQuestion(column=text, text=text, kind="text", labels=[])]

    def holds_its_header(i: int, sub: str) -> bool:
        return {normalise_label(c) for c in data[i] if c.strip()} <= {normalise_label(sub)}

    response = [i for i, sub in columns if normalise_label(sub) == normalise_label(SURVEYMONKEY_SINGLE)]
    if response:
        labels = _distinct(data[response[0]])
        dq = DraftQuestion(column=text, text=text, kind="text" if len(labels) > MAX_SINGLE_LABELS else "single",
                           labels=labels)
        boxes = [sub for i, sub in columns if i != response[0]]
    else:
        options = [(i, sub) for i, sub in columns if holds_its_header(i, sub)]
        boxes = [sub for i, sub in columns if not holds_its_header(i, sub)]
        if not options:  # a grid: each column a row, its cells the scale's labels
            return [DraftQuestion(column=text, text=f"{text} - {sub}", kind="single", labels=_distinct(data[i]),
                                  extra={"row": sub}) for i, sub in columns]
        filled = sum((data[i].str.strip() != "").astype(int) for i, _ in options)
        kind = "multi" if (filled > 1).any() else "single"
        dq = DraftQuestion(column=text, text=text, kind=kind, labels=[sub for _, sub in options],
                           extra={"_from_header": True, "_expanded": kind == "single"})
    if boxes:
        dq.extra["_boxes"] = [(sub, None, sub) for sub in boxes]  # (column, choice, text), as a Qualtrics box
    return [dq]


def _qualtrics_columns(grid: pd.DataFrame) -> tuple[list[str], list[DraftQuestion], pd.DataFrame]:
    from .qualtrics import SPLIT_NAME, choice_key, header_of  # the header layouts, as the reader reads them

    header = header_of(grid, "(export)", _provisional_wave(Path("(export)"), "draft", "qualtrics", "utf-8", ","))
    data = header.data
    metadata, found, by_column = [], [], {}
    for i, (name, text, import_id) in enumerate(zip(header.ids, header.texts, header.import_ids)):
        qid = str(import_id.get("ImportId", ""))
        # an SPSS file's grid writes the variable name as its ImportId (spss_export)
        is_question = qid.startswith("QID") or ((not import_id or qid == name) and re.match(r"^Q\d", name))
        if not name:
            continue
        if not is_question:
            metadata.append(name)
            continue
        if (box := TEXT_BOX.match(name)) and box["question"] in by_column:
            choice_text = re.sub(r"\s*-\s*Text$", "", text, flags=re.IGNORECASE).rsplit(" - ", 1)[-1]
            by_column[box["question"]].extra.setdefault("_boxes", []).append((name, box["choice"], choice_text))
            continue  # a text box of a choice: placed with other_text once the choices are placed
        split = SPLIT_NAME.match(name)
        if split and (split["question"] not in header.ids) and ("choiceId" in import_id or "-" in qid or "_" in qid[3:]
                                                                 or not import_id or qid == name):
            parent = split["question"]
            if parent not in by_column:
                by_column[parent] = DraftQuestion(column=parent, text=text, kind="multi", labels=[],
                                                  extra={"_from_header": True, "_split": []})
                found.append(by_column[parent])
            by_column[parent].extra["_split"].append((text, choice_key(name, import_id), i, name))
            continue
        labels = _distinct(data[i])
        kind = "text" if len(labels) > MAX_SINGLE_LABELS or name.upper().endswith("_TEXT") else "single"
        by_column[name] = DraftQuestion(column=name, text=text, kind=kind, labels=labels)
        found.append(by_column[name])
    questions = []
    for dq in found:
        if "_split" not in dq.extra:
            questions.append(dq)
            continue
        columns = dq.extra.pop("_split")
        dq.text, dq.labels, choices = _split_choice_texts([(text, choice) for text, choice, _, _ in columns])
        if any(_matrix_cells(data[i], label) for (_, _, i, _), label in zip(columns, dq.labels)):
            # a matrix: each row's column a single choice of its own, its cells the scale's labels
            for text, _, i, name in columns:
                labels = _distinct(data[i])
                questions.append(DraftQuestion(column=name, text=text, kind="single", labels=labels))
            continue
        dq.extra["_choice_ids"] = dict(zip(dq.labels, choices))
        questions.append(dq)
    return metadata, questions, data


def _matrix_cells(cells: pd.Series, choice: str) -> bool:
    """Whether a Q7_1-like column holds answers of a matrix row (scale labels or codes other than a
    tick) rather than a tick of a split tick all (1, 0, or the choice's own text)."""
    ticks = {"", "0", "1", normalise_label(choice)}
    return bool({normalise_label(c) for c in cells.unique()} - ticks)


def _split_choice_texts(columns: list[tuple[str, str]]) -> tuple[str, list[str], list[str]]:
    """The question text and the choice texts of split tick-all columns from their row-2 texts:
    "Where? - Europe" (current), or "Where?-Europe" (legacy: the texts' common part up to its last
    "-"); the choice ids stand in for texts neither gives."""
    texts, choices = [t for t, _ in columns], [c for _, c in columns]
    if all(" - " in t for t in texts):
        return texts[0].rsplit(" - ", 1)[0], [t.rsplit(" - ", 1)[1] for t in texts], choices
    prefix = os.path.commonprefix(texts) if len(texts) > 1 else ""
    prefix = prefix[: prefix.rfind("-") + 1]
    if prefix and all(t[len(prefix):].strip() for t in texts):
        return prefix.rstrip("- "), [t[len(prefix):].strip() for t in texts], choices
    return texts[0], list(choices), choices


def _choices_from_definition(questions: list[DraftQuestion], payloads: list[dict], report: list[str]) -> None:
    """Each question's kind and choice texts (in the survey's order) from its .qsf payload."""
    for dq in questions:
        found = question_of(dq.column, payloads)
        if found is None:
            if dq.kind != "text":
                report.append(f"not in the survey definition: {dq.column!r}: its labels are its cells")
            continue
        payload, choices, _ = found
        order = payload.get("AnswerOrder" if payload.get("QuestionType") == "Matrix" else "ChoiceOrder") or list(choices)
        dq.labels = [display_of(choices[str(c)]) for c in order if str(c) in choices]
        dq.extra["_choice_texts"] = {str(c): display_of(choice) for c, choice in choices.items()}
        dq.extra.pop("_choice_ids", None)  # the definition gives the codes and choice ids
        if dq.kind != "text":
            dq.kind = "multi" if is_multiple_answer(payload) else "single"
            dq.extra["_from_header"] = True  # the definition lists the choices offered


def _distinct(cells: pd.Series) -> list[str]:
    return sorted({c.strip() for c in cells if c.strip()}, key=lambda c: (normalise_label(c), c))


def _match(dq: DraftQuestion, codebook: Codebook, like: Wave | None):
    """The question a column is (module docstring, 1-2) and the earlier wave's mapping of it, or
    (None, None)."""
    row = normalise_label(dq.extra.get("row") or "")
    earlier = next((wq for wq in (like.questions if like else ())
                    if normalise_label(wq.column) == normalise_label(dq.column) and normalise_label(wq.row or "") == row), None)
    if earlier is not None:
        dq.how = f"the same column as {earlier.question.id} in {like.path}"
        return earlier.question, earlier
    texts = {normalise_label(dq.text)}
    question = next((q for q in codebook.questions if texts & {normalise_label(t) for t in q.text.values()}), None)
    dq.how = "its question text" if question else ""
    return question, None


def _guess_by_labels(dq: DraftQuestion, codebook: Codebook, like: Wave | None, placed: set[str]):
    """A column whose question text is new (a reworded question) but whose every label (at least two)
    is an option label of one question of the same kind not placed otherwise: that question, as a
    guess to check. Equality of normalised labels only, never similarity (module docstring)."""
    labels = {normalise_label(label) for label in dq.labels}
    if dq.kind not in ("single", "multi") or len(labels) < 2:
        return None
    earlier_of = {wq.question.id: wq for wq in (like.questions if like else ())}
    candidates = []
    for question in codebook.questions:
        if question.kind != dq.kind or question.id in placed:
            continue
        earlier = earlier_of.get(question.id)
        known = {normalise_label(t) for o in question.options for t in (o.en, o.sv)}
        known |= {normalise_label(str(t)) for oid in question.option_ids for t in (earlier.accepted(oid) if earlier else ())}
        if labels <= known:
            candidates.append((question, earlier))
    if len(candidates) != 1:
        return None
    question, earlier = candidates[0]
    source = f"{question.id}'s in {like.path}" if earlier is not None else f"an option text of {question.id}"
    dq.how = f"its option labels (each is {source}; the question text differs)"
    dq.guessed = True
    return candidates[0]


def _place(dq: DraftQuestion, question, earlier, taken: set[str], report: list[str]) -> None:
    """Place a column on its question (or draft one) and its labels on options (module docstring, 3)."""
    if earlier is not None:
        dq.kind = question.kind
        if earlier.other_text:
            dq.extra["other_text"] = dict(earlier.other_text)
        if earlier.codes:
            dq.codes = {oid: list(codes) for oid, codes in earlier.codes.items()}
    if question is None:
        if dq.kind == "text":
            report.append(f"not placed: free-text column {dq.column!r} ({dq.text!r}): ignored (free text is never "
                          "published; map it to a text question of the questionnaire to keep it for coding)")
            return
        dq.question_id, dq.drafted = slug(dq.text, taken), True
        option_taken: set[str] = set()
        dq.options = {slug(label, option_taken): [label] for label in dq.labels}
        report.append(f"drafted: {dq.question_id} ({dq.kind}, {len(dq.options)} options) from column {dq.column!r}: "
                      "a new question for the questionnaire, check its text, base and kind"
                      + ("; a single choice written expanded, one column per option (no row fills two of them): "
                         "CHECK that it is not a tick all" if dq.extra.get("_expanded") else ""))
        _codes_from_choice_ids(dq)
        _place_boxes(dq, report, None, option_taken)
        return
    dq.question_id = question.id
    if question.kind == "text":
        report.append(f"placed: {dq.column!r} on {question.id} (free text) by {dq.how}")
        return
    if question.kind == "multi" and dq.kind == "single" and not dq.extra.get("_from_header"):
        dq.kind = "multi"  # a Qualtrics tick-all joined in one cell: its pieces
        dq.labels = _joined_pieces(dq.labels, question, earlier)
    dq.kind = question.kind
    earlier_labels = {normalise_label(label): oid for oid, labels in (earlier.labels if earlier else {}).items()
                      for label in labels}
    earlier_labels |= {normalise_label(c): oid for oid, codes in dq.codes.items() for c in codes}
    option_texts = {normalise_label(t): o.id for o in question.options for t in (o.en, o.sv)}
    box = normalise_label(dq.extra["other_text"]["column"]) if "other_text" in dq.extra else None
    for label in dq.labels:
        key = normalise_label(label)
        if key == box:
            continue  # the "Other (please specify)" box, mapped by other_text
        oid = earlier_labels.get(key) or option_texts.get(key)
        if oid is None:
            dq.unplaced.append(label)
        elif key not in {normalise_label(c) for codes in dq.codes.values() for c in codes}:
            dq.options.setdefault(oid, []).append(label)
    not_offered = []
    if earlier is not None:
        for oid, labels in earlier.labels.items():
            if oid in dq.options or not (labels or oid in dq.codes):
                continue
            if dq.extra.get("_from_header"):
                not_offered.append(oid)  # one column per option and none for this one: the wave did not offer it
            else:
                dq.options[oid] = list(labels)  # a choice nobody took may still have been offered: kept
    report.append(("guessed: " if dq.guessed else "placed: ")
                  + f"{dq.column!r} on {question.id} by {dq.how}; {len(dq.options)} options"
                  + (f"; not offered (no column): {not_offered}" if not_offered else "")
                  + (f"; labels no option has: {dq.unplaced}" if dq.unplaced else ""))
    _codes_from_choice_ids(dq)
    _place_boxes(dq, report, question)


def _codes_from_choice_ids(dq: DraftQuestion) -> None:
    """Split tick-all columns: each option's code is its column's choice id, so that the reader
    places a column by it where its row-2 text does not (a legacy export's "Where?-Europe")."""
    choice_ids = dq.extra.get("_choice_ids", {})
    if dq.codes or not choice_ids:
        return
    for oid, labels in dq.options.items():
        found = [choice_ids[label] for label in labels if label in choice_ids]
        if found:
            dq.codes[oid] = found[:1]


def _place_boxes(dq: DraftQuestion, report: list[str], question, option_taken: set[str] | None = None) -> None:
    """A choice's text box as the question's ``other_text``: a Qualtrics ``Q3_5_TEXT`` on the option
    whose label is the box's choice text (row 2, or the survey definition); a SurveyMonkey "Other
    (please specify)" box on the questionnaire's option ``other`` or, for a drafted question, on a
    drafted option of its own. Else ignored, said."""
    for name, choice, text in dq.extra.pop("_boxes", []):
        if dq.extra.get("other_text", {}).get("column") == name:
            continue  # taken over from --like
        by_choice = {c: label for label, c in dq.extra.get("_choice_ids", {}).items()}
        texts = {normalise_label(t) for t in (dq.extra.get("_choice_texts", {}).get(choice), by_choice.get(choice), text) if t}
        oid = next((o for o, labels in dq.options.items() if texts & {normalise_label(label) for label in labels}), None)
        if oid is None and choice is None and "other_text" not in dq.extra:  # a SurveyMonkey box: no choice of its own
            if question is not None and "other" in question.option_ids:
                oid = "other"
            elif question is None:
                oid = slug(text, option_taken)
                dq.extra.setdefault("_option_texts", {})[oid] = text
            if oid is not None:
                dq.options.setdefault(oid, [])
        if oid is not None and "other_text" not in dq.extra:
            dq.extra["other_text"] = {"option": oid, "column": name}
            report.append(f"placed: text box {name!r} as the free text of {dq.question_id}.{oid} (other_text; never published)")
        else:
            ignored = f"{dq.column} / {name}" if choice is None else name  # a SurveyMonkey column: "question / option"
            dq.extra.setdefault("_ignored", []).append(ignored)
            report.append(f"not placed: text box {name!r} of {dq.column!r}: ignored (map it with `other_text:` to keep it)")


def _joined_pieces(cells: list[str], question, earlier) -> list[str]:
    """The choice texts of joined tick-all cells ("Europe,Asia"), split as the reader splits them (by
    the longest known label: the earlier wave's, or the questionnaire's option texts); pieces no
    label matches are kept whole, to be listed as not placed."""
    from ..core.codebook import WaveQuestion
    from .qualtrics import split_choices

    labels = {o.id: (o.en, o.sv) + (earlier.accepted(o.id) if earlier else ()) for o in question.options}
    probe = WaveQuestion(question=question, column="", labels=labels)
    pieces: dict[str, str] = {}
    for cell in cells:
        ticked, unknown = split_choices(cell, probe)
        for piece in list(ticked.values()) + unknown:
            original = next((t for oid in labels for t in labels[oid] if normalise_label(t) == piece), piece)
            pieces.setdefault(piece, original)
    return sorted(pieces.values(), key=normalise_label)


def _quoted(value) -> str:
    """A YAML scalar or flow collection (JSON is YAML): quoted, whatever the text holds."""
    return json.dumps(value, ensure_ascii=False)


YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _key(name: str) -> str:
    """A mapping key, quoted where YAML would read it as something else (yes, no, on, off, ...)."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name not in YAML_WORDS else _quoted(name)


def _time_format(cells: pd.Series, candidates: tuple[str, ...] = TIME_FORMATS) -> str | None:
    values = pd.Series([c for c in cells if c.strip()][:200])
    for candidate in candidates:
        if len(values) and pd.to_datetime(values, format=candidate, errors="coerce").notna().all():
            return candidate
    return None


def _fieldwork(spec: dict, metadata: list[str], data: pd.DataFrame, report: list[str]) -> list[str]:
    """The `fieldwork:` line: from the first start to the last end time of the export's rows (test
    and preview rows included), to check against the survey's own dates; none where a time column
    is missing or a cell does not read in the format."""
    if not spec or not {spec["start"], spec["end"]} <= set(metadata):
        report.append("not set: fieldwork (the export has no start and end times the draft can read); add "
                      "`fieldwork: {start: YYYY-MM-DD, end: YYYY-MM-DD}` for the outside-fieldwork check")
        return []
    dates = {}
    for key, pick in (("start", min), ("end", max)):
        cells = data.iloc[:, metadata.index(spec[key])]
        parsed = pd.to_datetime(cells[cells.str.strip() != ""], format=spec["format"], errors="coerce")
        if parsed.empty or parsed.isna().any():
            report.append(f"not set: fieldwork (column {spec[key]!r} holds times not in the format {spec['format']!r})")
            return []
        dates[key] = pick(parsed).date().isoformat()
    report.append(f"guessed: fieldwork {dates['start']} to {dates['end']}, the first and last response times of the export")
    return [f"fieldwork: {{start: {_quoted(dates['start'])}, end: {_quoted(dates['end'])}}}"
            "   # CHECK: the export's first and last response dates; the survey's own fieldwork dates may be wider"]


def _wave_yaml(export, name, platform, encoding, delimiter, metadata, questions, data, like, report,
               survey_definition=None) -> str:
    lines = [
        f"# Wave file DRAFTED by `python -m netclean_survey draft-wave {export} --wave {name}"
        + (f" --like {like.path}`" if like else "`"),
        "# from the export's header and cells: check every line marked CHECK, then run the dry run (README,",
        "# \"A new wave\"). Labels are matched after Unicode NFC, case folding and whitespace collapsing.",
        f"wave: {_quoted(name)}",
        f"title: {{sv: {_quoted(name)}, en: {_quoted(name)}}}   # CHECK: the wave's title in Swedish and English",
        f"raw: {_quoted(str(export))}",
        f"format: {platform}",
        f"encoding: {encoding}",
        f"delimiter: {_quoted(delimiter)}",
        'decimal: "."',
    ]
    respondent_id = next((c for c in ID_COLUMNS if c in metadata), metadata[0] if metadata else "")
    lines.append(f"respondent_id: {_quoted(respondent_id)}")
    names = _like_metadata(like, metadata) if like is not None else None
    if names is not None:
        renamed = {old: new for old, new in names.items() if old != new}
        if renamed:
            report.append(f"renamed: the metadata columns of {like.path} as this export names them: {renamed}")
        lines.append(f"duration: {_quoted(_renamed(like.duration, names))}   # as in {like.path}")
        if like.times:
            lines.append(f"times: {_quoted(_renamed(like.times, names))}   # as in {like.path}")
        lines += _fieldwork(_renamed(like.response_times, names), metadata, data, report)
        lines.append(f"metadata_columns: {_quoted(list(metadata))}")
        lines.append(f"exclusions: {_quoted(_renamed(like.exclusions, names))}   # as in {like.path}: CHECK the test "
                     "collector or status")
        if like.survey_definition and survey_definition is None:
            lines.append(f"survey_definition: {_quoted(like.survey_definition)}   # as in {like.path}: CHECK: this wave's .qsf")
    else:
        lines += _guessed_screens(platform, metadata, data, report)
    if survey_definition is not None:
        lines.append(f"survey_definition: {_quoted(str(survey_definition))}   # options by label, codes from the definition")
    ignored = [dq.column for dq in questions if dq.question_id is None]
    ignored += [name for dq in questions for name in dq.extra.get("_ignored", [])]
    lines.append("# Columns not analysed (free text, not placed): counted in the cleaning log, never published.")
    lines.append(f"ignore: {_quoted(ignored)}")
    lines.append("questions:")
    for dq in questions:
        if dq.question_id is None:
            continue
        comment = ("DRAFTED: a new question (see the drafted questionnaire entries)" if dq.drafted
                   else f"CHECK: guessed by {dq.how}" if dq.guessed else f"placed by {dq.how}")
        lines.append(f"  {_key(dq.question_id)}:   # {comment}")
        lines.append(f"    column: {_quoted(dq.column)}")
        for key, value in dq.extra.items():
            if not key.startswith("_"):
                lines.append(f"    {key}: {_quoted(value)}")
        if dq.kind == "text":
            continue
        if dq.codes:
            lines.append("    codes:")
            lines += [f"      {_key(oid)}: {_quoted(codes)}" for oid, codes in dq.codes.items()]
        lines.append("    options:")
        lines += [f"      {_key(oid)}: {_quoted(labels)}" for oid, labels in dq.options.items()]
        for label in dq.unplaced:
            lines.append(f"      # CHECK, not placed: {_quoted(label)} (add it to an option's labels)")
    return "\n".join(lines) + "\n"


def _spss_name(name: str) -> str:
    return re.sub(r"\W", "_", name)  # how Qualtrics names a column in its SPSS file: "Duration (in seconds)" -> Duration__in_seconds_


def _like_metadata(like: Wave, metadata: list[str]) -> dict[str, str] | None:
    """Each metadata column of the --like wave file by the name this export gives it (the same, or
    its SPSS variable name), or None if the export lacks one (then the screens are guessed)."""
    by_spss = {_spss_name(m): m for m in metadata}
    names = {}
    for column in like.metadata_columns:
        found = column if column in metadata else by_spss.get(_spss_name(column))
        if found is None:
            return None
        names[column] = found
    return names


def _renamed(value, names: dict[str, str]):
    """A screen or duration setting with its column names renamed (texts equal to a name only)."""
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_renamed(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def _guessed_screens(platform, metadata, data, report) -> list[str]:
    """Durations, times and exclusions the platform's metadata columns allow, each marked CHECK
    (a legacy Qualtrics export names them V6 IPAddress, V7 Status, V8/V9 start and end, V10 Finished)."""
    lines = []
    columns = {normalise_label(m): m for m in metadata}

    def named(*names):
        return next((columns[n] for n in names if n in columns), None)

    start, end = named("start date", "startdate", "v8"), named("end date", "enddate", "v9")
    index = {m: i for i, m in enumerate(metadata)}
    seconds = named("duration (in seconds)", "duration__in_seconds_")
    time_format = _time_format(data.iloc[:, index[start]], TIME_FORMATS + (ISO_TIME,)) if start and end else None
    if time_format:
        lines += _fieldwork({"start": start, "end": end, "format": time_format}, metadata, data, report)
    lines.append(f"metadata_columns: {_quoted(list(metadata))}")
    if seconds:
        lines.append(f"duration: {{seconds: {_quoted(seconds)}}}")
    elif time_format:
        lines.append(f"duration: {{start: {_quoted(start)}, end: {_quoted(end)}, format: {_quoted(time_format)}}}")
    exclusions = {}
    status, finished = (named("status", "v7"), named("finished", "v10")) if platform == "qualtrics" else (None, None)
    if status:
        exclusions["test_rows"] = {"column": status, "values": ["Survey Preview", "Survey Test", "Spam"]}
    if finished:
        exclusions["incomplete"] = {"column": finished, "complete_values": ["True", "1"]}
    ip = named("ip address", "ipaddress") or (named("v6") if platform == "qualtrics" else None)
    if ip:
        exclusions["duplicates"] = {"columns": [ip], "same_answers": True, "keep": "first"}
    collector = named("collector id") if platform == "surveymonkey" else None
    if collector:  # the test collector cannot be told from the export: its ids, to choose from
        tally = data.iloc[:, index[collector]].value_counts().sort_index()
        shown = ", ".join(f"{value!r} ({count} row(s))" for value, count in tally.items())
        lines.append(f"# CHECK: {collector} holds {shown}: a collector used for testing goes under exclusions as "
                     f'"test_rows": {{"column": "{collector}", "values": [<its id>]}}')
        report.append(f"to check: the test collector, if any, among the {collector} values {shown}")
    lines.append(f"exclusions: {_quoted(exclusions)}   # CHECK: guessed from the platform's metadata columns")
    report.append(f"guessed: exclusions {sorted(exclusions)} and the duration from the metadata columns")
    return lines


def _questionnaire_yaml(export, drafted: list[DraftQuestion]) -> str:
    if not drafted:
        return ""
    lines = [f"  # DRAFTED by draft-wave from {export}: CHECK the texts (sv is a copy of en), the base and the kind"]
    for dq in drafted:
        lines += [
            f"  - id: {_key(dq.question_id)}",
            f"    kind: {dq.kind}",
            f"    text: {{sv: {_quoted(dq.text)}, en: {_quoted(dq.text)}}}",
            '    base: {sv: "alla svarande", en: "all respondents"}',
            "    options:",
        ]
        texts = {oid: labels[0] if labels else dq.extra.get("_option_texts", {}).get(oid, oid) for oid, labels in dq.options.items()}
        lines += [f"      - {{id: {_key(oid)}, sv: {_quoted(text)}, en: {_quoted(text)}}}" for oid, text in texts.items()]
    return "\n".join(lines) + "\n"


def add_to_questionnaire(questionnaire_text: str, entries: str) -> str:
    """The questionnaire with drafted entries at the end of its `questions:` list (before
    `derived_questions:` if it has one), its own lines untouched."""
    if not entries:
        return questionnaire_text
    marker = re.search(r"^derived_questions:", questionnaire_text, re.MULTILINE)
    if marker is None:
        return questionnaire_text.rstrip("\n") + "\n" + entries
    head, tail = questionnaire_text[: marker.start()], questionnaire_text[marker.start():]
    return head.rstrip("\n") + "\n" + entries + "\n" + tail
