"""The writer: results in input order, into each input's sink, counted as they are written.

The run hands the writer every planned item of every input in order: a task's
:class:`~newsclean.run.executors.Handle`, bytes the planner emitted itself, and the end of
each input.  The writer keeps them in one queue (at most ``window`` tasks in flight),
takes each result when it is at the head of the queue, writes it to its input's sink and
adds it up in the :class:`~newsclean.run.summary.RunSummary`: the summary counts what was
written, never what was planned.  A file-level failure (undecodable bytes, a read error,
a record too large) aborts that input's sink, so its output never appears.  It also draws
the progress bar, passes problems to ``on_problem`` as they happen, writes the diff/explain
reports and completes each document's trace record (``--trace``) in input order: the trace
file holds one record for every document the summary counts, whatever the executor.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from ..io.discovery import InputFile
from ..render.records import encode_line, encode_source
from .executors import Done, Handle
from .sinks import _NullSink, _Sink
from .summary import Problem, RunSummary
from .tasks import Result, Settings, Task, pread

__all__ = ["FileState", "Stop", "Writer"]


class Stop(Exception):
    """The ``fail`` policy stops the run."""


@dataclass
class FileState:
    """One input being written."""

    input: InputFile
    sink: _Sink
    failed: bool = False
    identical: bool = True
    done: bool = False
    lines: int = 0
    fd: int | None = None
    source: bytes = b""  # the input's label as JSON, for its trace records


_END = object()


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
        summary = self.summary
        summary.bytes_in += result.nbytes
        for line, message in result.notices:
            self.problem(state, message, line, level="warning")
        # (a fatal result counts nothing, except a shard's chunks before the failure, as if streamed)
        summary.add_counts(result.records, result.documents, result.changed, result.missing, result.stats)
        for line, field_name, message in result.errors:
            self.problem(state, message, None if line is None else line + base, field_name)
        if result.report and self.report is not None:
            self.report.write(result.report)
        if result.traces and self.trace is not None:
            if not state.source:
                state.source = encode_source(state.input.label)
            self.trace.write(b"".join([encode_line(state.source, None if line is None else line + base, tail)
                                       for line, tail in result.traces]))
        if result.fatal:
            self.fail_file(state, result.fatal.replace("{line}", str(base + result.fatal_line)))
            return
        if result.fail:
            raise Stop
        state.identical = state.identical and result.identical
        if isinstance(state.sink, _NullSink):
            return
        out = result.out
        if result.compressed:
            summary.bytes_out += state.sink.write_compressed(out, result.plain)  # type: ignore[arg-type]
            return
        if out is None:
            out = task.data if task.data is not None else self._read_back(state, task)
        if out:
            summary.bytes_out += state.sink.write(out)

    def _read_back(self, state: FileState, task: Task) -> bytes:
        if state.fd is None:
            assert task.path is not None
            state.fd = os.open(task.path, os.O_RDONLY)
        return pread(state.fd, task.length, task.offset)

    # inputs
    def fail_file(self, state: FileState, message: str) -> None:
        state.failed = True
        state.sink.abort()
        self.problem(state, message)
        if self.settings.on_error == "fail":
            raise Stop

    def finish(self, state: FileState) -> None:
        state.done = True
        if state.fd is not None:
            os.close(state.fd)
            state.fd = None
        if state.failed:
            self.summary.files_failed += 1
            return
        self.summary.bytes_out += state.sink.commit(state.identical)
        self.summary.files += 1

    def abort_all(self, states: Iterable[FileState]) -> None:
        for state in states:
            if not state.done:
                state.sink.abort()
                if state.fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(state.fd)
                    state.fd = None
