"""Per-document time limits and workers that hang or die (issue 10 item 7), in the library.

The hostile cleaners are the plugin fixture ``plugin_fixtures/hostile/hangs.py``: an endless
Python loop, a catastrophic regular expression, a loop with signals blocked (like C code that
never checks for them), a loop that swallows exceptions, and a segmentation fault.  Whatever the
executor, the run finishes, the document is reported with its file, line and cleaner and handled
by ``on_error``, and every other document is cleaned.  Limits are short (0.5-1 s) so the tests
are quick; nothing here asserts how fast anything is.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import Pipeline
from newsclean.run import clean_files
from newsclean.run.tasks import Settings, Task
from newsclean.run.worker import Worker
from plugin_fixtures.hostile import hangs

WS = Pipeline(["whitespace"])
HOSTILE = Pipeline([hangs.Spin(), hangs.Backtrack(), hangs.Deaf(), hangs.Swallow(), hangs.Crash(), *WS.cleaners])
LIMIT = 0.5


def records(marks: dict[int, str], count: int = 40) -> bytes:
    return "".join(json.dumps({"n": i, "text": f"doc  {i} {marks.get(i, '')}".rstrip()}) + "\n"
                   for i in range(count)).encode()


def run(tmp_path, data: bytes, **options):
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    problems = []
    out = io.BytesIO()
    summary = clean_files([path], HOSTILE, output=out, chunk_size=200, on_problem=problems.append, **options)
    return out.getvalue(), summary, [(p.line, p.message) for p in problems]


def cleaned(marks: dict[int, str], count: int = 40, dropped: tuple[int, ...] = ()) -> bytes:
    """What a run writes when the marked documents are kept unchanged and the others cleaned."""
    return "".join(json.dumps({"n": i, "text": f"doc  {i} {marks[i]}" if i in marks else f"doc {i}"}) + "\n"
                   for i in range(count) if i not in dropped).encode()


INTERRUPTIBLE = {3: "SPIN", 17: "BACKTRACK", 29: "SWALLOW"}
LINES = {4: "spin", 18: "backtrack", 30: "swallow"}


@pytest.mark.parametrize("options", [{"jobs": 1}, {"jobs": 2}, {"executor": "inline"}],
                         ids=["jobs-1", "jobs-2", "inline"])
def test_hung_documents_are_reported_kept_and_the_rest_is_cleaned(tmp_path, options):
    out, summary, problems = run(tmp_path, records(INTERRUPTIBLE), doc_timeout=LIMIT, **options)
    assert out == cleaned(INTERRUPTIBLE)
    assert problems == [(line, f"cleaner {name!r} did not finish within the 0.5 s time limit (field 'text'); "
                               "document kept unchanged") for line, name in LINES.items()]
    assert summary.exit_code == 1 and summary.errors == 3
    assert summary.documents == 40 and summary.documents_changed == 37
    assert summary.executor == ("inline" if "executor" in options else "processes")


def test_skip_drops_the_hung_record_and_fail_stops_the_run(tmp_path):
    out, summary, problems = run(tmp_path, records({5: "SPIN"}), doc_timeout=LIMIT, on_error="skip", jobs=2)
    assert out == cleaned({}, dropped=(5,))
    assert problems == [(6, "cleaner 'spin' did not finish within the 0.5 s time limit (field 'text'); "
                            "record skipped")]
    out, summary, problems = run(tmp_path, records({5: "SPIN"}), doc_timeout=LIMIT, on_error="fail", jobs=2)
    assert summary.exit_code == 1 and summary.files_failed == 0 and summary.files == 0
    assert problems[0] == (6, "cleaner 'spin' did not finish within the 0.5 s time limit (field 'text'); stopping")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_cannot_be_interrupted_or_crashes_is_replaced(tmp_path, jobs):
    marks = {2: "DEAF", 9: "CRASH", 21: "SPIN", 33: "DEAF"}
    out, summary, problems = run(tmp_path, records(marks), doc_timeout=LIMIT, jobs=jobs)
    assert out == cleaned(marks)
    stopped = ("cleaner 'deaf' did not finish within the 0.5 s time limit (field 'text'); its worker process was "
               "stopped; document kept unchanged")
    assert problems == [
        (3, stopped),
        (10, "worker process died (killed by SIGSEGV) while cleaner 'crash' was cleaning this document "
             "(field 'text'); document kept unchanged"),
        (22, "cleaner 'spin' did not finish within the 0.5 s time limit (field 'text'); document kept unchanged"),
        (34, stopped),
    ]
    assert summary.exit_code == 1 and summary.documents == 40 and summary.documents_changed == 36


def test_without_a_limit_a_crashing_part_is_retried_then_its_file_skipped(tmp_path):
    # (without a limit, workers do not say which document they are on: the part is run again, then given up)
    (tmp_path / "fine.jsonl").write_bytes(records({}))
    out, summary, problems = run(tmp_path, records({7: "CRASH"}), jobs=2)
    assert out == b""  # a stream: the parts before the failure would have been written; this is the first
    died = "worker process died (killed by SIGSEGV)"
    assert problems == [(None, f"{died}, 3 times on the same part; skipped")]
    assert summary.exit_code == 1 and summary.files_failed == 1


def test_without_a_limit_a_single_job_cleans_in_this_process(tmp_path):
    _, summary, problems = run(tmp_path, records({}), jobs=1)
    assert summary.executor == "inline" and summary.exit_code == 0 and problems == []


def test_the_limit_must_be_positive(tmp_path):
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="doc_timeout must be a positive number"):
            run(tmp_path, records({}), doc_timeout=bad)


def test_a_document_given_up_in_an_earlier_attempt_is_not_cleaned_again():
    worker = Worker(WS, Settings("clean", ("text",), "keep", "utf-8", "strict", doc_timeout=60))
    data = records({}, 3)
    task = Task("jsonl", data, 0, len(data), 1, "x.jsonl", first=True,
                given_up=((1, "cleaner 'whitespace' did not finish; its worker process was stopped"),))
    result = worker.process(task)
    assert result.out == cleaned({1: ""}, 3).replace(b'"doc  1 "', b'"doc  1"')
    assert result.errors == [(2, "text", "cleaner 'whitespace' did not finish (field 'text'); its worker process "
                                         "was stopped; document kept unchanged")]
    assert worker.process(Task("jsonl", data, 0, len(data), 1, "x.jsonl", first=True)).errors == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_inline_limit_leaves_no_timer_or_handler_behind(tmp_path):
    import signal

    before = signal.getsignal(signal.SIGALRM)
    run(tmp_path, records({3: "SPIN"}), doc_timeout=LIMIT, executor="inline")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_worker_killed_between_attempts_is_reported_and_its_part_cleaned_again(tmp_path):
    """(Without a limit nobody knows which document a dead worker was on: its part is run again, and said so.)"""
    from run_helpers import KillOnceCleaner

    marker = tmp_path / "killed"
    pipeline = Pipeline([KillOnceCleaner(marker=str(marker)), *WS.cleaners])
    (tmp_path / "in.jsonl").write_bytes(records({12: "KILL"}))
    problems = []
    out = io.BytesIO()
    summary = clean_files([tmp_path / "in.jsonl"], pipeline, output=out, jobs=2, chunk_size=200,
                          on_problem=problems.append)
    assert marker.exists()
    inline = io.BytesIO()
    clean_files([tmp_path / "in.jsonl"], pipeline, output=inline, executor="inline")  # (the marker: no kill now)
    assert out.getvalue() == inline.getvalue() and b'"doc 12 KILL"' in inline.getvalue()
    assert [p.message for p in problems] == [
        "worker process died (killed by SIGKILL, perhaps by the out-of-memory killer); this part was cleaned again"]
    assert summary.exit_code == 1 and summary.documents == 40


@settings(max_examples=60)
@given(st.sets(st.integers(0, 11)), st.sampled_from(["keep", "skip"]))
def test_documents_given_up_are_exactly_the_ones_kept_or_dropped(given_up, on_error):
    worker = Worker(WS, Settings("clean", ("text",), on_error, "utf-8", "strict", doc_timeout=60))
    data = records({}, 12)
    task = Task("jsonl", data, 0, len(data), 1, "x.jsonl", first=True,
                given_up=tuple((ordinal, "it hung") for ordinal in sorted(given_up)))
    result = worker.process(task)
    out = (data if result.out is None else bytes(result.out)).decode().splitlines()
    expected = [line for i, line in enumerate(records({}, 12).decode().splitlines()) if i in given_up] \
        if on_error == "keep" else []
    kept = [line for line in out if "  " in line]  # given-up documents keep their double space
    assert kept == expected
    assert len(out) == 12 - (len(given_up) if on_error == "skip" else 0)
    assert [line for line, _, _ in result.errors] == sorted(ordinal + 1 for ordinal in given_up)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs forked workers")
def test_ctrl_c_while_a_worker_starts_waits_until_the_worker_ignores_it(monkeypatch):
    """SIGINT reaching a worker before it could ignore it (Ctrl-C goes to the whole process group) is held
    back until it does: the worker neither dies nor prints a traceback."""
    import os
    import signal
    import threading
    import time

    from newsclean.run.executors import processes

    if threading.active_count() != 1:
        pytest.skip("another test left a thread running: workers would not be forked")
    ignore = processes.ignore_interrupts

    def slowly() -> None:  # widen the moment between the fork and the worker's own handlers
        time.sleep(0.5)
        ignore()

    monkeypatch.setattr(processes, "ignore_interrupts", slowly)
    executor = processes.ProcessesExecutor(1, chunk_size=1024)
    executor.start(WS, Settings("clean", ("text",), "keep", "utf-8", "strict"))
    try:
        pid = executor.procs[0].process.pid
        time.sleep(0.1)  # (the worker is in its widened start-up moment now)
        os.kill(pid, signal.SIGINT)
        data = records({}, 3)
        result = executor.submit(Task("jsonl", data, 0, len(data), 1, "x.jsonl", first=True)).result()
        assert bytes(result.out) == cleaned({}, 3) and result.errors == []
        assert [proc.process.pid for proc in executor.procs] == [pid]  # the same worker: it did not die
    finally:
        executor.shutdown(cancel=True)
