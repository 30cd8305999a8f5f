"""Logging for the thin rule scripts: everything goes to the rule's log file, and a known error
(bad input or configuration) ends the job with its one-paragraph message instead of a traceback."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager

from .codebook import ConfigError
from .ingest import ExportError

KNOWN_ERRORS = (ExportError, ConfigError)


@contextmanager
def logged(log_path: str, name: str):
    logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO, format="%(levelname)s %(message)s", force=True)
    logging.captureWarnings(True)  # statistical warnings (e.g. Wald intervals) land in the log
    logger = logging.getLogger(name)
    try:
        yield logger
    except KNOWN_ERRORS as error:
        logger.error("%s", error)
        if os.environ.get("NETCLEAN_TRACEBACK"):
            raise
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
