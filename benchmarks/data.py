"""Synthetic exports of any size for the benchmarks (never published data).

The seeded generator (netclean_survey.synth) builds exact counts by construction, which is
cheap for a thousand respondents. A benchmark wave of N respondents is made from one generated
block: the 2018 targets multiplied by ``BLOCK_FACTOR`` (so every count, base and nesting stays
exact), then copied until N valid respondents are reached. Each copy gets its own respondent ids
and its own addresses (IPv6 documentation range, RFC 3849), so the duplicate screen sees distinct
respondents and every screen still catches exactly its own rows, copy after copy.
"""

from __future__ import annotations

import copy
import csv
import io
import math
from pathlib import Path

from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.yamlfile import read_yaml
from netclean_survey.synth import BOM, FORMATS, generate_export

BLOCK_FACTOR = 2  # 2 x 272 = 544 valid respondents per block (the generator draws from 762 IPv4 documentation addresses)
ID_STRIDE = 10**9  # respondent ids of copy c are the block's ids + c x ID_STRIDE (SurveyMonkey ids < 10^11 + ...)


def scaled_targets(targets: dict, factor: int) -> dict:
    """The targets with every respondent count multiplied by a whole ``factor``: shares, bases,
    nesting (within/outside, superset_of) and the screens' proportions are kept exactly."""
    scaled = copy.deepcopy(targets)
    scaled["respondents"] = int(targets["respondents"]) * factor
    for spec in scaled["questions"].values():
        spec["answered"] = int(spec["answered"]) * factor
        if "outside" in spec:
            spec["outside"] = int(spec["outside"]) * factor
        if "counts" in spec:  # free text has a base only
            spec["counts"] = {option: int(n) * factor for option, n in spec["counts"].items()}
    messiness = scaled.get("messiness") or {}
    for key in ("preview_rows", "test_rows", "partial_rows", "duplicate_rows", "speeder_rows"):
        if key in messiness:
            messiness[key] = int(messiness[key]) * factor
    return scaled


def block_export(root: Path, wave: str = "2018") -> tuple[list[str], list[list[str]], int, dict]:
    """Header rows, body rows and number of valid respondents of one generated block."""
    codebook = load_codebook(root / "config" / "questionnaire.yaml")
    spec = load_wave(root / "config" / "waves" / f"{wave}.yaml", codebook)
    if spec.format != "surveymonkey":
        raise ValueError("the benchmark blocks are SurveyMonkey exports (two header rows)")
    targets = scaled_targets(read_yaml(root / "config" / "synthetic" / f"{wave}.yaml"), BLOCK_FACTOR)
    text = generate_export(spec, targets, int(targets["seed"]))
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), delimiter=spec.delimiter))
    return rows[:2], rows[2:], int(targets["respondents"]), {"delimiter": spec.delimiter, **FORMATS[spec.format]}


def write_scaled_export(root: Path, respondents: int, out: Path, wave: str = "2018") -> int:
    """Write an export with at least ``respondents`` valid respondents; return how many it has."""
    header, body, per_block, dialect = block_export(root, wave)
    names = header[0]
    id_col, ip_col = names.index("Respondent ID"), names.index("IP Address")
    copies = math.ceil(respondents / per_block)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(BOM)
        writer = csv.writer(handle, **dialect)
        writer.writerows(header)
        addresses = sorted({row[ip_col] for row in body})
        index = {address: i for i, address in enumerate(addresses)}
        for c in range(copies):
            for row in body:
                row = list(row)
                row[id_col] = str(int(row[id_col]) + c * ID_STRIDE)
                row[ip_col] = f"2001:db8::{c:x}:{index[row[ip_col]]:x}"
                writer.writerow(row)
    return copies * per_block
