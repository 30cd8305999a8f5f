"""Rule estimate (workflow/rules/estimate.smk): base, count, share and intervals of every question
and option of one wave.

In: results/{release}/{wave}/clean/responses.csv. Out: results/{release}/{wave}/estimates.csv.
Function: netclean_survey.estimate.shares.write_estimates.
"""

from netclean_survey.clean.tidy import read_responses
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.estimate.shares import write_estimates

with logged(snakemake.log[0], "estimate") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.params.questionnaire))  # noqa: F821
    responses = read_responses(snakemake.input.responses, wave)  # noqa: F821
    estimates = write_estimates(responses, wave, snakemake.output.estimates, params.interval_method,  # noqa: F821
                                params.conf_level, params.simultaneous_method)
    log.info("wave %s: %d estimates for %d questions", wave.name, len(estimates), estimates["question"].nunique())
