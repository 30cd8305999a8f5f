"""Weighted estimates (issue 16).

- ``intervals``: the Kish design effect and effective sample size of a set of weights, and intervals
  for a weighted share as R's ``survey::svyciprop`` gives them for a design with weights only
  (``svydesign(ids = ~1, weights = ~w)``): Korn-Graubard (``method = "beta"``) and the logit method.
- ``raking``: one weight per respondent raked to population margins (weightipy), then trimmed as
  R's ``trimWeights(strict = TRUE)``, with the margins reached and whether the raking converged.
- ``column``: the weights of a column of the raw export (the wave file's ``weight_column``).
- ``estimates``: the weighted share of every question and option, its interval, and Kish's figures.
- ``differences``: the difference of two waves' weighted shares with its Wald interval (R's
  ``svycontrast`` on the waves as strata); not used by the comparisons yet.
- ``config``: the weights part of config checked against the waves, before any job.
- ``publish``: rule weights (config ``weights: source: raking`` or ``column``): the files of one wave.

Comparisons between waves and the claims audit do not use the weights yet.
"""
