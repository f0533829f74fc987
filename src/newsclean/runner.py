"""Clean files and record streams: the library behind the ``newsclean`` command.

Everything the command line does is available here::

    from newsclean import Pipeline
    from newsclean.runner import clean_files, clean_records

    summary = clean_files(["scraped/"], Pipeline.default(), output="cleaned/", jobs=4)
    print(summary.format())            # documents, MB/s, per-cleaner counts
    summary.exit_code                  # 0 all clean, 1 some inputs or records had errors

    for record in clean_records(rows, fields=["title", "body"], jobs=2):
        ...

How files are processed: the calling process splits each input into chunks
of whole records (about ``chunk_size`` bytes; a plain-text file is one chunk)
and hands them to ``jobs`` worker processes, each holding one pipeline built
once (``jobs=1`` cleans in the calling process).  For a regular uncompressed
file only the byte range travels: the worker reads the bytes itself.
Workers decode, parse, clean and serialise; the caller writes
results in input order, with at most ``4 × jobs`` chunks in flight, so memory
stays bounded whatever the file size and the output is identical to
``jobs=1`` (everything in the calling process).

Per-cleaner statistics (documents each cleaner changed, characters it removed
and added) are counted while cleaning, by stepping through the cleaners and
comparing lengths, at no measurable cost; removed/added are then the net
length change per document.  ``mode="explain"`` counts exact edits instead,
from :meth:`~newsclean.Pipeline.explain` (about 50 times slower).

Error policy (``on_error``) for a malformed JSONL/CSV record or a cleaner that
raises on a document: ``"keep"`` (default) writes the record through
unchanged, ``"skip"`` drops it, ``"fail"`` stops the run.  Every problem is
reported (file, line, byte offset where it helps) through ``on_problem`` and
counted in the summary.  A file that cannot be read, is not valid in its
encoding, contains NUL bytes (binary) or is too large is skipped whole: its
output is not written (outputs are atomic) and the other files go on.  (On a
stream such as standard output, the chunks before a file-level error have
already been written: a stream cannot be taken back.)
"""

from __future__ import annotations

import contextlib
import difflib
import multiprocessing
import os
import signal
import stat
import sys
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from .errors import ConfigError
from .io.atomic import AtomicOutput
from .io.codecs import ChunkOutput, CsvLayout, FailRun, csv_chunk, jsonl_chunk, parse_header, txt_chunk
from .io.discovery import InputFile, discover
from .io.formats import FORMATS, open_compressed_reader
from .io.readers import BOM, RecordTooLarge, _Prepend, csv_chunks, first_record, line_chunks, read_document
from .pipeline import Pipeline
from .slots import SharedSlots

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_DOC_SIZE",
    "CleanerStats",
    "Problem",
    "RunSummary",
    "UsageError",
    "clean_files",
    "clean_records",
    "clean_texts",
    "default_jobs",
]

DEFAULT_MAX_DOC_SIZE = 64 * 1024 * 1024
DEFAULT_CHUNK_SIZE = 1024 * 1024
ON_ERROR = ("keep", "skip", "fail")
DECODE_ERRORS = ("strict", "replace", "ignore")
MODES = ("clean", "diff", "explain")
_AUTO_PARALLEL_BYTES = 2 * 1024 * 1024
_READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
try:
    import lzma

    _READ_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    pass


class UsageError(ConfigError):
    """The files or options asked for cannot be used together (the CLI exits with status 2)."""


# -- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something that went wrong with one input or record."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    level: str = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "field": self.field, "level": self.level, "message": self.message}


@dataclass
class CleanerStats:
    """Per cleaner: documents it changed, and characters it removed/added (net length change per document)."""

    documents_changed: int = 0
    chars_removed: int = 0
    chars_added: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "documents_changed": self.documents_changed,
            "chars_removed": self.chars_removed,
            "chars_added": self.chars_added,
        }


@dataclass
class RunSummary:
    """What a run did.  ``exit_code`` is 0 when nothing went wrong, 1 otherwise."""

    files: int = 0
    files_failed: int = 0
    records: int = 0
    documents: int = 0
    documents_changed: int = 0
    missing_field: int = 0
    errors: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    jobs: int = 1
    interrupted: bool = False
    cleaners: dict[str, CleanerStats] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    max_problems: int = 1000

    @property
    def mb_per_s(self) -> float:
        return self.bytes_in / 1e6 / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.files_failed or self.interrupted else 0

    def add_problem(self, problem: Problem) -> None:
        if problem.level == "error":
            self.errors += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_failed": self.files_failed,
            "records": self.records,
            "documents": self.documents,
            "documents_changed": self.documents_changed,
            "missing_field": self.missing_field,
            "errors": self.errors,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 4),
            "mb_per_s": round(self.mb_per_s, 3),
            "jobs": self.jobs,
            "interrupted": self.interrupted,
            "cleaners": {name: stats.as_dict() for name, stats in self.cleaners.items()},
            "problems": [p.as_dict() for p in self.problems],
        }

    def format(self) -> str:
        """A short human-readable account (what the CLI prints at the end)."""
        lines = [
            f"{self.files} file(s){f' ({self.files_failed} skipped)' if self.files_failed else ''}, "
            f"{self.documents:,} document(s), {self.documents_changed:,} changed"
            + (f", {self.missing_field:,} record(s) without the text field" if self.missing_field else ""),
            f"{self.bytes_in / 1e6:,.2f} MB in, {self.bytes_out / 1e6:,.2f} MB out, "
            f"{self.seconds:.2f} s, {self.mb_per_s:,.1f} MB/s, {self.jobs} job(s)",
        ]
        if self.cleaners and self.documents:
            width = max(len(n) for n in self.cleaners)
            lines.append(f"{'cleaner':<{width}}  {'docs changed':>12}  {'chars removed':>13}  {'chars added':>11}")
            for name, s in self.cleaners.items():
                lines.append(
                    f"{name:<{width}}  {s.documents_changed:>12,}  {s.chars_removed:>13,}  {s.chars_added:>11,}"
                )
        if self.errors:
            lines.append(f"{self.errors:,} error(s)")
        if self.interrupted:
            lines.append("interrupted: outputs of unfinished files were not written")
        return "\n".join(lines)


# -- the worker side ----------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    mode: str
    fields: tuple[str, ...]
    on_error: str
    encoding: str
    errors: str
    context: int = 3


@dataclass
class _Result:
    out: bytes | None  # None: identical to the input bytes, or in the task's shared slot (``shared`` >= 0)
    identical: bool
    nbytes: int
    shared: int = -1  # length of the output stored in the task's shared slot; -1: none
    lines: int = 0
    records: int = 0
    documents: int = 0
    changed: int = 0
    missing: int = 0
    stats: list[list[int]] = field(default_factory=list)
    errors: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    report: str = ""
    fatal: str | None = None
    fatal_line: int = 0
    fail: bool = False


class _Worker:
    """Cleans documents with per-cleaner counting; one per process."""

    def __init__(self, pipeline: Pipeline, settings: _Settings, slots: SharedSlots | None = None) -> None:
        self.pipeline = pipeline
        self.cleaners = pipeline.cleaners
        self.settings = settings
        self.slots = slots
        self._utf8_family = settings.encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
        self._utf8 = self._utf8_family and settings.errors == "strict"
        self._fd: int | None = None
        self._fd_path: str | None = None
        self._reset("")

    def _reset(self, label: str, format: str = "") -> None:
        self.label = label
        self.format = format
        self.failure: tuple[str, str] | None = None
        self.documents = 0
        self.changed = 0
        self.stats = [[0, 0, 0] for _ in self.cleaners]
        self.errors: list[tuple[int | None, str | None, str]] = []
        self.report: list[str] = []

    # one document
    def clean_doc(self, text: str, line: int | None, field_name: str | None) -> str | None:
        self.documents += 1
        original = text
        mode = self.settings.mode
        if mode == "explain":
            try:
                explanation = self.pipeline.explain(text)
            except Exception as exc:
                return self._failed(exc, line, field_name, original)
            for stats, rep in zip(self.stats, explanation.reports, strict=False):
                if rep.changed:
                    stats[0] += 1
                    stats[1] += rep.chars_removed
                    stats[2] += rep.chars_added
            text = explanation.text
            if explanation.changed:
                self.report.append(_format_explanation(self._where(line, field_name), explanation))
        else:
            touched: list[tuple[int, int]] = []
            try:
                text = self.pipeline.clean(
                    text, observe=lambda index, before, after: touched.append((index, len(before) - len(after)))
                )
            except Exception as exc:
                return self._failed(exc, line, field_name, original)
            if touched:
                seen = set()
                for index, delta in touched:
                    stats = self.stats[index]
                    if index not in seen:
                        seen.add(index)
                        stats[0] += 1
                    if delta > 0:
                        stats[1] += delta
                    else:
                        stats[2] -= delta
            if mode == "diff" and text != original:
                self.report.append(_unified_diff(original, text, self._where(line, field_name), self.settings.context))
        if text is not original and text != original:
            self.changed += 1
        return text

    def _where(self, line: int | None, field_name: str | None) -> str:
        where = self.label if line is None or self.format == "txt" else f"{self.label}:{line}"
        return f"{where} [{field_name}]" if field_name else where

    def _failed(
        self, exc: Exception, line: int | None, field_name: str | None, original: str, cleaner: str | None = None
    ) -> str | None:
        name = getattr(exc, "cleaner", cleaner) or "?"
        error = getattr(exc, "error", exc)
        where = f" (field {field_name!r})" if field_name else ""
        consequence = {"keep": "document kept unchanged", "skip": "record skipped", "fail": "stopping"}
        self.errors.append((line, field_name, f"cleaner {name!r} failed{where}: {type(error).__name__}: {error}; "
                            + consequence[self.settings.on_error]))
        if self.settings.on_error == "fail":
            self.failure = (name, f"{type(error).__name__}: {error}")
            raise FailRun
        if self.settings.on_error == "skip":
            return None
        return original

    # a batch of records or texts (clean_records / clean_texts)
    def records(self, batch: list[tuple[int, Any]]) -> _RecordsResult:
        """Clean ``(index, record)`` pairs; a dropped record (``skip`` policy) comes back as ``None``."""
        self._reset("<records>", "records")
        try:
            return self._records(batch), self.stats, self.errors, None
        except FailRun:
            return [], self.stats, self.errors, self.failure

    def _records(self, batch: list[tuple[int, Any]]) -> list[Any]:
        out: list[Any] = []
        fields = self.settings.fields
        for index, record in batch:
            if isinstance(record, str):
                out.append(self.clean_doc(record, index, None))
                continue
            cleaned = None
            dropped = False
            for name in fields:
                value = record.get(name)
                if type(value) is str:
                    new = self.clean_doc(value, index, name)
                    if new is None:
                        dropped = True
                        break
                    if new is not value and new != value:
                        if cleaned is None:
                            cleaned = dict(record)
                        cleaned[name] = new
            out.append(None if dropped else record if cleaned is None else cleaned)
        return out

    # one chunk
    def _read(self, task: _Task) -> bytes:
        if task.data is not None:
            return task.data
        assert task.path is not None
        if self._fd_path != task.path:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._fd = os.open(task.path, os.O_RDONLY)
            self._fd_path = task.path
        return _pread(self._fd, task.length, task.offset)

    def process(self, task: _Task) -> _Result:
        s = self.settings
        self._reset(task.label, task.format)
        try:
            data = self._read(task)
        except OSError as exc:
            return _Result(None, False, task.length, fatal=f"cannot read: {_reason(exc)}; skipped")
        lines = data.count(b"\n") if task.relative else 0
        prefix = b""
        body = data
        if task.first and task.path is not None and self._utf8_family and data.startswith(BOM):
            prefix, body = BOM, data[len(BOM):]
        try:
            text = body.decode(s.encoding, s.errors)
        except UnicodeDecodeError as exc:
            offset = task.offset + len(prefix) + exc.start
            line = task.first_line + body.count(b"\n", 0, exc.start)
            return _Result(None, False, len(data), lines=lines, fatal=(
                f"invalid {s.encoding} at byte {offset} (line {{line}}): {exc.reason}; file skipped "
                "(choose the right encoding, or replace invalid bytes)"), fatal_line=line)
        if task.first and "\x00" in (text if task.format == "txt" else text[:8192]):
            return _Result(None, False, len(data), lines=lines, fatal="binary file (contains NUL bytes); skipped")
        fail = False
        try:
            if task.format == "txt":
                output = txt_chunk(text, task.first_line, self.clean_doc)
            elif task.format == "jsonl":
                output = jsonl_chunk(text, task.first_line, self.clean_doc, s.fields, s.on_error)
            else:
                assert task.layout is not None
                output = csv_chunk(text, task.first_line, self.clean_doc, task.layout, s.on_error)
        except FailRun as exc:
            fail = True
            output = ChunkOutput([], errors=list(exc.args))
        errors = self.errors + [(line, None, msg) for line, msg in output.errors]
        errors.sort(key=lambda e: e[0] or 0)
        out: bytes | None
        if not output.modified and self._utf8:
            out, identical = None, True  # the caller already has (or can read) these bytes
        else:
            joined = "".join(output.parts)
            try:
                out = prefix + joined.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates (e.g. from JSON escapes): keep them as escapes
                out = prefix + joined.encode("utf-8", "backslashreplace")
            identical = out == data
            if identical:
                out = None
        shared = -1
        if out is not None and self.slots is not None and self.slots.store(task.slot, out):
            out, shared = None, len(out)
        return _Result(
            out,
            identical,
            len(data),
            shared=shared,
            lines=lines,
            records=output.records,
            documents=self.documents,
            changed=self.changed,
            missing=output.missing,
            stats=self.stats,
            errors=errors,
            report="".join(self.report),
            fail=fail,
        )


def _pread(fd: int, length: int, offset: int) -> bytes:
    parts = []
    while length > 0:
        part = os.pread(fd, length, offset)
        if not part:
            break
        parts.append(part)
        length -= len(part)
        offset += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


@dataclass
class _Task:
    """One chunk of one input: its bytes, or where to read them (``path``, ``offset``, ``length``)."""

    format: str
    data: bytes | None
    offset: int
    length: int
    first_line: int
    label: str
    first: bool = False
    layout: CsvLayout | None = None
    path: str | None = None
    relative: bool = False  # first_line is 1 and the caller adds the lines before this chunk
    slot: int = -1  # the shared output slot given to this task (see newsclean.slots); -1: none


_WORKER: _Worker | None = None


def _init_worker(pipeline: Pipeline, settings: _Settings, slots: SharedSlots | None = None) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER = _Worker(pipeline, settings, slots)


def _work(task: _Task) -> _Result:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.process(task)


def _work_records(batch: list[Any]) -> _RecordsResult:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.records(batch)


_RecordsResult = tuple[list[Any], list[list[int]], list[tuple[int | None, str | None, str]], "tuple[str, str] | None"]


def _unified_diff(before: str, after: str, where: str, context: int) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{where}", f"b/{where}", n=context
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _short(text: str, limit: int = 60) -> str:
    shown = repr(text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :])
    return shown


def _format_explanation(where: str, explanation: Any, limit: int = 10) -> str:
    lines = [f"{where}"]
    for rep in explanation.reports:
        if not rep.changed:
            continue
        cats = {k: v for k, v in rep.categories.items() if k != rep.name}
        extra = f" ({', '.join(f'{k}: {v}' for k, v in sorted(cats.items()))})" if cats else ""
        lines.append(f"  {rep.name}: {rep.edits} edit(s), -{rep.chars_removed}/+{rep.chars_added} chars{extra}")
        for change in rep.changes[:limit]:
            cat = f" [{change.category}]" if change.category != rep.name else ""
            lines.append(f"    at {change.start}: {_short(change.removed)} -> {_short(change.inserted)}{cat}")
        if rep.edits > limit:
            lines.append(f"    … {rep.edits - limit} more")
    return "\n".join(lines) + "\n"


# -- the calling side ---------------------------------------------------------------


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


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
        self.stream.write(data)

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
                context = multiprocessing.get_context()
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
        raw = open(inp.path, "rb")
    return open_compressed_reader(raw, inp.compression)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


def clean_files(
    paths: Sequence[str | os.PathLike[str]],
    pipeline: Pipeline | None = None,
    *,
    output: str | os.PathLike[str] | IO[bytes] | None = None,
    in_place: bool = False,
    backup: str | None = None,
    format: str | None = None,
    fields: Sequence[str] = ("text",),
    columns: Sequence[str] | None = None,
    delimiter: str | None = None,
    jobs: int | None = None,
    on_error: str = "keep",
    encoding: str = "utf-8",
    errors: str = "strict",
    max_doc_size: int = DEFAULT_MAX_DOC_SIZE,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mode: str = "clean",
    context: int = 3,
    report: TextIO | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    progress: bool = False,
    stdin: IO[bytes] | None = None,
) -> RunSummary:
    """Clean files (or standard input) and write the results; return a :class:`RunSummary`.

    ``paths``: files, folders (walked recursively), glob patterns, ``"-"`` for
    ``stdin`` (the default when empty).  ``output``: ``None`` writes to
    standard output (a single input only); a binary stream receives every
    output, concatenated; a folder path receives a mirror of the input tree.
    ``in_place=True`` replaces each input atomically (``backup`` is a suffix
    for a copy of the original; files nothing changed are left untouched).
    ``format`` forces ``txt``, ``jsonl``, ``csv`` or ``tsv`` (default: by
    extension).  ``fields`` are the JSONL keys to clean and ``columns`` the
    CSV/TSV header names (or 0-based indices; default: ``fields``).
    ``jobs``: worker processes (``None``: every core, or 1 for inputs under
    2 MB).  ``mode="diff"`` or ``"explain"`` writes nothing and sends a
    unified diff, or the per-cleaner edits, of each changed document to
    ``report`` (default ``sys.stdout``).  Problems are passed to
    ``on_problem`` as they happen and collected in the summary.

    Raises :class:`UsageError` (a ``ValueError``) for impossible requests:
    several inputs to one stream, writing onto an input without
    ``in_place``, an output folder inside an input folder, …
    """
    pipeline = pipeline if pipeline is not None else Pipeline.default()
    _check_choice("on_error", on_error, ON_ERROR)
    _check_choice("errors", errors, DECODE_ERRORS)
    _check_choice("mode", mode, MODES)
    if format is not None:
        _check_choice("format", format, FORMATS)
    try:
        "x".encode(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    if max_doc_size <= 0 or chunk_size <= 0:
        raise UsageError("max_doc_size and chunk_size must be positive")
    fields = tuple(fields)
    if not fields:
        raise UsageError("give at least one field to clean")
    columns = tuple(columns) if columns else fields
    if delimiter is not None and len(delimiter) != 1:
        raise UsageError(f"a delimiter is one character, got {delimiter!r}")

    inputs, path_problems, folders = discover([os.fspath(p) for p in paths], format)
    summary_problems = [Problem(p.path, p.message) for p in path_problems]
    if not _ascii_compatible(encoding) and any(i.format != "txt" for i in inputs):
        raise UsageError(f"encoding {encoding!r} is not ASCII-compatible; only plain-text files can use it")

    writing = mode == "clean"
    if not writing and (in_place or (output is not None and not hasattr(output, "write"))):
        raise UsageError(f"--{mode} writes nothing; do not combine it with an output folder or in-place")
    if in_place and output is not None:
        raise UsageError("choose either an output folder or in-place, not both")
    if backup is not None and not in_place:
        raise UsageError("a backup suffix only makes sense with in-place")
    if backup is not None and (not backup or "/" in backup or os.sep in backup):
        raise UsageError(f"invalid backup suffix {backup!r}")

    sinks: list[tuple[InputFile, _Sink]] = []
    if not writing:
        sinks = [(inp, _NullSink()) for inp in inputs]
    elif in_place:
        if any(inp.is_stdin for inp in inputs):
            raise UsageError("cannot clean standard input in place")
        for inp in inputs:
            assert inp.path is not None
            real = Path(os.path.realpath(inp.path))  # replace a symlink's target, not the link
            bpath = real.with_name(real.name + backup) if backup else None
            sinks.append((inp, _FileSink(real, inp.compression, in_place=True, backup=bpath)))
    elif output is None or hasattr(output, "write"):
        if output is None and len(inputs) + len(path_problems) > 1:
            raise UsageError("several inputs: give an output folder (-o DIR) or clean them in place (--in-place)")
        stream: IO[bytes] = output if output is not None else sys.stdout.buffer  # type: ignore[assignment]
        sinks = [(inp, _StreamSink(stream)) for inp in inputs]
    else:
        out_dir = Path(os.fspath(output))  # type: ignore[arg-type]
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"output {out_dir} exists and is not a folder")
        if any(inp.is_stdin for inp in inputs):
            raise UsageError("standard input goes to standard output; do not give an output folder")
        real_out = Path(os.path.realpath(out_dir))
        for folder in folders:
            real_in = Path(os.path.realpath(folder))
            if real_out == real_in or real_in in real_out.parents:
                raise UsageError(
                    f"output folder {out_dir} is inside input folder {folder}: a later run would clean its own "
                    "output; choose a folder outside the inputs"
                )
        input_paths = {os.path.realpath(inp.path) for inp in inputs if inp.path is not None}
        seen: dict[str, InputFile] = {}
        for inp in inputs:
            dest = out_dir / inp.relpath
            key = os.path.realpath(dest)
            if key in input_paths:
                raise UsageError(f"{dest} is an input; refusing to overwrite it (use --in-place to replace inputs)")
            if key in seen:
                raise UsageError(f"{seen[key].label} and {inp.label} would both be written to {dest}")
            seen[key] = inp
            sinks.append((inp, _FileSink(dest, inp.compression, in_place=False, backup=None)))

    if jobs is None:
        known = [inp.path.stat().st_size for inp in inputs if inp.path is not None and inp.path.is_file()]
        small = len(known) == len(inputs) and sum(known) < _AUTO_PARALLEL_BYTES
        jobs = 1 if small else default_jobs()
    if jobs < 1:
        raise UsageError(f"jobs must be 1 or more, got {jobs}")
    total: int | None = None
    if progress and all(inp.path is not None and inp.compression is None for inp in inputs):
        with contextlib.suppress(OSError):
            total = sum(inp.path.stat().st_size for inp in inputs if inp.path is not None)

    settings = _Settings(mode, fields, on_error, encoding, errors, context)
    run = _Run(
        pipeline, settings, jobs=jobs, chunk_size=chunk_size, max_doc_size=max_doc_size, columns=columns,
        delimiter=delimiter, on_problem=on_problem, report=report if report is not None else sys.stdout,
        progress=progress, total_bytes=total,
    )
    if not inputs and not path_problems:
        summary_problems.append(Problem(", ".join(map(os.fspath, paths)), "no input files found", level="warning"))
    for problem in summary_problems:
        run.summary.add_problem(problem)
        if on_problem is not None:
            on_problem(problem)
    started = time.perf_counter()
    states: list[_FileState] = []
    cancel = True
    try:
        run.start()
        for inp, sink in sinks:
            state = _FileState(inp, sink)
            states.append(state)
            try:
                stream = _open_input(inp, stdin)
            except _READ_ERRORS as exc:
                run.fail_file(state, f"cannot read: {_reason(exc)}; skipped")
                run.end_file(state)
                continue
            try:
                run.feed(state, stream)
            except RecordTooLarge as exc:
                what = (
                    "plain-text document" if inp.format == "txt"
                    else f"record at line {exc.line}" if exc.line else f"a record after byte {exc.offset}"
                )
                run.fail_file(state, f"{what} is larger than the {exc.limit:,}-byte limit (max_doc_size); "
                              "file skipped: split it, or raise the limit")
            except _READ_ERRORS as exc:
                run.fail_file(state, f"cannot read: {_reason(exc)}; skipped")
            finally:
                if inp.path is not None:
                    with contextlib.suppress(Exception):
                        stream.close()
            run.end_file(state)
            # keep only the states still in flight
            if len(states) > 4 * run.window:
                states = [s for s in states if not s.done]
        run.drain()
        cancel = False
    except _Stop:
        run.summary.interrupted = False
        run.abort_all(states)
    except BaseException:
        run.summary.interrupted = True
        run.abort_all(states)
        raise
    finally:
        run.stop(cancel)
        run.summary.seconds = time.perf_counter() - started
    return run.summary


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[0].isupper() and exc.strerror[1:2].islower() else exc.strerror
    return str(exc) or type(exc).__name__


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "\n\"{,\t".encode(encoding) == b"\n\"{,\t"
    except (LookupError, UnicodeError):
        return False


# -- records in Python --------------------------------------------------------------


def clean_records(
    records: Iterable[Mapping[str, Any]],
    pipeline: Pipeline | None = None,
    *,
    fields: Sequence[str] = ("text",),
    jobs: int = 1,
    on_error: str = "keep",
    batch_size: int = 500,
    summary: RunSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Mapping[str, Any]]:
    """Clean the string ``fields`` of each mapping, lazily and in order.

    A record that nothing changed is yielded as the same object; a changed one
    as a new ``dict`` with the other keys untouched.  Records lacking a field
    pass through.  A cleaner that raises is handled by ``on_error``
    (``"keep"``: record unchanged, ``"skip"``: dropped, ``"fail"``: raises
    :class:`~newsclean.errors.CleanerError`).  ``jobs > 1`` cleans batches of
    ``batch_size`` records in worker processes (records must pickle).
    Pass a :class:`RunSummary` to collect counts and problems.
    """
    yield from _clean_items(records, pipeline, fields=tuple(fields), jobs=jobs, on_error=on_error,
                            batch_size=batch_size, summary=summary, on_problem=on_problem)


def clean_texts(
    texts: Iterable[str],
    pipeline: Pipeline | None = None,
    *,
    jobs: int = 1,
    on_error: str = "keep",
    batch_size: int = 500,
    summary: RunSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[str]:
    """Clean each text, lazily and in order, optionally in ``jobs`` worker processes (see :func:`clean_records`)."""
    yield from _clean_items(texts, pipeline, fields=("text",), jobs=jobs, on_error=on_error,  # type: ignore[misc]
                            batch_size=batch_size, summary=summary, on_problem=on_problem)


def _clean_items(
    items: Iterable[Any],
    pipeline: Pipeline | None,
    *,
    fields: tuple[str, ...],
    jobs: int,
    on_error: str,
    batch_size: int,
    summary: RunSummary | None,
    on_problem: Callable[[Problem], None] | None,
) -> Iterator[Any]:
    from .errors import CleanerError

    _check_choice("on_error", on_error, ON_ERROR)
    if jobs < 1 or batch_size < 1:
        raise UsageError("jobs and batch_size must be 1 or more")
    pipeline = pipeline if pipeline is not None else Pipeline.default()
    settings = _Settings("clean", fields, on_error, "utf-8", "strict")
    summary = summary if summary is not None else RunSummary()
    summary.jobs = jobs
    for name in pipeline.names:
        summary.cleaners.setdefault(name, CleanerStats())
    started = time.perf_counter()

    def batches() -> Iterator[list[tuple[int, Any]]]:
        batch: list[tuple[int, Any]] = []
        for index, item in enumerate(items):
            batch.append((index, item))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def absorb(batch: list[tuple[int, Any]], result: _RecordsResult) -> Iterator[Any]:
        out, stats, errors, failure = result
        for cs, (changed, removed, added) in zip(summary.cleaners.values(), stats, strict=False):
            cs.documents_changed += changed
            cs.chars_removed += removed
            cs.chars_added += added
        for line, field_name, message in errors:
            problem = Problem("<records>", message, line, field_name)
            summary.add_problem(problem)
            if on_problem is not None:
                on_problem(problem)
        if failure is not None:
            raise CleanerError(failure[0], RuntimeError(failure[1]))
        summary.records += len(batch)
        for (_, before), after in zip(batch, out, strict=True):
            if after is None:  # dropped under on_error="skip"
                continue
            summary.documents += 1
            if after is not before:
                summary.documents_changed += 1
            yield after

    try:
        if jobs == 1:
            worker = _Worker(pipeline, settings)
            for batch in batches():
                yield from absorb(batch, worker.records(batch))
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                     initargs=(pipeline, settings)) as pool:
                pending: deque[tuple[list[tuple[int, Any]], Future[Any]]] = deque()
                for batch in batches():
                    pending.append((batch, pool.submit(_work_records, batch)))
                    if len(pending) > 2 * jobs:
                        done_batch, fut = pending.popleft()
                        yield from absorb(done_batch, fut.result())
                while pending:
                    done_batch, fut = pending.popleft()
                    yield from absorb(done_batch, fut.result())
    finally:
        summary.seconds += time.perf_counter() - started



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
                raise RecordTooLarge(boundary, 0, max_record)
            if newline >= 0:
                break
        yield start, end
        start = end
