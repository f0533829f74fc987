"""Train the boilerplate model and write ``src/newsclean/boilerplate/data/model.json``.

Usage (from the repository root, with ``pip install -e '.[train]'``)::

    python training/train_boilerplate.py            # cross-validate, train, write the model
    python training/train_boilerplate.py --check    # rebuild and compare with the shipped file
    python training/train_boilerplate.py --report   # only print the cross-validated table

Data (named in the model file with their SHA-256):

- the AEB dev split, ``shared/corpus/aeb-dev.jsonl`` beside the checkout (or
  ``$NEWSCLEAN_AEB``): 134 real pages from 101 sites, every line of three text
  views labelled content/boilerplate (see its README).  Read from its path,
  never copied into the repository;
- our own fictional labelled pages, ``tests/cases/boilerplate/{corpus,heldout,heldout2}.json``
  (not ``pages.json``: the tests judge the model on those pages);
- fictional pages with tables and lists in the article body, generated with a fixed
  seed by ``training/synthetic_pages.py`` (see its docstring for why).

Our own and the generated pages only ever train: every number reported is measured on
AEB pages of sites the model did not see.

What it does, deterministically (fixed seeds, one thread, sites assigned to
folds by a hash of their name):

1. The features of every line come from
   :meth:`newsclean.cleaners.boilerplate.BoilerplateCleaner.analyse`, the very
   code the cleaner runs.
2. The line stage: gradient-boosted trees (scikit-learn's
   ``HistGradientBoostingClassifier``, :data:`TREES` trees of depth
   :data:`DEPTH`) on the line features.  The context stage: the same kind of
   model on the line features plus
   :func:`~newsclean.boilerplate.features.score_context` of the line stage's
   scores; those scores are *out-of-fold* (each site scored by a line stage
   that did not see it), so the context stage learns from scores like the ones
   it will get on new sites.
3. Leave-site-out cross-validation of the whole cleaner (10 folds by site: both
   stages trained without the fold's sites, then the pure-Python cleaner run on
   the fold's pages, rules, Viterbi decoding and headline rule included) picks
   the operating points: ``conservative`` is the smallest bias at which the
   cleaner keeps at least 99% of the content lines of the ``dump`` and
   ``inscriptis`` views, ``balanced`` at least 95%, ``aggressive`` the bias with
   the best mean page F1 of those two views.
4. The final model is trained on all the data and written with the presets.

Labels: the AEB's, as they are (so the headline, which the AEB labels
boilerplate, is learned as boilerplate; the cleaner keeps it by a separate
rule, and scoring counts it as one kept boilerplate line per page).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread: the trees come out the same on every run

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import aeb  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import synthetic_pages  # noqa: E402
from datafiles import write_or_check  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

from newsclean.boilerplate import features, model  # noqa: E402
from newsclean.cleaners.boilerplate import BoilerplateCleaner, Scored, _keep_mask  # noqa: E402

TARGET = ROOT / "src" / "newsclean" / "boilerplate" / model.MODEL_DATA
OWN = ROOT / "tests" / "cases" / "boilerplate"
#: our own labelled pages used for training (``pages.json`` is kept out: the tests judge the model on it)
OWN_FILES = ("corpus.json", "heldout.json", "heldout2.json")
TREES = 60
DEPTH = 3
LEARNING_RATE = 0.2
SEED = 0
INNER_FOLDS = 5
OUTER_FOLDS = 10
SWITCH_COST = 1.0
BIASES = tuple(round(0.5 * k, 1) for k in range(-4, 21))  # -2.0 .. 10.0
TARGETS = {"conservative": 0.99, "balanced": 0.95}
TUNING_VIEWS = ("dump", "inscriptis")


@dataclass
class Document:
    group: str  # the site (AEB) or the document (ours): never split across folds
    source: str  # "aeb:<view>" or "own"
    lines: list[str]
    content: list[bool]  # per line (blank lines: False, unused)
    page: aeb.Page | None = None
    rows: list[list[float]] | None = None
    index: list[int] | None = None
    sizes: list[int] | None = None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_documents(corpus: Path) -> list[Document]:
    docs = []
    for page in aeb.load(corpus):
        for view in aeb.VIEWS:
            lines, labels = page.views[view]
            docs.append(Document(page.site, f"aeb:{view}", list(lines), list(labels), page))
    for path in (OWN / name for name in OWN_FILES):
        for doc in json.loads(path.read_text(encoding="utf-8"))["documents"]:
            lines = [line["text"] for line in doc["lines"]]
            labels = [line["label"] == "article" for line in doc["lines"]]
            docs.append(Document(f"own:{path.stem}:{doc['name']}", "own", lines, labels))
    for name, lines_and_labels in synthetic_pages.pages():
        docs.append(Document(f"synthetic:{name}", "synthetic", [t for t, _ in lines_and_labels],
                             [c for _, c in lines_and_labels]))
    return docs


def featurize(docs: Sequence[Document]) -> None:
    cleaner = BoilerplateCleaner()
    for doc in docs:
        found = cleaner.analyse("\n".join(doc.lines))
        doc.rows, doc.index = found.rows, found.index
        doc.sizes = [len(doc.lines[i].strip()) for i in found.index]


def fold_of(group: str, folds: int, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{group}".encode()).hexdigest(), 16) % folds


def _classifier() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=TREES, max_depth=DEPTH, learning_rate=LEARNING_RATE, early_stopping=False, random_state=SEED,
    )


def _stack(docs: Sequence[Document], extra: dict[int, list[list[float]]] | None = None) -> tuple[Any, Any]:
    xs, ys = [], []
    for number, doc in enumerate(docs):
        if not doc.index:
            continue
        rows = doc.rows if extra is None else [[*r, *e] for r, e in zip(doc.rows, extra[number], strict=True)]
        xs.append(np.asarray(rows, dtype=np.float64))
        ys.append(np.asarray([doc.content[i] for i in doc.index], dtype=bool))
    return np.vstack(xs), np.concatenate(ys)


def _export(classifier: HistGradientBoostingClassifier) -> dict[str, Any]:
    """The fitted trees as plain lists (see :mod:`newsclean.boilerplate.model`).  A split node's
    value is the mean of its leaves' values over the training rows that reached them."""
    baseline = float(np.ravel(classifier._baseline_prediction)[0])
    trees = []
    for (predictor,) in classifier._predictors:
        raw = predictor.nodes

        def mean(i: int, raw: Any = raw) -> tuple[float, int]:
            node = raw[i]
            if node["is_leaf"]:
                return float(node["value"]), int(node["count"])
            (left, n_left), (right, n_right) = mean(int(node["left"])), mean(int(node["right"]))
            total = n_left + n_right
            return ((left * n_left + right * n_right) / total if total else 0.0), total

        nodes = []
        for i, node in enumerate(raw):
            if node["is_leaf"]:
                nodes.append([float(node["value"])])
            else:
                nodes.append([int(node["feature_idx"]), float(node["num_threshold"]), int(node["left"]),
                              int(node["right"]), mean(i)[0]])
        trees.append(nodes)
    return {"baseline": baseline, "trees": trees}


def train(docs: Sequence[Document]) -> dict[str, Any]:
    """Both stages trained on ``docs``: {"lines": stage, "context": stage} as exported data."""
    x1, y1 = _stack(docs)
    lines_stage = _classifier().fit(x1, y1)
    # out-of-fold line scores for the context stage
    oof: dict[int, list[float]] = {}
    groups = sorted({doc.group for doc in docs})
    for k in range(INNER_FOLDS):
        held = {g for g in groups if fold_of(g, INNER_FOLDS, "inner") == k}
        inside = [d for d in docs if d.group not in held]
        if not inside:
            continue
        fitted = _classifier().fit(*_stack(inside))
        for number, doc in enumerate(docs):
            if doc.group in held and doc.index:
                oof[number] = list(fitted.predict_proba(np.asarray(doc.rows))[:, 1])
    context = {
        number: features.score_context(oof.get(number, []), doc.sizes or [])
        for number, doc in enumerate(docs) if doc.index
    }
    x2, y2 = _stack(docs, context)
    context_stage = _classifier().fit(x2, y2)
    return {"lines": _export(lines_stage), "context": _export(context_stage)}


def as_model(stages: dict[str, Any], presets: dict[str, float]) -> model.Model:
    return model.parse({
        "format": model.MODEL_FORMAT, "version": model.MODEL_VERSION,
        "features": list(features.FEATURES), "score_features": list(features.SCORE_CONTEXT),
        "stages": stages, "presets": presets, "switch_cost": SWITCH_COST,
    })


def cross_validate(docs: Sequence[Document], biases: Sequence[float] = BIASES) -> dict[float, dict[str, aeb.Score]]:
    """Leave-site-out scores of the whole cleaner per bias and AEB view (our own documents only
    ever train)."""
    groups = sorted({doc.group for doc in docs if doc.page is not None})
    scores: dict[float, dict[str, aeb.Score]] = {b: {v: aeb.Score() for v in aeb.VIEWS} for b in biases}
    for k in range(OUTER_FOLDS):
        held = {g for g in groups if fold_of(g, OUTER_FOLDS, "outer") == k}
        fold_model = as_model(train([d for d in docs if d.group not in held]), {"conservative": 0.0})
        for doc in docs:
            if doc.group not in held or doc.page is None:
                continue
            view = doc.source.split(":", 1)[1]
            for bias, flags in zip(biases, kept_flags(doc, fold_model, biases), strict=True):
                scores[bias][view].add(doc.page, view, flags)
        print(f"  fold {k + 1}/{OUTER_FOLDS}: {len(held)} sites held out", file=sys.stderr, flush=True)
    return scores


_CLEANER: BoilerplateCleaner | None = None


def kept_flags(doc: Document, trained: model.Model, biases: Sequence[float]) -> list[list[bool]]:
    """Which lines of ``doc`` the default cleaner keeps with ``trained``, at each of ``biases``:
    the cleaner's own decision, fast paths included (the model is scored once)."""
    global _CLEANER
    cleaner = _CLEANER = _CLEANER or BoilerplateCleaner()
    found = cleaner.prepare("\n".join(doc.lines), trained)
    if not isinstance(found, Scored):
        flags = [True] * len(doc.lines) if found is None else _keep_mask(*found)
        return [flags for _ in biases]
    out = []
    for bias in biases:
        decided = cleaner._decide(found, bias, trained)
        out.append([True] * len(doc.lines) if decided is None else _keep_mask(*decided))
    return out


def choose_presets(scores: dict[float, dict[str, aeb.Score]]) -> dict[str, float]:
    presets: dict[str, float] = {}
    for name, target in TARGETS.items():
        meeting = [b for b in sorted(scores) if all(scores[b][v].kept >= target for v in TUNING_VIEWS)]
        presets[name] = meeting[0] if meeting else max(scores)
    presets["aggressive"] = max(sorted(scores), key=lambda b: sum(scores[b][v].f1 for v in TUNING_VIEWS))
    return presets


def table(scores: dict[float, dict[str, aeb.Score]], presets: dict[str, float]) -> list[str]:
    rows = ["| preset | bias | view | content kept | boilerplate dropped | P | R | F1 |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in ("conservative", "balanced", "aggressive"):
        bias = presets[name]
        for view in aeb.VIEWS:
            s = scores[bias][view]
            rows.append(f"| {name} | {bias:+.1f} | {view} | {s.kept:.2%} | {s.dropped:.2%} | "
                        f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    return rows


def render(stages: dict[str, Any], presets: dict[str, float], cv: dict[str, Any], corpus: Path) -> str:
    """The model file: readable JSON, one tree per line."""
    head = {
        "format": model.MODEL_FORMAT,
        "version": model.MODEL_VERSION,
        "trained_by": "training/train_boilerplate.py",
        "data": {
            "aeb-dev.jsonl": sha256(corpus),
            **{f"tests/cases/boilerplate/{name}": sha256(OWN / name) for name in OWN_FILES},
        },
        "learner": {"sklearn": sklearn.__version__, "numpy": np.__version__, "trees": TREES, "depth": DEPTH,
                    "learning_rate": LEARNING_RATE, "seed": SEED, "inner_folds": INNER_FOLDS},
        "cross_validation": cv,
        "presets": presets,
        "switch_cost": SWITCH_COST,
        "features": list(features.FEATURES),
        "score_features": list(features.SCORE_CONTEXT),
    }
    out = ["{"]
    for key, value in head.items():
        out.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    out.append('  "stages": {')
    for s_index, name in enumerate(("lines", "context")):
        stage = stages[name]
        out.append(f'    "{name}": {{')
        out.append(f'      "baseline": {json.dumps(stage["baseline"])},')
        out.append('      "trees": [')
        for t_index, tree in enumerate(stage["trees"]):
            comma = "," if t_index + 1 < len(stage["trees"]) else ""
            out.append(f"        {json.dumps(tree)}{comma}")
        out.append("      ]")
        out.append("    }" + ("," if s_index == 0 else ""))
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=aeb.default_corpus(), help="the AEB dev file")
    parser.add_argument("--check", action="store_true", help="rebuild and compare with the shipped file")
    parser.add_argument("--report", action="store_true", help="cross-validate and print the table only")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"train_boilerplate: cannot find the AEB corpus at {args.corpus}; set NEWSCLEAN_AEB", file=sys.stderr)
        return 2
    docs = load_documents(args.corpus)
    print(f"{len(docs)} documents; computing features", file=sys.stderr, flush=True)
    featurize(docs)
    print("cross-validating by site", file=sys.stderr, flush=True)
    scores = cross_validate(docs)
    presets = choose_presets(scores)
    lines = table(scores, presets)
    print("\n".join(lines))
    if args.report:
        return 0
    cv = {
        name: {view: {"kept": round(scores[b][view].kept, 4), "dropped": round(scores[b][view].dropped, 4),
                      "f1": round(scores[b][view].f1, 4)} for view in aeb.VIEWS}
        for name, b in presets.items()
    }
    print("training on everything", file=sys.stderr, flush=True)
    return write_or_check({TARGET: render(train(docs), presets, cv, args.corpus)}, args.check)


if __name__ == "__main__":
    sys.exit(main())
