"""The synthetic raw exports: reproduced byte for byte, deterministic, and right when read back.

The exports are read back with a small parser of their own (the ``csv`` module and the wave files'
labels), not with the generator's code, so a slip in the generator cannot hide itself.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
import sys
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow"))

from netclean_survey.core.codebook import load_codebook, load_wave  # noqa: E402
from netclean_survey.synth import generate_export, write_export  # noqa: E402

WAVES = ("2016", "2018")
QUESTIONNAIRE = ROOT / "config" / "questionnaire.yaml"

# Rows each screen must exclude, in screen order (the targets' messiness, spelled out here).
EXPECTED_EXCLUSIONS = {
    "2018": {"test_rows": 3, "incomplete": 9, "duplicates": 4, "speeders": 3},
    "2016": {"test_rows": 3, "incomplete": 12, "duplicates": 5, "speeders": 4},
}


def paths(wave: str) -> dict[str, Path]:
    return {
        "wave": ROOT / "config" / "waves" / f"{wave}.yaml",
        "targets": ROOT / "config" / "synthetic" / f"{wave}.yaml",
        "raw": ROOT / "resources" / "raw" / f"{wave}.csv",
    }


def load(wave: str):
    p = paths(wave)
    return load_wave(p["wave"], load_codebook(QUESTIONNAIRE)), yaml.safe_load(p["targets"].read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


# ---------------------------------------------------------------------------------------------
# An independent reader: every row as {"meta": {...}, "answers": {qid: value}, "cells": tuple}
# where a single choice is an option id or None, a multi question a set of option ids, a text a str.


def lookup(wq) -> dict[str, str]:
    return {normalise(label): oid for oid, labels in wq.labels.items() for label in labels}


def read_surveymonkey(text: str, wave) -> list[dict]:
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    top, sub, data = records[0], records[1], records[2:]
    n_meta = len(wave.metadata_columns)
    assert top[:n_meta] == list(wave.metadata_columns)
    by_text = {wq.column: wq for wq in wave.questions}
    layout = []  # per answer column: (wave question, option id or None or "other text")
    for name, option_text in zip(top[n_meta:], sub[n_meta:]):
        if name:  # row 1 names a question over its first column only
            wq = by_text[name]
        if option_text in ("Response", "Open-Ended Response"):
            layout.append((wq, None))
        elif wq.other_text and option_text == wq.other_text["column"]:
            layout.append((wq, "other text"))
        else:
            layout.append((wq, lookup(wq)[normalise(option_text)]))
    rows = []
    for record in data:
        answers = {wq.question.id: set() if wq.question.kind == "multi" else None for wq in wave.questions}
        for (wq, option), cell in zip(layout, record[n_meta:]):
            qid = wq.question.id
            if not cell:
                continue
            if option is None and wq.question.kind == "single":
                answers[qid] = lookup(wq)[normalise(cell)]
            elif option is None:
                answers[qid] = cell
            elif option == "other text":
                answers[qid].add(wq.other_text["option"])
            else:
                assert lookup(wq)[normalise(cell)] == option, (qid, cell)
                answers[qid].add(option)
        start, end = (
            datetime.strptime(record[top.index(c)], "%m/%d/%Y %I:%M:%S %p") for c in ("Start Date", "End Date")
        )
        rows.append(
            {
                "meta": dict(zip(top[:n_meta], record[:n_meta])),
                "answers": answers,
                "cells": tuple(normalise(c) for c in record[n_meta:]),
                "start": start,
                "seconds": (end - start).total_seconds(),
            }
        )
    return rows


def split_joined(cell: str, wq) -> set[str]:
    """Qualtrics joins ticked choice texts with "," in wave-file order; texts may hold commas."""
    rest, ticked = normalise(cell), set()
    for oid, labels in wq.labels.items():
        label = normalise(labels[0])
        if rest == label or rest.startswith(label + ","):
            ticked.add(oid)
            rest = rest[len(label) + 1 :]
    assert rest == "", f"unparsed rest {rest!r} of {cell!r}"
    return ticked


def read_qualtrics(text: str, wave) -> list[dict]:
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    ids, data = records[0], records[3:]
    assert all(cell.startswith('{"ImportId":') for cell in records[2])
    n_meta = len(wave.metadata_columns)
    assert ids[:n_meta] == list(wave.metadata_columns)
    by_column = {wq.column: wq for wq in wave.questions}
    rows = []
    for record in data:
        meta = dict(zip(ids[:n_meta], record[:n_meta]))
        answers = {}
        for name, cell in zip(ids[n_meta:], record[n_meta:]):
            wq = by_column[name]
            if wq.question.kind == "multi":
                answers[wq.question.id] = split_joined(cell, wq) if cell else set()
            else:
                answers[wq.question.id] = lookup(wq)[normalise(cell)] if cell else None
        rows.append(
            {
                "meta": meta,
                "answers": answers,
                "cells": tuple(normalise(c) for c in record[n_meta:]),
                "start": datetime.strptime(meta["StartDate"], "%Y-%m-%d %H:%M:%S"),
                "seconds": float(meta["Duration (in seconds)"]),
            }
        )
    return rows


def read_back(wave_name: str):
    wave, targets = load(wave_name)
    text = paths(wave_name)["raw"].read_text(encoding="utf-8")
    reader = read_surveymonkey if wave.format == "surveymonkey" else read_qualtrics
    return wave, targets, reader(text, wave)


def screen(rows: list[dict], wave) -> tuple[list[dict], dict[str, int]]:
    """The exclusions of the wave file, in order; returns the valid rows and the count per screen."""
    rules = wave.exclusions
    excluded = {}

    test = rules["test_rows"]
    kept = [r for r in rows if r["meta"][test["column"]] not in test["values"]]
    excluded["test_rows"] = len(rows) - len(kept)

    rule = rules["incomplete"]
    if "column" in rule:
        complete = [r for r in kept if r["meta"][rule["column"]] in rule["complete_values"]]
    else:
        complete = [r for r in kept if all(r["answers"][q] for q in rule["required"])]
    excluded["incomplete"], kept = len(kept) - len(complete), complete

    seen, unique = set(), []
    for row in sorted(kept, key=lambda r: r["start"]):
        key = tuple(row["meta"][c] for c in rules["duplicates"]["columns"]) + row["cells"]
        if key not in seen:
            unique.append(row)
        seen.add(key)
    excluded["duplicates"], kept = len(kept) - len(unique), unique

    limit = rules["speeders"]["min_share_of_median"] * statistics.median(r["seconds"] for r in kept)
    slow = [r for r in kept if r["seconds"] >= limit]
    excluded["speeders"], kept = len(kept) - len(slow), slow
    return kept, excluded


def tallies(rows: list[dict], qid: str) -> tuple[Counter, int]:
    """Count per option and the base (respondents who answered) among ``rows``."""
    counts, base = Counter(), 0
    for row in rows:
        value = row["answers"][qid]
        if value:
            base += 1
            counts.update(value if isinstance(value, set) else [value])
    return counts, base


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("wave_name", WAVES)
def test_committed_export_is_reproduced_byte_for_byte(wave_name, tmp_path):
    p = paths(wave_name)
    out = write_export(p["wave"], QUESTIONNAIRE, p["targets"], tmp_path / f"{wave_name}.csv")
    assert out.read_bytes() == p["raw"].read_bytes()


@pytest.mark.parametrize("wave_name", WAVES)
def test_generator_is_deterministic_for_a_seed(wave_name):
    wave, targets = load(wave_name)
    seed = int(targets["seed"])
    first = generate_export(wave, targets, seed)
    assert generate_export(wave, targets, seed) == first
    assert generate_export(wave, targets, seed + 1) != first


@pytest.mark.parametrize("wave_name", WAVES)
def test_file_layout(wave_name):
    raw = paths(wave_name)["raw"].read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    if wave_name == "2018":  # SurveyMonkey: CRLF
        assert raw.count(b"\n") == raw.count(b"\r\n") > 0
    else:  # Qualtrics: LF, every field quoted
        assert b"\r" not in raw
        lines = raw.removeprefix("\ufeff".encode("utf-8")).split(b"\n")
        assert lines[-1] == b"" and all(line.startswith(b'"') and line.endswith(b'"') for line in lines[:-1])


@pytest.mark.parametrize("wave_name", WAVES)
def test_each_screen_excludes_its_rows(wave_name):
    wave, targets, rows = read_back(wave_name)
    valid, excluded = screen(rows, wave)
    assert excluded == EXPECTED_EXCLUSIONS[wave_name]
    assert len(valid) == targets["respondents"]
    # every row starts inside fieldwork; valid rows take roughly 4-25 minutes
    first, last = (datetime.strptime(wave.fieldwork[k], "%Y-%m-%d") for k in ("start", "end"))
    assert all(first <= r["start"] and (r["start"] - last).days < 1 for r in rows)
    assert all(240 <= r["seconds"] <= 1500 for r in valid)
    # two valid respondents share an agency address, with different answers, and both are kept
    address = "IP Address" if wave.format == "surveymonkey" else "IPAddress"
    shared = [a for a, n in Counter(r["meta"][address] for r in valid).items() if n > 1]
    assert len(shared) == 1


@pytest.mark.parametrize("wave_name", WAVES)
def test_valid_rows_hit_every_target(wave_name):
    wave, targets, rows = read_back(wave_name)
    valid, _ = screen(rows, wave)
    for qid, spec in targets["questions"].items():
        counts, base = tallies(valid, qid)
        assert base == spec["answered"], qid
        if "counts" in spec:
            assert dict(counts) == {str(k): v for k, v in spec["counts"].items() if v}, qid


def test_2018_claims_among_valid_rows():
    wave, _, rows = read_back("2018")
    valid, _ = screen(rows, wave)
    assert len(valid) == 272
    country, _ = tallies(valid, "country")
    assert [country[c] for c in ("united_states", "united_kingdom", "sweden", "norway", "canada")] == [
        148,
        33,
        18,
        10,
        8,
    ]
    assert len(country) == 30
    seen, base = tallies(valid, "grooming_ages_seen")
    assert (seen["age_0_4"], seen["age_5_7"], base) == (39, 76, 240)
    common, base = tallies(valid, "grooming_ages_common")
    assert (common["age_11_13"], common["age_14_16"], common["age_8_10"], base) == (170, 125, 70, 236)
    seen, base = tallies(valid, "sextortion_ages_seen")
    assert (seen["age_0_4"], seen["age_5_7"], base) == (14, 20, 200)
    change, base = tallies(valid, "change_3y")
    assert (change["no"], change["yes"], base) == (196, 70, 266)
    assert sum(1 for r in valid if r["answers"]["change_text"]) == 64
    extorted, base = tallies(valid, "extorted_for")
    assert (extorted["more_material"], extorted["money"], extorted["other"], base) == (184, 41, 6, 198)
    threats, base = tallies(valid, "threat_types")
    assert (threats["spread_online"], threats["spread_to_known"], threats["threat_family"], base) == (150, 139, 61, 196)
    link, _ = tallies(valid, "trafficking_link")
    assert (link["no"], link["yes"]) == (224, 48)
    regions, base = tallies(valid, "trafficking_regions")
    assert (regions["asia"], regions["europe"], regions["north_america"], base) == (27, 27, 26, 46)


def test_2016_claims_among_valid_rows():
    wave, _, rows = read_back("2016")
    valid, _ = screen(rows, wave)
    assert len(valid) == 370
    country, _ = tallies(valid, "country")
    assert country["united_states"] == 226 and len(country) == 26
    workload, _ = tallies(valid, "workload_change")
    assert (workload["more_demanding"], workload["unchanged"], workload["less_demanding"]) == (276, 90, 4)
    regions, base = tallies(valid, "victim_regions")
    assert (regions["north_america"], regions["europe"], regions["asia"], base) == (281, 252, 151, 360)


def test_2018_skip_logic_holds_in_every_raw_row():
    _, _, rows = read_back("2018")
    for row in rows:
        a = row["answers"]
        if a["trafficking_link"] != "yes":
            assert not a["trafficking_regions"]
        if a["change_3y"] != "yes":
            assert not a["change_text"] and not a["change_themes"]
        assert bool(a["change_text"]) == bool(a["change_themes"])  # themes are coded from the text
        assert a["grooming_ages_common"] <= a["grooming_ages_seen"]
        assert a["sextortion_ages_common"] <= a["sextortion_ages_seen"]
        if a["threat_most_common"]:
            assert a["threat_most_common"] in a["threat_types"]


@pytest.mark.parametrize("wave_name", WAVES)
def test_label_noise_is_present_and_known(wave_name):
    """Valid rows carry a few labels written another way (case, spaces, a listed variant); the
    readers above fail on any label the wave file does not know."""
    wave, targets, _ = read_back(wave_name)
    header_rows = 2 if wave.format == "surveymonkey" else 3
    raw = paths(wave_name)["raw"].read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(raw, newline="")))[header_rows:]
    canonical = {labels[0] for wq in wave.questions for labels in wq.labels.values() if labels}
    known = {normalise(label) for wq in wave.questions for labels in wq.labels.values() for label in labels}
    cells = [cell for record in records for cell in record[len(wave.metadata_columns) :] if cell]
    noisy = [c for c in cells if normalise(c) in known and c not in canonical]
    assert len(noisy) >= sum(entry["rows"] for entry in targets["messiness"]["label_noise"])
