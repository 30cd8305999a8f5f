rule clean_export:
    """Read one wave's raw export, apply its exclusions, map labels, validate the responses; kept in a
    temporary file so that a bad export stops the run before rule clean touches the wave's outputs.
    """
    input:
        raw=raw_export,
        survey_definition=survey_definition,
        wave=lambda wc: wave_file(wc.wave),
    output:
        cleaned=temp(f"{STAGING}/tmp/{RELEASE}/{{wave}}/cleaned.pickle"),
    log:
        f"logs/{RELEASE}/clean_export/{{wave}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/clean_export/{{wave}}.tsv"
    group:
        "wave"
    conda:
        "../../environment.yml"
    params:
        code=code("clean_export"),
        questionnaire=QUESTIONNAIRE,
        instrument=lambda wc: questions_of(wc.wave),
    script:
        "../scripts/clean_export.py"


rule clean:
    """Write the cleaned wave: the responses every later rule computes from (no free text unless
    asked; never published), the published responses (disclosure-checked) and their disclosure
    report, the cleaning log and the excluded rows."""
    input:
        cleaned=rules.clean_export.output.cleaned,
        wave=lambda wc: wave_file(wc.wave),
    output:
        responses=f"{PRIVATE}/{{wave}}/clean/responses.csv",
        published=f"{STAGE}/{{wave}}/clean/responses.csv",
        # both shown in the report as pages (rule report_pages)
        disclosure=f"{STAGE}/{{wave}}/clean/disclosure.csv",
        log_table=f"{STAGE}/{{wave}}/clean/cleaning_log.csv",
        exclusions=f"{STAGE}/{{wave}}/clean/exclusions.csv",
    log:
        f"logs/{RELEASE}/clean/{{wave}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/clean/{{wave}}.tsv"
    group:
        "wave"
    conda:
        "../../environment.yml"
    params:
        code=code("clean"),
        questionnaire=QUESTIONNAIRE,
        instrument=lambda wc: questions_of(wc.wave),
        publish_free_text=config.get("publish_free_text", False),
        disclosure=config.get("disclosure", {}),
        synthetic=lambda wc: wave_spec(wc.wave).synthetic,
    script:
        "../scripts/clean.py"
