"""Atomic output files.

An :class:`AtomicOutput` writes to a temporary file in the destination's
folder (hidden, named ``.<name>.<random>.newsclean-tmp``); :meth:`~AtomicOutput.commit`
closes any compressor, flushes, ``fsync``\\ s (unless ``durable=False``) and renames it over
the destination with :func:`os.replace`, so readers see either the old file or
the complete new one, never a half-written file.  :meth:`~AtomicOutput.abort`
(also called when the ``with`` block raises, including ``KeyboardInterrupt``)
removes the temporary file.  Every live temporary file is also remembered, so
:func:`cleanup_temporaries` (registered with :mod:`atexit`) can remove what a
crash left behind; only ``SIGKILL`` or a power cut can leave one.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from .formats import wrap_compressed_writer

__all__ = ["TEMP_SUFFIX", "AtomicOutput", "cleanup_temporaries"]

TEMP_SUFFIX = ".newsclean-tmp"

_live: set[str] = set()
_live_lock = threading.Lock()


class AtomicOutput:
    """A file that appears at ``path`` only when :meth:`commit` succeeds.

    ``compression`` (``"gzip"``, ``"bz2"``, ``"xz"`` or ``None``) compresses
    what is written.  ``mode_from`` copies the permission bits of an existing
    file (used when replacing an input in place).  ``backup`` is a path where
    the previous content of ``path`` is kept (hard link, or a copy) at commit.
    ``durable=False`` skips the two ``fsync`` calls: the file still appears
    atomically to other programs and after a crash of this process, but a
    power cut may lose it; worth it for thousands of small files whose
    sources are still there (``fsync`` costs milliseconds per file).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        compression: str | None = None,
        *,
        mode_from: str | os.PathLike[str] | None = None,
        backup: str | os.PathLike[str] | None = None,
        durable: bool = True,
    ) -> None:
        self.path = Path(path)
        self.durable = durable
        self.backup = Path(backup) if backup is not None else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent)
        with _live_lock:
            _live.add(tmp)
        self.tmp = Path(tmp)
        self._raw: IO[bytes] = os.fdopen(fd, "wb")
        self._closed = False
        try:
            if mode_from is not None:
                os.chmod(tmp, stat.S_IMODE(os.stat(mode_from).st_mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            self._stream = wrap_compressed_writer(self._raw, compression, self.path.name.rsplit(".", 1)[0])
        except BaseException:
            self.abort()
            raise
        self.bytes_written = 0

    def write(self, data: bytes) -> None:
        self._stream.write(data)
        self.bytes_written += len(data)

    def commit(self) -> None:
        """Finish the file and move it into place (keeping a backup of the old file if asked)."""
        if self._closed:
            raise ValueError("output already committed or aborted")
        try:
            if self._stream is not self._raw:
                self._stream.close()
            self._raw.flush()
            if self.durable:
                os.fsync(self._raw.fileno())
            self._raw.close()
            if self.backup is not None and self.path.exists():
                _make_backup(self.path, self.backup)
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        _forget(str(self.tmp))
        if self.durable:
            _fsync_dir(self.path.parent)

    def abort(self) -> None:
        """Throw the temporary file away (safe to call more than once)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            if getattr(self, "_stream", self._raw) is not self._raw:
                self._stream.close()
        with contextlib.suppress(Exception):
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)
        _forget(str(self.tmp))

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            if not self._closed:
                self.commit()
        else:
            self.abort()


def _make_backup(path: Path, backup: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _forget(tmp: str) -> None:
    with _live_lock:
        _live.discard(tmp)


def cleanup_temporaries() -> None:
    """Remove every temporary file of this process that was neither committed nor aborted."""
    with _live_lock:
        leftovers = list(_live)
        _live.clear()
    for tmp in leftovers:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


atexit.register(cleanup_temporaries)
