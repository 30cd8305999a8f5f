"""Rule clean_export (workflow/rules/clean.smk): the raw export of one wave, read, screened and
tidied, kept in a temporary file of the run for rule clean (a bad export stops here, before any
output of the wave is touched).

In: resources/raw/{wave}.csv, config/waves/{wave}.yaml. Out: results/.staging/tmp/{release}/{wave}/cleaned.pickle.
Function: netclean_survey.clean.stage.clean_export.
"""

from netclean_survey.clean.stage import clean_export, save_cleaned
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "clean_export") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.params.questionnaire))  # noqa: F821
    cleaned = clean_export(snakemake.input.raw, wave)  # noqa: F821
    save_cleaned(cleaned, snakemake.output.cleaned)  # noqa: F821
    log.info("wave %s: %d rows read, %d analysed", wave.name, cleaned.log["rows_in"].iat[0], len(cleaned.responses))
    log.info("\n%s", cleaned.log.to_string(index=False))
