"""Compressed shards: in a run of several inputs, each compressed file is one task that a worker
decompresses, cleans and compresses; the result is what streaming it through this process gives."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma

import pytest

from newsclean.io.discovery import discover
from newsclean.run import clean_files
from newsclean.run.plan import Planner, open_input
from newsclean.run.tasks import ReadOptions, Settings, Task
from run_helpers import BOOM, WS

DIRTY = "a   b  \n\n\n\nc "


def jl(*records: dict) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


@pytest.fixture
def shards(tmp_path):
    src = tmp_path / "shards"
    src.mkdir()
    rows = [{"n": i, "text": DIRTY if i % 2 else f"ok {i}"} for i in range(500)]
    body = jl(*rows).splitlines(keepends=True)
    body.insert(40, b"{not json\n")
    body.insert(90, b'{"text": "BOOM  x"}\n')
    (src / "part-0.jsonl.gz").write_bytes(gzip.compress(b"".join(body), mtime=0))
    (src / "part-1.csv.bz2").write_bytes(bz2.compress(b"id,text\n" + b"".join(
        f'{i},"row  {i}\nmore"\n'.encode() for i in range(200))))
    (src / "part-2.txt.xz").write_bytes(lzma.compress(("\ufeff" + DIRTY * 3).encode()))
    # a text file that does not decode fails as a whole (in JSONL or CSV only the record would)
    broken = [f"line  {i}\n".encode() for i in range(300)]
    broken[250] = b"bad \xff byte\n"
    (src / "part-3.txt.gz").write_bytes(gzip.compress(b"".join(broken), mtime=0))
    (src / "part-4.csv.gz").write_bytes(gzip.compress(b"title,body\nx,y\n"))  # no 'text' column
    return src


def test_a_compressed_input_among_several_is_one_task(shards):
    inputs, _, _ = discover([str(shards)])
    read = ReadOptions(100, 10_000, ("text",), None)
    settings = Settings("clean", ("text",), "keep", "utf-8", "strict")
    for sharded, expected in ((True, 1), (False, 10)):
        planner = Planner(settings, read, workers=2, shards=sharded)
        with open_input(inputs[0], None) as stream:
            tasks = [item for item in planner.plan(inputs[0], stream, output_compression="gzip")
                     if isinstance(item, Task)]
        assert (len(tasks) == 1) if expected == 1 else (len(tasks) >= expected)
        assert all((t.compression == "gzip") == sharded for t in tasks)


@pytest.mark.parametrize("jobs", [1, 2])
def test_shards_write_and_report_what_streaming_each_file_does(shards, tmp_path, jobs):
    together = []
    summary = clean_files([shards], BOOM, output=tmp_path / "together", chunk_size=300, jobs=jobs,
                          on_problem=together.append)
    alone = []
    for path in sorted(shards.iterdir()):
        clean_files([path], BOOM, output=tmp_path / "alone", chunk_size=300, on_problem=alone.append)
    assert [str(p) for p in together] == [str(p) for p in alone]
    assert [(p.level, p.path.rsplit("/", 1)[-1]) for p in together] == [
        ("error", "part-0.jsonl.gz"), ("error", "part-0.jsonl.gz"), ("error", "part-3.txt.gz"),
        ("error", "part-4.csv.gz")]
    assert "invalid utf-8 at byte" in together[2].message and "(line 251)" in together[2].message
    written = {p.name: p.read_bytes() for p in (tmp_path / "together").iterdir()}
    assert written == {p.name: p.read_bytes() for p in (tmp_path / "alone").iterdir()}
    assert sorted(written) == ["part-0.jsonl.gz", "part-1.csv.bz2", "part-2.txt.xz", "part-4.csv.gz"]
    lines = gzip.decompress(written["part-0.jsonl.gz"]).decode().splitlines()
    assert len(lines) == 502 and lines[40] == "{not json"
    assert lzma.decompress(written["part-2.txt.xz"]).decode() == "\ufeff" + WS.clean(DIRTY * 3)
    assert summary.files == 4 and summary.files_failed == 1 and summary.errors == 4


def test_shards_into_one_stream_are_plain_bytes(shards, tmp_path):
    parts = [shards / "part-0.jsonl.gz", shards / "part-2.txt.xz"]
    sink = io.BytesIO()
    clean_files(parts, WS, output=sink)
    expected = b""
    for path in parts:
        one = io.BytesIO()
        clean_files([path], WS, output=one)
        expected += one.getvalue()
    assert sink.getvalue() == expected and expected.startswith(b'{"n": 0')
