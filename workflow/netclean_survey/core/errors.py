"""The errors of the pipeline's inputs and steps: each message is one paragraph that names the file
(and row, column or key) and says what to do, shown without a traceback (``core.runlog``)."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration file is wrong: the message names the file and the key."""


class ClaimError(ConfigError):
    """A claim or the lexicon is wrong, or a phrase is not understood: the message says where."""


class ExportError(ValueError):
    """The raw export cannot be read as the wave file describes it."""


class PromotionError(RuntimeError):
    """The staged release cannot be published: the message says why and what to do."""


class VerifyError(ValueError):
    """Verification could not be made (no repository, unknown revision, no release, a failed rerun)."""


class RerunFailed(VerifyError):
    """The rerun itself failed: the message ends with its last lines, the log holds the rest."""

