"""End to end: Snakemake on a temporary copy of the repository.

The tables must reproduce the report's figures (claims 6 to 10, 14 and 15 of SURVEY.md) and the
published respondent mix, and two runs (with --cores 1 and --cores 4) must give the same bytes.
Percentages are rounded from whole counts in exact arithmetic (fractions, half up), not floats.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "netclean-2018"
COPIED = ["Snakefile", "config", "workflow", "resources", "environment.yml", "requirements.lock", "profiles"]

pytestmark = pytest.mark.slow


def run_snakemake(workdir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(workdir / "workflow")}
    snakemake = Path(sys.executable).with_name("snakemake")
    return subprocess.run(
        [str(snakemake), "--cores", "4", *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pipeline")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, work / name)
    result = run_snakemake(work, "--cores", "1")
    assert result.returncode == 0, result.stderr[-5000:]
    FIRST_RUN[work] = result
    return work


FIRST_RUN: dict[Path, subprocess.CompletedProcess] = {}  # what the workdir's run printed


def test_a_full_run_prints_one_line_per_job_and_ends_with_the_summary(workdir):
    """The command line a statistician reads (issue 14): under 200 lines, one per finished job, and a
    closing summary of what was written where, with the command to read the report."""
    printed = FIRST_RUN[workdir].stdout + FIRST_RUN[workdir].stderr
    lines = printed.splitlines()
    assert len(lines) < 200, printed[:3000]
    assert max(len(line) for line in lines) < 400, max(lines, key=len)[:500]
    total = int(next(line for line in lines if line.endswith("jobs to run (each line below is one finished job; "
                                                              "--dry-run lists them):")).split()[0])
    finished = [line for line in lines if line.startswith("[") and "/" in line.split("]")[0]]
    assert len(finished) == total and finished[-1] == f"[{total}/{total}] all"
    assert not [line for line in lines if line.startswith(("Select jobs", "Execute ", "localrule", "    input:"))]
    summary = lines[lines.index(finished[-1]) + 1:]
    manifest = json.loads((workdir / "results" / RELEASE / "MANIFEST.json").read_text(encoding="utf-8"))
    assert summary[0].startswith(f"Release results/{RELEASE}/ (published by this run): "
                                 f"{len(manifest['artifacts'])} files"), summary
    assert any(line.startswith("Claims audit: ") for line in summary)
    assert any("make report, then open results/report.html" in line for line in summary)


def table(workdir: Path, wave: str, question: str) -> dict[str, dict[str, str]]:
    path = workdir / "results" / RELEASE / wave / "tables" / f"{question}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["option"]: row for row in csv.DictReader(handle)}


def percent(row: dict[str, str], decimals: int = 1) -> Decimal:
    """The share as the report prints it: from the whole counts, rounded half up."""
    exact = Fraction(int(row["count"]), int(row["n"])) * 100
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def share(row) -> Fraction:
    return Fraction(int(row["count"]), int(row["n"]))


def test_claims_6_to_10_14_15(workdir):
    grooming = table(workdir, "2018", "grooming_ages_seen")
    sextortion = table(workdir, "2018", "sextortion_ages_seen")
    change = table(workdir, "2018", "change_3y")
    threats = table(workdir, "2018", "threat_types")
    link = table(workdir, "2018", "trafficking_link")
    assert 16 < percent(grooming["age_0_4"]) < 17  # 6 "Drygt 16 procent"
    assert Fraction(3, 10) < share(grooming["age_5_7"]) < Fraction(1, 3)  # 7 "nästan en tredjedel"
    assert percent(sextortion["age_0_4"], 0) == 7  # 8 "sju procent"
    assert percent(sextortion["age_5_7"], 0) == 10  # 9 "en av tio"
    assert Fraction(7, 10) < share(change["no"]) < Fraction(3, 4)  # 10 "Nästan tre fjärdedelar"
    assert percent(change["yes"], 0) in (25, 26)  # 10 "den fjärdedel"
    assert Fraction(3, 10) < share(threats["threat_family"]) < Fraction(1, 3)  # 14 "Knappt en tredjedel"
    assert share(link["no"]) > Fraction(4, 5)  # 15 "Över 80 procent"


def test_respondent_mix_2018(workdir):
    country = table(workdir, "2018", "country")
    assert int(country["united_states"]["n"]) == 272
    printed = {"united_states": "54.4", "united_kingdom": "12.1", "sweden": "6.6", "norway": "3.7", "canada": "2.9"}
    assert {k: str(percent(country[k])) for k in printed} == printed
    others = sum(int(row["count"]) for k, row in country.items() if k not in printed)
    # published "Others 20.3 %": no whole count gives it together with the five above; 55/272 = 20.2
    assert others == 55


def test_respondent_mix_2016_and_workload(workdir):
    country = table(workdir, "2016", "country")
    assert int(country["united_states"]["n"]) == 370
    assert str(percent(country["united_states"])) == "61.1"
    workload = table(workdir, "2016", "workload_change")
    assert str(percent(workload["more_demanding"])) == "74.6"
    assert str(percent(workload["less_demanding"])) == "1.1"


def test_europe_share_from_respondent_region(workdir):
    expected = {"2018": ("34.6", 272), "2016": ("25.9", 370)}  # published 34.7 % and 26 % (nearest counts)
    for wave, (printed, n) in expected.items():
        path = workdir / "results" / RELEASE / wave / "clean" / "responses.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            regions = [row["respondent_region"] for row in csv.DictReader(handle)]
        assert len(regions) == n
        europe = {"count": str(regions.count("europe")), "n": str(n)}
        assert str(percent(europe)) == printed
    assert percent({"count": "96", "n": "370"}, 0) == 26


def test_every_table_and_figure_is_written(workdir):
    results = workdir / "results" / RELEASE
    for wave, questions in {"2016": 3, "2018": 12}.items():
        assert len(list((results / wave / "tables").glob("*.csv"))) == questions
        assert len(list((results / wave / "tables").glob("*.md"))) == 2 * questions
        assert (results / wave / "tables" / f"{wave}.xlsx").exists()
        figures = questions + (1 if wave == "2018" else 0)
        assert len(list((results / wave / "figures").glob("*.png"))) == 2 * figures
        assert len(list((results / wave / "figures").glob("*.svg"))) == 2 * figures
    # free text is never published by default
    header = (results / "2018" / "clean" / "responses.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "change_text" not in header and "__text" not in header
    assert not (results / "2018" / "tables" / "change_text.csv").exists()


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_rerun_with_four_cores_gives_the_same_bytes(workdir):
    results = workdir / "results"
    first = digests(results)
    shutil.rmtree(results)
    rerun = run_snakemake(workdir, "--cores", "4")
    assert rerun.returncode == 0, rerun.stderr[-5000:]
    assert digests(results) == first


def copy_project(target: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


@pytest.mark.parametrize("direction", ["up", "down"])
def test_every_float_one_ulp_off_gives_the_same_bytes(workdir, tmp_path, direction):
    """No output depends on the last bits of a float: with every float moved by one ulp on its way
    into the one rounding before the writers (as another CPU's libm might), every file of the release
    keeps its bytes, the workbooks and figures included."""
    work = copy_project(tmp_path)
    run = run_snakemake(work, "--cores", "2", env={"NETCLEAN_PERTURB_ULP": direction})
    assert run.returncode == 0, run.stderr[-3000:]
    assert digests(work / "results" / RELEASE) == digests(workdir / "results" / RELEASE)


def test_the_jobs_see_the_perturbation(tmp_path):
    """The perturbation test above would pass vacuously if the jobs never read the variable."""
    work = copy_project(tmp_path)
    run = run_snakemake(work, f"results/.staging/{RELEASE}/2018/estimates.csv", env={"NETCLEAN_PERTURB_ULP": "sideways"})
    assert run.returncode != 0 and "NETCLEAN_PERTURB_ULP must be 'up' or 'down'" in run.stderr


@pytest.mark.parametrize("module, rules", [
    ("audit/lexicon.py", {"claims"}),
    ("render/figures.py", {"figures_2016", "figures_2018", *(f"compare_{name}" for name in (  # the comparisons draw too
        "2016_vs_2018", "regions_2016_vs_2018", "victim_regions_2016_options", "trafficking_regions_2018_options",
        "ages_seen_grooming_vs_sextortion_2018", "ages_common_grooming_vs_sextortion_2018", "asia_gap_2016_vs_2018")),
        "plan"}),  # the plan draws its precision chart
])
def test_a_change_to_one_module_reruns_only_the_rules_that_import_it(workdir, tmp_path, module, rules):
    """Each rule lists the package files its script imports: a change to one reruns those rules (and
    the manifest and promotion of the release, which record every source), nothing else."""
    import re

    work = tmp_path / "copy"
    shutil.copytree(workdir, work, symlinks=True)  # results, Snakemake's records and file times kept
    assert "Nothing to be done" in run_snakemake(work, "--dry-run").stdout
    path = work / "workflow" / "netclean_survey" / module
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    dry = run_snakemake(work, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    jobs = set(re.findall(r"^(\w+)\s+\d+$", dry.stdout, re.M)) - {"total"}
    # and downstream: the descriptor, the manifest, the promotion, and the report's pages (the rules
    # write Markdown)
    assert jobs == rules | {"datapackage", "manifest", "promote", "report_pages", "all"}


def test_lint_is_clean(workdir):
    lint = run_snakemake(workdir, "--lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "Lints for" not in lint.stdout + lint.stderr


def test_snakefiles_are_formatted():
    snakefmt = Path(sys.executable).with_name("snakefmt")
    result = subprocess.run(
        [str(snakefmt), "--check", "Snakefile", "workflow"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_regions_comparison_harmonises_latin_america(workdir):
    rows = {r["option"]: r for r in read_csv_rows(workdir / "results" / RELEASE / "compare" / "regions_2016_vs_2018" / "table.csv")}
    assert list(rows) == ["north_america", "latin_america", "europe", "africa", "asia", "oceania"]
    responses = read_csv_rows(workdir / "results" / RELEASE / "2016" / "clean" / "responses.csv")
    answered = [r for r in responses if r["victim_regions__asia"] != ""]
    latin = sum(r["victim_regions__central_america"] == "true" or r["victim_regions__south_america"] == "true" for r in answered)
    assert int(rows["latin_america"]["count_a"]) == latin  # respondents, not mentions
    assert int(rows["asia"]["n_a"]) == len(answered) == 360 and int(rows["asia"]["n_b"]) == 46
    test = {r["key"]: r["value"] for r in read_csv_rows(workdir / "results" / RELEASE / "compare" / "regions_2016_vs_2018" / "test.csv")}
    assert test["test"] == "Bilder-Loughin MMI" and test["B"] == "9999"


def test_claim_18_asia_less_common_in_2016(workdir):
    pairs = read_csv_rows(workdir / "results" / RELEASE / "compare" / "victim_regions_2016_options" / "table.csv")
    against_asia = [p for p in pairs if "asia" in (p["option_first"], p["option_second"])]
    assert len(against_asia) == 2
    for pair in against_asia:
        asia_first = pair["option_first"] == "asia"
        difference = float(pair["difference"]) * (1 if asia_first else -1)  # Asia minus the other
        assert difference < 0 and float(pair["p_holm"]) < 0.05


def test_every_comparison_and_breakdown_is_written(workdir):
    compare = workdir / "results" / RELEASE / "compare"
    names = {p.name for p in compare.iterdir()}
    assert names == {
        "country_2016_vs_2018", "respondent_region_2016_vs_2018", "regions_2016_vs_2018",
        "victim_regions_2016_options", "trafficking_regions_2018_options",
        "ages_seen_grooming_vs_sextortion_2018", "ages_common_grooming_vs_sextortion_2018", "asia_gap_2016_vs_2018",
    }
    for name in names:
        assert (compare / name / "table.csv").exists() and (compare / name / "comparison.sv.md").exists()
    assert len(list((compare / "regions_2016_vs_2018").glob("*.png"))) == 4


def test_no_published_breakdown_cell_below_five(workdir):
    for path in (workdir / "results" / RELEASE).glob("*/breakdowns/respondent_region/*.csv"):
        if path.name == "tests.csv":
            continue
        for row in read_csv_rows(path):
            for column, flag in (("n", "n_suppressed"), ("count", "suppressed")):
                assert (row[column] == "") == (row[flag] in ("primary", "secondary")), (path.name, row)
                assert row[column] == "" or int(row[column]) >= 5, (path.name, row)
            if row["count"] == "":
                assert row["share"] == "" and row["ci_low"] == ""


def copy_clone(work: Path) -> Path:
    """Into ``work``, the repository as a fresh clone has it: the workflow and the committed release
    (no staging tree, report or auditor's comparisons)."""
    for name in COPIED + ["results"]:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "report.html", ".staging", "changes")
            shutil.copytree(source, work / name, ignore=ignore)
        else:
            shutil.copy2(source, work / name)
    return work


@pytest.fixture(scope="module")
def clone_with_release(tmp_path_factory) -> Path:
    """A copy of the repository as a fresh clone has it: the workflow and the committed release."""
    return copy_clone(tmp_path_factory.mktemp("clone"))


def test_verify_passes_on_the_committed_release_and_names_a_changed_cell(clone_with_release):
    work = clone_with_release
    assert (work / "results" / RELEASE / "MANIFEST.json").exists(), "the shipped release must be committed"
    passed = run_snakemake(work, "verify")
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert f"verify {RELEASE}: all" in passed.stdout
    table = work / "results" / RELEASE / "2018" / "tables" / "trafficking_link.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",224,", ",225,")  # the count of "no", one byte
    table.write_text("".join(lines), encoding="utf-8")
    failed = run_snakemake(work, "verify")
    assert failed.returncode != 0
    assert "2018/tables/trafficking_link.csv: bytes differ" in failed.stderr
    assert "row 3, column count: '225' committed, '224' in the rerun" in failed.stderr


@pytest.fixture(scope="module")
def report_html(workdir) -> Path:
    """The Snakemake report of the workdir's run, as ``make report`` makes it."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("snakemake")), "--report", "report.html"],  # outside results/
        cwd=workdir, env={**os.environ, "PYTHONPATH": str(workdir / "workflow")}, capture_output=True, text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "report.html"


def test_html_report_has_every_category(report_html):
    html = report_html.read_text(encoding="utf-8", errors="replace")
    for category in ("Tables", "Figures", "Comparisons", "Breakdowns", "Audit", "Cleaning"):
        assert category in html, category


@pytest.fixture(scope="module")
def browser_page(report_html):
    """The report open in headless Chromium (Debian's package, installed when missing and root),
    through Playwright; skipped, with the reason, where neither can be had."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make test installs it)")
    from netclean_survey.release.report_view import chromium_or_reason, open_report

    chromium, reason = chromium_or_reason()
    if chromium is None:
        pytest.skip(f"no browser for the report test: {reason}")
    with sync_api.sync_playwright() as playwright:
        browser, page = open_report(playwright, report_html, chromium)
        yield page
        browser.close()


def reopened(page):
    """The report's landing page again (each test navigates from the start, as a reader does)."""
    page.reload()
    return page


def test_a_table_is_shown_in_place_with_its_cells(browser_page, workdir, tmp_path):
    from netclean_survey.release.report_view import show_item

    norway = table(workdir, "2018", "country")["norway"]  # the CSV of the release, read on its own
    shown = show_item(reopened(browser_page), "Tables", "2018, English", "In which country do you work?")
    row = shown.locator("tr", has_text="Norway").first
    row.wait_for(state="visible")
    cells = row.locator("td").all_inner_texts()
    assert cells[:3] == ["Norway", norway["count"], f"{float(norway['share']) * 100:.1f}"], cells
    assert shown.locator("h1").inner_text().endswith("In which country do you work?")
    browser_page.screenshot(path=str(tmp_path / "table.png"))
    assert (tmp_path / "table.png").stat().st_size > 10_000


def test_a_figure_is_shown_in_its_language(browser_page):
    from netclean_survey.release.report_view import show_item

    page = reopened(browser_page)
    shown = show_item(page, "Figures", "2018, svenska", "I vilket land arbetar du?")
    image = shown.locator("img[src*='country.sv.png']").first  # the figure, not the report's logo
    image.wait_for(state="visible")
    assert image.evaluate("img => img.naturalWidth") > 500
    assert image.get_attribute("src").startswith("data:image/png")


def test_the_claims_audit_is_readable_in_place(browser_page):
    from netclean_survey.release.report_view import show_item

    shown = show_item(reopened(browser_page), "Audit", "Claims of the report", "English")
    verdicts = shown.locator("td", has_text="reproduced")
    verdicts.first.wait_for(state="visible")
    assert verdicts.count() >= 20


@pytest.mark.parametrize("profile", ["default", "slurm"])
def test_the_dag_builds_with_each_profile(workdir, profile):
    env = {**os.environ, "PYTHONPATH": str(workdir / "workflow")}
    snakemake = Path(sys.executable).with_name("snakemake")
    result = subprocess.run([str(snakemake), "--workflow-profile", f"profiles/{profile}", "--dry-run", "--forceall"],
                            cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Job stats" in result.stdout and "compare_regions_2016_vs_2018" in result.stdout


def test_a_killed_run_then_a_new_run_gives_the_same_bytes(workdir, tmp_path):
    import signal
    import time

    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "workflow")}
    snakemake = Path(sys.executable).with_name("snakemake")
    process = subprocess.Popen([str(snakemake), "--cores", "2"], cwd=tmp_path, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = tmp_path / "results" / ".staging" / RELEASE / "2018" / "estimates.csv"
    deadline = time.monotonic() + 300
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be interrupted"
    time.sleep(1.0)  # mid-way: tables and figures are being written
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # a killed Snakemake leaves its lock: the documented recovery is --unlock, then a plain run
    # (the workflow profile, profiles/default, reruns the incomplete jobs)
    assert run_snakemake(tmp_path, "--unlock").returncode == 0
    rerun = run_snakemake(tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert digests(tmp_path / "results") == digests(workdir / "results")
