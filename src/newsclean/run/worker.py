"""What a worker does: clean one task of a file run, or one batch of records.

A :class:`Worker` holds the pipeline, built once per worker process, and counts per cleaner
the documents it changed and the characters it removed and added (net, per document) and, in
``diff`` and ``explain`` modes or when asked for (``Settings.categories``), its changes per
category; in ``diff`` and ``explain`` modes it also renders a report of each changed document
(:mod:`newsclean.render`).  :meth:`Worker.process` turns a
:class:`~newsclean.run.tasks.Task` into a :class:`~newsclean.run.tasks.Result`;
:meth:`Worker.records` cleans a batch for :func:`~newsclean.run.clean_records`.  Every
executor runs tasks through a :class:`Worker`: in the calling process (``inline``) or in
worker processes (``processes``, ``dask``, ``ray``), which build theirs once with
:func:`worker_for`.

:meth:`Worker.clean_doc` is the one place where a document meets the pipeline.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
from collections.abc import Callable, MutableSequence
from pathlib import Path
from typing import Any

from ..io.codecs import KEEP_BYTES, ChunkOutput, FailRun, csv_chunk, decode_records, jsonl_chunk, txt_chunk
from ..io.discovery import InputFile
from ..io.formats import open_compressed_reader, wrap_compressed_writer
from ..io.readers import BOM, MalformedInput, RecordTooLarge
from ..io.sniffing import binary_kind
from ..pipeline import Pipeline
from ..render import format_diff, format_document
from ..render.records import document_record, encode_tail, failure_record
from .plan import READ_ERRORS, FileFailure, Notice, Planner, failure_message
from .plan import reason as _reason
from .tasks import Counts, Emit, Result, Settings, Task, add_counts, new_counts, pread
from .timeouts import CLEANER, DocumentTimeout, Watchdog


class Worker:
    """Cleans documents with per-cleaner counting; one per process."""

    def __init__(self, pipeline: Pipeline, settings: Settings, status: MutableSequence[float] | None = None,
                 row: int = 0) -> None:
        self.pipeline = pipeline
        self.cleaners = pipeline.cleaners
        self.settings = settings
        self._utf8_family = settings.encoding.lower().replace("_", "-") in {"utf-8", "utf8"}
        self._utf8 = self._utf8_family and settings.errors == "strict"
        self._fd: int | None = None
        self._fd_path: str | None = None
        #: the per-document time limit (None: no limit); ``status``: where a process pool's parent watches it
        self.watch = Watchdog(settings.doc_timeout, status, row) if settings.doc_timeout else None
        self.ordinal = 0  # documents begun in the current task (their ordinals: see Task.given_up)
        self.given_up: dict[int, str] = {}
        self._reset("")

    def _reset(self, label: str, format: str = "") -> None:
        self.label = label
        self.format = format
        self.failure: tuple[str, str] | None = None
        self.documents = 0
        self.changed = 0
        self.stats = new_counts(len(self.cleaners))
        self.errors: list[tuple[int | None, str | None, str]] = []
        self.report: list[str] = []
        self.traces: list[tuple[int | None, bytes]] = []

    # one document
    def clean_doc(self, text: str, line: int | None, field_name: str | None) -> str | None:
        self.documents += 1
        original = text
        settings = self.settings
        mode = settings.mode
        watch = self.watch
        if watch is not None:
            ordinal = self.ordinal
            self.ordinal += 1
            if ordinal in self.given_up:  # it stopped an earlier attempt at this task: not again
                return self._report(self.given_up[ordinal], line, field_name, original)
            watch.begin(ordinal)
        if mode != "clean" or settings.categories or settings.trace:
            try:
                trace = self.pipeline.trace(text) if mode != "clean" or settings.trace else None
                explanation = self.pipeline.explain(text) if trace is None else trace.explanation
                if watch is not None and (took := watch.end()):
                    raise DocumentTimeout(watch.seconds, took)
            except (Exception, DocumentTimeout) as exc:
                return self._failed(exc, line, field_name, original)
            for stats, rep in zip(self.stats, explanation.reports, strict=False):
                if rep.changed:
                    stats[0] += 1
                    stats[1] += rep.chars_removed
                    stats[2] += rep.chars_added
                    counts = stats[3]
                    for category, count in rep.categories.items():
                        counts[category] = counts.get(category, 0) + count
            text = explanation.text
            if settings.trace:
                self.traces.append((self._line(line), encode_tail(document_record(trace, field_name))))
            if mode != "clean" and trace.changed:
                where = self._where(line, field_name)
                self.report.append(
                    format_document(trace, where, color=settings.color)
                    if mode == "explain"
                    else format_diff(trace, where, context=settings.context, color=settings.color)
                )
        else:
            touched: list[tuple[int, int]] = []

            def observe(index: int, before: str, after: str) -> None:
                touched.append((index, len(before) - len(after)))

            try:
                if watch is None or watch.status is None:
                    text = self.pipeline.clean(text, observe=observe)
                else:
                    publish = (watch.status, watch.base + CLEANER)
                    text = self.pipeline._schedule(
                        text, functools.partial(self.pipeline._run_observed, observe, publish=publish)
                    )
                if watch is not None and (took := watch.end()):
                    raise DocumentTimeout(watch.seconds, took)
            except (Exception, DocumentTimeout) as exc:
                return self._failed(exc, line, field_name, original)
            if touched:
                net: dict[int, int] = {}  # per cleaner and document, as explain mode counts it
                for index, delta in touched:
                    net[index] = net.get(index, 0) + delta
                for index, delta in net.items():
                    stats = self.stats[index]
                    stats[0] += 1
                    if delta > 0:
                        stats[1] += delta
                    else:
                        stats[2] -= delta
        if text is not original and text != original:
            self.changed += 1
        return text

    def _line(self, line: int | None) -> int | None:
        """The line (or Parquet row) that names a document: none for a plain-text file, a document itself."""
        return None if self.format == "txt" else line

    def _where(self, line: int | None, field_name: str | None) -> str:
        line = self._line(line)
        where = self.label if line is None else f"{self.label}:{line}"
        return f"{where} [{field_name}]" if field_name else where

    def _failed(self, exc: BaseException, line: int | None, field_name: str | None, original: str) -> str | None:
        watch = self.watch
        if watch is not None:
            watch.end()
        name = getattr(exc, "cleaner", None) or "?"
        error = getattr(exc, "error", exc)
        where = f" (field {field_name!r})" if field_name else ""
        if isinstance(error, DocumentTimeout):
            what = f"cleaner {name!r} {error}{where}" if name != "?" else f"the document {error}{where}"
        else:
            what = f"cleaner {name!r} failed{where}: {type(error).__name__}: {error}"
        return self._report(what, line, field_name, original, name, f"{type(error).__name__}: {error}")

    def _report(self, what: str, line: int | None, field_name: str | None, original: str, name: str = "?",
                error: str = "") -> str | None:
        """Report a document that could not be cleaned (``what`` happened) and apply the ``on_error`` policy."""
        if field_name and f"(field {field_name!r})" not in what:
            head, sep, tail = what.partition("; ")
            what = f"{head} (field {field_name!r}){sep}{tail}"
        policy = self.settings.on_error
        consequence = {"keep": "document kept unchanged", "skip": "record skipped", "fail": "stopping"}[policy]
        message = f"{what}; {consequence}"
        self.errors.append((line, field_name, message))
        if self.settings.trace:
            record = failure_record(len(original), policy == "keep", message, field_name)
            self.traces.append((self._line(line), encode_tail(record)))
        if policy == "fail":
            self.failure = (name, error or what)
            raise FailRun
        if policy == "skip":
            return None
        return original

    # a batch of records or texts (clean_records / clean_texts)
    def records(self, batch: list[tuple[int, Any]]) -> RecordsResult:
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
    def _read(self, task: Task) -> bytes:
        if task.data is not None:
            return task.data
        assert task.path is not None
        if self._fd_path != task.path:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            self._fd = os.open(task.path, os.O_RDONLY)
            self._fd_path = task.path
        return pread(self._fd, task.length, task.offset)

    def process(self, task: Task) -> Result:
        """Clean ``task`` (with the per-document time limit, if any, watching)."""
        watch = self.watch
        if watch is None:
            return self._process(task)
        if not watch.armed:  # a new task, not a chunk of a shard
            self.ordinal = 0
            self.given_up = dict(task.given_up)
        watch.arm()
        try:
            return self._process(task)
        finally:
            watch.disarm()

    def _process(self, task: Task) -> Result:
        s = self.settings
        self._reset(task.label, task.format)
        if task.row_groups is not None:
            return self._process_parquet(task)
        if task.compression is not None:
            return self._process_shard(task)
        try:
            data = self._read(task)
        except OSError as exc:
            return Result(None, False, task.length, fatal=f"cannot read: {_reason(exc)}; skipped")
        lines = data.count(b"\n") if task.relative else 0
        prefix = b""
        body = data
        if task.first and task.path is not None and self._utf8_family and data.startswith(BOM):
            prefix, body = BOM, data[len(BOM):]
        undecodable = None
        try:
            text = body.decode(s.encoding, s.errors)
        except UnicodeDecodeError as exc:
            kind = binary_kind(body[:8192]) if task.first else None
            if kind is not None and (task.format == "txt" or kind != "contains NUL bytes"):
                return Result(None, False, len(data), lines=lines, fatal=f"binary file ({kind}); skipped")
            if task.format == "txt":
                offset = task.offset + len(prefix) + exc.start
                line = task.first_line + body.count(b"\n", 0, exc.start)
                return Result(None, False, len(data), lines=lines, fatal=(
                    f"invalid {s.encoding} at byte {offset} (line {{line}}): {exc.reason}; file skipped "
                    "(choose the right encoding, or replace invalid bytes)"), fatal_line=line)
            # JSONL, CSV: each record that does not decode is a record problem (--on-error)
            text, undecodable = decode_records(body, s.encoding, task.offset + len(prefix))
        if task.first and task.format == "txt" and "\x00" in text:  # (in records, a NUL is the record's problem)
            return Result(None, False, len(data), lines=lines, fatal="binary file (contains NUL bytes); skipped")
        fail = False
        try:
            if task.format == "txt":
                output = txt_chunk(text, task.first_line, self.clean_doc)
            elif task.format == "jsonl":
                output = jsonl_chunk(text, task.first_line, self.clean_doc, s.fields, s.on_error, undecodable)
            else:
                assert task.layout is not None
                output = csv_chunk(text, task.first_line, self.clean_doc, task.layout, s.on_error, undecodable)
        except FailRun as exc:
            fail = True
            output = ChunkOutput([], errors=list(exc.args))
        out: bytes | None
        if not output.modified and self._utf8:
            out, identical = None, True  # the caller already has (or can read) these bytes
        else:
            joined = "".join(output.parts)
            try:
                out = prefix + joined.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates (e.g. from JSON escapes): keep them as escapes
                out = prefix + joined.encode("utf-8", "backslashreplace" if undecodable is None else KEEP_BYTES)
            identical = out == data
            if identical:
                out = None
        return self._result(out, identical, len(data), output.records, output.missing, output.errors, lines=lines,
                            fail=fail, found_fields=output.found_fields)

    def _process_parquet(self, task: Task) -> Result:
        from ..io.parquet import clean_row_groups

        assert task.path is not None and task.row_groups is not None
        try:
            output = clean_row_groups(task.path, *task.row_groups, task.first_line, task.columns, self.clean_doc)
        except FailRun:
            output = None
        except (OSError, ValueError, TypeError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            return Result(None, False, task.length, fatal=f"cannot read: {_reason(exc)}; skipped")
        # a row group is cleaned column by column; trace records go row by row, as JSONL's do
        self.traces.sort(key=_row)
        if output is None:
            return self._result(b"", False, task.length, 0, 0, [], fail=True)
        return self._result(output.data, not output.modified, task.length, output.records, output.missing,
                            output.errors)

    def _process_shard(self, task: Task) -> Result:
        """A compressed file, whole: read and split it as the calling process would, clean each chunk,
        and compress the output (so that only compressed bytes travel back)."""
        assert task.path is not None and task.read is not None
        planner = Planner(self.settings, task.read, workers=0)
        inp = InputFile(Path(task.label), "", task.format, task.compression)
        total = Result(None, True, 0, stats=new_counts(len(self.cleaners)))
        buffer = io.BytesIO()
        name = os.path.basename(task.path).rsplit(".", 1)[0]
        sink = wrap_compressed_writer(buffer, task.output_compression, name)  # type: ignore[arg-type]
        try:
            with open(task.path, "rb") as raw:
                for item in planner.plan(inp, open_compressed_reader(raw, task.compression)):
                    if isinstance(item, Notice):
                        if item.level == "error":
                            total.errors.append((item.line, None, item.message))
                        else:
                            total.notices.append((item.line, item.message))
                        continue
                    if isinstance(item, FileFailure):
                        total.fatal = item.message
                        break
                    if isinstance(item, Emit):
                        out, raw_bytes, part = item.out, item.raw, None
                    else:
                        part = self.process(item)
                        raw_bytes = item.data or b""
                        out = raw_bytes if part.out is None else part.out
                    _add(total, part, len(raw_bytes))
                    total.identical = total.identical and out == raw_bytes
                    if part is not None and (part.fatal or part.fail):
                        break
                    sink.write(out)  # type: ignore[arg-type]
                    total.plain += len(out)
        except (RecordTooLarge, MalformedInput, *READ_ERRORS) as exc:
            total.fatal = failure_message(task.format, exc)
        if total.fatal is not None:
            return total
        if sink is not buffer:
            sink.close()
        total.out, total.compressed = buffer.getvalue(), task.output_compression is not None
        return total

    def _result(self, out: bytes | None, identical: bool, nbytes: int, records: int, missing: int,
                errors: list[tuple[int, str]], *, lines: int = 0, fail: bool = False,
                found_fields: set[str] | None = None) -> Result:
        """The task's result, with this task's counts, statistics, problems (in line order) and report."""
        found = self.errors + [(line, None, msg) for line, msg in errors]
        found.sort(key=lambda e: e[0] or 0)
        return Result(out, identical, nbytes, lines=lines, records=records, documents=self.documents,
                      changed=self.changed, missing=missing, stats=self.stats, errors=found,
                      report="".join(self.report), traces=self.traces, fail=fail,
                      found_fields=sorted(found_fields or ()))


def _row(trace: tuple[int | None, bytes]) -> int:
    return trace[0] or 0


def _add(total: Result, part: Result | None, nbytes: int) -> None:
    """Add one chunk's result to a shard's."""
    total.nbytes += nbytes
    if part is None:
        return
    total.records += part.records
    total.documents += part.documents
    total.changed += part.changed
    total.missing += part.missing
    total.found_fields = sorted({*total.found_fields, *part.found_fields})
    total.errors.extend(part.errors)
    total.report += part.report
    total.traces.extend(part.traces)
    total.fail = total.fail or part.fail
    if part.fatal:
        total.fatal = part.fatal.replace("{line}", str(part.fatal_line))
    add_counts(total.stats, part.stats)


_current: tuple[str, Worker] | None = None


def install(key: str, pipeline: Pipeline, settings: Settings, status: MutableSequence[float] | None = None,
            row: int = 0) -> Worker:
    """Build this process's worker for the run ``key`` (a process keeps one: the latest run's); ``status`` and
    ``row``: where it publishes what it is cleaning for a parent process to watch (:class:`Watchdog`)."""
    global _current
    worker = Worker(pipeline, settings, status, row)
    _current = (key, worker)
    return worker


def worker_for(key: str, job: bytes | Callable[[], bytes] | None = None) -> Worker:
    """This process's worker for the run ``key``; built on first use from ``job``, the pickled
    ``(pipeline, settings)`` or a function that fetches them (so a pipeline is fetched and
    unpickled once per process, not once per task)."""
    if _current is not None and _current[0] == key:
        return _current[1]
    if job is None:
        raise RuntimeError(f"no worker for run {key!r} in this process")
    pipeline, settings = pickle.loads(job if isinstance(job, bytes) else job())
    return install(key, pipeline, settings)


RecordsResult = tuple[list[Any], list[Counts], list[tuple[int | None, str | None, str]], "tuple[str, str] | None"]


