"""Logging for the thin rule scripts: everything goes to the rule's log file, and a known error
(bad input or configuration, a full disk) ends the job with its one-paragraph message instead of a
traceback (``NETCLEAN_TRACEBACK=1`` shows the traceback too)."""

from __future__ import annotations

import errno
import logging
import os
import sys
from contextlib import contextmanager

from .errors import ConfigError, ExportError, PromotionError

KNOWN_ERRORS = (ExportError, ConfigError, PromotionError)


# Errors of the system rather than of the code: said in one paragraph, with what to do.
SYSTEM_ERRORS = {
    errno.ENOSPC: "the disk is full: free some space and rerun snakemake",
    errno.EDQUOT: "the disk quota is exhausted: free some space and rerun snakemake",
    errno.EFBIG: "the file grew larger than the system allows: check `ulimit -f` and rerun snakemake",
    errno.EROFS: "the file system is read-only: run the pipeline in a writable checkout",
    errno.EACCES: "permission denied: check who owns the folder and rerun snakemake",
    errno.EPERM: "operation not permitted: check who owns the folder and rerun snakemake",
    errno.EIO: "an input/output error of the disk: check the disk and rerun snakemake",
}


RELEASE_UNCHANGED = "the published release is unchanged (a run writes only into results/.staging/ until it promotes)"


def system_error_message(error: OSError) -> str | None:
    """One paragraph for an OSError of the system (disk full, permissions), None for any other."""
    advice = SYSTEM_ERRORS.get(error.errno)
    if advice is None:
        return None
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}: {advice}; {RELEASE_UNCHANGED}."


@contextmanager
def logged(log_path: str, name: str):
    try:
        logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO, format="%(levelname)s %(message)s",
                            force=True)
    except OSError as error:  # the log itself cannot be written (disk full): say so, without a traceback
        print(f"error: cannot write the log {log_path}: {system_error_message(error) or error}", file=sys.stderr)
        sys.exit(1)
    logging.raiseExceptions = False  # a log line lost to a full disk must not print a traceback
    logging.captureWarnings(True)  # statistical warnings (e.g. Wald intervals) land in the log
    logger = logging.getLogger(name)
    try:
        yield logger
    except KNOWN_ERRORS as error:
        _stop(logger, str(error))
    except OSError as error:
        message = system_error_message(error)
        if message is None:
            raise
        _stop(logger, message)


def _stop(logger: logging.Logger, message: str) -> None:
    try:
        logger.error("%s", message)
    except OSError:
        pass
    if os.environ.get("NETCLEAN_TRACEBACK"):
        raise
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)
