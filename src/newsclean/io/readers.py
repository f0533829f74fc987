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

__all__ = ["BOM", "Chunk", "RecordTooLarge", "csv_chunks", "line_chunks", "read_document"]

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


def _blocks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    while True:
        block = stream.read(size)
        if not block:
            return
        yield block


def line_chunks(
    stream: IO[bytes], chunk_size: int, max_record: int, *, start_offset: int = 0, quoted: bool = False
) -> Iterator[Chunk]:
    """Yield chunks of about ``chunk_size`` bytes ending at a record boundary.

    ``quoted`` respects CSV quoting (a newline inside ``"..."`` is not a boundary).
    """
    carry = b""
    offset = start_offset
    line = 1
    for block in _blocks(stream, chunk_size):
        buf = carry + block if carry else block
        cut = _quoted_cut(buf) if quoted else buf.rfind(b"\n") + 1
        if cut == 0:
            if len(buf) > max_record:
                raise RecordTooLarge(offset, line, max_record)
            carry = buf
            continue
        data = buf[:cut]
        carry = buf[cut:]
        if len(carry) > max_record:
            raise RecordTooLarge(offset + cut, line + data.count(b"\n"), max_record)
        yield Chunk(data, offset, line)
        offset += len(data)
        line += data.count(b"\n")
    if carry:
        yield Chunk(carry, offset, line)


def _quoted_cut(buf: bytes) -> int:
    """Position just after the last newline of ``buf`` that lies outside quotes (0 if none)."""
    end = buf.rfind(b"\n")
    if end < 0:
        return 0
    quotes = buf.count(b'"', 0, end)
    while quotes % 2:
        previous = buf.rfind(b"\n", 0, end)
        if previous < 0:
            return 0
        quotes -= buf.count(b'"', previous, end)
        end = previous
    return end + 1


def first_record(stream: IO[bytes], max_record: int, *, quoted: bool) -> tuple[bytes, bytes]:
    """Read the first record (a CSV header) and return ``(record, rest_already_read)``."""
    buf = b""
    while True:
        block = stream.read(65536)
        if block:
            buf += block
        search_from = 0
        while True:
            end = buf.find(b"\n", search_from)
            if end < 0:
                break
            if not quoted or buf.count(b'"', 0, end) % 2 == 0:
                return buf[: end + 1], buf[end + 1 :]
            search_from = end + 1
        if not block:
            return buf, b""
        if len(buf) > max_record:
            raise RecordTooLarge(0, 1, max_record)


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
