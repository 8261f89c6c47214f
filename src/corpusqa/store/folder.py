"""The embedded store's folder: checked before use so that a wrong path is one clear line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corpusqa.errors import StoreError


def prepare_store_folder(store_dir: Path) -> None:
    """Create the folder if needed; refuse a path that is a file or a folder we cannot write.

    Chroma's embedded store writes to its folder even to answer (its SQLite journal), and
    ingest writes its lock there: a read-only folder fails every command.
    """
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(
            f"the store path {store_dir} is a file, not a folder: pass --store with a folder "
            "(or move the file away)"
        )
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the store folder {store_dir} ({error.strerror}): "
            "pass --store with a folder you can write to"
        ) from None
    if not _writable(store_dir):
        raise StoreError(
            f"the store folder {store_dir} is read-only: corpusqa needs to write there "
            "(lock and database journal), even to answer; make it writable, or copy it to a "
            "writable place and pass --store with the copy"
        )


def _writable(folder: Path) -> bool:
    """A real write probe: os.access says yes to root on a read-only mount."""
    try:
        handle, name = tempfile.mkstemp(prefix=".write-probe-", dir=folder)
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True
