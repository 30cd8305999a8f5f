"""Rule manifest: the staged release's artifacts and inputs -> MANIFEST.json (paths as published)."""

from netclean_survey.manifest import build_manifest, write_manifest
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "manifest") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    manifest = build_manifest(
        params.release, snakemake.input.artifacts, snakemake.input.sources, root=".",  # noqa: F821
        staged=params.staged, published=params.published,
    )
    write_manifest(manifest, snakemake.output[0])  # noqa: F821
    log.info("%d artifacts, %d inputs", len(manifest["artifacts"]), len(manifest["inputs"]))
