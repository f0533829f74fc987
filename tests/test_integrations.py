"""newsclean.dask and newsclean.ray: a text column of the engines' own data sets, one call away."""

from __future__ import annotations

import importlib
import sys

import pytest

from newsclean import CleanerError, Pipeline
from run_helpers import BOOM, WS, CountingCleaner, counts

DIRTY = "a   b  \n\n\n\nc "
CLEAN = "a b\n\nc"
TEXTS = [None if i % 10 == 0 else (DIRTY if i % 3 else f"fine {i}") for i in range(200)]
TEXTS[77] = "BOOM  77"


def expected_stats():
    """Whitespace's counts: the document the boom cleaner fails on is kept unchanged."""
    cleaned = [t for t in TEXTS if t is not None and "BOOM" not in t]
    return sum(1 for t in cleaned if WS.clean(t) != t), sum(len(t) - len(WS.clean(t)) for t in cleaned)


@pytest.fixture(scope="module")
def dask_client(dask_scheduler):
    from distributed import Client

    with Client(dask_scheduler, set_as_default=False) as client:
        yield client


def test_dask_dataframe_column(dask_client):
    import dask
    import dask.dataframe as dd
    import pandas as pd

    import newsclean.dask

    frame = pd.DataFrame({"id": range(200), "text": pd.Series(TEXTS, dtype="string")})
    df = dd.from_pandas(frame, npartitions=5)
    cleaned = newsclean.dask.clean_dataframe(df, "text", BOOM)
    result, stats = dask.compute(cleaned.data, cleaned.stats, scheduler=dask_client.get)
    assert list(result["id"]) == list(range(200)) and result["text"].dtype == frame["text"].dtype
    assert [None if pd.isna(v) else v for v in result["text"]] == [
        None if t is None else t if "BOOM" in t else WS.clean(t) for t in TEXTS]
    changed, removed = expected_stats()
    assert stats.records == 200 and stats.documents == 180 and stats.missing_field == 20
    assert stats.cleaners["whitespace"].documents_changed == changed
    assert stats.cleaners["whitespace"].chars_removed == removed
    assert [str(p).split(": ", 1)[0] for p in stats.problems] == ["<partition 1>:38"]  # row 78 = 2nd partition
    assert "cleaner 'boom' failed" in stats.problems[0].message

    skipped = newsclean.dask.clean_dataframe(df, "text", BOOM, on_error="skip")
    assert len(skipped.data.compute(scheduler=dask_client.get)) == 199
    with pytest.raises(CleanerError, match="boom"):
        newsclean.dask.clean_dataframe(df, "text", BOOM, on_error="fail").data.compute(scheduler=dask_client.get)
    with pytest.raises(KeyError, match="no column 'body'"):
        newsclean.dask.clean_dataframe(df, "body")


def test_dask_builds_one_pipeline_per_worker_and_cleans_once(dask_client):
    import dask
    import dask.bag as db

    import newsclean.dask

    before = dask_client.run(counts)
    bag = db.from_sequence([f"text  {i}" for i in range(300)], npartitions=12)
    cleaned = newsclean.dask.clean_bag(bag, Pipeline([CountingCleaner(), *WS.cleaners]))
    texts, stats = dask.compute(cleaned.data, cleaned.stats, scheduler=dask_client.get)
    assert texts == [f"text {i}" for i in range(300)] and stats.documents == 300
    after = dask_client.run(counts)
    calls = sum(after[w]["calls"] - before[w]["calls"] for w in after)
    unpickled = [after[w]["unpickled"] - before[w]["unpickled"] for w in after]
    assert calls == 300  # data and statistics came from one pass
    assert all(n <= 1 for n in unpickled) and sum(unpickled) >= 1  # once per worker process, not per partition

    import dask.dataframe as dd
    import pandas as pd

    before = dask_client.run(counts)
    df = dd.from_pandas(pd.DataFrame({"text": [f"a  {i}" for i in range(300)]}), npartitions=6)
    cleaned = newsclean.dask.clean_dataframe(df, "text", Pipeline([CountingCleaner(), *WS.cleaners]))
    dask.compute(cleaned.data, cleaned.stats, scheduler=dask_client.get)
    after = dask_client.run(counts)
    assert sum(after[w]["calls"] - before[w]["calls"] for w in after) == 300


def test_dask_bag_of_records(dask_client):
    import dask
    import dask.bag as db

    import newsclean.dask

    records = [{"text": DIRTY, "title": "T  t"}, {"id": 2}, {"text": "fine"}, "plain  string"]
    cleaned = newsclean.dask.clean_bag(db.from_sequence(records, npartitions=2), WS, fields=["text", "title"])
    items, stats = dask.compute(*cleaned, scheduler=dask_client.get)
    assert items == [{"text": CLEAN, "title": "T t"}, {"id": 2}, {"text": "fine"}, "plain string"]
    assert stats.records == 4 and stats.missing_field == 1 and stats.documents_changed == 3


def test_ray_dataset_column(ray_address):
    import pyarrow as pa
    import ray

    import newsclean.ray

    table = pa.table({"id": list(range(200)), "text": pa.array(TEXTS, pa.large_string())})
    ds = ray.data.from_arrow(table).repartition(4)
    cleaned = newsclean.ray.clean_dataset(ds, "text", BOOM, batch_size=50)
    out = pa.concat_tables(ray.get(cleaned.data.to_arrow_refs())).sort_by("id")
    assert out.schema == table.schema
    assert out.column("text").to_pylist() == [None if t is None else t if "BOOM" in t else WS.clean(t) for t in TEXTS]
    stats = cleaned.stats()
    changed, removed = expected_stats()
    assert stats.records == 200 and stats.documents == 180 and stats.missing_field == 20
    assert stats.cleaners["whitespace"].documents_changed == changed
    assert stats.cleaners["whitespace"].chars_removed == removed
    assert len(stats.problems) == 1 and "cleaner 'boom' failed" in stats.problems[0].message

    skipped = newsclean.ray.clean_dataset(ds, "text", BOOM, on_error="skip")
    assert skipped.data.count() == 199
    with pytest.raises(Exception, match="boom"):
        newsclean.ray.clean_dataset(ds, "text", BOOM, on_error="fail").data.materialize()


@pytest.mark.parametrize(("module", "engine"), [("newsclean.dask", "dask"), ("newsclean.ray", "ray")])
def test_without_the_extra_the_import_error_names_it(monkeypatch, module, engine):
    monkeypatch.setitem(sys.modules, engine, None)
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(ImportError, match=rf"pip install 'newsclean\[{engine}\]'"):
        importlib.import_module(module)
    from newsclean.run.executors import ExecutorError, make_executor

    monkeypatch.delitem(sys.modules, f"newsclean.run.executors.{engine}", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ExecutorError, match=rf"pip install 'newsclean\[{engine}\]'"):
        make_executor(engine, 2, chunk_size=1000)
