"""Rule compare_{job} (workflow/rules/compare.smk): the comparisons one job makes (two consecutive
waves on every question they share, or one configured comparison).

In: results/{release}/{wave}/clean/responses.csv of the waves compared. Out:
results/{release}/compare/{name}/table.csv, test.csv, comparison.{lang}.md, comparison.xlsx and, between
waves, dumbbell.{lang}.png/.svg and forest.{lang}.png/.svg, the charts drawn in the job's threads
(processes).
Function: netclean_survey.compare.publish.write_comparisons.
"""

from pathlib import Path

from netclean_survey.clean.tidy import read_responses
from netclean_survey.compare.publish import write_comparisons
from netclean_survey.core.codebook import load_codebook, load_wave
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "compare") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    codebook = load_codebook(snakemake.params.questionnaire)  # noqa: F821
    waves = {w: load_wave(path, codebook) for w, path in params.wave_files.items()}
    # inputs results/{release}/{wave}/clean/responses.csv, outputs results/{release}/compare/{name}/...
    paths = {Path(p).parent.parent.name: p for p in snakemake.input.data if p.endswith("responses.csv")}  # noqa: F821
    responses = {w: read_responses(paths[w], waves[w]) for w in waves}  # each wave read once
    out_dirs = {Path(p).parent.name: Path(p).parent for p in snakemake.output.files}  # noqa: F821
    written = write_comparisons(params.comparisons, responses, waves, codebook, params.settings, params.interval_method,
                                out_dirs, params.languages, params.figures,
                                processes=snakemake.threads)  # noqa: F821
    for comparison in params.comparisons:
        name = comparison["name"]
        log.info("comparison %s (%s): %d files written", name, comparison["kind"], len(written[name]))
