"""Planning the next wave from this one (issue 16): how many respondents a share needs for a given
interval half-width (:mod:`.precision`), and what change between the last two waves their sample
sizes can detect (:mod:`.power`: the minimum detectable difference of a share, the power of the
Bilder-Loughin test of a tick-all question by seeded simulation). Pure functions of shares, counts
and tick matrices; statsmodels' power and sample-size arithmetic where it has it."""
