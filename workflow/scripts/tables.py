"""Rule tables_{wave} (workflow/rules/render.smk): one table per question in CSV and Markdown (sv,
en), and a workbook of them all.

In: results/{release}/{wave}/estimates.csv. Out: results/{release}/{wave}/tables/{question}.csv,
{question}.{lang}.md and {wave}.xlsx.
Function: netclean_survey.render.tables.write_tables.
"""

from pathlib import Path

from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.estimate.shares import read_estimates
from netclean_survey.render.tables import write_tables

with logged(snakemake.log[0], "tables") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.params.questionnaire))
    estimates = read_estimates(snakemake.input.estimates)
    out_dir = Path(snakemake.output.workbook).parent
    written = write_tables(estimates, wave, out_dir, snakemake.params.languages)
    log.info("wave %s: %d table files written", wave.name, len(written))
