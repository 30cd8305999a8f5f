"""Rule compare_{name}: responses of the waves a comparison reads -> its tables and figures."""

from pathlib import Path

from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.publish_compare import write_comparison
from netclean_survey.runlog import logged
from netclean_survey.tidy import read_responses

with logged(snakemake.log[0], "compare") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    codebook = load_codebook(snakemake.input.questionnaire)  # noqa: F821
    waves = {w: load_wave(path, codebook) for w, path in zip(params.waves, params.wave_files)}
    responses_paths = snakemake.input.data[: len(params.waves)]  # noqa: F821
    responses = {w: read_responses(path, waves[w]) for w, path in zip(params.waves, responses_paths)}
    out_dir = Path(snakemake.output.files[0]).parent  # noqa: F821
    written = write_comparison(
        params.name, params.kind, params.spec, responses, waves, codebook, params.settings,
        params.interval_method, out_dir, params.languages,
    )
    log.info("comparison %s (%s): %d files written", params.name, params.kind, len(written))
