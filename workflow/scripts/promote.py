"""Rule promote (workflow/rules/release.smk): the staged release, checked against its manifest, put
in place of the published one in one step.

In: results/.staging/{release}/ and its MANIFEST.json. Out: results/{release}/ (whole), and the stamp
results/.staging/{release}.promoted.
Function: netclean_survey.release.promote.promote_release.
"""

from netclean_survey.core.runlog import logged
from netclean_survey.release.promote import promote_release, write_stamp

with logged(snakemake.log[0], "promote") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    promotion = promote_release(params.staged, params.release)
    if promotion.left_in_staging:
        log.info("not published (staged by an earlier configuration, not in the manifest): %s",
                 ", ".join(promotion.left_in_staging))
    log.info("%s: %d files, %s", params.release, promotion.files,
             "published" if promotion.changed else "already in place, unchanged")
    write_stamp(snakemake.input.manifest, snakemake.output[0])  # noqa: F821
