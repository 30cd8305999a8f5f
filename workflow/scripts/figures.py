"""Rule figures_{wave}: estimates -> a bar chart per question and language, and the age chart."""

from pathlib import Path

from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.estimate import read_estimates
from netclean_survey.publish import write_figures
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "figures") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.input.questionnaire))
    estimates = read_estimates(snakemake.input.estimates)
    out_dir = Path(snakemake.output.figures[0]).parent
    written = write_figures(estimates, wave, out_dir, snakemake.params.languages)
    log.info("wave %s: %d figure files written", wave.name, len(written))
