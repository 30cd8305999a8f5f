"""R's survey package on a table of rows and margins (tests/weights/weighted_survey.R): the
independent reference of the raking, trimming and weighted intervals, shared by tests/weights and
tests/workflow; and :func:`r_numbers`, what R prints for a script on a design of given rows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd

R_SCRIPT = Path(__file__).parent / "weights" / "weighted_survey.R"


def r_weighted_survey(data: pd.DataFrame, margins, trim, folder: Path) -> tuple[np.ndarray, pd.DataFrame]:
    """(R's weights, R's intervals) for ``data`` (the margin variables and one 0/1 column per question
    and option, empty outside its base), ``margins`` ({variable: {option: share}}) and ``trim``
    ((lower, upper) times the mean weight, None for no bound): ``rake``, ``trimWeights(strict = TRUE)``
    and ``svyciprop`` beta and logit per column."""
    data_path, margins_path = folder / "data.csv", folder / "margins.csv"
    data.to_csv(data_path, index=False)
    pd.DataFrame([(v, o, s) for v, shares in margins.items() for o, s in shares.items()],
                 columns=["variable", "option", "share"]).to_csv(margins_path, index=False, float_format="%.17g")
    lower, upper = ("NA" if bound is None else repr(bound) for bound in trim)
    done = subprocess.run(["Rscript", str(R_SCRIPT), str(data_path), str(margins_path), str(folder / "w.csv"),
                           str(folder / "ci.csv"), lower, upper], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return pd.read_csv(folder / "w.csv")["weight"].to_numpy(dtype=float), pd.read_csv(folder / "ci.csv")


#: A design with weights only, and the waves as its strata (independent samples).
WEIGHTS_ONLY = "svydesign(ids = ~1, weights = ~w, data = x)"
WAVES_AS_STRATA = "svydesign(ids = ~1, strata = ~wave, weights = ~w, data = x)"


def r_numbers(data: pd.DataFrame, script: str, folder: Path, design: str = WEIGHTS_ONLY) -> list[float]:
    """The numbers R prints for ``script`` run with ``data`` as x (its weights in column w) and
    ``design`` as d."""
    path = folder / "data.csv"
    data.to_csv(path, index=False)
    done = subprocess.run(["Rscript", "-e", f'suppressMessages(library(survey)); x <- read.csv("{path}"); '
                           f'd <- {design}; ' + script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [float(v) for v in done.stdout.split()]
