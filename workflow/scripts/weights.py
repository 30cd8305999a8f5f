"""Rule weights (workflow/rules/weights.smk): one wave's respondents raked to the population margins
of config weights:, trimmed, and the weighted share of every question and option.

In: results/{release}/{wave}/clean/responses.csv (the full responses, private), and the raw export
when the weights are one of its columns. Out: the private
weights.csv and results/{release}/{wave}/weights/margins.csv, summary.csv, estimates.csv.
Function: netclean_survey.weights.publish.write_weighted_wave.
"""

from netclean_survey.clean.tidy import read_responses
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.weights.publish import write_weighted_wave

with logged(snakemake.log[0], "weights") as log:  # noqa: F821 (snakemake is injected)
    params, output = snakemake.params, snakemake.output  # noqa: F821
    wave = load_wave(snakemake.input.wave, load_codebook(params.questionnaire))  # noqa: F821
    responses = read_responses(snakemake.input.responses, wave)  # noqa: F821
    export = snakemake.input.export[0] if snakemake.input.export else None  # noqa: F821 (source: column)
    written = write_weighted_wave(responses, wave, dict(params.settings), params.conf_level, dict(output.items()),
                                  export)
    summary = written["summary"].iloc[0]
    log.info("wave %s: %d respondents %s in %d iteration(s), converged %s (largest margin gap %s), %d weight(s) "
             "trimmed; Kish n_eff %s, design effect %s; %d weighted estimates", wave.name, summary["respondents"],
             summary["weighting"], summary["iterations"], summary["converged"], summary["max_margin_error"],
             summary["trimmed"], summary["n_effective"], summary["design_effect"], len(written["estimates"]))
