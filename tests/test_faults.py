"""Fault tests (issue 10, "Evidence"): runs killed by SIGKILL or interrupted by SIGINT at random
moments, a full disk, a read-only output folder, inputs truncated or deleted mid-run.

Each interrupted run is checked for what must hold at any moment — inputs and backups byte-identical
to the originals, every output either absent or complete — and then rerun, which must finish the work
with the output of a single clean run. ``NEWSCLEAN_FAULT_ROUNDS`` sets how many kills each test makes
(default 3; 24 with ``HYPOTHESIS_PROFILE=thorough``). The moment of each kill is drawn from the
duration of an uninterrupted run measured first, so kills land before, during and after the writes.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from newsclean.io.atomic import TEMP_SUFFIX
from test_cli import COMMAND, run, temporaries, tree

ROUNDS = int(os.environ.get("NEWSCLEAN_FAULT_ROUNDS") or (24 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
                                                          else 3))
SEED = int(os.environ.get("NEWSCLEAN_FAULT_SEED") or random.randrange(1 << 30))


def corpus(folder: Path, files: int = 40) -> dict[str, bytes]:
    """Text and JSON Lines files of mixed sizes, most of them needing cleaning (a few already clean)."""
    rng = random.Random(1234)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        lines = rng.randrange(1, 800)
        if i % 7 == 3:  # already clean: an in-place run leaves it alone and makes no backup
            (folder / f"clean{i:02}.txt").write_text("Nothing to do here.\n" * lines)
        elif i % 2:
            records = [{"id": n, "text": f"Story {n}  of file {i}:   the council  met &amp; voted.\u200b"}
                       for n in range(lines * 5)]
            (folder / f"doc{i:02}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        else:
            (folder / f"doc{i:02}.txt").write_text(f"Report {i}.\u00a0 The  mayor &quot;spoke&quot;.\n\n\n\n" * lines)
    return tree(folder)




def timed(*args: object, cwd: Path) -> float:
    started = time.perf_counter()
    result = run(*args, cwd=cwd, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return time.perf_counter() - started


def interrupt(args: list[object], cwd: Path, at: float, sig: int) -> int:
    """Run newsclean and send ``sig`` to its main process after ``at`` seconds; its exit status.

    The signal goes to the main process only, as a kill or a Ctrl-C in another terminal would. The
    run is in a session of its own, and whatever is left of it afterwards (worker processes of a
    killed run) is killed before the checks: those processes only read inputs."""
    env = {**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*COMMAND, *map(str, args)], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
        time.sleep(at)
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            status = proc.wait(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        err.seek(0)
        message = err.read().decode(errors="replace")
    assert "Traceback" not in message, message
    return status


def reference(originals: dict[str, bytes], root: Path) -> tuple[dict[str, bytes], float]:
    """What one uninterrupted run writes for ``originals``, and how long it took."""
    src, out = root / "ref-in", root / "ref-out"
    src.mkdir()
    for name, data in originals.items():
        (src / name).write_bytes(data)
    seconds = timed("-q", "ref-in", "-o", "ref-out", cwd=root)
    return tree(out), seconds


def kills(seconds: float) -> list[tuple[float, int]]:
    """``ROUNDS`` (moment, signal) pairs over a run of ``seconds``. A SIGINT comes after the interpreter
    has started (measured with ``newsclean --version``): before, Python itself reports it ("Fatal Python
    error: init_import_site"), which no program can change."""
    rng = random.Random(SEED)
    started = timed("--version", cwd=Path.cwd())
    out = []
    for _ in range(ROUNDS):
        sig = rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGINT])
        low = started if sig == signal.SIGINT else 0.0
        out.append((rng.uniform(low, max(low, seconds) * 1.1), sig))
    return out


def test_sigkill_and_sigint_during_in_place_with_backup_lose_nothing_and_a_rerun_finishes(tmp_path):
    originals = corpus(tmp_path / "orig")
    cleaned, seconds = reference(originals, tmp_path)
    changed = {name for name in originals if cleaned[name] != originals[name]}
    assert changed and len(changed) < len(originals)
    work = tmp_path / "work"
    for round_no, (at, sig) in enumerate(kills(seconds)):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(tmp_path / "orig", work)
        jobs = 1 + round_no % 2
        status = interrupt(["-q", "--in-place", "--backup", ".orig", "--jobs", jobs, "work"], tmp_path, at, sig)
        where = f"round {round_no} (seed {SEED}): {signal.Signals(sig).name} after {at:.2f} s, exit {status}"
        # 130; 0 if it had finished; killed by SIGINT if it came before newsclean started (during imports)
        if sig == signal.SIGINT and status not in (0, 130, -signal.SIGINT):
            pytest.fail(f"{where}: an interrupted run exits 130 (or 0 if it had finished)")
        for name, data in originals.items():
            now = (work / name).read_bytes()
            backup = work / (name + ".orig")
            # every input is the original or its complete cleaned version, never anything in between
            assert now in (data, cleaned[name]), f"{where}: {name} is half-written"
            if backup.exists():
                assert backup.read_bytes() == data, f"{where}: the backup of {name} is not the original"
            if now != data:
                assert backup.exists(), f"{where}: {name} was replaced without its backup"
        if sig == signal.SIGINT:
            assert not temporaries(work), where
        rerun = run("--in-place", "--backup", ".orig", "work", cwd=tmp_path, timeout=300)
        assert rerun.returncode == 0, f"{where}: {rerun.stderr.decode()}"
        assert not temporaries(work), f"{where}: the rerun left temporary files"
        for name, data in originals.items():
            assert (work / name).read_bytes() == cleaned[name], f"{where}: {name} after the rerun"
            backup = work / (name + ".orig")
            assert backup.exists() == (name in changed), f"{where}: {name}'s backup"
            if name in changed:
                assert backup.read_bytes() == data, f"{where}: {name}'s backup after the rerun"
        # once more: every file is done, nothing is cleaned again and no backup is touched
        before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in work.iterdir()}
        again = run("--in-place", "--backup", ".orig", "work", cwd=tmp_path, timeout=300)
        assert again.returncode == 0, again.stderr.decode()
        assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in work.iterdir()} == before, where


def test_sigkill_and_sigint_during_a_run_into_a_folder_leave_no_partial_output(tmp_path):
    originals = corpus(tmp_path / "orig")
    cleaned, seconds = reference(originals, tmp_path)
    for round_no, (at, sig) in enumerate(kills(seconds)):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        jobs = 1 + round_no % 2
        status = interrupt(["-q", "orig", "-o", "out", "--jobs", jobs], tmp_path, at, sig)
        where = f"round {round_no} (seed {SEED}): {signal.Signals(sig).name} after {at:.2f} s, exit {status}"
        assert tree(tmp_path / "orig") == originals, f"{where}: an input changed"
        out = tmp_path / "out"
        if out.exists():
            for name, data in tree(out).items():  # (a SIGKILL may leave temporary files; the rerun removes them)
                if not name.endswith(TEMP_SUFFIX):
                    assert data == cleaned.get(name), f"{where}: {name} is half-written"
        if sig == signal.SIGINT and out.exists():
            assert not temporaries(out), where
        rerun = run("-q", "orig", "-o", "out", cwd=tmp_path, timeout=300)
        assert rerun.returncode == 0, f"{where}: {rerun.stderr.decode()}"
        assert tree(out) == cleaned, f"{where}: the rerun's output differs from one clean run"


def test_temporary_files_left_by_a_killed_run_are_removed_and_reported_by_the_next(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("two  spaces\n")
    (tmp_path / "news" / "b.txt").write_text("fine\n")
    stray = [tmp_path / "news" / ".a.txt.k3j9x2ab.newsclean-tmp", tmp_path / "out" / ".b.txt.q81zz0_c.newsclean-tmp"]
    (tmp_path / "out").mkdir()
    for path in stray:
        path.write_text("half a file")
    other = tmp_path / "news" / ".notes.newsclean-tmp"  # not the temporary of an output this run writes
    other.write_text("keep me")
    result = run("--in-place", "news", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    err = result.stderr.decode()
    assert not stray[0].exists() and stray[1].exists() and other.exists()
    assert "newsclean: warning: news/a.txt: removed a temporary file left by an interrupted run" in err, err
    result = run("news", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0 and not stray[1].exists()
    assert "news/b.txt: removed a temporary file left by an interrupted run" in result.stderr.decode()
    assert other.read_text() == "keep me"


def test_a_temporary_trace_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    """The --trace file is written atomically like the outputs, so its temporary is cleaned up too."""
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("two  spaces\n")
    stray = tmp_path / ".audit.jsonl.k3j9x2ab.newsclean-tmp"
    stray.write_text('{"half": ')
    result = run("news", "-o", "out", "--trace", "audit.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert not stray.exists() and (tmp_path / "audit.jsonl").exists()
    assert "trace file audit.jsonl: removed a temporary file left by an interrupted run" in result.stderr.decode()


# -- full disk, read-only folder ---------------------------------------------------------------


@contextlib.contextmanager
def mounted(options: str):
    """A small tmpfs (root only; the test is skipped, saying why, otherwise)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs (full disk / read-only folder)")
    folder = Path(tempfile.mkdtemp(prefix="newsclean-tmpfs-"))
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if result.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def test_a_full_disk_fails_the_files_that_do_not_fit_and_the_run_goes_on(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a-small.txt").write_text("two  spaces\n")
    (tmp_path / "news" / "b-big.txt").write_text("x  y\n" * 60_000)  # 300 KB: does not fit in 64 KB
    (tmp_path / "news" / "c-small.jsonl").write_text('{"text": "two  spaces"}\n')
    with mounted("size=64k") as disk:
        result = run("news", "-o", disk / "out", cwd=tmp_path)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert "Traceback" not in err
        assert f"news/b-big.txt: cannot write {disk / 'out' / 'b-big.txt'}: no space left on device" in err
        assert "2 file(s) (1 skipped)" in err
        assert tree(disk / "out") == {"a-small.txt": b"two spaces\n", "c-small.jsonl": b'{"text": "two spaces"}\n'}


def test_a_full_standard_output_is_a_write_error_not_a_traceback(tmp_path):
    # a large output fails while it is written; a small one only at the final flush
    for lines in (10_000, 1):
        (tmp_path / "a.txt").write_text("two  spaces\n" * lines)
        with open("/dev/full", "wb") as full:
            result = subprocess.run([*COMMAND, "a.txt"], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                                    env={**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}, timeout=60)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert "Traceback" not in err and "Exception ignored" not in err
        assert "a.txt: cannot write standard output: no space left on device" in err
        assert "0 file(s) (1 skipped)" in err
    for mode in ("--diff", "--explain"):  # the report, too: a write error, not "cannot read"
        with open("/dev/full", "wb") as full:
            result = subprocess.run([*COMMAND, mode, "a.txt"], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                                    env={**os.environ, "NEWSCLEAN_LOAD_PLUGINS": ""}, timeout=60)
        err = result.stderr.decode()
        assert result.returncode == 1 and "Traceback" not in err, err
        assert "a.txt: cannot write standard output: no space left on device" in err and "cannot read" not in err


def test_a_read_only_output_folder_is_a_write_error_for_each_file(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("two  spaces\n")
    (tmp_path / "news" / "empty.txt").write_bytes(b"")
    with mounted("size=64k,ro") as readonly:
        result = run("news", "-o", readonly, cwd=tmp_path)
        err = result.stderr.decode()
        assert result.returncode == 1, err
        assert "Traceback" not in err
        for name in ("a.txt", "empty.txt"):
            assert f"news/{name}: cannot write {readonly / name}: read-only file system" in err
        assert "0 file(s) (2 skipped)" in err
        inplace = run("--in-place", "news", cwd=tmp_path)  # (the inputs are writable: control)
        assert inplace.returncode == 0


# -- inputs that change while they are read ------------------------------------------------------


def _slow_plugin_env(tmp_path: Path, action: str) -> dict[str, str]:
    """A plugin cleaner that, on the document containing TRIGGER, truncates or deletes the file named
    by NEWSCLEAN_TEST_TARGET (the input changing under the run, at a known moment)."""
    site = tmp_path / "site"
    site.mkdir()
    from plugin_fixtures import install

    install(site, "nc-saboteur", plugins={"saboteur": "nc_saboteur"}, files={"nc_saboteur.py": f'''
        import os
        from newsclean import Cleaner, hookimpl

        class Saboteur(Cleaner):
            name = "saboteur"
            description = "Changes the input file mid-run (tests only)."
            order = 990

            def clean(self, text):
                if "TRIGGER" in text:
                    target = os.environ["NEWSCLEAN_TEST_TARGET"]
                    if {action!r} == "truncate":  # at a line boundary, well before the end
                        with open(target, "r+b") as f:
                            data = f.read()
                            f.truncate(data.index(b"\\n", data.index(b"TRIGGER") + 2000) + 1)
                    else:
                        os.unlink(target)
                return text

        @hookimpl
        def newsclean_register_cleaners(register):
            register(Saboteur)
    '''})
    return {"PYTHONPATH": str(site), "NEWSCLEAN_LOAD_PLUGINS": "nc-saboteur"}


@pytest.mark.parametrize("action", ["truncate", "delete"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_input_truncated_or_deleted_while_it_is_read_is_reported(tmp_path, action, fmt):
    texts = [f"record {n}  here" for n in range(3000)]
    texts[5] = "TRIGGER  here"
    if fmt == "jsonl":  # read by the workers in byte ranges
        data = "".join(json.dumps({"text": t}) + "\n" for t in texts)
    else:  # read by the planner as a stream
        data = "id,text\n" + "".join(f"{n},{t}\n" for n, t in enumerate(texts))
    name = f"a.{fmt}"
    (tmp_path / name).write_text(data)
    args = ["--only", "whitespace,saboteur", "--chunk-size", "4096", "--jobs", "1"]
    env = _slow_plugin_env(tmp_path, action)
    env["NEWSCLEAN_TEST_TARGET"] = str(tmp_path / name)
    result = run(*args, name, "-o", "out", cwd=tmp_path, env=env)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    what = "was truncated" if action == "truncate" else "was deleted"
    assert f"{name}: {what} while it was read" in err or f"{name}: changed while it was read" in err, err
    assert not (tmp_path / "out" / name).exists()  # no short output passed off as complete
    assert "0 file(s) (1 skipped)" in err
