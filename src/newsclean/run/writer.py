"""The writer: results in input order, into each input's sink, counted as they are written.

The run hands the writer every planned item of every input in order: a task's
:class:`~newsclean.run.executors.Handle`, bytes the planner emitted itself, and the end of
each input.  The writer keeps them in one queue (at most ``window`` tasks in flight),
takes each result when it is at the head of the queue, writes it to its input's sink and
adds it up: the summary counts what was written, never what was planned.  An input's counts
go into the :class:`~newsclean.run.summary.RunSummary` when its output is committed (or, for a
stream, as they are written), so a file that fails part-way counts nothing.  A file-level
failure (a read error, a record too large, a write error, an input that changed while it was
read) aborts that input's sink, so its output never appears.  Every error writing an output is
"cannot write OUTPUT: reason": that file fails, the run goes on.  It also draws the progress bar
and passes problems to ``on_problem`` as they happen, writes the
diff/explain reports and completes each document's trace record (``--trace``): an input's records
are held in a spool file and go to the trace when its output is committed, so the trace holds one
record for every document the summary counts, in input order, whatever the executor.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..io.discovery import InputFile
from ..render.records import encode_line, encode_source
from .executors import Done, Handle
from .plan import reason
from .sinks import _NullSink, _Sink
from .summary import Problem, RunSummary
from .tasks import Counts, Result, Settings, Task, add_counts, pread

__all__ = ["FileState", "Stop", "Writer"]


class Stop(Exception):
    """The ``fail`` policy stops the run."""


@dataclass
class FileState:
    """One input being written, with what it adds to the summary once its output is written."""

    input: InputFile
    sink: _Sink
    failed: bool = False
    identical: bool = True
    done: bool = False
    lines: int = 0
    fd: int | None = None
    source: bytes = b""  # the input's label as JSON, for its trace records
    spool: Any = None  # its trace records not yet counted (a SpooledTemporaryFile), see Writer._count
    stat: os.stat_result | None = None  # the input file when it was opened (to see it change while read)
    records: int = 0
    documents: int = 0
    changed: int = 0
    missing: int = 0
    stats: list[Counts] = field(default_factory=list)
    bytes_out: int = 0
    # the whole input's records, and those without a field to clean (for the missing-field report)
    all_records: int = 0
    all_missing: int = 0
    found_fields: set[str] = field(default_factory=set)


_END = object()
#: an input's trace records are kept in memory up to this size, then in a temporary file
_SPOOL_MEMORY = 8 << 20
_SPOOL_BLOCK = 1 << 20


class Writer:
    def __init__(
        self,
        summary: RunSummary,
        settings: Settings,
        *,
        window: int,
        on_problem: Callable[[Problem], None] | None,
        report: TextIO | None,
        trace: _Sink | None = None,
    ) -> None:
        self.summary = summary
        self.settings = settings
        self.window = window
        self.on_problem = on_problem
        self.report = report
        self.trace = trace  # where trace records go (committed by commit_trace, else aborted by close)
        self.inflight: deque[tuple[FileState, Any, Task | None]] = deque()
        self.bar: Any = None

    # problems
    def problem(self, state_or_label: FileState | str, message: str, line: int | None = None,
                field_name: str | None = None, level: str = "error") -> None:
        label = state_or_label if isinstance(state_or_label, str) else state_or_label.input.label
        problem = Problem(label, message, line, field_name, level)
        self.summary.add_problem(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    # progress
    def show_progress(self, total_bytes: int | None) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024,
            file=sys.stderr, dynamic_ncols=True, leave=False, desc="newsclean",
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.trace is not None:  # not committed: the run did not get to its end
            self.trace.abort()
            self.trace = None

    def commit_trace(self) -> None:
        """The run is over: put the trace file in place."""
        if self.trace is not None:
            self.trace.commit(False)
            self.trace = None

    # the queue
    def add(self, state: FileState, handle: Handle, task: Task) -> None:
        """Queue a submitted task's result; write what is ready, waiting while more than ``window`` are queued."""
        self.inflight.append((state, handle, task))
        while len(self.inflight) > self.window:
            self.consume()
        self.consume_ready()

    def emit(self, state: FileState, out: bytes, raw: bytes) -> None:
        """Queue bytes produced by the planner (a BOM, a CSV header) in their place in the output order."""
        self.queue(state, Result(out, out == raw, len(raw)))

    def queue(self, state: FileState, result: Result) -> None:
        """Queue a result made in this process (planned bytes, a warning, a failure to read) in its place, so
        that problems are reported in input order whatever the executor's timing."""
        self.inflight.append((state, Done(result), Task(state.input.format, b"", 0, 0, 1, state.input.label)))

    def end_file(self, state: FileState) -> None:
        self.inflight.append((state, _END, None))
        self.consume_ready()

    def consume_ready(self) -> None:
        """Consume finished results at the head of the queue without waiting (commits finished files early)."""
        while self.inflight:
            item = self.inflight[0][1]
            if item is not _END and not item.done():
                return
            self.consume()

    def consume(self) -> None:
        state, handle, task = self.inflight.popleft()
        if handle is _END:
            self.finish(state)
            return
        try:
            self._absorb(state, handle.result(), task)
        finally:
            handle.release()

    def drain(self) -> None:
        while self.inflight:
            self.consume()

    def _absorb(self, state: FileState, result: Result, task: Task) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.summary.documents + result.documents:,} docs", refresh=False)
            self.bar.update(result.nbytes)
        if state.failed:
            return
        base = state.lines if task.relative else 0
        state.lines += result.lines
        self.summary.bytes_in += result.nbytes
        for line, message in result.notices:
            self.problem(state, message, line, level="warning")
        for line, field_name, message in result.errors:
            self.problem(state, message, None if line is None else line + base, field_name)
        if result.report and self.report is not None:
            where = getattr(self.report, "name", None) or "the report"
            if self._write(state, "standard output" if where == "<stdout>" else where, self.report.write,
                           result.report) is None:
                return
        if result.traces and self.trace is not None:
            if not state.source:
                state.source = encode_source(state.input.label)
            self._spool(state).write(b"".join([encode_line(state.source, None if line is None else line + base, tail)
                                               for line, tail in result.traces]))
        if result.fatal:  # counts nothing (nor does anything else of this input: see fail_file)
            self.fail_file(state, result.fatal.replace("{line}", str(base + result.fatal_line)))
            return
        state.records += result.records
        state.documents += result.documents
        state.changed += result.changed
        state.missing += result.missing
        state.all_records += result.records
        state.all_missing += result.missing
        state.found_fields.update(result.found_fields)
        if not state.stats:
            state.stats = [[0, 0, 0, {}] for _ in result.stats]
        add_counts(state.stats, result.stats)
        if result.fail:
            raise Stop
        state.identical = state.identical and result.identical
        if isinstance(state.sink, _NullSink):
            return
        out = result.out
        if not result.compressed and out is None:
            out = task.data if task.data is not None else self._read_back(state, task)
        if not out:
            return
        if result.compressed:
            written = self._write(state, state.sink.name, state.sink.write_compressed, out, result.plain)
        else:
            written = self._write(state, state.sink.name, state.sink.write, out)
        if written is not None:
            state.bytes_out += written
            if state.sink.streams:  # (what reached a stream is written, whatever happens to the rest)
                self._count(state)

    def _write(self, state: FileState, where: str, write: Callable[..., int], *args: Any) -> int | None:
        """``write(*args)``; on an error, ``state``'s input fails ("cannot write WHERE: reason") and ``None``."""
        try:
            return write(*args)
        except BrokenPipeError:
            raise  # the reader of standard output went away: the run stops (the CLI exits 141)
        except OSError as exc:
            self.fail_file(state, f"cannot write {where}: {reason(exc)}")
            return None

    def _spool(self, state: FileState) -> Any:
        """Where ``state``'s trace records wait until its output is counted (memory, then disk)."""
        if state.spool is None:
            state.spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY)
        return state.spool

    def _drop_spool(self, state: FileState) -> None:
        if state.spool is not None:
            state.spool.close()
            state.spool = None

    def _count(self, state: FileState) -> None:
        """Add what ``state`` has written since the last time to the summary (and its trace records
        to the trace: the trace holds exactly the documents the summary counts)."""
        if state.spool is not None and self.trace is not None:
            state.spool.seek(0)
            while block := state.spool.read(_SPOOL_BLOCK):
                self.trace.write(block)
            state.spool.seek(0)
            state.spool.truncate()
        summary = self.summary
        summary.add_counts(state.records, state.documents, state.changed, state.missing, state.stats)
        summary.bytes_out += state.bytes_out
        state.records = state.documents = state.changed = state.missing = state.bytes_out = 0
        state.stats = []

    def _read_back(self, state: FileState, task: Task) -> bytes:
        if state.fd is None:
            assert task.path is not None
            state.fd = os.open(task.path, os.O_RDONLY)
        return pread(state.fd, task.length, task.offset)

    # inputs
    def fail_file(self, state: FileState, message: str) -> None:
        state.failed = True
        self._drop_spool(state)
        state.sink.abort()
        self.problem(state, message)
        if self.settings.on_error == "fail":
            raise Stop

    def finish(self, state: FileState) -> None:
        state.done = True
        if state.fd is not None:
            os.close(state.fd)
            state.fd = None
        if not state.failed and state.stat is not None and state.input.path is not None:
            changed = changed_while_read(state.input.path, state.stat)
            if changed is not None:
                self.fail_file(state, f"{changed}; its output was not written")
        if state.failed:
            self.summary.files_failed += 1
            return
        self._report_missing(state)
        written = self._write(state, state.sink.name, state.sink.commit, state.identical)
        if written is None:
            self.summary.files_failed += 1
            return
        state.bytes_out += written
        self._count(state)
        self._drop_spool(state)
        self.summary.files += 1

    def _report_missing(self, state: FileState) -> None:
        """Records without any field to clean: a warning per file naming the fields they have; an error when
        no record had one."""
        missing, records = state.all_missing, state.all_records
        if not missing or state.input.format in ("csv", "tsv", "parquet"):
            return  # (a CSV header or a Parquet schema without the columns is reported when planning)
        names = " or ".join(map(repr, self.settings.fields))
        found = f" (fields found: {', '.join(sorted(state.found_fields))})" if state.found_fields else ""
        if missing == records:
            self.problem(state, f"no record has a string field {names}{found}; written unchanged")
        else:
            self.problem(state, f"{missing:,} of {records:,} record(s) have no string field {names}{found}; "
                                "written unchanged", level="warning")

    def abort_all(self, states: Iterable[FileState]) -> None:
        for state in states:
            if not state.done:
                if state.sink.streams:
                    self._count(state)
                self._drop_spool(state)
                state.sink.abort()
                if state.fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(state.fd)
                    state.fd = None


def changed_while_read(path: os.PathLike[str] | str, before: os.stat_result) -> str | None:
    """What happened to the file at ``path`` since ``before`` was taken of it, or ``None`` if nothing
    (same file, size and modification time)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return "was deleted while it was read"
    except OSError:
        return None  # (unreadable now: nothing says it changed)
    if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
        return "was replaced by another file while it was read"
    if now.st_size < before.st_size:
        return f"was truncated while it was read ({before.st_size:,} bytes at the start, {now.st_size:,} now)"
    if now.st_size != before.st_size or now.st_mtime_ns != before.st_mtime_ns:
        return "changed while it was read"
    return None
