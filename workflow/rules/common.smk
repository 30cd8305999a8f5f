# Helpers shared by the rules: config validation, wave files, output lists, wildcard constraints.
import functools
import glob
import time
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

from netclean_survey.core.codebook import (  # noqa: E402
    AGES_FIGURE,
    check_against_schema,
    has_age_figure,
    load_codebook,
    load_wave,
    published_questions,
    questions_digest,
)
from netclean_survey.core.errors import ConfigError  # noqa: E402
from netclean_survey.core.imports import code_digest  # noqa: E402
from netclean_survey.core.methods import method_name  # noqa: E402
from netclean_survey.core.plan import (  # noqa: E402
    configured_comparisons,
    last_two_waves_comparisons,
)
from netclean_survey.core.yamlfile import read_yaml  # noqa: E402
from netclean_survey.release.datapackage import DATAPACKAGE_NAME  # noqa: E402
from netclean_survey.release.promote import release_in_place  # noqa: E402
from netclean_survey.weights.config import (  # noqa: E402
    check_weights_config,
    weighting_label,
)


def validate_config(config):
    """Check config against its schema (which also fills in its defaults); say the first problem in
    one paragraph that names the key."""
    try:
        validate(config, schema="../schemas/config.schema.yaml")
    except WorkflowError:
        import jsonschema

        schema = read_yaml(
            Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"
        )
        try:
            check_against_schema(
                config, jsonschema.Draft202012Validator(schema), "config/config.yaml"
            )
        except ConfigError as error:
            raise WorkflowError(
                str(error).replace(
                    "config/config.yaml:", "config/config.yaml is not valid:", 1
                )
            ) from None
        raise


validate_config(config)

RELEASE = config["release"]
VERSION = str(config["version"])
WAVES = [str(w) for w in config["waves"]]
LANGUAGES = config["languages"]
QUESTIONNAIRE = config["questionnaire"]
CODEBOOK = load_codebook(QUESTIONNAIRE)
# Rules write the release into a staging tree; rule promote, the last job, checks it against its
# manifest and puts it in place of the published release in one step (README, "Whole or nothing").
RELEASE_DIR = f"results/{RELEASE}"  # the published release: committed, written only by rule promote
STAGING = "results/.staging"
STAGE = f"{STAGING}/{RELEASE}"  # the release as this run builds it
# What the rules compute from, never published: the full responses (the release publishes the
# disclosure-checked ones, netclean_survey.clean.disclosure)
PRIVATE = f"{STAGING}/private/{RELEASE}"
PROMOTED = (
    f"{STAGING}/{RELEASE}.promoted"  # the staged manifest's sha256, once published
)


wildcard_constraints:
    wave="|".join(WAVES),
    name="[A-Za-z0-9_-]+",
    lang="|".join(LANGUAGES),


def code(script):
    """The digest of the package files a rule's script imports (directly or not): a parameter of the
    rule, so that a change to the code it runs, and only that, reruns it."""
    return code_digest(
        f"workflow/scripts/{script}.py",
        "workflow/netclean_survey",
        cache=".snakemake/netclean_survey-imports.json",
    )


def questions_of(*waves):
    """The questions the waves ask, as a digest: a param of their rules (core.codebook.questions_digest)."""
    return questions_digest(CODEBOOK, [wave_spec(wave) for wave in waves])


def wave_file(wave):
    return config["wave_file"].format(wave=wave)


@functools.cache  # the wave file is read and checked once per run, not once per job that asks
def wave_spec(wave):
    return load_wave(wave_file(wave), CODEBOOK)


def raw_export(wildcards):
    return wave_spec(wildcards.wave).raw


def survey_definition(wildcards):
    """A Qualtrics wave's .qsf, when its wave file names one: an input, so a new one reruns the wave."""
    named = wave_spec(wildcards.wave).survey_definition
    return [named] if named else []


def analysed_questions(wave):
    """Questions with tables and figures: all but free text, which is never published by default."""
    return [q.id for q in published_questions(wave_spec(wave))]


def table_outputs(wave):
    tables = [f"{STAGE}/{wave}/tables/{q}.csv" for q in analysed_questions(wave)]
    markdown = [
        f"{STAGE}/{wave}/tables/{q}.{lang}.md"
        for q in analysed_questions(wave)
        for lang in LANGUAGES
    ]
    return tables + markdown


# render.text's ages_title, which the Snakefile cannot import (pandas); a test checks they agree
AGES_FIGURE_TITLE = {
    "en": "Ages of the children: grooming and sexual extortion",
    "sv": "Barnens åldrar: grooming och sexuell utpressning",
}


def figure_lang(path):
    """The language of a figure file ``{name}.{lang}.{ext}``."""
    return Path(path).name.split(".")[-2]


def figure_label(wave, path):
    """A figure as the report lists it: its question's text in the figure's language."""
    name, lang = Path(path).name.split(".")[0], figure_lang(path)
    if name == AGES_FIGURE:
        return AGES_FIGURE_TITLE[lang]
    return next(
        q.text[lang] for q in published_questions(wave_spec(wave)) if q.id == name
    )


def figure_outputs(wave):
    names = analysed_questions(wave) + (
        [AGES_FIGURE] if has_age_figure(wave_spec(wave)) else []
    )
    return [
        f"{STAGE}/{wave}/figures/{name}.{lang}.{ext}"
        for name in names
        for lang in LANGUAGES
        for ext in ("png", "svg")
    ]


WAVE_SPECS = {wave: wave_spec(wave) for wave in WAVES}
COMPARISONS = {c.name: c for c in configured_comparisons(config, WAVE_SPECS, CODEBOOK)}
COMPARISON_JOBS = (
    {}
)  # job -> the comparisons it makes (one job for two consecutive waves)
for _c in COMPARISONS.values():
    COMPARISON_JOBS.setdefault(_c.job, []).append(_c.name)
BREAKDOWNS = config.get("breakdowns", {"by": [], "suppress_below": 5})
# The plan of the next wave reads the last two waves (the last one alone in a one-wave release).
PLAN_WAVES = WAVES[-2:]
PLAN_COMPARISONS = last_two_waves_comparisons(list(COMPARISONS.values()), WAVES)


def comparisons_of(kind):
    return [name for name, c in COMPARISONS.items() if c.kind == kind]


def weighs(name):
    """Whether a comparison has weighted tables: weights on, and two different waves compared."""
    return WEIGHTED and COMPARISONS[name].between_waves


def comparison_inputs_of(name):
    """The responses and wave files a comparison reads, and the waves' private weights when it
    weighs them."""
    waves = COMPARISONS[name].waves
    weights = (
        [f"{PRIVATE}/{w}/weights/weights.csv" for w in waves] if weighs(name) else []
    )
    return (
        [f"{PRIVATE}/{w}/clean/responses.csv" for w in waves]
        + [wave_file(w) for w in waves]
        + weights
    )


def weighted_comparison_outputs(name):
    """A comparison's weighted tables (compare/{name}/weighted/), when it weighs the waves."""
    if not weighs(name):
        return []
    base = f"{STAGE}/compare/{name}/weighted"
    return [f"{base}/table.csv", f"{base}/test.csv", f"{base}/comparison.xlsx"] + [
        f"{base}/comparison.{lang}.md" for lang in LANGUAGES
    ]


def comparison_outputs(name):
    base = f"{STAGE}/compare/{name}"
    files = [f"{base}/table.csv", f"{base}/test.csv", f"{base}/comparison.xlsx"]
    files += [f"{base}/comparison.{lang}.md" for lang in LANGUAGES]
    if COMPARISONS[name].kind == "between":
        files += [
            f"{base}/{fig}.{lang}.{ext}"
            for fig in ("dumbbell", "forest")
            for lang in LANGUAGES
            for ext in ("png", "svg")
        ]
    return files + weighted_comparison_outputs(name)


def weighting_of_waves(waves):
    """What a job needs to weigh these waves (a param; weights.publish.load_wave_weights reads it
    with their weights): how each wave's weights were made, the variables it is raked to, and the
    interval method of weighted shares."""
    return {
        "labels": {w: weighting_label(config["weights"], wave_spec(w)) for w in waves},
        "interval_method": config["weights"]["interval_method"],
        "margins": {w: margin_variables(w) for w in waves},
    }


def comparison_weighting(names):
    """What a comparison job needs to weigh its waves (None: it weighs none)."""
    waves = sorted({w for n in names if weighs(n) for w in COMPARISONS[n].waves})
    return weighting_of_waves(waves) if waves else None


def margin_variables(wave):
    """The variables a wave's weights are raked to (none for weights read from the export)."""
    if config["weights"]["source"] != "raking":
        return []
    return sorted(config["weights"]["raking"]["margins"].get(wave, {}))


def breakdowns_of(wave):
    """The breakdowns a wave takes part in: those whose source question it asks (a wave of another
    survey without `country` has no breakdown by respondent_region)."""
    asked = wave_spec(wave).question_ids
    return [by for by in BREAKDOWNS["by"] if CODEBOOK[by].derived_from in asked]


def skipped_breakdowns():
    """Each configured breakdown a wave cannot take, with the source question it lacks: said in the
    log when the run starts and on the report's landing page."""
    return [
        {"wave": wave, "by": by, "source": CODEBOOK[by].derived_from}
        for wave in WAVES
        for by in BREAKDOWNS["by"]
        if by not in breakdowns_of(wave)
    ]


# For the report's landing page (workflow/report/workflow.rst), which sees only the config.
config["skipped_breakdowns"] = skipped_breakdowns()
config["method_names"] = {
    "interval": method_name(config["estimate"]["interval_method"]),
    "simultaneous": method_name(config["estimate"]["simultaneous_method"]),
}
LANGUAGE_NAMES = {"sv": "svenska", "en": "English"}
SYNTHETIC = any(
    wave_spec(w).synthetic for w in WAVES
)  # for captions and the closing summary


def comparison_labels(name, lang, **more):
    """A comparison's labels in the report: its title, in the language, read when the report is
    made (Snakemake calls a labels function then) from the first heading of the staged Markdown,
    which the rule wrote in words."""
    path = f"{STAGE}/compare/{name}/comparison.{lang}.md"

    def labels(wildcards):
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        title = next(
            (line[2:].strip() for line in lines if line.startswith("# ")), name
        )
        return {"comparison": title, **more}

    return labels


def comparison_file_lang(path):
    """The language of a comparison's figure (``forest.sv.png``); a workbook holds both (English
    first)."""
    parts = Path(path).name.split(".")
    return parts[1] if len(parts) == 3 and parts[1] in LANGUAGES else "en"


COMPARISON_ITEMS = {
    "dumbbell": "both shares per option (chart)",
    "forest": "differences with intervals (chart)",
    "comparison": "every table (Excel workbook)",
}


def comparison_item(path):
    """What a comparison's file is, for the report's labels (a weighted one says so)."""
    item = COMPARISON_ITEMS[Path(path).name.split(".")[0]]
    return (
        item.replace("every table", "every weighted table")
        if weighted_file(path)
        else item
    )


def weighted_file(path):
    """Whether a comparison's file is one of its weighted tables (in its folder weighted)."""
    return Path(path).parent.name == "weighted"


def comparison_caption(path):
    """The caption of a comparison's file in the report (its weighted tables have their own)."""
    prefix = "weighted_" if weighted_file(path) else ""
    return f"../report/{prefix}comparison.{comparison_file_lang(path)}.rst"


onstart:
    for _skip in config["skipped_breakdowns"]:
        logger.info(
            f"Note: wave {_skip['wave']} has no breakdown by {_skip['by']}: it does not ask "
            f"{_skip['source']}, the question {_skip['by']} is derived from."
        )


def breakdown_questions(wave):
    """Questions broken down by a derived question: all published ones but the source itself."""
    sources = {CODEBOOK[by].derived_from for by in BREAKDOWNS["by"]}
    return [q for q in analysed_questions(wave) if q not in sources]


def breakdown_outputs(wave):
    files = []
    for by in breakdowns_of(wave):
        base = f"{STAGE}/{wave}/breakdowns/{by}"
        files += [f"{base}/{q}.csv" for q in breakdown_questions(wave)]
        files += [
            f"{base}/{q}.{lang}.md"
            for q in breakdown_questions(wave)
            for lang in LANGUAGES
        ]
        files += [f"{base}/tests.csv", f"{base}/{by}.xlsx"]
    return files


PUBLISHED = [Path(p).stem for p in sorted(glob.glob("config/published/*.csv"))]


def audit_outputs():
    files = [f"{STAGE}/audit/claims.csv", f"{STAGE}/audit/claims_summary.csv"]
    files += [f"{STAGE}/audit/claims.{lang}.md" for lang in LANGUAGES]
    files += weighted_claims_outputs()
    for name in PUBLISHED:
        files += [
            f"{STAGE}/audit/consistency/{name}.csv",
            f"{STAGE}/audit/consistency/{name}.groups.csv",
        ]
    return files


WEIGHTED = config["weights"]["source"] != "none"


def weights_settings(wave):
    """Config weights: for one wave, with that wave's margins only (another wave's change
    reruns that wave alone)."""
    settings = config["weights"]
    raking = settings["raking"]
    return {
        "source": settings["source"],
        "interval_method": settings["interval_method"],
        "raking": {
            **{k: v for k, v in raking.items() if k != "margins"},
            "margins": {
                w: m for w, m in raking["margins"].items() if str(w) == str(wave)
            },
        },
    }


def weights_export(wildcards):
    """The raw export, an input of rule weights when the weights are one of its columns."""
    return [raw_export(wildcards)] if config["weights"]["source"] == "column" else []


try:  # a wave that cannot be weighted is refused before any job
    check_weights_config(config["weights"], {w: wave_spec(w) for w in WAVES})
except ConfigError as error:
    raise WorkflowError(str(error)) from None


def weighted_claims_outputs():
    """The claims audit against the weighted estimates (none when weights are off)."""
    if not WEIGHTED:
        return []
    base = f"{STAGE}/audit/weighted"
    return [f"{base}/claims.csv", f"{base}/claims_summary.csv"] + [
        f"{base}/claims.{lang}.md" for lang in LANGUAGES
    ]


def weighted_estimates_of(wave):
    """The weighted estimates of one wave (weights on), an input of the plan."""
    return [f"{STAGE}/{wave}/weights/estimates.csv"] if WEIGHTED else []


def weights_outputs(wave):
    """The published files of rule weights for one wave (none when weights are off)."""
    if not WEIGHTED:
        return []
    return (
        [f"{STAGE}/{wave}/weights/{name}.csv" for name in ("margins", "summary")]
        + weighted_estimates_of(wave)
        + [f"{STAGE}/{wave}/weights/weighted.xlsx"]
    )


def weighted_plan_outputs():
    """The plan's tables with weights: respondents needed, and the changes the last two waves detect
    (none when weights are off)."""
    if not WEIGHTED:
        return []
    return (
        [f"{STAGE}/plan/weighted_precision.csv"]
        + (
            [
                f"{STAGE}/plan/{name}.csv"
                for name in ("weighted_detectable", "weighted_power")
            ]
            if PLAN_COMPARISONS
            else []
        )
        + [f"{STAGE}/plan/weighted_plan.{lang}.md" for lang in LANGUAGES]
    )


def plan_weights():
    """The private weights of the waves the plan compares (weights on and a comparison to plan from)."""
    if not (WEIGHTED and PLAN_COMPARISONS):
        return []
    return [f"{PRIVATE}/{w}/weights/weights.csv" for w in PLAN_WAVES]


def plan_weighting():
    """What the plan needs to weigh its waves (None: no weights, or no comparison to plan from)."""
    return weighting_of_waves(PLAN_WAVES) if plan_weights() else None


def plan_outputs():
    base = f"{STAGE}/plan"
    files = [f"{base}/{name}.csv" for name in ("precision", "detectable", "power")]
    files += weighted_plan_outputs()
    files += [f"{base}/plan.{lang}.md" for lang in LANGUAGES]
    files += [
        f"{base}/precision.{lang}.{ext}" for lang in LANGUAGES for ext in ("png", "svg")
    ]
    return files


def release_artifacts():
    """Every file of the release but its manifest: the data and its descriptor (datapackage.json)."""
    return published_data() + [f"{STAGE}/{DATAPACKAGE_NAME}"]


def published_data():
    """Every file of the release but its manifest and its descriptor."""
    artifacts = []
    for wave in WAVES:
        artifacts += [
            f"{STAGE}/{wave}/clean/responses.csv",
            f"{STAGE}/{wave}/clean/disclosure.csv",
            f"{STAGE}/{wave}/clean/cleaning_log.csv",
            f"{STAGE}/{wave}/clean/exclusions.csv",
            f"{STAGE}/{wave}/estimates.csv",
            f"{STAGE}/{wave}/tables/{wave}.xlsx",
        ]
        artifacts += (
            table_outputs(wave)
            + figure_outputs(wave)
            + breakdown_outputs(wave)
            + weights_outputs(wave)
        )
    for name in COMPARISONS:
        artifacts += comparison_outputs(name)
    return artifacts + plan_outputs() + audit_outputs()


def release_sources():
    """What made the release: raw exports, configuration, the workflow and the package."""
    patterns = [
        "Snakefile",
        "requirements.lock",
        "environment.yml",
        "config/**/*",
        "workflow/**/*",
    ]
    files = {
        str(p) for pattern in patterns for p in Path(".").glob(pattern) if p.is_file()
    }
    files |= {wave_spec(w).raw for w in WAVES}
    files |= {wave_spec(w).survey_definition for w in WAVES} - {""}
    return sorted(f for f in files if "__pycache__" not in f and not f.endswith(".pyc"))


def drop_stale_stamp():
    """The promotion stamp says the staged release is published. If the published release no longer
    holds it byte for byte (removed, edited, another release checked out), the stamp is dropped so
    that rule promote runs again and puts the staged release back (a stamp is a cache, never
    published)."""
    if Path(PROMOTED).exists() and not release_in_place(STAGE, RELEASE_DIR):
        Path(PROMOTED).unlink()


drop_stale_stamp()


def optional_text(value):
    """A --config value as text (Snakemake reads `verify_revision=1234` as a number), or None."""
    return None if value is None else str(value)


def all_outputs():
    """The published release and the report's pages (made from the staged release)."""
    return [PROMOTED, *[page["target"] for page in REPORT_PAGE_LIST]]


# The pages of the Snakemake report (rule report_pages, workflow/rules/report.smk).
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
        if WEIGHTED:
            for name, table in (
                ("summary", "How the weights were made"),
                ("margins", "Margins of the weights"),
                ("estimates", "Weighted shares"),
            ):
                pages.append(
                    report_page(
                        f"{STAGE}/{wave}/weights/{name}.csv",
                        "Weights",
                        wave,
                        {"table": table},
                        "../report/weights.rst",
                        "en",
                        f"{table}, wave {wave}",
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
            if weighs(name):
                pages.append(
                    report_page(
                        f"{STAGE}/compare/{name}/weighted/comparison.{lang}.md",
                        "Comparisons",
                        LANGUAGE_NAMES[lang],
                        comparison_labels(name, lang, item="weighted tables and tests"),
                        f"../report/weighted_comparison.{lang}.rst",
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
        if WEIGHTED:
            pages.append(
                report_page(
                    f"{STAGE}/audit/weighted/claims.{lang}.md",
                    "Audit",
                    "Claims of the report, weighted",
                    {"language": LANGUAGE_NAMES[lang]},
                    f"../report/claims.{lang}.rst",
                    lang,
                )
            )
    for lang in LANGUAGES:
        pages.append(
            report_page(
                f"{STAGE}/plan/plan.{lang}.md",
                "Planning",
                LANGUAGE_NAMES[lang],
                {"item": "respondents needed and detectable changes (tables)"},
                f"../report/plan.{lang}.rst",
                lang,
            )
        )
        if WEIGHTED:
            pages.append(
                report_page(
                    f"{STAGE}/plan/weighted_plan.{lang}.md",
                    "Planning",
                    LANGUAGE_NAMES[lang],
                    {
                        "item": "respondents needed and detectable changes with weights (tables)"
                    },
                    f"../report/plan.{lang}.rst",
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
