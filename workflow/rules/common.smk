# Helpers shared by the rules: config validation, wave files, output lists, wildcard constraints.
import glob
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

sys.path.insert(
    0, str(Path(workflow.basedir) / "workflow")
)  # the package, also when not installed

from netclean_survey.codebook import (  # noqa: E402
    AGES_FIGURE,
    has_age_figure,
    load_codebook,
    load_wave,
    published_questions,
)
from netclean_survey.plan import configured_comparisons  # noqa: E402


def validate_config(config):
    """Check config against its schema; say the first problem in one paragraph."""
    try:
        validate(config, schema="../schemas/config.schema.yaml")
    except WorkflowError as error:
        first = (
            str(error)
            .split("\n\nFailed validating")[0]
            .replace("Error validating config file.\n", "")
        )
        raise WorkflowError(
            f"config/config.yaml is not valid: {first.strip()}"
        ) from None


validate_config(config)

RELEASE = config["release"]
WAVES = [str(w) for w in config["waves"]]
LANGUAGES = config["languages"]
QUESTIONNAIRE = config["questionnaire"]
CODEBOOK = load_codebook(QUESTIONNAIRE)
PACKAGE = sorted(str(p) for p in Path("workflow/netclean_survey").glob("*.py"))
RESULTS = f"results/{RELEASE}"


wildcard_constraints:
    wave="|".join(WAVES),
    name="[A-Za-z0-9_-]+",
    lang="|".join(LANGUAGES),


def wave_file(wave):
    return config["wave_file"].format(wave=wave)


def wave_spec(wave):
    return load_wave(wave_file(wave), CODEBOOK)


def raw_export(wildcards):
    return wave_spec(wildcards.wave).raw


def analysed_questions(wave):
    """Questions with tables and figures: all but free text, which is never published by default."""
    return [q.id for q in published_questions(wave_spec(wave))]


def table_outputs(wave):
    tables = [f"{RESULTS}/{wave}/tables/{q}.csv" for q in analysed_questions(wave)]
    markdown = [
        f"{RESULTS}/{wave}/tables/{q}.{lang}.md"
        for q in analysed_questions(wave)
        for lang in LANGUAGES
    ]
    return tables + markdown


def figure_outputs(wave):
    names = analysed_questions(wave) + (
        [AGES_FIGURE] if has_age_figure(wave_spec(wave)) else []
    )
    return [
        f"{RESULTS}/{wave}/figures/{name}.{lang}.{ext}"
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


def comparisons_of(kind):
    return [name for name, c in COMPARISONS.items() if c.kind == kind]


def comparison_inputs_of(name):
    """The responses and wave files a comparison reads."""
    waves = COMPARISONS[name].waves
    return [f"{RESULTS}/{w}/clean/responses.csv" for w in waves] + [
        wave_file(w) for w in waves
    ]


def comparison_outputs(name):
    base = f"{RESULTS}/compare/{name}"
    files = [f"{base}/table.csv", f"{base}/test.csv", f"{base}/comparison.xlsx"]
    files += [f"{base}/comparison.{lang}.md" for lang in LANGUAGES]
    if COMPARISONS[name].kind == "between":
        files += [
            f"{base}/{fig}.{lang}.{ext}"
            for fig in ("dumbbell", "forest")
            for lang in LANGUAGES
            for ext in ("png", "svg")
        ]
    return files


def breakdown_questions(wave):
    """Questions broken down by a derived question: all published ones but the source itself."""
    sources = {CODEBOOK[by].derived_from for by in BREAKDOWNS["by"]}
    return [q for q in analysed_questions(wave) if q not in sources]


def breakdown_outputs(wave):
    files = []
    for by in BREAKDOWNS["by"]:
        base = f"{RESULTS}/{wave}/breakdowns/{by}"
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
    files = [f"{RESULTS}/audit/claims.csv", f"{RESULTS}/audit/claims_summary.csv"]
    files += [f"{RESULTS}/audit/claims.{lang}.md" for lang in LANGUAGES]
    for name in PUBLISHED:
        files += [
            f"{RESULTS}/audit/consistency/{name}.csv",
            f"{RESULTS}/audit/consistency/{name}.groups.csv",
        ]
    return files


def release_artifacts():
    """Every file of the release but its manifest."""
    artifacts = []
    for wave in WAVES:
        artifacts += [
            f"{RESULTS}/{wave}/clean/responses.csv",
            f"{RESULTS}/{wave}/clean/cleaning_log.csv",
            f"{RESULTS}/{wave}/clean/exclusions.csv",
            f"{RESULTS}/{wave}/estimates.csv",
            f"{RESULTS}/{wave}/tables/{wave}.xlsx",
        ]
        artifacts += (
            table_outputs(wave) + figure_outputs(wave) + breakdown_outputs(wave)
        )
    for name in COMPARISONS:
        artifacts += comparison_outputs(name)
    return artifacts + audit_outputs()


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
    return sorted(f for f in files if "__pycache__" not in f and not f.endswith(".pyc"))


def all_outputs():
    return release_artifacts() + [f"{RESULTS}/MANIFEST.json"]
