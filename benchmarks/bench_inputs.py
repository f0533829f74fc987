"""Adversarial files: does reading, chunking and writing every format stay linear?

``bench_adversarial.py`` times the cleaners on hostile text; this times ``clean_files`` (the CLI's
engine, with one job) on hostile *files*: CSV quotes that never close (in the header, in a row,
a legitimate quoted field over many lines), input without any line break, one huge JSONL record,
a record with many keys to splice around, JSON Lines to tell from text, long runs of combining
marks.  Each file is cleaned at sizes n, 2n, 4n, ... in a child process with a time budget, and
the cost ratio per doubling is printed (about 2.0 is linear; see ``bench_adversarial.verdict``).

    python benchmarks/bench_inputs.py                        # 1 MB -> 16 MB
    python benchmarks/bench_inputs.py --base 256KB --doublings 3 --inputs csv
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import re
import sys
import tempfile
import time
from pathlib import Path

import corpus
from _common import machine, md_table, publish
from bench_adversarial import ratios, verdict

# name -> (format given to clean_files or None for detection, suffix, maker(n) -> bytes of about n)
ROW = b'17,"The council approved the budget  on Monday, after a long debate."\n'


def _rows(n: int) -> bytes:
    return ROW * max(1, n // len(ROW))


def _json_line(n: int) -> bytes:
    return json.dumps({"text": "word  " * max(1, n // 6)}).encode() + b"\n"


INPUTS = {
    "csv_header_quote_never_closes": ("csv", ".csv", lambda n: b'id,"text\n' + _rows(n)),
    "csv_row_quote_never_closes": ("csv", ".csv", lambda n: b'id,text\n1,"oops\n' + _rows(n)),
    "csv_quoted_field_over_many_lines": ("csv", ".csv", lambda n: b'id,text\n1,"' + b"a line  \n" * (n // 9) + b'"\n'),
    "csv_rows": ("csv", ".csv", _rows),
    "csv_no_line_break": ("csv", ".csv", lambda n: b"a" * n),
    "jsonl_no_line_break": ("jsonl", ".jsonl", lambda n: b'{"text": "' + b"a" * n),
    "jsonl_one_huge_record": ("jsonl", ".jsonl", _json_line),
    "jsonl_many_keys_spliced": ("jsonl", ".jsonl", lambda n: (
        "{" + ", ".join(f'"k{i}": {i}e400' for i in range(max(1, n // 14))) + ', "text": "a  b"}\n').encode()),
    "jsonl_records_detected": (None, "", lambda n: _json_line(200) * max(1, n // 1200)),
    "txt_marks_out_of_order": ("txt", ".txt", lambda n: ("a" + "\u0301" * (n // 4) + "\u0316" * (n // 4)).encode()),
    "txt_news": ("txt", ".txt", lambda n: "\n\n".join(corpus.generate("mixed", n, seed=3)).encode()[:n]),
}


def _clean_file(path: str, fmt: str | None) -> float:
    from newsclean import Pipeline
    from newsclean.runner import clean_files

    pipeline = Pipeline.default()
    t0 = time.perf_counter()
    clean_files([path], pipeline, output=io.BytesIO(), format=fmt, jobs=1, max_doc_size=2**31)
    return time.perf_counter() - t0


def _child(conn, name: str, sizes: list[int], folder: str, stop_after: float) -> None:
    fmt, suffix, make = INPUTS[name]
    for n in sizes:
        path = Path(folder) / f"{name}-{n}{suffix}"
        path.write_bytes(make(n))
        t = min(_clean_file(str(path), fmt) for _ in range(2))
        path.unlink()
        conn.send((n, t))
        if t > stop_after:
            break
    conn.send(None)


def measure(name: str, sizes: list[int], budget: float, stop_after: float) -> tuple[dict[int, float], str]:
    times: dict[int, float] = {}
    ctx = mp.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, name, sizes, folder, stop_after))
        proc.start()
        child.close()
        status = "ok"
        while True:
            if not parent.poll(budget):
                proc.kill()
                status = f"TIMEOUT (> {budget:.0f} s)"
                break
            try:
                item = parent.recv()
            except EOFError:
                status = "child died"
                break
            if item is None:
                break
            times[item[0]] = item[1]
        proc.join(5)
    return times, status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cost per doubling of file size, per adversarial file")
    ap.add_argument("--base", default="1MB", help="smallest file size (default 1MB)")
    ap.add_argument("--doublings", type=int, default=4, help="number of doublings (default 4: 1 MB -> 16 MB)")
    ap.add_argument("--inputs", help="regex selecting input names")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds allowed for one size before TIMEOUT")
    ap.add_argument("--stop-after", type=float, default=20.0, help="stop doubling once one run takes this long")
    ap.add_argument("--markdown", metavar="PATH", help="also write the report to PATH")
    args = ap.parse_args(argv)
    base = corpus.parse_size(args.base)
    sizes = [base * 2**k for k in range(args.doublings + 1)]
    info = machine()
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['python']}; commit {info['commit']}; {info['date']}.",
        f"clean_files(default pipeline, jobs=1) on files of {', '.join(f'{s:,}' for s in sizes)} bytes; "
        "ratio = time(2n) / time(n), about 2.0 is linear, about 4 quadratic.",
        "",
    ]
    rows = []
    for name in INPUTS:
        if args.inputs and not re.search(args.inputs, name):
            continue
        print(f"  {name} ...", file=sys.stderr)
        times, status = measure(name, sizes, args.budget, args.stop_after)
        outcome, _ = verdict(times, status)
        big = max(times) if times else None
        rows.append([name, " ".join(f"{r:.2f}" for r in ratios(times)),
                     f"{times[big]:.3f}" if big else "-", f"{big / times[big] / 1e6:.1f}" if big else "-",
                     {"flag": "**superlinear**", "step": "one-off step"}.get(outcome, "") or
                     ("" if status == "ok" else status)])
    lines.append(md_table(["file", "ratios per doubling", "seconds at the largest", "MB/s", "verdict"], rows,
                          "llrrl"))
    publish(lines, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
