"""The respondent-level file a release publishes, made safe: quasi-identifiers coarsened or withheld
until every combination of the published ones holds at least ``k`` respondents (k-anonymity,
Sweeney 2002), and the disclosure report that says what was done.

The respondents are police officers in small national units: a country with one respondent
identifies that officer, and with him every answer. So the published ``clean/responses.csv``:

1. *coarsens* each quasi-identifier that has a coarser question (``coarsen``: ``country`` is
   published only as ``respondent_region``, which the questionnaire derives from it);
2. *withholds* the published quasi-identifiers of every respondent whose combination of them is
   shared by fewer than ``k`` respondents (the cells are left empty: "not published");
3. if the respondents so withheld are themselves fewer than ``k`` (their empty combination would be
   a class of its own, small), *withholds their rows* from the file; every count is in the report.

Free text is never in it (as in every published output by default). The full responses stay in the
run for every rule that computes (``results/.staging/private/``, never published); a user who opts
in (``disclosure.responses: full``) publishes them, with a warning in the log.

pycanon (Sánchez et al. 2024) would check k-anonymity and l-diversity, but it pins exact, older
releases of pandas, NumPy and SciPy (pycanon 1.3.6: pandas 2.3.3, NumPy 2.0.2) that the project's
lock cannot hold; k-anonymity of one table is a count per combination, written here and checked in
the tests against a plain count.

Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International Journal of
Uncertainty, Fuzziness and Knowledge-Based Systems* 10(5), 557-570.
"""

from __future__ import annotations

import pandas as pd

REPORT_COLUMNS = ["wave", "step", "detail", "rows", "columns"]
# what config/config.yaml's `disclosure:` holds when it says nothing (the schema's defaults)
DISCLOSURE_DEFAULTS = {"k": 5, "quasi_identifiers": ["country"], "coarsen": {"country": "respondent_region"},
                       "responses": "safe"}


def class_sizes(table: pd.DataFrame, quasi_identifiers: list[str]) -> pd.Series:
    """How many rows share each row's combination of quasi-identifiers (empty cells count as a value)."""
    if not quasi_identifiers:
        return pd.Series(len(table), index=table.index, dtype="int64")
    keys = table[quasi_identifiers].astype("string").fillna("")
    return keys.groupby(quasi_identifiers, sort=False, dropna=False)[quasi_identifiers[0]].transform("size").astype("int64")


def safe_responses(responses: pd.DataFrame, wave: str, quasi_identifiers: list[str], coarsen: dict[str, str],
                   k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The publishable responses (``responses`` as written for the run, one row per respondent)
    and the disclosure report (:data:`REPORT_COLUMNS`, one line per step), module docstring."""
    report = []
    present = [q for q in quasi_identifiers if q in responses.columns]
    dropped = [q for q in present if q in coarsen and coarsen[q] in responses.columns]
    published = responses.drop(columns=dropped)
    for q in dropped:
        report.append((wave, "coarsened", f"{q} published only as {coarsen[q]}", len(responses), q))
    for q in [q for q in present if q in coarsen and q not in dropped]:
        published = published.drop(columns=[q])
        report.append((wave, "withheld", f"{q}: its coarser question {coarsen[q]} is not in this wave", len(responses), q))
    shown = list(dict.fromkeys(coarsen.get(q, q) for q in present if coarsen.get(q, q) in published.columns))
    sizes = class_sizes(published, shown)
    small = sizes < k
    if small.any():
        published = published.copy()
        for q in shown:
            published[q] = published[q].astype("string").mask(small.to_numpy())
        report.append((wave, "withheld", f"{', '.join(shown)} not published for respondents whose combination is "
                       f"shared by fewer than {k}", int(small.sum()), ", ".join(shown)))
        if 0 < small.sum() < k:  # the withheld ones would form a small class of their own
            published = published[~small.to_numpy()]
            report.append((wave, "rows withheld", f"the {int(small.sum())} respondent(s) above, fewer than {k}: "
                           "their rows are not published", int(small.sum()), ""))
    reached = int(class_sizes(published, shown).min()) if len(published) else 0
    report.append((wave, "k", f"every combination of the published quasi-identifiers ({', '.join(shown) or 'none'}) "
                   f"is shared by at least {reached} respondents (k = {k} required)", len(published), ", ".join(shown)))
    return published.reset_index(drop=True), pd.DataFrame(report, columns=REPORT_COLUMNS)


def full_responses_report(responses: pd.DataFrame, wave: str, quasi_identifiers: list[str], k: int) -> pd.DataFrame:
    """The disclosure report when the user opts in to publish the full responses: what k they have."""
    present = [q for q in quasi_identifiers if q in responses.columns]
    reached = int(class_sizes(responses, present).min()) if len(responses) else 0
    return pd.DataFrame([(wave, "full", "the full responses are published (disclosure.responses: full): every "
                          f"quasi-identifier as answered; smallest combination {reached} respondent(s), k = {k} "
                          f"{'reached' if reached >= k else 'NOT reached'}", len(responses), ", ".join(present))],
                        columns=REPORT_COLUMNS)
