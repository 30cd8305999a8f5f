# Comparisons between waves, options and questions (results/{release}/compare/{name}/): one job per
# configured comparison, and one job for all the comparisons of two consecutive waves.
for _job, _names in COMPARISON_JOBS.items():

    rule:
        name:
            f"compare_{_job}"
        input:
            data=list(dict.fromkeys(f for n in _names for f in comparison_inputs_of(n))),
        output:
            files=[
                (
                    report(
                        path,
                        caption=comparison_caption(path),
                        category="Comparisons",
                        subcategory=LANGUAGE_NAMES[comparison_file_lang(path)],
                        labels=comparison_labels(
                            name,
                            comparison_file_lang(path),
                            item=comparison_item(path),
                        ),
                    )
                    if path.endswith((".png", ".xlsx"))
                    else path  # the tables are shown as pages (rule report_pages)
                )
                for name in _names
                for path in comparison_outputs(name)
            ],
        log:
            f"logs/{RELEASE}/compare/{_job}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/compare/{_job}.tsv"
        group:
            "comparisons"
        conda:
            "../../environment.yml"
        threads: 2  # the charts are drawn in two processes (scaled down to --cores)
        params:
            code=code("compare"),
            questionnaire=QUESTIONNAIRE,
            instrument=questions_of(
                *dict.fromkeys(w for n in _names for w in COMPARISONS[n].waves)
            ),
            comparisons=[
                {
                    "name": name,
                    "kind": COMPARISONS[name].kind,
                    "spec": COMPARISONS[name].spec,
                    "waves": COMPARISONS[name].waves,
                }
                for name in _names
            ],
            wave_files={w: wave_file(w) for n in _names for w in COMPARISONS[n].waves},
            languages=LANGUAGES,
            settings=config["compare"],
            interval_method=config["estimate"]["interval_method"],
            figures=config.get("figures", {}),  # long single-choice lists in the figures
            synthetic=SYNTHETIC,  # for the report's captions
            out_dirs={name: f"{STAGE}/compare/{name}" for name in _names},
            weighting=comparison_weighting(_names),  # None: weights off
        script:
            "../scripts/compare.py"


for _wave in WAVES:
    if breakdowns_of(_wave):

        rule:
            name:
                f"breakdowns_{_wave}"
            input:
                responses=f"{PRIVATE}/{_wave}/clean/responses.csv",
                wave=wave_file(_wave),
            output:
                files=[
                    (
                        report(
                            path,
                            caption="../report/breakdown.en.rst",
                            category="Breakdowns",
                            subcategory=f"{_wave}, workbook",
                            labels={
                                "by": CODEBOOK[Path(path).stem].text["en"],
                                "question": "every breakdown (Excel workbook)",
                            },
                        )
                        if path.endswith(".xlsx")
                        else path  # the tables are shown as pages (rule report_pages)
                    )
                    for path in breakdown_outputs(_wave)
                ],
            log:
                f"logs/{RELEASE}/breakdowns/{_wave}.log",
            benchmark:
                f"benchmarks/runs/{RELEASE}/breakdowns/{_wave}.tsv"
            group:
                "wave"
            conda:
                "../../environment.yml"
            params:
                code=code("breakdowns"),
                questionnaire=QUESTIONNAIRE,
                instrument=questions_of(_wave),
                by=breakdowns_of(_wave),
                questions=breakdown_questions(_wave),
                suppress_below=BREAKDOWNS["suppress_below"],
                languages=LANGUAGES,
                settings=config["compare"],
                interval_method=config["estimate"]["interval_method"],
                synthetic=wave_spec(_wave).synthetic,
            script:
                "../scripts/breakdowns.py"
