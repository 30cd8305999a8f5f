"""A short command line for a run: one line per finished job instead of Snakemake's block of every
input and output (a job of this workflow lists up to 200 files), and none of the scheduler's
"Select jobs to execute..." chatter.

Snakemake has no setting for this: its ``--quiet`` hides the per-job blocks but keeps the
scheduler's lines, or hides everything. So this is a Snakemake logger plugin
(snakemake-interface-logger-plugins), registered as ``netclean`` by the thin module
``workflow/snakemake_logger_plugin_netclean`` and chosen by ``profiles/default`` (``logger:``).
Warnings, errors and the failed jobs' logs pass through unchanged, formatted by Snakemake's own
formatter; so does everything in a dry run (which is for reading what would run) and with
``--verbose``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping

from snakemake.logging import ColorizingTextHandler, DefaultFilter, DefaultFormatter
from snakemake_interface_logger_plugins.base import LogHandlerBase
from snakemake_interface_logger_plugins.common import LogEvent

# Snakemake's informational lines that say nothing a reader of this workflow needs: the scheduler's
# rounds, the set-up it always does. Matched at the start of the message.
CHATTER = re.compile(
    r"(Select jobs to execute\.\.\.|Execute \d+ jobs\.\.\.|Using shell: |Provided cores: |Provided resources: "
    r"|Rules claiming more threads will be scaled down\.|Assuming unrestricted shared filesystem usage\."
    r"|Building DAG of jobs\.\.\.|Conda environments: ignored|Singularity containers: ignored|Job stats:"
    r"|Removing temporary output )"
)
# Events whose content is said by the job's own line or not needed on the command line.
SILENT_EVENTS = {LogEvent.WORKFLOW_STARTED, LogEvent.JOB_STARTED, LogEvent.SHELLCMD, LogEvent.RESOURCES_INFO,
                 LogEvent.PROGRESS, LogEvent.GROUP_INFO, LogEvent.DEBUG_DAG, LogEvent.RULEGRAPH}


def job_label(rule_name: str, wildcards: Mapping[str, object] | None) -> str:
    """What a job is, in a few words: its rule and its wildcards' values (``clean 2018``)."""
    values = [str(value) for value in (wildcards or {}).values()]
    return " ".join([rule_name, *values])


class ProgressLine:
    """Decides, record by record, what the command line shows: ``None`` to drop a record, ``True``
    to pass it to Snakemake's formatter unchanged, or a line of its own. Kept apart from the handler
    so that it is tested without a Snakemake run."""

    def __init__(self) -> None:
        self.labels: dict[int, str] = {}
        self.finished = 0
        self.total: int | None = None

    def __call__(self, record: logging.LogRecord) -> str | bool | None:
        if record.levelno >= logging.WARNING:
            return True
        event = getattr(record, "event", None)
        if event in SILENT_EVENTS:
            return None
        if event == LogEvent.RUN_INFO:
            stats = getattr(record, "stats", None) or {}
            if "total" not in stats:
                return None
            self.total = int(stats["total"])
            return f"{self.total} jobs to run (each line below is one finished job; --dry-run lists them):"
        if event == LogEvent.JOB_INFO:
            self.labels[record.jobid] = job_label(record.rule_name, getattr(record, "wildcards", None))
            return None
        if event == LogEvent.JOB_FINISHED:
            self.finished += 1
            label = self.labels.get(record.job_id, f"job {record.job_id}")
            total = self.total if self.total is not None else "?"
            return f"[{self.finished:>{len(str(total))}}/{total}] {label}"
        if event is None and CHATTER.match(str(record.msg or "")):
            return None
        return True  # errors of jobs, notes of the workflow, the log's path, the elapsed time


class LogHandler(LogHandlerBase):
    """The ``netclean`` logger plugin's handler: :class:`ProgressLine` decides, Snakemake's own
    stream handler writes (so that colours, errors and failed logs look as Snakemake makes them)."""

    def __post_init__(self) -> None:
        settings = self.common_settings
        self.stream = ColorizingTextHandler(nocolor=settings.nocolor,
                                            stream=sys.stdout if settings.stdout else sys.stderr)
        self.stream.setFormatter(DefaultFormatter(settings.quiet, settings.show_failed_logs))
        self.default_filter = DefaultFilter(settings.quiet, settings.debug_dag, settings.verbose, settings.dryrun,
                                            settings.printshellcmds)
        self.passthrough = settings.dryrun or settings.verbose or settings.debug_dag
        self.decide = ProgressLine()

    def emit(self, record: logging.LogRecord) -> None:
        if not self.default_filter.filter(record):
            return
        decision = True if self.passthrough else self.decide(record)
        if decision is None:
            return
        if decision is True:
            self.stream.emit(record)
        else:
            self.stream.stream.write(decision + "\n")
            self.stream.flush()

    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return True

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False
