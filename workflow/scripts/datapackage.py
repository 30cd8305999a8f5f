"""Rule datapackage (workflow/rules/release.smk): the release as a Frictionless Data Package.

In: every staged file of the release but its manifest, the questionnaire. Out:
results/{release}/datapackage.json.
Function: netclean_survey.release.datapackage.write_datapackage.
"""

from netclean_survey.core.runlog import logged
from netclean_survey.release.datapackage import write_datapackage

with logged(snakemake.log[0], "datapackage") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    descriptor = write_datapackage(
        params.release, params.version, snakemake.input.artifacts, params.staged,  # noqa: F821
        snakemake.input.questionnaire, params.synthetic, snakemake.output[0],  # noqa: F821
    )
    log.info("%d resources", len(descriptor["resources"]))
