"""Exact-match rates of the ``hovercards`` cleaner on labelled corpora.

Usage (from the repository root)::

    .venv/bin/python benchmarks/hovercards_corpus.py [CORPUS.jsonl]

``CORPUS.jsonl`` defaults to ``../shared/corpus/thehill-hovercards.jsonl``
(119 real paragraphs labelled by hand; third-party text, read by path and
never copied into the repository): one JSON object per line with ``id``,
``kind`` (``positive`` | ``negative``), ``raw`` and ``expected``.  The script
also reports the repository's own case corpus ``tests/cases/hovercards.json``
(a JSON list of objects with ``original``, ``expected``, ``kind``).

For positives a case passes when the output equals ``expected`` exactly; for
negatives when the text comes back untouched.  Every failure is printed with
its id and a short diff.  The exit code is 0 regardless: this is a
measurement, not a test (the tests live in ``tests/test_hovercards.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsclean.cleaners.hovercards import HovercardsCleaner  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "thehill-hovercards.jsonl"
OWN_CASES = ROOT / "tests" / "cases" / "hovercards.json"


def load_jsonl(path: Path) -> list[dict[str, str]]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            case_id = d.get("id", f"line {n}")
            cases.append({"id": case_id, "kind": d["kind"], "raw": d["raw"], "expected": d["expected"]})
    return cases


def load_own(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {"id": f"case {n}", "kind": d["kind"], "raw": d["original"], "expected": d["expected"]}
        for n, d in enumerate(data, 1)
    ]


def short_diff(a: str, b: str, context: int = 30) -> str:
    """The differing regions of ``a`` (got) and ``b`` (expected), with a little context."""
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = a[max(0, i1 - context) : i1]
        out.append(
            f"      …{before!r}: got {a[i1:i2]!r}, expected {b[j1:j2]!r}, then {a[i2 : i2 + context]!r}…"
        )
    return "\n".join(out[:4])


def report(title: str, cases: list[dict[str, str]], cleaner: HovercardsCleaner) -> None:
    print(f"\n== {title}: {len(cases)} cases")
    stats = {"positive": [0, 0], "negative": [0, 0]}
    failures = []
    t0 = time.perf_counter()
    for case in cases:
        got = cleaner.clean(case["raw"])
        ok = got == case["expected"]
        stats[case["kind"]][0] += ok
        stats[case["kind"]][1] += 1
        if not ok:
            failures.append((case, got))
    elapsed = time.perf_counter() - t0
    for kind in ("positive", "negative"):
        good, total = stats[kind]
        label = "exact" if kind == "positive" else "untouched"
        rate = 100.0 * good / total if total else 100.0
        print(f"   {kind + 's':10} {good:4d}/{total:<4d} {label:9} ({rate:.1f}%)")
    size = sum(len(c["raw"]) for c in cases)
    print(f"   time: {elapsed * 1000:.1f} ms for {size:,} chars")
    for case, got in failures:
        print(f"   FAIL {case['id']} ({case['kind']})")
        print(short_diff(got, case["expected"]))


def variants(cases: list[dict[str, str]], cleaner: HovercardsCleaner) -> None:
    """Re-format each single-card positive and check the result: does the cleaner depend on one format?

    - glue D/C: the feed format, display name glued to the canonical name;
    - NBSP: no-break spaces before the canonical name and after MORE;
    - glue MORE: MORE glued to the last headline;
    - truncated: the text cut 10 characters before MORE by a NewsAPI marker (only
      cards glued on one side are expected to be caught; fully spaced ones stay).
    """
    stats: dict[str, list[int]] = {}
    misses: dict[str, list[str]] = {}

    def check(name: str, case_id: str, raw: str, expected: str) -> None:
        ok = cleaner.clean(raw) == expected
        stats.setdefault(name, [0, 0])
        stats[name][0] += ok
        stats[name][1] += 1
        if not ok:
            misses.setdefault(name, []).append(case_id)

    for case in cases:
        raw, exp = case["raw"], case["expected"]
        if case["kind"] != "positive":
            continue
        ops = [o for o in SequenceMatcher(None, raw, exp, autojunk=False).get_opcodes() if o[0] != "equal"]
        if len(ops) != 1 or ops[0][0] != "delete":
            continue
        _, i, j, _, _ = ops[0]
        card = raw[i:j]
        if not card.endswith("MORE"):
            continue
        if card.startswith(" "):
            check("glue D/C", case["id"], raw[:i] + card[1:] + raw[j:], exp)
            if raw[j : j + 1] == " ":
                check("NBSP", case["id"], raw[:i] + "\u00a0" + card[1:] + "\u00a0" + raw[j + 1 :],
                      raw[:i] + "\u00a0" + raw[j + 1 :])
        if card.endswith(" MORE") and card[-6].islower():
            check("glue MORE", case["id"], raw[:i] + card[:-5] + "MORE" + raw[j:], exp)
        body = card[:-4].rstrip()
        if len(body) > 60:
            check("truncated", case["id"], raw[:i] + body[:-10] + "… [+1000 chars]", exp[:i] + "… [+1000 chars]")
    print("\n== re-formatted single-card positives (same expected output)")
    for name, (good, total) in stats.items():
        extra = f"  misses: {', '.join(misses[name])}" if name in misses else ""
        print(f"   {name:10} {good:4d}/{total:<4d}{extra}")


ADVERSARIAL = {
    "capitalised words, no MORE": lambda n: ("Ann Lee Ann Marie Lee Headline Senate Vote " * (n // 43 + 1))[:n],
    "capitalised words, MORE every 600 chars": lambda n: (
        ("Ann Lee Ann Marie Lee Headline Senate Vote " * 14)[:590] + " MORE, "
    ) * (n // 597 + 1),
    "MORE every 8 chars": lambda n: "Ab Cd MORE " * (n // 11 + 1),
    "back-to-back cards": lambda n: "Sen. Jane Doe Jane Marie DoeDoe signs budget MORE (D-Ore.) and " * (n // 66 + 1),
    "name repeats, no headline start": lambda n: "Jo Ann Jo Ann Jo Ann Jo Ann says MORE " * (n // 38 + 1),
    "truncation markers": lambda n: "Rep. Ann LeeAnn LeeLee to retire… [+1873 chars] " * (n // 49 + 1),
}


def scaling(cleaner: HovercardsCleaner, sizes: tuple[int, ...] = (100_000, 200_000, 400_000, 800_000)) -> None:
    """Time adversarial inputs at doubling sizes: linear cost shows as a constant MB/s."""
    print("\n== adversarial inputs (cost must grow linearly: MB/s roughly constant across sizes)")
    print(f"   {'input':42} " + " ".join(f"{s // 1000:>7d}k" for s in sizes))
    for name, make in ADVERSARIAL.items():
        rates = []
        for size in sizes:
            text = make(size)[:size]
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                cleaner.clean(text)
                best = min(best, time.perf_counter() - t0)
            rates.append(len(text) / best / 1e6)
        print(f"   {name:42} " + " ".join(f"{r:6.1f}MB/s" for r in rates))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="labelled JSONL corpus")
    parser.add_argument("--no-scaling", action="store_true", help="skip the adversarial timing")
    args = parser.parse_args(argv)
    cleaner = HovercardsCleaner()
    if args.corpus.exists():
        cases = load_jsonl(args.corpus)
        report(str(args.corpus), cases, cleaner)
        variants(cases, cleaner)
    else:
        print(f"corpus not found: {args.corpus}")
    if OWN_CASES.exists():
        report(str(OWN_CASES.relative_to(ROOT)), load_own(OWN_CASES), cleaner)
    if not args.no_scaling:
        scaling(cleaner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
