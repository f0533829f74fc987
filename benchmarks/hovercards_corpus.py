"""Exact-match rates of the ``hovercards`` cleaner on labelled corpora, by form of the card.

Usage (from the repository root)::

    .venv/bin/python benchmarks/hovercards_corpus.py [CORPUS.jsonl]

``CORPUS.jsonl`` is the shared, hand-labelled corpus
``thehill-hovercards.jsonl`` (119 real paragraphs; third-party text, read by
path and never copied into the repository): one JSON object per line with
``id``, ``kind`` (``positive`` | ``negative``), ``raw``, ``expected`` and
``note``.  Without an argument it is looked for in ``shared/corpus/`` next to
the repository or one level further up (a worktree), or where
``NEWSCLEAN_HOVERCARDS_CORPUS`` points.  The script also reports the
repository's own cases ``tests/cases/hovercards.json`` (``original``,
``expected``, ``kind``, ``form``).

Both corpora are reported by form of the card: ``glued`` (the display name
glued to the canonical name, the feed format), ``spaced`` (the web format),
``truncated`` (cut by an API truncation marker), ``split`` (the card inside the
display name) and ``possessive`` (a possessive or punctuation right after
``MORE``).  The shared corpus has no form field, so its forms are read off
the text (see :func:`shared_form`).  A positive passes when the output equals
``expected`` exactly; a negative when the text comes back untouched.  Every
failure is printed with its id and a short diff.

A last section re-formats each single-card positive of the shared corpus (the
feed format, NBSPs, a glued ``MORE``, a cut by a truncation marker in the
headlines) and checks the same expected output.

The exit code is 0 regardless: this is a measurement, not a test (the tests
live in ``tests/test_hovercards.py``; speed is measured by
``benchmarks/bench_adversarial.py --cleaners hovercards``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsclean.cleaners.hovercards import HovercardsCleaner  # noqa: E402

OWN_CASES = ROOT / "tests" / "cases" / "hovercards.json"
CORPUS_NAME = Path("shared") / "corpus" / "thehill-hovercards.jsonl"
FORMS = ("glued", "spaced", "truncated", "split", "possessive")


def default_corpus() -> Path:
    env = os.environ.get("NEWSCLEAN_HOVERCARDS_CORPUS")
    if env:
        return Path(env)
    candidates = [ROOT.parent / CORPUS_NAME, ROOT.parent.parent / CORPUS_NAME]
    return next((p for p in candidates if p.exists()), candidates[0])


def removed_stretches(raw: str, expected: str) -> list[tuple[int, int]]:
    """Where ``expected`` lacks text of ``raw`` (the cards), as spans of ``raw``."""
    ops = SequenceMatcher(None, raw, expected, autojunk=False).get_opcodes()
    return [(i1, i2) for tag, i1, i2, _, _ in ops if tag in ("delete", "replace")]


def shared_form(case: dict[str, str]) -> str:
    """The form of a shared-corpus case, read off its text and note.

    ``truncated`` if the text has a truncation marker; ``split`` if the note
    says the card was inserted inside (split) the display name; ``possessive``
    if a possessive or punctuation follows a ``MORE``; otherwise ``glued`` or
    ``spaced`` by whether the first removed stretch starts with a space.
    Negatives are ``truncated`` or ``other``.
    """
    raw = case["raw"]
    if case["kind"] == "negative":
        return "truncated" if "chars]" in raw else "other"
    if "chars]" in raw:
        return "truncated"
    if re.search(r"\b(split|inside|middle) .*display name|splits the display name", case.get("note", "")):
        return "split"
    if re.search(r"MORE\s*(['’]s\b|[,.;:!?])", raw):
        return "possessive"
    stretches = removed_stretches(raw, case["expected"])
    return "spaced" if stretches and raw[stretches[0][0]].isspace() else "glued"


def load_jsonl(path: Path) -> list[dict[str, str]]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            case = {"id": d.get("id", f"line {n}"), "kind": d["kind"], "raw": d["raw"], "expected": d["expected"],
                    "note": d.get("note", "")}
            case["form"] = shared_form(case)
            cases.append(case)
    return cases


def load_own(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {"id": f"case {n}", "kind": d["kind"], "raw": d["original"], "expected": d["expected"], "form": d["form"]}
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
    stats: dict[tuple[str, str], list[int]] = {}
    failures = []
    t0 = time.perf_counter()
    for case in cases:
        got = cleaner.clean(case["raw"])
        ok = got == case["expected"]
        for key in ((case["kind"], "all"), (case["kind"], case["form"])):
            stats.setdefault(key, [0, 0])
            stats[key][0] += ok
            stats[key][1] += 1
        if not ok:
            failures.append((case, got))
    elapsed = time.perf_counter() - t0
    for kind, label in (("positive", "exact"), ("negative", "untouched")):
        forms = ["all", *FORMS] if kind == "positive" else ["all", "truncated", "other"]
        for form in forms:
            good, total = stats.get((kind, form), (0, 0))
            if total:
                name = f"{kind}s" if form == "all" else f"  {form}"
                print(f"   {name:12} {good:4d}/{total:<4d} {label:9} ({100.0 * good / total:.1f}%)")
    size = sum(len(c["raw"]) for c in cases)
    print(f"   time: {elapsed * 1000:.1f} ms for {size:,} chars")
    for case, got in failures:
        print(f"   FAIL {case['id']} ({case['kind']}, {case['form']})")
        print(short_diff(got, case["expected"]))


def variants(cases: list[dict[str, str]], cleaner: HovercardsCleaner) -> None:
    """Re-format each single-card positive and check the result: does the cleaner depend on one format?

    - glue D/C: the feed format, display name glued to the canonical name;
    - NBSP: no-break spaces before the canonical name and after MORE;
    - glue MORE: MORE glued to the last headline;
    - truncated: the card cut by a NewsAPI marker 10 characters before MORE (inside the headlines).  Cut
      cards whose canonical name only repeats the display name in the spaced format, with a first
      headline neither glued to it nor beginning with the surname, are kept by design (they read like a
      name written twice), as are split-name cards: those misses are listed.
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
        stretches = removed_stretches(raw, exp)
        if len(stretches) != 1:
            continue
        i, j = stretches[0]
        if raw[i:j].endswith("MORE ") and raw[i - 1 : i] == " ":
            i, j = i - 1, j - 1  # (the alignment may keep the space before the card instead of the one after)
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
    print("\n== re-formatted single-card positives of the shared corpus (same expected output)")
    for name, (good, total) in stats.items():
        extra = f"  misses: {', '.join(misses[name])}" if name in misses else ""
        print(f"   {name:10} {good:4d}/{total:<4d}{extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=None, help="labelled JSONL corpus")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    cleaner = HovercardsCleaner()
    if corpus.exists():
        cases = load_jsonl(corpus)
        report(str(corpus), cases, cleaner)
        variants(cases, cleaner)
    else:
        print(f"corpus not found: {corpus} (pass its path, or set NEWSCLEAN_HOVERCARDS_CORPUS)")
    if OWN_CASES.exists():
        report(str(OWN_CASES.relative_to(ROOT)), load_own(OWN_CASES), cleaner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
