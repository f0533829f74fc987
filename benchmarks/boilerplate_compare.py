"""Boilerplate removal on our labelled corpus: newsclean vs the C4 line rules vs jusText.

Usage (from the repository root)::

    .venv/bin/python benchmarks/boilerplate_compare.py [--verbose]

Reads ``tests/cases/boilerplate/corpus.json`` (33 documents written together
with the rule pack) and the held-out sets ``heldout.json`` (8 documents) and
``heldout2.json`` (6 documents), each written afterwards and first scored
before any rule was changed for it.  First scores of newsclean on them, for
an honest estimate on unseen pages: heldout 100% of article lines kept, 78.8%
(26/33) of boilerplate dropped; heldout2 100% kept, 73.3% (22/30) dropped.
The rules were extended afterwards, so the numbers printed now are higher.
Every line is labelled ``article``, ``boilerplate`` or ``blank``; blank lines
are not scored.

For each method it reports, per line:

- **article kept**: share of article lines that survive (target >= 99%);
- **boilerplate dropped**: share of boilerplate lines removed (target >= 90%).

Methods:

- ``newsclean boilerplate``: :class:`newsclean.cleaners.boilerplate.BoilerplateCleaner` with default options;
- ``C4 line rules``: keep a line only if it has at least 5 words, ends in
  terminal punctuation (``. ! ? "`` or a closing curly quote) and contains
  none of "javascript", "cookie policy", "lorem ipsum", "{" (the line-level
  part of the C4 filter; its page-level rules are not applied);
- ``jusText`` (if importable; ``pip install justext``): each non-blank line
  becomes one ``<p>`` of an HTML page, classified with the English stoplist
  and default settings (and once more with lower length thresholds,
  because its defaults call a paragraph "good" only above 200 characters,
  longer than most news paragraphs); a line is kept when its paragraph is
  not boilerplate.  jusText is designed for HTML with link markup, which
  plain text does not have, so this is the text-only setting it would get
  inside a text pipeline.

Exit code 0 regardless: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import machine, md_table  # noqa: E402
from newsclean.cleaners.boilerplate import BoilerplateCleaner  # noqa: E402
from newsclean.diffing import kept_lines  # noqa: E402

CASES = ROOT / "tests" / "cases" / "boilerplate"
FILES = ("corpus.json", "heldout.json", "heldout2.json")

# A method maps the document's lines to one keep/drop flag per line.
Method = Callable[[list[str]], list[bool]]


def newsclean_method() -> Method:
    cleaner = BoilerplateCleaner()

    def run(lines: list[str]) -> list[bool]:
        return kept_lines(lines, cleaner.clean("\n".join(lines)))

    return run


_C4_BAD = ("javascript", "cookie policy", "lorem ipsum", "{")
_C4_END = (".", "!", "?", '"', "”", "’")


def c4_keep(line: str) -> bool:
    text = line.strip()
    if len(text.split()) < 5 or not text.endswith(_C4_END):
        return False
    lower = text.lower()
    return not any(bad in lower for bad in _C4_BAD)


def c4_method() -> Method:
    return lambda lines: [c4_keep(line) for line in lines]


def justext_method(**settings: int) -> Method | None:
    try:
        import justext
    except ImportError:
        return None
    stoplist = justext.get_stoplist("English")

    def run(lines: list[str]) -> list[bool]:
        body = [line for line in lines if line.strip()]
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in body) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, **settings)
        good = [p.text for p in paragraphs if not p.is_boilerplate]
        flags, pos = [], 0
        for line in lines:
            if pos < len(good) and " ".join(line.split()) == " ".join(good[pos].split()):
                flags.append(True)
                pos += 1
            else:
                flags.append(False)
        return flags

    return run


def score(method: Method, docs: list[dict], verbose: bool, label: str) -> tuple[int, int, int, int, float]:
    kept_a = total_a = dropped_b = total_b = 0
    start = time.perf_counter()
    results = [method([line["text"] for line in doc["lines"]]) for doc in docs]
    elapsed = time.perf_counter() - start
    for doc, flags in zip(docs, results, strict=True):
        for line, kept in zip(doc["lines"], flags, strict=True):
            if line["label"] == "article":
                total_a += 1
                kept_a += kept
                if verbose and not kept:
                    print(f"  [{label}] {doc['name']}: dropped article line {line['text']!r}")
            elif line["label"] == "boilerplate":
                total_b += 1
                dropped_b += not kept
                if verbose and kept:
                    print(f"  [{label}] {doc['name']}: kept {line['category']} line {line['text']!r}")
    return kept_a, total_a, dropped_b, total_b, elapsed


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every misclassified line")
    args = parser.parse_args()

    sets = {name: json.loads((CASES / name).read_text(encoding="utf-8"))["documents"] for name in FILES}
    sets["all"] = [doc for name in FILES for doc in sets[name]]
    methods: list[tuple[str, Method | None]] = [
        ("newsclean boilerplate", newsclean_method()),
        ("C4 line rules", c4_method()),
        ("jusText (defaults)", justext_method()),
        ("jusText (length_low=30, length_high=100)", justext_method(length_low=30, length_high=100)),
    ]
    info = machine()
    print(f"# Boilerplate line classification ({info['date']}, commit {info['commit']}, {info['python']})\n")
    for name, docs in sets.items():
        n_lines = sum(1 for doc in docs for line in doc["lines"] if line["label"] != "blank")
        print(f"## {name}: {len(docs)} documents, {n_lines} labelled lines\n")
        rows = []
        for label, method in methods:
            if method is None:
                rows.append([label, "skipped: not installed (pip install justext)", "", ""])
                continue
            kept_a, total_a, dropped_b, total_b, elapsed = score(method, docs, args.verbose and name != "all", label)
            rows.append([label, pct(kept_a, total_a), pct(dropped_b, total_b), f"{elapsed * 1000:.1f}"])
        print(md_table(["method", "article lines kept", "boilerplate lines dropped", "ms"], rows))
        print()
    print("Targets (issue 3): keep >= 99% of article lines, drop >= 90% of boilerplate lines.")


if __name__ == "__main__":
    main()
