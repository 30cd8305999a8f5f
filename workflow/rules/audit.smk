# The audit: published numbers checked on their own (consistency of printed percentages), and
# every claim of the report checked against the data (results/{release}/audit/).


rule consistency:
    """Which whole counts give each printed percentage (GRIM), row by row and group by group."""
    input:
        published="config/published/{name}.csv",
        package=PACKAGE,
    output:
        rows=report(
            f"{RESULTS}/audit/consistency/{{name}}.csv",
            caption="../report/consistency.rst",
            category="Audit",
            subcategory="Consistency of published numbers",
            labels={"table": "{name}", "level": "rows"},
        ),
        groups=report(
            f"{RESULTS}/audit/consistency/{{name}}.groups.csv",
            caption="../report/consistency.rst",
            category="Audit",
            subcategory="Consistency of published numbers",
            labels={"table": "{name}", "level": "groups"},
        ),
    log:
        f"logs/{RELEASE}/consistency/{{name}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/consistency/{{name}}.tsv"
    conda:
        "../../environment.yml"
    script:
        "../scripts/consistency.py"
