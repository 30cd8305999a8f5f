# The plan of the next wave (results/{release}/plan/): respondents needed for the configured interval
# half-width at each share of the last wave, and the changes the last two waves' sample sizes detect.


rule plan:
    """Respondents for a chosen precision; detectable differences and power between the last two waves."""
    input:
        estimates=f"{STAGE}/{WAVES[-1]}/estimates.csv",
        responses=[f"{PRIVATE}/{w}/clean/responses.csv" for w in PLAN_WAVES],
        waves=[wave_file(w) for w in PLAN_WAVES],
        weighted=weighted_estimates_of(WAVES[-1]),  # weights on only
        weights=plan_weights(),  # weights on only: the last two waves' private weights
    output:
        precision=f"{STAGE}/plan/precision.csv",
        detectable=f"{STAGE}/plan/detectable.csv",
        power=f"{STAGE}/plan/power.csv",
        weighted=weighted_plan_outputs(),  # weights on only
        markdown=[f"{STAGE}/plan/plan.{lang}.md" for lang in LANGUAGES],  # shown as pages
        figures=[
            (
                report(
                    f"{STAGE}/plan/precision.{lang}.png",
                    caption=f"../report/plan.{lang}.rst",
                    category="Planning",
                    subcategory=LANGUAGE_NAMES[lang],
                    labels={"item": "respondents needed per question (chart)"},
                )
                if ext == "png"
                else f"{STAGE}/plan/precision.{lang}.{ext}"
            )
            for lang in LANGUAGES
            for ext in ("png", "svg")
        ],
    log:
        f"logs/{RELEASE}/plan.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/plan.tsv"
    group:
        "release"  # a few seconds, before the data package: one cluster job with it
    conda:
        "../../environment.yml"
    params:
        code=code("plan"),
        questionnaire=QUESTIONNAIRE,
        instrument=questions_of(*PLAN_WAVES),
        wave_files={w: wave_file(w) for w in PLAN_WAVES},
        comparisons=[
            {"name": c.name, "kind": c.kind, "spec": c.spec} for c in PLAN_COMPARISONS
        ],
        settings={
            **config["plan"],
            "interval_method": config["estimate"]["interval_method"],
            "conf_level": config["estimate"]["conf_level"],
        },
        languages=LANGUAGES,
        synthetic=SYNTHETIC,
        weighting=plan_weighting(),  # None: weights off
    script:
        "../scripts/plan.py"
