"""Records and texts in Python: :func:`clean_records` and :func:`clean_texts`.

Batches of ``batch_size`` items are cleaned in this process (``jobs=1``) or in ``jobs`` worker
processes, each holding one pipeline built once, and come back lazily and in order.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..errors import CleanerError
from ..pipeline import Pipeline
from . import worker as _worker
from .executors.processes import ignore_interrupts
from .options import ON_ERROR, UsageError, check_choice
from .summary import CleanerStats, Problem, RunSummary
from .tasks import Settings
from .worker import RecordsResult, Worker

__all__ = ["clean_records", "clean_texts"]


def _init_records_worker(pipeline: Pipeline, settings: Settings) -> None:
    ignore_interrupts()
    _worker.install("records", pipeline, settings)


def _work_records(batch: list[Any]) -> RecordsResult:
    return _worker.worker_for("records").records(batch)


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
    check_choice("on_error", on_error, ON_ERROR)
    if jobs < 1 or batch_size < 1:
        raise UsageError("jobs and batch_size must be 1 or more")
    pipeline = pipeline if pipeline is not None else Pipeline.default()
    settings = Settings("clean", fields, on_error, "utf-8", "strict")
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

    def absorb(batch: list[tuple[int, Any]], result: RecordsResult) -> Iterator[Any]:
        out, stats, errors, failure = result
        summary.add_cleaner_stats(stats)
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
            worker = Worker(pipeline, settings)
            for batch in batches():
                yield from absorb(batch, worker.records(batch))
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_init_records_worker,
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
