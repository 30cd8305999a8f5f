rule clean:
    """Read one wave's raw export, apply its exclusions, map labels, validate the responses."""
    input:
        raw=raw_export,
        wave=lambda wc: wave_file(wc.wave),
        questionnaire=QUESTIONNAIRE,
        package=PACKAGE,
    output:
        responses=f"{RESULTS}/{{wave}}/clean/responses.csv",
        log_table=report(
            f"{RESULTS}/{{wave}}/clean/cleaning_log.csv",
            caption="../report/cleaning.rst",
            category="Cleaning",
            labels={"wave": "{wave}", "table": "cleaning log"},
        ),
        exclusions=f"{RESULTS}/{{wave}}/clean/exclusions.csv",
    log:
        f"logs/{RELEASE}/clean/{{wave}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/clean/{{wave}}.tsv"
    conda:
        "../../environment.yml"
    params:
        publish_free_text=config.get("publish_free_text", False),
        synthetic=lambda wc: wave_spec(wc.wave).synthetic,
    script:
        "../scripts/clean.py"
