"""Turn raw exports of the NetClean police survey into the report's numbers.

One module per stage of the data flow: ``codebook`` (questionnaire and wave files), ``synth``
(the seeded generator of the reconstructed raw exports), ``ingest`` (export readers),
``screen`` (exclusions and the cleaning log), ``tidy`` (labels to ids, validated responses),
``estimate`` (shares and intervals), ``render`` (tables and figures).
"""

__version__ = "0.1.0"

SYNTHETIC_NOTE = {
    "en": "Synthetic data: rows reconstructed by a seeded generator to agree with the published "
    "aggregates; not real survey microdata.",
    "sv": "Syntetiska data: rader rekonstruerade av en seedad generator så att de stämmer med de "
    "publicerade siffrorna; inte verkliga svar.",
}

# Weights are opt-in (config weights:); what is published without them says so, in the same note as
# the synthetic-data one, so that no page, figure or workbook can be taken for a weighted one. A
# weighted output names its weighting in its own text (raked to which margins, or which column).
UNWEIGHTED_NOTE = {
    "en": "Unweighted: every respondent counts once.",
    "sv": "Ovägda siffror: varje svarande räknas en gång.",
}


def output_note(lang: str, synthetic: bool, weighted: bool = False) -> str | None:
    """The note under a published table, page, figure or workbook: "Unweighted" unless ``weighted``,
    then the synthetic-data note when the rows are our reconstruction (None when neither applies)."""
    parts = ([] if weighted else [UNWEIGHTED_NOTE[lang]]) + ([SYNTHETIC_NOTE[lang]] if synthetic else [])
    return " ".join(parts) or None
