"""Rule verify (workflow/rules/release.smk): re-run the release in scratch and compare it with the
record of the release (the release committed at a git revision, HEAD by default, or a manifest),
never with the working tree; non-zero exit on a difference or when there is nothing to compare with.

In: the release on record. Out: a verdict on stdout (and logs/{release}/verify.log).
Function: netclean_survey.release.verify.verify_release.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from netclean_survey.core.errors import RerunFailed, VerifyError
from netclean_survey.core.runlog import logged
from netclean_survey.release.verify import choose_baseline, verify_release


def optional(value):
    """A --config value as a str (YAML may have made a number of a short commit id), or None."""
    return None if value in (None, "") else str(value)


with logged(snakemake.log[0], "verify") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    release = params.release
    revision = optional(getattr(params, "revision", None))
    manifest = optional(getattr(params, "manifest", None))
    scratch = Path(tempfile.mkdtemp(prefix="netclean-verify-"))
    try:
        baseline = choose_baseline(".", params.committed, revision, manifest)
        log.info("comparing a rerun with %s", baseline.against)
        verification = verify_release(".", release, params.committed, baseline, snakemake.threads,  # noqa: F821
                                      scratch, log)
    except VerifyError as error:
        log.error("%s", error)
        see = f"\n(all of it: {snakemake.log[0]})" if isinstance(error, RerunFailed) else ""  # noqa: F821
        print(f"verify {release}: {error}{see}", file=sys.stderr)
        sys.exit(1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    text = verification.report()
    log.info("%s", text)
    print(text, end="", file=sys.stdout if not verification.differences else sys.stderr)
    if verification.differences:
        sys.exit(1)
