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

The parts live in small modules: :mod:`newsclean.filerun` (the file run:
chunking, dispatch to workers, ordered output), :mod:`newsclean.worker` (what
a worker process does), :mod:`newsclean.sinks` (where outputs go) and
:mod:`newsclean.summary` (:class:`Problem`, :class:`CleanerStats` and
:class:`RunSummary`, re-exported here).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any, TextIO

from .errors import ConfigError
from .filerun import _READ_ERRORS, _FileState, _open_input, _Run, _Stop
from .io.discovery import InputFile, discover
from .io.formats import FORMATS
from .io.readers import MalformedInput, RecordTooLarge
from .pipeline import Pipeline
from .sinks import _FileSink, _NullSink, _Sink, _StreamSink
from .summary import CleanerStats, Problem, RunSummary
from .worker import _init_worker, _reason, _RecordsResult, _Settings, _work_records, _Worker

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


class UsageError(ConfigError):
    """The files or options asked for cannot be used together (the CLI exits with status 2)."""


# -- files ------------------------------------------------------------------------


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


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

    inputs, path_problems, folders = discover([os.fspath(p) for p in paths], format, stdin=stdin)
    summary_problems = [Problem(p.path, p.message, level=p.level) for p in path_problems]
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
                    "plain-text document" if inp.format == "txt" else f"record at line {exc.line} (byte {exc.offset})"
                )
                run.fail_file(state, f"{what} is larger than the {exc.limit:,}-byte limit; "
                              "file skipped: split it, or raise the limit (--max-doc-size)")
            except MalformedInput as exc:
                run.fail_file(state, f"{exc}; file skipped")
            except BrokenPipeError:
                raise  # the reader of our output went away (`newsclean big.jsonl | head`): stop the run
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
