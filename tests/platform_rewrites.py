"""The shipped exports rewritten in the other layouts the platforms write, by our own code from the
platforms' documented formats (no third-party file): each function rewrites the export (and its
wave file, where the layout must be declared) in a copy of the project and returns the wave's name.
Used by tests/workflow/test_platform_layouts.py (through Snakemake) and tests/clean/test_draft_wave.py
(draft-wave on each layout).

- 2016 (Qualtrics, choice texts, tick-all joined in one cell) as a "numeric values" export with the
  tick-all split into one column per choice and codes recoded (reversed, so that no code is its
  choice id), with its survey definition (.qsf) named in the wave file; status and completion
  written as Qualtrics' numeric codes;
- 2016 as the 2016 "Insights" export (the ImportId row a Python dict);
- 2016 as an Excel workbook (.xlsx), the first sheet the same three header rows;
- 2016 as Qualtrics' SPSS file (.sav): value labels for the choice texts, the tick-all split;
- 2018 (SurveyMonkey) as "Unicode text" from Excel: UTF-16 with a BOM, tab-delimited.
"""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl

from netclean_survey.clean.qualtrics import split_choices
from netclean_survey.core.codebook import load_codebook, load_wave, normalise_label


def read_records(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


STATUS_CODES = {"IP Address": "0", "Survey Preview": "1", "Survey Test": "2", "Spam": "8"}  # Qualtrics' numeric Status
FINISHED_CODES = {"True": "1", "False": "0"}


def write_records(path, records, delimiter=",", encoding="utf-8-sig") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(records)
    path.write_text(buffer.getvalue(), encoding=encoding, newline="")


def add_to_wave_file(copy, wave: str, line: str) -> None:
    path = copy / "config" / "waves" / f"{wave}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nquestions:\n", f"\n{line}\nquestions:\n", 1), encoding="utf-8")


def numeric_split_with_a_survey_definition(copy):
    """2016 as Qualtrics writes it with "numeric values" and split tick-all columns, and its .qsf."""
    codebook = load_codebook(copy / "config" / "questionnaire.yaml")
    wave = load_wave(copy / "config" / "waves" / "2016.yaml", codebook)
    raw = copy / wave.raw
    records = read_records(raw)
    ids, texts, imports, rows = records[0], records[1], records[2], records[3:]
    payloads, recoded, choices = [], {}, {}
    for wq in wave.questions:
        options = list(wq.labels)
        choices[wq.question.id] = {oid: str(k + 1) for k, oid in enumerate(options)}  # choice ids 1..n
        recoded[wq.question.id] = {oid: str(len(options) - k) for k, oid in enumerate(options)}  # reversed
        payloads.append({
            "QuestionID": f"QID{ids.index(wq.column) - 10}", "DataExportTag": wq.column, "QuestionType": "MC",
            "Selector": "MAVR" if wq.question.kind == "multi" else "SAVR", "QuestionText": texts[ids.index(wq.column)],
            "Choices": {choices[wq.question.id][oid]: {"Display": wq.labels[oid][0]} for oid in options},
            "RecodeValues": {choices[wq.question.id][oid]: recoded[wq.question.id][oid] for oid in options},
        })
    definition = {"SurveyEntry": {"SurveyID": "SV_2016", "SurveyName": "NetClean 2016 (synthetic)"},
                  "SurveyElements": [{"SurveyID": "SV_2016", "Element": "SQ", "PrimaryAttribute": p["QuestionID"],
                                      "Payload": p} for p in payloads]}
    (copy / "resources" / "raw" / "2016.qsf").write_text(json.dumps(definition, indent=1), encoding="utf-8")

    regions = wave["victim_regions"]
    at = ids.index(regions.column)
    region_options = list(regions.labels)
    new_ids = ids[:at] + [f"{regions.column}_{choices['victim_regions'][o]}" for o in region_options] + ids[at + 1:]
    new_texts = texts[:at] + [f"{texts[at]} - {regions.labels[o][0]}" for o in region_options] + texts[at + 1:]
    split_imports = [json.dumps({"ImportId": json.loads(imports[at])["ImportId"], "choiceId": choices["victim_regions"][o]},
                                separators=(",", ":")) for o in region_options]
    new_imports = imports[:at] + split_imports + imports[at + 1:]
    new_rows = []
    for cells in rows:
        record = dict(zip(ids, cells))
        record["Status"] = STATUS_CODES[record["Status"]]
        record["Finished"] = FINISHED_CODES[record["Finished"]]
        for qid in ("country", "workload_change"):
            column = wave[qid].column
            oid = wave[qid].label_lookup().get(normalise_label(record[column])) if record[column].strip() else None
            record[column] = recoded[qid][oid] if oid else ""
        ticked, unknown = split_choices(record[regions.column], regions)
        assert not unknown
        out = [record[name] for name in ids[:at]] + ["1" if o in ticked else "" for o in region_options]
        new_rows.append(out + [record[name] for name in ids[at + 1:]])
    write_records(raw, [new_ids, new_texts, new_imports] + new_rows)
    add_to_wave_file(copy, "2016", "survey_definition: resources/raw/2016.qsf")
    return "2016"


def insights_import_ids(copy):
    """2016 as the 2016 "Insights" export wrote it: the ImportId row as a Python dict."""
    raw = copy / "resources" / "raw" / "2016.csv"
    records = read_records(raw)
    records[2] = [repr({"ImportId": json.loads(cell)["ImportId"]}) for cell in records[2]]
    write_records(raw, records)
    return "2016"


def an_excel_workbook(copy):
    """2016 downloaded as .xlsx: every cell text, the wave file's `raw:` naming the workbook."""
    raw = copy / "resources" / "raw" / "2016.csv"
    book = openpyxl.Workbook()
    for record in read_records(raw):
        book.active.append(record)
    book.save(copy / "resources" / "raw" / "2016.xlsx")
    raw.unlink()
    path = copy / "config" / "waves" / "2016.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("raw: resources/raw/2016.csv", "raw: resources/raw/2016.xlsx"),
                    encoding="utf-8")
    return "2016"


def unicode_text_from_excel(copy):
    """2018 saved by Excel as "Unicode text": UTF-16 with its BOM, tab-delimited, declared."""
    raw = copy / "resources" / "raw" / "2018.csv"
    write_records(raw, read_records(raw), delimiter="\t", encoding="utf-16")
    path = copy / "config" / "waves" / "2018.yaml"
    text = re.sub(r"^encoding:.*$", 'encoding: "utf-16"', path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(re.sub(r"^delimiter:.*$", lambda _: 'delimiter: "\\t"', text, count=1, flags=re.M), encoding="utf-8")
    return "2018"


def an_spss_file(copy):
    """2016 as Qualtrics' SPSS download (.sav): numeric variables whose value labels are the choice
    texts, the tick-all split into Q3_1.. (1 labelled with its choice, system-missing when not
    ticked), times as SPSS datetimes, names without spaces (``Duration__in_seconds_``), written
    with pyreadstat; the wave file names the variables as the file does."""
    import numpy as np
    import pandas as pd
    import pyreadstat

    codebook = load_codebook(copy / "config" / "questionnaire.yaml")
    wave = load_wave(copy / "config" / "waves" / "2016.yaml", codebook)
    raw = copy / wave.raw
    records = read_records(raw)
    ids, texts, rows = records[0], records[1], records[3:]
    names = {name: re.sub(r"\W", "_", name) for name in ids}  # SPSS: letters, digits and _
    frame, labels, column_labels = {}, {}, {}
    regions = wave["victim_regions"]
    for i, name in enumerate(ids):
        cells = [r[i] for r in rows]
        if name in ("StartDate", "EndDate", "RecordedDate"):
            frame[names[name]] = pd.to_datetime(cells, format="%Y-%m-%d %H:%M:%S")
        elif name in ("Status", "Finished"):
            codes = STATUS_CODES if name == "Status" else FINISHED_CODES
            frame[name] = [float(codes[c]) for c in cells]
            labels[name] = {float(code): text for text, code in codes.items()}
        elif name in ("Progress", "Duration (in seconds)"):
            frame[names[name]] = [float(c) for c in cells]
        elif name == regions.column:
            ticked = [split_choices(c, regions)[0] for c in cells]
            for k, oid in enumerate(regions.labels, start=1):
                frame[f"{name}_{k}"] = [1.0 if oid in t else np.nan for t in ticked]
                labels[f"{name}_{k}"] = {1.0: regions.labels[oid][0]}
                column_labels[f"{name}_{k}"] = f"{texts[i]} - {regions.labels[oid][0]}"
            continue
        elif name in (wave["country"].column, wave["workload_change"].column):
            wq = wave["country"] if name == wave["country"].column else wave["workload_change"]
            code_of = {oid: float(k) for k, oid in enumerate(wq.labels, start=1)}
            frame[name] = [code_of[wq.label_lookup()[normalise_label(c)]] if c.strip() else np.nan for c in cells]
            labels[name] = {code_of[oid]: wq.labels[oid][0] for oid in wq.labels}
        else:
            frame[names[name]] = cells
        column_labels[names[name]] = texts[i]
    table = pd.DataFrame(frame)
    pyreadstat.write_sav(table, str(copy / "resources" / "raw" / "2016.sav"), column_labels=column_labels,
                         variable_value_labels=labels)
    raw.unlink()
    path = copy / "config" / "waves" / "2016.yaml"
    text = path.read_text(encoding="utf-8").replace("raw: resources/raw/2016.csv", "raw: resources/raw/2016.sav")
    path.write_text(text.replace('"Duration (in seconds)"', '"Duration__in_seconds_"'), encoding="utf-8")
    return "2016"


LAYOUTS = [numeric_split_with_a_survey_definition, insights_import_ids, an_excel_workbook, an_spss_file,
           unicode_text_from_excel]


WEIGHT_COLUMNS = {"2018": "Weight", "2016": "weight"}


def weight_of(record: int) -> str:
    """The weight the rewrite gives the export's record number ``record``: 0.5, 1, 1.5 or 2, in turn."""
    return ("0.5", "1", "1.5", "2")[record % 4]


def weight_columns(copy) -> dict[str, dict[str, str]]:
    """Both shipped exports with a column of weights, as each platform writes an extra column: in the
    SurveyMonkey export (2018) a custom variable "Weight" (its name on the first header row, the
    second row empty); in the Qualtrics export (2016) an embedded-data field "weight" (its id, its
    name again and its ImportId on the three header rows). The wave files name it (weight_column,
    metadata_columns). Returns, per wave, each respondent id's weight as written."""
    written = {}
    for wave, headers in (("2018", ["Weight", ""]), ("2016", ["weight", "weight", '{"ImportId":"weight"}'])):
        path = copy / "resources" / "raw" / f"{wave}.csv"
        records = read_records(path)
        column = WEIGHT_COLUMNS[wave]
        id_column = records[0].index("Respondent ID" if wave == "2018" else "ResponseId")
        written[wave] = {}
        for i, record in enumerate(records):
            if i < len(headers):
                record.append(headers[i])
            elif record:
                record.append(weight_of(i))
                written[wave][record[id_column].strip()] = weight_of(i)
        if wave == "2016":  # Qualtrics quotes every field
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
            path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
        else:
            write_records(path, records)
        wave_file = copy / "config" / "waves" / f"{wave}.yaml"
        text = wave_file.read_text(encoding="utf-8")
        assert "\nmetadata_columns: [" in text
        text = text.replace("\nmetadata_columns: [", f'\nmetadata_columns: ["{column}", ', 1)
        wave_file.write_text(text, encoding="utf-8")
        add_to_wave_file(copy, wave, f'weight_column: "{column}"')
    return written
