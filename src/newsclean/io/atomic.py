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
import errno
import filecmp
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from .formats import wrap_compressed_writer

__all__ = ["TEMP_SUFFIX", "AtomicOutput", "cleanup_temporaries", "holds_original", "leftover_temporaries"]

TEMP_SUFFIX = ".newsclean-tmp"
_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what tempfile.mkstemp puts between prefix and suffix

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
    """Keep ``path`` as ``backup`` (a hard link, or a copy renamed into place), never replacing another file:
    an existing ``backup`` that holds what ``path`` holds (made just before a kill) is kept as it is;
    any other is a :class:`FileExistsError`."""
    try:
        os.link(path, backup)
        return
    except FileExistsError:
        if holds_original(backup, path):
            return
        raise FileExistsError(errno.EEXIST, "its backup exists and was not overwritten", str(backup)) from None
    except OSError:
        pass  # no hard links here: copy
    fd, tmp = tempfile.mkstemp(prefix=f".{backup.name}.", suffix=TEMP_SUFFIX, dir=backup.parent)
    os.close(fd)
    try:
        shutil.copy2(path, tmp)
        if os.path.lexists(backup) and not holds_original(backup, path):
            raise FileExistsError(errno.EEXIST, "its backup exists and was not overwritten", str(backup))
        os.replace(tmp, backup)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def holds_original(backup: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether ``backup`` is ``path`` itself (a hard link) or a byte-identical copy of it: a backup made just
    before a run was killed, while ``path`` still held the original."""
    try:
        return os.path.samefile(backup, path) or filecmp.cmp(backup, path, shallow=False)
    except OSError:
        return False


def leftover_temporaries(dest: Path, listings: dict[Path, list[str]] | None = None) -> list[Path]:
    """The temporary files of ``dest`` that an :class:`AtomicOutput` killed before it finished left
    (``.<name>.<8 random characters>.newsclean-tmp``).  ``listings`` caches each folder's names."""
    folder = dest.parent
    listings = {} if listings is None else listings
    names = listings.get(folder)
    if names is None:
        try:
            names = [n for n in os.listdir(folder) if n.endswith(TEMP_SUFFIX)]
        except OSError:
            names = []
        listings[folder] = names
    prefix = f".{dest.name}."
    return [folder / n for n in names
            if n.startswith(prefix) and _RANDOM.fullmatch(n, len(prefix), len(n) - len(TEMP_SUFFIX))]


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
