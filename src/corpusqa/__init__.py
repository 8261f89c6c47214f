"""corpusqa: answers from a corpus of articles only, with verified quotes and file citations."""

from corpusqa import offline as _offline

_offline.apply()

__version__ = "0.1.0"
