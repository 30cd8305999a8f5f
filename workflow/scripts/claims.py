"""Rule claims and rule claims_weighted (workflow/rules/audit.smk): every claim of the report turned into a
testable statement and checked against the data (claims_weighted: against the weighted estimates).

In: the estimates and responses of every wave, config/claims/*.yaml, config/lexicon.yaml (and each
wave's private weights.csv). Out: results/{release}/audit/claims.csv, claims_summary.csv and
claims.{lang}.md (claims_weighted: the same in audit/weighted/).
Function: netclean_survey.audit.stage.audit_claims.
"""

from netclean_survey.audit.stage import audit_claims
from netclean_survey.core.runlog import logged

with logged(snakemake.log[0], "claims") as log:  # noqa: F821 (snakemake is injected)
    params, inputs, outputs = snakemake.params, snakemake.input, snakemake.output  # noqa: F821
    results = audit_claims(
        claims_files=inputs.claims, lexicon_path=inputs.lexicon, questionnaire=inputs.questionnaire,
        wave_files=inputs.waves, estimates_paths=inputs.estimates, responses_paths=inputs.responses,
        settings=dict(params.settings), languages=params.languages, synthetic=params.synthetic,
        table_path=outputs.table, summary_path=outputs.summary, markdown_paths=outputs.markdown,
        weights={**params.weights, "paths": inputs.weights} if params.weights else None,
    )
    log.info("%d claims evaluated: %s", len(results), results["verdict"].value_counts().to_dict())
