"""The trained boilerplate model: loading ``data/model.json`` and scoring lines in pure Python.

The model has two stages of small gradient-boosted decision trees:

1. the **line stage** scores each non-blank line from its own features and its
   neighbours' (:data:`~newsclean.boilerplate.features.FEATURES`);
2. the **context stage** scores it again from the same features plus the line
   stage's scores around it (:data:`~newsclean.boilerplate.features.SCORE_CONTEXT`):
   where the run of content-scored text lies and how far the line is from it.

A score is the log-odds that the line is article content.  :func:`decode` then
labels the lines together: a two-state Viterbi pass over the scores, where
changing state between two neighbouring lines costs :attr:`Model.switch_cost`,
so short runs are decided with their neighbours rather than each line alone.
The operating point is a bias added to every score (:attr:`Model.presets`):
higher keeps more.  (The cleaner then keeps a line whose own score keeps it even
where the runs say otherwise: decoding can only add lines, by conservative design.)

``data/model.json`` is written by ``training/train_boilerplate.py``, which
rebuilds it exactly from the data it names; it is plain JSON: each tree a list
of nodes, ``[feature, threshold, left, right, value]`` for a split (a row goes
left when its feature is ``<=`` the threshold; ``value`` is the mean score of
the training rows that reached the node, used to explain a decision) and
``[value]`` for a leaf.
Nothing here needs numpy or scikit-learn.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import ConfigError
from .features import FEATURES, SCORE_CONTEXT

__all__ = ["MODEL_FORMAT", "MODEL_VERSION", "Model", "decode", "load"]

MODEL_FORMAT = "newsclean-boilerplate-model"
#: bumped whenever the features or the model's structure change; the data file must agree
MODEL_VERSION = 1
MODEL_DATA = "data/model.json"

Tree = list[list[Any]]


@dataclass(frozen=True)
class Stage:
    """One stage: a baseline and a sum of trees (log-odds of content).

    :meth:`score` walks the trees; :meth:`scorer` returns the same function compiled from
    the trees into one Python expression of nested conditionals, several times faster (the
    code is generated from the data when the model is loaded; the data stays the truth)."""

    baseline: float
    trees: tuple[Tree, ...]

    def score(self, row: Sequence[float]) -> float:
        total = self.baseline
        for nodes in self.trees:
            node = nodes[0]
            while len(node) != 1:
                node = nodes[node[2] if row[node[0]] <= node[1] else node[3]]
            total += node[0]
        return total

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("scorer", None)  # compiled code does not pickle; it is compiled again on first use
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @functools.cached_property
    def scorer(self) -> Callable[[Sequence[float]], float]:
        """:meth:`score` as one compiled expression."""

        def expression(nodes: Tree, index: int) -> str:
            node = nodes[index]
            if len(node) == 1:
                return repr(float(node[0]))
            feature, threshold, left, right = node[0], float(node[1]), node[2], node[3]
            return (f"({expression(nodes, left)} if r[{int(feature)}] <= {threshold!r} "
                    f"else {expression(nodes, right)})")

        body = " + ".join([repr(self.baseline), *(expression(nodes, 0) for nodes in self.trees)])
        namespace: dict[str, Any] = {}
        exec(compile(f"def score(r):\n    return {body}\n", "<newsclean boilerplate model>", "exec"), namespace)
        return namespace["score"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    score_features: tuple[str, ...]
    lines: Stage
    context: Stage
    presets: dict[str, float]
    switch_cost: float

    def score_lines(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The line stage's log-odds of content for each feature row."""
        score = self.lines.scorer
        return [score(row) for row in rows]

    def score_context(self, rows: Sequence[Sequence[float]], context: Sequence[Sequence[float]]) -> list[float]:
        """The context stage's log-odds of content, from the rows and their score context."""
        score = self.context.scorer
        return [score([*row, *extra]) for row, extra in zip(rows, context, strict=True)]


def _stage(data: Any, width: int, where: str) -> Stage:
    trees = tuple(data["trees"])
    for number, nodes in enumerate(trees):
        for node in nodes:
            if len(node) == 5 and not (0 <= node[0] < width and 0 < node[2] < len(nodes) and 0 < node[3] < len(nodes)):
                raise ConfigError(f"{where}: tree {number} has a node out of range: {node!r}")
            if len(node) not in (1, 5):
                raise ConfigError(f"{where}: tree {number} has a malformed node: {node!r}")
    return Stage(float(data["baseline"]), trees)


def parse(raw: Any, where: str = MODEL_DATA) -> Model:
    """A :class:`Model` from the parsed JSON; :class:`~newsclean.errors.ConfigError` if it was made
    for other features or another version of this code."""
    if raw.get("format") != MODEL_FORMAT or raw.get("version") != MODEL_VERSION:
        raise ConfigError(
            f"{where} is {raw.get('format')!r} version {raw.get('version')!r}; this newsclean reads "
            f"{MODEL_FORMAT!r} version {MODEL_VERSION}: rebuild it with training/train_boilerplate.py"
        )
    if tuple(raw["features"]) != FEATURES or tuple(raw["score_features"]) != SCORE_CONTEXT:
        raise ConfigError(f"{where} was trained on other features than newsclean.boilerplate.features computes")
    width = len(FEATURES)
    return Model(
        features=FEATURES,
        score_features=SCORE_CONTEXT,
        lines=_stage(raw["stages"]["lines"], width, where),
        context=_stage(raw["stages"]["context"], width + len(SCORE_CONTEXT), where),
        presets={name: float(value) for name, value in raw["presets"].items()},
        switch_cost=float(raw["switch_cost"]),
    )


@functools.lru_cache(maxsize=1)
def load() -> Model:
    """The model shipped in the package (read once per process, on first use)."""
    text = resources.files(__package__).joinpath(MODEL_DATA).read_text(encoding="utf-8")
    return parse(json.loads(text))


def decode(scores: Sequence[float], bias: float, switch_cost: float) -> list[bool]:
    """Keep (True) or drop each line: the most likely labelling under a two-state model in which
    a line's evidence for "keep" is its score plus ``bias`` and every change of state between
    neighbouring lines costs ``switch_cost`` (Viterbi; linear in the number of lines)."""
    n = len(scores)
    if not n:
        return []
    half = [(s + bias) / 2 for s in scores]
    drop, keep = -half[0], half[0]
    back: list[tuple[bool, bool]] = [(False, True)]
    for h in half[1:]:
        # best way into "drop" and into "keep" (True: came from keep)
        stay_drop, from_keep = drop, keep - switch_cost
        stay_keep, from_drop = keep, drop - switch_cost
        back.append((from_keep > stay_drop, stay_keep >= from_drop))
        drop = max(stay_drop, from_keep) - h
        keep = max(stay_keep, from_drop) + h
    out = [False] * n
    state = keep >= drop
    for i in range(n - 1, -1, -1):
        out[i] = state
        state = back[i][1] if state else back[i][0]
    return out


def sigmoid(x: float) -> float:
    """The probability for log-odds ``x``."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
