"""Weighted estimates (issue 16).

- ``intervals``: the Kish design effect and effective sample size of a set of weights, and intervals
  for a weighted share as R's ``survey::svyciprop`` gives them for a design with weights only
  (``svydesign(ids = ~1, weights = ~w)``): Korn-Graubard (``method = "beta"``) and the logit method.
- ``raking``: one weight per respondent raked to population margins (weightipy), then trimmed as
  R's ``trimWeights(strict = TRUE)``, with the margins reached and whether the raking converged.
- ``column``: the weights of a column of the raw export (the wave file's ``weight_column``).
- ``estimates``: the weighted share of every question and option, its interval, and Kish's figures.
- ``differences``: the difference of two waves' weighted shares (or mean scores) with its Wald
  interval (R's ``svycontrast`` on the waves as strata).
- ``homogeneity``: the design-based test of a question across weighted waves: Rao-Scott F (R's
  ``svychisq``) for single choice, the Bilder-Loughin test with weights for tick all.
- ``comparison``: a comparison between two waves with their weights (per option, the whole
  question, the gap of a contrast), written beside the unweighted one (``compare/{name}/weighted/``).
- ``paired``: options and questions compared within the same weighted respondents (the weighted
  claims audit: ``audit.claims`` with a ``Weighting``).
- ``config``: the weights part of config checked against the waves, before any job.
- ``publish``: rule weights (config ``weights: source: raking`` or ``column``): the files of one wave.
"""
