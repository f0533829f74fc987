"""boilerplate: drop whole lines of site furniture, on any site and in any language.

Changes (whole lines only, never parts of a line):

- lines a **rule** names (:mod:`newsclean.rules`; rules are data, plugins add
  packs): "Advertisement", "Skip to content", newsletter, cookie, share and
  follow prompts, "Read more: …" link lines, paywall and comment widgets,
  copyright footers, wire and photo credits; with their neighbours, a
  "Related"/"Most read" heading and the headline-like lines under it, a menu of
  short section names at the top, and weak items ("Facebook", "World") next to
  other boilerplate;
- lines the **model** judges to be furniture although no rule names them:
  navigation menus, footer and sidebar link lists, related and trending story
  titles, teasers, timestamps, bylines, pagination, comment threads, hidden
  copies of the article.  A small trained model (:mod:`newsclean.boilerplate`)
  scores every line from its shape (length, punctuation, stop words of the
  document's language, capitals, digits, separators, links, dates), the rules'
  verdicts, its neighbours and where it sits relative to the article's main run
  of prose; a Viterbi pass then labels runs of lines together (it may keep a
  line for its neighbours' sake, never drop one for theirs).

After removing lines it does not pile up blank lines: the blank lines around
a removed line merge into the longest of the gaps that were there (at the
document's start and end, into the gap the document itself started or ended
with).  The result is a fixpoint: cleaning it again changes nothing.

Never touches: the text inside a kept line; the article's **headline** (the
title line just before the article's first kept paragraph; option
``keep_headline``); a document that is mostly prose (the model only looks at
documents in which, of the lines the rules leave, at least three non-blank
lines, and at least 30% of them, are not sentences of eight words or more, so
a one-paragraph API text, a clean article or an extractor's mostly clean
output comes through unless a rule names a line); article prose
that merely mentions a newsletter or cookies (rules match whole lines); lines
longer than :data:`newsclean.rules.MAX_LINE_CHARS` characters for rules; a
document in which the model finds no article line at all (it is left to the
rules).

Conservative by design: deleting article prose is worse than leaving junk.
The operating point is the option ``mode``: ``conservative`` (the default:
on the AEB dev pages, cross-validated by site, it keeps about 99% of article
lines), ``balanced``, ``aggressive`` (best page-level F1, drops more article
lines), or ``rules`` (rules only, no model); ``bias`` shifts it further
(positive keeps more).  Bylines and date lines under the headline are dropped
unless ``keep_byline``; photo captions are dropped where a rule or the model
recognises them; wire and photo credits are rule categories (``credit``,
``caption-credit``) that ``exclude_categories`` switches off.

Example (``\\n`` shown as line breaks)::

    Home                                     Mayor unveils flood plan
    World
    Politics                                 The plan costs $40 million, the mayor said.
    Mayor unveils flood plan          ->     Officials said work starts in May.
    By Jane Roe | May 2, 2024
    The plan costs $40 million, the mayor said.
    Advertisement
    Share
    Facebook
    Officials said work starts in May.
    Most read
    Storm closes coastal road
    Council votes on budget

Explain mode (:meth:`explain`) reports every removed stretch of lines with its
reason: the rule's category and the rule (its pack and number), or category
``model`` with the model's probability that the line is boilerplate and its
strongest features.

Runs in linear time.  A document no rule can touch and that is all prose is
returned after one scan for rule heads (:meth:`RuleEngine.quiet
<newsclean.boilerplate.rulematch.RuleEngine.quiet>`) and one pass over its
lines; other documents cost a few dozen microseconds per line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..boilerplate import features, languages, model
from ..boilerplate.rulematch import Match, RuleEngine
from ..cleaner import Change, Cleaner, Option
from ..errors import OptionError, suggest
from ..rules import Rule, builtin_rules

__all__ = ["BoilerplateCleaner"]

MODES = ("conservative", "balanced", "aggressive", "rules")
#: a document is left to the rules alone unless it has at least this many non-blank lines that
#: are not prose (prose: a sentence of :data:`PROSE_WORDS` words or more)
MIN_MODEL_LINES = 3
#: ... and they must be at least this share of its non-blank lines: a text that is mostly prose
#: (an article with a headline, a byline and sub-headings, an extractor's output) is left to the
#: rules; the model made no difference there in cross-validation and costs time
MIN_MODEL_SHARE = 0.3
PROSE_WORDS = 8
#: what a prose line ends with (sentence punctuation, or a closing quote or bracket after it)
_SENTENCE_END = frozenset(".!?…。！？\"'”’»)")
#: what a prose line ends with (sentence punctuation, or a closing quote or bracket after it)
#: how many non-blank lines before the first kept paragraph the headline is looked for in
_HEADLINE_WINDOW = 8
#: how much of a document 'auto' reads to choose its rule pack
_PACK_GUESS_CHARS = 800
_BYLINE_WINDOW = 4


def _check_languages(value: tuple[Any, ...]) -> str | None:
    if not value:
        return "give at least one language code (such as 'en'), 'auto' or '*'"
    if not all(isinstance(v, str) and v for v in value):
        return "language codes must be non-empty strings"
    if "auto" in value and len(value) > 1:
        return "'auto' cannot be combined with other languages"
    return None


def _check_categories(value: tuple[Any, ...]) -> str | None:
    if not all(isinstance(v, str) and v for v in value):
        return "categories must be non-empty strings"
    return None


def _check_positive(value: int) -> str | None:
    return "must be 1 or more" if value < 1 else None


@dataclass(frozen=True)
class _Reason:
    """Why a line is removed: a rule (category, label) or the model (score, features)."""

    category: str
    rule: str = ""
    score: float | None = None
    detail: str = ""


class BoilerplateCleaner(Cleaner):
    name = "boilerplate"
    description = "Drop lines of site furniture (menus, share bars, related links, footers, ads) on any site."
    order = 700
    options = {
        "mode": Option("conservative", "operating point: conservative, balanced, aggressive, or rules (no model)",
                       choices=MODES),
        "bias": Option(0.0, "added to every line's score: positive keeps more, negative drops more"),
        "keep_headline": Option(True, "never drop the article's headline"),
        "keep_byline": Option(False, "keep the byline and date lines between the headline and the article"),
        "languages": Option(("auto",), "rule packs: 'auto' (English and the document's language), '*' or codes",
                            check=_check_languages),
        "categories": Option((), "only these rule categories (empty: all)", check=_check_categories),
        "exclude_categories": Option((), "rule categories switched off", check=_check_categories),
        "blocks": Option(True, "rules also drop related-link blocks, top menus and share bars by neighbours"),
        "max_block_lines": Option(30, "most lines a heading block may take with it", check=_check_positive),
    }
    mode: str
    bias: float
    keep_headline: bool
    keep_byline: bool
    languages: tuple[str, ...]
    categories: tuple[str, ...]
    exclude_categories: tuple[str, ...]
    blocks: bool
    max_block_lines: int

    def __init__(self, *, rules: Iterable[Rule] | None = None, **options: Any) -> None:
        """``rules`` defaults to :func:`~newsclean.rules.builtin_rules`; pipelines pass the registry's rules."""
        chosen = builtin_rules() if rules is None else list(rules)
        for rule in chosen:
            if not isinstance(rule, Rule):
                raise OptionError(f"cleaner 'boilerplate' expects Rule objects as rules, got {rule!r}")
        object.__setattr__(self, "_rules", tuple(dict.fromkeys(chosen)))
        super().__init__(**options)

    @classmethod
    def build(cls, options: Mapping[str, Any], rules: Sequence[Any] = ()) -> BoilerplateCleaner:
        """Construct with the registry's rules (which include the built-in packs)."""
        return cls(rules=rules, **options)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule this instance was given (before language and category filtering)."""
        return self._rules  # type: ignore[attr-defined,no-any-return]

    def setup(self) -> None:
        rules = self.rules
        known_categories = {r.category for r in rules}
        for option in ("categories", "exclude_categories"):
            for category in getattr(self, option):
                if category not in known_categories:
                    valid = ", ".join(sorted(known_categories)) or "(no rules loaded)"
                    raise OptionError(
                        f"option boilerplate.{option}: unknown category {category!r}"
                        f"{suggest(category, known_categories)}; valid categories: {valid}"
                    )
        known_languages = {r.language for r in rules} - {"*"}
        explicit = self.languages != self.options["languages"].default
        for language in self.languages:
            if explicit and language not in ("*", "auto") and language not in known_languages:
                valid = ", ".join(sorted(known_languages)) or "(no rules loaded)"
                raise OptionError(
                    f"option boilerplate.languages: no rules for language {language!r}; available: {valid}"
                )
        self.set_derived("_auto", self.languages == ("auto",))
        # the languages with a pack (and English, the fallback) that 'auto' chooses among
        self.set_derived("_packs", frozenset({"en", *(r.language for r in self.rules)}) - {"*"})
        self.set_derived("_engines", {})

    def _engine_for(self, text: str) -> RuleEngine:
        """The rules for ``text``: the configured languages' packs, or with ``'auto'`` the English
        pack and the pack of the document's language (guessed from stop words when the text is not
        pure ASCII).  Engines are built on first use."""
        if self._auto:  # type: ignore[attr-defined]
            packs: frozenset[str] = self._packs  # type: ignore[attr-defined]
            head = text[:_PACK_GUESS_CHARS]
            plain = head.isascii() or languages.likely_english(head, packs)
            language = "en" if plain else (languages.guess_text(head, packs) or "en")
            # English furniture ("Advertisement", "Share") turns up on sites in every language
            wanted: tuple[str, ...] = ("en",) if language == "en" else ("en", language)
        else:
            wanted = self.languages
        engines: dict[tuple[str, ...], RuleEngine] = self._engines  # type: ignore[attr-defined]
        engine = engines.get(wanted)
        if engine is None:
            engine = engines[wanted] = RuleEngine(
                self.rules, languages=wanted, categories=self.categories,
                exclude_categories=self.exclude_categories, blocks=self.blocks, max_block_lines=self.max_block_lines,
            )
        return engine

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state["_engines"] = {}  # built again on first use in the receiving process
        return state

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.rules == other.rules  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return super().__hash__()

    # -- cleaning ---------------------------------------------------------------------

    def clean(self, text: str) -> str:
        found = self._removals(text)
        if found is None:
            return text
        lines, removed = found
        keep = _keep_mask(lines, removed)
        return "\n".join([line for line, kept in zip(lines, keep, strict=True) if kept])

    def explain(self, text: str) -> tuple[str, list[Change]]:
        found = self._removals(text, explain=True)
        if found is None:
            return text, []
        lines, removed = found
        keep = _keep_mask(lines, removed)
        result = "\n".join([line for line, kept in zip(lines, keep, strict=True) if kept])
        return result, _changes(text, lines, keep, removed)

    # -- the decision -----------------------------------------------------------------

    def analyse(self, text: str, ruled: Ruled | None = None) -> Analysis:
        """Everything the decision is made from: the lines, what the rules say of each, the
        document's language and the model's feature rows of its non-blank lines.  (The training
        script uses this too, so the model is trained on exactly what it sees here.)"""
        ruled = ruled or self._rule_verdicts(text)
        rule_rows = [((k[0] if k else None), r is not None) for k, r in zip(ruled.kinds, ruled.removed, strict=True)]
        index, rows, language = features.document_features(ruled.lines, rule_rows, languages.guess_text(text))
        return Analysis(ruled.lines, ruled.norm, ruled.kinds, ruled.removed, ruled.engine, index, rows, language)

    def _rule_verdicts(self, text: str, engine: RuleEngine | None = None, quiet: bool = False) -> Ruled:
        """What the rules say of every line of ``text`` (``quiet``: the engine's document check found
        that no line can match, so none is tried)."""
        lines = text.split("\n")
        engine = engine or self._engine_for(text)
        norm = engine.normalise(text, lines)
        if quiet:
            return Ruled(lines, norm, [None] * len(lines), [None] * len(lines), engine)
        kinds = engine.kinds(norm)
        return Ruled(lines, norm, kinds, engine.decide(lines, norm, kinds) or [None] * len(lines), engine)

    def prepare(
        self, text: str, trained: model.Model
    ) -> tuple[list[str], list[_Reason | None]] | Scored | None:
        """The first half of the decision: the removals when the rules decide alone (None if
        nothing goes), or the model's scores when the document needs the model (see
        :func:`_needs_model`: judged on the lines the rules leave)."""
        engine = self._engine_for(text)
        quiet = engine.quiet(text)
        if self.mode == "rules" or not _needs_model(text):
            return None if quiet else self._rules_only(self._rule_verdicts(text, engine))
        ruled = self._rule_verdicts(text, engine, quiet)
        if not quiet and not _needs_model(text, ruled.removed):  # (with nothing removed: as above)
            return self._rules_only(ruled)
        return self.score(text, trained, ruled)

    def _removals(
        self, text: str, explain: bool = False, trained: model.Model | None = None
    ) -> tuple[list[str], list[_Reason | None]] | None:
        """The lines of ``text`` and the reason each is removed (None where kept), or None if
        nothing is removed; ``trained`` replaces the shipped model (cross-validation does that)."""
        trained = trained or (model.load() if self.mode != "rules" else None)
        found = self.prepare(text, trained)  # type: ignore[arg-type]
        if not isinstance(found, Scored):
            return found
        return self._decide(found, trained.presets[self.mode] + self.bias, trained, explain)  # type: ignore[union-attr]

    def score(self, text: str, trained: model.Model, ruled: Ruled | None = None) -> Scored:
        """The analysis of ``text`` and the model's scores (log-odds of content) of its non-blank
        lines."""
        found = self.analyse(text, ruled)
        line_scores = trained.score_lines(found.rows)
        sizes = [len(found.lines[i].strip()) for i in found.index]
        context = features.score_context([model.sigmoid(s) for s in line_scores], sizes)
        return Scored(found, context, trained.score_context(found.rows, context))

    def _decide(
        self, scored: Scored, bias: float, trained: model.Model, explain: bool = False
    ) -> tuple[list[str], list[_Reason | None]] | None:
        """The removals for ``scored`` at operating point ``bias``."""
        found, scores = scored.analysis, scored.scores
        removed: list[_Reason | None] = [
            None if category is None else _Reason(category, _rule_label(found, i))
            for i, category in enumerate(found.ruled)
        ]
        # the runs found by decoding may keep a line its own score would drop (a table cell among
        # paragraphs), never drop one its own score keeps (a lone short paragraph among furniture)
        kept = [run or score + bias > 0 for run, score in zip(model.decode(scores, bias, trained.switch_cost),
                                                              scores, strict=True)]
        if not any(kept):  # the model sees no article at all: not its call to delete the document
            kept = [True] * len(kept)
        for position, i in enumerate(found.index):
            if not kept[position] and removed[i] is None:
                detail = _strongest(trained, [*found.rows[position], *scored.context[position]]) if explain else ""
                removed[i] = _Reason("model", "model", round(1.0 - model.sigmoid(scores[position] + bias), 3), detail)
        self._protect(found, removed)
        if not any(r is not None for r in removed):
            return None
        return found.lines, removed

    def _rules_only(self, ruled: Ruled) -> tuple[list[str], list[_Reason | None]] | None:
        """The removals of the rules alone."""
        if not any(r is not None for r in ruled.removed):
            return None
        found = Analysis(ruled.lines, ruled.norm, ruled.kinds, ruled.removed, ruled.engine, [], [], None)
        removed: list[_Reason | None] = [
            None if category is None else _Reason(category, _rule_label(found, i))
            for i, category in enumerate(ruled.removed)
        ]
        # The headline (the first line not removed as a whole-line match, block, menu or share
        # bar) stays even if it starts like a "Watch: …" link line.
        if self.keep_headline:
            for i, line in enumerate(ruled.norm):
                if not line:
                    continue
                k = ruled.kinds[i]
                if removed[i] is None:
                    break
                if k is not None and k[0] in ("prefix", "suffix") and removed[i].category == k[1]:  # type: ignore[union-attr]
                    removed[i] = None
                    break
        if not any(r is not None for r in removed):
            return None
        return ruled.lines, removed

    def _protect(self, found: Analysis, removed: list[_Reason | None]) -> None:
        """Keep the headline (and with ``keep_byline`` the lines under it) before the first kept
        paragraph."""
        if not (self.keep_headline or self.keep_byline):
            return
        index = found.index
        first = next((p for p, i in enumerate(index) if removed[i] is None), None)
        if first is None:
            return
        start = max(0, first - _HEADLINE_WINDOW)
        best, best_score = None, 0.0
        for position in range(first - 1, start - 1, -1):
            score = _headline_score(found, position, first - position)
            if score > best_score:
                best, best_score = position, score
        if best is None:
            return
        if self.keep_headline:
            removed[index[best]] = None
        if self.keep_byline:
            for position in range(best + 1, min(first, best + 1 + _BYLINE_WINDOW)):
                removed[index[position]] = None


@dataclass(frozen=True)
class Ruled:
    """What the rules say of a document: its lines, normalised, the rule each matches and the
    category of each line the rules remove."""

    lines: list[str]
    norm: list[str]
    kinds: list[Match | None]
    removed: list[str | None]
    engine: RuleEngine


@dataclass(frozen=True)
class Analysis:
    """What :meth:`BoilerplateCleaner.analyse` found in a document."""

    lines: list[str]
    norm: list[str]
    kinds: list[Match | None]
    ruled: list[str | None]  # the category of each line the rules remove
    engine: RuleEngine
    index: list[int]  # the non-blank lines, in order
    rows: list[list[float]]  # their feature rows
    language: str | None


@dataclass(frozen=True)
class Scored:
    """An :class:`Analysis` with the model's scores: the context stage's inputs and its output."""

    analysis: Analysis
    context: list[list[float]]
    scores: list[float]


def _needs_model(text: str, removed: Sequence[object | None] | None = None) -> bool:
    """Whether ``text`` has at least :data:`MIN_MODEL_LINES` non-blank lines that are not prose,
    and they are at least :data:`MIN_MODEL_SHARE` of its non-blank lines; with ``removed`` (the
    rules' verdict per line), counting only the lines the rules keep.  (Prose: a line of at
    least :data:`PROSE_WORDS` words, counted by spaces, ending like a sentence, possibly in a
    closing quote or bracket.)"""
    if removed is None and text.count("\n") < MIN_MODEL_LINES - 1:
        return False
    other = lines = 0
    gaps = PROSE_WORDS - 1
    ends = _SENTENCE_END
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if not stripped or (removed is not None and removed[number] is not None):
            continue
        lines += 1
        if stripped[-1] not in ends or stripped.count(" ") < gaps:
            other += 1
    return other >= MIN_MODEL_LINES and other >= MIN_MODEL_SHARE * lines


def _rule_label(found: Analysis, i: int) -> str:
    """``pack#n``: the rule that matched line ``i`` (its source and number in the engine's rules),
    or the block it was taken with."""
    k = found.kinds[i]
    return "block" if k is None else found.engine.labels[k[2]]


_TITLE = features.BASE.index("headline_like")
_DIGITS = features.BASE.index("digit_share")
_URL = features.BASE.index("url")
_DATE = features.BASE.index("date")
_WORDS = features.BASE.index("log_words")
_ENDS_COLON = features.BASE.index("ends_colon")


def _headline_score(found: Analysis, position: int, distance: int) -> float:
    """How much line ``position`` (of the non-blank lines) looks like the headline of the article
    that starts ``distance`` lines below it; 0 if it cannot be one."""
    row = found.rows[position]
    i = found.index[position]
    k = found.kinds[i]
    if found.ruled[i] is not None and (k is None or k[0] not in ("prefix", "suffix")):
        return 0.0  # a rule removed it, alone or with its block ("Watch: …" link lines may be titles)
    if row[_URL] or row[_ENDS_COLON] or row[_DIGITS] > 0.25:
        return 0.0
    words = features.describe(found.lines[i]).words
    if words < 3 or words > 30:
        return 0.0
    return 1.0 + min(words, 16) / 4 + 2 * row[_TITLE] - row[_DATE] * 3 - 0.3 * distance


@functools.lru_cache(maxsize=1)
def _all_names() -> tuple[str, ...]:
    return (*features.FEATURES, *features.SCORE_CONTEXT)


def _strongest(trained: model.Model, row: list[float], count: int = 3) -> str:
    """The features that pushed the context stage's score down most for this row (per-tree path
    contributions), as ``name=value`` pairs."""
    contributions: dict[int, float] = {}
    for nodes in trained.context.trees:
        node = nodes[0]
        while len(node) != 1:
            child = nodes[node[2] if row[node[0]] <= node[1] else node[3]]
            change = (child[4] if len(child) != 1 else child[0]) - node[4]
            contributions[node[0]] = contributions.get(node[0], 0.0) + change
            node = child
    names = _all_names()
    worst = sorted((value, index) for index, value in contributions.items() if value < 0)[:count]
    return ", ".join(f"{names[index]}={row[index]:.2f}" for _, index in worst)


def _keep_mask(lines: list[str], removed: Sequence[object | None]) -> list[bool]:
    """Which lines survive: removed lines go, and blank lines around them merge."""
    n = len(lines)
    keep = [r is None for r in removed]
    blank = [not line.strip() for line in lines]
    i = 0
    while i < n:
        if not (blank[i] or removed[i] is not None):
            i += 1
            continue
        j = i
        while j < n and (blank[j] or removed[j] is not None):
            j += 1
        # lines i..j-1 are a gap between kept text (or the document's ends)
        if any(removed[k] is not None for k in range(i, j)):
            runs: list[list[int]] = [[]]
            for k in range(i, j):
                if removed[k] is not None:
                    if runs[-1]:
                        runs.append([])
                else:
                    runs[-1].append(k)
            runs = [r for r in runs if r]
            if i == 0 and j == n:
                chosen: list[int] = []
            elif i == 0:
                chosen = runs[0] if runs and runs[0][0] == 0 else []
            elif j == n:
                chosen = runs[-1] if runs and runs[-1][-1] == n - 1 else []
            else:
                chosen = max(runs, key=len) if runs else []
            chosen_set = set(chosen)
            for k in range(i, j):
                keep[k] = k in chosen_set
        i = j
    return keep


def _changes(text: str, lines: list[str], keep: list[bool], removed: list[_Reason | None]) -> list[Change]:
    """One change per contiguous removed stretch with one reason (blank lines join their
    neighbour); lines the model removed are one change each, with their own score."""
    n = len(lines)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    reasons: list[_Reason | None] = [None] * n
    last: _Reason | None = None
    for i in range(n):
        if keep[i]:
            last = None
            continue
        reasons[i] = removed[i] or last
        last = reasons[i]
    # blank lines at the start of a stretch take the reason of what follows
    following: _Reason | None = None
    for i in range(n - 1, -1, -1):
        if keep[i]:
            following = None
            continue
        if reasons[i] is None:
            reasons[i] = following or _Reason("boilerplate")
        following = reasons[i]
    kept = [i for i in range(n) if keep[i]]
    first_kept, last_kept = (kept[0], kept[-1]) if kept else (n, -1)
    changes: list[Change] = []
    i = 0
    while i < n:
        if keep[i]:
            i += 1
            continue
        reason = reasons[i]
        assert reason is not None
        j = i
        while j + 1 < n and not keep[j + 1] and (
            reasons[j + 1] is reason
            or (reason.score is None and reasons[j + 1] == reason)
            or (removed[j + 1] is None and reasons[j + 1] == reason)
        ):
            j += 1
        if last_kept < i and first_kept < i:
            start, end = offsets[i] - 1, offsets[j] + len(lines[j])
        else:
            start, end = offsets[i], min(offsets[j] + len(lines[j]) + 1, len(text))
        changes.append(Change(start, text[start:end], "", reason.category, reason.rule, reason.score, reason.detail))
        i = j + 1
    return changes
