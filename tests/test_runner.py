"""The Python runner API behind the CLI: clean_files, clean_records, clean_texts, RunSummary."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import multiprocessing
import os
import sys

import pytest
from hypothesis import example, given, settings

from newsclean import CleanerError, Pipeline
from newsclean.io.atomic import TEMP_SUFFIX
from newsclean.run.executors import processes
from newsclean.run.tasks import Settings
from newsclean.run.worker import Worker
from newsclean.runner import RunSummary, UsageError, clean_files, clean_records, clean_texts
from newsclean.testing.strategies import dirty_news_text
from run_helpers import BOOM, WS

DIRTY = "a   b  \n\n\n\nc "
CLEAN = "a b\n\nc"


def jl(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def files_in(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "one.txt").write_text(DIRTY, encoding="utf-8")
    (src / "sub" / "two.jsonl").write_bytes(
        jl(*({"id": i, "text": DIRTY if i % 3 else "fine", "title": "Été"} for i in range(40)))
    )
    (src / "sub" / "three.csv").write_bytes(b'id,text\n1,"x  y\nz"\n2,ok\n')
    with gzip.open(src / "four.txt.gz", "wb") as handle:
        handle.write(DIRTY.encode())
    return src


def test_clean_files_mirrors_the_tree_and_counts(corpus, tmp_path):
    out = tmp_path / "out"
    summary = clean_files([corpus], WS, output=out)
    written = files_in(out)
    assert sorted(written) == ["four.txt.gz", "one.txt", "sub/three.csv", "sub/two.jsonl"]
    assert written["one.txt"] == CLEAN.encode()
    assert gzip.decompress(written["four.txt.gz"]) == CLEAN.encode()
    assert written["sub/three.csv"] == b'id,text\n1,"x y\nz"\n2,ok\n'
    lines = written["sub/two.jsonl"].decode().splitlines()
    assert json.loads(lines[1]) == {"id": 1, "text": CLEAN, "title": "Été"}
    assert lines[0] == '{"id": 0, "text": "fine", "title": "Été"}'
    assert summary.files == 4 and summary.exit_code == 0 and summary.errors == 0
    assert summary.documents == 1 + 1 + 40 + 2
    assert summary.documents_changed == 1 + 1 + 26 + 1
    assert summary.cleaners["whitespace"].documents_changed == summary.documents_changed
    assert summary.cleaners["whitespace"].chars_removed == 28 * (len(DIRTY) - len(CLEAN)) + 1
    assert summary.bytes_in > 0 and summary.bytes_out > 0
    assert json.loads(json.dumps(summary.as_dict()))["cleaners"]["whitespace"]["documents_changed"] == 29
    assert "whitespace" in summary.format()


def _mixed_inputs(tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    records = []
    for i in range(300):
        text = f"Paragraph {i}  with   extra spaces\n\n\n\nEnd {i} " if i % 2 else f"clean {i}"
        records.append({"n": i, "text": text})
    body = jl(*records).decode().splitlines(keepends=True)
    body.insert(77, "{broken json\n")
    body.insert(150, '{"text": "BOOM  here"}\n')
    (src / "big.jsonl").write_text("".join(body), encoding="utf-8")
    (src / "rows.csv").write_text("text,n\n" + "".join(f'"row  {i}\nline",{i}\n' for i in range(120)))
    for i in range(12):
        (src / f"doc{i:02}.txt").write_text(DIRTY * (i + 1))
    return src


@pytest.mark.parametrize("on_error", ["keep", "skip"])
def test_parallel_output_is_identical_and_in_order(tmp_path, on_error):
    src = _mixed_inputs(tmp_path)
    results = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}-{on_error}"
        problems = []
        summary = clean_files([src], BOOM, output=out, jobs=jobs, chunk_size=512, on_error=on_error,
                              on_problem=problems.append)
        results.append((files_in(out), summary.as_dict(), [str(p) for p in problems]))
    (out1, sum1, prob1), (out2, sum2, prob2) = results
    assert out1 == out2
    assert prob1 == prob2
    for key in ("files", "records", "documents", "documents_changed", "errors", "bytes_in", "bytes_out", "cleaners"):
        assert sum1[key] == sum2[key], key
    assert sum2["jobs"] == 2
    assert [p.split(": ", 1)[0] for p in prob1] == [f"{tmp_path}/mixed/big.jsonl:78", f"{tmp_path}/mixed/big.jsonl:151"]
    assert "malformed JSON" in prob1[0] and "cleaner 'boom' failed" in prob1[1] and "kaboom" in prob1[1]
    lines = out1["big.jsonl"].decode().splitlines()
    if on_error == "keep":
        assert lines[77] == "{broken json" and lines[150] == '{"text": "BOOM  here"}'
        assert len(lines) == 302
    else:
        assert len(lines) == 300
    assert [json.loads(line)["n"] for line in lines if line.startswith('{"n"')] == list(range(300))
    assert out1["doc05.txt"] == WS.clean(DIRTY * 6).encode()
    assert out1["rows.csv"].decode().splitlines()[1:3] == ['"row 0', 'line",0']


def test_workers_are_forked_on_linux_unless_threads_are_running():
    import threading

    from newsclean.run.executors.processes import _pool_context

    if not sys.platform.startswith("linux"):
        assert _pool_context() is multiprocessing.get_context()
        return
    if threading.active_count() != 1:
        pytest.skip("another test left a thread running")
    assert _pool_context().get_start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _pool_context() is multiprocessing.get_context()  # the platform's default, whatever it is
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shared slots need forked workers (Linux)")
def test_parallel_outputs_come_through_shared_slots_and_oversized_ones_through_the_pipe(tmp_path, monkeypatch):
    seen = []
    result = processes._PoolHandle.result

    def spy(self):
        out = result(self)
        seen.append(isinstance(out.out, memoryview))
        return out

    monkeypatch.setattr(processes._PoolHandle, "result", spy)
    huge = "word  " * 40_000  # 240 KB: larger than a slot for 512-byte chunks (2 * 512 + 64 KiB)
    records = [{"n": i, "text": f"line {i}  with  spaces"} for i in range(200)]
    records.insert(100, {"n": -1, "text": huge})
    (tmp_path / "in.jsonl").write_bytes(jl(*records))
    outputs = []
    for jobs in (1, 2):
        seen.clear()
        sink = io.BytesIO()
        summary = clean_files([tmp_path / "in.jsonl"], WS, output=sink, jobs=jobs, chunk_size=512)
        assert summary.exit_code == 0 and summary.bytes_out == len(sink.getvalue())
        outputs.append((sink.getvalue(), list(seen)))
    (serial, serial_seen), (parallel, parallel_seen) = outputs
    assert parallel == serial
    assert json.loads(serial.splitlines()[100])["text"] == WS.clean(huge)
    assert serial_seen == []  # no worker processes, no slots
    assert sum(parallel_seen) > 10
    assert parallel_seen.count(False) == 1  # the huge record's chunk came through the pipe


def test_without_worker_processes_the_run_warns_and_cleans_in_this_process(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no semaphores here")

    made = []
    slots_class = processes.SharedSlots

    class Tracked(slots_class):
        @classmethod
        def for_chunks(cls, count, chunk_size):
            made.append(slots_class.for_chunks(count, chunk_size))
            return made[-1]

    monkeypatch.setattr(processes.ProcessesExecutor, "_spawn", refuse)
    monkeypatch.setattr(processes, "SharedSlots", Tracked)
    (tmp_path / "in.jsonl").write_bytes(jl(*({"text": DIRTY} for _ in range(50))))
    problems = []
    sink = io.BytesIO()
    summary = clean_files([tmp_path / "in.jsonl"], WS, output=sink, jobs=2, chunk_size=256,
                          on_problem=problems.append)
    assert sink.getvalue() == jl(*({"text": CLEAN} for _ in range(50)))
    assert summary.exit_code == 0 and summary.documents_changed == 50
    assert [(p.level, p.message) for p in problems] == [
        ("warning", "cannot start worker processes (no semaphores here); cleaning in this process only")
    ]
    if made:  # forked workers were planned: their shared slots were released again
        assert made[0].take() == 0 and not made[0].store(0, b"x")


def test_fail_policy_stops_and_writes_nothing_for_the_failing_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_bytes(jl({"text": "ok  1"}, {"text": "BOOM"}, {"text": "ok  3"}))
    out = tmp_path / "out"
    summary = clean_files([src / "a.jsonl"], BOOM, output=out, on_error="fail")
    assert summary.exit_code == 1 and summary.errors == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_invalid_utf8_names_file_offset_and_line_and_skips_only_that_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(DIRTY)
    (src / "bad.txt").write_bytes(b"caf\xc3\xa9 ok\nbroken \xff here")
    lines = [json.dumps({"text": f"line  {i}"}).encode() + b"\n" for i in range(50)]
    lines[30] = b'{"text": "bad \xe9 byte"}\n'
    (src / "bad.jsonl").write_bytes(b"".join(lines))
    expected_offset = len(b"".join(lines[:30])) + len(b'{"text": "bad ')
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        summary = clean_files([src], WS, output=out, jobs=jobs, chunk_size=100)
        messages = sorted(str(p) for p in summary.problems)
        assert messages == [
            # in a record format, only that record (kept byte for byte under on_error="keep")
            f"{src}/bad.jsonl:31: invalid utf-8 at byte {expected_offset}: invalid continuation byte",
            f"{src}/bad.txt: invalid utf-8 at byte 16 (line 2): invalid start byte; "
            "file skipped (choose the right encoding, or replace invalid bytes)",
        ]
        assert sorted(files_in(out)) == ["bad.jsonl", "good.txt"]
        written = (out / "bad.jsonl").read_bytes().splitlines(keepends=True)
        assert written[30] == lines[30] and written[29] == b'{"text": "line 29"}\n'
        assert summary.files == 2 and summary.files_failed == 1 and summary.exit_code == 1

    out = tmp_path / "replaced"
    summary = clean_files([src / "bad.txt"], WS, output=out, errors="replace")
    assert (out / "bad.txt").read_text() == "café ok\nbroken \ufffd here" and summary.exit_code == 0
    summary = clean_files([src / "bad.txt"], WS, output=tmp_path / "latin", encoding="latin-1")
    assert (tmp_path / "latin" / "bad.txt").read_text() == "cafÃ© ok\nbroken ÿ here"


def test_binary_empty_unreadable_and_too_large_inputs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "nul.txt").write_bytes(b"text\x00with nul")
    (src / "empty.txt").write_bytes(b"")
    (src / "empty.jsonl").write_bytes(b"")
    (src / "corrupt.txt.gz").write_bytes(b"this is not gzip")
    (src / "large.txt").write_text("x" * 200)
    out = tmp_path / "out"
    summary = clean_files([src, tmp_path / "missing.txt"], WS, output=out, max_doc_size=100)
    messages = {p.path.rsplit("/", 1)[-1]: p.message for p in summary.problems}
    assert messages["nul.txt"] == "binary file (contains NUL bytes); skipped"
    assert messages["corrupt.txt.gz"].startswith("cannot read: ")
    assert "larger than the 100-byte limit" in messages["large.txt"]
    assert messages["missing.txt"] == "no such file or folder"
    assert files_in(out) == {"empty.jsonl": b"", "empty.txt": b""}
    assert summary.exit_code == 1


def test_in_place_replaces_changed_files_keeps_backups_and_leaves_unchanged_files_alone(tmp_path):
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(DIRTY)
    fine = tmp_path / "fine.txt"
    fine.write_text("fine")
    past = 1_000_000_000
    os.utime(fine, (past, past))
    summary = clean_files([dirty, fine], WS, in_place=True, backup=".orig")
    assert dirty.read_text() == CLEAN and (tmp_path / "dirty.txt.orig").read_text() == DIRTY
    assert fine.read_text() == "fine" and fine.stat().st_mtime == past
    assert not (tmp_path / "fine.txt.orig").exists()
    assert summary.files == 2 and summary.exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_refusals(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a")
    (src / "b.txt").write_text("b")
    with pytest.raises(UsageError, match="several inputs"):
        clean_files([src], WS)
    with pytest.raises(UsageError, match="inside input folder"):
        clean_files([src], WS, output=src / "out")
    with pytest.raises(UsageError, match="inside input folder"):
        clean_files([src], WS, output=src)
    with pytest.raises(UsageError, match="is an input"):
        clean_files([src / "a.txt"], WS, output=src)
    with pytest.raises(UsageError, match="in place"):
        clean_files(["-"], WS, in_place=True)
    with pytest.raises(UsageError, match="writes nothing"):
        clean_files([src], WS, output=tmp_path / "o", mode="diff")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("x")
    with pytest.raises(UsageError, match="both be written"):
        clean_files([src / "a.txt", tmp_path / "x" / "a.txt"], WS, output=tmp_path / "o")
    with pytest.raises(ValueError, match="on_error"):
        clean_files([src], WS, output=tmp_path / "o", on_error="ignore")
    assert not (tmp_path / "o").exists()


def test_stream_output_stdin_and_bom(tmp_path):
    sink = io.BytesIO()
    summary = clean_files(["-"], WS, output=sink, stdin=io.BytesIO(DIRTY.encode()))
    assert sink.getvalue() == CLEAN.encode() and summary.documents == 1
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + DIRTY.encode())
    sink = io.BytesIO()
    clean_files([tmp_path / "bom.txt"], WS, output=sink)
    assert sink.getvalue() == b"\xef\xbb\xbf" + CLEAN.encode()
    sink = io.BytesIO()
    clean_files(["-"], WS, output=sink, format="jsonl", stdin=io.BytesIO(jl({"text": DIRTY}, {"text": "ok"})))
    assert sink.getvalue() == jl({"text": CLEAN}, {"text": "ok"})


def test_diff_and_explain_report_without_writing(tmp_path):
    doc = tmp_path / "doc.jsonl"
    doc.write_bytes(jl({"text": "same"}, {"text": "two  spaces\nsecond line"}))
    report = io.StringIO()
    summary = clean_files([doc], WS, mode="diff", report=report)
    assert report.getvalue() == (
        f"--- {doc}:2 [text]\n+++ {doc}:2 [text]\n@@ -1,2 +1,2 @@\n-two [- -]spaces\n+two spaces\n second line\n"
    )
    assert summary.documents_changed == 1 and summary.bytes_out == 0
    report = io.StringIO()
    clean_files([doc], WS, mode="explain", report=report)
    assert report.getvalue().splitlines() == [
        f"{doc}:2 [text]: 1 edit (whitespace 1)",
        "  1:5  whitespace  spaces  two [- -]spaces⏎second line",
    ]


def test_csv_columns_by_name_and_index_and_missing_column_warning(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("title\tbody\nA  b\tc  d\n")
    sink = io.BytesIO()
    clean_files([table], WS, output=sink, columns=["1"])
    assert sink.getvalue() == b"title\tbody\nA  b\tc d\n"
    sink = io.BytesIO()
    summary = clean_files([table], WS, output=sink, columns=["nope"])
    assert sink.getvalue() == table.read_bytes()
    assert summary.problems[0].level == "error" and "no column 'nope'" in summary.problems[0].message
    assert summary.exit_code == 1 and summary.missing_field == 1


def test_clean_records_and_texts():
    unchanged = {"text": "fine", "other": 1}
    records = [unchanged, {"text": DIRTY, "title": "T  t"}, {"title": "no text"}, {"text": "BOOM"}]
    summary = RunSummary()
    out = list(clean_records(records, BOOM, fields=["text", "title"], summary=summary))
    assert out[0] is unchanged
    assert out[1] == {"text": CLEAN, "title": "T t"} and records[1]["text"] == DIRTY
    assert out[2] == {"title": "no text"} and out[3] == {"text": "BOOM"}
    assert summary.errors == 1 and "boom" in summary.problems[0].message
    parallel = list(clean_records(records * 50, BOOM, fields=["text", "title"], jobs=2, batch_size=7))
    assert parallel == out * 50
    skipped = list(clean_records(records, BOOM, on_error="skip"))
    assert len(skipped) == 3
    with pytest.raises(CleanerError) as info:
        list(clean_records(records, BOOM, on_error="fail"))
    assert info.value.cleaner == "boom"
    assert list(clean_texts([DIRTY, "ok"], WS)) == [CLEAN, "ok"]
    assert list(clean_texts([DIRTY, "BOOM", "ok"], BOOM, on_error="skip")) == [CLEAN, "ok"]
    assert list(clean_texts([DIRTY, "BOOM", "ok"], BOOM, on_error="keep", jobs=2)) == [CLEAN, "BOOM", "ok"]
    assert list(clean_texts([DIRTY] * 20, WS, jobs=2, batch_size=3)) == [CLEAN] * 20


def test_default_pipeline_is_used_when_none_is_given(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text(DIRTY + " caf\u00e9")
    sink = io.BytesIO()
    clean_files([doc], output=sink)
    assert sink.getvalue().decode() == Pipeline.default().clean(DIRTY + " caf\u00e9")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_reported_and_skipped(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(DIRTY)
    locked.chmod(0)
    (tmp_path / "open.txt").write_text(DIRTY)
    summary = clean_files([tmp_path], WS, output=tmp_path.parent / f"{tmp_path.name}-out")
    assert [str(p) for p in summary.problems] == [f"{locked}: cannot read: permission denied; skipped"]
    assert summary.files == 1 and summary.exit_code == 1


def test_empty_folder_is_a_warning_not_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    summary = clean_files([tmp_path / "empty"], WS, output=tmp_path / "out")
    assert summary.exit_code == 0 and summary.problems[0].message == "no input files found"


def test_in_place_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text(DIRTY)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    clean_files([link], WS, in_place=True)
    assert link.is_symlink() and target.read_text() == CLEAN


def test_several_inputs_to_one_stream_keep_their_order(tmp_path):
    names = []
    for i in range(6):
        path = tmp_path / f"t{i}.csv"
        path.write_text(f"text\nrow  {i}\n")
        names.append(path)
    sink = io.BytesIO()
    summary = clean_files(names, WS, output=sink, jobs=2)
    assert sink.getvalue().decode() == "".join(f"text\nrow {i}\n" for i in range(6))
    assert summary.bytes_in == sum(p.stat().st_size for p in names)
    report = io.StringIO()
    diff = clean_files(names, WS, mode="diff", report=report)
    assert diff.bytes_out == 0 and report.getvalue().count("\n+++ ") == 6


@settings(max_examples=100)
@given(text=dirty_news_text())
@example(text="\u00f0\x98\x83\tSen. ")  # mojibake exposed by whitespace: needs a recheck round
def test_the_runner_cleans_exactly_like_the_pipeline_and_counts_consistently(text):
    """The runner steps through the cleaners itself (to count per cleaner); it must agree with Pipeline.clean."""
    pipeline = Pipeline.default()
    worker = Worker(pipeline, Settings("clean", ("text",), "keep", "utf-8", "strict"))
    try:
        expected = pipeline.clean(text)
    except CleanerError:
        return  # a cleaner bug, reported by that cleaner's own tests
    assert worker.clean_doc(text, 1, None) == expected
    assert (worker.changed == 1) == (expected != text)
    per_cleaner = dict(zip(pipeline.names, worker.stats, strict=True))
    net = sum(removed - added for _, removed, added, _ in per_cleaner.values())
    assert net == len(text) - len(expected)
    # Counting categories, explaining and diffing give the same per-cleaner numbers.
    for mode, categories in (("clean", True), ("explain", False), ("diff", False)):
        other = Worker(pipeline, Settings(mode, ("text",), "keep", "utf-8", "strict", categories=categories))
        assert other.clean_doc(text, 1, None) == expected
        assert [counts[:3] for counts in other.stats] == [counts[:3] for counts in worker.stats]
        assert [sum(counts[3].values()) for counts in other.stats] == [
            len(report.changes) for report in pipeline.explain(text).reports
        ]


def test_delimiter_and_non_ascii_compatible_encodings(tmp_path):
    table = tmp_path / "semi.csv"
    table.write_text('id;text\n1;"a  b; c"\n')
    sink = io.BytesIO()
    clean_files([table], WS, output=sink, delimiter=";")
    assert sink.getvalue() == b'id;text\n1;"a b; c"\n'
    wide = tmp_path / "wide.txt"
    wide.write_bytes(DIRTY.encode("utf-16"))
    sink = io.BytesIO()
    clean_files([wide], WS, output=sink, encoding="utf-16")
    assert sink.getvalue() == CLEAN.encode()  # output is always UTF-8
    with pytest.raises(UsageError, match="not ASCII-compatible"):
        clean_files([table], WS, output=io.BytesIO(), encoding="utf-16")
    with pytest.raises(UsageError, match="unknown encoding"):
        clean_files([wide], WS, output=io.BytesIO(), encoding="klingon")


@pytest.mark.parametrize("stdin", [False, True])
def test_a_jsonl_record_over_the_size_limit_skips_the_file(tmp_path, stdin):
    big = tmp_path / "big.jsonl"
    big.write_bytes(jl({"text": "ok"}) + jl({"text": "x" * 5000}) + jl({"text": "ok"}))
    sink = io.BytesIO()
    if stdin:
        summary = clean_files(["-"], WS, output=sink, format="jsonl", stdin=io.BytesIO(big.read_bytes()),
                              max_doc_size=1000, chunk_size=100)
    else:
        summary = clean_files([big], WS, output=sink, max_doc_size=1000, chunk_size=100)
    assert summary.files_failed == 1 and summary.exit_code == 1
    assert "larger than the 1,000-byte limit" in summary.problems[0].message


@pytest.mark.parametrize("tail", [0, 3])
def test_line_ranges_cover_the_file_on_line_boundaries(tmp_path, tail):
    from newsclean.run.plan import line_ranges

    data = b"".join(b"x" * (i % 7) + b"\n" for i in range(3000)) + b"last"
    path = tmp_path / "d.jsonl"
    path.write_bytes(data)
    with open(path, "rb") as stream:
        ranges = list(line_ranges(stream, len(data), 1000, 10_000, tail=tail))
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(data[end - 1 : end] == b"\n" for _, end in ranges[:-1])
    assert max(end - start for start, end in ranges) <= 1000 + 8


@pytest.mark.parametrize("errors", ["strict", "replace"])
def test_utf8_bom_is_kept_and_not_parsed(tmp_path, errors):
    doc = tmp_path / "bom.jsonl"
    doc.write_bytes(b"\xef\xbb\xbf" + jl({"text": "a  b"}))
    table = tmp_path / "bom.csv"
    table.write_bytes(b"\xef\xbb\xbftext\nx  y\n")
    for path, expected in [(doc, b"\xef\xbb\xbf" + jl({"text": "a b"})), (table, b"\xef\xbb\xbftext\nx y\n")]:
        sink = io.BytesIO()
        summary = clean_files([path], WS, output=sink, errors=errors)
        assert sink.getvalue() == expected and summary.exit_code == 0


def test_recursive_glob_refuses_an_output_folder_under_its_root(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text("a")
    with pytest.raises(UsageError, match="inside input folder"):
        clean_files([f"{tmp_path}/data/**/*.txt"], WS, output=tmp_path / "data" / "out")
    summary = clean_files([f"{tmp_path}/data/*.txt"], WS, output=tmp_path / "data" / "out")
    assert summary.files == 1 and (tmp_path / "data" / "out" / "a.txt").read_text() == "a"
