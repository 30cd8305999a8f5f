# The audit: published numbers checked on their own (consistency of printed percentages), and
# every claim of the report checked against the data (results/{release}/audit/, staged first).


rule consistency:
    """Which whole counts give each printed percentage (GRIM), row by row and group by group."""
    input:
        published="config/published/{name}.csv",
    output:
        # shown in the report as pages (rule report_pages)
        rows=f"{STAGE}/audit/consistency/{{name}}.csv",
        groups=f"{STAGE}/audit/consistency/{{name}}.groups.csv",
    log:
        f"logs/{RELEASE}/consistency/{{name}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/consistency/{{name}}.tsv"
    conda:
        "../../environment.yml"
    params:
        code=code("consistency"),
    script:
        "../scripts/consistency.py"


# What the claims audit reads, and how it judges (rule claims, and rule claims_weighted with weights on)
CLAIMS_INPUT = {
    "estimates": expand(f"{STAGE}/{{wave}}/estimates.csv", wave=WAVES),
    "responses": expand(f"{PRIVATE}/{{wave}}/clean/responses.csv", wave=WAVES),
    "waves": [wave_file(w) for w in WAVES],
    "claims": config["claims"]["files"],
    "lexicon": config["claims"]["lexicon"],
    "questionnaire": QUESTIONNAIRE,
}
CLAIMS_SETTINGS = {
    "conf_level": config["estimate"]["conf_level"],
    "interval_method": config["estimate"]["interval_method"],
    "alpha": config["claims"]["alpha"],
    "equivalence_margin": config["claims"]["equivalence_margin"],
}


rule claims:
    """Every claim of the report, turned into a testable statement and checked against the data."""
    input:
        **CLAIMS_INPUT,
    output:
        table=report(
            f"{STAGE}/audit/claims.csv",
            caption="../report/claims.en.rst",
            category="Audit",
            subcategory="Claims of the report",
            labels={"language": "every claim, machine-readable (CSV)"},
        ),
        summary=f"{STAGE}/audit/claims_summary.csv",
        markdown=[f"{STAGE}/audit/claims.{lang}.md" for lang in LANGUAGES],  # shown as pages
    log:
        f"logs/{RELEASE}/claims.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/claims.tsv"
    conda:
        "../../environment.yml"
    params:
        code=code("claims"),
        waves=WAVES,
        languages=LANGUAGES,
        settings=CLAIMS_SETTINGS,
        synthetic=SYNTHETIC,
        weights=None,  # unweighted: the report's own figures
    script:
        "../scripts/claims.py"


if WEIGHTED:

    rule claims_weighted:
        """Every claim of the report checked against the weighted estimates (config weights on)."""
        input:
            **CLAIMS_INPUT,
            weights=expand(f"{PRIVATE}/{{wave}}/weights/weights.csv", wave=WAVES),
        output:
            table=f"{STAGE}/audit/weighted/claims.csv",
            summary=f"{STAGE}/audit/weighted/claims_summary.csv",
            markdown=[f"{STAGE}/audit/weighted/claims.{lang}.md" for lang in LANGUAGES],
        log:
            f"logs/{RELEASE}/claims_weighted.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/claims_weighted.tsv"
        conda:
            "../../environment.yml"
        params:
            code=code("claims"),
            waves=WAVES,
            languages=LANGUAGES,
            settings=CLAIMS_SETTINGS,
            synthetic=SYNTHETIC,
            weights=weighting_of_waves(WAVES),
        script:
            "../scripts/claims.py"
