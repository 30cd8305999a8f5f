"""Run one command and print its wall time and the peak memory of its process tree, as JSON.

Run as its own process by the suite, so that ``RUSAGE_CHILDREN`` covers this command only: its
``ru_maxrss`` is the largest resident set of any process of the tree that was waited for (Snakemake
waits for every job), in kilobytes on Linux.

    python benchmarks/measure.py -- snakemake --cores 4
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    start = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "max_rss_mb": peak_kb / 1024, "returncode": completed.returncode}))
    if completed.returncode:
        sys.stderr.write(completed.stderr[-4000:])
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
