"""Seeded generator of the reconstructed raw exports. Every row it writes is synthetic.

No microdata of the NetClean Report survey is public. For each wave the project ships a
*reconstructed* raw export instead: made-up rows in the raw layout of the wave's survey tool
(SurveyMonkey in 2018, Qualtrics in 2016) whose aggregates agree with what the report publishes.
They are not the answers of real officers and must be labelled synthetic wherever they are shown.
The targets (published counts, bases, seed, messiness) live in ``config/synthetic/<wave>.yaml``.

How exact counts are reached, by construction rather than by rejection sampling:

* Who answers a question (its base) is a seeded random subset of exactly the target size, drawn
  among the respondents the skip logic (``asked_if``) allows; ``within`` draws it inside another
  question's base (``outside`` lets a stated number come from elsewhere), and a question coded from
  a free text (``coded_from``) has the base of that text.
* A single-choice question deals the base a shuffled deck that holds each option exactly its
  target count of times.
* A multi question ticks, option by option, a seeded random subset of exactly the target count of
  its base. A respondent of the base left with no tick then gets one by moving a tick of some
  option from a respondent who has two or more: every option keeps its count. ``superset_of``
  forces the ticks of another question first (the most common ages are among the ages seen, the
  most common threat among the threats ticked), so nesting holds per respondent.
* Free text is written from the themes coded for it (neutral stock sentences), so text and codes
  agree; "Other (please specify)" boxes get short neutral texts.

Then come the rows the pipeline must exclude (test rows, partial completes, duplicate submissions,
speeders), each built so that exactly the screen meant for it catches it, and a handful of cells
of label noise that the wave file's label normalisation absorbs. Randomness comes only from
``numpy.random.default_rng(seed)``, drawn in a fixed order, so a seed gives the same bytes on every
machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from .core.codebook import Wave, WaveQuestion, load_codebook, load_wave, normalise_label
from .core.errors import ConfigError
from .core.yamlfile import read_yaml

BOM = "\ufeff"
OTHER_TEXT = "__other_text__"  # marks the "Other (please specify)" column of a multi question


# Row kinds. Only "valid" rows survive the screens; each other kind is meant for one screen.
VALID, PREVIEW, TEST, PARTIAL, DUPLICATE, SPEEDER = "valid", "preview", "test", "partial", "duplicate", "speeder"


# Timing, in seconds. Valid rows take roughly 4-25 minutes; speeders under 71 s, which stays
# below 0.3 x any median of rows that mostly take at least 240 s (checked after drawing).
VALID_RANGE = (240, 1500)
SPEEDER_RANGE = (40, 71)
PARTIAL_RANGE = (60, 600)
TEST_RANGE = (90, 400)
TEST_WINDOW = (9 * 3600, 13 * 3600)  # test rows: the first morning of fieldwork; real rows after it
DUPLICATE_GAP = (120, 7200)  # a second submission follows the first by 2 minutes to 2 hours
SPEEDER_SHARE = 0.3  # the speeder screen of the wave files
IP_PREFIXES = ("192.0.2", "198.51.100", "203.0.113")  # documentation ranges (RFC 5737)


# SurveyMonkey: collectors of real rows (web link, email) and their shares.
SURVEYMONKEY_COLLECTORS = ("213456789", "213456790")
SURVEYMONKEY_COLLECTOR_SHARES = (0.8, 0.2)
SURVEYMONKEY_FIRST_ID = 10_180_000_000  # 11-digit respondent ids that grow with start time
SURVEYMONKEY_IDS_PER_SECOND = 250


# Qualtrics metadata columns: the human text of header row 2 and the ImportId of row 3.
QUALTRICS_TIME_ZONE = "America/Denver"
QUALTRICS_METADATA = {
    "StartDate": ("Start Date", {"ImportId": "startDate", "timeZone": QUALTRICS_TIME_ZONE}),
    "EndDate": ("End Date", {"ImportId": "endDate", "timeZone": QUALTRICS_TIME_ZONE}),
    "Status": ("Response Type", {"ImportId": "status"}),
    "IPAddress": ("IP Address", {"ImportId": "ipAddress"}),
    "Progress": ("Progress", {"ImportId": "progress"}),
    "Duration (in seconds)": ("Duration (in seconds)", {"ImportId": "duration"}),
    "Finished": ("Finished", {"ImportId": "finished"}),
    "RecordedDate": ("Recorded Date", {"ImportId": "recordedDate", "timeZone": QUALTRICS_TIME_ZONE}),
    "ResponseId": ("Response ID", {"ImportId": "_recordId"}),
    "DistributionChannel": ("Distribution Channel", {"ImportId": "distributionChannel"}),
    "UserLanguage": ("User Language", {"ImportId": "userLanguage"}),
}


QUALTRICS_STATUS = {VALID: "IP Address", PREVIEW: "Survey Preview", TEST: "Survey Test"}
QUALTRICS_CHANNEL = {VALID: "anonymous", PREVIEW: "preview", TEST: "test"}
RESPONSE_ID_ALPHABET = np.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))


# Neutral stock sentences for free text, by the option id of the theme coded from it.
THEME_SENTENCES = {
    "sextortion_increasing": (
        "We see more sexual extortion cases than a few years ago.",
        "Sexual extortion cases have increased.",
        "The number of extortion cases keeps growing.",
    ),
    "grooming_to_sextortion": (
        "Grooming cases turn into extortion more often.",
        "Contact that starts as grooming more often ends in extortion.",
        "Offenders move from grooming to extortion sooner.",
    ),
    "messaging_apps": (
        "Most contact now happens through messaging apps.",
        "Offenders use messaging apps more than before.",
        "More cases involve encrypted messaging apps.",
    ),
    "younger_children": (
        "The children involved are younger.",
        "We see younger victims than before.",
        "The age of the children has gone down.",
    ),
    "other": (
        "Cases take longer to investigate.",
        "More offenders are located abroad.",
        "Cases involve more devices and accounts.",
    ),
}


OTHER_SPECIFY_TEXTS = (
    "Gift cards",
    "Online game currency",
    "Passwords to social media accounts",
    "Contact details of friends",
    "Mobile phone credit",
    "Access to accounts",
)


def option_ids(wq: WaveQuestion) -> list[str]:
    """The options of a question in wave-file order (an "other" with a text box comes last)."""
    return list(wq.labels)


def canonical_label(wq: WaveQuestion, option_id: str) -> str:
    return wq.labels[option_id][0]


@dataclass
class Answers:
    """Answers of a set of rows, by question id, options in wave-file order.

    single: int codes into the options (-1 blank); multi: bool matrix rows x options;
    text: str array ("" blank). ``other_text``: the typed "Other (please specify)" text.
    """

    values: dict[str, np.ndarray]
    other_text: dict[str, np.ndarray]

    def take(self, rows: np.ndarray) -> Answers:
        return Answers({q: v[rows] for q, v in self.values.items()}, {q: v[rows] for q, v in self.other_text.items()})

    def blank_from(self, wave: Wave, stop: np.ndarray) -> None:
        """Blank, row by row, every question from position ``stop`` of the questionnaire on."""
        for position, qid in enumerate(wave.question_ids):
            blank = stop <= position
            values = self.values[qid]
            values[blank] = -1 if values.dtype.kind == "i" else (False if values.dtype == bool else "")
            if qid in self.other_text:
                self.other_text[qid][blank] = ""


def exact_ticks(
    rng: np.random.Generator, base: np.ndarray, counts: np.ndarray, forced: np.ndarray, what: str = "ticks"
) -> np.ndarray:
    """Ticks (respondents x options) with exactly ``counts`` per option, only in ``base``,
    including the ``forced`` ticks, and at least one tick for every respondent of the base."""
    ticks = forced.copy()
    for j, count in enumerate(counts):
        free = np.flatnonzero(base & ~ticks[:, j])
        need = count - ticks[:, j].sum()
        if not 0 <= need <= free.size:
            raise ConfigError(
                f"targets: {what}, option {j}: count {count} is out of reach "
                f"({ticks[:, j].sum()} forced ticks, a base of {base.sum()})"
            )
        ticks[rng.choice(free, size=need, replace=False), j] = True
    # Repair: move a tick of the same option from a respondent who keeps another one.
    for respondent in np.flatnonzero(base & ~ticks.any(axis=1)):
        for j in rng.permutation(len(counts)):
            donors = np.flatnonzero(ticks[:, j] & ~forced[:, j] & (ticks.sum(axis=1) >= 2))
            if donors.size:
                ticks[rng.choice(donors), j] = False
                ticks[respondent, j] = True
                break
        else:
            raise ConfigError(f"targets: {what}: respondent {respondent} cannot get a tick without breaking a count")
    return ticks


class ValidAnswers:
    """The answers of the valid respondents, each question resolved once, after those it depends on."""

    def __init__(self, wave: Wave, targets: dict, rng: np.random.Generator):
        self.wave, self.rng = wave, rng
        self.n = int(targets["respondents"])
        self.specs = targets.get("questions") or {}
        self._bases: dict[str, np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}
        missing = [q for q in wave.question_ids if q not in self.specs]
        unknown = [q for q in self.specs if q not in wave.question_ids]
        if missing or unknown:
            raise ConfigError(f"targets: questions without targets {missing}, targets of unknown questions {unknown}")

    def spec(self, qid: str) -> dict:
        return self.specs[qid]

    def counts(self, qid: str) -> np.ndarray:
        wq, spec = self.wave[qid], self.spec(qid)
        given = {str(k): int(v) for k, v in (spec.get("counts") or {}).items()}
        if set(given) != set(option_ids(wq)):
            raise ConfigError(f"targets: {qid}.counts must name exactly the options {option_ids(wq)}")
        return np.array([given[o] for o in option_ids(wq)])

    def pick(self, eligible: np.ndarray, size: int, what: str) -> np.ndarray:
        if size > eligible.sum():
            raise ConfigError(f"targets: {what}: {size} respondents wanted, {eligible.sum()} eligible")
        chosen = np.zeros(self.n, dtype=bool)
        chosen[self.rng.choice(np.flatnonzero(eligible), size=size, replace=False)] = True
        return chosen

    def base(self, qid: str) -> np.ndarray:
        """Who answers ``qid``."""
        if qid in self._bases:
            return self._bases[qid]
        question, spec = self.wave[qid].question, self.spec(qid)
        answered = int(spec["answered"])
        if question.coded_from:
            base = self.base(question.coded_from)
        else:
            allowed = np.ones(self.n, dtype=bool)
            for parent, option in question.asked_if.items():
                allowed &= self.values(parent) == option_ids(self.wave[parent]).index(option)
            if "within" in spec:
                inner = allowed & self.base(spec["within"])
                outside = int(spec.get("outside", 0))
                base = self.pick(inner, answered - outside, f"{qid} within {spec['within']}") | self.pick(
                    allowed & ~inner, outside, f"{qid} outside {spec['within']}"
                )
            else:
                base = self.pick(allowed, answered, qid)
        if base.sum() != answered:
            raise ConfigError(f"targets: {qid}.answered is {answered}, but its base has {base.sum()}")
        self._bases[qid] = base
        return base

    def values(self, qid: str) -> np.ndarray:
        if qid in self._values:
            return self._values[qid]
        wq, spec = self.wave[qid], self.spec(qid)
        base = self.base(qid)
        if wq.question.kind == "single":
            deck = np.repeat(np.arange(len(option_ids(wq))), self.counts(qid))
            if deck.size != base.sum():
                raise ConfigError(f"targets: {qid}.counts sum to {deck.size}, answered is {base.sum()}")
            values = np.full(self.n, -1)
            values[base] = self.rng.permutation(deck)
        elif wq.question.kind == "multi":
            forced = np.zeros((self.n, len(option_ids(wq))), dtype=bool)
            if "superset_of" in spec:
                forced = self.as_ticks(spec["superset_of"], option_ids(wq))
                if (forced.any(axis=1) & ~base).any():
                    raise ConfigError(f"targets: {qid} must be answered by everyone who answers {spec['superset_of']}")
            values = exact_ticks(self.rng, base, self.counts(qid), forced, qid)
        else:
            values = np.full(self.n, "", dtype=object)  # written from the coded themes at the end
        self._values[qid] = values
        return values

    def as_ticks(self, qid: str, options: list[str]) -> np.ndarray:
        """The answers of ``qid`` as ticks over ``options`` (a single choice is one tick)."""
        sub_options = option_ids(self.wave[qid])
        if not set(sub_options) <= set(options):
            raise ConfigError(f"targets: superset_of {qid}: its options are not all options here")
        values = self.values(qid)
        ticks = np.zeros((self.n, len(options)), dtype=bool)
        for j, option in enumerate(options):
            if option in sub_options:
                k = sub_options.index(option)
                ticks[:, j] = values == k if values.ndim == 1 else values[:, k]
        return ticks

    def answers(self) -> Answers:
        for qid in self.wave.question_ids:
            self.values(qid)
        for wq in self.wave.questions:
            if wq.question.kind == "text":
                self.write_texts(wq.question.id)
        other_text = {}
        for wq in self.wave.questions:
            if wq.other_text:
                ticked = self._values[wq.question.id][:, option_ids(wq).index(wq.other_text["option"])]
                texts = np.full(self.n, "", dtype=object)
                texts[ticked] = self.rng.choice(OTHER_SPECIFY_TEXTS, size=ticked.sum())
                other_text[wq.question.id] = texts
        return Answers(dict(self._values), other_text)

    def write_texts(self, qid: str) -> None:
        """Write each free text from the themes coded from it: one stock sentence per theme."""
        coders = [wq for wq in self.wave.questions if wq.question.coded_from == qid]
        if len(coders) != 1:
            raise ConfigError(f"free text {qid} needs exactly one question coded from it to write it from")
        themes = option_ids(coders[0])
        unknown = [t for t in themes if t not in THEME_SENTENCES]
        if unknown:
            raise ConfigError(f"no stock sentences for the themes {unknown} of {coders[0].question.id}")
        ticks = self._values[coders[0].question.id]
        texts = self._values[qid]
        for respondent in np.flatnonzero(self.base(qid)):
            picked = [
                THEME_SENTENCES[t][self.rng.integers(len(THEME_SENTENCES[t]))]
                for t, ticked in zip(themes, ticks[respondent])
                if ticked
            ]
            texts[respondent] = " ".join(picked)


@dataclass
class Rows:
    """Every row of the export before sorting; the first ``n_valid`` are the valid respondents."""

    kind: np.ndarray  # VALID, PREVIEW, TEST, PARTIAL, DUPLICATE, SPEEDER
    template: np.ndarray  # the valid respondent whose answers the row carries (a duplicate's original)
    stop: np.ndarray  # position of the first question left blank (number of questions: none)
    start: np.ndarray  # seconds after the first fieldwork midnight
    duration: np.ndarray  # seconds


def plan_rows(wave: Wave, messiness: dict, n_valid: int, rng: np.random.Generator) -> Rows:
    sizes = {
        PREVIEW: int(messiness.get("preview_rows", 0)),
        TEST: int(messiness.get("test_rows", 0)),
        PARTIAL: int(messiness.get("partial_rows", 0)),
        DUPLICATE: int(messiness.get("duplicate_rows", 0)),
        SPEEDER: int(messiness.get("speeder_rows", 0)),
    }
    if wave.format == "surveymonkey" and sizes[PREVIEW]:
        raise ConfigError("targets: a SurveyMonkey export has test rows, not preview rows")
    kind = np.array([VALID] * n_valid + [k for k, size in sizes.items() for _ in range(size)])
    n_questions = len(wave.question_ids)

    # Messy rows carry the answers of a random valid respondent, so skip logic holds everywhere;
    # a duplicate carries its original's, and the originals are distinct.
    template = np.arange(kind.size)
    copies = (kind != VALID) & (kind != DUPLICATE)
    template[copies] = rng.integers(0, n_valid, size=copies.sum())
    template[kind == DUPLICATE] = rng.choice(n_valid, size=sizes[DUPLICATE], replace=False)

    stop = np.full(kind.size, n_questions)
    stop[kind == PARTIAL] = rng.choice(partial_stops(wave), size=sizes[PARTIAL])

    duration = np.zeros(kind.size, dtype=np.int64)
    duration[(kind == VALID) | (kind == DUPLICATE)] = valid_durations(rng, n_valid + sizes[DUPLICATE])
    duration[kind == SPEEDER] = rng.integers(*SPEEDER_RANGE, size=sizes[SPEEDER])
    duration[kind == PARTIAL] = rng.integers(*PARTIAL_RANGE, size=sizes[PARTIAL])
    testing = (kind == TEST) | (kind == PREVIEW)
    duration[testing] = rng.integers(*TEST_RANGE, size=testing.sum())

    first = datetime.strptime(wave.fieldwork["start"], "%Y-%m-%d")
    last = datetime.strptime(wave.fieldwork["end"], "%Y-%m-%d") + timedelta(days=1)
    # Real rows start at distinct seconds, a day before the close at the latest, so that every
    # end (and every duplicate that follows) stays inside fieldwork.
    latest = int((last - first).total_seconds()) - 86_400
    start = np.zeros(kind.size, dtype=np.int64)
    opens, closes = TEST_WINDOW
    start[testing] = opens + rng.choice(closes - opens, size=testing.sum(), replace=False)
    real = ~testing & (kind != DUPLICATE)
    start[real] = closes + rng.choice(latest - closes, size=real.sum(), replace=False)
    duplicate = kind == DUPLICATE
    original = template[duplicate]
    start[duplicate] = start[original] + duration[original] + rng.integers(*DUPLICATE_GAP, size=duplicate.sum())
    return Rows(kind, template, stop, start, duration)


def valid_durations(rng: np.random.Generator, size: int) -> np.ndarray:
    # The sum of three whole-second uniforms: a bell shape over the range in integer arithmetic
    # only, so the bytes cannot depend on a platform's floating-point exp or rounding.
    low, high = VALID_RANGE
    parts = rng.integers(0, (high - low) // 3 + 1, size=(3, size), dtype=np.int64)
    return low + parts.sum(axis=0)


def partial_stops(wave: Wave) -> list[int]:
    """Where a partial complete may stop: before a question that opens a page (not a follow-up),
    after the first question and no later than the last question the incomplete screen requires
    (or the last question, when the screen reads a "finished" flag)."""
    ids = wave.question_ids
    required = wave.exclusions.get("incomplete", {}).get("required")
    last = max(ids.index(q) for q in required) if required else len(ids) - 1
    return [
        i
        for i, qid in enumerate(ids)
        if 1 <= i <= last and not wave[qid].question.asked_if and not wave[qid].question.coded_from
    ]


def check_screens(rows: Rows) -> None:
    """Each messy row is caught by its own screen only, and no valid row by any (timing part;
    the rest holds by construction: distinct addresses, copied answers, kinds)."""
    left = (rows.kind == VALID) | (rows.kind == SPEEDER)  # what reaches the speeder screen
    limit = SPEEDER_SHARE * np.median(rows.duration[left])
    slow = (rows.kind == VALID) | (rows.kind == DUPLICATE)
    if rows.duration[slow].min() < limit or rows.duration[rows.kind == SPEEDER].max() >= limit:
        raise RuntimeError(f"durations straddle the speeder limit of {limit:.0f} s: choose another seed")


def answer_columns(wave: Wave) -> list[tuple[str, str | None]]:
    """(question id, option id) per answer column: SurveyMonkey gives a tick-all option its own
    column (plus one for the "Other (please specify)" box), Qualtrics one column per question."""
    columns = []
    for wq in wave.questions:
        qid = wq.question.id
        if wq.question.kind == "multi" and wave.format == "surveymonkey":
            columns += [(qid, o) for o in option_ids(wq) if wq.labels[o]]
            if wq.other_text:
                columns.append((qid, OTHER_TEXT))
        else:
            columns.append((qid, None))
    return columns


def render(wave: Wave, answers: Answers, columns: list[tuple[str, str | None]]) -> np.ndarray:
    """The answer cells (rows x columns) as the export shows them, with canonical labels."""
    n_rows = len(next(iter(answers.values.values())))
    cells = np.empty((n_rows, len(columns)), dtype=object)
    for c, (qid, option) in enumerate(columns):
        wq, values = wave[qid], answers.values[qid]
        kind = wq.question.kind
        if option == OTHER_TEXT:
            cells[:, c] = answers.other_text[qid]
        elif kind == "text":
            cells[:, c] = values
        elif kind == "single":
            labels = np.array([canonical_label(wq, o) for o in option_ids(wq)] + [""], dtype=object)
            cells[:, c] = labels[values]  # code -1 picks the trailing ""
        elif option is not None:
            cells[:, c] = np.where(values[:, option_ids(wq).index(option)], canonical_label(wq, option), "")
        else:  # Qualtrics: the ticked choice texts in one cell, in wave-file order
            labels = [canonical_label(wq, o) for o in option_ids(wq)]
            cells[:, c] = [",".join(label for label, ticked in zip(labels, row) if ticked) for row in values]
    return cells


def apply_label_noise(wave: Wave, columns, cells: np.ndarray, rows: Rows, noise: list[dict], rng) -> None:
    """Replace a handful of canonical labels in valid rows with variants the wave file accepts
    (another listed variant, or stray case and spaces)."""
    for entry in noise:
        qid, option, text, count = entry["question"], str(entry["option"]), entry["text"], int(entry["rows"])
        wq = wave[qid]
        if normalise_label(text) not in {normalise_label(label) for label in wq.labels.get(option, ())}:
            raise ConfigError(f"targets: label noise {text!r} is not a label of {qid}.{option} in {wave.path}")
        key = (qid, None) if wq.question.kind == "single" else (qid, option)
        if key not in columns:
            raise ConfigError(f"targets: label noise in {qid} needs a column of its own for {option}")
        c = columns.index(key)
        eligible = np.flatnonzero((rows.kind == VALID) & (cells[:, c] == canonical_label(wq, option)))
        if count > eligible.size:
            raise ConfigError(f"targets: label noise {text!r}: {count} rows wanted, {eligible.size} available")
        cells[rng.choice(eligible, size=count, replace=False), c] = text


def assign_addresses(rows: Rows, cells: np.ndarray, shared_pairs: int, rng) -> tuple[np.ndarray, str]:
    """Distinct documentation addresses for the real rows, one office address for test rows;
    a duplicate shares its original's; ``shared_pairs`` pairs of valid respondents with different
    answers share an agency address (the duplicate screen must keep both)."""
    pool = np.array([f"{prefix}.{host}" for prefix in IP_PREFIXES for host in range(1, 255)])
    own = np.isin(rows.kind, [VALID, PARTIAL, SPEEDER])
    drawn = pool[rng.choice(pool.size, size=own.sum() + 1, replace=False)]
    address = np.full(rows.kind.size, "", dtype=object)
    address[own], office = drawn[:-1], drawn[-1]
    # answers compared as the duplicate screen compares them: after label normalisation
    normalised = np.vectorize(normalise_label, otypes=[object])(cells)
    candidates = list(
        rng.permutation(np.setdiff1d(np.flatnonzero(rows.kind == VALID), rows.template[rows.kind == DUPLICATE]))
    )
    for _ in range(shared_pairs):
        first = candidates.pop(0)
        second = next(r for r in candidates if (normalised[r] != normalised[first]).any())
        candidates.remove(second)
        address[second] = address[first]
    duplicate = rows.kind == DUPLICATE
    address[duplicate] = address[rows.template[duplicate]]
    return address, office


def surveymonkey_time(moment: datetime) -> str:
    # written by hand, not with strftime("%p"), so no locale can change it
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%m/%d/%Y} {hour:02d}:{moment:%M:%S} {half}"


def surveymonkey_table(
    wave: Wave, columns, cells, rows: Rows, address, office, first: datetime, rng
) -> list[list[str]]:
    n = rows.kind.size
    test_collector = wave.exclusions["test_rows"]["values"][0]
    collector = np.array(SURVEYMONKEY_COLLECTORS, dtype=object)[
        rng.choice(len(SURVEYMONKEY_COLLECTORS), size=n, p=SURVEYMONKEY_COLLECTOR_SHARES)
    ]
    duplicate = rows.kind == DUPLICATE
    collector[duplicate] = collector[rows.template[duplicate]]
    collector[rows.kind == TEST] = test_collector
    address = address.copy()
    address[rows.kind == TEST] = office

    order = np.argsort(rows.start, kind="stable")
    gaps = np.diff(rows.start[order], prepend=rows.start[order][0])
    respondent_id = np.empty(n, dtype=np.int64)
    respondent_id[order] = SURVEYMONKEY_FIRST_ID + np.cumsum(
        gaps * SURVEYMONKEY_IDS_PER_SECOND + rng.integers(1, SURVEYMONKEY_IDS_PER_SECOND, size=n)
    )
    starts = [first + timedelta(seconds=int(s)) for s in rows.start]
    metadata = {
        "Respondent ID": respondent_id.astype(str),
        "Collector ID": collector,
        "Start Date": [surveymonkey_time(s) for s in starts],
        "End Date": [surveymonkey_time(s + timedelta(seconds=int(d))) for s, d in zip(starts, rows.duration)],
        "IP Address": address,
        "Email Address": [""] * n,
        "First Name": [""] * n,
        "Last Name": [""] * n,
        "Custom Data 1": [""] * n,
    }
    unknown = [m for m in wave.metadata_columns if m not in metadata]
    if unknown:
        raise ConfigError(f"{wave.path}: the generator cannot fill the SurveyMonkey columns {unknown}")

    top, sub = list(wave.metadata_columns), [""] * len(wave.metadata_columns)
    for c, (qid, option) in enumerate(columns):
        wq = wave[qid]
        top.append(wq.column if c == 0 or columns[c - 1][0] != qid else "")
        if option == OTHER_TEXT:
            sub.append(wq.other_text["column"])
        elif option is not None:
            sub.append(canonical_label(wq, option))
        else:
            sub.append("Open-Ended Response" if wq.question.kind == "text" else "Response")
    meta = np.column_stack([np.asarray(metadata[m], dtype=object) for m in wave.metadata_columns])
    body = np.hstack([meta, cells])[order]
    return [top, sub] + body.tolist()


def qualtrics_time(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def qualtrics_table(wave: Wave, cells, rows: Rows, address, first: datetime, rng) -> list[list[str]]:
    n = rows.kind.size
    statuses = set(wave.exclusions["test_rows"]["values"])
    if not {QUALTRICS_STATUS[PREVIEW], QUALTRICS_STATUS[TEST]} <= statuses:
        raise ConfigError(
            f"{wave.path}: the test-row screen must catch {QUALTRICS_STATUS[PREVIEW]!r} and {QUALTRICS_STATUS[TEST]!r}"
        )
    # partial, duplicate and speeder rows are ordinary submissions as far as Qualtrics knows
    status = [QUALTRICS_STATUS.get(k, QUALTRICS_STATUS[VALID]) for k in rows.kind]
    channel = [QUALTRICS_CHANNEL.get(k, QUALTRICS_CHANNEL[VALID]) for k in rows.kind]
    partial = rows.kind == PARTIAL
    n_questions = len(wave.question_ids)
    progress = np.full(n, 100)
    progress[partial] = np.clip(
        100 * rows.stop[partial] // n_questions + rng.integers(0, 15, size=partial.sum()), 10, 90
    )
    response_id = np.array(["R_" + "".join(chars) for chars in RESPONSE_ID_ALPHABET[rng.integers(0, 62, size=(n, 15))]])
    if np.unique(response_id).size != n:
        raise RuntimeError("repeated ResponseId: choose another seed")
    starts = [first + timedelta(seconds=int(s)) for s in rows.start]
    ends = [qualtrics_time(s + timedelta(seconds=int(d))) for s, d in zip(starts, rows.duration)]
    metadata = {
        "StartDate": [qualtrics_time(s) for s in starts],
        "EndDate": ends,
        "Status": status,
        "IPAddress": address,
        "Progress": progress.astype(str),
        "Duration (in seconds)": rows.duration.astype(str),
        "Finished": np.where(partial, "False", "True"),
        "RecordedDate": ends,
        "ResponseId": response_id,
        "DistributionChannel": channel,
        "UserLanguage": ["EN"] * n,
    }
    unknown = [m for m in wave.metadata_columns if m not in metadata or m not in QUALTRICS_METADATA]
    if unknown:
        raise ConfigError(f"{wave.path}: the generator cannot fill the Qualtrics columns {unknown}")

    ids, texts, imports = list(wave.metadata_columns), [], []
    for m in wave.metadata_columns:
        texts.append(QUALTRICS_METADATA[m][0])
        imports.append(json.dumps(QUALTRICS_METADATA[m][1], separators=(",", ":")))
    for wq in wave.questions:
        number = re.fullmatch(r"Q(\d+)", wq.column)
        if not number:
            raise ConfigError(f"{wave.path}: Qualtrics column {wq.column!r} is not of the form Q<number>")
        ids.append(wq.column)
        texts.append(wq.question.text["en"])
        imports.append(json.dumps({"ImportId": f"QID{number.group(1)}"}, separators=(",", ":")))
    meta = np.column_stack([np.asarray(metadata[m], dtype=object) for m in wave.metadata_columns])
    order = np.argsort(rows.start, kind="stable")
    body = np.hstack([meta, cells])[order]
    return [ids, texts, imports] + body.tolist()


FORMATS = {
    "surveymonkey": {"quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"},
    "qualtrics": {"quoting": csv.QUOTE_ALL, "lineterminator": "\n"},
}


def generate_export(wave: Wave, targets: dict, seed: int) -> str:
    """The whole synthetic raw export of ``wave`` as text, starting with a UTF-8 BOM."""
    if wave.format not in FORMATS:
        raise ConfigError(f"{wave.path}: the generator knows the formats {sorted(FORMATS)}, not {wave.format!r}")
    if str(targets.get("wave")) != wave.name:
        raise ConfigError(f"targets are for wave {targets.get('wave')!r}, the wave file is {wave.name!r}")
    rng = np.random.default_rng(seed)
    valid = ValidAnswers(wave, targets, rng)
    valid_answers = valid.answers()
    required = wave.exclusions.get("incomplete", {}).get("required", [])
    short = [q for q in required if valid.base(q).sum() != valid.n]
    if short:
        raise ConfigError(f"targets: every valid respondent must answer the required questions {short}")

    messiness = targets.get("messiness") or {}
    rows = plan_rows(wave, messiness, valid.n, rng)
    check_screens(rows)
    answers = valid_answers.take(rows.template)
    answers.blank_from(wave, rows.stop)
    columns = answer_columns(wave)
    cells = render(wave, answers, columns)
    apply_label_noise(wave, columns, cells, rows, messiness.get("label_noise") or [], rng)
    duplicate = rows.kind == DUPLICATE
    cells[duplicate] = cells[rows.template[duplicate]]  # identical to the original, noise included
    address, office = assign_addresses(rows, cells, int(messiness.get("shared_address_pairs", 0)), rng)

    first = datetime.strptime(wave.fieldwork["start"], "%Y-%m-%d")
    if wave.format == "surveymonkey":
        table = surveymonkey_table(wave, columns, cells, rows, address, office, first, rng)
    else:
        table = qualtrics_table(wave, cells, rows, address, first, rng)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=wave.delimiter, **FORMATS[wave.format]).writerows(table)
    return BOM + buffer.getvalue()


def write_export(wave_path, questionnaire_path, targets_path, out_path) -> Path:
    """Generate the synthetic export of a wave from its targets file and write it to ``out_path``."""
    wave = load_wave(wave_path, load_codebook(questionnaire_path))
    targets = read_yaml(targets_path)
    text = generate_export(wave, targets, int(targets["seed"]))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m netclean_survey.synth",
        description="Write the synthetic (reconstructed) raw export of one wave from its targets.",
    )
    parser.add_argument("--wave", required=True, help="wave file, e.g. config/waves/2018.yaml")
    parser.add_argument("--questionnaire", required=True, help="config/questionnaire.yaml")
    parser.add_argument("--targets", required=True, help="targets, e.g. config/synthetic/2018.yaml")
    parser.add_argument("--out", required=True, help="the CSV to write, e.g. resources/raw/2018.csv")
    args = parser.parse_args(argv)
    out = write_export(args.wave, args.questionnaire, args.targets, args.out)
    print(f"wrote {out} (synthetic rows)")


if __name__ == "__main__":
    main()
