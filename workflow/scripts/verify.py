"""Rule verify: re-run the release in scratch, compare with the committed one; non-zero exit on a difference."""

import shutil
import sys
import tempfile
from pathlib import Path

from netclean_survey.runlog import logged
from netclean_survey.verify import compare_releases, report, rerun_release

with logged(snakemake.log[0], "verify") as log:  # noqa: F821 (snakemake is injected)
    committed = Path(snakemake.params.committed)  # noqa: F821
    release = snakemake.params.release  # noqa: F821
    if not (committed / "MANIFEST.json").exists():
        print(f"verify {release}: there is no committed release in {committed} (no MANIFEST.json)", file=sys.stderr)
        sys.exit(1)
    scratch = Path(tempfile.mkdtemp(prefix="netclean-verify-"))
    try:
        run = rerun_release(".", scratch, snakemake.threads)  # noqa: F821
        log.info("rerun in %s exited %d\n%s", scratch, run.returncode, run.stderr[-20000:])
        if run.returncode != 0:
            print(f"verify {release}: the rerun failed; see {snakemake.log[0]}\n{run.stderr[-3000:]}", file=sys.stderr)  # noqa: F821
            sys.exit(1)
        differences, notes = compare_releases(committed, scratch / committed)
        files = sum(1 for p in committed.rglob("*") if p.is_file())
        text = report(differences, notes, release, files)
        log.info("%s", text)
        print(text, end="", file=sys.stdout if not differences else sys.stderr)
        if differences:
            sys.exit(1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
