"""Split an input byte stream into chunks of whole records, in bounded memory.

A chunk is a :class:`Chunk`: raw bytes that end at a record boundary, the
byte offset of its first byte and the line number of its first line, so that
messages can name the exact place of a problem.  The process that reads does
no decoding or parsing: workers do that, so one big file keeps every core busy.

- Line formats (JSONL): chunks end after a ``\\n``.
- CSV/TSV: chunks end after a ``\\n`` that is outside quotes (an even number
  of ``"`` since the start of the chunk, which is always a record start), so
  quoted fields with embedded newlines are never cut.
- Plain text: the whole file is one chunk (one document), up to a size limit.

A record longer than ``max_record`` bytes raises :class:`RecordTooLarge`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

__all__ = [
    "BOM",
    "Chunk",
    "MalformedInput",
    "RecordTooLarge",
    "UnbalancedQuote",
    "csv_chunks",
    "first_record",
    "line_chunks",
    "locate_record",
    "read_document",
]

BOM = b"\xef\xbb\xbf"


@dataclass
class Chunk:
    data: bytes
    offset: int
    first_line: int


class RecordTooLarge(Exception):
    """A single record (or a plain-text document) exceeds the size limit."""

    def __init__(self, offset: int, line: int, limit: int) -> None:
        self.offset = offset
        self.line = line
        self.limit = limit
        super().__init__(f"record at line {line} (byte {offset}) is larger than {limit} bytes")


class MalformedInput(ValueError):
    """An input that cannot be read as its format at all (the file is skipped with this message)."""


class UnbalancedQuote(MalformedInput):
    """A CSV record whose quoted field never closes: it would run to the end of the file."""

    def __init__(self, offset: int, line: int, what: str = "header") -> None:
        self.offset = offset
        self.line = line
        super().__init__(
            f"malformed CSV {what} at line {line} (byte {offset}): a quoted field opens and never closes, "
            "so the rest of the file would be one field"
        )


def _blocks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    while True:
        block = stream.read(size)
        if not block:
            return
        yield block


class _Boundaries:
    """Finds record boundaries in a growing buffer, looking at each byte a bounded number of times.

    ``pending`` holds the bytes read since the last boundary.  For CSV (``quoted``), a newline is a
    boundary when an even number of ``"`` precede it in ``pending``; the count for the part already
    searched is kept, so a long quoted field costs linear time however many blocks it spans.
    """

    def __init__(self, quoted: bool) -> None:
        self.quoted = quoted
        self.pending = bytearray()
        self.searched = 0  # bytes of ``pending`` already searched (no boundary among them)
        self.quotes = 0  # number of '"' among them

    def add(self, block: bytes) -> int:
        """Append ``block``; return the position just after the last boundary in ``pending`` (0: none)."""
        pending = self.pending
        start = self.searched
        pending += block
        end = pending.rfind(b"\n", start)
        cut = 0
        if end >= 0:
            if not self.quoted:
                cut = end + 1
            else:
                quotes = self.quotes + pending.count(b'"', start, end)
                while quotes % 2:
                    previous = pending.rfind(b"\n", start, end)
                    if previous < 0:
                        break
                    quotes -= pending.count(b'"', previous, end)
                    end = previous
                else:
                    cut = end + 1
        if self.quoted:
            self.quotes += pending.count(b'"', start)
        self.searched = len(pending)
        return cut

    def take(self, cut: int) -> bytes:
        """Remove and return ``pending[:cut]`` (a whole number of records)."""
        data = bytes(self.pending[:cut])
        del self.pending[:cut]
        self.searched = len(self.pending)
        if self.quoted:
            self.quotes = self.pending.count(b'"')
        return data


def line_chunks(
    stream: IO[bytes], chunk_size: int, max_record: int, *, start_offset: int = 0, quoted: bool = False
) -> Iterator[Chunk]:
    """Yield chunks of about ``chunk_size`` bytes ending at a record boundary.

    ``quoted`` respects CSV quoting (a newline inside ``"..."`` is not a boundary).  Linear in the
    input, whatever the record lengths.
    """
    bounds = _Boundaries(quoted)
    offset = start_offset
    line = 1
    for block in _blocks(stream, chunk_size):
        cut = bounds.add(block)
        if cut == 0:
            if len(bounds.pending) > max_record:
                raise RecordTooLarge(offset, line, max_record)
            continue
        data = bounds.take(cut)
        if len(bounds.pending) > max_record:
            raise RecordTooLarge(offset + cut, line + data.count(b"\n"), max_record)
        yield Chunk(data, offset, line)
        offset += len(data)
        line += data.count(b"\n")
    if bounds.pending:
        yield Chunk(bytes(bounds.pending), offset, line)


def first_record(stream: IO[bytes], max_record: int, *, quoted: bool) -> tuple[bytes, bytes]:
    """Read the first record (a CSV header) and return ``(record, rest_already_read)``.

    Linear in what it reads.  Raises :class:`RecordTooLarge` beyond ``max_record`` bytes and, for
    ``quoted`` input, :class:`UnbalancedQuote` when a quoted field of the first line runs to the
    end of the input (the whole file would be one header).
    """
    buf = bytearray()
    searched = 0
    quotes = 0
    while True:
        block = stream.read(65536)
        buf += block
        while True:
            end = buf.find(b"\n", searched)
            if end < 0:
                if quoted:
                    quotes += buf.count(b'"', searched)
                searched = len(buf)
                break
            if quoted:
                quotes += buf.count(b'"', searched, end)
            searched = end + 1
            if not quoted or quotes % 2 == 0:
                return bytes(buf[: end + 1]), bytes(buf[end + 1 :])
        if not block:
            if quoted and quotes % 2:
                raise UnbalancedQuote(0, 1)
            return bytes(buf), b""
        if len(buf) > max_record:
            raise RecordTooLarge(0, 1, max_record)


def locate_record(stream: IO[bytes], position: int, block: int = 1 << 20) -> tuple[int, int]:
    """``(offset, line)`` of the start of the line holding byte ``position`` of a seekable ``stream``.

    Reads the stream from the start (only for error messages about a record that is too large).
    """
    stream.seek(0)
    offset = 0
    newlines = 0
    start = 0
    while offset < position:
        data = stream.read(min(block, position - offset))
        if not data:
            break
        found = data.rfind(b"\n")
        if found >= 0:
            start = offset + found + 1
        newlines += data.count(b"\n")
        offset += len(data)
    return start, newlines + 1


def read_document(stream: IO[bytes], max_size: int) -> bytes:
    """Read a whole plain-text document, raising :class:`RecordTooLarge` beyond ``max_size`` bytes."""
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        raise RecordTooLarge(0, 1, max_size)
    return data


class _Prepend:
    """A read-only stream that yields ``head`` before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._stream.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            if len(data) < size:
                data += self._stream.read(size - len(data))
            return data
        return self._stream.read(size)


def csv_chunks(
    head: bytes, stream: IO[bytes], chunk_size: int, max_record: int, *, start_offset: int, start_line: int
) -> Iterator[Chunk]:
    """Chunks of a CSV body whose first bytes ``head`` were already read with the header."""
    for chunk in line_chunks(_Prepend(head, stream), chunk_size, max_record, start_offset=start_offset, quoted=True):  # type: ignore[arg-type]
        chunk.first_line += start_line - 1
        yield chunk
