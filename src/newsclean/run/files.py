"""Files: :func:`clean_files`, which checks the request, makes the sinks, and drives the run.

The run is planner → executor → writer: :class:`~newsclean.run.plan.Planner` turns each input
into tasks, the executor (:mod:`newsclean.run.executors`) runs them, and the
:class:`~newsclean.run.writer.Writer` writes the results in order and counts them.  None of
the three knows another's insides; this module only connects them.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TextIO

from ..io.atomic import holds_original, leftover_temporaries
from ..io.discovery import InputFile, discover
from ..io.formats import FORMATS, detect
from ..io.readers import MalformedInput, RecordTooLarge
from ..pipeline import Pipeline
from .executors import EXECUTORS, Executor, make_executor
from .options import (
    DECODE_ERRORS,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_DOC_SIZE,
    MODES,
    ON_ERROR,
    UsageError,
    check_choice,
    default_jobs,
)
from .plan import READ_ERRORS, FileFailure, Notice, Planner, failure_message, open_input, reason
from .sinks import _FileSink, _NullSink, _ParquetSink, _Sink, _StreamSink
from .summary import CleanerStats, Problem, RunSummary
from .tasks import Emit, ReadOptions, Result, Settings
from .writer import FileState, Stop, Writer

__all__ = ["clean_files"]

_AUTO_PARALLEL_BYTES = 2 * 1024 * 1024


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
    executor: str | None = None,
    address: str | None = None,
    on_error: str = "keep",
    encoding: str = "utf-8",
    errors: str = "strict",
    max_doc_size: int = DEFAULT_MAX_DOC_SIZE,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mode: str = "clean",
    context: int = 3,
    color: bool = False,
    categories: bool = False,
    report: TextIO | None = None,
    trace: str | os.PathLike[str] | IO[bytes] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    progress: bool = False,
    stdin: IO[bytes] | None = None,
    doc_timeout: float | None = None,
) -> RunSummary:
    """Clean files (or standard input) and write the results; return a :class:`RunSummary`.

    ``paths``: files, folders (walked recursively), glob patterns, ``"-"`` for
    ``stdin`` (the default when empty).  ``output``: ``None`` writes to
    standard output (a single input only); a binary stream receives every
    output, concatenated; a folder path receives a mirror of the input tree.
    ``in_place=True`` replaces each input atomically (``backup`` is a suffix
    for a copy of the original; files nothing changed are left untouched).
    A backup is never overwritten: a file whose backup exists is not cleaned
    again (a warning; counted in ``summary.files_done``).  Temporary files a
    killed run left beside this run's outputs are removed (warnings).  An
    input that changes while it is read, and every error writing an output
    ("cannot write OUTPUT: reason"), fail that file; the run goes on.
    ``format`` forces ``txt``, ``jsonl``, ``csv``, ``tsv`` or ``parquet``
    (default: by extension).  ``fields`` are the JSONL keys or Parquet columns
    to clean and ``columns`` the CSV/TSV header names (or 0-based indices;
    default: ``fields``).
    ``jobs``: worker processes (``None``: every core, or 1 for inputs under
    2 MB).  ``executor`` runs the tasks: ``"inline"`` (this process),
    ``"processes"`` (a local pool), ``"dask"`` or ``"ray"`` (default: inline for
    one job, else processes); ``address`` is the Dask scheduler or Ray cluster
    (default: a local one with ``jobs`` workers, stopped at the end).  Every
    executor writes the same bytes and reports the same problems.
    ``mode="diff"`` or ``"explain"`` writes nothing and sends a unified diff,
    or every edit, of each changed document to ``report`` (default
    ``sys.stdout``; ``color``: with ANSI colours), made by
    :mod:`newsclean.render`.  ``categories=True`` counts each cleaner's
    changes per category in a normal run too (explain and diff runs always
    do; it costs 1.2-1.5x a normal run).  ``trace``: a file path (``.gz``,
    ``.bz2``, ``.xz``: compressed) or a binary stream that receives one JSON
    record per document, in input order, with its source, line or row, field
    and every edit positioned in the input (:mod:`newsclean.render.records`);
    a file is written atomically when the run ends (not after an exception or
    Ctrl-C), and is the same with every executor and number of jobs.
    Problems are passed to ``on_problem`` as they happen and collected in the
    summary.

    ``doc_timeout``: seconds one document may take (``None``: no limit).  A
    document that takes longer is interrupted, reported (file, line, the
    cleaner that was running) and handled by ``on_error``, and the run goes
    on.  With a limit, one job runs in one worker process (not in the
    calling process, unless ``executor="inline"``), so that even C code that
    ignores signals, or a crash, cannot stop the run; see
    :mod:`newsclean.run.timeouts` for what each executor can interrupt.

    Raises :class:`UsageError` (a ``ValueError``) for impossible requests:
    several inputs to one stream, writing onto an input without
    ``in_place``, an output folder inside an input folder, a trace file that
    is an input or an output, lies inside an input folder or cannot be
    written (checked before any work), …; and
    :class:`~newsclean.run.executors.ExecutorError` when the executor's engine
    is not installed or its cluster cannot be reached.
    """
    pipeline = pipeline if pipeline is not None else Pipeline.default()
    check_choice("on_error", on_error, ON_ERROR)
    check_choice("errors", errors, DECODE_ERRORS)
    check_choice("mode", mode, MODES)
    if format is not None:
        check_choice("format", format, FORMATS)
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
    _check_parquet(inputs, several=len(inputs) + len(path_problems) > 1, stream=hasattr(output, "write"))
    if not _ascii_compatible(encoding) and any(i.format not in ("txt", "parquet") for i in inputs):
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
    already_done = 0
    if not writing:
        sinks = [(inp, _NullSink()) for inp in inputs]
    elif in_place:
        if any(inp.is_stdin for inp in inputs):
            raise UsageError("cannot clean standard input in place")
        for inp in inputs:
            assert inp.path is not None
            real = Path(os.path.realpath(inp.path))  # replace a symlink's target, not the link
            bpath = real.with_name(real.name + backup) if backup else None
            if bpath is not None and os.path.lexists(bpath) and not holds_original(bpath, real):
                # a backup is never overwritten: the file was cleaned by an earlier (maybe interrupted) run
                shown = str(bpath) if os.path.islink(inp.path) else os.path.join(os.path.dirname(inp.label),
                                                                                    bpath.name)
                summary_problems.append(Problem(inp.label, f"not cleaned: its backup {shown} exists (an earlier run "
                                                "cleaned it); move the backup away to clean it again",
                                                level="warning"))
                already_done += 1
                continue
            sinks.append((inp, _FileSink(real, inp.compression, in_place=True, backup=bpath)))
    elif output is None or hasattr(output, "write"):
        if output is None and len(inputs) + len(path_problems) > 1:
            raise UsageError("several inputs: give an output folder (-o DIR) or clean them in place (--in-place)")
        stream: IO[bytes] = output if output is not None else sys.stdout.buffer  # type: ignore[assignment]
        name = "standard output" if output is None else "the output stream"
        sinks = [(inp, _StreamSink(stream, name)) for inp in inputs]
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

    trace_sink = _trace_sink(trace, inputs, folders, sinks) if trace is not None else None
    outputs = [(inp.label, sink) for inp, sink in sinks]
    if isinstance(trace_sink, _FileSink):
        outputs.append((f"trace file {trace_sink.dest}", trace_sink))
    summary_problems += _remove_leftovers(outputs)
    sinks = [(inp, _ParquetSink(sink, os.fspath(inp.path)) if inp.format == "parquet" and inp.path is not None
              and not isinstance(sink, _NullSink) else sink) for inp, sink in sinks]
    if executor is not None:
        check_choice("executor", executor, EXECUTORS)
    if address is not None and executor not in ("dask", "ray"):
        raise UsageError("a cluster address needs the dask or ray executor")
    if executor == "inline" and jobs not in (None, 1):
        raise UsageError(f"the inline executor cleans in this process: jobs must be 1, got {jobs}")
    if jobs is None and executor is not None:
        jobs = 1 if executor == "inline" else default_jobs()
    if jobs is None:
        known = [inp.path.stat().st_size for inp in inputs if inp.path is not None and inp.path.is_file()]
        small = len(known) == len(inputs) and sum(known) < _AUTO_PARALLEL_BYTES
        jobs = 1 if small else default_jobs()
    if jobs < 1:
        raise UsageError(f"jobs must be 1 or more, got {jobs}")
    if doc_timeout is not None and not doc_timeout > 0:
        raise UsageError(f"doc_timeout must be a positive number of seconds (or None), got {doc_timeout!r}")
    if doc_timeout is not None and executor is None and jobs == 1:
        executor = "processes"  # one worker process: a hang or a crash there cannot stop the run
    total: int | None = None
    if progress and all(inp.path is not None and inp.compression is None for inp in inputs):
        with contextlib.suppress(OSError):
            total = sum(inp.path.stat().st_size for inp in inputs if inp.path is not None)

    settings = Settings(mode, fields, on_error, encoding, errors, context, color, categories, trace is not None,
                        doc_timeout)
    runner = make_executor(executor, jobs, chunk_size=chunk_size, address=address)
    summary = RunSummary(jobs=jobs, executor=runner.name, files_done=already_done,
                         cleaners={name: CleanerStats() for name in pipeline.names})
    writer = Writer(summary, settings, window=runner.window, on_problem=on_problem,
                    report=report if report is not None else sys.stdout, trace=trace_sink)
    planner = Planner(settings, ReadOptions(chunk_size, max_doc_size, columns, delimiter), workers=runner.workers,
                      shards=len(inputs) > 1)
    if not inputs and not path_problems:
        summary_problems.append(Problem(", ".join(map(os.fspath, paths)), "no input files found", level="warning"))
    for problem in summary_problems:
        summary.add_problem(problem)
        if on_problem is not None:
            on_problem(problem)
    started = time.perf_counter()
    states: list[FileState] = []
    cancel = True
    try:
        if trace_sink is not None:
            try:
                trace_sink.open()  # an unwritable place fails now, before any work
            except OSError as exc:
                raise UsageError(f"cannot write the trace file {os.fspath(trace)}: {reason(exc)}") from None
        runner.start(pipeline, settings)
        # a cluster's size is known once connected: it sets how much is in flight and how chunks end
        writer.window, planner.workers = runner.window, runner.workers
        for notice in runner.notices:
            writer.problem("newsclean", notice, level="warning")
        if progress:
            writer.show_progress(total)
        for inp, sink in sinks:
            state = FileState(inp, sink)
            states.append(state)
            _run_input(state, planner, runner, writer, stdin)
            # keep only the states still in flight
            if len(states) > 4 * writer.window:
                states = [s for s in states if not s.done]
        writer.drain()
        writer.commit_trace()
        cancel = False
    except Stop:
        summary.interrupted = False
        writer.abort_all(states)
        writer.commit_trace()
    except BaseException:
        summary.interrupted = True
        writer.abort_all(states)
        raise
    finally:
        writer.close()
        runner.shutdown(cancel)
        summary.seconds = time.perf_counter() - started
    return summary


def _run_input(state: FileState, planner: Planner, executor: Executor, writer: Writer,
               stdin: IO[bytes] | None) -> None:
    """Plan one input, submit its tasks and queue their results (and the end of the input) with the writer."""
    inp = state.input
    try:
        if inp.path is not None:  # a regular file's size and time: to tell when it changes while it is read
            info = os.stat(inp.path)
            state.stat = info if stat.S_ISREG(info.st_mode) else None
        stream = open_input(inp, stdin)
    except READ_ERRORS as exc:
        writer.queue(state, Result(None, False, 0, fatal=failure_message(inp.format, exc)))
        writer.end_file(state)
        return
    compression = state.sink.compression if isinstance(state.sink, _FileSink) else None
    try:
        for item in planner.plan(inp, stream, output_compression=compression):
            if state.failed:
                break
            if isinstance(item, Emit):
                writer.emit(state, item.out, item.raw)
            elif isinstance(item, Notice) and item.level == "error":
                writer.queue(state, Result(None, True, 0, errors=[(item.line, None, item.message)]))
            elif isinstance(item, Notice):
                writer.queue(state, Result(None, True, 0, notices=[(item.line, item.message)]))
            elif isinstance(item, FileFailure):
                writer.queue(state, Result(None, False, 0, fatal=item.message))
            else:
                writer.add(state, executor.submit(item), item)
    except BrokenPipeError:
        raise  # the reader of our output went away (`newsclean big.jsonl | head`): stop the run
    except (RecordTooLarge, MalformedInput, *READ_ERRORS) as exc:
        writer.queue(state, Result(None, False, 0, fatal=failure_message(inp.format, exc)))
    finally:
        if inp.path is not None:
            with contextlib.suppress(Exception):
                stream.close()
    writer.end_file(state)


def _trace_sink(trace: str | os.PathLike[str] | IO[bytes], inputs: list[InputFile], folders: list[Path],
                sinks: list[tuple[InputFile, _Sink]]) -> _Sink:
    """Where the trace records go: the caller's stream, or a file that is no input or output and is
    outside the input folders (where a later run would take it for an input)."""
    if hasattr(trace, "write"):
        return _StreamSink(trace)  # type: ignore[arg-type]
    dest = Path(os.fspath(trace))  # type: ignore[arg-type]
    if dest.is_dir():
        raise UsageError(f"trace file {dest} is a folder; give a file name such as trace.jsonl")
    key = os.path.realpath(dest)
    for inp in inputs:
        if inp.path is not None and os.path.realpath(inp.path) == key:
            raise UsageError(f"trace file {dest} is an input; refusing to overwrite it")
    for folder in folders:
        if Path(os.path.realpath(folder)) in Path(key).parents:
            raise UsageError(f"trace file {dest} is inside input folder {folder}: a later run would clean it; "
                             "choose a path outside the inputs")
    for inp, sink in sinks:
        if isinstance(sink, _FileSink) and os.path.realpath(sink.dest) == key:
            raise UsageError(f"trace file {dest} is where {inp.label} is written; choose another name")
    return _FileSink(dest, detect(dest)[1], in_place=False, backup=None)


def _remove_leftovers(outputs: list[tuple[str, _Sink]]) -> list[Problem]:
    """Remove the temporary files a killed run left beside the outputs this run writes (reported
    under each output's label: its input's, or the trace file's)."""
    problems = []
    listings: dict[Path, list[str]] = {}
    for label, sink in outputs:
        if not isinstance(sink, _FileSink):
            continue
        for path in leftover_temporaries(sink.dest, listings):
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError as exc:
                problems.append(Problem(label, f"cannot remove {path}, a temporary file left by an interrupted "
                                        f"run: {reason(exc)}", level="warning"))
                continue
            problems.append(Problem(label, f"removed a temporary file left by an interrupted run: {path}",
                                    level="warning"))
    return problems


def _check_parquet(inputs: list[InputFile], *, several: bool, stream: bool) -> None:
    """Parquet inputs need pyarrow and a file of their own (read by row groups, written whole)."""
    parquet = [inp for inp in inputs if inp.format == "parquet"]
    if not parquet:
        return
    try:
        from ..io.parquet import require_pyarrow

        require_pyarrow()
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    for inp in parquet:
        if inp.is_stdin:
            raise UsageError("Parquet cannot be read from standard input (it is read by row groups); give its path")
        if inp.compression is not None:
            raise UsageError(f"{inp.label}: Parquet is compressed inside; a {inp.compression}-compressed "
                             "Parquet file cannot be read")
    if several and stream:
        raise UsageError("Parquet outputs cannot be concatenated into one stream; give an output folder")


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "\n\"{,\t".encode(encoding) == b"\n\"{,\t"
    except (LookupError, UnicodeError):
        return False


