"""Rule clean: the cleaned wave (from rule clean_export) -> responses, cleaning log, excluded rows."""

from netclean_survey.clean import load_cleaned
from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.render import write_table_csv
from netclean_survey.runlog import logged
from netclean_survey.tidy import published_columns, responses_to_csv_frame

with logged(snakemake.log[0], "clean") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.input.questionnaire))
    cleaned = load_cleaned(snakemake.input.cleaned)
    columns = published_columns(cleaned.responses, wave, snakemake.params.publish_free_text)
    write_table_csv(responses_to_csv_frame(cleaned.responses[columns]), snakemake.output.responses)
    write_table_csv(cleaned.log, snakemake.output.log_table)
    write_table_csv(cleaned.excluded, snakemake.output.exclusions)
    log.info("wave %s: %d responses, %d columns published", wave.name, len(cleaned.responses), len(columns))
