"""The Snakemake logger plugin ``netclean`` (``logger: [netclean]`` in profiles/default): one line per
finished job. Snakemake finds logger plugins by this module name; the handler lives in the package.

Function: netclean_survey.core.progress.LogHandler
"""

from netclean_survey.core.progress import LogHandler

__all__ = ["LogHandler"]
