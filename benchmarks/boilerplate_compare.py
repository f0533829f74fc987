"""Boilerplate removal on real pages no rule was written for: newsclean vs C4 rules vs jusText.

Usage (from the repository root; needs ``pip install -e '.[bench,train]'`` and the AEB
dev split beside the checkout, ``shared/corpus/aeb-dev.jsonl``, or ``$NEWSCLEAN_AEB``)::

    python benchmarks/boilerplate_compare.py [--markdown results/boilerplate.md]

For each of the corpus's three text views (``dump``: naive page text;
``inscriptis``: layout-aware text with bullets and indentation;
``trafilatura_recall``: an extractor's mostly clean output) it reports, per
method, on the 134 dev pages from 101 sites:

- **content kept**: content lines that survive / content lines;
- **boilerplate dropped**: boilerplate lines removed / boilerplate lines;
- the AEB's page-level **precision / recall / F1** on 4-word shingles against
  the ground-truth article body (defined in the corpus README).

Methods:

- ``none``: the unfiltered text;
- ``newsclean <preset>``: the ``boilerplate`` cleaner at each operating point,
  **cross-validated by site** (10 folds: the model that scores a page never saw
  a page of its site; the whole cleaner runs, rules, decoding and headline rule
  included), exactly as ``training/train_boilerplate.py`` does before it picks
  the presets;
- ``newsclean rules``: the rules alone (``mode="rules"``, no model; what
  newsclean did before the model);
- ``C4 line rules``: keep a line with at least 5 words that ends in terminal
  punctuation and contains no "javascript", "cookie policy", "lorem ipsum", "{";
- ``jusText``: each line one ``<p>`` of an HTML page, English stop list, default
  settings (it is designed for HTML; this is the text-only setting it would get
  in a text pipeline).

Published numbers of the HTML extractors (which see the HTML) are printed for
reference from the corpus README.  Exit code 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "training"))

import aeb  # noqa: E402

from _common import machine, md_table, publish  # noqa: E402
from newsclean.cleaners.boilerplate import BoilerplateCleaner  # noqa: E402
from newsclean.diffing import kept_lines  # noqa: E402

# A method maps a page's lines to one keep flag per line.
Method = Callable[[list[str]], list[bool]]

PUBLISHED = [  # the AEB README, all 181 pages, HTML input
    ("trafilatura 2.0.0", "0.938 / 0.978 / 0.958"),
    ("readability-lxml 0.8.4.1", "0.913 / 0.931 / 0.922"),
    ("jusText 3.0.2", "0.858 / 0.756 / 0.804"),
    ("inscriptis 2.6.0 (no removal)", "0.517 / 0.992 / 0.679"),
]

_C4_BAD = ("javascript", "cookie policy", "lorem ipsum", "{")
_C4_END = (".", "!", "?", '"', "\u201d", "\u2019")


def c4_keep(line: str) -> bool:
    text = line.strip()
    if len(text.split()) < 5 or not text.endswith(_C4_END):
        return False
    lower = text.lower()
    return not any(bad in lower for bad in _C4_BAD)


def justext_method() -> Method | None:
    try:
        import justext
    except ImportError:
        return None
    stoplist = justext.get_stoplist("English")

    def run(lines: list[str]) -> list[bool]:
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
        good = [p.text for p in justext.justext((page + "</body></html>").encode(), stoplist)
                if not p.is_boilerplate]
        flags, pos = [], 0
        for line in lines:
            if pos < len(good) and " ".join(line.split()) == " ".join(good[pos].split()):
                flags.append(True)
                pos += 1
            else:
                flags.append(False)
        return flags

    return run


def rules_method() -> Method:
    cleaner = BoilerplateCleaner(mode="rules")
    return lambda lines: kept_lines(lines, cleaner.clean("\n".join(lines)))


def row(label: str, score: aeb.Score, seconds: float | None = None) -> list[str]:
    return [label, f"{score.kept:.1%}", f"{score.dropped:.1%}",
            f"{score.precision:.3f} / {score.recall:.3f} / {score.f1:.3f}",
            "" if seconds is None else f"{seconds:.2f}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=aeb.default_corpus())
    parser.add_argument("--markdown", help="also write the report to this file (under benchmarks/)")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validated newsclean rows (slow)")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"boilerplate_compare: no AEB corpus at {args.corpus}; set NEWSCLEAN_AEB", file=sys.stderr)
        return 2
    pages = aeb.load(args.corpus)
    methods: list[tuple[str, Method | None]] = [
        ("none (unfiltered)", lambda lines: [True] * len(lines)),
        ("newsclean rules only", rules_method()),
        ("C4 line rules", lambda lines: [c4_keep(line) for line in lines]),
        ("jusText on the lines", justext_method()),
    ]
    results: dict[str, list[list[str]]] = {view: [] for view in aeb.VIEWS}
    for label, method in methods:
        if method is None:
            for view in aeb.VIEWS:
                results[view].append([label, "not installed (pip install justext)", "", "", ""])
            continue
        for view in aeb.VIEWS:
            start = time.perf_counter()
            flags = [method(list(page.views[view][0])) for page in pages]
            results[view].append(row(label, aeb.score(pages, view, flags), time.perf_counter() - start))
    if not args.no_cv:
        import train_boilerplate as training  # needs the train extra (scikit-learn)

        docs = training.load_documents(args.corpus)
        training.featurize(docs)
        scores = training.cross_validate(docs)
        presets = training.choose_presets(scores)
        for name in ("conservative", "balanced", "aggressive"):
            for view in aeb.VIEWS:
                results[view].insert(2, row(f"newsclean {name} (bias {presets[name]:+.1f}), CV by site",
                                            scores[presets[name]][view]))
    info = machine()
    out = [f"# Boilerplate removal on the AEB dev pages ({info['date']}, commit {info['commit']})", "",
           f"{len(pages)} pages from {len({p.site for p in pages})} sites; {info['cpu']}, {info['python']}.", ""]
    for view in aeb.VIEWS:
        out += [f"## `{view}`", "",
                md_table(["method", "content kept", "boilerplate dropped", "P / R / F1", "s"], results[view]), ""]
    out += ["Published, HTML extractors on all 181 AEB pages (P / R / F1):", ""]
    out += [f"- {name}: {numbers}" for name, numbers in PUBLISHED]
    publish(out, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
