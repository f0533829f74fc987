"""Cleaning parts of other engines' data sets: pandas partitions, Arrow batches, lists of records.

These are what :mod:`newsclean.dask` and :mod:`newsclean.ray` run on the workers.  Each call
finds this process's :class:`~newsclean.run.worker.Worker` for the job (built once per process
from the pickled pipeline, :func:`make_job`), cleans one part, and returns it with a
:class:`PartStats`; :func:`summarize` adds the parts' statistics up into a
:class:`~newsclean.run.summary.RunSummary`.  Problems name the part (``<partition 3>``) and
the row within it, counted from 1.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import CleanerError
from ..io.codecs import FailRun, clean_column
from ..pipeline import Pipeline
from .options import ON_ERROR, check_choice
from .summary import CleanerStats, Problem, RunSummary
from .tasks import Counts, Settings
from .worker import Worker, worker_for

__all__ = ["PartStats", "clean_arrow", "clean_items", "clean_pandas", "make_job", "summarize"]


@dataclass
class PartStats:
    """What cleaning one part did (picklable, added up by :func:`summarize`)."""

    label: str
    records: int
    documents: int
    changed: int
    missing: int
    stats: list[Counts]
    errors: list[tuple[int | None, str | None, str]]


@dataclass(frozen=True)
class Job:
    """A pipeline and its settings, pickled once, with a key naming it in every worker process."""

    key: str
    data: bytes
    names: tuple[str, ...]


def make_job(pipeline: Pipeline | None, fields: Sequence[str], on_error: str) -> Job:
    check_choice("on_error", on_error, ON_ERROR)
    pipeline = pipeline if pipeline is not None else Pipeline.default()
    settings = Settings("clean", tuple(fields), on_error, "utf-8", "strict")
    return Job(f"newsclean-{uuid.uuid4().hex}", pickle.dumps((pipeline, settings)), tuple(pipeline.names))


def _worker(key: str, job: bytes | Callable[[], bytes], label: str) -> Worker:
    worker = worker_for(key, job)
    worker._reset(label, "records")
    return worker


def _part(worker: Worker, records: int, missing: int) -> PartStats:
    return PartStats(worker.label, records, worker.documents, worker.changed, missing, worker.stats, worker.errors)


def _raise_failure(worker: Worker) -> None:
    """The ``fail`` policy: stop the engine's job with the cleaner's error."""
    name, message = worker.failure or ("?", "failed")
    raise CleanerError(name, RuntimeError(message))


def _clean_columns(
    worker: Worker, columns: Sequence[str], rows: int, get: Any
) -> tuple[dict[str, list[Any]], list[bool], int]:
    keep = [True] * rows
    found = [False] * rows
    changed: dict[str, list[Any]] = {}
    try:
        for name in columns:
            new_values = clean_column(get(name), 1, name, worker.clean_doc, keep, found)
            if new_values is not None:
                changed[name] = new_values
    except FailRun:
        _raise_failure(worker)
    missing = sum(1 for i in range(rows) if keep[i] and not found[i])
    return changed, keep, missing


def clean_pandas(frame: Any, columns: Sequence[str], key: str, job: bytes, label: str) -> tuple[Any, PartStats]:
    """Clean the string values of ``columns`` of a pandas DataFrame (dtypes and index kept; NaN/None stay)."""
    import pandas as pd

    worker = _worker(key, job, label)
    present = [c for c in columns if c in frame.columns]
    changed, keep, missing = _clean_columns(worker, present, len(frame), lambda name: frame[name].tolist())
    if changed:
        frame = frame.assign(**{name: pd.Series(values, index=frame.index, dtype=frame[name].dtype, name=name)
                                for name, values in changed.items()})
    if not all(keep):
        frame = frame[keep]
    return frame, _part(worker, len(keep), missing)


def clean_arrow(
    table: Any, columns: Sequence[str], key: str, job: bytes | Callable[[], bytes], label: str
) -> tuple[Any, PartStats]:
    """Clean the ``string``/``large_string`` values of ``columns`` of a pyarrow Table (schema kept; nulls stay)."""
    import pyarrow as pa

    worker = _worker(key, job, label)
    present = [c for c in columns if c in table.column_names]
    changed, keep, missing = _clean_columns(worker, present, table.num_rows,
                                            lambda name: table.column(name).to_pylist())
    for name, values in changed.items():
        position = table.schema.get_field_index(name)
        table = table.set_column(position, table.schema.field(name),
                                 pa.array(values, type=table.schema.field(name).type))
    if not all(keep):
        table = table.filter(pa.array(keep, type=pa.bool_()))
    return table, _part(worker, len(keep), missing)


def clean_items(items: Iterable[Any], key: str, job: bytes, label: str) -> tuple[list[Any], PartStats]:
    """Clean a list of strings or records (mappings: their ``fields``); dropped ones (``skip``) are left out."""
    worker = worker_for(key, job)
    batch = list(enumerate(items, 1))
    out, stats, errors, failure = worker.records(batch)
    worker.label = label
    if failure is not None:
        _raise_failure(worker)
    missing = sum(1 for _, item in batch if not isinstance(item, str)
                  and not any(type(item.get(f)) is str for f in worker.settings.fields))
    kept = [item for item in out if item is not None]
    return kept, PartStats(label, len(batch), worker.documents, worker.changed, missing, stats, errors)


def summarize(parts: Iterable[PartStats], names: Sequence[str]) -> RunSummary:
    """Add up the parts' statistics (in the order given) into one summary."""
    summary = RunSummary(cleaners={name: CleanerStats() for name in names})
    for part in parts:
        summary.add_counts(part.records, part.documents, part.changed, part.missing, part.stats)
        for line, field_name, message in part.errors:
            summary.add_problem(Problem(part.label, message, line, field_name))
    return summary
