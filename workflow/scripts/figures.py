"""Rule figures_{wave} (workflow/rules/render.smk): a bar chart per question and language, and the
grooming-against-extortion ages chart.

In: results/{release}/{wave}/estimates.csv and config ``figures`` (params.figures: how long lists are
grouped). Out: results/{release}/{wave}/figures/{question}.{lang}.png and .svg, drawn in the job's
threads (processes).
Function: netclean_survey.render.figures.write_figures.
"""

from pathlib import Path

from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.estimate.shares import read_estimates
from netclean_survey.render.figures import write_figures

with logged(snakemake.log[0], "figures") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.params.questionnaire))
    estimates = read_estimates(snakemake.input.estimates)
    out_dir = Path(snakemake.output.figures[0]).parent
    written = write_figures(estimates, wave, out_dir, snakemake.params.languages, snakemake.params.figures,
                            processes=snakemake.threads)
    log.info("wave %s: %d figure files written", wave.name, len(written))
