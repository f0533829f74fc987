"""Writing to a stream in full.

``BufferedWriter.write`` on a pipe whose reader went away can return a short count, once, instead
of raising: the rest of the data is silently dropped.  :func:`write_all` writes the rest, so the
``BrokenPipeError`` comes (and the caller can stop) instead of output that is quietly cut short.
"""

from __future__ import annotations

from typing import IO

__all__ = ["write_all"]


def write_all(stream: IO[bytes], data: bytes | bytearray | memoryview) -> None:
    """Write every byte of ``data`` to ``stream`` (retrying after short writes)."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if written is None or written >= len(view):  # None: a stream that does not count
            return
        view = view[written:]
