"""Multiple testing: Holm's (1979) step-down adjustment over the p-values a table holds, NaN
left out (statsmodels ``multipletests(method="holm")``; its default would be Holm-Sidak).

- Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
  Journal of Statistics* 6(2), 65-70.
"""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

#: The adjustment of every ``p_holm`` (statsmodels ``multipletests`` method name).
ADJUSTMENT_METHOD = "holm"


def holm_adjust(p_values) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values (statsmodels ``multipletests(method="holm")``).

    NaN p-values (comparisons without respondents) are left out of the family and stay NaN.
    """
    p = np.asarray(p_values, dtype=float).reshape(-1)
    adjusted = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    if finite.any():
        adjusted[finite] = multipletests(p[finite], method=ADJUSTMENT_METHOD)[1]
    return adjusted
