# Comparisons between waves, options and questions: one job per comparison (results/{release}/compare/).
for _name, _comparison in COMPARISONS.items():

    rule:
        name:
            f"compare_{_name}"
        input:
            data=comparison_inputs_of(_name),
            questionnaire=QUESTIONNAIRE,
            package=PACKAGE,
        output:
            files=[
                (
                    report(
                        path,
                        caption="../report/comparison.rst",
                        category="Comparisons",
                        subcategory=_name,
                        labels={"comparison": _name, "file": Path(path).name},
                    )
                    if path.endswith((".png", ".csv", ".xlsx"))
                    else path
                )
                for path in comparison_outputs(_name)
            ],
        log:
            f"logs/{RELEASE}/compare/{_name}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/compare/{_name}.tsv"
        conda:
            "../../environment.yml"
        params:
            name=_name,
            kind=_comparison.kind,
            spec=_comparison.spec,
            waves=_comparison.waves,
            wave_files=[wave_file(w) for w in _comparison.waves],
            languages=LANGUAGES,
            settings=config["compare"],
            interval_method=config["estimate"]["interval_method"],
            synthetic=any(wave_spec(w).synthetic for w in _comparison.waves),
        script:
            "../scripts/compare.py"


for _wave in WAVES:
    if BREAKDOWNS["by"]:

        rule:
            name:
                f"breakdowns_{_wave}"
            input:
                responses=f"{RESULTS}/{_wave}/clean/responses.csv",
                wave=wave_file(_wave),
                questionnaire=QUESTIONNAIRE,
                package=PACKAGE,
            output:
                files=[
                    (
                        report(
                            path,
                            caption="../report/breakdown.rst",
                            category="Breakdowns",
                            subcategory=_wave,
                            labels={"wave": _wave, "file": Path(path).name},
                        )
                        if path.endswith(".csv")
                        else path
                    )
                    for path in breakdown_outputs(_wave)
                ],
            log:
                f"logs/{RELEASE}/breakdowns/{_wave}.log",
            benchmark:
                f"benchmarks/runs/{RELEASE}/breakdowns/{_wave}.tsv"
            conda:
                "../../environment.yml"
            params:
                by=BREAKDOWNS["by"],
                questions=breakdown_questions(_wave),
                suppress_below=BREAKDOWNS["suppress_below"],
                languages=LANGUAGES,
                settings=config["compare"],
                interval_method=config["estimate"]["interval_method"],
                synthetic=wave_spec(_wave).synthetic,
            script:
                "../scripts/breakdowns.py"
