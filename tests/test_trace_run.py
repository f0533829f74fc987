"""``--trace FILE.jsonl`` and ``clean_files(trace=...)``: one record per document, in input order.

The record format is :mod:`newsclean.render.records`; these tests check what a file run puts in
it: every document the summary counts, named by its input, line (or row) and field, with edits
that rebuild the written output from the raw input, the same whatever the jobs and chunking,
and written atomically.  The executors' tests (``test_executors.py``) compare the trace files
of ``inline``, ``processes``, ``dask`` and ``ray`` runs.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Pipeline
from newsclean.io.atomic import TEMP_SUFFIX
from newsclean.render.records import read_trace
from newsclean.run import UsageError, clean_files
from newsclean.testing.strategies import dirty_news_text
from newsclean.tracing import Edit, apply_edits
from run_helpers import BOOM, WS

DEFAULT = Pipeline.default()


def jl(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def traced(*args, **kwargs) -> tuple[list[dict], object]:
    """Run clean_files with the trace going to a stream; its records and the summary."""
    stream = io.BytesIO()
    summary = clean_files(*args, trace=stream, **kwargs)
    return list(read_trace(io.BytesIO(stream.getvalue()))), summary


def rebuild(raw: str, record: dict) -> str:
    """What an auditor does: apply the record's edits to the raw document."""
    edits = [Edit(e["cleaner"], e["category"], tuple(e["original"]), tuple(e["cleaned"]), e["removed"],
                  e["inserted"]) for e in record["edits"]]
    for edit in edits:
        assert raw[slice(*edit.original)] == edit.removed
    return apply_edits(raw, edits)


STORIES = [
    "Sen. Jane Doe said&nbsp;the vote  would wait.\nAdvertisement\nIt did.  ",
    "Clean text.",
    "caf\u00c3\u00a9 \u201cquoted\u201d\u00a0text\r\n\r\n\r\n\r\nend",
    "Subscribe to our newsletter\nThe council met on Tuesday.",
]


def test_one_record_per_document_in_input_order_that_rebuilds_the_output(tmp_path):
    records = [{"id": i, "title": f"Title  {i}", "text": STORIES[i % len(STORIES)]} for i in range(40)]
    lines = jl(*records).decode().splitlines()
    lines.insert(5, "{not json")                      # malformed: no document, no record
    lines.insert(9, json.dumps({"id": "x", "body": "no text field"}))  # no field: no record
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    trace, summary = traced([tmp_path / "a.jsonl"], DEFAULT, output=out, fields=["title", "text"], chunk_size=300)
    assert summary.documents == len(trace) == 80
    assert [(r["source"], r["line"], r["field"]) for r in trace] == [
        (str(tmp_path / "a.jsonl"), n, field)
        for n in [i + 1 for i in range(len(lines)) if i not in (5, 9)] for field in ("title", "text")
    ]
    assert all(r["id"] is None for r in trace)
    cleaned = [json.loads(line) for line in (out / "a.jsonl").read_text().splitlines() if line.startswith('{"id": ')]
    cleaned = [r for r in cleaned if "text" in r]
    for record, raw, done in zip(trace[1::2], records, cleaned, strict=True):
        assert record["length"] == [len(raw["text"]), len(done["text"])]
        assert rebuild(raw["text"], record) == done["text"]
    assert sum(1 for r in trace if r["edits"]) == summary.documents_changed


def test_csv_plain_text_compressed_and_parquet_inputs_are_named_by_line_or_row(tmp_path):
    src = tmp_path / "src"
    (src / "texts").mkdir(parents=True)
    with open(src / "table.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i, story in enumerate(STORIES):
            writer.writerow([i, story])  # rows with line breaks inside: a row's line is where it starts
    for i, story in enumerate(STORIES[:2]):
        (src / "texts" / f"{i}.txt").write_text(story)
    with gzip.open(src / "z.jsonl.gz", "wb") as handle:
        handle.write(jl(*({"text": story} for story in STORIES)))
    trace, summary = traced([src], DEFAULT, output=tmp_path / "out", chunk_size=200)
    assert summary.exit_code == 0 and len(trace) == summary.documents == 10
    where = [(Path(r["source"]).relative_to(src).as_posix(), r["line"], r["field"]) for r in trace]
    assert where[:4] == [("table.csv", line, "text") for line in _csv_row_lines(src / "table.csv")]
    assert where[4:] == [*[("z.jsonl.gz", n, "text") for n in range(1, 5)],  # a folder's files, then subfolders
                         ("texts/0.txt", None, None), ("texts/1.txt", None, None)]
    assert rebuild(STORIES[0], trace[8]) == (tmp_path / "out" / "texts" / "0.txt").read_text()

    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsclean[parquet]')")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"text": [STORIES[0], None, STORIES[2]]}), tmp_path / "p.parquet", row_group_size=1)
    trace, summary = traced([tmp_path / "p.parquet"], DEFAULT, output=tmp_path / "pout")
    assert [(r["line"], r["field"]) for r in trace] == [(1, "text"), (3, "text")]  # rows from 1; nulls are no text
    column = pq.read_table(tmp_path / "pout" / "p.parquet").column("text").to_pylist()
    assert rebuild(STORIES[2], trace[1]) == column[2]


def test_a_parquet_file_with_several_columns_is_traced_row_by_row(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsclean[parquet]')")
    pq = pytest.importorskip("pyarrow.parquet")
    titles = [f"Title  {i}" for i in range(7)]
    texts = [STORIES[i % len(STORIES)] for i in range(7)]
    pq.write_table(pa.table({"title": titles, "text": texts}), tmp_path / "p.parquet", row_group_size=3)
    trace, summary = traced([tmp_path / "p.parquet"], DEFAULT, output=tmp_path / "out", fields=["title", "text"],
                            chunk_size=1)  # one task per row group
    assert summary.documents == len(trace) == 14
    assert [(r["line"], r["field"]) for r in trace] == [(row, f) for row in range(1, 8) for f in ("title", "text")]
    table = pq.read_table(tmp_path / "out" / "p.parquet").to_pydict()
    for k, record in enumerate(trace):
        raw = (titles if record["field"] == "title" else texts)[k // 2]
        assert rebuild(raw, record) == table[record["field"]][k // 2]


def test_an_unwritable_trace_file_is_a_usage_error_before_any_work(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(jl({"text": "a  b"}))
    (tmp_path / "blocker").write_text("a file, not a folder")
    with pytest.raises(UsageError, match=r"cannot write the trace file .*blocker/t\.jsonl"):
        clean_files([tmp_path / "a.jsonl"], WS, output=tmp_path / "out", trace=tmp_path / "blocker" / "t.jsonl")
    assert not (tmp_path / "out").exists()
    done = _cli("a.jsonl", "-o", "out", "--trace", "blocker/t.jsonl", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "out").exists()
    assert done.stderr.decode().startswith("newsclean: error: cannot write the trace file blocker/t.jsonl: ")
    assert done.stderr.count(b"\n") == 1


def _csv_row_lines(path: Path) -> list[int]:
    """The line each data row of a CSV file starts on (from 1; the header is line 1)."""
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts = []
        line = reader.line_num + 1
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return starts


@pytest.mark.parametrize("on_error", ["keep", "skip"])
def test_a_document_a_cleaner_failed_on_has_a_record_with_the_error(tmp_path, on_error):
    (tmp_path / "a.jsonl").write_bytes(jl({"text": "fine  1"}, {"text": "BOOM  here"}, {"text": "fine  3"}))
    trace, summary = traced([tmp_path / "a.jsonl"], BOOM, output=tmp_path / "out", on_error=on_error)
    assert summary.errors == 1 and len(trace) == 3
    failed = trace[1]
    assert failed["line"] == 2 and failed["edits"] == []
    assert failed["error"] == summary.problems[0].message and "cleaner 'boom' failed" in failed["error"]
    assert failed["length"] == [10, 10 if on_error == "keep" else None]
    assert "error" not in trace[0] and trace[0]["edits"]


def test_a_file_that_fails_part_way_has_no_records_as_the_summary_counts_none_of_it(tmp_path):
    """The trace holds exactly the documents the summary counts: a file that fails in a later chunk
    (a record over --max-doc-size) is neither counted nor traced, its earlier chunks included."""
    good = [{"text": STORIES[i % len(STORIES)]} for i in range(30)]
    (tmp_path / "a.jsonl").write_bytes(jl(*good, {"text": "x" * 5000}, *good))
    (tmp_path / "b.jsonl").write_bytes(jl(*good))
    trace, summary = traced([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], DEFAULT, output=tmp_path / "out",
                            chunk_size=600, max_doc_size=2000)
    assert summary.files_failed == 1 and summary.files == 1
    assert not (tmp_path / "out" / "a.jsonl").exists()
    assert len(trace) == summary.documents == len(good)
    assert {r["source"] for r in trace} == {str(tmp_path / "b.jsonl")}


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], cwd=cwd, capture_output=True,
                          env=env, timeout=300)


def test_the_trace_file_is_identical_with_jobs_1_and_2_and_in_explain_runs(tmp_path):
    """Issue 12: with --jobs the trace file is complete and in input order."""
    (tmp_path / "src").mkdir()
    records = [{"n": i, "text": STORIES[i % len(STORIES)] + f" {i}"} for i in range(3000)]
    (tmp_path / "src" / "big.jsonl").write_bytes(jl(*records))
    with gzip.open(tmp_path / "src" / "small.jsonl.gz", "wb") as handle:
        handle.write(jl(*records[:50]))
    for i in range(5):
        (tmp_path / "src" / f"doc{i}.txt").write_text(STORIES[i % len(STORIES)])
    common = ["src", "--chunk-size", "20K", "-q"]
    one = _cli(*common, "-o", "one", "--jobs", "1", "--trace", "one.jsonl", "--stats", "one.json", cwd=tmp_path)
    two = _cli(*common, "-o", "two", "--jobs", "2", "--trace", "two.jsonl", "--stats", "two.json", cwd=tmp_path)
    assert one.returncode == two.returncode == 0, two.stderr
    first = (tmp_path / "one.jsonl").read_bytes()
    assert (tmp_path / "two.jsonl").read_bytes() == first
    stats = json.loads((tmp_path / "one.json").read_text())
    assert json.loads((tmp_path / "two.json").read_text())["jobs"] == 2
    trace = [json.loads(line) for line in first.splitlines()]
    assert len(trace) == stats["documents"] == 3000 + 50 + 5
    assert [r["line"] for r in trace if r["source"] == "src/big.jsonl"] == list(range(1, 3001))
    # An explain run traces the same documents the same way (and prints its report besides).
    explain = _cli(*common, "--explain", "--jobs", "2", "--trace", "explain.jsonl", "--stats", "explain.json",
                   cwd=tmp_path)
    assert explain.returncode == 0 and (tmp_path / "explain.jsonl").read_bytes() == first
    assert json.loads((tmp_path / "explain.json").read_text())["cleaners"] == stats["cleaners"]


def test_tracing_counts_what_explain_and_stats_runs_count(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(jl(*({"text": STORIES[i % 4]} for i in range(60))))
    _, plain = traced([tmp_path / "a.jsonl"], DEFAULT, output=tmp_path / "o1")
    counted = clean_files([tmp_path / "a.jsonl"], DEFAULT, output=tmp_path / "o2", categories=True)
    explained = clean_files([tmp_path / "a.jsonl"], DEFAULT, mode="explain", report=io.StringIO())
    assert plain.as_dict()["cleaners"] == counted.as_dict()["cleaners"] == explained.as_dict()["cleaners"]
    assert plain.cleaners["boilerplate"].categories == {"advertisement": 15, "newsletter": 15}


@settings(max_examples=40)
@given(texts=st.lists(dirty_news_text(max_fragments=12), min_size=1, max_size=12),
       chunk=st.integers(min_value=1, max_value=400))
def test_any_texts_any_chunking_the_records_rebuild_the_output(tmp_path_factory, texts, chunk):
    folder = tmp_path_factory.mktemp("trace")
    # ASCII JSON: texts may hold lone surrogates (as escapes), which the trace must carry too
    (folder / "in.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    trace, summary = traced([folder / "in.jsonl"], DEFAULT, output=folder / "out", chunk_size=chunk)
    out = [json.loads(line)["text"] for line in (folder / "out" / "in.jsonl").read_text().splitlines()]
    assert [r["line"] for r in trace] == list(range(1, len(texts) + 1))
    for raw, done, record in zip(texts, out, trace, strict=True):
        assert rebuild(raw, record) == done == DEFAULT.clean(raw)
    assert summary.documents == len(trace)


def test_the_trace_file_is_written_atomically_and_never_onto_an_input_or_output(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(jl({"text": "a  b"}, {"text": "c  d"}))
    src = tmp_path / "a.jsonl"

    def interrupt(problem):
        raise KeyboardInterrupt

    (tmp_path / "b.jsonl").write_bytes(b"{broken\n")
    with pytest.raises(KeyboardInterrupt):
        clean_files([src, tmp_path / "b.jsonl"], WS, output=tmp_path / "out", trace=tmp_path / "t.jsonl",
                    on_problem=interrupt)
    assert not (tmp_path / "t.jsonl").exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(TEMP_SUFFIX)]

    for trace, message in ((src, "is an input"), (tmp_path / "out" / "a.jsonl", "is where"),
                           (tmp_path, "is a folder")):
        with pytest.raises(UsageError, match=message):
            clean_files([src], WS, output=tmp_path / "out", trace=trace)
    with pytest.raises(UsageError, match="inside input folder"):
        clean_files([tmp_path], WS, output=tmp_path.parent / f"{tmp_path.name}-out", trace=tmp_path / "sub" / "t.jsonl")
    assert src.read_bytes() == jl({"text": "a  b"}, {"text": "c  d"})

    summary = clean_files([src], WS, output=tmp_path / "out", trace=tmp_path / "t.jsonl.gz")
    assert summary.exit_code == 0
    trace = [json.loads(line) for line in gzip.decompress((tmp_path / "t.jsonl.gz").read_bytes()).splitlines()]
    assert [r["length"] for r in trace] == [[4, 3], [4, 3]]

    done = _cli("a.jsonl", "--trace", "-", cwd=tmp_path)
    assert done.returncode == 2 and b"--trace needs a file name" in done.stderr


def test_the_readme_shows_a_real_record(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = json.loads(readme.split("```json\n", 1)[1].split("```", 1)[0])
    (tmp_path / "dump.jsonl").write_bytes(jl({"text": "Smith&amp;Co rose."}))
    trace, _ = traced([tmp_path / "dump.jsonl"], Pipeline(["html"]), output=tmp_path / "out")
    assert list(shown) == list(trace[0]) and list(shown["edits"][0]) == list(trace[0]["edits"][0])
    assert trace[0]["edits"][0] == {**shown["edits"][0], "original": [5, 10], "cleaned": [5, 6]}
