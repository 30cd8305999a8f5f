# The pages of the Snakemake report (snakemake --report results/report.html): every Markdown text and
# CSV log of the staged release as an HTML page, which the report shows in place (it only offers
# other files for download). The pages are the report's, written next to the staging tree, never
# published: the release holds the CSV, Markdown, workbooks and figures they are made from.


rule report_pages:
    """The release's Markdown texts and CSV logs as HTML pages of the Snakemake report."""
    input:
        pages=[page["source"] for page in REPORT_PAGE_LIST],
    output:
        pages=[
            report(
                page["target"],
                caption=page["caption"],
                category=page["category"],
                subcategory=page["subcategory"],
                labels=page["labels"],
            )
            for page in REPORT_PAGE_LIST
        ],
    log:
        f"logs/{RELEASE}/report_pages.log",
    group:
        "release"
    conda:
        "../../environment.yml"
    params:
        code=code("report_pages"),
        titles=[page["title"] for page in REPORT_PAGE_LIST],
        languages=[page["lang"] for page in REPORT_PAGE_LIST],
        synthetic=SYNTHETIC,
        suppress_below=BREAKDOWNS["suppress_below"],
    script:
        "../scripts/report_pages.py"
