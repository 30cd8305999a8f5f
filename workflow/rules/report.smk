# The pages of the Snakemake report (snakemake --report results/report.html): every Markdown text and
# CSV log of the staged release as an HTML page, which the report shows in place (it only offers
# other files for download). The pages are the report's, written next to the staging tree, never
# published: the release holds the CSV, Markdown, workbooks and figures they are made from.

REPORT_PAGES = f"{STAGING}/report/{RELEASE}"


def report_page(source, category, subcategory, labels, caption, lang, title=""):
    """One page: the staged file it shows, where it sits in the report, and its caption."""
    target = f"{REPORT_PAGES}/{Path(source).relative_to(STAGE).with_suffix('.html')}"
    return {
        "source": source,
        "target": target,
        "category": category,
        "subcategory": subcategory,
        "labels": labels,
        "caption": caption,
        "lang": lang,
        "title": title,
    }


def report_pages():
    pages = []
    for wave in WAVES:
        questions = {q.id: q for q in published_questions(WAVE_SPECS[wave])}
        for q in analysed_questions(wave):
            for lang in LANGUAGES:
                pages.append(
                    report_page(
                        f"{STAGE}/{wave}/tables/{q}.{lang}.md",
                        "Tables",
                        f"{wave}, {LANGUAGE_NAMES[lang]}",
                        {"question": questions[q].text[lang]},
                        f"../report/table.{lang}.rst",
                        lang,
                    )
                )
        for by in breakdowns_of(wave):
            for q in breakdown_questions(wave):
                for lang in LANGUAGES:
                    pages.append(
                        report_page(
                            f"{STAGE}/{wave}/breakdowns/{by}/{q}.{lang}.md",
                            "Breakdowns",
                            f"{wave}, {LANGUAGE_NAMES[lang]}",
                            {
                                "by": CODEBOOK[by].text[lang],
                                "question": questions[q].text[lang],
                            },
                            f"../report/breakdown.{lang}.rst",
                            lang,
                        )
                    )
        for name, table, caption in (
            ("cleaning_log", "Cleaning log", "cleaning"),
            (
                "disclosure",
                "Disclosure report of the published responses",
                "disclosure",
            ),
        ):
            pages.append(
                report_page(
                    f"{STAGE}/{wave}/clean/{name}.csv",
                    "Cleaning",
                    wave,
                    {"table": table},
                    f"../report/{caption}.rst",
                    "en",
                    f"{table}, wave {wave}",
                )
            )
    for name in COMPARISONS:
        for lang in LANGUAGES:
            pages.append(
                report_page(
                    f"{STAGE}/compare/{name}/comparison.{lang}.md",
                    "Comparisons",
                    LANGUAGE_NAMES[lang],
                    comparison_labels(name, lang, item="tables and tests"),
                    f"../report/comparison.{lang}.rst",
                    lang,
                )
            )
    for lang in LANGUAGES:
        pages.append(
            report_page(
                f"{STAGE}/audit/claims.{lang}.md",
                "Audit",
                "Claims of the report",
                {"language": LANGUAGE_NAMES[lang]},
                f"../report/claims.{lang}.rst",
                lang,
            )
        )
    for name in PUBLISHED:
        for suffix, level in (("", "rows"), (".groups", "groups")):
            pages.append(
                report_page(
                    f"{STAGE}/audit/consistency/{name}{suffix}.csv",
                    "Audit",
                    "Consistency of published numbers",
                    {"table": name, "level": level},
                    "../report/consistency.rst",
                    "en",
                    f"Consistency of published percentages: {name} ({level})",
                )
            )
    return pages


REPORT_PAGE_LIST = report_pages()


rule report_pages:
    """The release's Markdown texts and CSV logs as HTML pages of the Snakemake report."""
    input:
        pages=[page["source"] for page in REPORT_PAGE_LIST],
    output:
        pages=[
            report(
                page["target"],
                caption=page["caption"],
                category=page["category"],
                subcategory=page["subcategory"],
                labels=page["labels"],
            )
            for page in REPORT_PAGE_LIST
        ],
    log:
        f"logs/{RELEASE}/report_pages.log",
    conda:
        "../../environment.yml"
    params:
        code=code("report_pages"),
        titles=[page["title"] for page in REPORT_PAGE_LIST],
        languages=[page["lang"] for page in REPORT_PAGE_LIST],
        synthetic=SYNTHETIC,
        suppress_below=BREAKDOWNS["suppress_below"],
    script:
        "../scripts/report_pages.py"
