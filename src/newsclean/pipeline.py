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
from typing import Any

from .cleaner import Change, Cleaner, not_str
from .errors import CleanerError, ConfigError
from .registry import Registry

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
    valid choices.
    """

    __slots__ = ("_cleaners", "_rechecks")

    #: How many times cleaners marked ``recheck`` may restart the tail of the pipeline per document.
    MAX_RECHECK_ROUNDS = 3

    def __init__(
        self,
        cleaners: Iterable[str | Cleaner] = (),
        *,
        options: Options | None = None,
        registry: Registry | None = None,
    ) -> None:
        if isinstance(cleaners, str):
            raise TypeError("Pipeline() takes a list of cleaner names, not a single string; use Pipeline([name])")
        options = dict(options or {})
        entries = list(cleaners)
        reg = None
        if any(isinstance(entry, str) for entry in entries) or options:
            reg = _registry(registry)
        resolved: list[Cleaner] = []
        for entry in entries:
            if isinstance(entry, Cleaner):
                if entry.name in options:
                    raise ConfigError(f"cleaner {entry.name!r} was given as an instance and also with options")
                resolved.append(entry)
            elif isinstance(entry, str):
                assert reg is not None
                resolved.append(reg.create(entry, options.get(entry)))
            else:
                raise TypeError(f"pipeline entries must be cleaner names or Cleaner instances, got {entry!r}")
        names = [c.name for c in resolved]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigError(f"cleaner {duplicates[0]!r} appears twice in the pipeline")
        for name, opts in options.items():
            if name not in names:
                # Validate even when unused, so a typo is never silently ignored.
                assert reg is not None
                reg.create(name, opts)
        self._set_cleaners(tuple(resolved))

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
    ) -> Pipeline:
        """The default pipeline: every cleaner on by default, in default order.

        ``enable`` adds cleaners that are off by default (at their place in
        the default order); ``disable`` removes cleaners.  Naming a cleaner in
        both is an error.
        """
        reg = _registry(registry)
        enable, disable = list(enable), list(disable)
        for name in enable + disable:
            reg.get(name)
        both = sorted(set(enable) & set(disable))
        if both:
            raise ConfigError(f"cleaner {both[0]!r} is both enabled and disabled")
        wanted = set(reg.default_names()) | set(enable)
        names = [info.name for info in reg.in_order() if info.name in wanted and info.name not in disable]
        return cls(names, options=options, registry=reg)

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
            new = info.create(options or None, reg.rules)
            position = next(
                (i for i, c in enumerate(cleaners) if type(c).order > info.order),
                len(cleaners),
            )
            cleaners.insert(position, new)
            present.add(name)
        return Pipeline(cleaners)

    def disable(self, *names: str, registry: Registry | None = None) -> Pipeline:
        """A new pipeline without ``names`` (each must be a known cleaner)."""
        reg = _registry(registry)
        for name in names:
            reg.get(name)
        return Pipeline([c for c in self._cleaners if c.name not in names])

    def configure(self, name: str, registry: Registry | None = None, **options: Any) -> Pipeline:
        """A new pipeline in which cleaner ``name`` (already present) has ``options``."""
        reg = _registry(registry)
        if name not in self.names:
            reg.get(name)
            present = ", ".join(self.names) or "empty"
            raise ConfigError(f"cleaner {name!r} is not in this pipeline ({present}); enable it first")
        return Pipeline([
            reg.get(name).create({**c.config, **options}, reg.rules) if c.name == name else c
            for c in self._cleaners
        ])

    # -- inspection -----------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """The cleaner names in the order they run."""
        return tuple(c.name for c in self._cleaners)

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

    def __getstate__(self) -> tuple[Cleaner, ...]:
        return self._cleaners

    def __setstate__(self, state: tuple[Cleaner, ...]) -> None:
        self._set_cleaners(state)

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

    def _run_observed(self, observe: Observer, text: str, start: int, stop: int) -> tuple[str, int]:
        last = -1
        for index in range(start, stop):
            cleaner = self._cleaners[index]
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
        made them.
        """
        if not isinstance(text, str):
            raise TypeError(f"explain() expects str, got {type(text).__name__}")
        original = text
        changes: list[list[Change]] = [[] for _ in self._cleaners]
        text = self._schedule(text, functools.partial(self._explain_run, changes))
        reports = tuple(
            CleanerReport(c.name, tuple(found)) for c, found in zip(self._cleaners, changes, strict=True)
        )
        return Explanation(original, text, reports)

    def _explain_run(self, changes: list[list[Change]], text: str, start: int, stop: int) -> tuple[str, int]:
        last = -1
        for index in range(start, stop):
            cleaner = self._cleaners[index]
            try:
                out, found = cleaner.explain(text)
                if not isinstance(out, str):
                    raise not_str(out)
            except Exception as exc:
                raise CleanerError(cleaner.name, exc) from exc
            if found or out != text:
                last = index
            changes[index].extend(found)
            text = out
        return text, last


@dataclass(frozen=True)
class CleanerReport:
    """What one cleaner did to one document in explain mode."""

    name: str
    changes: tuple[Change, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def edits(self) -> int:
        return len(self.changes)

    @property
    def chars_removed(self) -> int:
        return sum(len(c.removed) for c in self.changes)

    @property
    def chars_added(self) -> int:
        return sum(len(c.inserted) for c in self.changes)

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
