"""The compare stage: waves, groups and options compared, with the test fit for each.

In: the responses of the waves a comparison reads. Out: ``compare/{name}/`` (table, test, Markdown,
workbook, figures) and ``{wave}/breakdowns/``. Statistics: ``independent`` (two independent samples:
Newcombe differences, score tests, chi-square, Bilder-Loughin), ``paired`` (the same respondents:
McNemar, Cochran's Q, paired means, gaps), ``multiple`` (Holm), ``sides`` (the respondents and
ticks of one wave and question), ``breakdowns`` (by respondent group, with suppression), ``runs``
(each configured comparison's tables). ``publish`` and ``publish_breakdowns`` write them through
``render``; the statistics never import ``render``. Rules: ``compare_{job}`` (``publish.write_comparisons``) and
``breakdowns_{wave}`` (``publish_breakdowns.write_breakdowns``).
"""
