"""Times of an export read as pandas reads them, a million cells in a fraction of a second.

``pandas.to_datetime(cells, format=...)`` with a non-ISO format (SurveyMonkey's "%m/%d/%Y %I:%M:%S
%p") matches every cell with a Python regular expression: about 3 s a million cells. Arrow's
``strptime`` is C++ and fifty times faster, but more lenient than pandas: it skips leading blanks and
rolls an impossible date over (February 30 reads as March 2). So Arrow's value is taken only where
pandas would have read the same: the cell matches in full the very pattern Python's ``_strptime``
builds for the format (what pandas matches), the day and month read back are the ones written (no
roll-over), and the year lies within pandas' range. Every other cell (normally none) is read by
``pandas.to_datetime`` itself, so the result is pandas' in every cell.

Written here because neither library offers a strict fast parse of a non-ISO format.
"""

from __future__ import annotations

import _strptime
import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..core.cells import arrow_text

#: The directives the fast path knows (numbers, and AM/PM, which both read in any case); any other
#: format is read by pandas alone.
FAST_DIRECTIVES = set("mdYHIMSp%")
YEARS_PANDAS_READS = (1678, 2261)  # whole years inside pandas' datetime range


def fast_directives(time_format: str) -> bool:
    """Whether the format uses only the directives the fast path reads (:data:`FAST_DIRECTIVES`)."""
    return set(re.findall(r"%(.)", time_format)) <= FAST_DIRECTIVES


def read_times(cells: pd.Series, time_format: str) -> pd.Series:
    """``pandas.to_datetime(cells, format=time_format, errors="coerce")``, equal in every cell and of
    the same dtype: NaT where a cell holds no time in the format."""
    text = arrow_text(cells) if fast_directives(time_format) and not cells.empty else None
    if text is None:  # another format, no cells, or cells that are not all text
        return pd.to_datetime(cells, format=time_format, errors="coerce")
    pattern = "(?i)^(?:" + _strptime._TimeRE_cache.pattern(time_format) + ")$"  # pandas matches ignoring case
    parsed = pc.strptime(text, format=time_format, unit="s", error_is_null=True)
    year = pc.year(parsed)
    accepted = pc.and_kleene(pc.and_kleene(pc.match_substring_regex(text, pattern), pc.is_valid(parsed)),
                             pc.and_(pc.greater_equal(year, YEARS_PANDAS_READS[0]), pc.less_equal(year, YEARS_PANDAS_READS[1])))
    accepted = pc.fill_null(accepted, False).to_numpy(zero_copy_only=False).copy()
    # an impossible date rolls over to the 1st, 2nd or 3rd of the next month (February 30 reads as
    # March 2): only there are the day and month written compared with the ones read
    suspect = np.flatnonzero(accepted & (pc.fill_null(pc.day(parsed), 0).to_numpy(zero_copy_only=False) <= 3))
    if suspect.size:
        written = pc.extract_regex(text.take(suspect), pattern)
        groups = {written.type.field(i).name for i in range(written.type.num_fields)}
        same = np.ones(suspect.size, dtype=bool)
        for group, read_back in (("d", pc.day), ("m", pc.month)):
            if group in groups:
                number = pc.cast(pc.utf8_trim_whitespace(pc.struct_field(written, group)), "int64")
                same &= pc.equal(number, read_back(parsed.take(suspect))).to_numpy(zero_copy_only=False)
        accepted[suspect[~same]] = False
    if not accepted.any():
        return pd.to_datetime(cells, format=time_format, errors="coerce")
    seconds = pc.fill_null(pc.cast(parsed, "int64"), 0).to_numpy(zero_copy_only=False)
    first = int(np.flatnonzero(accepted)[0])
    dtype = pd.to_datetime(cells.iloc[[first]], format=time_format).dtype  # pandas' own resolution
    result = pd.Series(seconds.astype("datetime64[s]"), index=cells.index, name=cells.name).astype(dtype)
    result[~accepted] = pd.NaT
    rest = ~accepted & cells.notna().to_numpy()
    if rest.any():  # what the fast path does not vouch for: pandas reads it
        result[rest] = pd.to_datetime(cells[rest], format=time_format, errors="coerce").astype(dtype)
    return result
