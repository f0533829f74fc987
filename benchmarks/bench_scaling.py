"""Scaling of the ``newsclean`` command: parallel speed-up and flat memory.

1. Speed-up: the CLI on a generated JSONL file (default 100 MB) with
   ``--jobs 1`` and ``--jobs 2``; wall time, MB/s, speed-up, and whether both
   outputs are byte-identical (they must be).
2. Memory: peak RSS of the CLI (the whole process tree: main process plus
   workers, sampled every 20 ms with psutil; and the largest single process,
   from ``getrusage(RUSAGE_CHILDREN)``) on JSONL files of 250 MB and 1 GB,
   generated on the fly into a temporary folder and deleted afterwards.  Flat
   means the 1 GB peak is about the 250 MB peak: memory bounded by the batch
   size, not the file size.

Targets (issue 5): ``--jobs 2`` >= 1.8x ``--jobs 1``; peak RSS < 200 MB on 1 GB.

    python benchmarks/bench_scaling.py                          # 100 MB speed-up, 250 MB + 1 GB memory
    python benchmarks/bench_scaling.py --speed-size 20MB --rss-sizes 50MB,200MB   # quick
    python benchmarks/bench_scaling.py --skip-rss

The files go to ``$TMPDIR`` (``--tmp`` to choose) and are always removed.
The CLI's output goes to a pipe that this script hashes and discards.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpus
from _common import fmt_bytes, machine, md_table

try:
    import psutil
except ImportError:  # pragma: no cover - optional
    psutil = None


def find_cli() -> list[str] | None:
    """The ``newsclean`` command next to this Python, else on PATH; None if it does not work yet."""
    candidates = [Path(sys.executable).parent / "newsclean"]
    which = shutil.which("newsclean")
    if which:
        candidates.append(Path(which))
    for c in candidates:
        if c.exists():
            try:
                r = subprocess.run([str(c), "--help"], capture_output=True, text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if r.returncode == 0:
                return [str(c)]
    return None


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_total = 0
        self.peak_main = 0
        self.peak_procs = 0
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        if psutil is None:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        t0 = time.perf_counter()
        # The root is a small wrapper process; the CLI is its child and the workers are the CLI's children.
        while not self._halt.is_set():
            try:
                procs = root.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        rss = p.memory_info().rss
                        is_main = p.ppid() == self.pid
                    except psutil.Error:
                        continue
                    total += rss
                    if is_main:
                        self.peak_main = max(self.peak_main, rss)
                self.peak_total = max(self.peak_total, total)
                self.peak_procs = max(self.peak_procs, len(procs))
                self.samples.append((time.perf_counter() - t0, total))
            except psutil.Error:
                break
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode, file=sys.stderr)\n"
)


def run_cli(cli: list[str], path: Path, jobs: int | None, extra: list[str]) -> dict[str, object]:
    """Run the CLI on ``path`` (output to a pipe, hashed); time, hash, peak RSS."""
    args = [*cli, "-q", *(["--jobs", str(jobs)] if jobs else []), *extra, str(path)]
    # A tiny wrapper process runs the CLI so that RUSAGE_CHILDREN covers exactly this run.
    cmd = [sys.executable, "-c", _WRAPPER, *args]
    digest = hashlib.sha256()
    out_bytes = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    err_chunks: list[bytes] = []
    err_thread = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    err_thread.start()
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        digest.update(chunk)
        out_bytes += len(chunk)
    proc.wait()
    seconds = time.perf_counter() - t0
    sampler.stop()
    sampler.join()
    err_thread.join()
    stderr = b"".join(err_chunks).decode("utf-8", "replace").strip().splitlines()
    maxrss_kb, rc = 0, proc.returncode
    if stderr:
        last = stderr[-1].split()
        if len(last) == 2 and last[0].isdigit():
            maxrss_kb, rc = int(last[0]), int(last[1])
            stderr = stderr[:-1]
    return {
        "command": " ".join(args[len(cli):]),
        "jobs": jobs,
        "seconds": seconds,
        "in_bytes": path.stat().st_size,
        "out_bytes": out_bytes,
        "sha256": digest.hexdigest(),
        "returncode": rc,
        "stderr_tail": stderr[-5:],
        "peak_tree_rss": sampler.peak_total,
        "peak_main_rss": sampler.peak_main,
        "max_single_rss": maxrss_kb * 1024,
        "processes": sampler.peak_procs,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="CLI speed-up with --jobs and peak memory on big JSONL files")
    ap.add_argument("--speed-size", default="100MB", help="JSONL size for the --jobs 1 vs 2 test (default 100MB)")
    ap.add_argument("--jobs", default="1,2", help="job counts to compare (default 1,2)")
    ap.add_argument("--rss-sizes", default="250MB,1GB", help="JSONL sizes for the memory test (default 250MB,1GB)")
    ap.add_argument("--rss-jobs", type=int, default=2, help="--jobs for the memory test (default 2)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--mode", default="mixed", choices=corpus.MODES)
    ap.add_argument("--tmp", default=None, help="folder for the generated files (default: system temp)")
    ap.add_argument("--cli-args", default="", help="extra arguments for the CLI, e.g. '--field text'")
    ap.add_argument("--cli", help="command to run instead of the installed newsclean, e.g. 'python -m newsclean'")
    ap.add_argument("--markdown", metavar="PATH", help="also write the report to PATH")
    args = ap.parse_args(argv)

    cli = args.cli.split() if args.cli else find_cli()
    if cli is None:
        print("The newsclean command is not available yet (no working `newsclean --help` next to this Python "
              "or on PATH): nothing to measure.")
        return 0
    if psutil is None:
        print("note: psutil is not installed (pip install psutil, or the bench extra): tree RSS not sampled")
    info = machine()
    extra = args.cli_args.split()
    lines = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['python']}; commit {info['commit']}; "
             f"{info['date']}. CLI: `{' '.join(cli)}`."]
    workdir = Path(tempfile.mkdtemp(prefix="newsclean-bench-", dir=args.tmp))
    try:
        if not args.skip_speed:
            size = corpus.parse_size(args.speed_size)
            path = workdir / "speed.jsonl"
            print(f"generating {fmt_bytes(size)} of JSONL ...", file=sys.stderr)
            corpus.write_jsonl(str(path), size, args.mode)
            runs = []
            for j in [int(x) for x in args.jobs.split(",")]:
                print(f"  newsclean --jobs {j} ...", file=sys.stderr)
                runs.append(run_cli(cli, path, j, extra))
            base = runs[0]
            rows = []
            for r in runs:
                mbs = r["in_bytes"] / r["seconds"] / 1e6
                rows.append([f"--jobs {r['jobs']}", f"{r['seconds']:.1f}", f"{mbs:.1f}",
                             f"{base['seconds'] / r['seconds']:.2f}x", fmt_bytes(r["peak_tree_rss"]),
                             "same" if r["sha256"] == base["sha256"] else "**DIFFERENT**", r["returncode"]])
            lines.append(f"\n### Speed-up on {fmt_bytes(base['in_bytes'])} of JSONL ({args.mode} corpus)\n")
            lines.append(md_table(["run", "seconds", "MB/s", "speed-up", "peak RSS (tree)", "output vs first",
                                   "exit"], rows))
            for r in runs:
                if r["returncode"] != 0:
                    lines.append(f"\n- `{r['command']}` exited {r['returncode']}: {' | '.join(r['stderr_tail'])}")
            if len(runs) >= 2:
                s = base["seconds"] / runs[1]["seconds"]
                lines.append(f"\nTarget --jobs {runs[1]['jobs']} >= 1.8x --jobs {base['jobs']}: "
                             f"{s:.2f}x, {'met' if s >= 1.8 else '**missed**'}.")
            path.unlink()
        if not args.skip_rss:
            rows = []
            peaks = []
            for s in args.rss_sizes.split(","):
                size = corpus.parse_size(s)
                path = workdir / f"rss-{s}.jsonl"
                print(f"generating {fmt_bytes(size)} of JSONL ...", file=sys.stderr)
                corpus.write_jsonl(str(path), size, args.mode)
                print(f"  newsclean --jobs {args.rss_jobs} on {fmt_bytes(size)} ...", file=sys.stderr)
                r = run_cli(cli, path, args.rss_jobs, extra)
                path.unlink()
                peaks.append(r["peak_tree_rss"])
                mbs = r["in_bytes"] / r["seconds"] / 1e6
                rows.append([fmt_bytes(r["in_bytes"]), f"{r['seconds']:.1f}", f"{mbs:.1f}",
                             fmt_bytes(r["peak_tree_rss"]), fmt_bytes(r["peak_main_rss"]),
                             fmt_bytes(r["max_single_rss"]), r["processes"], r["returncode"]])
            lines.append(f"\n### Peak memory, --jobs {args.rss_jobs}\n")
            lines.append(md_table(["input", "seconds", "MB/s", "peak RSS, whole tree", "peak RSS, main process",
                                   "largest single process (ru_maxrss)", "processes", "exit"], rows))
            if peaks:
                growth = peaks[-1] / peaks[0] if peaks[0] else float("nan")
                lines.append(f"\nPeak RSS of the whole tree on the largest file: {fmt_bytes(peaks[-1])} "
                             f"({'met' if peaks[-1] < 200e6 else '**missed**'}: target < 200 MB); "
                             f"largest / smallest file peak = {growth:.2f} (flat is about 1.0).")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
