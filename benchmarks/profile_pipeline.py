"""Where does the default pipeline spend its time?  Per-cleaner shares and a cProfile of the hot spots.

Runs the default pipeline over a generated corpus, timing each cleaner's
``clean`` *inside the chain* (each sees the text as the previous cleaners left
it), and reports for every cleaner: seconds, share of the total, its MB/s,
how many documents it changed, and how many took its fast path (returned the
very same object).  With ``--cprofile`` it also prints the top functions.

    python benchmarks/profile_pipeline.py --size 5MB
    python benchmarks/profile_pipeline.py --size 5MB --mode mojibake --cprofile 25
    python benchmarks/profile_pipeline.py --discover          # include cleaners not registered yet
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time

import corpus
from _common import load_cleaners, machine, md_table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="per-cleaner time in the default pipeline")
    ap.add_argument("--size", default="5MB")
    ap.add_argument("--mode", default="mixed", choices=corpus.MODES)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--discover", action="store_true", help="include cleaner modules not registered yet")
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the top N functions")
    args = ap.parse_args(argv)

    docs = corpus.generate(args.mode, corpus.parse_size(args.size), args.seed)
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    default, _, notes = load_cleaners(args.discover)
    cleaners = list(default.cleaners)
    best = {c.name: float("inf") for c in cleaners}
    changed = dict.fromkeys(best, 0)
    fast = dict.fromkeys(best, 0)
    for rep in range(args.repeats):
        spent = dict.fromkeys(best, 0.0)
        for d in docs:
            text = d
            for c in cleaners:
                t0 = time.perf_counter()
                out = c.clean(text)
                spent[c.name] += time.perf_counter() - t0
                if rep == 0:
                    fast[c.name] += out is text
                    changed[c.name] += out != text
                text = out
        for k, v in spent.items():
            best[k] = min(best[k], v)
    total = sum(best.values())
    info = machine()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, {info['python']}; commit {info['commit']}; {info['date']}.")
    print(f"Corpus `{args.mode}`: {nbytes / 1e6:.1f} MB, {len(docs):,} documents; best of {args.repeats}.")
    for n in notes:
        print(f"- note: {n}")
    rows = []
    for c in cleaners:
        s = best[c.name]
        rows.append([c.name, f"{s:.3f}", f"{s / total:.0%}", f"{nbytes / s / 1e6:.1f}" if s else "-",
                     f"{changed[c.name]:,}", f"{fast[c.name] / len(docs):.0%}"])
    rows.append(["**total**", f"{total:.3f}", "100%", f"{nbytes / total / 1e6:.1f}", "", ""])
    print()
    print(md_table(["cleaner (in chain)", "seconds", "share", "MB/s alone in chain", "docs changed",
                    "same object returned"], rows))
    if args.cprofile:
        pr = cProfile.Profile()
        pr.enable()
        for d in docs:
            default.clean(d)
        pr.disable()
        buf = io.StringIO()
        pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(args.cprofile)
        print("\n```\n" + buf.getvalue().strip() + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
