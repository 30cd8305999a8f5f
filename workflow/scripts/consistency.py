"""Rule consistency: a CSV of printed percentages -> the whole counts that give them, and verdicts."""

from netclean_survey.consistency import check_published
from netclean_survey.render import write_table_csv
from netclean_survey.runlog import logged

with logged(snakemake.log[0], "consistency") as log:  # noqa: F821 (snakemake is injected)
    rows, groups = check_published(snakemake.input.published)  # noqa: F821
    write_table_csv(rows, snakemake.output.rows)  # noqa: F821
    write_table_csv(groups, snakemake.output.groups)  # noqa: F821
    log.info("%d printed values, %d groups", len(rows), len(groups))
