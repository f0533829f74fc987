"""Every executor writes what ``inline`` writes and reports what it reports.

A real ``distributed.LocalCluster`` (2 worker processes) and a local Ray runtime are started
here, once per test session, and shut down afterwards.  Each engine's tests skip, saying why,
when its extra is not installed.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean import Pipeline
from newsclean.run import clean_files
from newsclean.run.executors import ExecutorError
from run_helpers import BOOM, WS, KillOnceCleaner

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # the Parquet input is left out
    pa = pq = None

DIRTY = "a   b  \n\n\n\nc "
ENGINES = ["processes", "dask", "ray"]
COUNTS = ("files", "files_failed", "records", "documents", "documents_changed", "missing_field", "errors",
          "bytes_in", "bytes_out", "cleaners", "problems")


@pytest.fixture
def engine(request):
    """Run clean_files with one executor: its name and the keyword arguments that select it."""
    name = request.param
    if name == "dask":
        return name, {"executor": "dask", "address": request.getfixturevalue("dask_scheduler"), "jobs": 2}
    if name == "ray":
        request.getfixturevalue("ray_address")  # this process's runtime is used when no address is given
        return name, {"executor": "ray", "jobs": 2}
    return name, {"executor": name, "jobs": 2}


def jl(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_inputs(root: Path) -> Path:
    """JSONL (a malformed record, a document the boom cleaner fails on, a BOM), CSV with a malformed row,
    a folder of text files, a gzip shard, a file that is not valid UTF-8, and Parquet (nulls, a failing row)."""
    src = root / "src"
    (src / "texts").mkdir(parents=True)
    lines = [json.dumps({"n": i, "text": f"Story {i}  has   spaces\n\n\n\nend " if i % 3 else f"clean {i}"})
             for i in range(400)]
    lines.insert(57, "{broken json")
    lines.insert(230, json.dumps({"n": -1, "text": "BOOM  goes the cleaner"}))
    (src / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    rows = "".join(f'{i},"row  {i}\nsecond  line"\n' for i in range(150))
    (src / "table.csv").write_text("id,text\n" + rows + '151,"unterminated\n', encoding="utf-8")
    for i in range(6):
        (src / "texts" / f"doc{i}.txt").write_text(DIRTY * (i + 1), encoding="utf-8")
    with gzip.open(src / "shard.jsonl.gz", "wb") as handle:
        handle.write(jl(*({"text": f"zipped  {i}"} for i in range(120))))
    (src / "latin.txt").write_bytes(b"caf\xe9  au lait")
    if pq is not None:
        texts = [None if i % 11 == 0 else f"Parquet  row {i}\n\n\n\nend" for i in range(500)]
        texts[321] = "BOOM  in a row"
        table = pa.table({"id": list(range(500)), "text": pa.array(texts, pa.large_string())})
        pq.write_table(table, src / "news.parquet", row_group_size=60)
    return src


def run(src: Path, out: Path, pipeline: Pipeline, **kwargs):
    """The outputs, counts, problems, exit code and trace file of a run."""
    problems = []
    trace = out.with_name(out.name + "-trace.jsonl")
    summary = clean_files([src], pipeline, output=out, chunk_size=700, on_problem=problems.append, trace=trace,
                          **kwargs)
    data = summary.as_dict()
    return (files_in(out), {key: data[key] for key in COUNTS}, [str(p) for p in problems], summary.exit_code,
            trace.read_bytes())


@pytest.mark.parametrize("engine", ENGINES, indirect=True)
@pytest.mark.parametrize("on_error", ["keep", "skip", "fail"])
def test_every_executor_writes_and_reports_what_inline_does(tmp_path, engine, on_error):
    name, options = engine
    src = make_inputs(tmp_path)
    expected = run(src, tmp_path / "inline", BOOM, executor="inline", on_error=on_error)
    got = run(src, tmp_path / name, BOOM, on_error=on_error, **options)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert got[3] == expected[3] == 1
    assert got[4] == expected[4]  # the trace file: the same records, in input order
    records = [json.loads(line) for line in expected[4].splitlines()]
    assert len(records) == expected[1]["documents"]
    assert [r["line"] for r in records if r["source"] == f"{src}/a.jsonl"] == sorted(
        {r["line"] for r in records if r["source"] == f"{src}/a.jsonl"})
    if on_error != "fail":
        failed = [r for r in records if "error" in r]
        assert len(failed) == 1 + (pq is not None)
        assert all(r["edits"] == [] and "cleaner 'boom' failed" in r["error"] for r in failed)
        parquet = ["news.parquet"] if pq is not None else []
        assert sorted(expected[0]) == ["a.jsonl", *parquet, "shard.jsonl.gz", "table.csv"] + [
            f"texts/doc{i}.txt" for i in range(6)]
        messages = expected[2]
        assert f"{src}/a.jsonl:58: malformed JSON" in messages[0]
        assert messages[1].startswith(f"{src}/a.jsonl:231: cleaner 'boom' failed")
        assert messages[2].startswith(f"{src}/latin.txt: invalid utf-8 at byte 3 (line 1)")
        if parquet:
            assert messages.pop(3).startswith(f"{src}/news.parquet:322: cleaner 'boom' failed")
        assert messages[3].startswith(f"{src}/table.csv:") and "malformed CSV row" in messages[3]


@pytest.mark.parametrize("engine", ENGINES, indirect=True)
def test_diff_and_explain_reports_and_counts_are_identical_and_in_order(tmp_path, engine):

    _, options = engine
    src = make_inputs(tmp_path)
    for mode, header in (("diff", r"^\+\+\+ "), ("explain", r"^\S.*: \d+ edits? \(")):
        reports = []
        for kwargs in ({"executor": "inline"}, options):
            report = io.StringIO()
            summary = clean_files([src], WS, mode=mode, report=report, chunk_size=700, **kwargs)
            reports.append((report.getvalue(), summary.documents_changed, summary.as_dict()["cleaners"]))
        assert reports[0] == reports[1], mode
        text, changed, cleaners = reports[0]
        assert len(re.findall(header, text, re.MULTILINE)) == changed > 300, mode
        assert sum(cleaners["whitespace"]["categories"].values()) > changed


@pytest.mark.parametrize("engine", ENGINES, indirect=True)
def test_normal_and_explain_runs_count_the_same_with_every_executor(tmp_path, engine):
    _, options = engine
    src = make_inputs(tmp_path)
    counted = []
    for kwargs in ({"executor": "inline"}, options):
        normal = clean_files([src], BOOM, output=tmp_path / f"out{len(counted)}", chunk_size=700,
                             categories=True, **kwargs)
        explained = clean_files([src], BOOM, mode="explain", report=io.StringIO(), chunk_size=700, **kwargs)
        counted.append((normal.as_dict()["cleaners"], explained.as_dict()["cleaners"]))
    assert counted[0][0] == counted[0][1] == counted[1][0] == counted[1][1]
    assert counted[0][0]["whitespace"]["documents_changed"] > 300
    assert set(counted[0][0]["whitespace"]["categories"]) == {"blank-lines", "document-ends", "line-ends", "spaces"}


@pytest.mark.parametrize("engine", ["dask", "ray"], indirect=True)
def test_a_worker_killed_mid_task_loses_and_duplicates_nothing(tmp_path, engine):
    _, options = engine
    records = [{"n": i, "text": f"line {i}  with   spaces"} for i in range(3000)]
    records[1700]["text"] = "KILL  this worker"
    (tmp_path / "in.jsonl").write_bytes(jl(*records))
    marker = tmp_path / "killed"
    pipeline = Pipeline([KillOnceCleaner(marker=str(marker)), *WS.cleaners])
    summary = clean_files([tmp_path / "in.jsonl"], pipeline, output=tmp_path / "out", chunk_size=2000,
                          trace=tmp_path / "trace.jsonl", **options)
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker process died, mid-task
    lines = (tmp_path / "out" / "in.jsonl").read_bytes().decode().splitlines()
    assert [json.loads(line)["n"] for line in lines] == list(range(3000))
    assert lines[1700] == json.dumps({"n": 1700, "text": "KILL this worker"})
    assert summary.exit_code == 0 and summary.documents == 3000 and summary.documents_changed == 3000
    trace = [json.loads(line) for line in (tmp_path / "trace.jsonl").read_bytes().splitlines()]
    assert [r["line"] for r in trace] == list(range(1, 3001))  # the retried task's records, once
    assert [(e["original"], e["removed"]) for e in trace[1700]["edits"]] == [([5, 6], " ")]


@pytest.mark.parametrize("engine", ["dask", "ray"], indirect=True)
def test_the_time_limit_on_a_cluster(tmp_path, engine):
    """Ray runs tasks in its workers' main thread: a hung document is interrupted as with processes.  Dask
    runs them in worker threads, which nothing can interrupt: a slow document is reported when it ends."""
    from plugin_fixtures.hostile import hangs

    name, options = engine
    marks = {4: "SLOW"} if name == "dask" else {4: "SPIN", 9: "BACKTRACK", 14: "SLOW"}
    records = [{"n": i, "text": f"doc  {i} {marks.get(i, '')}".rstrip()} for i in range(20)]
    (tmp_path / "in.jsonl").write_bytes(jl(*records))
    pipeline = Pipeline([hangs.Spin(), hangs.Backtrack(), hangs.Slow(), *WS.cleaners])
    problems = []
    out = io.BytesIO()
    summary = clean_files([tmp_path / "in.jsonl"], pipeline, output=out, chunk_size=200, doc_timeout=1,
                          on_problem=problems.append, **options)
    assert out.getvalue() == jl(*({"n": i, "text": f"doc  {i} {marks[i]}" if i in marks else f"doc {i}"}
                                  for i in range(20)))
    assert summary.exit_code == 1 and summary.documents_changed == 20 - len(marks)
    if name == "dask":
        assert [p.line for p in problems] == [5]
        assert re.fullmatch(r"the document took \d+\.\d s, longer than the 1 s time limit \(field 'text'\); "
                            r"document kept unchanged", problems[0].message)
    else:
        assert [(p.line, p.message) for p in problems] == [
            (line, f"cleaner {cleaner!r} did not finish within the 1 s time limit (field 'text'); "
                   "document kept unchanged")
            for line, cleaner in ((5, "spin"), (10, "backtrack"), (15, "slow"))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("executor", "message"), [("dask", "Dask scheduler"), ("ray", "Ray cluster")])
def test_an_unreachable_cluster_is_one_line_and_exit_2(tmp_path, executor, message):
    pytest.importorskip("distributed" if executor == "dask" else "ray")
    (tmp_path / "a.txt").write_text(DIRTY)
    port = _free_port()
    option = "--scheduler" if executor == "dask" else "--address"
    done = subprocess.run(
        [sys.executable, "-m", "newsclean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"),
         "--executor", executor, option, f"127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == f"newsclean: error: cannot reach the {message} at 127.0.0.1:{port}: Connection refused\n"
    assert not (tmp_path / "out").exists()


def test_an_address_needs_a_cluster_executor(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY)
    with pytest.raises(ValueError, match="needs the dask or ray executor"):
        clean_files([tmp_path / "a.txt"], WS, output=tmp_path / "o", address="127.0.0.1:1")
    with pytest.raises(ValueError, match="jobs must be 1"):
        clean_files([tmp_path / "a.txt"], WS, output=tmp_path / "o", executor="inline", jobs=2)
    with pytest.raises(ExecutorError, match="cannot reach"):
        clean_files([tmp_path / "a.txt"], WS, output=tmp_path / "o", executor="dask",
                    address=f"127.0.0.1:{_free_port()}")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "newsclean", *args], capture_output=True, text=True, timeout=600,
                          env=env, stdin=subprocess.DEVNULL)


def _stats(path: Path) -> dict:
    data = json.loads(path.read_text())
    return {key: data[key] for key in COUNTS}


@pytest.mark.parametrize("which", ["dask-address", "dask-local", "ray-address", "ray-local"])
def test_the_cli_on_a_cluster_matches_inline(tmp_path, which, request):
    executor, where = which.split("-")
    pytest.importorskip("distributed" if executor == "dask" else "ray")
    src = make_inputs(tmp_path)
    base = ["--field", "text", "--chunk-size", "700", "-q"]
    inline = _cli(str(src), "-o", str(tmp_path / "inline"), "--executor", "inline",
                  "--stats", str(tmp_path / "inline.json"), "--trace", str(tmp_path / "inline.trace.gz"), *base)
    extra = ["--jobs", "2"]
    if where == "address":
        extra += (["--scheduler", request.getfixturevalue("dask_scheduler")] if executor == "dask"
                  else ["--address", request.getfixturevalue("ray_address")])
    other = _cli(str(src), "-o", str(tmp_path / "other"), "--executor", executor,
                 "--stats", str(tmp_path / "other.json"), "--trace", str(tmp_path / "other.trace.gz"), *base, *extra)
    assert other.returncode == inline.returncode == 1, other.stderr
    assert other.stderr == inline.stderr
    assert "malformed JSON" in inline.stderr
    assert files_in(tmp_path / "other") == files_in(tmp_path / "inline")
    assert _stats(tmp_path / "other.json") == _stats(tmp_path / "inline.json")
    assert json.loads((tmp_path / "other.json").read_text())["executor"] == executor
    trace = gzip.decompress((tmp_path / "inline.trace.gz").read_bytes())
    assert gzip.decompress((tmp_path / "other.trace.gz").read_bytes()) == trace
    assert trace.count(b"\n") == json.loads((tmp_path / "inline.json").read_text())["documents"] > 1000


def test_cli_address_options_need_their_executor(tmp_path, capsys):
    from newsclean.cli import main

    (tmp_path / "a.txt").write_text(DIRTY)
    for args in (["--scheduler", "tcp://127.0.0.1:1"], ["--executor", "dask", "--address", "127.0.0.1:1"]):
        with pytest.raises(SystemExit) as info:
            main([str(tmp_path / "a.txt"), *args])
        assert info.value.code == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err
    assert main([str(tmp_path / "a.txt"), "--executor", "inline", "--jobs", "2"]) == 2
    assert "the inline executor cleans in this process: jobs must be 1" in capsys.readouterr().err
