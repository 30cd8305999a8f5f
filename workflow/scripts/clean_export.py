"""Rule clean_export: raw export -> read, screened and tidied, in a temporary file for rule clean."""

from netclean_survey.clean import clean_export, save_cleaned
from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "clean_export") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.input.questionnaire))
    cleaned = clean_export(snakemake.input.raw, wave)
    save_cleaned(cleaned, snakemake.output.cleaned)
    log.info("wave %s: %d rows read, %d analysed", wave.name, cleaned.log["rows_in"].iat[0], len(cleaned.responses))
    log.info("\n%s", cleaned.log.to_string(index=False))
