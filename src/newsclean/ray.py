"""Clean a text column of a Ray Dataset with ``map_batches`` (the ``ray`` extra).

::

    import ray
    import newsclean.ray

    ds = ray.data.read_parquet("crawl/")
    cleaned = newsclean.ray.clean_dataset(ds, "text")      # lazy, like any Dataset
    ds = cleaned.data.materialize()                         # or write_parquet(...), iter_batches(), …
    print(cleaned.stats().format())                         # per-cleaner counts, problems

Batches go to the workers as Arrow tables; each worker process cleans them with one pipeline,
built once from the pipeline put once in Ray's object store.  Strings of ``string`` or
``large_string`` columns are cleaned; nulls and the schema are kept.  Each batch reports its
statistics to a small collector actor; :meth:`Cleaned.stats` adds up what the batches cleaned
so far, so call it once the dataset has been consumed (Ray Data is lazy; a batch that Ray
retries after a worker died is counted again).  ``on_error``: ``"keep"`` the document
unchanged, ``"skip"`` drop the row, ``"fail"`` stop the dataset with
:class:`~newsclean.CleanerError`.  Problems name ``<batch>`` and the row within the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .pipeline import Pipeline
from .run.columns import PartStats, clean_arrow, make_job, summarize
from .run.summary import RunSummary

try:
    import ray
    import ray.data
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("newsclean.ray needs Ray: pip install 'newsclean[ray]'") from exc

__all__ = ["Cleaned", "clean_dataset"]


@ray.remote(num_cpus=0)
class _Collector:
    def __init__(self) -> None:
        self.parts: list[PartStats] = []

    def add(self, part: PartStats) -> None:
        self.parts.append(part)

    def all(self) -> list[PartStats]:
        return self.parts


def _clean_batch(table: Any, columns: Sequence[str], key: str, job: Any, collector: Any) -> Any:
    table, part = clean_arrow(table, columns, key, lambda: ray.get(job), "<batch>")
    ray.get(collector.add.remote(part))  # counted before the batch is handed on
    return table


class Cleaned:
    """The cleaned :class:`ray.data.Dataset` (``data``) and :meth:`stats`, once it has been consumed."""

    def __init__(self, data: ray.data.Dataset, collector: Any, names: Sequence[str]) -> None:
        self.data = data
        self._collector = collector
        self._names = tuple(names)

    def stats(self) -> RunSummary:
        """What the batches cleaned so far, added up: counts, per-cleaner statistics, problems."""
        return summarize(ray.get(self._collector.all.remote()), self._names)


def clean_dataset(
    ds: ray.data.Dataset,
    column: str | Sequence[str] = "text",
    pipeline: Pipeline | None = None,
    *,
    on_error: str = "keep",
    **map_batches: Any,
) -> Cleaned:
    """Clean the string values of ``column`` (a name or several) in every batch of ``ds``.

    Extra keyword arguments go to :meth:`ray.data.Dataset.map_batches` (``batch_size``,
    ``concurrency``, ``num_cpus``, …).
    """
    columns = [column] if isinstance(column, str) else list(column)
    job = make_job(pipeline, columns, on_error)
    collector = _Collector.remote()
    data = ds.map_batches(_clean_batch, batch_format="pyarrow", zero_copy_batch=True,
                          fn_args=(columns, job.key, ray.put(job.data), collector), **map_batches)
    return Cleaned(data, collector, job.names)
