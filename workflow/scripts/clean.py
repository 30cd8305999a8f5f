"""Rule clean (workflow/rules/clean.smk): the cleaned wave from rule clean_export, published.

In: the temporary file of rule clean_export. Out: results/{release}/{wave}/clean/responses.csv (no free
text unless asked), cleaning_log.csv, exclusions.csv.
Function: netclean_survey.clean.stage.write_cleaned.
"""

from netclean_survey.clean.stage import load_cleaned, write_cleaned
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "clean") as log:  # noqa: F821 (snakemake is injected)
    inputs, outputs = snakemake.input, snakemake.output  # noqa: F821
    wave = load_wave(inputs.wave, load_codebook(snakemake.params.questionnaire))
    cleaned = load_cleaned(inputs.cleaned)
    columns = write_cleaned(cleaned, wave, snakemake.params.publish_free_text,  # noqa: F821
                            outputs.responses, outputs.log_table, outputs.exclusions)
    log.info("wave %s: %d responses, %d columns published", wave.name, len(cleaned.responses), len(columns))
