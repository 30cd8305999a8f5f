"""The clean stage: a wave's raw export, as its survey tool wrote it, to the validated responses.

In: ``resources/raw/{wave}.csv`` and ``config/waves/{wave}.yaml``. Out: the responses (one row per
analysed respondent), the cleaning log and the excluded rows. ``ingest`` reads the export with the
reader its wave file names (``surveymonkey``, ``qualtrics``, on the ``grid`` of the file) into the
``raw`` table; ``screen`` excludes test rows, responses outside the fieldwork, partials, duplicates
and speeders, counting every row; ``tidy`` maps labels to option ids and validates the responses
(pandera). Rules: ``clean_export`` (``stage.clean_export``: read, screen, tidy, into a temporary
file) and ``clean`` (``stage.write_cleaned``: the published CSVs).
"""
