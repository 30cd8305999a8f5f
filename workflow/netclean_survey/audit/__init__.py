"""The audit stage: every claim of the report checked against the data, and the published
numbers checked on their own.

In: the estimates and responses of every wave, ``config/claims/*.yaml``, ``config/lexicon.yaml``,
``config/published/*.csv``. Out: ``audit/claims.csv``, ``claims_summary.csv``,
``claims.{lang}.md`` and ``audit/consistency/``. ``lexicon`` turns words into exact intervals,
``claim_specs`` loads the claims, ``claims`` evaluates them, ``claims_report`` writes the report,
``consistency`` is the GRIM test of printed percentages. Rules: ``claims`` (``stage.audit_claims``)
and ``consistency`` (``consistency.check_published``).
"""
