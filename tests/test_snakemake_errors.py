"""Through Snakemake: bad input stops the run with one paragraph naming the file, row and column,
no traceback, and nothing of that wave written; a raw export changed since the last run is noticed."""

from __future__ import annotations

import shutil

import pytest

from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

pytestmark = pytest.mark.slow
CLEANED = f"results/{RELEASE}/2018/clean/responses.csv"


@pytest.fixture
def copy(tmp_path):
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    return tmp_path


def test_unknown_label_stops_the_wave_without_traceback_or_output(copy):
    raw = copy / "resources" / "raw" / "2018.csv"
    raw.write_bytes(raw.read_bytes().replace(b",Sweden,", b",Narnia,", 1))
    result = run_snakemake(copy, CLEANED)
    assert result.returncode != 0
    assert "error: resources/raw/2018.csv: labels the wave file does not know" in result.stderr
    assert "'Narnia' in column 'In which country do you work?' (country): 1 row(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (copy / "results" / RELEASE / "2018" / "clean").exists()


def test_a_raw_export_changed_since_the_last_run_is_noticed(copy):
    first = run_snakemake(copy, CLEANED)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Nothing to be done" in run_snakemake(copy, "--dry-run", CLEANED).stdout
    raw = copy / "resources" / "raw" / "2018.csv"
    raw.write_bytes(raw.read_bytes().replace(b"Sweden", b"sweden", 1))  # a case variant: still valid
    dry = run_snakemake(copy, "--dry-run", CLEANED)
    assert dry.returncode == 0
    assert "reason: Updated input files: resources/raw/2018.csv" in dry.stdout
