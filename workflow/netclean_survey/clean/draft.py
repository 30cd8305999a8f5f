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
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.codebook import Codebook, Wave, normalise_label
from .grid import read_grid
from .screen import RESAVED_TIME_FORMATS
from .sniff import sniff_export
from .surveymonkey import SURVEYMONKEY_SINGLE, SURVEYMONKEY_TEXT

SURVEYMONKEY_METADATA = ("Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
                         "First Name", "Last Name", "Custom Data 1")
ID_COLUMNS = ("Respondent ID", "ResponseId", "ResponseID", "V1")
TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p",) + RESAVED_TIME_FORMATS
MAX_SINGLE_LABELS = 60  # more distinct answers than this in one column: free text, not a choice


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


def draft_wave(export: str | Path, name: str, codebook: Codebook, like: Wave | None = None) -> Draft:
    """The draft wave file (YAML text with comments), the drafted questionnaire entries and the
    report of what was placed, guessed and not placed."""
    export = Path(export)
    sniffed = sniff_export(export)
    if sniffed.kind not in ("text", "xlsx", "spss") or sniffed.layout is None and sniffed.kind == "text":
        raise ValueError(f"{export}: {sniffed.description}, not an export draft-wave reads; {sniffed.advice}")
    platform = (sniffed.layout or ("qualtrics" if sniffed.kind == "spss" else "surveymonkey")).split("-")[0]
    encoding = {"utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(sniffed.encoding or "", "utf-8-sig")
    delimiter = "\t" if encoding == "utf-16" else _delimiter(export) if sniffed.kind == "text" else ","
    grid = read_grid(export, _provisional_wave(export, name, platform, encoding, delimiter))
    if platform == "surveymonkey":
        metadata, questions, data = _surveymonkey_columns(grid)
    else:
        metadata, questions, data = _qualtrics_columns(grid)
    report: list[str] = []
    taken = set(codebook.ids) | {q.id for q in codebook.derived}
    for dq in questions:
        _place(dq, codebook, like, taken, report)
    wave_yaml = _wave_yaml(export, name, platform, encoding, delimiter, metadata, questions, data, like, report)
    questionnaire_yaml = _questionnaire_yaml(export, [dq for dq in questions if dq.drafted])
    return Draft(wave_yaml, questionnaire_yaml, report)


def _surveymonkey_columns(grid: pd.DataFrame) -> tuple[list[str], list[DraftQuestion], pd.DataFrame]:
    questions_row, options_row = grid.iloc[0].tolist(), grid.iloc[1].tolist()
    data = grid.iloc[2:]
    metadata, found, current = [], [], None
    for i, (text, sub) in enumerate(zip(questions_row, options_row)):
        if text and not sub and (text in SURVEYMONKEY_METADATA or current is None):
            metadata.append(text)
            current = None
            continue
        if text:
            current = DraftQuestion(column=text, text=text, kind="single", labels=[])
            found.append(current)
            current.extra["_columns"] = []
        current.extra["_columns"].append(i)
        if normalise_label(sub) == normalise_label(SURVEYMONKEY_SINGLE):
            current.labels += _distinct(data[i])
        elif normalise_label(sub) == normalise_label(SURVEYMONKEY_TEXT):
            current.kind = "text"
        else:
            current.kind = "multi"
            current.labels.append(sub)
    for dq in found:
        if dq.kind == "single" and len(dq.labels) > MAX_SINGLE_LABELS:
            dq.kind = "text"
    return metadata, found, data


def _qualtrics_columns(grid: pd.DataFrame) -> tuple[list[str], list[DraftQuestion], pd.DataFrame]:
    from .qualtrics import SPLIT_NAME, header_of  # the header layouts, as the reader reads them

    header = header_of(grid, "(export)", _provisional_wave(Path("(export)"), "draft", "qualtrics", "utf-8", ","))
    data = header.data
    metadata, found, by_column = [], [], {}
    for i, (name, text, import_id) in enumerate(zip(header.ids, header.texts, header.import_ids)):
        qid = str(import_id.get("ImportId", ""))
        is_question = qid.startswith("QID") or (not import_id and re.match(r"^Q\d", name))
        if not name:
            continue
        if not is_question:
            metadata.append(name)
            continue
        if name.upper().endswith("_TEXT"):
            continue  # a text box of a choice: said in the report, mapped by hand with other_text
        split = SPLIT_NAME.match(name)
        if split and (split["question"] not in header.ids) and ("choiceId" in import_id or "-" in qid or "_" in qid[3:]
                                                                 or not import_id):
            parent = split["question"]
            if parent not in by_column:
                question_text = text.rsplit(" - ", 1)[0] if " - " in text else text
                by_column[parent] = DraftQuestion(column=parent, text=question_text, kind="multi", labels=[])
                found.append(by_column[parent])
            by_column[parent].labels.append(text.rsplit(" - ", 1)[1] if " - " in text else split["choice"])
            continue
        labels = _distinct(data[i])
        kind = "text" if len(labels) > MAX_SINGLE_LABELS else "single"
        by_column[name] = DraftQuestion(column=name, text=text, kind=kind, labels=labels)
        found.append(by_column[name])
    return metadata, found, data


def _distinct(cells: pd.Series) -> list[str]:
    return sorted({c.strip() for c in cells if c.strip()}, key=lambda c: (normalise_label(c), c))


def _place(dq: DraftQuestion, codebook: Codebook, like: Wave | None, taken: set[str], report: list[str]) -> None:
    """Place a column on a question and its labels on options (module docstring, 1-3)."""
    earlier = next((wq for wq in (like.questions if like else ()) if normalise_label(wq.column) == normalise_label(dq.column)), None)
    if earlier is not None:
        question, dq.how = earlier.question, f"the same column as {earlier.question.id} in {like.path}"
        dq.kind = question.kind
        if earlier.other_text:
            dq.extra["other_text"] = dict(earlier.other_text)
        if earlier.codes:
            dq.codes = {oid: list(codes) for oid, codes in earlier.codes.items()}
    else:
        texts = {normalise_label(dq.text)}
        question = next((q for q in codebook.questions if texts & {normalise_label(t) for t in q.text.values()}), None)
        dq.how = "its question text" if question else ""
    if question is None:
        if dq.kind == "text":
            report.append(f"not placed: free-text column {dq.column!r} ({dq.text!r}): ignored (free text is never "
                          "published; map it to a text question of the questionnaire to keep it for coding)")
            return
        dq.question_id, dq.drafted = slug(dq.text, taken), True
        option_taken: set[str] = set()
        dq.options = {slug(label, option_taken): [label] for label in dq.labels}
        report.append(f"drafted: {dq.question_id} ({dq.kind}, {len(dq.options)} options) from column {dq.column!r}: "
                      "a new question for the questionnaire, check its text, base and kind")
        return
    dq.question_id = question.id
    if question.kind == "text":
        report.append(f"placed: {dq.column!r} on {question.id} (free text) by {dq.how}")
        return
    if question.kind == "multi" and dq.kind == "single":  # a Qualtrics tick-all joined in one cell: its pieces
        dq.kind = "multi"
        dq.labels = _joined_pieces(dq.labels, question, earlier)
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
    if earlier is not None:  # labels of the earlier wave the export does not hold: kept, they harm nothing
        for oid, labels in earlier.labels.items():
            if oid not in dq.options and (labels or oid in dq.codes):
                dq.options[oid] = list(labels)
    report.append(f"placed: {dq.column!r} on {question.id} by {dq.how}; {len(dq.options)} options"
                  + (f"; labels no option has: {dq.unplaced}" if dq.unplaced else ""))


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


def _time_format(cells: pd.Series) -> str | None:
    values = pd.Series([c for c in cells if c.strip()][:200])
    for candidate in TIME_FORMATS:
        if len(values) and pd.to_datetime(values, format=candidate, errors="coerce").notna().all():
            return candidate
    return None


def _wave_yaml(export, name, platform, encoding, delimiter, metadata, questions, data, like, report) -> str:
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
    if like is not None and set(like.metadata_columns) <= set(metadata):
        lines.append(f"duration: {_quoted(like.duration)}   # as in {like.path}")
        if like.times:
            lines.append(f"times: {_quoted(like.times)}   # as in {like.path}")
        if like.fieldwork:
            lines.append(f"fieldwork: {{start: {_quoted(like.fieldwork['start'])}, end: {_quoted(like.fieldwork['end'])}}}"
                         "   # CHECK: the fieldwork dates of this wave (copied)")
        lines.append(f"metadata_columns: {_quoted(list(metadata))}")
        lines.append(f"exclusions: {_quoted(like.exclusions)}   # as in {like.path}: CHECK the test collector or status")
    else:
        lines += _guessed_screens(platform, metadata, data, report)
    ignored = [dq.column for dq in questions if dq.question_id is None]
    lines.append("# Columns not analysed (free text, not placed): counted in the cleaning log, never published.")
    lines.append(f"ignore: {_quoted(ignored)}")
    lines.append("questions:")
    for dq in questions:
        if dq.question_id is None:
            continue
        lines.append(f"  {_key(dq.question_id)}:   # " + ("DRAFTED: a new question (see the drafted questionnaire entries)"
                                                  if dq.drafted else f"placed by {dq.how}"))
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


def _guessed_screens(platform, metadata, data, report) -> list[str]:
    """Durations, times and exclusions the platform's metadata columns allow, each marked CHECK."""
    lines = []
    columns = {normalise_label(m): m for m in metadata}
    found = {}
    for key, names in (("start", ("start date", "startdate", "v8")), ("end", ("end date", "enddate", "v9"))):
        found[key] = next((columns[n] for n in names if n in columns), None)
    index = {m: i for i, m in enumerate(metadata)}
    seconds = columns.get("duration (in seconds)")
    time_format = None
    if found["start"] and found["end"]:
        time_format = _time_format(data.iloc[:, index[found["start"]]]) if platform == "surveymonkey" else None
    lines.append(f"metadata_columns: {_quoted(list(metadata))}")
    if seconds:
        lines.append(f"duration: {{seconds: {_quoted(seconds)}}}")
    elif time_format:
        lines.append(f"duration: {{start: {_quoted(found['start'])}, end: {_quoted(found['end'])}, format: {_quoted(time_format)}}}")
    exclusions = {}
    if "status" in columns:
        exclusions["test_rows"] = {"column": columns["status"], "values": ["Survey Preview", "Survey Test", "Spam"]}
    if "finished" in columns:
        exclusions["incomplete"] = {"column": columns["finished"], "complete_values": ["True", "1"]}
    ip = columns.get("ip address") or columns.get("ipaddress")
    if ip:
        exclusions["duplicates"] = {"columns": [ip], "same_answers": True, "keep": "first"}
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
        lines += [f"      - {{id: {_key(oid)}, sv: {_quoted(labels[0])}, en: {_quoted(labels[0])}}}" for oid, labels in dq.options.items()]
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
