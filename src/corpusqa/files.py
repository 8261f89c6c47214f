"""Writing a file so that no reader ever sees half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

SAVED_MODE = 0o644  # what a plain write would give: mkstemp makes its file private


def write_atomically(target: Path, write: Callable[[BinaryIO], object], prefix: str) -> None:
    """Write beside the target under a hidden name (prefix), then rename it over the target.

    A reader sees the old file or the new one; a process killed while writing leaves the old one
    (or none) and at most a hidden temporary, which a failed write removes before re-raising.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=prefix, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(staging, SAVED_MODE)
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
