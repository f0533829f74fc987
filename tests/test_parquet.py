"""Parquet in and out (the ``parquet`` extra): columns, schema, nulls and row groups are kept."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.run import UsageError, clean_files
from run_helpers import BOOM, WS

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsclean[parquet]')")
pq = pytest.importorskip("pyarrow.parquet")

DIRTY = "a   b  \n\n\n\nc "
CLEAN = "a b\n\nc"


def write(path, columns: dict, *, row_group_size=None, compression="snappy", metadata=None):
    table = pa.table(columns)
    if metadata:
        table = table.replace_schema_metadata(metadata)
    pq.write_table(table, path, row_group_size=row_group_size, compression=compression)
    return path


def test_text_columns_are_cleaned_and_everything_else_is_kept(tmp_path):
    n = 1000
    texts = [None if i % 9 == 0 else (DIRTY if i % 2 else f"fine {i}") for i in range(n)]
    src = write(tmp_path / "in.parquet", {
        "id": pa.array(range(n), pa.int32()),
        "text": pa.array(texts, pa.large_string()),
        "title": pa.array([f"Title  {i}" for i in range(n)], pa.string()),
        "score": pa.array([i / 3 for i in range(n)], pa.float64()),
    }, row_group_size=128, compression="zstd", metadata={"source": "crawl-7"})
    summary = clean_files([src], WS, output=tmp_path / "out", fields=["text", "title"], chunk_size=1000)
    out = pq.ParquetFile(tmp_path / "out" / "in.parquet")
    before = pq.ParquetFile(src)
    assert out.schema_arrow == before.schema_arrow  # types (large_string and string) and metadata
    assert out.schema_arrow.metadata[b"source"] == b"crawl-7"
    assert out.metadata.num_row_groups == before.metadata.num_row_groups == 8
    assert [out.metadata.row_group(i).num_rows for i in range(8)] == [128] * 7 + [104]
    assert out.metadata.row_group(0).column(0).compression == "ZSTD"
    table = out.read()
    assert table.column("id").to_pylist() == list(range(n))
    assert table.column("score").to_pylist() == [i / 3 for i in range(n)]
    assert table.column("text").to_pylist() == [None if t is None else WS.clean(t) for t in texts]
    assert table.column("title").to_pylist() == [f"Title {i}" for i in range(n)]
    assert summary.records == n and summary.exit_code == 0 and summary.missing_field == 0
    assert summary.documents == n + n - n // 9 - 1
    assert summary.bytes_in == src.stat().st_size
    assert summary.bytes_out == (tmp_path / "out" / "in.parquet").stat().st_size


def test_rows_are_numbered_in_problems_and_skip_drops_the_row(tmp_path):
    texts = [f"row  {i}" for i in range(300)]
    texts[211] = "BOOM  here"
    src = write(tmp_path / "in.parquet", {"text": texts}, row_group_size=50)
    for on_error, rows in (("keep", 300), ("skip", 299)):
        summary = clean_files([src], BOOM, output=tmp_path / on_error, on_error=on_error, chunk_size=100)
        assert [str(p).split(": ", 1)[0] for p in summary.problems] == [f"{src}:212"]
        assert "cleaner 'boom' failed" in summary.problems[0].message
        assert pq.read_table(tmp_path / on_error / "in.parquet").num_rows == rows
    summary = clean_files([src], BOOM, output=tmp_path / "fail", on_error="fail", chunk_size=100)
    assert summary.exit_code == 1 and not (tmp_path / "fail" / "in.parquet").exists()


def test_bad_files_and_missing_columns_are_reported(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.parquet").write_bytes(b"PAR1 this is not parquet")
    write(tmp_path / "src" / "ints.parquet", {"text": pa.array([1, 2], pa.int64())})
    write(tmp_path / "src" / "empty.parquet", {"text": pa.array([], pa.string())})
    summary = clean_files([tmp_path / "src"], WS, output=tmp_path / "out")
    problems = {p.path.rsplit("/", 1)[-1]: p for p in summary.problems}
    assert problems["bad.parquet"].message.startswith("not a readable Parquet file (")
    assert problems["ints.parquet"].level == "error"  # no column to clean (exit 1)
    assert problems["ints.parquet"].message == ("no string column 'text' in the schema (text: int64); "
                                                "rows copied unchanged")
    assert summary.files == 2 and summary.files_failed == 1 and summary.missing_field == 2
    assert pq.read_table(tmp_path / "out" / "ints.parquet").column("text").to_pylist() == [1, 2]
    empty = pq.read_table(tmp_path / "out" / "empty.parquet")
    assert empty.num_rows == 0 and empty.schema.field("text").type == pa.string()


def test_in_place_leaves_an_unchanged_file_alone_and_replaces_a_changed_one(tmp_path):
    fine = write(tmp_path / "fine.parquet", {"text": ["ok", "fine"]})
    dirty = write(tmp_path / "dirty.parquet", {"text": [DIRTY, None]})
    stamp = fine.stat().st_mtime_ns
    clean_files([fine, dirty], WS, in_place=True)
    assert fine.stat().st_mtime_ns == stamp
    assert pq.read_table(dirty).column("text").to_pylist() == [CLEAN, None]


def test_diff_names_rows_and_stdout_gets_a_parquet_file(tmp_path):
    src = write(tmp_path / "in.parquet", {"text": ["ok", DIRTY]})
    report = io.StringIO()
    clean_files([src], WS, mode="diff", report=report)
    assert report.getvalue().startswith(f"--- {src}:2 [text]\n+++ {src}:2 [text]\n")
    sink = io.BytesIO()
    clean_files([src], WS, output=sink)
    assert pq.read_table(pa.py_buffer(sink.getvalue())).column("text").to_pylist() == ["ok", CLEAN]


def test_refusals(tmp_path, monkeypatch):
    src = write(tmp_path / "in.parquet", {"text": ["x"]})
    (tmp_path / "in.parquet.gz").write_bytes(b"")
    with pytest.raises(UsageError, match="standard input"):
        clean_files(["-"], WS, format="parquet", output=io.BytesIO(), stdin=io.BytesIO(src.read_bytes()))
    with pytest.raises(UsageError, match="compressed inside"):
        clean_files([tmp_path / "in.parquet.gz"], WS, output=tmp_path / "o")
    with pytest.raises(UsageError, match="concatenated"):
        clean_files([src, write(tmp_path / "b.parquet", {"text": ["y"]})], WS, output=io.BytesIO())
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(UsageError, match=r"pip install 'newsclean\[parquet\]'"):
        clean_files([src], WS, output=tmp_path / "o")


def test_the_planner_cuts_only_between_row_groups_and_counts_every_byte(tmp_path):
    from newsclean.io.parquet import row_group_ranges

    src = write(tmp_path / "in.parquet", {"text": [f"{i} " * 50 for i in range(1000)]}, row_group_size=100)
    plan = row_group_ranges(str(src), ["text", "nope"], 30_000)
    assert plan.columns == ["text"]
    starts = [r[0] for r in plan.ranges]
    ends = [r[1] for r in plan.ranges]
    assert starts[0] == 0 and ends[-1] == 10 and starts[1:] == ends[:-1]
    assert len(plan.ranges) > 2
    assert [r[2] for r in plan.ranges] == [s * 100 + 1 for s in starts]
    assert sum(r[3] for r in plan.ranges) == src.stat().st_size


@settings(max_examples=30)
@given(texts=st.lists(st.one_of(st.none(), st.text()), max_size=30), large=st.booleans())
def test_any_column_of_optional_strings_round_trips(tmp_path_factory, texts, large):
    folder = tmp_path_factory.mktemp("pq")
    src = write(folder / "in.parquet", {"text": pa.array(texts, pa.large_string() if large else pa.string())},
                row_group_size=7)
    summary = clean_files([src], WS, output=folder / "out")
    table = pq.read_table(folder / "out" / "in.parquet")
    assert table.schema == pq.read_schema(src)
    assert table.column("text").to_pylist() == [None if t is None else WS.clean(t) for t in texts]
    assert summary.records == len(texts)


def test_the_cli_reads_and_writes_parquet(tmp_path):
    src = write(tmp_path / "in.parquet", {"body": [DIRTY, None]})
    done = subprocess.run([sys.executable, "-m", "newsclean", str(src), "-o", str(tmp_path / "out"), "--field", "body",
                           "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert pq.read_table(tmp_path / "out" / "in.parquet").column("body").to_pylist() == [CLEAN, None]
