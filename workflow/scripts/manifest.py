"""Rule manifest (workflow/rules/release.smk): every staged artifact with its sha256 and size (named by
its published path), every input, the provenance.

In: every artifact of the release, every source. Out: results/{release}/MANIFEST.json.
Function: netclean_survey.release.manifest.build_manifest.
"""

from netclean_survey.core.runlog import logged
from netclean_survey.release.manifest import build_manifest, write_manifest

with logged(snakemake.log[0], "manifest") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    manifest = build_manifest(
        params.release, snakemake.input.artifacts, snakemake.input.sources, root=".",  # noqa: F821
        staged=params.staged, published=params.published, version=params.version,
    )
    write_manifest(manifest, snakemake.output[0])  # noqa: F821
    log.info("%d artifacts, %d inputs", len(manifest["artifacts"]), len(manifest["inputs"]))
