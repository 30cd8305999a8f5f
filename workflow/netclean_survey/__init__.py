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
