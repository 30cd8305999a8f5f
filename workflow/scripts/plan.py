"""Rule plan (workflow/rules/plan.smk): the plan of the next wave, from the release's last wave and
its comparisons with the wave before it; with weights on, the respondents needed with weights.

In: results/{release}/{last wave}/estimates.csv, the responses and wave files of the last two
waves (weights on: the last wave's weighted estimates and the last two waves' private weights).
Out: results/{release}/plan/precision.csv, detectable.csv, power.csv, plan.{lang}.md and
precision.{lang}.png/.svg (weights on: weighted_precision.csv, weighted_detectable.csv).
Function: netclean_survey.planning.publish.write_plan.
"""

from pathlib import Path

from netclean_survey.clean.tidy import read_responses
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.estimate.shares import read_estimates
from netclean_survey.planning.publish import write_plan
from netclean_survey.weights.estimates import read_weighted_estimates
from netclean_survey.weights.publish import load_wave_weights

with logged(snakemake.log[0], "plan") as log:  # noqa: F821 (snakemake is injected)
    params, inputs = snakemake.params, snakemake.input  # noqa: F821
    codebook = load_codebook(params.questionnaire)
    waves = {w: load_wave(path, codebook) for w, path in params.wave_files.items()}
    # inputs results/{release}/{wave}/clean/responses.csv: the wave is the folder above clean/
    responses = {Path(p).parent.parent.name: p for p in inputs.responses}
    responses = {w: read_responses(responses[w], waves[w]) for w in waves}
    # weights on: the last two waves' private weights.csv
    wave_weights = load_wave_weights(inputs.weights, responses, params.weighting) if params.weighting else None
    written = write_plan(read_estimates(inputs.estimates), responses, waves, codebook, params.comparisons,
                         dict(params.settings), Path(snakemake.output.precision).parent,  # noqa: F821
                         params.languages, params.synthetic,
                         read_weighted_estimates(inputs.weighted[0]) if inputs.weighted else None, wave_weights)
    log.info("plan from %d comparisons: %d files written", len(params.comparisons), len(written))
