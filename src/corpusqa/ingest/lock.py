"""One ingest per store at a time: an exclusive lock file beside the store."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpusqa.errors import IngestLocked

LOCK_NAME = ".ingest.lock"


@contextmanager
def ingest_lock(store_dir: Path) -> Iterator[None]:
    """Hold the store's ingest lock; the OS releases it if the process dies, even by kill -9."""
    path = store_dir / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "another process"
            raise IngestLocked(
                f"another ingest (pid {holder}) is writing to {store_dir}; wait for it to finish"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(handle)
