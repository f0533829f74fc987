"""Where a file run writes each input's output: a stream, a file replaced atomically, or nowhere."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

from .io.atomic import AtomicOutput
from .io.writing import write_all


class _Sink:
    """Where one input's output goes."""

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def commit(self, identical: bool) -> None:
        pass

    def abort(self) -> None:
        pass


class _StreamSink(_Sink):
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        write_all(self.stream, data)  # a short write to a closed pipe must raise, not lose output

    def commit(self, identical: bool) -> None:
        self.stream.flush()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.stream.flush()


class _FileSink(_Sink):
    def __init__(self, dest: Path, compression: str | None, *, in_place: bool, backup: Path | None) -> None:
        self.dest = dest
        self.compression = compression
        self.in_place = in_place
        self.backup = backup
        self.output: AtomicOutput | None = None

    def _open(self) -> AtomicOutput:
        if self.output is None:
            # In place, the original is at stake: fsync before the rename.  Into an output folder the
            # sources stay intact, and fsync per file would dominate the run for many small files.
            self.output = AtomicOutput(
                self.dest, self.compression, mode_from=self.dest if self.in_place else None, backup=self.backup,
                durable=self.in_place,
            )
        return self.output

    def write(self, data: bytes) -> None:
        if data:
            self._open().write(data)

    def commit(self, identical: bool) -> None:
        if self.in_place and identical:
            self.abort()  # nothing changed: leave the file (and its timestamps) alone, no backup
            return
        self._open().commit()

    def abort(self) -> None:
        if self.output is not None:
            self.output.abort()


class _NullSink(_Sink):
    def write(self, data: bytes) -> None:
        pass
