"""Rule estimate: responses -> base, count, share and interval per question and option."""

from netclean_survey.codebook import load_codebook, load_wave
from netclean_survey.estimate import estimate_wave, published_estimates
from netclean_survey.render import write_table_csv
from netclean_survey.runlog import logged
from netclean_survey.tidy import read_responses

with logged(snakemake.log[0], "estimate") as log:  # noqa: F821 (snakemake is injected)
    wave = load_wave(snakemake.input.wave, load_codebook(snakemake.input.questionnaire))
    responses = read_responses(snakemake.input.responses, wave)
    questions = [wq.question for wq in wave.questions if wq.question.kind != "text"]
    estimates = estimate_wave(
        responses,
        questions,
        wave=wave.name,
        method=snakemake.params.interval_method,
        conf_level=snakemake.params.conf_level,
        simultaneous_method=snakemake.params.simultaneous_method,
        synthetic=wave.synthetic,
    )
    write_table_csv(published_estimates(estimates), snakemake.output.estimates)
    log.info("wave %s: %d estimates for %d questions", wave.name, len(estimates), len(questions))
