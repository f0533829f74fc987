"""The planner: each input becomes an ordered list of tasks (plain data any executor can run).

For a regular uncompressed plain-text or JSONL file only the chunk boundaries are found here
(``(offset, length)`` of about ``chunk_size`` bytes, ending after a newline): workers read their
byte ranges themselves.  Other inputs (compressed files, standard input, CSV/TSV, whose
boundaries depend on quoting) are read here in chunks of whole records and the bytes travel in
the task.  The planner also puts the bytes it handles itself in the output (a UTF-8 BOM, a CSV
header) as :class:`~newsclean.run.tasks.Emit` items, in their place among the tasks, and
reports what it finds wrong with an input (:class:`Notice`, :class:`FileFailure`).

Planning reads ahead of the workers by at most the writer's window of tasks: the caller pulls
items one at a time, so memory stays bounded whatever the file size.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from ..io.codecs import CsvLayout, parse_header
from ..io.discovery import InputFile, open_input_file
from ..io.formats import open_compressed_reader
from ..io.readers import (
    BOM,
    MalformedInput,
    RecordTooLarge,
    _Prepend,
    csv_chunks,
    first_record,
    line_chunks,
    locate_record,
    read_document,
)
from .tasks import Emit, ReadOptions, Settings, Task

__all__ = ["READ_ERRORS", "SHARD_LIMIT", "FileFailure", "Notice", "Planner", "failure_message", "open_input", "reason"]

#: a compressed input of at most this many bytes, in a run of several inputs, is one task (a shard)
SHARD_LIMIT = 64 * 1024 * 1024

#: what reading an input may raise (the file is then skipped)
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
try:
    import lzma

    READ_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    pass


@dataclass
class Notice:
    """A problem with the input that does not stop it (reported, the input goes on): a warning, or an
    error (the run's exit status says so)."""

    message: str
    line: int | None = None
    level: str = "warning"


@dataclass
class FileFailure:
    """The input cannot be cleaned (reported, its output is not written)."""

    message: str


PlanItem = Task | Emit | Notice | FileFailure


def failure_message(fmt: str, exc: BaseException) -> str:
    """What to report when reading an input raised ``exc`` (:class:`RecordTooLarge`,
    :class:`MalformedInput` or a read error)."""
    if isinstance(exc, RecordTooLarge):
        what = "plain-text document" if fmt == "txt" else f"record at line {exc.line} (byte {exc.offset})"
        return (f"{what} is larger than the {exc.limit:,}-byte limit; "
                "file skipped: split it, or raise the limit (--max-doc-size)")
    if isinstance(exc, MalformedInput):
        return f"{exc}; file skipped"
    return f"cannot read: {reason(exc)}; skipped"


def reason(exc: BaseException) -> str:
    """An exception, said briefly ("permission denied", not "[Errno 13] Permission denied: '…'")."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[0].isupper() and exc.strerror[1:2].islower() else exc.strerror
    return str(exc) or type(exc).__name__



def open_input(inp: InputFile, stdin: IO[bytes] | None) -> IO[bytes]:
    """The decompressed byte stream of ``inp`` (``stdin`` for standard input)."""
    if inp.path is None:
        raw = stdin if stdin is not None else sys.stdin.buffer
    else:
        raw = open_input_file(inp.path)
    return open_compressed_reader(raw, inp.compression)


class Planner:
    """Turns one input at a time into :data:`PlanItem`\\ s, in output order."""

    def __init__(self, settings: Settings, read: ReadOptions, *, workers: int, shards: bool = False) -> None:
        self.settings = settings
        self.read = read
        self.chunk_size = read.chunk_size
        self.max_doc_size = read.max_doc_size
        self.columns = read.columns
        self.delimiter = read.delimiter
        self.workers = workers
        self.shards = shards  # several inputs: a compressed one is one task (see plan())
        # Workers read their own byte ranges (needs os.pread, i.e. not on Windows); diff/explain need line numbers.
        self.ranged = settings.mode == "clean" and hasattr(os, "pread")
        self.utf8 = settings.encoding.lower().replace("_", "-") in {"utf-8", "utf8", "utf-8-sig"}

    def plan(self, inp: InputFile, stream: IO[bytes], *, output_compression: str | None = None) -> Iterator[PlanItem]:
        """The items of ``inp``, read from ``stream`` (from :func:`open_input`).

        In a run of several inputs (sharded data), a compressed regular file of at most
        :data:`SHARD_LIMIT` bytes is one task: a worker decompresses, splits, cleans and (to
        ``output_compression``) compresses it, so this process does not decompress every shard.
        A single compressed input is decompressed here and its chunks go to all the workers.
        Raises :class:`~newsclean.io.readers.RecordTooLarge` or one of :data:`READ_ERRORS`.
        """
        fmt = inp.format
        if fmt == "parquet":
            yield from self._parquet(inp)
            return
        if self.shards and inp.path is not None and inp.compression is not None:
            info = os.stat(inp.path)
            if stat.S_ISREG(info.st_mode) and info.st_size <= SHARD_LIMIT:
                yield Task(fmt, None, 0, info.st_size, 1, inp.label, first=True, path=os.path.abspath(inp.path),
                           compression=inp.compression, read=self.read, output_compression=output_compression)
                return
        if self.ranged and inp.path is not None and inp.compression is None and fmt in ("txt", "jsonl"):
            info = os.fstat(stream.fileno())
            if stat.S_ISREG(info.st_mode):
                yield from self._ranges(inp, stream, info.st_size)
                return
        if fmt == "txt":
            data = read_document(stream, self.max_doc_size)
            offset = 0
            if self.utf8 and data.startswith(BOM):
                yield Emit(BOM, BOM)
                data, offset = data[len(BOM):], len(BOM)
            yield Task("txt", data, offset, len(data), 1, inp.label, first=True)
            return
        head = stream.read(len(BOM))
        offset = 0
        if self.utf8 and head == BOM:
            yield Emit(BOM, BOM)
            offset = len(BOM)
            head = b""
        if fmt == "jsonl":
            chunks = line_chunks(_Prepend(head, stream), self.chunk_size, self.max_doc_size,  # type: ignore[arg-type]
                                 start_offset=offset)
            first = True
            for chunk in chunks:
                yield Task("jsonl", chunk.data, chunk.offset, len(chunk.data), chunk.first_line, inp.label,
                           first=first)
                first = False
            return
        yield from self._csv(inp, _Prepend(head, stream), offset)  # type: ignore[arg-type]

    def _ranges(self, inp: InputFile, stream: IO[bytes], size: int) -> Iterator[Task]:
        """Regular uncompressed files: workers read their chunks themselves; only boundaries are found here."""
        path = os.path.abspath(inp.path)  # type: ignore[arg-type]  # workers may not share our cwd
        if inp.format == "txt":
            if size > self.max_doc_size:
                raise RecordTooLarge(0, 1, self.max_doc_size)
            yield Task("txt", None, 0, size, 1, inp.label, first=True, path=path, relative=True)
            return
        first = True
        tail = 4 * self.workers  # with workers, shrink the last chunks so they all finish at about the same time
        for start, end in line_ranges(stream, size, self.chunk_size, self.max_doc_size, tail=tail):
            yield Task("jsonl", None, start, end - start, 1, inp.label, first=first, path=path, relative=True)
            first = False

    def _parquet(self, inp: InputFile) -> Iterator[PlanItem]:
        """One task per range of whole row groups of about ``chunk_size`` uncompressed bytes."""
        from ..io.parquet import row_group_ranges

        path = os.path.abspath(inp.path)  # type: ignore[arg-type]
        try:
            plan = row_group_ranges(path, self.columns, self.chunk_size)
        except (ValueError, TypeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
            yield FileFailure(f"not a readable Parquet file ({exc}); skipped")
            return
        if not plan.columns:
            yield Notice(f"no string column {' or '.join(map(repr, self.columns))} in the schema "
                         f"({plan.schema}); rows copied unchanged", level="error")
        for start, end, first_row, nbytes in plan.ranges:
            yield Task("parquet", None, 0, nbytes, first_row, inp.label, first=start == 0, path=path,
                       row_groups=(start, end), columns=tuple(plan.columns))

    def _csv(self, inp: InputFile, source: IO[bytes], offset: int) -> Iterator[PlanItem]:
        s = self.settings
        header_bytes, rest = first_record(source, self.max_doc_size, quoted=True)
        if not header_bytes:
            return
        try:
            header_text = header_bytes.decode(s.encoding, s.errors)
        except UnicodeDecodeError as exc:
            yield FileFailure(f"invalid {s.encoding} at byte {offset + exc.start} (line 1): {exc.reason}; "
                              "file skipped (choose the right encoding, or replace invalid bytes)")
            return
        if "\x00" in header_text:
            yield FileFailure("binary file (contains NUL bytes); skipped")
            return
        delimiter = self.delimiter or ("\t" if inp.format == "tsv" else ",")
        names = parse_header(header_text, delimiter)
        indices: list[int] = []
        chosen: list[str] = []
        for column in self.columns:
            if column in names:
                indices.append(names.index(column))
                chosen.append(column)
            elif column.isdigit() and int(column) < len(names):
                indices.append(int(column))
                chosen.append(names[int(column)])
        if not indices:
            yield Notice(f"no column {' or '.join(map(repr, self.columns))} in the header "
                         f"({', '.join(names)}); rows copied unchanged", 1, level="error")
        layout = CsvLayout(delimiter, tuple(indices), tuple(chosen), len(names))
        out = header_bytes if self.utf8 and s.errors == "strict" else header_text.encode("utf-8")
        yield Emit(out, header_bytes)
        start = offset + len(header_bytes)
        lines = 1 + header_bytes.count(b"\n")
        first = True
        for chunk in csv_chunks(rest, source, self.chunk_size, self.max_doc_size, start_offset=start,
                                start_line=lines):
            yield Task(inp.format, chunk.data, chunk.offset, len(chunk.data), chunk.first_line, inp.label,
                       first=first, layout=layout)
            first = False


def line_ranges(
    stream: IO[bytes], size: int, chunk_size: int, max_record: int, *, tail: int = 0
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` byte ranges of about ``chunk_size`` that end just after a newline (or at the end).

    With ``tail`` > 0, chunks near the end get smaller (at most 1/``tail`` of what is left, at least
    64 KiB or ``chunk_size``), so parallel workers finish the file together instead of one waiting.
    """
    start = 0
    while start < size:
        step = chunk_size if not tail else max(min(chunk_size, (size - start) // tail), min(chunk_size, 65536))
        end = start + step
        if end >= size:
            yield start, size
            return
        stream.seek(end)
        boundary = end
        while True:
            block = stream.read(8192)
            if not block:
                end = size
                break
            newline = block.find(b"\n")
            end += newline + 1 if newline >= 0 else len(block)
            if end - boundary > max_record:  # a record longer than the limit (bounds memory, too)
                raise RecordTooLarge(*locate_record(stream, boundary), max_record)
            if newline >= 0:
                break
        yield start, end
        start = end
