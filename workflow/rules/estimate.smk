rule estimate:
    """Base, count, share and interval for every question and option of one wave."""
    input:
        responses=f"{PRIVATE}/{{wave}}/clean/responses.csv",
        wave=lambda wc: wave_file(wc.wave),
    output:
        estimates=f"{STAGE}/{{wave}}/estimates.csv",
    log:
        f"logs/{RELEASE}/estimate/{{wave}}.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/estimate/{{wave}}.tsv"
    group:
        "wave"
    conda:
        "../../environment.yml"
    params:
        code=code("estimate"),
        questionnaire=QUESTIONNAIRE,
        instrument=lambda wc: questions_of(wc.wave),
        interval_method=config["estimate"]["interval_method"],
        simultaneous_method=config["estimate"]["simultaneous_method"],
        conf_level=config["estimate"]["conf_level"],
    script:
        "../scripts/estimate.py"
