"""Two crafted exports in the layouts the shipped exports do not use, written by our own code from the
platforms' documented layouts (test data, not survey data), with their wave files as dicts and the
answers the counts are worked from by hand:

- ``sm_layouts``, SurveyMonkey: a condensed single choice (country), an expanded single choice (one
  column per option: workload), a single choice with an "Other (please specify)" box (the most common
  threat) and a grid whose two rows are single-choice questions (change_3y, trafficking_link), and a
  row sent by the test collector;
- ``q_legacy``, the legacy Qualtrics layout: two header rows, the metadata named V1..V10 (Status and
  Finished written as numbers), numeric codes, a tick-all split into one column per choice with a
  text box on one choice, the empty column without a header such an export ends with, an
  unfinished row and a preview.

Used by tests/workflow/test_crafted_layouts.py (through Snakemake) and tests/clean/test_draft_wave.py
(draft-wave on each).
"""

from __future__ import annotations

import csv
import io

SM_METADATA = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
COUNTRY, WORKLOAD, THREAT, GRID = ("In which country do you work?", "How has your workload changed?",
                                   "Which type of threat is the most common?", "About your investigations")
WORKLOAD_LABELS = ["More demanding", "About the same", "Less demanding"]
SPREAD, CHILD = "Threat to spread the images online", "Physical threats against the child"
CHANGED, LINK = "Cases have changed in the last three years", "I see a connection to trafficking"
SM_ANSWERS = [  # country, workload (expanded), threat, its Other box, grid: changed, link
    ("Sweden", "More demanding", SPREAD, "", "Yes", "Yes"),
    ("Sweden", "More demanding", "", "Threats to publish a diary", "Yes", "No"),  # chose Other
    ("Norway", "About the same", CHILD, "", "No", "No"),
    ("United States", "Less demanding", SPREAD, "", "Yes", "Yes"),
    ("United States", "", SPREAD, "", "No", "Yes"),  # workload not answered
    ("Norway", "More demanding", "", "", "Yes", "Yes"),  # threat not answered
    ("Sweden", "Less demanding", SPREAD, "", "Yes", "Yes"),  # sent by the test collector: screened out
]
SM_WAVE = {
    "wave": "sm_layouts", "title": {"sv": "Testdata (SurveyMonkey)", "en": "Test data (SurveyMonkey)"},
    "format": "surveymonkey", "raw": "resources/raw/sm_layouts.csv", "respondent_id": "Respondent ID",
    "metadata_columns": SM_METADATA, "exclusions": {"test_rows": {"column": "Collector ID", "values": ["999"]}},
    "questions": {
        "country": {"column": COUNTRY, "options": {"sweden": ["Sweden"], "norway": ["Norway"],
                                                   "united_states": ["United States"]}},
        "workload_change": {"column": WORKLOAD, "options": dict(zip(("more_demanding", "unchanged", "less_demanding"),
                                                                    ([label] for label in WORKLOAD_LABELS)))},
        "threat_most_common": {"column": THREAT, "options": {"spread_online": [SPREAD], "threat_child": [CHILD]},
                               "other_text": {"option": "other", "column": "Other (please specify)"}},
        "change_3y": {"column": GRID, "row": CHANGED, "options": {"yes": ["Yes"], "no": ["No"]}},
        "trafficking_link": {"column": GRID, "row": LINK, "options": {"yes": ["Yes"], "no": ["No"]}},
    },
}

REGIONS = ["North America", "Central America (incl. Mexico, the Caribbean)", "Europe", "Asia", "Other region"]
REGION_IDS = ["north_america", "central_america", "europe", "asia", "africa"]
Q_ANSWERS = [  # id, Status (V7), Finished (V10), workload code, ticked choice numbers, the Other box
    ("R_1", "0", "1", "1", {1, 2, 4}, ""),
    ("R_2", "0", "1", "2", {3}, ""),
    ("R_3", "0", "1", "3", set(), ""),
    ("R_4", "0", "1", "1", {3, 4, 5}, "Greenland"),
    ("R_5", "0", "1", "", {2}, ""),
    ("R_6", "0", "0", "1", {1}, ""),  # not finished: screened out
    ("R_9", "1", "1", "1", {1}, ""),  # a survey preview: screened out
]
Q_WAVE = {
    "wave": "q_legacy", "title": {"sv": "Testdata (Qualtrics)", "en": "Test data (Qualtrics)"},
    "format": "qualtrics", "raw": "resources/raw/q_legacy.csv", "respondent_id": "V1",
    "metadata_columns": [f"V{i}" for i in range(1, 11)],
    "duration": {"start": "V8", "end": "V9", "format": "%Y-%m-%d %H:%M:%S"},
    "exclusions": {"test_rows": {"column": "V7", "values": ["Survey Preview", "Survey Test"]},
                   "incomplete": {"column": "V10", "complete_values": ["True"]},
                   "duplicates": {"columns": ["V6"], "same_answers": True}},
    "questions": {
        "workload_change": {"column": "Q2", "options": {"more_demanding": [], "unchanged": [], "less_demanding": []},
                            "codes": {"more_demanding": 1, "unchanged": 2, "less_demanding": 3}},
        "victim_regions": {"column": "Q3", "options": {oid: [] for oid in REGION_IDS},
                           "codes": {oid: k for k, oid in enumerate(REGION_IDS, start=1)},
                           "other_text": {"option": "africa", "column": "Q3_5_TEXT"}},
    },
}


def write(path, records) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(records)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")


def surveymonkey_export(path) -> None:
    top = SM_METADATA + [COUNTRY, WORKLOAD, "", "", THREAT, "", GRID, ""]
    sub = [""] * len(SM_METADATA) + ["Response", *WORKLOAD_LABELS, "Response", "Other (please specify)", CHANGED, LINK]
    rows = []
    for i, (country, workload, threat, other, changed, link) in enumerate(SM_ANSWERS, start=1):
        collector = "999" if i == len(SM_ANSWERS) else "1"
        metadata = [str(100 + i), collector, f"05/0{i}/2019 10:00:00 AM", f"05/0{i}/2019 10:20:00 AM", f"192.0.2.{i}"]
        rows.append(metadata + [country] + [label if label == workload else "" for label in WORKLOAD_LABELS]
                    + [threat, other, changed, link])
    write(path, [top, sub, *rows])


def legacy_qualtrics_export(path) -> None:
    ids = [f"V{i}" for i in range(1, 11)] + ["Q2"] + [f"Q3_{k}" for k in range(1, 6)] + ["Q3_5_TEXT", ""]
    texts = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
             "StartDate", "EndDate", "Finished", "Workload?"] + [f"Where?-{r}" for r in REGIONS] + ["Where?-TEXT", ""]
    rows = []
    for k, (rid, status, finished, workload, ticked, other) in enumerate(Q_ANSWERS, start=1):
        rows.append([rid, "Default Response Set", "Anonymous", "", "", f"198.51.100.{k}", status,
                     f"2019-06-0{k} 10:00:00", f"2019-06-0{k} 10:15:00", finished, workload]
                    + ["1" if n in ticked else "" for n in range(1, 6)] + [other, ""])
    write(path, [ids, texts, *rows])


