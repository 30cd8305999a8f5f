"""Rule promote: the staged release and its manifest -> results/{release}/, whole, and the stamp."""

from netclean_survey.promote import promote_release, write_stamp
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "promote") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    promotion = promote_release(params.staged, params.release)
    if promotion.left_in_staging:
        log.info("not published (staged by an earlier configuration, not in the manifest): %s",
                 ", ".join(promotion.left_in_staging))
    log.info("%s: %d files, %s", params.release, promotion.files,
             "published" if promotion.changed else "already in place, unchanged")
    write_stamp(snakemake.input.manifest, snakemake.output[0])  # noqa: F821
