"""Every error corpusqa raises on purpose, in one module; each message names the fix.

A `UserFacingError` is the user's to fix (a setting, a file, a question, a busy store): the
command line prints it as one line and exits 2, the chat shows it, neither with a traceback.
The others are caught inside corpusqa and turned into something else (a skipped file with its
reason, an answer from the extractive path with a notice).
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Shown to the user as one line; never a traceback."""


class SettingsError(UserFacingError, ValueError):
    """A setting is missing or wrong."""


class StoreError(UserFacingError, RuntimeError):
    """The store cannot be used as configured."""


class IngestError(UserFacingError, RuntimeError):
    """Ingest cannot start."""


class IngestLocked(UserFacingError, RuntimeError):
    """Another ingest holds the store."""


class InvalidQuestion(UserFacingError, ValueError):
    """The input is not a question we can search for."""


class EditRefused(UserFacingError, ValueError):
    """Adding or removing an article was refused; the corpus was not changed."""


class ConfidenceModelError(UserFacingError, ValueError):
    """The confidence model file cannot be used."""


class UnreadableFile(Exception):
    """A corpus file that cannot be ingested; its message is the reason shown beside its name."""


class GeneratorError(RuntimeError):
    """The generator could not answer (down, too slow, broken output); the answer falls back to
    the extractive path. The message is for readers and never holds a secret."""
