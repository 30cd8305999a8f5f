# The NetClean survey pipeline: raw exports of each wave to tables and figures with confidence
# intervals. The shipped raw exports are synthetic (see README). Run: snakemake --cores 4


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/render.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/release.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
