"""The AEB text views (``../shared/corpus/aeb-dev.jsonl``): loading, site groups and scoring.

Used by ``training/train_boilerplate.py`` (leave-site-out cross-validation) and
``benchmarks/boilerplate_compare.py``.  Scoring follows the corpus README:

- line level: *content kept* = surviving content lines / content lines,
  *boilerplate dropped* = boilerplate lines that did not survive / boilerplate lines
  (the filters scored here only drop whole lines, so a line survives when it is kept);
- page level: the AEB metric on 4-word shingles of the output against the
  article body: precision averaged over pages with a non-empty output, recall
  over all pages, F1 the harmonic mean of the two averages.

The corpus is third-party text: it is read from its path and never copied into
the repository.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

__all__ = ["VIEWS", "Page", "Score", "default_corpus", "load", "score"]

VIEWS = ("dump", "inscriptis", "trafilatura_recall")
_WORD = re.compile(r"\w+")


def default_corpus() -> Path:
    """``$NEWSCLEAN_AEB`` if set, else ``shared/corpus/aeb-dev.jsonl`` beside the checkout
    (or beside one of its parent folders)."""
    env = os.environ.get("NEWSCLEAN_AEB")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for folder in here.parents:
        candidate = folder / "shared" / "corpus" / "aeb-dev.jsonl"
        if candidate.exists():
            return candidate
    return here.parents[1] / "shared" / "corpus" / "aeb-dev.jsonl"


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    site: str
    lang: str | None
    body: str
    views: dict[str, tuple[tuple[str, ...], tuple[bool, ...]]]  # view -> (lines, is_content)


def _site(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def load(path: str | os.PathLike[str] | None = None) -> list[Page]:
    """Every page of the corpus, in file order."""
    pages = []
    with open(path or default_corpus(), encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            views = {
                name: (
                    tuple(item["text"] for item in record["views"][name]),
                    tuple(item["label"] == "content" for item in record["views"][name]),
                )
                for name in VIEWS
            }
            pages.append(Page(record["id"], record["url"], _site(record["url"]), record["lang"],
                              record["article_body"], views))
    return pages


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text)
    if not words:
        return Counter()
    if len(words) <= 4:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + 4]) for i in range(len(words) - 3))


@dataclass
class Score:
    content: int = 0
    content_kept: int = 0
    boilerplate: int = 0
    boilerplate_dropped: int = 0
    precisions: list[float] | None = None
    recalls: list[float] | None = None

    def __post_init__(self) -> None:
        self.precisions = [] if self.precisions is None else self.precisions
        self.recalls = [] if self.recalls is None else self.recalls

    def add(self, page: Page, view: str, kept: Sequence[bool]) -> None:
        lines, labels = page.views[view]
        if len(kept) != len(lines):
            raise ValueError(f"{len(kept)} flags for {len(lines)} lines")
        for is_content, keep in zip(labels, kept, strict=True):
            if is_content:
                self.content += 1
                self.content_kept += keep
            else:
                self.boilerplate += 1
                self.boilerplate_dropped += not keep
        output = "\n".join(line for line, keep in zip(lines, kept, strict=True) if keep)
        got, want = _shingles(output), _shingles(page.body)
        overlap = sum((got & want).values())
        if got:
            assert self.precisions is not None
            self.precisions.append(overlap / sum(got.values()))
        assert self.recalls is not None
        self.recalls.append(overlap / sum(want.values()) if want else 0.0)

    @property
    def kept(self) -> float:
        return self.content_kept / self.content if self.content else 1.0

    @property
    def dropped(self) -> float:
        return self.boilerplate_dropped / self.boilerplate if self.boilerplate else 0.0

    @property
    def precision(self) -> float:
        assert self.precisions is not None
        return sum(self.precisions) / len(self.precisions) if self.precisions else 0.0

    @property
    def recall(self) -> float:
        assert self.recalls is not None
        return sum(self.recalls) / len(self.recalls) if self.recalls else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> str:
        return (f"kept {self.kept:7.2%}  dropped {self.dropped:7.2%}  "
                f"P/R/F1 {self.precision:.3f}/{self.recall:.3f}/{self.f1:.3f}")


def score(pages: Iterable[Page], view: str, flags: Iterable[Sequence[bool]]) -> Score:
    result = Score()
    for page, kept in zip(pages, flags, strict=True):
        result.add(page, view, kept)
    return result
