"""What every stage shares, and no statistics: the questionnaire and the wave files (``codebook``),
what a release contains (``plan``), the errors whose messages are shown as one paragraph
(``errors``, ``runlog``), safe reading of configuration (``yamlfile``, ``schema``), exact intervals
(``interval``), the one rounding of published numbers (``rounding``), per-distinct-value work
(``cells``) and the files written the same way every time (``writers``).

In: configuration files and tables. Out: parsed configuration, checked values, files. Read by the
Snakefile when it is parsed (``codebook``, ``plan``, ``yamlfile``: no pandas there) and by every
rule. ``core`` imports only ``core``.
"""
