"""Rule tables_{wave}: estimates -> one CSV and Markdown table per question, and a workbook."""

from pathlib import Path

from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.estimate import read_estimates
from netclean_survey.publish import write_tables
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "tables") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.input.questionnaire))
    estimates = read_estimates(snakemake.input.estimates)
    out_dir = Path(snakemake.output.workbook).parent
    written = write_tables(estimates, wave, out_dir, snakemake.params.languages)
    log.info("wave %s: %d table files written", wave.name, len(written))
