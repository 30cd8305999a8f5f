"""Rule compare_{job}: responses of the waves its comparisons read -> their tables and figures."""

from pathlib import Path

from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.publish_compare import write_comparison
from netclean_survey.runlog import logged
from netclean_survey.tidy import read_responses

with logged(snakemake.log[0], "compare") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    codebook = load_codebook(snakemake.input.questionnaire)  # noqa: F821
    waves = {w: load_wave(path, codebook) for w, path in params.wave_files.items()}
    # inputs results/{release}/{wave}/clean/responses.csv, outputs results/{release}/compare/{name}/...
    paths = {Path(p).parent.parent.name: p for p in snakemake.input.data if p.endswith("responses.csv")}  # noqa: F821
    responses = {w: read_responses(paths[w], waves[w]) for w in waves}  # each wave read once
    out_dirs = {Path(p).parent.name: Path(p).parent for p in snakemake.output.files}  # noqa: F821
    for comparison in params.comparisons:
        used = comparison["waves"]
        written = write_comparison(
            comparison["name"], comparison["kind"], comparison["spec"], {w: responses[w] for w in used},
            {w: waves[w] for w in used}, codebook, params.settings, params.interval_method,
            out_dirs[comparison["name"]], params.languages,
        )
        log.info("comparison %s (%s): %d files written", comparison["name"], comparison["kind"], len(written))
