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
            # shown in the report as HTML pages (rule report_pages); the CSV files are the release's
            csv=[f"{STAGE}/{_wave}/tables/{q}.csv" for q in analysed_questions(_wave)],
            markdown=[
                f"{STAGE}/{_wave}/tables/{q}.{lang}.md"
                for q in analysed_questions(_wave)
                for lang in LANGUAGES
            ],
            workbook=report(
                f"{STAGE}/{_wave}/tables/{_wave}.xlsx",
                caption="../report/workbook.rst",
                category="Tables",
                subcategory=f"{_wave}, workbook",
                labels={"question": "every table of the wave (Excel workbook)"},
            ),
        log:
            f"logs/{RELEASE}/tables/{_wave}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/tables/{_wave}.tsv"
        group:
            "wave"
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
            # the PNG is shown in the report, in its language; the SVG is named in the caption
            figures=[
                (
                    report(
                        path,
                        caption=f"../report/figure.{figure_lang(path)}.rst",
                        category="Figures",
                        subcategory=f"{_wave}, {LANGUAGE_NAMES[figure_lang(path)]}",
                        labels={"figure": figure_label(_wave, path)},
                    )
                    if path.endswith(".png")
                    else path
                )
                for path in figure_outputs(_wave)
            ],
        log:
            f"logs/{RELEASE}/figures/{_wave}.log",
        benchmark:
            f"benchmarks/runs/{RELEASE}/figures/{_wave}.tsv"
        group:
            "wave"
        conda:
            "../../environment.yml"
        threads: 2  # the charts are drawn in two processes (scaled down to --cores)
        params:
            code=code("figures"),
            questionnaire=QUESTIONNAIRE,
            instrument=questions_of(_wave),
            languages=LANGUAGES,
            synthetic=wave_spec(_wave).synthetic,
            figures=config.get("figures", {}),
        script:
            "../scripts/figures.py"
