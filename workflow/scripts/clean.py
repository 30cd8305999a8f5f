"""Rule clean (workflow/rules/clean.smk): the cleaned wave from rule clean_export, published.

In: the temporary file of rule clean_export. Out: results/.staging/private/{release}/{wave}/clean/responses.csv
(what the later rules compute from; no free text unless asked; never published), and in the release
clean/responses.csv (disclosure-checked), disclosure.csv, cleaning_log.csv, exclusions.csv.
Function: netclean_survey.clean.stage.write_cleaned.
"""

from netclean_survey.clean.stage import load_cleaned, write_cleaned
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "clean") as log:  # noqa: F821 (snakemake is injected)
    inputs, outputs = snakemake.input, snakemake.output  # noqa: F821
    wave = load_wave(inputs.wave, load_codebook(snakemake.params.questionnaire))
    cleaned = load_cleaned(inputs.cleaned)
    columns, report = write_cleaned(
        cleaned, wave, snakemake.params.publish_free_text, outputs.responses, outputs.log_table,  # noqa: F821
        outputs.exclusions, outputs.published, outputs.disclosure, snakemake.params.disclosure,  # noqa: F821
    )
    log.info("wave %s: %d responses, %d columns for the run", wave.name, len(cleaned.responses), len(columns))
    if (report["step"] == "full").any():
        log.warning("wave %s: the FULL responses are published (disclosure.responses: full): every country and "
                    "quasi-identifier as answered; %s", wave.name, report["detail"].iat[0])
    log.info("wave %s: published responses: %s", wave.name, report["detail"].iat[-1])
