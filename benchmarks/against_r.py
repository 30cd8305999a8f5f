"""Our per-option estimate against R's survey package on the same rows (issue 15).

The same respondents, option by option: our ``estimate.shares.estimate_question`` with
Clopper-Pearson intervals, and R's ``survey::svyciprop(method = "beta")`` (Korn and Graubard 1998)
on an equal-weight design of the same rows (benchmarks/svyciprop.R). With equal weights the
Korn-Graubard interval is the Clopper-Pearson interval of ``n - 1`` trials (survey's variance of a
mean has the factor ``n / (n - 1)``, so its effective sample size is ``n - 1``): the two methods
coincide as ``n`` grows (at 100,000 respondents the bounds differ by about 1e-8, at 272 by about
1e-4), so the comparison is made on large waves, to 1e-6. R's time is the loop of its intervals
alone (read inside R, not the file's reading); ours is the estimate of every question, in process.

R and the survey package come from Debian (r-base-core, r-cran-survey): :func:`r_unavailable`
installs them when missing and root, else says why (the test and the suite then skip, saying so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
R_SCRIPT = HERE / "svyciprop.R"
R_PACKAGES = ["r-base-core", "r-cran-survey"]


def _has_survey() -> bool:
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(["Rscript", "-e", "suppressMessages(library(survey))"], capture_output=True, timeout=120)
    return done.returncode == 0


def r_unavailable() -> str | None:
    """Why R's survey package cannot run here (None: it can), after installing it when missing."""
    if _has_survey():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "R's survey package is not installed (Debian: apt-get install r-base-core r-cran-survey) and " \
               "this process cannot install it (not root, or no apt-get)"
    done = subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *R_PACKAGES],
                          capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if done.returncode != 0:
        return f"apt-get install {' '.join(R_PACKAGES)} failed: {done.stderr.strip()[-300:]}"
    return None if _has_survey() else "R installed, but library(survey) does not load"


def indicator_table(responses: pd.DataFrame, questions) -> pd.DataFrame:
    """One column per (question, option), named ``question__option``: 1 when the respondent chose
    (single) or ticked (multi) the option, 0 when not, empty when outside the question's base (not
    answered). The rows and bases are those ``estimate_question`` counts."""
    columns = {}
    for question in questions:
        if question.kind == "single":
            answer = responses[question.id]
            answered = answer.notna()
            for option in question.option_ids:
                values = (answer.astype("string") == option).astype("Int8")
                columns[f"{question.id}__{option}"] = values.where(answered)
        elif question.kind == "multi":
            ticks = responses[[f"{question.id}__{o}" for o in question.option_ids]]
            answered = ticks.notna().all(axis=1)
            for option in question.option_ids:
                values = ticks[f"{question.id}__{option}"].astype("boolean").astype("Int8")
                columns[f"{question.id}__{option}"] = values.where(answered)
    return pd.DataFrame(columns)


def our_intervals(responses: pd.DataFrame, questions, conf_level: float = 0.95) -> tuple[pd.DataFrame, float]:
    """Clopper-Pearson intervals of every option by ``estimate_question`` (column, estimate, low,
    high) and the seconds they took."""
    from netclean_survey.estimate.shares import estimate_question

    started = time.perf_counter()
    tables = [estimate_question(responses, q, "clopper-pearson", conf_level, None) for q in questions
              if q.kind in ("single", "multi")]
    seconds = time.perf_counter() - started
    table = pd.concat(tables, ignore_index=True)
    out = pd.DataFrame({"column": table["question"] + "__" + table["option"], "estimate": table["share"],
                        "low": table["ci_low"], "high": table["ci_high"]})
    return out, seconds


def r_intervals(indicators: pd.DataFrame, conf_level: float = 0.95) -> tuple[pd.DataFrame, float]:
    """``survey::svyciprop(method = "beta")`` of every column (benchmarks/svyciprop.R) and the
    seconds R's loop took."""
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "indicators.csv", Path(folder) / "r.csv"
        indicators.to_csv(source, index=False, na_rep="NA")
        done = subprocess.run(["Rscript", str(R_SCRIPT), str(source), str(out), str(conf_level)],
                              capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise RuntimeError(f"Rscript {R_SCRIPT.name} failed:\n{done.stderr[-3000:]}")
        return pd.read_csv(out), float(done.stdout.strip().splitlines()[-1])


def compare_with_r(responses: pd.DataFrame, questions, conf_level: float = 0.95) -> dict:
    """Both, side by side: the largest difference of estimates and of bounds, and both times."""
    ours, our_seconds = our_intervals(responses, questions, conf_level)
    theirs, r_seconds = r_intervals(indicator_table(responses, questions), conf_level)
    merged = ours.merge(theirs, on="column", suffixes=("_ours", "_r"), validate="one_to_one")
    assert len(merged) == len(ours) == len(theirs)
    bounds = np.abs(merged[["low_ours", "high_ours"]].to_numpy() - merged[["low_r", "high_r"]].to_numpy())
    return {"options": len(merged), "rows": len(responses),
            "max_estimate_difference": float(np.nanmax(np.abs(merged["estimate_ours"] - merged["estimate_r"]))),
            "max_bound_difference": float(np.nanmax(bounds)), "our_seconds": our_seconds, "r_seconds": r_seconds,
            "table": merged}


def replicated(responses: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The responses copied whole until there are at least ``rows`` (every share stays the same)."""
    copies = -(-rows // len(responses))
    return pd.concat([responses] * copies, ignore_index=True)
