"""A one-node SLURM cluster on localhost, for the opt-in test `pytest -m slurm` (issue 15).

Debian's slurm-wlm and munge (installed with apt-get when missing and the test runs as root; else
the test is skipped and says why), started by hand: munged, slurmctld and slurmd with a
configuration at SLURM's default path, /etc/slurm/slurm.conf (the state, spool and logs in a scratch
folder), every daemon on 127.0.0.1, no accounting (so ``sacct`` has nothing to say: the profile asks
``squeue``). About 30 seconds.

The default path, not ``SLURM_CONF`` alone: snakemake-executor-plugin-slurm-jobstep (0.6.1) drops
every ``SLURM_*`` variable but the job's ids before its nested ``srun``, SLURM_CONF too, so a job
finds its configuration only where SLURM looks by itself. The file is written only where there is
none (a machine with a real SLURM configuration is not touched: the test is skipped) and removed
when the cluster stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ["slurm-wlm", "munge"]
DEFAULT_CONF = Path("/etc/slurm/slurm.conf")
COMMANDS = ["slurmctld", "slurmd", "munged", "sbatch", "squeue", "sinfo"]

MARKER = "# written by tests/workflow/slurm_cluster.py (a test cluster on localhost)"
SLURM_CONF = MARKER + """
ClusterName=netclean-test
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={socket}
CredType=cred/munge
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MinJobAge=600
InactiveLimit=0
KillWait=30
Waittime=0
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory} State=UNKNOWN
PartitionName=main Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


def unavailable_reason() -> str | None:
    """Why a cluster cannot be started here (None: it can), after installing what is missing."""
    if DEFAULT_CONF.exists() and not DEFAULT_CONF.read_text(errors="replace").startswith(MARKER):
        return f"{DEFAULT_CONF} exists: this machine has a SLURM configuration of its own, which the test does not touch"
    missing = [c for c in COMMANDS if shutil.which(c) is None]
    if not missing:
        return None if os.geteuid() == 0 else "the daemons of a test cluster need root"
    if os.geteuid() != 0:
        return f"SLURM is not installed ({', '.join(missing)} missing) and the test is not root to install it"
    if shutil.which("apt-get") is None:
        return f"SLURM is not installed ({', '.join(missing)} missing) and there is no apt-get"
    result = subprocess.run(["apt-get", "install", "-y", "-q", *PACKAGES], capture_output=True, text=True,
                            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=900)
    if result.returncode != 0:
        return f"apt-get install {' '.join(PACKAGES)} failed: {result.stderr.strip()[-300:]}"
    missing = [c for c in COMMANDS if shutil.which(c) is None]
    return f"{', '.join(missing)} still missing after apt-get install" if missing else None


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    processes: list[subprocess.Popen]

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.root.glob("*.log")))

    def stop(self) -> None:
        DEFAULT_CONF.unlink(missing_ok=True)
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(root: Path, cpus: int = 2, timeout: float = 60) -> Cluster:
    """munged, slurmctld and slurmd in the foreground of child processes; returns once the node
    is idle. ``env`` is what a client (sbatch, squeue, snakemake) needs: SLURM_CONF."""
    root.mkdir(parents=True, exist_ok=True)
    for folder in ("state", "spool", "munge"):
        (root / folder).mkdir(exist_ok=True)
    host = subprocess.run(["hostname", "-s"], capture_output=True, text=True, check=True).stdout.strip()
    memory = int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8)
    socket = root / "munge" / "munge.socket"
    conf = DEFAULT_CONF
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(SLURM_CONF.format(host=host, root=root, cpus=cpus, memory=memory, socket=socket,
                                      ctld_port=_free_port(), slurmd_port=_free_port()), encoding="utf-8")
    key = root / "munge" / "munge.key"
    key.write_bytes(os.urandom(128))
    key.chmod(0o600)
    env = {**os.environ, "SLURM_CONF": str(conf)}
    processes = [subprocess.Popen(
        ["munged", "--foreground", "--force", f"--socket={socket}", f"--key-file={key}",
         f"--pid-file={root / 'munge' / 'munged.pid'}", f"--log-file={root / 'munged.log'}",
         f"--seed-file={root / 'munge' / 'seed'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)]
    cluster = Cluster(root, env, processes)
    _wait(lambda: socket.exists(), timeout, "munged did not start", cluster)
    processes.append(subprocess.Popen(["slurmctld", "-D", "-i", "-f", str(conf)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    _wait(lambda: _ok(["scontrol", "ping"], env) and "UP" in _out(["scontrol", "ping"], env), timeout,
          "slurmctld did not answer", cluster)
    processes.append(subprocess.Popen(["slurmd", "-D", "-f", str(conf), "-N", host], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    _wait(lambda: "idle" in _out(["sinfo", "-h", "-o", "%t"], env), timeout, "the node did not become idle", cluster)
    return cluster


def _out(command: list[str], env: dict) -> str:
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _ok(command: list[str], env: dict) -> bool:
    try:
        return subprocess.run(command, env=env, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _wait(ready, timeout: float, what: str, cluster: Cluster) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if any(p.poll() is not None for p in cluster.processes):
            break
        time.sleep(0.5)
    cluster.stop()
    raise RuntimeError(f"{what} within {timeout:.0f} s\n{cluster.logs()}")
