"""Rule compare_{job} (workflow/rules/compare.smk): the comparisons one job makes (two consecutive
waves on every question they share, or one configured comparison).

In: results/{release}/{wave}/clean/responses.csv of the waves compared (and, weights on, each wave's
private weights.csv). Out:
results/{release}/compare/{name}/table.csv, test.csv, comparison.{lang}.md, comparison.xlsx and, between
waves, dumbbell.{lang}.png/.svg and forest.{lang}.png/.svg, the charts drawn in the job's threads
(processes); weights on, a comparison between two waves also has weighted/table.csv, test.csv and
comparison.{lang}.md.
Function: netclean_survey.compare.publish.write_comparisons.
"""

from pathlib import Path

from netclean_survey.clean.tidy import read_responses
from netclean_survey.compare.publish import write_comparisons
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged
from netclean_survey.weights.publish import load_wave_weights

with logged(snakemake.log[0], "compare") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    codebook = load_codebook(snakemake.params.questionnaire)  # noqa: F821
    waves = {w: load_wave(path, codebook) for w, path in params.wave_files.items()}
    # inputs results/{release}/{wave}/clean/responses.csv, outputs results/{release}/compare/{name}/...
    paths = {Path(p).parent.parent.name: p for p in snakemake.input.data if p.endswith("responses.csv")}  # noqa: F821
    responses = {w: read_responses(paths[w], waves[w]) for w in waves}  # each wave read once
    weighted = None
    if params.weighting:  # weights on: the private weights.csv of each wave weighed
        weights = [p for p in snakemake.input.data if p.endswith("weights.csv")]  # noqa: F821
        weighted = load_wave_weights(weights, responses, params.weighting)
    out_dirs = {name: Path(folder) for name, folder in params.out_dirs.items()}
    written = write_comparisons(params.comparisons, responses, waves, codebook, params.settings, params.interval_method,
                                out_dirs, params.languages, params.figures,
                                processes=snakemake.threads, weighted=weighted)  # noqa: F821
    for comparison in params.comparisons:
        name = comparison["name"]
        log.info("comparison %s (%s): %d files written", name, comparison["kind"], len(written[name]))
