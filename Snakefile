# The NetClean survey pipeline: raw exports of each wave to tables and figures with confidence
# intervals. The shipped raw exports are synthetic (see README). Run: snakemake --cores 4


import sys
from pathlib import Path

sys.path.insert(
    0, str(Path(workflow.basedir) / "workflow")
)  # the package, also when not installed
from netclean_survey.core.errors import ConfigError  # noqa: E402
from netclean_survey.core.yamlfile import check_config_file  # noqa: E402

try:  # plain YAML only: refused before Snakemake reads it (templating would execute code)
    check_config_file("config/config.yaml")
except ConfigError as error:
    raise WorkflowError(str(error)) from None


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


# Job groups (the rules' group:), used by cluster runs only (a local run ignores them): "wave", a
# wave's stages from its export to its tables, figures and breakdowns, in one cluster job; the
# comparisons, batched by profiles/slurm (group-components); "release", the data package, the
# manifest, the report's pages and the plan of the next wave, the last jobs.
include: "workflow/rules/common.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/weights.smk"
include: "workflow/rules/render.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/plan.smk"
include: "workflow/rules/release.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
