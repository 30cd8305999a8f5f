"""The statistical methods of a release by their proper names, with the paper each follows: for the
report's landing page and the summary, which the Snakefile renders without pandas. The ids are the
config's (``estimate.interval_method``, ``estimate.simultaneous_method``), with hyphens or
underscores."""

from __future__ import annotations

INTERVALS = {
    "wilson": "Wilson score interval (Wilson 1927)",
    "clopper_pearson": "Clopper–Pearson exact interval (Clopper and Pearson 1934)",
    "jeffreys": "Jeffreys interval (Brown, Cai and DasGupta 2001)",
    "agresti_coull": "Agresti–Coull interval (Agresti and Coull 1998)",
    "wald": "Wald interval",
}
SIMULTANEOUS = {
    "goodman": "Goodman simultaneous intervals (Goodman 1965)",
    "sison_glaz": "Sison–Glaz simultaneous intervals (Sison and Glaz 1995)",
}


def method_name(method: str) -> str:
    """The proper name of an interval method id (``sison-glaz`` -> Sison–Glaz ...); an id not
    known is shown as written."""
    key = method.replace("-", "_").lower()
    return INTERVALS.get(key) or SIMULTANEOUS.get(key) or method
