"""Rule breakdowns_{wave} (workflow/rules/compare.smk): every question of a wave by respondent group,
suppressed for publication, with its test of association.

In: results/{release}/{wave}/clean/responses.csv. Out: results/{release}/{wave}/breakdowns/{by}/{question}.csv,
{question}.{lang}.md, tests.csv and {by}.xlsx.
Function: netclean_survey.compare.publish_breakdowns.write_breakdowns.
"""

from pathlib import Path

from netclean_survey.clean.tidy import read_responses
from netclean_survey.compare.publish_breakdowns import write_breakdowns
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "breakdowns") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    codebook = load_codebook(snakemake.params.questionnaire)  # noqa: F821
    wave = load_wave(snakemake.input.wave, codebook)  # noqa: F821
    responses = read_responses(snakemake.input.responses, wave)  # noqa: F821
    out_root = Path(snakemake.output.files[0]).parent.parent  # noqa: F821
    written = write_breakdowns(
        responses, codebook, wave, params.by, params.questions, params.suppress_below, params.settings,
        params.interval_method, out_root, params.languages,
    )
    log.info("wave %s: %d breakdown files written", wave.name, len(written))
