"""Scaling of the ``newsclean`` command: parallel speed-up and flat memory.

1. Speed-up: the CLI on a generated JSONL file (default 100 MB) with
   ``--jobs 1`` and ``--jobs 2``, in ``--repeat`` (default 3) paired rounds;
   median wall time, MB/s, the median of the per-round speed-ups, and
   whether all outputs are byte-identical (they must be).  Each round also
   runs two ``--jobs 1`` processes at once, one on each half of the file:
   the speed-up two independent processes reach on this machine, which
   ``--jobs 2`` cannot beat (``--no-ceiling`` to skip).
2. Memory: peak RSS of the CLI (the whole process tree: main process plus
   workers, sampled every 20 ms with psutil; and the largest single process,
   from ``getrusage(RUSAGE_CHILDREN)``) on JSONL files of 250 MB and 1 GB,
   generated on the fly into a temporary folder and deleted afterwards.  Flat
   means the 1 GB peak is about the 250 MB peak: memory bounded by the batch
   size, not the file size.

3. Executors: the same JSONL file with ``--executor inline``, and ``processes``, ``dask`` and
   ``ray`` with ``--jobs 1`` and ``--jobs 2`` (the engines start a local cluster of that many
   workers), in ``--repeat`` paired rounds: MB/s (wall time, start-up included), the speed-up
   from 1 to 2 workers, and each engine's start-up cost (the CLI on a 2 KB file, minus inline's
   time on it).  Every output must be byte-identical to inline's.  Engines that are not
   installed are listed as such.

4. Tracing: the same file with and without ``--trace FILE.jsonl``, with ``--jobs 1`` and
   ``--jobs 2``, in ``--repeat`` paired rounds: MB/s, the cost of tracing (traced time / plain
   time), the speed-up of traced runs, the size of the trace file, and whether the trace files
   of ``--jobs 1`` and ``--jobs 2`` are byte-identical (they must be).
5. Time limit (``--timeouts``): the same file with ``--jobs 1`` and ``--jobs 2``, with
   ``--doc-timeout 0`` and with the default limit, in paired rounds: the limit's cost.

Targets (issue 5): ``--jobs 2`` >= 1.8x ``--jobs 1``; peak RSS < 200 MB on 1 GB.  Issue 11:
``processes`` keeps >= 1.8x; ``dask`` and ``ray`` with 2 workers >= 1.6x their 1-worker runs.

    python benchmarks/bench_scaling.py                          # 100 MB speed-up, 250 MB + 1 GB memory
    python benchmarks/bench_scaling.py --speed-size 20MB --rss-sizes 50MB,200MB   # quick
    python benchmarks/bench_scaling.py --skip-rss
    python benchmarks/bench_scaling.py --skip-speed --skip-rss --executors inline,processes,dask,ray
    python benchmarks/bench_scaling.py --skip-speed --skip-rss --executors '' --speed-size 20MB  # tracing only
    python benchmarks/bench_scaling.py --skip-speed --skip-rss --executors '' --timeouts   # --doc-timeout's cost

The files go to ``$TMPDIR`` (``--tmp`` to choose) and are always removed.
The CLI writes its output to a file beside the input, as a user's job would;
the file is hashed (to compare the runs) after the clock has stopped.  On a
2-core machine ``--jobs 2`` keeps both cores busy, so anything this script
does while the CLI runs slows that run and not ``--jobs 1``: hashing the
output as it streams through a pipe (~0.2 s of CPU for 100 MB) and sampling
the process tree every 20 ms (~1 ms each) cost ``--jobs 2`` about 0.03 of
its speed-up.  The speed runs therefore sample every 250 ms (their peak RSS
is for information); the memory runs, where the peak is the result, every
20 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpus
from _common import fmt_bytes, machine, md_table, publish

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


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_cli(cli: list[str], path: Path, jobs: int | None, extra: list[str],
            interval: float = 0.02) -> dict[str, object]:
    """Run the CLI on ``path`` (stdout to a file beside it, hashed afterwards); time, hash, peak RSS
    (the process tree sampled every ``interval`` seconds)."""
    args = [*cli, "-q", *(["--jobs", str(jobs)] if jobs else []), *extra, str(path)]
    # A tiny wrapper process runs the CLI so that RUSAGE_CHILDREN covers exactly this run.
    cmd = [sys.executable, "-c", _WRAPPER, *args]
    out_path = path.with_name(path.name + ".out")
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid, interval)
        sampler.start()
        proc.wait()
        seconds = time.perf_counter() - t0
        sampler.stop()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace").strip().splitlines()
    sha256 = hash_file(out_path)
    out_bytes = out_path.stat().st_size
    out_path.unlink()
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
        "sha256": sha256,
        "returncode": rc,
        "stderr_tail": stderr[-5:],
        "peak_tree_rss": sampler.peak_total,
        "peak_main_rss": sampler.peak_main,
        "max_single_rss": maxrss_kb * 1024,
        "processes": sampler.peak_procs,
    }


def split_halves(path: Path) -> tuple[Path, Path]:
    """``path`` cut at the line boundary nearest its middle, as two files beside it."""
    data = path.read_bytes()
    cut = data.find(b"\n", len(data) // 2) + 1 or len(data)
    halves = (path.with_name(path.stem + ".half1.jsonl"), path.with_name(path.stem + ".half2.jsonl"))
    halves[0].write_bytes(data[:cut])
    halves[1].write_bytes(data[cut:])
    return halves


def run_halves(cli: list[str], halves: tuple[Path, Path], extra: list[str]) -> float:
    """Seconds for two ``--jobs 1`` CLIs, one per half, started together, until both have finished:
    what two independent processes manage on this machine, i.e. the most ``--jobs 2`` could reach."""
    outs = [h.with_name(h.name + ".out") for h in halves]
    t0 = time.perf_counter()
    procs = []
    for half, out in zip(halves, outs, strict=True):
        with open(out, "wb") as handle:
            procs.append(subprocess.Popen([*cli, "-q", "--jobs", "1", *extra, str(half)], stdout=handle,
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
    codes = [proc.wait() for proc in procs]
    seconds = time.perf_counter() - t0
    for out in outs:
        out.unlink()
    if any(codes):
        raise RuntimeError(f"newsclean on the halves exited {codes}")
    return seconds


ENGINE_MODULES = {"dask": "distributed", "ray": "ray"}
TARGETS = {"processes": 1.8, "dask": 1.6, "ray": 1.6}


def installed(executor: str) -> bool:
    module = ENGINE_MODULES.get(executor)
    if module is None:
        return True
    import importlib.util

    return importlib.util.find_spec(module) is not None


def compare_executors(cli: list[str], workdir: Path, args: argparse.Namespace, extra: list[str]) -> list[str]:
    """MB/s of each executor with 1 and 2 workers on the speed file, its speed-up and its start-up cost."""
    names = [n for n in args.executors.split(",") if n]
    missing = [n for n in names if not installed(n)]
    names = [n for n in names if n not in missing]
    size = corpus.parse_size(args.speed_size)
    path = workdir / "executors.jsonl"
    tiny = workdir / "tiny.jsonl"
    print(f"generating {fmt_bytes(size)} of JSONL for the executors ...", file=sys.stderr)
    corpus.write_jsonl(str(path), size, args.mode)
    corpus.write_jsonl(str(tiny), 2048, args.mode)
    configs = [(n, j) for n in names for j in ((1,) if n == "inline" else (1, 2))]
    runs: dict[tuple[str, int], list[dict[str, object]]] = {c: [] for c in configs}
    starts: dict[str, list[float]] = {n: [] for n in names}
    for n in range(args.repeat):
        for name, jobs in configs:
            print(f"  round {n + 1}/{args.repeat}: --executor {name} --jobs {jobs} ...", file=sys.stderr)
            runs[(name, jobs)].append(run_cli(cli, path, jobs, [*extra, "--executor", name], interval=0.25))
        for name in names:
            starts[name].append(run_cli(cli, tiny, 1 if name == "inline" else 2, [*extra, "--executor", name],
                                        interval=0.25)["seconds"])
    reference = runs[configs[0]][0]["sha256"] if configs else None
    baseline = statistics.median(starts["inline"]) if "inline" in starts else 0.0
    rows = []
    notes = []
    for name in names:
        start = statistics.median(starts[name]) - baseline
        medians = {}
        for jobs in ((1,) if name == "inline" else (1, 2)):
            rs = runs[(name, jobs)]
            medians[jobs] = statistics.median(r["seconds"] for r in rs)
            same = all(r["sha256"] == reference for r in rs)
            code = max(r["returncode"] for r in rs)
            mbs = rs[0]["in_bytes"] / medians[jobs] / 1e6
            working = medians[jobs] - max(start, 0.0)
            net = f"{rs[0]['in_bytes'] / working / 1e6:.1f}" if working > 0.1 * medians[jobs] else "–"
            ratio = ""
            if jobs == 2:
                ratio = statistics.median(a["seconds"] / b["seconds"]
                                          for a, b in zip(runs[(name, 1)], rs, strict=True))
                target = TARGETS.get(name)
                notes.append(f"{name}: 2 workers {ratio:.2f}x its 1-worker run"
                             + (f" (target >= {target}x: {'met' if ratio >= target else '**missed**'})"
                                if target else ""))
                ratio = f"{ratio:.2f}x"
            rows.append([name, jobs, f"{medians[jobs]:.2f}", f"{mbs:.1f}", net, ratio,
                         f"{start:.2f}" if name != "inline" else "–", "same" if same else "**DIFFERENT**", code])
    lines = [f"\n### Executors on {fmt_bytes(path.stat().st_size)} of JSONL ({args.mode} corpus), "
             f"{args.repeat} paired rounds\n",
             md_table(["executor", "workers", "median s", "MB/s", "MB/s without start-up", "speed-up 1 -> 2",
                       "start-up s", "output vs inline", "exit"], rows)]
    lines.append("\n" + "; ".join(notes) + "." if notes else "")
    lines.append("\nStart-up: the CLI with 2 workers on a 2 KB file, minus `--executor inline` on it (median); it is "
                 "included in MB/s and in the speed-up.")
    if missing:
        lines.append(f"\nNot installed, not measured: {', '.join(missing)} (pip install 'newsclean[{missing[0]}]').")
    path.unlink()
    tiny.unlink()
    return lines


def compare_tracing(cli: list[str], workdir: Path, args: argparse.Namespace, extra: list[str]) -> list[str]:
    """The CLI with and without ``--trace`` on the speed file, ``--jobs 1`` and ``--jobs 2``: cost and identity."""
    size = corpus.parse_size(args.speed_size)
    path = workdir / "tracing.jsonl"
    trace = workdir / "trace.jsonl"
    print(f"generating {fmt_bytes(size)} of JSONL for tracing ...", file=sys.stderr)
    corpus.write_jsonl(str(path), size, args.mode)
    configs = [(jobs, traced) for jobs in (1, 2) for traced in (False, True)]
    runs: dict[tuple[int, bool], list[dict[str, object]]] = {c: [] for c in configs}
    for n in range(args.repeat):
        for jobs, traced in configs:
            print(f"  round {n + 1}/{args.repeat}: --jobs {jobs}{' --trace' if traced else ''} ...", file=sys.stderr)
            r = run_cli(cli, path, jobs, [*extra, *(["--trace", str(trace)] if traced else [])], interval=0.25)
            if traced:
                r["trace_sha256"], r["trace_bytes"] = hash_file(trace), trace.stat().st_size
                trace.unlink()
            runs[(jobs, traced)].append(r)
    reference = runs[(1, False)][0]["sha256"]
    trace_reference = runs[(1, True)][0]["trace_sha256"]
    rows = []
    for jobs, traced in configs:
        rs = runs[(jobs, traced)]
        median = statistics.median(r["seconds"] for r in rs)
        cost = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(rs, runs[(jobs, False)], strict=True))
        speedup = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(runs[(1, traced)], rs, strict=True))
        same = all(r["sha256"] == reference for r in rs)
        trace_same = "–" if not traced else (
            "same" if all(r["trace_sha256"] == trace_reference for r in rs) else "**DIFFERENT**")
        rows.append([f"--jobs {jobs}" + (" --trace" if traced else ""), f"{median:.2f}",
                     f"{rs[0]['in_bytes'] / median / 1e6:.1f}", f"{cost:.2f}x" if traced else "–",
                     f"{speedup:.2f}x" if jobs > 1 else "–",
                     fmt_bytes(rs[0]["trace_bytes"]) if traced else "–",
                     "same" if same else "**DIFFERENT**", trace_same, max(r["returncode"] for r in rs)])
    path.unlink()
    return [f"\n### Tracing (`--trace FILE.jsonl`) on {fmt_bytes(size)} of JSONL ({args.mode} corpus), "
            f"{args.repeat} paired rounds\n",
            md_table(["run", "median s", "MB/s", "cost vs untraced (median of rounds)", "speed-up vs --jobs 1",
                      "trace file", "output vs --jobs 1", "trace vs --jobs 1 --trace", "exit"], rows)]


#: (label, --jobs, extra CLI arguments, the configuration it is compared with)
TIMEOUT_CONFIGS = [
    ("--jobs 1, no limit (inline)", 1, ["--doc-timeout", "0"], None),
    ("--jobs 1 --executor inline --doc-timeout 60 (timer only)", 1, ["--executor", "inline", "--doc-timeout", "60"],
     0),
    ("--jobs 1 --doc-timeout 60 (one worker process)", 1, ["--doc-timeout", "60"], 0),
    ("--jobs 2 --doc-timeout 0", 2, ["--doc-timeout", "0"], None),
    ("--jobs 2 --doc-timeout 60", 2, ["--doc-timeout", "60"], 3),
]


def compare_timeouts(cli: list[str], workdir: Path, args: argparse.Namespace, extra: list[str]) -> list[str]:
    """What the per-document time limit costs: the speed file with and without ``--doc-timeout``, in paired
    rounds; each configuration's time over its no-limit baseline's, per round (median)."""
    size = corpus.parse_size(args.speed_size)
    path = workdir / "timeouts.jsonl"
    print(f"generating {fmt_bytes(size)} of JSONL for the time-limit runs ...", file=sys.stderr)
    corpus.write_jsonl(str(path), size, args.mode)
    runs: list[list[dict[str, object]]] = [[] for _ in TIMEOUT_CONFIGS]
    for n in range(args.repeat):
        for k, (label, jobs, options, _) in enumerate(TIMEOUT_CONFIGS):
            print(f"  round {n + 1}/{args.repeat}: {label} ...", file=sys.stderr)
            runs[k].append(run_cli(cli, path, jobs, [*extra, *options], interval=0.25))
    reference = runs[0][0]["sha256"]
    rows = []
    for k, (label, _, _, base) in enumerate(TIMEOUT_CONFIGS):
        median = statistics.median(r["seconds"] for r in runs[k])
        cost = "–" if base is None else "{:+.1%}".format(statistics.median(
            a["seconds"] / b["seconds"] - 1 for a, b in zip(runs[k], runs[base], strict=True)))
        rows.append([label, f"{median:.2f}", f"{runs[k][0]['in_bytes'] / median / 1e6:.1f}", cost,
                     "same" if all(r["sha256"] == reference for r in runs[k]) else "**DIFFERENT**",
                     max(r["returncode"] for r in runs[k])])
    worker_rows = worker_cpu(path, args.repeat)
    short = workdir / "short.jsonl"  # the worst case: the fixed cost per document against ~70-byte records
    with open(short, "w", encoding="utf-8") as handle:
        for i in range(max(1000, size // 280)):
            handle.write(json.dumps({"text": f"Short  news item {i} with a &amp; and \u201cquotes\u201d."}) + "\n")
    short_rows = worker_cpu(short, args.repeat)
    short.unlink()
    path.unlink()
    return [f"\n### Per-document time limit on {fmt_bytes(size)} of JSONL ({args.mode} corpus), "
            f"{args.repeat} paired rounds\n",
            md_table(["run", "median s", "MB/s", "time vs. no limit (median of rounds)", "output", "exit"], rows),
            "\nIn one process, the worker alone (`Worker.process` on the same file's 1 MiB chunks, CPU time, "
            "the three configurations alternating chunk by chunk):\n",
            md_table(["worker", "CPU s", "MB/s (CPU)", "CPU vs. no limit"], worker_rows),
            "\nThe same on short records (~70 bytes of text each, a quarter of the size): the worst case, "
            "where the fixed cost per document counts most:\n",
            md_table(["worker", "CPU s", "MB/s (CPU)", "CPU vs. no limit"], short_rows),
            "\nThe timer costs a `setitimer` per task and a clock read per document; in a worker process "
            "the worker also publishes its document, and the index of each cleaner before it runs, in shared "
            "memory, so that its parent can tell which one hung."]


def worker_cpu(path: Path, repeat: int) -> list[list[str]]:
    """CPU seconds of ``Worker.process`` over ``path`` in 1 MiB chunks: no limit, the timer alone, and the
    timer with the shared status a process pool's worker keeps; configurations alternate per chunk."""
    import array

    from newsclean import Pipeline
    from newsclean.run.plan import line_ranges
    from newsclean.run.tasks import Settings, Task
    from newsclean.run.worker import Worker

    pipeline = Pipeline.default()
    data = path.read_bytes()
    with open(path, "rb") as stream:
        chunks = [data[a:b] for a, b in line_ranges(stream, len(data), 1 << 20, 64 << 20)]
    plain = Settings("clean", ("text",), "keep", "utf-8", "strict")
    limited = Settings("clean", ("text",), "keep", "utf-8", "strict", doc_timeout=60)
    workers = {
        "no limit": Worker(pipeline, plain),
        "timer (inline executor)": Worker(pipeline, limited),
        "timer + shared status (worker process)": Worker(pipeline, limited, array.array("d", [0] * 4)),
    }
    cpu = dict.fromkeys(workers, 0.0)
    for _ in range(repeat):
        for chunk in chunks:
            task = Task("jsonl", chunk, 0, len(chunk), 1, "bench.jsonl", first=True)
            for name, worker in workers.items():
                t0 = time.process_time()
                worker.process(task)
                cpu[name] += time.process_time() - t0
    mb = len(data) * repeat / 1e6
    base = cpu["no limit"]
    return [[name, f"{seconds:.2f}", f"{mb / seconds:.1f}", "–" if name == "no limit" else f"{seconds / base - 1:+.1%}"]
            for name, seconds in cpu.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="CLI speed-up with --jobs and peak memory on big JSONL files")
    ap.add_argument("--speed-size", default="100MB", help="JSONL size for the --jobs 1 vs 2 test (default 100MB)")
    ap.add_argument("--jobs", default="1,2", help="job counts to compare (default 1,2)")
    ap.add_argument("--repeat", type=int, default=3, help="paired rounds of the speed test (default 3)")
    ap.add_argument("--no-ceiling", action="store_true",
                    help="skip the two concurrent --jobs 1 runs on the file's halves (the machine's ceiling)")
    ap.add_argument("--rss-sizes", default="250MB,1GB", help="JSONL sizes for the memory test (default 250MB,1GB)")
    ap.add_argument("--rss-jobs", type=int, default=2, help="--jobs for the memory test (default 2)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--skip-tracing", action="store_true", help="skip the runs with --trace")
    ap.add_argument("--executors", default="inline,processes,dask,ray",
                    help="executors to compare on the --speed-size file ('' to skip; default: all four)")
    ap.add_argument("--timeouts", action="store_true",
                    help="also measure what --doc-timeout costs (--jobs 1 and 2, with and without a limit)")
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
            counts = [int(x) for x in args.jobs.split(",")]
            # Paired rounds (every job count once per round, back to back) so that slow drift of the
            # machine affects all counts alike; each speed-up is the median of its per-round ratios.
            ceiling = not args.no_ceiling and counts[0] == 1
            halves = split_halves(path) if ceiling else None
            rounds = []
            ceilings = []
            for n in range(args.repeat):
                rnd = []
                for j in counts:
                    print(f"  round {n + 1}/{args.repeat}: newsclean --jobs {j} ...", file=sys.stderr)
                    rnd.append(run_cli(cli, path, j, extra, interval=0.25))
                if halves is not None:
                    print(f"  round {n + 1}/{args.repeat}: 2 x newsclean --jobs 1 on the halves ...", file=sys.stderr)
                    ceilings.append(rnd[0]["seconds"] / run_halves(cli, halves, extra))
                rounds.append(rnd)
            first = rounds[0][0]
            rows = []
            ratios = []
            for k, j in enumerate(counts):
                runs = [rnd[k] for rnd in rounds]
                times = sorted(r["seconds"] for r in runs)
                median = statistics.median(times)
                ratio = statistics.median(rnd[0]["seconds"] / rnd[k]["seconds"] for rnd in rounds)
                ratios.append(ratio)
                same = all(r["sha256"] == first["sha256"] for r in runs)
                rows.append([f"--jobs {j}", f"{median:.2f}", f"{times[0]:.2f}–{times[-1]:.2f}",
                             f"{first['in_bytes'] / median / 1e6:.1f}", f"{ratio:.2f}x",
                             fmt_bytes(max(r["peak_tree_rss"] for r in runs)),
                             "same" if same else "**DIFFERENT**", max(r["returncode"] for r in runs)])
            lines.append(f"\n### Speed-up on {fmt_bytes(first['in_bytes'])} of JSONL ({args.mode} corpus), "
                         f"{args.repeat} paired rounds\n")
            lines.append(md_table(["run", "median s", "range s", "MB/s", "speed-up (median of rounds)",
                                   "peak RSS (tree)", "output vs first", "exit"], rows))
            for rnd in rounds:
                for r in rnd:
                    if r["returncode"] != 0:
                        lines.append(f"\n- `{r['command']}` exited {r['returncode']}: "
                                     f"{' | '.join(r['stderr_tail'])}")
            if len(counts) >= 2:
                per_round = ", ".join(f"{rnd[0]['seconds'] / rnd[1]['seconds']:.2f}x" for rnd in rounds)
                lines.append(f"\nTarget --jobs {counts[1]} >= 1.8x --jobs {counts[0]}: {ratios[1]:.2f}x "
                             f"(rounds: {per_round}), {'met' if ratios[1] >= 1.8 else '**missed**'}.")
            if ceilings:
                lines.append(f"\nCeiling: two `--jobs 1` processes started together, one on each half of the file, "
                             f"finish {statistics.median(ceilings):.2f}x faster than `--jobs 1` on the whole file "
                             f"(rounds: {', '.join(f'{c:.2f}x' for c in ceilings)}): what two independent processes "
                             "reach on this machine, each paying its own start-up.")
            path.unlink()
            for half in halves or ():
                half.unlink()
        if args.timeouts:
            lines.extend(compare_timeouts(cli, workdir, args, extra))
        if args.executors:
            lines.extend(compare_executors(cli, workdir, args, extra))
        if not args.skip_tracing:
            lines.extend(compare_tracing(cli, workdir, args, extra))
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
    publish(lines, args.markdown)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
