"""The file run behind :func:`newsclean.runner.clean_files`: chunking, dispatch and ordered output.

:class:`_Run` reads each input and splits it into chunks of whole records (for a regular
uncompressed file it only finds the chunk boundaries, and the workers read the bytes
themselves), hands the chunks to the worker processes (or to a worker in this process with
``jobs=1``), and writes the results to each input's sink in input order, with a bounded number
of chunks in flight.  It adds up the :class:`~newsclean.summary.RunSummary` and reports problems
as they happen; a file whose reading fails is aborted whole.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import stat
import sys
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import IO, Any, TextIO

from .io.codecs import CsvLayout, parse_header
from .io.discovery import InputFile, open_input_file
from .io.formats import open_compressed_reader
from .io.readers import (
    BOM,
    RecordTooLarge,
    _Prepend,
    csv_chunks,
    first_record,
    line_chunks,
    locate_record,
    read_document,
)
from .pipeline import Pipeline
from .sinks import _NullSink, _Sink
from .slots import SharedSlots
from .summary import CleanerStats, Problem, RunSummary
from .worker import _init_worker, _pread, _Result, _Settings, _Task, _work, _Worker

_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
try:
    import lzma

    _READ_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    pass


@dataclass
class _FileState:
    input: InputFile
    sink: _Sink
    failed: bool = False
    identical: bool = True
    done: bool = False
    lines: int = 0
    fd: int | None = None


_END = object()


def _pool_context() -> Any:
    """The multiprocessing context for the workers: on Linux, ``fork`` while this process has a
    single thread (no lock can be copied half-held then), so that workers inherit the pipeline
    without pickling and share the output slots (Python 3.14 made ``forkserver`` the Linux
    default); otherwise the platform's default (``spawn`` on macOS, where ``fork`` is unsafe)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Run:
    def __init__(
        self,
        pipeline: Pipeline,
        settings: _Settings,
        *,
        jobs: int,
        chunk_size: int,
        max_doc_size: int,
        columns: tuple[str, ...],
        delimiter: str | None,
        on_problem: Callable[[Problem], None] | None,
        report: TextIO | None,
        progress: bool,
        total_bytes: int | None,
    ) -> None:
        self.pipeline = pipeline
        self.settings = settings
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.max_doc_size = max_doc_size
        self.columns = columns
        self.delimiter = delimiter
        self.on_problem = on_problem
        self.report = report
        self.summary = RunSummary(jobs=jobs, cleaners={name: CleanerStats() for name in pipeline.names})
        self.inflight: deque[tuple[_FileState, Any, Any]] = deque()
        # Workers read their own byte ranges (needs os.pread, i.e. not on Windows); diff/explain need line numbers.
        self.ranged = settings.mode == "clean" and hasattr(os, "pread")
        self.window = max(2, 4 * jobs)
        self.executor: Executor | None = None
        self.slots: SharedSlots | None = None
        # jobs == 1: everything in this process.  jobs > 1: that many worker processes clean while this
        # one only finds chunk boundaries and writes results.  (Letting this process clean too was
        # measured slower on an idle machine: its pool threads then wait for the GIL, starving workers.)
        self.local = _Worker(pipeline, settings)
        self.workers = jobs if jobs > 1 else 0
        self.progress_total = total_bytes
        self.show_progress = progress
        self.bar: Any = None

    # problems
    def problem(self, state_or_label: _FileState | str, message: str, line: int | None = None,
                field_name: str | None = None, level: str = "error") -> None:
        label = state_or_label if isinstance(state_or_label, str) else state_or_label.input.label
        problem = Problem(label, message, line, field_name, level)
        self.summary.add_problem(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    # lifecycle
    def start(self) -> None:
        if self.jobs > 1:
            try:
                context = _pool_context()
                if context.get_start_method() == "fork":  # only forked workers share an anonymous mapping
                    with contextlib.suppress(OSError, ValueError):
                        self.slots = SharedSlots.for_chunks(self.window + 1, self.chunk_size)
                self.executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=context, initializer=_init_worker,
                    initargs=(self.pipeline, self.settings, self.slots),
                )
                # Start the workers now, before any thread (progress bar) exists in this process.
                self.executor.submit(int).result()
            except (OSError, NotImplementedError, ImportError) as exc:  # e.g. no /dev/shm for semaphores
                self.executor = None
                if self.slots is not None:  # no workers to share them with
                    self.slots.close()
                    self.slots = None
                self.problem("newsclean", f"cannot start worker processes ({exc}); cleaning in this process only",
                             level="warning")
        if self.show_progress:
            from tqdm import tqdm

            self.bar = tqdm(
                total=self.progress_total, unit="B", unit_scale=True, unit_divisor=1024,
                file=sys.stderr, dynamic_ncols=True, leave=False, desc="newsclean",
            )

    def stop(self, cancel: bool) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=cancel)
            self.executor = None
        if self.slots is not None:
            self.slots.close()
            self.slots = None

    def submit(self, state: _FileState, task: _Task) -> None:
        if self.executor is None:
            self.inflight.append((state, self.local.process(task), task))
        else:
            if self.slots is not None:
                task.slot = self.slots.take()
            self.inflight.append((state, self.executor.submit(_work, task), task))
        while len(self.inflight) > self.window:
            self.consume()
        self.consume_ready()

    def emit(self, state: _FileState, out: bytes, raw: bytes) -> None:
        """Queue bytes produced by this process (a BOM, a CSV header) in their place in the output order."""
        result = _Result(out, out == raw, len(raw))
        self.inflight.append((state, result, _Task(state.input.format, out, 0, len(out), 1, state.input.label)))

    def consume_ready(self) -> None:
        """Consume finished results at the head of the queue without waiting (commits finished files early)."""
        while self.inflight:
            item = self.inflight[0][1]
            if isinstance(item, Future) and not item.done():
                return
            self.consume()

    def consume(self) -> None:
        state, item, task = self.inflight.popleft()
        if item is _END:
            self.finish(state)
            return
        try:
            self._absorb(state, item.result() if isinstance(item, Future) else item, task)
        finally:
            if self.slots is not None:
                self.slots.give(task.slot)

    def _absorb(self, state: _FileState, result: _Result, task: _Task) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.summary.documents + result.documents:,} docs", refresh=False)
            self.bar.update(result.nbytes)
        if state.failed:
            return
        base = state.lines if task.relative else 0
        state.lines += result.lines
        self.summary.bytes_in += result.nbytes
        if result.fatal:
            self.fail_file(state, result.fatal.replace("{line}", str(base + result.fatal_line)))
            return
        summary = self.summary
        summary.records += result.records
        summary.documents += result.documents
        summary.documents_changed += result.changed
        summary.missing_field += result.missing
        for stats, (changed, removed, added) in zip(summary.cleaners.values(), result.stats, strict=False):
            stats.documents_changed += changed
            stats.chars_removed += removed
            stats.chars_added += added
        for line, field_name, message in result.errors:
            self.problem(state, message, None if line is None else line + base, field_name)
        if result.report and self.report is not None:
            self.report.write(result.report)
        if result.fail:
            raise _Stop
        state.identical = state.identical and result.identical
        if isinstance(state.sink, _NullSink):
            return
        if result.shared >= 0:
            assert self.slots is not None
            with self.slots.view(task.slot, result.shared) as view:
                state.sink.write(view)  # type: ignore[arg-type]  # any bytes-like object
            summary.bytes_out += result.shared
            return
        out = result.out
        if out is None:
            out = task.data if task.data is not None else self._read_back(state, task)
        if out:
            state.sink.write(out)
            summary.bytes_out += len(out)

    def _read_back(self, state: _FileState, task: _Task) -> bytes:
        if state.fd is None:
            assert task.path is not None
            state.fd = os.open(task.path, os.O_RDONLY)
        return _pread(state.fd, task.length, task.offset)

    def fail_file(self, state: _FileState, message: str) -> None:
        state.failed = True
        state.sink.abort()
        self.problem(state, message)
        if self.settings.on_error == "fail":
            raise _Stop

    def finish(self, state: _FileState) -> None:
        state.done = True
        if state.fd is not None:
            os.close(state.fd)
            state.fd = None
        if state.failed:
            self.summary.files_failed += 1
            return
        state.sink.commit(state.identical)
        self.summary.files += 1

    def end_file(self, state: _FileState) -> None:
        self.inflight.append((state, _END, None))
        self.consume_ready()

    def drain(self) -> None:
        while self.inflight:
            self.consume()

    def abort_all(self, states: Iterable[_FileState]) -> None:
        for state in states:
            if not state.done:
                state.sink.abort()
                if state.fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(state.fd)
                    state.fd = None

    # reading one input
    def feed_ranges(self, state: _FileState, stream: IO[bytes], size: int) -> None:
        """Regular uncompressed files: workers read their chunks themselves; only boundaries are found here."""
        inp = state.input
        path = os.path.abspath(inp.path)  # type: ignore[arg-type]  # workers may not share our cwd
        if inp.format == "txt":
            if size > self.max_doc_size:
                raise RecordTooLarge(0, 1, self.max_doc_size)
            self.submit(state, _Task("txt", None, 0, size, 1, inp.label, first=True, path=path, relative=True))
            return
        first = True
        tail = 4 * self.workers  # with workers, shrink the last chunks so they all finish at about the same time
        for start, end in _line_ranges(stream, size, self.chunk_size, self.max_doc_size, tail=tail):
            if state.failed:
                return
            self.submit(state, _Task("jsonl", None, start, end - start, 1, inp.label, first=first, path=path,
                                     relative=True))
            first = False

    def feed(self, state: _FileState, stream: IO[bytes]) -> None:
        inp = state.input
        label = inp.label
        fmt = inp.format
        utf8 = self.settings.encoding.lower().replace("_", "-") in {"utf-8", "utf8", "utf-8-sig"}
        if self.ranged and inp.path is not None and inp.compression is None and fmt in ("txt", "jsonl"):
            info = os.fstat(stream.fileno())
            if stat.S_ISREG(info.st_mode):
                self.feed_ranges(state, stream, info.st_size)
                return
        if fmt == "txt":
            data = read_document(stream, self.max_doc_size)
            offset = 0
            if utf8 and data.startswith(BOM):
                self.emit(state, BOM, BOM)
                data, offset = data[len(BOM):], len(BOM)
            self.submit(state, _Task("txt", data, offset, len(data), 1, label, first=True))
            return
        head = stream.read(len(BOM))
        offset = 0
        if utf8 and head == BOM:
            self.emit(state, BOM, BOM)
            offset = len(BOM)
            head = b""
        if fmt == "jsonl":
            chunks = line_chunks(_Prepend(head, stream), self.chunk_size, self.max_doc_size,  # type: ignore[arg-type]
                                 start_offset=offset)
            first = True
            for chunk in chunks:
                if state.failed:
                    return
                task = _Task("jsonl", chunk.data, chunk.offset, len(chunk.data), chunk.first_line, label, first=first)
                self.submit(state, task)
                first = False
            return
        # csv / tsv
        source = _Prepend(head, stream)
        header_bytes, rest = first_record(source, self.max_doc_size, quoted=True)  # type: ignore[arg-type]
        if not header_bytes:
            return
        try:
            header_text = header_bytes.decode(self.settings.encoding, self.settings.errors)
        except UnicodeDecodeError as exc:
            self.fail_file(state, f"invalid {self.settings.encoding} at byte {offset + exc.start} (line 1): "
                           f"{exc.reason}; file skipped (choose the right encoding, or replace invalid bytes)")
            return
        if "\x00" in header_text:
            self.fail_file(state, "binary file (contains NUL bytes); skipped")
            return
        delimiter = self.delimiter or ("\t" if fmt == "tsv" else ",")
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
            self.problem(state, f"no column {' or '.join(map(repr, self.columns))} in the header "
                         f"({', '.join(names)}); rows copied unchanged", 1, level="warning")
        layout = CsvLayout(delimiter, tuple(indices), tuple(chosen), len(names))
        out = header_bytes if utf8 and self.settings.errors == "strict" else header_text.encode("utf-8")
        self.emit(state, out, header_bytes)
        start = offset + len(header_bytes)
        lines = 1 + header_bytes.count(b"\n")
        first = True
        for chunk in csv_chunks(rest, source, self.chunk_size, self.max_doc_size,  # type: ignore[arg-type]
                                start_offset=start, start_line=lines):
            if state.failed:
                return
            task = _Task(fmt, chunk.data, chunk.offset, len(chunk.data), chunk.first_line, label, first=first,
                         layout=layout)
            self.submit(state, task)
            first = False


class _Stop(Exception):
    """The ``fail`` policy stops the run."""


def _open_input(inp: InputFile, stdin: IO[bytes] | None) -> IO[bytes]:
    if inp.path is None:
        raw = stdin if stdin is not None else sys.stdin.buffer
    else:
        raw = open_input_file(inp.path)
    return open_compressed_reader(raw, inp.compression)


def _line_ranges(
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
