"""Rule consistency (workflow/rules/audit.smk): which whole counts give each printed percentage (GRIM).

In: config/published/{name}.csv. Out: results/{release}/audit/consistency/{name}.csv and {name}.groups.csv.
Function: netclean_survey.audit.consistency.check_published.
"""

from netclean_survey.audit.consistency import check_published
from netclean_survey.core.runlog import logged
from netclean_survey.core.writers import write_table_csv

with logged(snakemake.log[0], "consistency") as log:  # noqa: F821 (snakemake is injected)
    rows, groups = check_published(snakemake.input.published)  # noqa: F821
    write_table_csv(rows, snakemake.output.rows)  # noqa: F821
    write_table_csv(groups, snakemake.output.groups)  # noqa: F821
    log.info("%d printed values, %d groups", len(rows), len(groups))
