"""The estimate stage: shares of every question and option with their confidence intervals.

In: ``results/{release}/{wave}/clean/responses.csv``. Out: ``estimates.csv`` (one row per question
and option: base, count, share, interval, simultaneous interval). ``intervals`` holds the interval
methods (statsmodels' arithmetic), ``shares`` the bases and the table. Rule: ``estimate``
(``shares.estimate_wave``, then ``shares.published_estimates``).
"""
