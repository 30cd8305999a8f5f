"""Wave files of the crafted exports the tests write (a SurveyMonkey and a Qualtrics layout), as the
dicts ``parse_wave`` reads: shared by the clean tests and the configuration tests."""

SM_WAVE = {
    "wave": "sm",
    "format": "surveymonkey",
    "raw": "sm.csv",
    "respondent_id": "Respondent ID",
    "duration": {"start": "Start Date", "end": "End Date", "format": "%m/%d/%Y %I:%M:%S %p"},
    "metadata_columns": ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"],
    "exclusions": {
        "test_rows": {"column": "Collector ID", "values": ["999"]},
        "incomplete": {"required": ["country", "trafficking_link"]},
        "duplicates": {"columns": ["IP Address"], "same_answers": True, "keep": "first"},
        "speeders": {"min_share_of_median": 0.3},
    },
    "questions": {
        "country": {"column": "Country?", "options": {"sweden": ["Sweden"], "united_states": ["United States", "USA"]}},
        "trafficking_link": {"column": "Link?", "options": {"yes": ["Yes"], "no": ["No"]}},
        "trafficking_regions": {
            "column": "Where?",
            "options": {"europe": ["Europe"], "asia": ["Asia"], "oceania": ["Oceania, Pacific"]},
        },
    },
}


QUALTRICS_WAVE = {
    "wave": "q",
    "format": "qualtrics",
    "raw": "q.csv",
    "respondent_id": "ResponseId",
    "duration": {"seconds": "Duration (in seconds)"},
    "metadata_columns": ["ResponseId", "Status", "Finished", "Duration (in seconds)", "IPAddress"],
    "exclusions": {
        "test_rows": {"column": "Status", "values": ["Survey Preview", "Survey Test"]},
        "incomplete": {"column": "Finished", "complete_values": ["True", "1"]},
        "duplicates": {"columns": ["IPAddress"], "same_answers": True},
        "speeders": {"min_share_of_median": 0.3},
    },
    "questions": {
        "workload_change": {"column": "Q2", "options": {"more_demanding": ["More demanding"], "unchanged": ["About the same"], "less_demanding": ["Less demanding"]}},
        "victim_regions": {
            "column": "Q3",
            "options": {
                "north_america": ["North America"],
                "central_america": ["Central America (incl. Mexico, the Caribbean)"],
                "europe": ["Europe"],
                "asia": ["Asia"],
            },
        },
    },
}
