"""What runs inside a worker process: cleaning one chunk of a file, or one batch of records.

A :class:`_Worker` holds the pipeline, built once per process, and counts per cleaner the
documents it changed and the characters it removed and added; in ``diff`` and ``explain``
modes it also formats a report of each changed document.  A chunk arrives as a :class:`_Task`
(its bytes, or the byte range of a file for the worker to read itself) and goes back as a
:class:`_Result`, its output possibly in a shared memory slot (:mod:`newsclean.slots`).

:func:`_init_worker` is the ``ProcessPoolExecutor`` initializer that builds the process's
worker; :func:`_work` and :func:`_work_records` are the module-level (picklable) functions
submitted to the pool.  With ``jobs=1`` the calling process uses a :class:`_Worker` directly.
"""

from __future__ import annotations

import difflib
import os
import signal
from dataclasses import dataclass, field
from typing import Any

from .io.codecs import ChunkOutput, CsvLayout, FailRun, csv_chunk, jsonl_chunk, txt_chunk
from .io.readers import BOM
from .io.sniffing import binary_kind
from .pipeline import Pipeline
from .slots import SharedSlots


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
            kind = binary_kind(body[:8192]) if task.first else None
            if kind is not None:
                return _Result(None, False, len(data), lines=lines, fatal=f"binary file ({kind}); skipped")
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
    if not before.endswith("\n") and not after.endswith("\n"):  # a document or field: no final line break to diff
        before, after = before + "\n", after + "\n"
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


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[0].isupper() and exc.strerror[1:2].islower() else exc.strerror
    return str(exc) or type(exc).__name__
