"""Rule report_pages (workflow/rules/report.smk): the release's Markdown texts and CSV logs as HTML
pages that the Snakemake report shows in place.

In: the staged Markdown and CSV files. Out: results/.staging/report/{release}/..., one page each
(never published).
Function: netclean_survey.render.report_pages.write_report_pages.
"""

from netclean_survey import SYNTHETIC_NOTE
from netclean_survey.core.runlog import logged
from netclean_survey.render.report_pages import write_report_pages

with logged(snakemake.log[0], "report_pages") as log:  # noqa: F821 (snakemake is injected)
    params = snakemake.params  # noqa: F821
    note = SYNTHETIC_NOTE["en"] if params.synthetic else ""
    written = write_report_pages(list(snakemake.input.pages), list(snakemake.output.pages),  # noqa: F821
                                 list(params.titles), list(params.languages), note)
    log.info("%d report pages written", len(written))
