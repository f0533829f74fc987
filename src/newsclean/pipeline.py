"""The :class:`Pipeline`: an ordered, configured list of cleaners, resolved once.

Names are resolved to cleaner objects and options validated when a pipeline
is built; cleaning then calls each cleaner's ``clean()`` directly, with no
plugin dispatch per document.  A pipeline is immutable: ``enable``,
``disable`` and ``configure`` return new pipelines.  It holds no per-document
state and pickles by value, so it is safe to share between threads and to
send to worker processes.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .cleaner import Change, Cleaner, not_str
from .errors import CleanerError, ConfigError
from .registry import Registry

if TYPE_CHECKING:
    from .tracing import Trace

__all__ = ["CleanerReport", "Explanation", "Pipeline"]

Options = Mapping[str, Mapping[str, Any]]
#: ``observe(index, before, after)``: called when the cleaner at ``index`` changed ``before`` into ``after``.
Observer = Callable[[int, str, str], None]
#: ``run(text, start, stop) -> (text, index of the last cleaner that changed it or -1)``: runs a slice of cleaners.
Run = Callable[[str, int, int], tuple[str, int]]


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from .plugins import get_registry

    return get_registry()


class Pipeline:
    """An ordered list of configured cleaners.

    ``Pipeline(["mojibake", "whitespace"])`` runs exactly those cleaners in
    that order; entries may also be :class:`~newsclean.Cleaner` instances.
    ``options`` maps a cleaner name to its options, e.g.
    ``{"unicode": {"form": "NFKC"}}``.  ``Pipeline.default()`` is the default
    pipeline.  Unknown names and invalid options raise
    :class:`~newsclean.errors.ConfigError` (a ``ValueError``) listing the
    valid choices.  ``enable_rules`` / ``disable_rules`` choose the rule packs
    (by name) the cleaners that use rules get, starting from the packs on by
    default.  Options for a cleaner that is not in the list are an error.
    """

    __slots__ = ("_cleaners", "_rechecks", "_rule_choice")

    #: How many times cleaners marked ``recheck`` may restart the tail of the pipeline per document.
    MAX_RECHECK_ROUNDS = 3

    def __init__(
        self,
        cleaners: Iterable[str | Cleaner] = (),
        *,
        options: Options | None = None,
        registry: Registry | None = None,
        enable_rules: Iterable[str] = (),
        disable_rules: Iterable[str] = (),
    ) -> None:
        if isinstance(cleaners, str):
            raise TypeError("Pipeline() takes a list of cleaner names, not a single string; use Pipeline([name])")
        options = dict(options or {})
        entries = list(cleaners)
        rule_choice = (tuple(enable_rules), tuple(disable_rules))
        reg = rules = None
        if any(isinstance(entry, str) for entry in entries) or options or any(rule_choice):
            reg = _registry(registry)
            rules = reg.rules_for(*rule_choice)
        resolved: list[Cleaner] = []
        for entry in entries:
            if isinstance(entry, Cleaner):
                if entry.name in options:
                    raise ConfigError(f"cleaner {entry.name!r} was given as an instance and also with options")
                resolved.append(entry)
            elif isinstance(entry, str):
                assert reg is not None
                resolved.append(reg.create(entry, options.get(entry), rules))
            else:
                raise TypeError(f"pipeline entries must be cleaner names or Cleaner instances, got {entry!r}")
        names = [c.name for c in resolved]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigError(f"cleaner {duplicates[0]!r} appears twice in the pipeline")
        for name, opts in options.items():
            if name not in names:  # never silently ignored: a typo, or a cleaner left out
                assert reg is not None
                reg.create(name, opts, rules)  # an invalid option is reported as such first
                raise ConfigError(
                    f"options were given for cleaner {name!r}, which is not in this pipeline "
                    f"({', '.join(names) or 'empty'}); add it to the list"
                )
        self._set_cleaners(tuple(resolved))
        self._rule_choice: tuple[tuple[str, ...], tuple[str, ...]] = rule_choice

    def _set_cleaners(self, cleaners: tuple[Cleaner, ...]) -> None:
        self._cleaners: tuple[Cleaner, ...] = cleaners
        self._rechecks: tuple[int, ...] = tuple(i for i, c in enumerate(cleaners) if type(c).recheck)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def default(
        cls,
        *,
        enable: Iterable[str] = (),
        disable: Iterable[str] = (),
        options: Options | None = None,
        registry: Registry | None = None,
        enable_rules: Iterable[str] = (),
        disable_rules: Iterable[str] = (),
    ) -> Pipeline:
        """The default pipeline: every cleaner on by default, in default order.

        ``enable`` adds cleaners that are off by default (at their place in
        the default order); ``disable`` removes cleaners.  Giving ``options``
        for a cleaner enables it too, as ``newsclean.clean(text, name={...})``
        and ``--set`` do.  Naming a cleaner in ``disable`` and in ``enable`` or
        ``options`` is an error.  ``enable_rules`` / ``disable_rules`` switch
        rule packs on or off by name.
        """
        reg = _registry(registry)
        options = dict(options or {})
        enable, disable = [*enable, *options], list(disable)
        for name in enable + disable:
            reg.get(name)
        both = sorted(set(enable) & set(disable))
        if both:
            how = "given options" if both[0] in options else "enabled"
            raise ConfigError(f"cleaner {both[0]!r} is both {how} and disabled")
        wanted = set(reg.default_names()) | set(enable)
        names = [info.name for info in reg.in_order() if info.name in wanted and info.name not in disable]
        return cls(names, options=options, registry=reg, enable_rules=enable_rules, disable_rules=disable_rules)

    def enable(self, *names: str, registry: Registry | None = None, **options: Any) -> Pipeline:
        """A new pipeline with ``names`` added at their default-order place (no-op if present).

        Keyword arguments are options for a single enabled cleaner.
        """
        reg = _registry(registry)
        if options and len(names) != 1:
            raise ConfigError("options can be given when enabling exactly one cleaner")
        cleaners = list(self._cleaners)
        present = {c.name for c in cleaners}
        for name in names:
            if name in present:
                continue
            info = reg.get(name)
            new = info.create(options or None, reg.rules_for(*self._rule_choice))
            position = next(
                (i for i, c in enumerate(cleaners) if type(c).order > info.order),
                len(cleaners),
            )
            cleaners.insert(position, new)
            present.add(name)
        return self._with(cleaners)

    def disable(self, *names: str, registry: Registry | None = None) -> Pipeline:
        """A new pipeline without ``names`` (each must be a known cleaner)."""
        reg = _registry(registry)
        for name in names:
            reg.get(name)
        return self._with([c for c in self._cleaners if c.name not in names])

    def configure(self, name: str, registry: Registry | None = None, **options: Any) -> Pipeline:
        """A new pipeline in which cleaner ``name`` (already present) has ``options``."""
        reg = _registry(registry)
        if name not in self.names:
            reg.get(name)
            present = ", ".join(self.names) or "empty"
            raise ConfigError(f"cleaner {name!r} is not in this pipeline ({present}); enable it first")
        rules = reg.rules_for(*self._rule_choice)
        return self._with([
            reg.get(name).create({**c.config, **options}, rules) if c.name == name else c
            for c in self._cleaners
        ])

    def _with(self, cleaners: Iterable[Cleaner]) -> Pipeline:
        """A pipeline of ``cleaners`` that keeps this one's choice of rule packs."""
        new = Pipeline(cleaners)
        new._rule_choice = self._rule_choice
        return new

    # -- inspection -----------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """The cleaner names in the order they run."""
        return tuple(c.name for c in self._cleaners)

    @property
    def rule_packs(self) -> tuple[str, ...]:
        """The names of the rule packs whose rules this pipeline's cleaners get (from the registry)."""
        return tuple(_registry(None).pack_names(*self._rule_choice))

    @property
    def cleaners(self) -> tuple[Cleaner, ...]:
        """The configured cleaner objects in the order they run."""
        return self._cleaners

    def __len__(self) -> int:
        return len(self._cleaners)

    def __iter__(self) -> Iterator[Cleaner]:
        return iter(self._cleaners)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and other._cleaners == self._cleaners

    def __hash__(self) -> int:
        return hash(self.names)

    def __repr__(self) -> str:
        return f"Pipeline([{', '.join(repr(c) for c in self._cleaners)}])"

    def __getstate__(self) -> tuple[Any, ...]:
        return self._cleaners, self._rule_choice

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self._set_cleaners(state[0])
        self._rule_choice = state[1]

    # -- cleaning -------------------------------------------------------------------

    def clean(self, text: str, *, observe: Observer | None = None) -> str:
        """Return ``text`` cleaned by every cleaner in order.

        Cleaners marked ``recheck`` (those a later cleaner can create work
        for) then look at the result once more, if a cleaner after them
        changed the text; if one of them changes it, the cleaners after it run
        again (at most ``MAX_RECHECK_ROUNDS`` times), so cleaning is
        idempotent even where a later cleaner exposes work for an earlier
        one.  A cleaner that raises, or returns something other than a
        ``str``, is reported as :class:`~newsclean.errors.CleanerError`
        naming it, with the original exception chained.

        ``observe(index, before, after)``, if given, is called every time the
        cleaner at ``index`` changes the text (recheck rounds included): a
        cheap way to count per-cleaner changes without :meth:`explain`'s diffs.
        """
        if not isinstance(text, str):
            raise TypeError(f"clean() expects str, got {type(text).__name__}")
        run = self._run if observe is None else functools.partial(self._run_observed, observe)
        return self._schedule(text, run)

    def _schedule(self, text: str, run: Run) -> str:
        """Run every cleaner once, then the recheck rounds.

        ``run(text, start, stop)`` runs the cleaners ``start:stop`` and returns the text and the index of
        the last cleaner that changed it (-1: none).  A cleaner after the last change is not rechecked:
        the text is then its own output, which it leaves as it is (cleaners are idempotent).
        """
        text, last = run(text, 0, len(self._cleaners))
        for _ in range(self.MAX_RECHECK_ROUNDS):
            for index in self._rechecks:
                if index > last:
                    return text
                again, changed = run(text, index, index + 1)
                if changed >= 0 and again != text:  # (a cleaner may return an equal new string)
                    text, tail = run(again, index + 1, len(self._cleaners))
                    last = max(index, tail)
                    break
            else:
                return text
        return text

    def _run(self, text: str, start: int, stop: int) -> tuple[str, int]:
        cleaners = self._cleaners
        index = start
        last = -1
        try:  # one try around the loop: free in CPython 3.11+ unless something raises
            while index < stop:
                out = cleaners[index].clean(text)
                if out is not text:
                    if not isinstance(out, str):
                        raise not_str(out)
                    text = out
                    last = index
                index += 1
        except Exception as exc:
            raise CleanerError(cleaners[index].name, exc) from exc
        return text, last

    def _run_observed(
        self, observe: Observer, text: str, start: int, stop: int, *, publish: tuple[Any, int] | None = None
    ) -> tuple[str, int]:
        """:meth:`_run` calling ``observe`` for each change; with ``publish=(array, cell)`` the index of
        each cleaner is stored in ``array[cell]`` before it starts (a file run's worker process shares it,
        so that its parent can name the cleaner that hung)."""
        last = -1
        for index in range(start, stop):
            cleaner = self._cleaners[index]
            if publish is not None:
                publish[0][publish[1]] = index
            try:
                out = cleaner.clean(text)
                if out is not text and not isinstance(out, str):
                    raise not_str(out)
            except Exception as exc:
                raise CleanerError(cleaner.name, exc) from exc
            if out is not text and out != text:
                observe(index, text, out)
                last = index
            text = out
        return text, last

    def clean_many(self, texts: Iterable[str]) -> Iterator[str]:
        """Clean each text of ``texts`` lazily, in order."""
        clean = self.clean
        for text in texts:
            yield clean(text)

    def explain(self, text: str) -> Explanation:
        """Clean ``text`` and report, per cleaner, what it changed.

        The returned text is always identical to :meth:`clean`'s result; edits
        made in recheck rounds are added to the reports of the cleaners that
        made them.  :meth:`trace` reports the same and also positions every
        edit in the raw text.
        """
        if not isinstance(text, str):
            raise TypeError(f"explain() expects str, got {type(text).__name__}")
        from .tracing import Tracer

        tracer = Tracer(self._cleaners, compose=False)
        result = self._schedule(text, tracer.run)
        return Explanation(text, result, tracer.reports())

    def trace(self, text: str) -> Trace:
        """Clean ``text`` and return a :class:`~newsclean.tracing.Trace`: the cleaned text
        (identical to :meth:`clean`'s), every edit positioned in the raw input and in the
        output, with the cleaner, category and rule that made it, and offset maps between
        the two texts.  Follows the schedule of :meth:`clean`, recheck rounds included.
        """
        if not isinstance(text, str):
            raise TypeError(f"trace() expects str, got {type(text).__name__}")
        from .tracing import Tracer

        tracer = Tracer(self._cleaners)
        return tracer.finish(text, self._schedule(text, tracer.run))


@dataclass(frozen=True)
class CleanerReport:
    """What one cleaner did to one document in explain mode.

    ``chars_removed`` and ``chars_added`` are *net*: how much shorter (or longer) the
    cleaner made the document, summed over its runs (recheck rounds included) — the
    same numbers a normal run's summary gives, whatever the edits' granularity.  A
    cleaner that only replaces characters (quotes) shows 0 and 0; its ``edits`` say how
    many changes it made.
    """

    name: str
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def edits(self) -> int:
        return len(self.changes)

    @property
    def net(self) -> int:
        """Characters removed minus characters added, over all this cleaner's changes."""
        return sum(len(c.removed) - len(c.inserted) for c in self.changes)

    @property
    def chars_removed(self) -> int:
        return max(self.net, 0)

    @property
    def chars_added(self) -> int:
        return max(-self.net, 0)

    @property
    def categories(self) -> dict[str, int]:
        """Number of edits per category (for boilerplate: per rule category)."""
        return dict(Counter(c.category for c in self.changes))

    def as_dict(self) -> dict[str, Any]:
        return {
            "cleaner": self.name,
            "changed": self.changed,
            "edits": self.edits,
            "chars_removed": self.chars_removed,
            "chars_added": self.chars_added,
            "categories": self.categories,
        }


@dataclass(frozen=True)
class Explanation:
    """The result of :meth:`Pipeline.explain`: the text and one report per cleaner, in order."""

    original: str
    text: str
    reports: tuple[CleanerReport, ...]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def report(self, name: str) -> CleanerReport:
        for report in self.reports:
            if report.name == name:
                return report
        raise KeyError(f"no cleaner {name!r} in this explanation ({', '.join(r.name for r in self.reports)})")

    def as_dict(self) -> dict[str, Any]:
        return {"changed": self.changed, "cleaners": [r.as_dict() for r in self.reports]}

    def summary(self) -> str:
        """A short human-readable account, one line per cleaner that changed something."""
        lines = []
        for r in self.reports:
            if r.changed:
                cats = ", ".join(f"{k}: {v}" for k, v in sorted(r.categories.items()) if k != r.name)
                lines.append(
                    f"{r.name}: {r.edits} edit(s), -{r.chars_removed}/+{r.chars_added} chars"
                    + (f" ({cats})" if cats else "")
                )
        return "\n".join(lines) or "no changes"
