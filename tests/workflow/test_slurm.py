"""The release through SLURM (issue 15), opt in: `pytest -m slurm`. A one-node SLURM cluster on
localhost (tests/workflow/slurm_cluster.py: Debian's slurm-wlm and munge, installed when missing
and root; about 30 s), the shipped profile as the workflow profile (`snakemake --workflow-profile
profiles/slurm`, nothing edited), and every output byte-identical to the committed release, which
was made by a local run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import slurm_cluster
from test_workflow import RELEASE, ROOT, copy_clone

pytestmark = [pytest.mark.slurm, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory):
    reason = slurm_cluster.unavailable_reason()
    if reason:
        pytest.skip(f"no SLURM cluster: {reason}")
    work = copy_clone(tmp_path_factory.mktemp("slurm"))
    cluster = slurm_cluster.start_cluster(tmp_path_factory.mktemp("cluster"))
    try:
        env = {**cluster.env, "PYTHONPATH": str(work / "workflow"),
               "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
        snakemake = Path(sys.executable).with_name("snakemake")
        result = subprocess.run([str(snakemake), "--workflow-profile", "profiles/slurm"], cwd=work, env=env,
                                capture_output=True, text=True, timeout=1800)
        nodes = subprocess.run(["sinfo", "-h", "-o", "%T"], env=cluster.env, capture_output=True, text=True).stdout
    finally:
        cluster.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:] + cluster.logs()
    return work, result, nodes


def test_every_output_of_a_cluster_run_is_the_committed_release_byte_for_byte(cluster_run):
    work, result, _ = cluster_run
    committed = json.loads((ROOT / "results" / RELEASE / "MANIFEST.json").read_text(encoding="utf-8"))
    rerun = json.loads((work / "results" / RELEASE / "MANIFEST.json").read_text(encoding="utf-8"))
    assert rerun["artifacts"] == committed["artifacts"]
    for artifact in committed["artifacts"]:
        path = artifact["path"]
        assert (work / path).read_bytes() == (ROOT / path).read_bytes(), path


def test_the_jobs_ran_as_slurm_jobs_in_the_profiles_groups(cluster_run):
    """Snakemake's log names each SLURM job's id and its log folder: rule_{rule} for a job of its own,
    group_{group}_{rules} for a group (the rules' group:, profiles/slurm's group-components): each
    wave's stages in one SLURM job, the seven comparison jobs in two, the release's last jobs in one."""
    work, result, nodes = cluster_run
    log = max((work / ".snakemake" / "log").glob("*.snakemake.log"), key=lambda p: p.stat().st_mtime)
    submitted = re.findall(r"has been submitted with SLURM jobid (\d+) \(log: .*?/slurm_logs/(rule|group)_([^/]+)/",
                           log.read_text(encoding="utf-8"))
    rules = sorted(name for _, kind, name in submitted if kind == "rule")
    groups = sorted(name.split("_")[0] for _, kind, name in submitted if kind == "group")
    assert rules == ["claims", "consistency", "consistency"], rules  # promote: local, run by the main process
    assert groups == ["comparisons", "comparisons", "release", "wave", "wave"], groups
    wave_groups = [name for _, kind, name in submitted if kind == "group" and name.startswith("wave_")]
    assert all("clean_export" in name and "estimate" in name and "figures_" in name for name in wave_groups)
    assert len({jobid for jobid, _, _ in submitted}) == len(submitted)
    assert nodes.split() == ["idle"]  # nothing left running
