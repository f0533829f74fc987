"""Start-up costs, each measured in fresh Python processes (median of ``--runs``).

Usage (from the repository root)::

    python benchmarks/bench_startup.py [--runs 15] [--markdown results/startup.md]

Every worker process of every executor pays these once, so they are part of speed:

- ``import newsclean``;
- ``BoilerplateCleaner()``: the boilerplate cleaner's set-up (target: at most 50 ms);
  it parses no rule pattern (their analysis ships as data) and compiles nothing;
- ``Pipeline.default()``: building the default pipeline (registry and all cleaners);
- first clean of a one-paragraph text (the rules' document-level search is compiled);
- first clean of a page dump (the model is loaded and its trees compiled, rule
  alternatives compiled as lines need them);
- the second page dump, warm, for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import machine, md_table, publish  # noqa: E402

PAGE = "\n".join(
    ["Skip to content", "Home", "News", "Sport", "Business", "Opinion", "Harbour wall cracks close quay",
     "By A. Writer", "14 March 2025"]
    + [f"Paragraph {n}: harbour officials said on Monday that repairs to the wall would take several weeks."
       for n in range(8)]
    + ["Share this article", "More from News", "Council approves cycle lanes", "Ferry timetable changes",
       "Contact us", "Terms of use", "Privacy notice"]
)
PARAGRAPH = "The council voted on Tuesday to close the northern quay for six weeks of repairs."

PROBE = r"""
import json, os, sys, time
os.environ.setdefault("NEWSCLEAN_LOAD_PLUGINS", "")
page, paragraph = json.loads(sys.argv[1])
t0 = time.perf_counter()
import newsclean
from newsclean.cleaners.boilerplate import BoilerplateCleaner
t1 = time.perf_counter()
BoilerplateCleaner()
t2 = time.perf_counter()
pipeline = newsclean.Pipeline.default()
t3 = time.perf_counter()
pipeline.clean(paragraph)
t4 = time.perf_counter()
pipeline.clean(page)
t5 = time.perf_counter()
pipeline.clean(page.replace("Paragraph", "Section"))
t6 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5]))
"""

LABELS = [
    "import newsclean (+ the boilerplate cleaner module)",
    "BoilerplateCleaner() set-up",
    "Pipeline.default()",
    "first clean: one paragraph",
    "first clean: a page dump (model loaded and compiled)",
    "next page dump, warm",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--markdown", help="also write the report to this file")
    args = parser.parse_args()
    samples: list[list[float]] = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", PROBE, json.dumps([PAGE, PARAGRAPH])], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout
        samples.append(json.loads(out))
    rows = []
    for index, label in enumerate(LABELS):
        values = [s[index] * 1000 for s in samples]
        rows.append([label, f"{statistics.median(values):.1f}", f"{min(values):.1f}", f"{max(values):.1f}"])
    info = machine()
    lines = [f"# Start-up ({info['date']}, commit {info['commit']})", "",
             f"{info['cpu']}, {info['cores']} cores, {info['python']}; {args.runs} fresh processes.", "",
             md_table(["step", "median ms", "min ms", "max ms"], rows), "",
             "Target (issue 9): the boilerplate cleaner's set-up at most 50 ms."]
    publish(lines, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
