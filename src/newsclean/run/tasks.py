"""What travels between the planner, the executors and the writer: plain, picklable data.

- :class:`Settings`: what every worker needs besides the pipeline (mode, fields, error policy,
  encoding); sent once per worker process with the pipeline.
- :class:`Task`: one piece of one input, described so that any process (on any machine that
  sees the same files) can do it: the bytes themselves, or the file and byte range to read.
- :class:`Result`: what a worker hands back for a task: the output bytes (``None`` when they
  are the input's bytes unchanged), counts, per-cleaner statistics, problems with their lines,
  the diff/explain report and the documents' trace records.

Nothing here holds a process, a file handle or a pipeline, so tasks and results pickle for a
process pool, Dask or Ray alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..io.codecs import CsvLayout

__all__ = ["Counts", "Emit", "ReadOptions", "Result", "Settings", "Task", "add_counts", "new_counts", "pread"]

#: One cleaner's counts for a part of the work: ``[documents changed, chars removed, chars added,
#: {category: changes}]`` (net per document; the categories only when counted), in pipeline order in
#: a list; :meth:`CleanerStats.add <newsclean.run.CleanerStats.add>` adds one up.
Counts = list[Any]


def new_counts(cleaners: int) -> list[Counts]:
    """Zero counts for ``cleaners`` cleaners."""
    return [[0, 0, 0, {}] for _ in range(cleaners)]


def add_counts(total: list[Counts], part: list[Counts]) -> None:
    """Add ``part``'s counts into ``total`` (both in pipeline order)."""
    for mine, theirs in zip(total, part, strict=False):
        mine[0] += theirs[0]
        mine[1] += theirs[1]
        mine[2] += theirs[2]
        categories = mine[3]
        for category, count in theirs[3].items():
            categories[category] = categories.get(category, 0) + count


@dataclass(frozen=True)
class Settings:
    """How documents are cleaned and reported, the same for every task of a run."""

    mode: str
    fields: tuple[str, ...]
    on_error: str
    encoding: str
    errors: str
    context: int = 3
    color: bool = False  # diff/explain reports with ANSI colours
    categories: bool = False  # count each cleaner's changes per category in a clean run too (explain's cost)
    trace: bool = False  # make a trace record of every document (``--trace``)
    doc_timeout: float | None = None  # seconds a document may take (None: no limit); see newsclean.run.timeouts


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read and split, the same for every input of a run."""

    chunk_size: int
    max_doc_size: int
    columns: tuple[str, ...]
    delimiter: str | None


@dataclass
class Task:
    """One chunk of one input: its bytes (``data``), or where to read them (``path``, ``offset``, ``length``,
    or Parquet ``row_groups``); ``first_line`` numbers its first line (for Parquet: its first row)."""

    format: str
    data: bytes | None
    offset: int
    length: int
    first_line: int
    label: str
    first: bool = False
    layout: CsvLayout | None = None
    path: str | None = None
    relative: bool = False  # first_line is 1 and the writer adds the lines before this chunk
    row_groups: tuple[int, int] | None = None  # Parquet: row groups start..end-1 of ``path`` (length: their bytes)
    columns: tuple[str, ...] = ()  # Parquet: the string columns to clean
    # A compressed shard, whole: the worker decompresses ``path`` (``compression``), splits it with ``read``
    # and compresses its output with ``output_compression`` (None: plain bytes, e.g. for a stream).
    compression: str | None = None
    read: ReadOptions | None = None
    output_compression: str | None = None
    # Documents (0-based ordinals in this task) that stopped an earlier attempt at it (their worker process hung
    # or died), with what to report: they are not cleaned again but handled by the ``on_error`` policy.
    given_up: tuple[tuple[int, str], ...] = ()


@dataclass
class Result:
    """What a worker made of one :class:`Task` (counts are for this task only)."""

    out: bytes | memoryview | None  # None: identical to the task's input bytes
    identical: bool
    nbytes: int
    lines: int = 0
    records: int = 0
    documents: int = 0
    changed: int = 0
    missing: int = 0
    stats: list[Counts] = field(default_factory=list)
    errors: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    report: str = ""
    # with ``Settings.trace``: per document, its line (as for ``errors``) and its trace record's tail
    # (:func:`newsclean.render.records.encode_tail`), in input order
    traces: list[tuple[int | None, bytes]] = field(default_factory=list)
    fatal: str | None = None  # the whole input fails (its message may hold "{line}", filled in by the writer)
    fatal_line: int = 0
    fail: bool = False  # the ``fail`` policy stops the run after this task
    notices: list[tuple[int | None, str]] = field(default_factory=list)  # warnings (a shard's planner)
    compressed: bool = False  # ``out`` is already compressed (a shard); ``plain`` bytes before compression
    plain: int = 0
    found_fields: list[str] = field(default_factory=list)  # fields of records that had none of ``fields``


@dataclass
class Emit:
    """Bytes the planner itself puts in the output, in their place (a BOM, a CSV header): ``raw`` input bytes
    became ``out``."""

    out: bytes
    raw: bytes


def pread(fd: int, length: int, offset: int) -> bytes:
    """``length`` bytes of ``fd`` from ``offset`` (fewer at the end of the file)."""
    parts = []
    while length > 0:
        part = os.pread(fd, length, offset)
        if not part:
            break
        parts.append(part)
        length -= len(part)
        offset += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)
