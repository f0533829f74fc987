"""What a run reports: the problems it met, per-cleaner counts and the run's totals.

:class:`Problem`, :class:`CleanerStats` and :class:`RunSummary` are public under
:mod:`newsclean.run` (and :mod:`newsclean.runner`), which re-export them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CleanerStats", "Problem", "RunSummary"]


@dataclass(frozen=True)
class Problem:
    """Something that went wrong with one input or record."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    level: str = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "field": self.field, "level": self.level, "message": self.message}


@dataclass
class CleanerStats:
    """Per cleaner: documents it changed, and characters it removed/added (net length change per document).

    ``categories``: the cleaner's changes per category (for boilerplate, per rule category),
    counted in explain and diff runs and when asked for (``--stats``); empty otherwise."""

    documents_changed: int = 0
    chars_removed: int = 0
    chars_added: int = 0
    categories: dict[str, int] = field(default_factory=dict)

    def add(self, changed: int, removed: int, added: int, categories: Mapping[str, int] | None = None) -> None:
        """Add one worker's counts."""
        self.documents_changed += changed
        self.chars_removed += removed
        self.chars_added += added
        for category, count in (categories or {}).items():
            self.categories[category] = self.categories.get(category, 0) + count

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents_changed": self.documents_changed,
            "chars_removed": self.chars_removed,
            "chars_added": self.chars_added,
            "categories": dict(sorted(self.categories.items())),
        }


@dataclass
class RunSummary:
    """What a run did.  ``exit_code`` is 0 when nothing went wrong, 1 otherwise."""

    files: int = 0
    files_failed: int = 0
    files_done: int = 0  # not cleaned in place again: their backup exists (an earlier run cleaned them)
    records: int = 0
    documents: int = 0
    documents_changed: int = 0
    missing_field: int = 0
    errors: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    jobs: int = 1
    executor: str = "inline"
    interrupted: bool = False
    cleaners: dict[str, CleanerStats] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    max_problems: int = 1000

    @property
    def mb_per_s(self) -> float:
        return self.bytes_in / 1e6 / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.files_failed or self.interrupted else 0

    def add_counts(self, records: int, documents: int, changed: int, missing: int, stats: list[list[Any]]) -> None:
        """Add what one part of the work cleaned (``stats``: see :meth:`add_cleaner_stats`)."""
        self.records += records
        self.documents += documents
        self.documents_changed += changed
        self.missing_field += missing
        self.add_cleaner_stats(stats)

    def add_cleaner_stats(self, stats: list[list[Any]]) -> None:
        """Add per-cleaner ``[documents changed, chars removed, chars added, {category: changes}]``
        (:data:`newsclean.run.tasks.Counts`), in pipeline order."""
        for cs, counts in zip(self.cleaners.values(), stats, strict=False):
            cs.add(*counts)

    def add_problem(self, problem: Problem) -> None:
        if problem.level == "error":
            self.errors += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "files_failed": self.files_failed,
            "files_done": self.files_done,
            "records": self.records,
            "documents": self.documents,
            "documents_changed": self.documents_changed,
            "missing_field": self.missing_field,
            "errors": self.errors,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 4),
            "mb_per_s": round(self.mb_per_s, 3),
            "jobs": self.jobs,
            "executor": self.executor,
            "interrupted": self.interrupted,
            "cleaners": {name: stats.as_dict() for name, stats in self.cleaners.items()},
            "problems": [p.as_dict() for p in self.problems],
        }

    def format(self) -> str:
        """A short human-readable account (what the CLI prints at the end)."""
        others = [f"{self.files_failed} skipped"] if self.files_failed else []
        others += [f"{self.files_done} already cleaned"] if self.files_done else []
        aside = f" ({', '.join(others)})" if others else ""
        lines = [
            f"{self.files} file(s){aside}, "
            f"{self.documents:,} document(s), {self.documents_changed:,} changed"
            + (f", {self.missing_field:,} record(s) without a field to clean" if self.missing_field else ""),
            f"{self.bytes_in / 1e6:,.2f} MB in, {self.bytes_out / 1e6:,.2f} MB out, "
            f"{self.seconds:.2f} s, {self.mb_per_s:,.1f} MB/s, {self.jobs} job(s)"
            + (f" on {self.executor}" if self.executor in ("dask", "ray") else ""),
        ]
        if self.cleaners and self.documents:
            width = max(len(n) for n in self.cleaners)
            lines.append(f"{'cleaner':<{width}}  {'docs changed':>12}  {'chars removed':>13}  {'chars added':>11}")
            for name, s in self.cleaners.items():
                lines.append(
                    f"{name:<{width}}  {s.documents_changed:>12,}  {s.chars_removed:>13,}  {s.chars_added:>11,}"
                )
        if self.errors:
            lines.append(f"{self.errors:,} error(s)")
        if self.interrupted:
            lines.append("interrupted: outputs of unfinished files were not written")
        return "\n".join(lines)
