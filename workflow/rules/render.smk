# Tables and figures, one job per wave and stage: the set of questions comes from the wave file, so
# the rules are made per wave and every output file is named (and goes into the report).
for _wave in WAVES:

    rule:
        name:
            f"tables_{_wave}"
        input:
            estimates=f"{STAGE}/{_wave}/estimates.csv",
            wave=wave_file(_wave),
        output:
            csv=[
                report(
                    f"{STAGE}/{_wave}/tables/{q}.csv",
                    caption="../report/table.rst",
                    category="Tables",
                    subcategory=_wave,
                    labels={"wave": _wave, "question": q},
                )
                for q in analysed_questions(_wave)
            ],
            markdown=[
                f"{STAGE}/{_wave}/tables/{q}.{lang}.md"
                for q in analysed_questions(_wave)
                for lang in LANGUAGES
            ],
            workbook=report(
                f"{STAGE}/{_wave}/tables/{_wave}.xlsx",
                caption="../report/workbook.rst",
                category="Tables",
                subcategory=_wave,
                labels={"wave": _wave, "question": "all (workbook)"},
            ),
        log:
            f"logs/{RELEASE}/tables/{_wave}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/tables/{_wave}.tsv"
        conda:
            "../../environment.yml"
        params:
            code=code("tables"),
            questionnaire=QUESTIONNAIRE,
            instrument=questions_of(_wave),
            languages=LANGUAGES,
            synthetic=wave_spec(_wave).synthetic,
        script:
            "../scripts/tables.py"

    rule:
        name:
            f"figures_{_wave}"
        input:
            estimates=f"{STAGE}/{_wave}/estimates.csv",
            wave=wave_file(_wave),
        output:
            figures=[
                report(
                    path,
                    caption="../report/figure.rst",
                    category="Figures",
                    subcategory=_wave,
                    labels={
                        "wave": _wave,
                        "figure": Path(path).name.split(".")[0],
                        "file": Path(path).name.split(".", 1)[1],
                    },
                )
                for path in figure_outputs(_wave)
            ],
        log:
            f"logs/{RELEASE}/figures/{_wave}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/figures/{_wave}.tsv"
        conda:
            "../../environment.yml"
        params:
            code=code("figures"),
            questionnaire=QUESTIONNAIRE,
            instrument=questions_of(_wave),
            languages=LANGUAGES,
            synthetic=wave_spec(_wave).synthetic,
        script:
            "../scripts/figures.py"
