# Weights (config weights:, off by default): each wave's respondents raked to population margins and
# trimmed, and the weighted share of every question (results/{release}/{wave}/weights/).


rule weights:
    """Raked and trimmed weights of one wave, the margins reached, and weighted shares with intervals."""
    input:
        responses=f"{PRIVATE}/{{wave}}/clean/responses.csv",
        wave=lambda wc: wave_file(wc.wave),
        export=weights_export,  # weights: source: column only
    output:
        weights=f"{PRIVATE}/{{wave}}/weights/weights.csv",  # never published
        margins=f"{STAGE}/{{wave}}/weights/margins.csv",
        summary=f"{STAGE}/{{wave}}/weights/summary.csv",
        estimates=f"{STAGE}/{{wave}}/weights/estimates.csv",
        workbook=report(
            f"{STAGE}/{{wave}}/weights/weighted.xlsx",
            caption="../report/weights.rst",
            category="Weights",
            subcategory="{wave}",
            labels={"table": "every weighted table (Excel workbook)"},
        ),
    log:
        f"logs/{RELEASE}/weights/{{wave}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/weights/{{wave}}.tsv"
    group:
        "wave"
    conda:
        "../../environment.yml"
    params:
        code=code("weights"),
        questionnaire=QUESTIONNAIRE,
        instrument=lambda wc: questions_of(wc.wave),
        settings=lambda wc: weights_settings(wc.wave),
        conf_level=config["estimate"]["conf_level"],
        synthetic=SYNTHETIC,  # for the report's caption
    script:
        "../scripts/weights.py"
