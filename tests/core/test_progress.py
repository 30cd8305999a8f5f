"""The command line of a run (netclean_survey.core.progress): one line per finished job, none of the
scheduler's chatter, warnings and errors untouched; and the plugin Snakemake finds by name."""

from __future__ import annotations

import logging

import pytest
from snakemake_interface_logger_plugins.common import LogEvent

from netclean_survey.core.progress import ProgressLine, job_label


def record(msg="", level=logging.INFO, **extra) -> logging.LogRecord:
    return logging.makeLogRecord({"msg": msg, "levelno": level, "levelname": logging.getLevelName(level), **extra})


def test_a_finished_job_is_one_line_with_its_place_in_the_run():
    decide = ProgressLine()
    assert decide(record("Job stats: ...", event=LogEvent.RUN_INFO, stats={"clean": 2, "total": 25})).startswith(
        "25 jobs to run")
    assert decide(record(" Rule: clean, Jobid: 9", event=LogEvent.JOB_INFO, jobid=9, rule_name="clean",
                         wildcards={"wave": "2018"})) is None
    assert decide(record(" Rule: claims, Jobid: 3", event=LogEvent.JOB_INFO, jobid=3, rule_name="claims",
                         wildcards={})) is None
    assert decide(record("Finished jobid: 3", event=LogEvent.JOB_FINISHED, job_id=3)) == "[ 1/25] claims"
    assert decide(record("Finished jobid: 9", event=LogEvent.JOB_FINISHED, job_id=9)) == "[ 2/25] clean 2018"


@pytest.mark.parametrize("message", ["Select jobs to execute...", "Execute 3 jobs...", "Using shell: /usr/bin/bash",
                                     "Provided cores: 2", "Building DAG of jobs...",
                                     "Assuming unrestricted shared filesystem usage.",
                                     "Removing temporary output results/.staging/tmp/x.pickle."])
def test_the_schedulers_chatter_is_dropped(message):
    assert ProgressLine()(record(message)) is None


@pytest.mark.parametrize("event", [LogEvent.WORKFLOW_STARTED, LogEvent.PROGRESS, LogEvent.SHELLCMD])
def test_events_said_by_the_jobs_line_are_dropped(event):
    assert ProgressLine()(record("anything", event=event, done=1, total=2)) is None


@pytest.mark.parametrize("message, level, extra", [
    ("Error in rule clean_export:", logging.ERROR, {"event": LogEvent.JOB_ERROR}),
    ("Select jobs to execute...", logging.WARNING, {}),  # a warning is never chatter
    ("Note: wave 2016 has no breakdown by respondent_region", logging.INFO, {}),
    ("Complete log(s): /x/.snakemake/log/a.log", logging.INFO, {}),
    ("Nothing to be done (all requested files are present and up to date).", logging.INFO, {}),
])
def test_errors_warnings_and_the_workflows_own_notes_pass_unchanged(message, level, extra):
    assert ProgressLine()(record(message, level, **extra)) is True


def test_a_job_finished_before_the_run_info_still_gets_a_line():
    decide = ProgressLine()
    assert decide(record("Finished jobid: 4", event=LogEvent.JOB_FINISHED, job_id=4)) == "[1/?] job 4"


def test_a_job_is_named_by_its_rule_and_wildcard_values():
    assert job_label("consistency", {"name": "respondent_mix_2016"}) == "consistency respondent_mix_2016"
    assert job_label("all", None) == "all"


def test_snakemake_finds_the_plugin_by_its_name():
    from snakemake_interface_logger_plugins.registry import LoggerPluginRegistry

    from netclean_survey.core.progress import LogHandler

    assert LoggerPluginRegistry().get_plugin("netclean").log_handler is LogHandler
