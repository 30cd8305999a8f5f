"""Weighted estimates (issue 16): the Kish design effect and effective sample size of a set of
weights, and intervals for a weighted share as R's ``survey::svyciprop`` gives them for a design
with weights only (``svydesign(ids = ~1, weights = ~w)``): Korn-Graubard (``method = "beta"``) and
the logit method. Not wired into the pipeline yet: raking and the weighted stages come next."""
