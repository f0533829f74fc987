"""Where a file run writes each input's output: a stream, a file replaced atomically, or nowhere.

:meth:`_Sink.write` and :meth:`_Sink.commit` return the bytes they put in the output (before
compression), which is what the summary counts.  :class:`_ParquetSink` turns the cleaned row
groups of a Parquet input into a Parquet file written through another sink.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO

from ..io.atomic import AtomicOutput
from ..io.writing import write_all


class _Sink:
    """Where one input's output goes: ``name`` says where in messages (``cannot write NAME: …``);
    ``streams`` is true when what is written is out at once (a stream), not at :meth:`commit`."""

    name = "the output"
    streams = False

    def write(self, data: bytes | memoryview) -> int:
        raise NotImplementedError

    def write_compressed(self, data: bytes, plain: int) -> int:
        """Write output a worker already compressed as this sink would (``plain`` bytes before that)."""
        raise NotImplementedError(f"{type(self).__name__} takes no compressed output")

    def open(self) -> None:
        """Create the output now rather than at the first write (may raise :class:`OSError`)."""

    def commit(self, identical: bool) -> int:
        return 0

    def abort(self) -> None:
        pass


class _StreamSink(_Sink):
    streams = True

    def __init__(self, stream: IO[bytes], name: str = "the output stream") -> None:
        self.stream = stream
        self.name = name

    def write(self, data: bytes | memoryview) -> int:
        write_all(self.stream, data)  # a short write to a closed pipe must raise, not lose output
        return len(data)

    def commit(self, identical: bool) -> int:
        self.stream.flush()
        return 0

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.stream.flush()


class _FileSink(_Sink):
    def __init__(self, dest: Path, compression: str | None, *, in_place: bool, backup: Path | None) -> None:
        self.dest = dest
        self.name = str(dest)
        self.compression = compression
        self.in_place = in_place
        self.backup = backup
        self.output: AtomicOutput | None = None

    def _open(self, compressed: bool = False) -> AtomicOutput:
        if self.output is None:
            # In place, the original is at stake: fsync before the rename.  Into an output folder the
            # sources stay intact, and fsync per file would dominate the run for many small files.
            self.output = AtomicOutput(
                self.dest, None if compressed else self.compression, mode_from=self.dest if self.in_place else None,
                backup=self.backup, durable=self.in_place,
            )
        return self.output

    def open(self) -> None:
        self._open()

    def write(self, data: bytes | memoryview) -> int:
        if data:
            self._open().write(data)  # type: ignore[arg-type]  # any bytes-like object
        return len(data)

    def write_compressed(self, data: bytes, plain: int) -> int:
        self._open(compressed=True).write(data)
        return plain

    def commit(self, identical: bool) -> int:
        if self.in_place and identical:
            self.abort()  # nothing changed: leave the file (and its timestamps) alone, no backup
            return 0
        self._open().commit()
        return 0

    def abort(self) -> None:
        if self.output is not None:
            self.output.abort()


class _NullSink(_Sink):
    def write(self, data: bytes | memoryview) -> int:
        return 0


class _ParquetSink(_Sink):
    """Writes the Arrow IPC streams of cleaned row groups as one Parquet file into ``inner``
    (compressed like ``source``, the input file)."""

    def __init__(self, inner: _Sink, source: str | None) -> None:
        from ..io.parquet import ParquetOutput

        self.inner = inner
        self.name = inner.name
        self.output = ParquetOutput(inner.write, source)

    def write(self, data: bytes | memoryview) -> int:
        return self.output.add(data)

    def commit(self, identical: bool) -> int:
        if identical and isinstance(self.inner, _FileSink) and self.inner.in_place:
            self.output.discard()  # the input stays as it is
            return self.inner.commit(identical)
        written = self.output.close()
        return written + self.inner.commit(identical)

    def abort(self) -> None:
        self.output.discard()
        self.inner.abort()
