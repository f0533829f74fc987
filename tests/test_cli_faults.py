"""The ``newsclean`` command against cleaners that hang or crash, and real signals (issue 10 item 7).

The hostile cleaners come from an installed plugin (``plugin_fixtures/hostile/hangs.py``).  Each
test runs the command in a subprocess and sends it real signals; timeouts here only detect a
hang (generous, never a speed requirement).  Worker processes are found through ``/proc``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugin_fixtures import HOSTILE, install
from test_cli import COMMAND, jl, run, temporaries, tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; POSIX signals")


@pytest.fixture
def hostile(tmp_path) -> dict[str, str]:
    """The environment of a command with the hostile ``hangs`` plugin installed."""
    site = tmp_path / "site"
    install(site, "nc-hangs", plugins={"hangs": "nc_hangs"}, files={"nc_hangs.py": HOSTILE / "hangs.py"})
    return {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-hangs"}


def lines_with(marks: dict[int, str], count: int = 30) -> str:
    return jl(*({"n": i, "text": f"doc  {i} {marks.get(i, '')}".rstrip()} for i in range(count)))


def expected(marks: dict[int, str], count: int = 30) -> str:
    return jl(*({"n": i, "text": f"doc  {i} {marks[i]}" if i in marks else f"doc {i}"} for i in range(count)))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hanging_cleaners_are_reported_and_the_others_cleaned(tmp_path, hostile, jobs):
    marks = {4: "SPIN", 11: "BACKTRACK", 19: "DEAF", 25: "CRASH"}
    (tmp_path / "in.jsonl").write_text(lines_with(marks))
    result = run("--only", "spin,backtrack,deaf,crash,whitespace", "--doc-timeout", "1", "--jobs", jobs,
                 "--chunk-size", "300", "in.jsonl", cwd=tmp_path, env=hostile, timeout=120)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert result.stdout.decode() == expected(marks)
    assert "in.jsonl:5: cleaner 'spin' did not finish within the 1 s time limit (field 'text'); " \
           "document kept unchanged" in err
    assert "in.jsonl:12: cleaner 'backtrack' did not finish within the 1 s time limit (field 'text'); " \
           "document kept unchanged" in err
    assert "in.jsonl:20: cleaner 'deaf' did not finish within the 1 s time limit (field 'text'); its worker " \
           "process was stopped; document kept unchanged" in err
    assert "in.jsonl:26: worker process died (killed by SIGSEGV) while cleaner 'crash' was cleaning this " \
           "document (field 'text'); document kept unchanged" in err
    assert "Traceback" not in err and "4 error(s)" in err


def test_skip_drops_the_hung_record_from_a_text_file_too(tmp_path, hostile):
    (tmp_path / "a.txt").write_text("fine  text")
    (tmp_path / "b.txt").write_text("SPIN  forever")
    result = run("--only", "spin,whitespace", "--doc-timeout", "0.5", "--on-error", "skip", "a.txt", "b.txt",
                 "-o", "out", cwd=tmp_path, env=hostile, timeout=120)
    assert result.returncode == 1
    assert "b.txt:1: cleaner 'spin' did not finish within the 0.5 s time limit; record skipped" in \
        result.stderr.decode()
    assert tree(tmp_path / "out") == {"a.txt": b"fine text", "b.txt": b""}


def test_doc_timeout_option_values(tmp_path):
    assert run("--doc-timeout", "soon", input="x").returncode == 2
    assert run("--doc-timeout", "-1", input="x").returncode == 2
    off = run("--doc-timeout", "0", "--only", "whitespace", "--jobs", "1", "--stats", tmp_path / "s.json",
              input="a  b")
    assert off.returncode == 0 and off.stdout == b"a b"
    assert json.loads((tmp_path / "s.json").read_text())["executor"] == "inline"
    help_text = run("--help").stdout.decode()
    assert "--doc-timeout SECONDS" in help_text and "143" in help_text


# -- signals ----------------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for a parent to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def started():
    """Commands a test starts (append them): if the test fails half-way, they and their workers are killed."""
    procs: list[subprocess.Popen] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            for pid in children(proc.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            proc.kill()
            proc.communicate()


def start_hung_run(tmp_path: Path, env: dict[str, str], cleaner: str, started: list,
                   jobs: int = 2) -> tuple[subprocess.Popen, set]:
    """A run whose workers are all busy in a cleaner that never finishes (no time limit), writing into out/."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_fine.txt").write_text("fine  text")
    word = {"spin": "SPIN", "deaf": "DEAF"}[cleaner]
    fine = [{"text": f"fine  {i}"} for i in range(60)]  # written (into a temporary file) before the hang
    (src / "b_hung.jsonl").write_text(jl(*fine, *({"text": f"{word}  {i}"} for i in range(200))))
    proc = subprocess.Popen(
        [*COMMAND, str(src), "-o", str(tmp_path / "out"), "--only", f"{cleaner},whitespace", "--doc-timeout", "0",
         "--jobs", str(jobs), "--chunk-size", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env}, start_new_session=True,
    )
    started.append(proc)
    assert wait_until(lambda: len(children(proc.pid)) >= jobs), "the workers never started"
    workers = children(proc.pid)
    # busy: the finished file is written and the hung one's temporary output exists
    assert wait_until(lambda: (tmp_path / "out" / "a_fine.txt").exists() and bool(temporaries(tmp_path))), \
        proc.stderr.read1().decode() if proc.poll() is not None else "no progress"
    time.sleep(0.5)
    assert proc.poll() is None
    return proc, workers


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("cleaner", ["spin", "deaf"])
def test_one_signal_stops_a_run_whose_workers_hang(tmp_path, hostile, started, sig, code, cleaner):
    proc, workers = start_hung_run(tmp_path, hostile, cleaner, started)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal: to every process of the group, workers too
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10), "a worker outlived the run"
    assert temporaries(tmp_path) == []
    assert sorted(tree(tmp_path / "out")) == ["a_fine.txt"]


@pytest.mark.parametrize("cleaner", ["spin", "deaf"])
def test_workers_exit_when_the_main_process_is_killed(tmp_path, hostile, started, cleaner):
    proc, workers = start_hung_run(tmp_path, hostile, cleaner, started)
    proc.kill()
    proc.communicate(timeout=60)
    gone = wait_until(lambda: not any(alive(pid) for pid in workers), 10)
    for pid in workers:  # (only if this test fails: do not leave them spinning)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert workers and gone, "workers outlived the run"


def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path, hostile, started):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) just as the first worker
    process appears, and a little later: while the others are being started."""
    (tmp_path / "in.jsonl").write_text(lines_with({i: "SPIN" for i in range(30)}))
    for delay in (0.0, 0.001, 0.005, 0.02, 0.1):
        proc = subprocess.Popen([*COMMAND, "in.jsonl", "--only", "spin", "--jobs", "2", "--doc-timeout", "0"],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, **hostile}, start_new_session=True)
        started.append(proc)
        deadline = time.monotonic() + 60
        while not children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        workers = children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, (delay, err.decode())
        assert "Traceback" not in err.decode(), (delay, err.decode())
        assert wait_until(lambda pids=workers: not any(alive(pid) for pid in pids), 10)
