"""The benchmark suite: time and peak memory of the pipeline, from one survey to a thousand.

    make bench                       # or: .venv/bin/python benchmarks/suite.py
    .venv/bin/python benchmarks/suite.py --repeats 5 --sizes 1000 10000 --only one_wave

Writes ``results/benchmarks/``: ``runs.csv`` (every run), ``summary.csv`` (medians),
``targets.csv`` (each target of the performance issue, measured against its limit),
``environment.csv`` (cores, CPU, library versions, commit) and ``scaling.png`` (time and peak
memory against respondents). Every measurement runs on a copy of the project in
``benchmarks/runs/scratch/``; the shipped results are never touched. All data are synthetic: the
shipped reconstructed exports, and larger waves built from the seeded generator (benchmarks/data.py).

Cases (each repeated ``--repeats`` times; the summary gives the median):

- ``python_import``: a bare Python start that imports pandas, statsmodels and seaborn (the baseline
  of the cold run);
- ``snakemake_version``: ``snakemake --version`` (the baseline of the no-op rerun);
- ``cold_run``: ``snakemake --cores 4`` on a fresh copy, from empty results;
- ``noop_rerun``: the same command again, nothing changed;
- ``add_wave``: the release, then the 2019 test fixture added as the README's walkthrough says;
- ``one_wave``: one wave of N generated respondents through clean, estimate, tables and figures
  (Snakemake ``--until``), with each job's time and peak memory from its ``benchmark:`` file;
- ``read_csv``: ``pandas.read_csv(export, dtype=str)`` of the largest one-wave export, in a Python
  process of its own (the yardstick of clean + estimate);
- ``figures_yardstick``: a minimal script that draws and saves as many charts as one wave's figures
  job (a seaborn bar chart of 10 bars, seaborn's defaults, PNG and SVG each), in one process (the
  yardstick of the figures job);
- ``twenty_waves``: 20 waves of about 1,000 respondents through every per-wave stage (clean,
  estimate, tables, figures, breakdowns); ``twenty_waves_compared`` (once, not in the default set)
  adds the comparison of each wave with the one before on every shared question;
- ``bootstrap``: the Bilder-Loughin MMI bootstrap, B = 9,999, on the shipped 2016 and 2018 regions
  (in process), with its p-value checked against the committed release;
- ``against_r``: our per-option estimate (Clopper-Pearson) and R's ``survey::svyciprop(method =
  "beta")`` on the same rows, the 2018 respondents copied to the largest ``--sizes`` (1,000,000), every
  option of every question (benchmarks/against_r.py; R installed from Debian when missing and root,
  else skipped with the reason in runs.csv): both times and the largest difference of the bounds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from data import write_scaled_export  # noqa: E402

COPIED = ["Snakefile", "config", "workflow", "resources", "environment.yml", "requirements.lock", "profiles"]
RELEASE = "netclean-2018"
BIN = Path(sys.executable).parent
SCRATCH = ROOT / "benchmarks" / "runs" / "scratch"
DATA = ROOT / "benchmarks" / "runs" / "data"
CASES = ("python_import", "snakemake_version", "cold_run", "noop_rerun", "add_wave", "one_wave", "read_csv",
         "figures_yardstick", "twenty_waves", "bootstrap", "against_r", "twenty_waves_compared")
DEFAULT_CASES = CASES[:-1]
ONE_WAVE_STAGES = ("clean_export", "clean", "estimate", "tables", "figures")
CLEAN_AND_ESTIMATE = ("clean_export", "clean", "estimate")
LIBRARIES = ("pandas", "pyarrow", "numpy", "scipy", "statsmodels", "pandera", "matplotlib", "seaborn", "snakemake")


# --------------------------------------------------------------------------------------------
# Running things


def copy_project(name: str, with_results_from: Path | None = None) -> Path:
    """A fresh copy of the project (or of an earlier copy, results and Snakemake state included)."""
    work = SCRATCH / name
    shutil.rmtree(work, ignore_errors=True)
    if with_results_from is not None:
        shutil.copytree(with_results_from, work, symlinks=True)  # copy2 keeps times: nothing looks newer
        return work
    work.mkdir(parents=True)
    for item in COPIED:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, work / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, work / item)
    return work


def measure(command: list[str], cwd: Path) -> dict:
    """Wall time and peak memory of ``command`` and everything it starts (benchmarks/measure.py)."""
    env = {**os.environ, "PYTHONPATH": str(cwd / "workflow")}
    wrapped = [sys.executable, str(HERE / "measure.py"), "--", *command]
    done = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def snakemake(*args: str) -> list[str]:
    return [str(BIN / "snakemake"), *args]


def job_benchmarks(work: Path, stages: tuple[str, ...], wave: str) -> dict[str, dict]:
    """Seconds and peak memory of each job, from the rules' ``benchmark:`` files."""
    out = {}
    for stage in stages:
        table = pd.read_csv(work / "benchmarks" / "runs" / RELEASE / stage / f"{wave}.tsv", sep="\t")
        out[stage] = {"seconds": float(table["s"].iat[-1]), "max_rss_mb": float(table["max_rss"].iat[-1])}
    return out


def row(case: str, size, stage: str, repeat: int, result: dict, **extra) -> dict:
    return {"case": case, "size": size, "stage": stage, "repeat": repeat,
            "seconds": result["seconds"], "max_rss_mb": result.get("max_rss_mb"), **extra}


# --------------------------------------------------------------------------------------------
# Cases


def case_python_import(repeats: int, **_) -> list[dict]:
    command = [sys.executable, "-c", "import pandas, statsmodels.api, seaborn"]
    return [row("python_import", None, "total", r, measure(command, ROOT)) for r in range(repeats)]


def case_snakemake_version(repeats: int, **_) -> list[dict]:
    return [row("snakemake_version", None, "total", r, measure(snakemake("--version"), ROOT)) for r in range(repeats)]


def case_cold_run(repeats: int, state: dict, **_) -> list[dict]:
    rows = []
    for r in range(repeats):
        work = copy_project("cold_run")
        rows.append(row("cold_run", 642, "total", r, measure(snakemake("--cores", "4"), work)))
    state["release"] = work
    return rows


def case_noop_rerun(repeats: int, state: dict, **_) -> list[dict]:
    work = state.get("release") or _release_copy(state)
    rows = []
    for r in range(repeats):
        result = measure(snakemake("--cores", "4"), work)
        rows.append(row("noop_rerun", 642, "total", r, result))
    return rows


def _release_copy(state: dict) -> Path:
    work = copy_project("cold_run")
    measure(snakemake("--cores", "4"), work)
    state["release"] = work
    return work


def case_add_wave(repeats: int, state: dict, **_) -> list[dict]:
    release = state.get("release") or _release_copy(state)
    fixture = ROOT / "tests" / "fixtures" / "wave_2019"
    rows = []
    for r in range(repeats):
        work = copy_project("add_wave", with_results_from=release)
        shutil.copy2(fixture / "2019.csv", work / "resources" / "raw" / "2019.csv")
        shutil.copy2(fixture / "2019.yaml", work / "config" / "waves" / "2019.yaml")
        config = work / "config" / "config.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace('waves: ["2016", "2018"]', 'waves: ["2016", "2018", "2019"]'), encoding="utf-8")
        rows.append(row("add_wave", 1, "total", r, measure(snakemake("--cores", "4"), work)))
        shutil.rmtree(work)
    return rows


def scaled_export(respondents: int) -> tuple[Path, int]:
    """The cached synthetic export of at least ``respondents`` valid respondents, and its count."""
    path = DATA / f"wave_{respondents}.csv"
    count_file = path.with_suffix(".count")
    if not (path.exists() and count_file.exists()):
        count = write_scaled_export(ROOT, respondents, path)
        count_file.write_text(str(count))
    return path, int(count_file.read_text())


def case_one_wave(repeats: int, sizes: list[int], **_) -> list[dict]:
    rows = []
    for size in sizes:
        export, respondents = scaled_export(size)
        for r in range(repeats):
            work = copy_project("one_wave")
            raw = work / "resources" / "raw" / "2018.csv"
            raw.unlink()
            raw.symlink_to(export)
            total = measure(snakemake("--cores", "2", "--until", "tables_2018", "figures_2018"), work)
            rows.append(row("one_wave", respondents, "total", r, total))
            for stage, result in job_benchmarks(work, ONE_WAVE_STAGES, "2018").items():
                rows.append(row("one_wave", respondents, stage, r, result))
            shutil.rmtree(work)
    return rows


def case_read_csv(repeats: int, sizes: list[int], **_) -> list[dict]:
    """The yardstick of clean + estimate: a bare read of the largest export as text."""
    export, respondents = scaled_export(max(sizes))
    command = [sys.executable, "-c", f"import pandas; pandas.read_csv({str(export)!r}, dtype=str)"]
    return [row("read_csv", respondents, "total", r, measure(command, ROOT)) for r in range(repeats)]


#: One wave's figures job draws this many charts (26 figures of the 2018 wave, PNG and SVG each).
YARDSTICK_CHARTS = 26
FIGURES_YARDSTICK = f"""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import seaborn as sns
labels = [f"Option {{i}}" for i in range(10)]
values = [5 * i + 3 for i in range(10)]
for i in range({YARDSTICK_CHARTS}):
    fig, ax = plt.subplots(figsize=(7, 4))
    sns.barplot(x=values, y=labels, ax=ax)
    ax.set_title(f"Chart {{i}}")
    fig.savefig(f"chart_{{i}}.png")
    fig.savefig(f"chart_{{i}}.svg")
    plt.close(fig)
"""


def case_figures_yardstick(repeats: int, **_) -> list[dict]:
    """The yardstick of the figures job: as many charts, drawn and saved as plainly as seaborn does."""
    rows = []
    for r in range(repeats):
        work = SCRATCH / "figures_yardstick"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        rows.append(row("figures_yardstick", YARDSTICK_CHARTS, "total", r,
                        measure([sys.executable, "-c", FIGURES_YARDSTICK], work)))
        shutil.rmtree(work)
    return rows


def twenty_wave_project(waves: int = 20) -> Path:
    work = copy_project("twenty_waves")
    export, _ = scaled_export(1000)
    names = [f"w{i:02d}" for i in range(1, waves + 1)]
    template = (work / "config" / "waves" / "2018.yaml").read_text(encoding="utf-8")
    for name in names:
        (work / "resources" / "raw" / f"{name}.csv").symlink_to(export)
        text = template.replace('wave: "2018"', f'wave: "{name}"').replace("raw: resources/raw/2018.csv", f"raw: resources/raw/{name}.csv")
        (work / "config" / "waves" / f"{name}.yaml").write_text(text, encoding="utf-8")
    config = work / "config" / "config.yaml"
    text = config.read_text(encoding="utf-8").replace('waves: ["2016", "2018"]', f"waves: {json.dumps(names)}")
    # comparisons and claims named for 2016 and 2018 do not apply; each wave is compared with the one before
    lines, skip = [], False
    for line in text.splitlines():
        key = line.split(":")[0].strip()
        if line.startswith("  ") and key in {"between", "within", "paired_questions", "contrasts"}:
            lines.append(f"  {key}: []")
            skip = True
            continue
        if skip and (line.startswith("    ") or not line.strip()):
            continue
        skip = False
        lines.append(line)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return work


def case_twenty_waves(repeats: int, **_) -> list[dict]:
    rows = []
    for r in range(repeats):
        work = twenty_wave_project()
        # one output of each per-wave job (a job writes all its outputs): every per-wave stage, no comparison
        targets = [f"results/.staging/{RELEASE}/w{i:02d}/{path}".replace("{w}", f"w{i:02d}") for i in range(1, 21) for path in
                   ("tables/{w}.xlsx", "figures/country.en.png", "breakdowns/respondent_region/tests.csv")]
        rows.append(row("twenty_waves", 20, "total", r, measure(snakemake("--cores", "4", *targets), work)))
        shutil.rmtree(work)
    return rows


def case_twenty_waves_compared(repeats: int, **_) -> list[dict]:
    """Once: 20 waves with every comparison (the audit of the claims is left out: it names 2016 and 2018)."""
    work = twenty_wave_project()
    command = snakemake("--cores", "4", "--omit-from", "claims", "consistency", "manifest")
    result = [row("twenty_waves_compared", 20, "total", 0, measure(command, work))]
    shutil.rmtree(work)
    return result


def case_bootstrap(repeats: int, **_) -> list[dict]:
    """The MMI bootstrap of the shipped regions comparison, timed in process (the statistics alone)."""
    from netclean_survey.core.codebook import load_codebook, load_wave
    from netclean_survey.core.yamlfile import read_yaml
    from netclean_survey.compare.independent import mmi_test
    from netclean_survey.compare.sides import aligned_ticks, shared_options, side
    from netclean_survey.clean.stage import clean_export

    config = read_yaml(ROOT / "config" / "config.yaml")
    spec = next(c for c in config["compare"]["between"] if c["name"] == "regions_2016_vs_2018")
    codebook = load_codebook(ROOT / "config" / "questionnaire.yaml")
    sides = []
    for part in ("a", "b"):
        wave = load_wave(ROOT / "config" / "waves" / f"{spec[part]['wave']}.yaml", codebook)
        # the full responses, as the run computes from them (the release publishes disclosure-checked ones)
        responses = clean_export(ROOT / wave.raw, wave).responses
        sides.append(side(responses, codebook, wave, spec[part]["question"], spec.get("harmonise", False)))
    ids = [o.id for o in shared_options(*sides)[0]]
    groups = [aligned_ticks(s, ids).to_numpy() for s in sides]
    resamples, seed = int(config["compare"]["bootstrap_resamples"]), int(config["compare"]["seed"])
    published = pd.read_csv(ROOT / "results" / RELEASE / "compare" / spec["name"] / "test.csv", dtype=str)
    published_p = float(published.set_index("key")["value"]["p_bootstrap"])
    rows = []
    for r in range(repeats):
        start = time.perf_counter()
        result = mmi_test(groups, B=resamples, seed=seed, options=ids)
        seconds = time.perf_counter() - start
        same = abs(result["p_bootstrap"] - published_p) < 5e-5  # the release prints 4 decimals
        rows.append(row("bootstrap", resamples, "mmi_test", r, {"seconds": seconds},
                        p_value=result["p_bootstrap"], published_p_value=published_p, same_p_value=same))
    return rows


def case_against_r(repeats: int, sizes: list[int], **_) -> list[dict]:
    """Ours and R's survey package, option by option, on the same rows (benchmarks/against_r.py)."""
    import against_r
    from netclean_survey.clean.stage import clean_export
    from netclean_survey.core.codebook import load_codebook, load_wave, published_questions

    reason = against_r.r_unavailable()
    size = max(sizes)
    if reason:
        return [{"case": "against_r", "size": size, "stage": "skipped", "repeat": 0, "seconds": None,
                 "max_rss_mb": None, "note": reason}]
    codebook = load_codebook(ROOT / "config" / "questionnaire.yaml")
    wave = load_wave(ROOT / "config" / "waves" / "2018.yaml", codebook)
    rows = against_r.replicated(clean_export(ROOT / wave.raw, wave).responses, size)
    out = []
    for r in range(repeats):
        result = against_r.compare_with_r(rows, published_questions(wave))
        extra = {"options": result["options"], "max_bound_difference": result["max_bound_difference"]}
        out.append(row("against_r", len(rows), "ours", r, {"seconds": result["our_seconds"]}, **extra))
        out.append(row("against_r", len(rows), "r_svyciprop", r, {"seconds": result["r_seconds"]}, **extra))
    return out


# --------------------------------------------------------------------------------------------
# Summary, targets, environment, plot


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    grouped = runs.groupby(["case", "size", "stage"], dropna=False, sort=False)
    return grouped.agg(runs=("seconds", "size"), median_s=("seconds", "median"), min_s=("seconds", "min"),
                       max_s=("seconds", "max"), median_max_rss_mb=("max_rss_mb", "median")).reset_index()


def _median(summary: pd.DataFrame, case: str, stage: str = "total", size=None) -> float | None:
    rows = summary[(summary["case"] == case) & (summary["stage"] == stage)]
    if size is not None:
        rows = rows[rows["size"] == size]
    return float(rows["median_s"].iat[0]) if len(rows) else None


def targets(summary: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    out = []

    def add(target, measured, limit, unit, how):
        met = None if measured is None else bool(measured <= limit)
        out.append({"target": target, "measured": measured, "limit": limit, "unit": unit, "met": met, "how": how})

    baseline, cold = _median(summary, "python_import"), _median(summary, "cold_run")
    add("cold run / bare Python import", cold / baseline if cold and baseline else None, 8, "ratio",
        "median cold_run over median python_import (pandas, statsmodels, seaborn)")
    version, noop = _median(summary, "snakemake_version"), _median(summary, "noop_rerun")
    add("no-op rerun / snakemake --version", noop / version if noop and version else None, 1.5, "ratio",
        "median noop_rerun over median snakemake_version")
    one = summary[(summary["case"] == "one_wave") & summary["stage"].isin(CLEAN_AND_ESTIMATE)]
    if len(one):
        per_size = one.groupby("size")["median_s"].sum()
        largest = per_size.index.max()
        add(f"clean + estimate, {largest:,} respondents", float(per_size[largest]), 30, "s",
            "sum of the median job times of clean_export, clean and estimate")
        read = _median(summary, "read_csv")
        if read:
            add(f"clean + estimate / read_csv(dtype=str), {largest:,} respondents", float(per_size[largest]) / read, 2,
                "ratio", "sum of the median job times of clean_export, clean and estimate over the median bare "
                "pandas.read_csv(export, dtype=str) in a process of its own")
        figures, plain = _median(summary, "one_wave", "figures", one["size"].min()), _median(summary, "figures_yardstick")
        if figures and plain:
            add("figures of one wave / minimal seaborn script", figures / plain, 1.5, "ratio",
                f"median figures_2018 job at {int(one['size'].min()):,} respondents over a script drawing and saving "
                f"{YARDSTICK_CHARTS} seaborn bar charts as PNG and SVG in one process")
        largest_runs = runs[(runs["case"] == "one_wave") & (runs["size"] == largest)]
        peak = largest_runs[largest_runs["stage"].isin(CLEAN_AND_ESTIMATE)]
        add(f"peak memory of clean and estimate, {largest:,} respondents", float(peak["max_rss_mb"].max()), 1024, "MB",
            "largest max_rss of those jobs (Snakemake's benchmark, sampled), over all repeats")
        whole = largest_runs[largest_runs["stage"] == "total"]
        add(f"peak memory of any job of the one-wave run, {largest:,} respondents", float(whole["max_rss_mb"].max()),
            1024, "MB", "getrusage of the whole run: the largest resident set of any one process, exact")
        below = [s for s in per_size.index if s < largest]
        if below:
            previous = max(below)
            ratio = (per_size[largest] / largest) / (per_size[previous] / previous)
            add(f"time per respondent, {largest:,} over {previous:,}", float(ratio), 1.2, "ratio",
                "clean + estimate seconds per respondent at the largest size over the next one")
    compared = _median(summary, "twenty_waves_compared")
    if compared and cold:
        add("20 waves with every comparison / cold run", compared / cold, 3, "ratio",
            "twenty_waves_compared (one run) over the median cold_run of the shipped release")
    boot = runs[runs["case"] == "bootstrap"]
    if len(boot):
        add("bootstrap B = 9,999", float(boot["seconds"].median()), 2, "s", "median of the in-process mmi_test")
        add("bootstrap p-value as released", float(not boot["same_p_value"].all()), 0, "mismatches",
            "p_bootstrap equals the committed release's (4 decimals) in every repeat")
    versus = runs[runs["case"] == "against_r"]
    if len(versus) and versus["stage"].isin(["ours"]).any():
        ours, theirs = _median(summary, "against_r", "ours"), _median(summary, "against_r", "r_svyciprop")
        size = int(versus["size"].max())
        add(f"our estimate / R survey::svyciprop, {size:,} rows", ours / theirs, 0.1, "ratio",
            "median seconds of estimate_question (Clopper-Pearson) over R's loop of svyciprop(method = 'beta'), "
            "every option, the same rows (10 x faster: at most 0.1)")
        add(f"largest difference of the bounds from R's, {size:,} rows",
            1e6 * float(versus["max_bound_difference"].max()), 1, "millionths",
            "in millionths of a proportion (1 = 1e-6); Korn-Graubard with equal weights is Clopper-Pearson with "
            "n - 1 trials, so the two differ by less the more rows there are")
    return pd.DataFrame(out)


def environment() -> pd.DataFrame:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip())
    facts = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "cores": os.cpu_count(), "cpu": cpu,
             "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
             "platform": platform.platform(), "python": platform.python_version(), "commit": commit, "dirty": dirty}
    facts.update({library: version(library) for library in LIBRARIES})
    return pd.DataFrame({"key": list(facts), "value": [str(v) for v in facts.values()]})


def plot(runs: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcdefaults()
    import matplotlib.pyplot as plt
    import seaborn as sns

    data = runs[runs["case"] == "one_wave"].copy()
    if data.empty:
        return
    data["respondents"] = data["size"].astype(int)
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    order = ["total", *ONE_WAVE_STAGES]
    palette = dict(zip(order, sns.color_palette(n_colors=len(order))))  # one colour per stage in both panels
    for axis, column, label in ((axes[0], "seconds", "seconds (median, wall)"), (axes[1], "max_rss_mb", "peak memory (MB)")):
        shown = data if column == "seconds" else data[data["stage"] != "total"]
        sns.lineplot(data=shown, x="respondents", y=column, hue="stage", hue_order=[s for s in order if s in set(shown["stage"])],
                     palette=palette, estimator="median", errorbar=("pi", 100), marker="o", ax=axis)
        axis.set(xscale="log", yscale="log", xlabel="respondents in one wave (synthetic)", ylabel=label)
    axes[0].set_title("One wave through clean, estimate, tables, figures")
    axes[1].set_title("Peak memory per job")
    figure.text(0.01, 0.01, f"Synthetic data (seeded generator). {os.cpu_count()} cores; medians of repeated runs, band: min-max.",
                fontsize=8)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    figure.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each case (the summary is the median)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000],
                        help="respondents of the one-wave case")
    parser.add_argument("--only", nargs="+", choices=CASES, default=list(DEFAULT_CASES), help="run these cases only")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks")
    parser.add_argument("--append", action="store_true",
                        help="keep the runs of other cases already in runs.csv (rerun some cases only)")
    parser.add_argument("--summarise-only", action="store_true", help="rewrite the summary, targets and plot from runs.csv")
    args = parser.parse_args(argv)
    if args.summarise_only:
        write_results(pd.read_csv(args.out / "runs.csv").to_dict("records"), args.out)
        print(pd.read_csv(args.out / "targets.csv").to_string(index=False))
        return

    state: dict = {}
    runs: list[dict] = []
    if args.append and (args.out / "runs.csv").exists():
        earlier = pd.read_csv(args.out / "runs.csv")
        runs = earlier[~earlier["case"].isin(args.only)].to_dict("records")
    for case in CASES:
        if case not in args.only:
            continue
        start = time.perf_counter()
        runs += globals()[f"case_{case}"](repeats=args.repeats, sizes=args.sizes, state=state)
        print(f"{case}: {time.perf_counter() - start:.0f} s", flush=True)
        write_results(runs, args.out)  # after every case: an interrupted suite keeps what it measured
    shutil.rmtree(SCRATCH, ignore_errors=True)
    print(pd.read_csv(args.out / "targets.csv").to_string(index=False))


def write_results(runs: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(runs)
    table["size"] = table["size"].astype("Int64")
    summary = summarise(table)
    checked = targets(summary, table)
    options = {"index": False, "lineterminator": "\n", "float_format": "%.3f"}
    table.to_csv(out / "runs.csv", **options)
    summary.to_csv(out / "summary.csv", **options)
    checked.to_csv(out / "targets.csv", **options)
    environment().to_csv(out / "environment.csv", index=False, lineterminator="\n")
    plot(table, out / "scaling.png")


if __name__ == "__main__":
    main()
