"""Clean a text column of a Dask DataFrame, or a Dask Bag of strings or records (the ``dask`` extra).

::

    import dask, dask.dataframe as dd
    import newsclean.dask

    df = dd.read_parquet("crawl/part-*.parquet")
    cleaned = newsclean.dask.clean_dataframe(df, "text")            # lazy, like any Dask collection
    frame, stats = dask.compute(cleaned.data, cleaned.stats)         # one pass: data and statistics
    print(stats.format())                                            # per-cleaner counts, problems

    bag = dask.bag.read_text("dump/*.txt")                           # strings, or dicts with "text"
    texts, stats = dask.compute(*newsclean.dask.clean_bag(bag))

Each partition is cleaned by the worker process's pipeline, built once per process from the
pipeline pickled once for the whole graph.  ``stats`` is a Delayed
:class:`~newsclean.run.RunSummary` (records, documents changed, per-cleaner characters
removed/added, problems naming the partition and row); compute it together with ``data`` so
the cleaning runs once.  Strings are cleaned; nulls, NaN and other values are left alone.
``on_error``: ``"keep"`` the document unchanged, ``"skip"`` drop the row, ``"fail"`` raise
:class:`~newsclean.CleanerError` from ``compute``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, NamedTuple

from .pipeline import Pipeline
from .run.columns import clean_items, clean_pandas, make_job, summarize

try:
    import dask
    import dask.bag
    import dask.dataframe
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("newsclean.dask needs Dask: pip install 'newsclean[dask]'") from exc

__all__ = ["Cleaned", "clean_bag", "clean_dataframe"]


class Cleaned(NamedTuple):
    """The cleaned collection (lazy) and its statistics (a lazy :class:`~newsclean.run.RunSummary`:
    a Delayed for a DataFrame, a Bag Item for a Bag)."""

    data: Any
    stats: Any


def clean_dataframe(
    df: dask.dataframe.DataFrame,
    column: str | Sequence[str] = "text",
    pipeline: Pipeline | None = None,
    *,
    on_error: str = "keep",
) -> Cleaned:
    """Clean the string values of ``column`` (a name or several) in every partition of ``df``.

    The result has the same columns, dtypes, index and divisions; under ``on_error="skip"``
    a row whose document a cleaner failed on is dropped.
    """
    columns = [column] if isinstance(column, str) else list(column)
    missing = [name for name in columns if name not in df.columns]
    if missing:
        raise KeyError(f"no column {missing[0]!r} in the DataFrame (columns: {', '.join(map(str, df.columns))})")
    job = make_job(pipeline, columns, on_error)
    data = dask.delayed(job.data, name=f"{job.key}-pipeline")
    parts = [
        dask.delayed(clean_pandas, nout=2, pure=True)(part, columns, job.key, data, f"<partition {i}>")
        for i, part in enumerate(df.to_delayed())
    ]
    frame = dask.dataframe.from_delayed([p[0] for p in parts], meta=df._meta, divisions=df.divisions,
                                        verify_meta=False)
    return Cleaned(frame, dask.delayed(summarize, pure=True)([p[1] for p in parts], job.names))


def clean_bag(
    bag: dask.bag.Bag,
    pipeline: Pipeline | None = None,
    *,
    fields: Sequence[str] = ("text",),
    on_error: str = "keep",
) -> Cleaned:
    """Clean a bag of strings, or of records (mappings) whose ``fields`` hold the text.

    A record nothing changed is kept as it was; a changed one becomes a new ``dict``; records
    without the fields pass through; under ``on_error="skip"`` failed ones are dropped.
    """
    job = make_job(pipeline, fields, on_error)
    data = dask.delayed(job.data, name=f"{job.key}-pipeline")
    # One bag of (items, statistics) per partition, and two bags read from it: computed together, each
    # partition is cleaned once (a Delayed beside a Bag would be optimised apart and cleaned twice).
    pairs = dask.bag.from_delayed([
        dask.delayed(_pair, pure=True)(part, job.key, data, f"<partition {i}>")
        for i, part in enumerate(bag.to_delayed())
    ])
    stats = pairs.reduction(_part_stats, _concat).apply(partial(summarize, names=job.names))
    return Cleaned(pairs.map_partitions(_items), stats)


def _pair(part: list[Any], key: str, job: bytes, label: str) -> list[tuple[list[Any], Any]]:
    return [clean_items(part, key, job, label)]


def _items(pairs: Any) -> list[Any]:
    return [item for items, _ in pairs for item in items]


def _part_stats(pairs: Any) -> list[Any]:
    return [stats for _, stats in pairs]


def _concat(lists: Any) -> list[Any]:
    return [stats for part in lists for stats in part]
